"""Selling over the API: the authorisation matrix of every endpoint, tenant isolation
and what each endpoint answers."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from podium.core.models import AuditEntry
from podium.sales.models import Hold, Order, Payment, SalesSettings
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import buy, on_sale_performance
from podium.sales.tickets.signing import ticket_payload
from podium.seating.models import PerformanceSeat
from podium.seating.services import performance_seating_setup
from podium.seating.tests.factories import seat_plan_make
from podium.tenancy.services import api_key_create

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SELL, VIEW, PAY, VERIFY, OFFICE = (
    "sales.sell",
    "sales.order.view",
    "sales.order.pay",
    "sales.ticket.verify",
    "office.view",
)
ALL = [SELL, VIEW, PAY, VERIFY]
IBAN = "BE68539007547034"


@dataclass
class World:
    performance: object
    tariff: object
    token: str
    hold: Hold
    pending: Order
    paid: Order
    ticket: object
    payload: str


def _key(house, scopes):
    return {"HTTP_AUTHORIZATION": f"Bearer {_secret(house, scopes)}"}


def _secret(house, scopes):
    with scopes_disabled():
        return api_key_create(house=house, actor=None, name="k", scopes=scopes)[1]


@pytest.fixture
def world(house):
    with scopes_disabled():
        SalesSettings.objects.create(house=house, bank_account_iban=IBAN)
        performance, tariff, _quota = on_sale_performance(house, size=10)
        basket = basket_create(house=house)
        hold = basket_add(
            house=house,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=1,
        )
        pending = buy(house, performance, tariff)
        paid = order_mark_paid(order=buy(house, performance, tariff, quantity=2))
        ticket = paid.tickets.order_by("pk").first()
        payload = ticket_payload(ticket)
    return World(
        performance, tariff, basket.token, hold, pending, paid, ticket, payload
    )


def seated_on_sale(house, *, rows=2, seats=5):
    """A performance on sale by seat: `rows` rows of `seats`, all rank 1."""
    performance, tariff, _quota = on_sale_performance(house, size=rows * seats)
    plan = seat_plan_make(
        house=house, hall=performance.hall, rows=rows, seats=seats, zone_rows=[rows]
    )
    performance_seating_setup(
        house=house,
        actor=None,
        performance=performance,
        plan=plan,
        zones={1: tariff.category},
    )
    return performance, tariff


def _endpoints(w: World):
    """(name, method, path, body, scope, expected status with the scope)."""
    return {
        "basket-create": ("post", "/baskets", {}, SELL, 201),
        "basket-get": ("get", f"/baskets/{w.token}", None, SELL, 200),
        "hold-create": (
            "post",
            f"/baskets/{w.token}/holds",
            {"performance": w.performance.pk, "tariff": w.tariff.pk, "quantity": 1},
            SELL,
            201,
        ),
        "hold-delete": (
            "delete",
            f"/baskets/{w.token}/holds/{w.hold.pk}",
            None,
            SELL,
            204,
        ),
        "order-create": (
            "post",
            "/orders",
            {"basket": w.token, "buyer_name": "An", "buyer_email": "an@example.be"},
            SELL,
            201,
        ),
        "order-get": ("get", f"/orders/{w.paid.code}", None, VIEW, 200),
        "payment-create": (
            "post",
            f"/orders/{w.pending.code}/payments",
            {"provider": "bank_transfer"},
            PAY,
            201,
        ),
        "order-pdf": ("get", f"/orders/{w.paid.code}/tickets.pdf", None, VIEW, 200),
        "ticket-pdf": ("get", f"/tickets/{w.ticket.pk}.pdf", None, VIEW, 200),
        "ticket-verify": (
            "post",
            "/tickets/verify",
            {"payload": w.payload},
            VERIFY,
            200,
        ),
    }


ENDPOINTS = [
    "basket-create",
    "basket-get",
    "hold-create",
    "hold-delete",
    "order-create",
    "order-get",
    "payment-create",
    "order-pdf",
    "ticket-pdf",
    "ticket-verify",
]
# What house B's key (every scope) gets for house A's objects: never them.
OTHER_HOUSE = {
    "basket-create": 201,  # a basket of its own house
    "ticket-verify": 200,  # answered, but not valid (see below)
}


def _call(client, method, path, body, headers):
    url = f"/api/v1{path}"
    if body is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(url, body, "application/json", **headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "actor",
    ["anonymous", "invalid_key", "staff_session", "other_house", "no_scope", "scoped"],
)
def test_authorisation_matrix(
    client, world, house, other_house, staff_factory, endpoint, actor
):
    method, path, body, scope, allowed = _endpoints(world)[endpoint]
    headers = {}
    if actor == "invalid_key":
        headers = {"HTTP_AUTHORIZATION": "Bearer pk_0000000000_nope"}
    elif actor == "staff_session":
        client.force_login(staff_factory(house, "house_admin"))
    elif actor == "other_house":
        headers = _key(other_house, ALL)
    elif actor == "no_scope":
        headers = _key(house, [s for s in ALL if s != scope])
    elif actor == "scoped":
        headers = _key(house, [scope])

    response = _call(client, method, path, body, headers)

    expected = {
        "anonymous": 401,
        "invalid_key": 401,
        "staff_session": 401,  # the API takes keys, not office sessions
        "other_house": OTHER_HOUSE.get(endpoint, 404),
        "no_scope": 403,
        "scoped": allowed,
    }[actor]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == PROBLEM
        assert response.json()["status"] == expected
    if actor == "other_house" and endpoint == "ticket-verify":
        assert response.json()["valid"] is False
        assert response.json()["reason"] == "other_house"


def test_another_house_key_changes_nothing_of_this_house(client, world, other_house):
    b = _key(other_house, ALL)

    for endpoint in ("hold-delete", "payment-create", "order-create", "hold-create"):
        method, path, body, _scope, _allowed = _endpoints(world)[endpoint]
        assert _call(client, method, path, body, b).status_code == 404

    with scopes_disabled():
        world.hold.refresh_from_db()
        assert world.hold.state == Hold.State.HELD
        assert Hold.objects.filter(basket__token=world.token).count() == 1
        assert not Payment.objects.filter(order=world.pending).exists()
        assert Order.objects.filter(house=world.pending.house).count() == 2


def test_invalid_and_revoked_keys_are_401_problems(client, world, house):
    secret = _secret(house, ALL)
    with scopes_disabled():
        from podium.tenancy.models import ApiKey

        ApiKey.objects.filter(house=house).update(is_active=False)

    for token in (secret, secret[:-1] + "x", "garbage"):
        response = client.get(
            f"/api/v1/orders/{world.paid.code}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.status_code == 401
        assert response["Content-Type"] == PROBLEM
        assert response.json()["code"] == "invalid_api_key"


def test_missing_key_is_a_401_problem_with_a_challenge(client, world):
    response = client.get(f"/api/v1/orders/{world.paid.code}")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


def test_missing_scope_names_the_scope(client, world, house):
    response = client.get(
        f"/api/v1/orders/{world.paid.code}", **_key(house, [SELL, PAY])
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "sales.order.view" in response.json()["detail"]


def test_basket_shows_its_holds_and_countdown(client, world, house):
    body = client.get(f"/api/v1/baskets/{world.token}", **_key(house, ALL)).json()

    assert body["token"] == world.token
    assert body["channel"] == "web"
    assert 0 < body["remaining_seconds"] <= 900
    assert [(h["id"], h["quantity"], h["unit_price"]) for h in body["holds"]] == [
        (world.hold.pk, 1, "20.00")
    ]


def test_sold_out_is_a_409_problem(client, house):
    with scopes_disabled():
        performance, tariff, _quota = on_sale_performance(house, size=1)
    auth = _key(house, ALL)
    token = client.post("/api/v1/baskets", {}, "application/json", **auth).json()[
        "token"
    ]

    response = client.post(
        f"/api/v1/baskets/{token}/holds",
        {"performance": performance.pk, "tariff": tariff.pk, "quantity": 2},
        "application/json",
        **auth,
    )

    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "sold_out"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"quantity": 0}, 400, "invalid_input"),
        ({"tariff": 999999}, 404, "not_found"),
        ({"performance": 999999}, 404, "not_found"),
    ],
)
def test_bad_hold_input(client, world, house, body, status, code):
    data = {"performance": world.performance.pk, "tariff": world.tariff.pk}
    data["quantity"] = 1
    data.update(body)

    response = client.post(
        f"/api/v1/baskets/{world.token}/holds",
        data,
        "application/json",
        **_key(house, ALL),
    )

    assert response.status_code == status
    assert response.json()["code"] == code


def test_idempotency_key_reused_for_another_body_is_a_409(client, world, house):
    auth = {**_key(house, ALL), "HTTP_IDEMPOTENCY_KEY": "k-1"}
    body = {"basket": world.token, "buyer_name": "An", "buyer_email": "an@example.be"}
    first = client.post("/api/v1/orders", body, "application/json", **auth)
    same = client.post("/api/v1/orders", body, "application/json", **auth)
    other = client.post(
        "/api/v1/orders",
        {**body, "buyer_name": "Someone else"},
        "application/json",
        **auth,
    )

    assert (first.status_code, same.status_code, other.status_code) == (201, 200, 409)
    assert same.json()["code"] == first.json()["code"]
    assert other["Content-Type"] == PROBLEM
    assert other.json()["code"] == "idempotency_mismatch"
    with scopes_disabled():
        assert Order.objects.filter(idempotency_key="k-1").count() == 1


def test_order_without_idempotency_key_on_an_ordered_basket_is_refused(
    client, world, house
):
    auth = _key(house, ALL)
    body = {"basket": world.token, "buyer_name": "An", "buyer_email": "an@example.be"}

    assert (
        client.post("/api/v1/orders", body, "application/json", **auth).status_code
        == 201
    )
    again = client.post("/api/v1/orders", body, "application/json", **auth)

    assert again.status_code == 400
    assert again.json()["code"] == "basket_empty"


def test_bad_buyer_is_a_400_naming_the_field(client, world, house):
    response = client.post(
        "/api/v1/orders",
        {"basket": world.token, "buyer_name": "An", "buyer_email": "not-an-address"},
        "application/json",
        **_key(house, ALL),
    )

    assert response.status_code == 400
    assert response.json()["field"] == "buyer_email"


def test_bank_transfer_answers_the_instructions(client, world, house):
    response = client.post(
        f"/api/v1/orders/{world.pending.code}/payments",
        {"provider": "bank_transfer"},
        "application/json",
        **_key(house, ALL),
    )

    body = response.json()
    assert (body["provider"], body["state"], body["order_state"]) == (
        "bank_transfer",
        "pending",
        "pending",
    )
    assert body["checkout_url"] is None
    transfer = body["bank_transfer"]
    assert (transfer["iban"], transfer["amount"]) == (IBAN, "20.00")
    assert transfer["communication"].startswith("+++")
    assert transfer["beneficiary"]


def test_free_order_is_paid_at_once(client, house):
    with scopes_disabled():
        performance, tariff, _quota = on_sale_performance(house, price=Decimal("0"))
        order = buy(house, performance, tariff)

    response = client.post(
        f"/api/v1/orders/{order.code}/payments",
        {"provider": "free"},
        "application/json",
        **_key(house, ALL),
    )

    assert response.status_code == 201
    assert (response.json()["state"], response.json()["order_state"]) == (
        "paid",
        "paid",
    )


def test_paying_a_paid_order_is_a_409(client, world, house):
    response = client.post(
        f"/api/v1/orders/{world.paid.code}/payments",
        {"provider": "bank_transfer"},
        "application/json",
        **_key(house, ALL),
    )

    assert response.status_code == 409
    assert response.json()["code"] == "payment_failed"


def test_cash_needs_a_box_office_basket(client, world, house):
    response = client.post(
        f"/api/v1/orders/{world.pending.code}/payments",
        {"provider": "cash"},
        "application/json",
        **_key(house, ALL),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_box_office_basket_needs_the_office_scope(client, house):
    response = client.post(
        "/api/v1/baskets",
        {"channel": "box_office"},
        "application/json",
        **_key(house, ALL),
    )

    assert response.status_code == 403


def test_box_office_sale_paid_in_cash(client, world, house):
    auth = _key(house, [*ALL, OFFICE])
    basket = client.post(
        "/api/v1/baskets", {"channel": "box_office"}, "application/json", **auth
    ).json()
    client.post(
        f"/api/v1/baskets/{basket['token']}/holds",
        {"performance": world.performance.pk, "tariff": world.tariff.pk, "quantity": 1},
        "application/json",
        **auth,
    )
    order = client.post(
        "/api/v1/orders",
        {
            "basket": basket["token"],
            "buyer_name": "Balie",
            "buyer_email": "b@example.be",
        },
        "application/json",
        **auth,
    ).json()

    paid = client.post(
        f"/api/v1/orders/{order['code']}/payments",
        {"provider": "cash"},
        "application/json",
        **auth,
    ).json()

    assert order["channel"] == "box_office"
    assert (paid["state"], paid["order_state"]) == ("paid", "paid")


def test_pdf_of_an_unpaid_order_is_a_409(client, world, house):
    auth = _key(house, ALL)
    with scopes_disabled():
        ticket = world.pending.tickets.get()

    for path in (
        f"/orders/{world.pending.code}/tickets.pdf",
        f"/tickets/{ticket.pk}.pdf",
    ):
        response = client.get(f"/api/v1{path}", **auth)
        assert response.status_code == 409
        assert response.json()["code"] == "order_not_paid"


def test_order_lists_tickets_and_links(client, world, house):
    body = client.get(f"/api/v1/orders/{world.paid.code}", **_key(house, ALL)).json()

    assert (body["code"], body["state"], body["total"]) == (
        world.paid.code,
        "paid",
        "40.00",
    )
    assert body["tickets_pdf"] == f"/api/v1/orders/{world.paid.code}/tickets.pdf"
    assert [t["pdf"] for t in body["tickets"]][
        0
    ] == f"/api/v1/tickets/{world.ticket.pk}.pdf"
    assert {t["state"] for t in body["tickets"]} == {"valid"}


def test_verify_an_unpaid_ticket(client, world, house):
    with scopes_disabled():
        payload = ticket_payload(world.pending.tickets.get())

    body = client.post(
        "/api/v1/tickets/verify",
        {"payload": payload},
        "application/json",
        **_key(house, ALL),
    ).json()

    assert (body["valid"], body["reason"], body["order"]) == (
        False,
        "unpaid",
        world.pending.code,
    )


def test_openapi_lists_the_sales_endpoints_with_bearer_security(client, house):
    schema = client.get("/api/v1/openapi.json").json()

    assert {
        "/api/v1/baskets",
        "/api/v1/baskets/{token}/holds",
        "/api/v1/orders",
        "/api/v1/orders/{code}/payments",
        "/api/v1/orders/{code}/tickets.pdf",
        "/api/v1/tickets/verify",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"]["scheme"] == "bearer"


def test_an_order_placed_with_a_key_names_the_key_in_the_audit_log(
    client, world, house
):
    with scopes_disabled():
        key, secret = api_key_create(
            house=house, actor=None, name="Kassa 2", scopes=ALL
        )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = {"basket": world.token, "buyer_name": "An", "buyer_email": "an@example.be"}

    code = client.post("/api/v1/orders", body, "application/json", **auth).json()[
        "code"
    ]

    with scopes_disabled():
        order = Order.objects.get(code=code)
        entry = AuditEntry.objects.get(
            action="podium.sales.order.placed", object_id=str(order.pk)
        )
    assert entry.actor_label == f"API key {key.prefix}: Kassa 2"
    with scopes_disabled():
        assert order.transitions.get().actor_label == entry.actor_label


def _best_available(client, auth, token, performance, tariff, quantity):
    return client.post(
        f"/api/v1/baskets/{token}/best-available",
        {"performance": performance.pk, "tariff": tariff.pk, "quantity": quantity},
        "application/json",
        **auth,
    )


def test_best_available_holds_seats_side_by_side(client, house):
    with scopes_disabled():
        performance, tariff = seated_on_sale(house, rows=2, seats=5)
    auth = _key(house, ALL)
    token = client.post("/api/v1/baskets", {}, "application/json", **auth).json()[
        "token"
    ]

    response = _best_available(client, auth, token, performance, tariff, 3)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["together"], body["hold"]["quantity"]) == (True, 3)
    assert body["hold"]["tariff"] == tariff.pk
    with scopes_disabled():
        held = PerformanceSeat.objects.filter(
            performance=performance, state=PerformanceSeat.State.HELD
        )
        assert sorted(held.values_list("pk", flat=True)) == body["seats"]
        assert len({seat.seat.row for seat in held}) == 1


def test_best_available_when_too_few_seats_are_left_is_a_409(client, house):
    with scopes_disabled():
        performance, tariff = seated_on_sale(house, rows=1, seats=3)
    auth = _key(house, ALL)
    token = client.post("/api/v1/baskets", {}, "application/json", **auth).json()[
        "token"
    ]

    response = _best_available(client, auth, token, performance, tariff, 4)

    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "sold_out"
    with scopes_disabled():
        assert not Hold.objects.filter(basket__token=token).exists()
        assert not PerformanceSeat.objects.filter(
            performance=performance, state=PerformanceSeat.State.HELD
        ).exists()


def test_best_available_on_a_general_admission_performance_is_a_400(
    client, world, house
):
    response = _best_available(
        client, _key(house, ALL), world.token, world.performance, world.tariff, 1
    )

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "seating_invalid"
    with scopes_disabled():
        assert Hold.objects.filter(basket__token=world.token).count() == 1
