"""Process 2, buy a ticket, end to end over the API (MISSION §4; issue 3 "Not done until").

A partner with a house's API key lists performances, claims, orders (idempotently),
pays through Mollie (our local Mollie server, which calls our webhook on the live
server), gets the order paid, downloads the PDF and verifies a ticket's QR code. Runs
on SQLite and on PostgreSQL (DATABASE_URL=postgres://…).
"""

from decimal import Decimal

import httpx
import pytest
from django.core import mail
from django.db import connections
from django_scopes import scopes_disabled

from podium.sales.models import SalesSettings, Ticket
from podium.sales.tests.factories import on_sale_performance
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)
from podium.sales.tickets.signing import ticket_payload
from podium.tenancy.services import api_key_create

# The live server needs committed data; serialized_rollback puts back what migrations
# seeded (taxonomy terms) after the flush, for the tests that follow in this worker.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="module", autouse=True)
def seeded_data_back_for_later_tests(django_db_blocker):
    """Put the migration-seeded rows back after this module's last flush.

    With `--dist loadfile` a worker may run plain database tests after this module;
    they expect the taxonomy terms that a migration seeds, which the flush removed.
    """
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


SCOPES = ["sales.sell", "sales.order.view", "sales.order.pay", "sales.ticket.verify"]


@pytest.fixture
def shop(house, settings, live_server, mollie_server):
    """A performance on sale (2 places at 18.50), Mollie set up for the house."""
    settings.PODIUM_PUBLIC_URL = live_server.url  # where Mollie sends its webhook
    with scopes_disabled():
        performance, tariff, _quota = on_sale_performance(
            house, size=2, price=Decimal("18.50")
        )
        SalesSettings.objects.update_or_create(
            house=house, defaults={"mollie_api_key": API_KEY}
        )
        _key, secret = api_key_create(
            house=house, actor=None, name="Partner", scopes=SCOPES
        )
    return performance, tariff, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _one_character_changed(payload: str) -> str:
    at = len(payload) // 2
    return payload[:at] + ("A" if payload[at] != "A" else "B") + payload[at + 1 :]


def test_buy_a_ticket_over_the_api(client, house, mollie_server, shop, live_server):
    performance, tariff, auth = shop

    # 1. The programme, with availability and prices (public, no key).
    listed = client.get("/api/v1/performances").json()
    [item] = [p for p in listed if p["id"] == performance.pk]
    assert (item["on_sale"], item["reason"], item["sold_out"]) == (
        True,
        "on_sale",
        False,
    )
    assert item["available"] == 2
    assert [(t["id"], t["price"], t["vat_rate"]) for t in item["tariffs"]] == [
        (tariff.pk, "18.50", "6.00")
    ]

    # 2. A basket and a claim of two places: the performance is then sold out.
    basket = client.post("/api/v1/baskets", {}, "application/json", **auth)
    assert basket.status_code == 201
    token = basket.json()["token"]
    assert 0 < basket.json()["remaining_seconds"] <= 15 * 60
    hold = client.post(
        f"/api/v1/baskets/{token}/holds",
        {"performance": performance.pk, "tariff": tariff.pk, "quantity": 2},
        "application/json",
        **auth,
    )
    assert hold.status_code == 201, hold.content
    [again] = client.get("/api/v1/performances").json()
    assert (again["available"], again["sold_out"]) == (0, True)

    # 3. The order, with an Idempotency-Key: a repeat answers the same order.
    body = {"basket": token, "buyer_name": "An Peeters", "buyer_email": "an@example.be"}
    idempotent = {**auth, "HTTP_IDEMPOTENCY_KEY": "p2-order-1"}
    created = client.post("/api/v1/orders", body, "application/json", **idempotent)
    repeated = client.post("/api/v1/orders", body, "application/json", **idempotent)
    assert created.status_code == 201, created.content
    assert repeated.status_code == 200
    order = created.json()
    assert repeated.json()["code"] == order["code"]
    assert (order["state"], order["total"], len(order["tickets"])) == (
        "pending",
        "37.00",
        2,
    )
    code = order["code"]

    # 4. Pay with Mollie: a checkout URL on our local Mollie server.
    paying = client.post(
        f"/api/v1/orders/{code}/payments",
        {"provider": "mollie"},
        "application/json",
        **auth,
    )
    assert paying.status_code == 201, paying.content
    payment = paying.json()
    assert payment["state"] == "pending"
    assert payment["checkout_url"].startswith(mollie_server.url.removesuffix("/v2"))
    [mollie_id] = mollie_server.payments
    assert mollie_server.payments[mollie_id]["amount"]["value"] == "37.00"
    assert (
        mollie_server.payments[mollie_id]["webhookUrl"]
        == f"{live_server.url}/payments/mollie/webhook/"
    )

    # 5. The buyer pays; Mollie calls our webhook (on the live server).
    mollie_server.set_status(mollie_id, "paid")
    webhook = mollie_server.send_webhook(mollie_id)
    assert webhook.status_code == 200

    paid = client.get(f"/api/v1/orders/{code}", **auth).json()
    assert paid["state"] == "paid"
    assert paid["paid_at"] is not None

    # 6. The tickets PDF, and the confirmation mail with it attached.
    pdf = client.get(f"/api/v1/orders/{code}/tickets.pdf", **auth)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    [message] = mail.outbox
    assert message.to == ["An Peeters <an@example.be>"]
    assert code in message.subject
    attachments = {name: content for name, content, _type in message.attachments}
    pdfs = [c for n, c in attachments.items() if n.endswith(".pdf")]
    assert len(pdfs) == 1 and pdfs[0].startswith(b"%PDF")

    # 7. A ticket's QR code verifies; with one character changed it does not.
    with scopes_disabled():
        ticket = Ticket.objects.filter(order__code=code).order_by("pk").first()
        payload = ticket_payload(ticket)
    valid = client.post(
        "/api/v1/tickets/verify", {"payload": payload}, "application/json", **auth
    ).json()
    assert (valid["valid"], valid["reason"], valid["ticket"], valid["order"]) == (
        True,
        "valid",
        ticket.pk,
        code,
    )
    forged = client.post(
        "/api/v1/tickets/verify",
        {"payload": _one_character_changed(payload)},
        "application/json",
        **auth,
    ).json()
    assert forged["valid"] is False
    assert forged["reason"] in {"bad_signature", "malformed"}


def test_the_same_flow_over_http_with_httpx(house, mollie_server, shop, live_server):
    """The same key works from outside the process (as curl would)."""
    performance, tariff, auth = shop
    headers = {"Authorization": auth["HTTP_AUTHORIZATION"]}
    with httpx.Client(base_url=f"{live_server.url}/api/v1", headers=headers) as api:
        token = api.post("/baskets", json={}).json()["token"]
        assert (
            api.post(
                f"/baskets/{token}/holds",
                json={
                    "performance": performance.pk,
                    "tariff": tariff.pk,
                    "quantity": 1,
                },
            ).status_code
            == 201
        )
        order = api.post(
            "/orders",
            json={
                "basket": token,
                "buyer_name": "Jan",
                "buyer_email": "jan@example.be",
            },
            headers={"Idempotency-Key": "httpx-1"},
        )
        assert order.status_code == 201
        payment = api.post(
            f"/orders/{order.json()['code']}/payments", json={"provider": "mollie"}
        ).json()
        [mollie_id] = mollie_server.payments
        assert payment["checkout_url"].endswith(mollie_id)
        # The buyer's browser at the checkout: a page with the choices, then "paid",
        # which calls our webhook and sends the buyer back to the shop.
        checkout = httpx.get(payment["checkout_url"])
        assert "?status=paid" in checkout.text
        back = httpx.get(f"{payment['checkout_url']}?status=paid")
        assert back.status_code == 303
        assert (
            back.headers["Location"]
            == (mollie_server.payments[mollie_id]["redirectUrl"])
        )
        assert api.get(f"/orders/{order.json()['code']}").json()["state"] == "paid"
        pdf = api.get(f"/orders/{order.json()['code']}/tickets.pdf")
        assert pdf.content.startswith(b"%PDF")
