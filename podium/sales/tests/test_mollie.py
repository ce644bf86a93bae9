"""Our Mollie client and webhook, run against the local Mollie of mollie_server.py."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from podium.core.models import AuditEntry
from podium.sales import hooks
from podium.sales.errors import SalesError, SalesErrorCode
from podium.sales.models import Order, OrderTransition, Payment, SalesSettings
from podium.sales.payments.mollie import MollieClient
from podium.sales.services.orders import order_expire
from podium.sales.services.payments import mollie_webhook_handle, payment_start
from podium.sales.tests.factories import buy, on_sale_performance
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)

WEBHOOK = "/payments/mollie/webhook/"


@pytest.fixture
def mollie_house(house, settings):
    settings.PODIUM_PUBLIC_URL = "https://tickets.example"
    SalesSettings.objects.create(house=house, mollie_api_key=API_KEY)
    return house


@pytest.fixture
def show(house):
    return on_sale_performance(house, price=Decimal("22.50"))


def _order(house, show, **fields):
    performance, tariff, _quota = show
    return buy(house, performance, tariff, quantity=2, **fields)  # 45.00


def _started(house, show, **fields):
    order = _order(house, show, **fields)
    payment = payment_start(
        house=house,
        actor=None,
        order=order,
        provider="mollie",
        return_url=f"https://tickets.example/payments/return/{order.code}/",
    )
    return order, payment


def _state():
    return (
        sorted(Order.objects.values_list("code", "state")),
        sorted(Payment.objects.values_list("pk", "state", "data")),
        OrderTransition.objects.count(),
        AuditEntry.objects.count(),
    )


# ------------------------------------------------------------------------- create


@pytest.mark.parametrize(
    ("locale", "mollie_locale"), [("nl", "nl_BE"), ("fr", "fr_BE"), ("en", "en_US")]
)
def test_start_creates_a_mollie_payment_and_returns_its_checkout(
    mollie_server, mollie_house, show, scoped, locale, mollie_locale
):
    order, payment = _started(scoped, show, locale=locale)

    method, path, body = mollie_server.requests[-1]
    assert (method, path) == ("POST", "/v2/payments")
    assert body == {
        "amount": {"currency": "EUR", "value": "45.00"},
        "description": f"Huis A {order.code}",
        "redirectUrl": f"https://tickets.example/payments/return/{order.code}/",
        "webhookUrl": "https://tickets.example/payments/mollie/webhook/",
        "metadata": {"order_code": order.code, "payment_id": payment.pk},
        "locale": mollie_locale,
    }
    remote = mollie_server.payments[payment.external_id]
    assert payment.external_id.startswith("tr_")
    assert payment.checkout_url == remote["_links"]["checkout"]["href"]
    assert (payment.state, payment.amount) == (Payment.State.PENDING, Decimal("45.00"))
    stored = Payment.objects.get(pk=payment.pk)
    assert (stored.external_id, stored.checkout_url, stored.state) == (
        payment.external_id,
        payment.checkout_url,
        Payment.State.PENDING,
    )
    order.refresh_from_db()
    assert order.state == Order.State.PENDING


def test_the_default_return_url_is_our_return_page(
    mollie_server, mollie_house, show, scoped
):
    order = _order(scoped, show)
    payment_start(house=scoped, actor=None, order=order, provider="mollie")

    assert mollie_server.requests[-1][2]["redirectUrl"] == (
        f"https://tickets.example/payments/return/{order.code}/"
    )


# ------------------------------------------------------------------------ webhook


def test_webhook_paid_marks_the_order_paid(
    mollie_server,
    mollie_house,
    show,
    scoped,
    client,
    django_capture_on_commit_callbacks,
):
    order, payment = _started(scoped, show)
    mollie_server.set_status(payment.external_id, "paid")

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(WEBHOOK, {"id": payment.external_id})

    assert response.status_code == 200
    assert mollie_server.requests[-1][:2] == (
        "GET",
        f"/v2/payments/{payment.external_id}",
    )
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.state == Payment.State.PAID
    assert payment.paid_at is not None
    assert order.state == Order.State.PAID
    assert order.transitions.get(to_state="paid").note == "mollie webhook"
    # The order-paid hooks: the confirmation mail, and passes (vouchers, passes).
    assert len(callbacks) == len(hooks.order_paid_callbacks()) == 2


def test_a_repeated_webhook_changes_nothing(
    mollie_server, mollie_house, show, scoped, client
):
    _order_, payment = _started(scoped, show)
    mollie_server.set_status(payment.external_id, "paid")
    client.post(WEBHOOK, {"id": payment.external_id})
    before = _state()

    response = client.post(WEBHOOK, {"id": payment.external_id})

    assert response.status_code == 200
    assert _state() == before


def test_the_webhook_body_is_not_trusted(
    mollie_server, mollie_house, show, scoped, client
):
    # Someone posts the id of an open payment, hoping we take it as paid.
    order, payment = _started(scoped, show)
    before = _state()

    response = client.post(WEBHOOK, {"id": payment.external_id, "status": "paid"})

    assert response.status_code == 200
    assert _state() == before


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("failed", Payment.State.FAILED),
        ("canceled", Payment.State.CANCELLED),
        ("expired", Payment.State.EXPIRED),
    ],
)
def test_webhook_failed_closes_the_payment_and_the_order_waits(
    mollie_server, mollie_house, show, scoped, client, status, state
):
    order, payment = _started(scoped, show)
    mollie_server.set_status(payment.external_id, status)

    response = client.post(WEBHOOK, {"id": payment.external_id})

    assert response.status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.state == state
    assert order.state == Order.State.PENDING
    assert order.transitions.count() == 1


def test_a_failed_payment_may_be_retried_and_then_paid(
    mollie_server, mollie_house, show, scoped
):
    order, first = _started(scoped, show)
    mollie_server.set_status(first.external_id, "failed")
    mollie_webhook_handle(external_id=first.external_id)

    second = payment_start(house=scoped, actor=None, order=order, provider="mollie")
    mollie_server.set_status(second.external_id, "paid")
    mollie_webhook_handle(external_id=second.external_id)

    order.refresh_from_db()
    assert second.external_id != first.external_id
    assert dict(order.payments.values_list("pk", "state")) == {
        first.pk: Payment.State.FAILED,
        second.pk: Payment.State.PAID,
    }
    assert order.state == Order.State.PAID


def test_webhook_for_an_unknown_id_answers_200_and_does_nothing(
    mollie_server, mollie_house, show, scoped, client
):
    _started(scoped, show)
    before = _state()
    requests = len(mollie_server.requests)

    response = client.post(WEBHOOK, {"id": "tr_unknown123"})

    assert response.status_code == 200
    assert _state() == before
    assert len(mollie_server.requests) == requests  # Mollie was not even asked


@pytest.mark.parametrize("data", [{}, {"id": ""}, {"id": "x" * 101}])
def test_webhook_without_a_usable_id_is_a_bad_request(client, cluster, data):
    assert client.post(WEBHOOK, data).status_code == 400


def test_webhook_refuses_get(client, cluster):
    assert client.get(WEBHOOK, {"id": "tr_x"}).status_code == 405


def test_webhook_answers_503_when_mollie_cannot_be_asked(
    mollie_server, mollie_house, show, scoped, client
):
    _order_, payment = _started(scoped, show)
    mollie_server.set_status(payment.external_id, "paid")
    mollie_server.fail_next = (500, {"status": 500, "title": "Internal Server Error"})
    before = _state()

    response = client.post(WEBHOOK, {"id": payment.external_id})

    assert response.status_code == 503  # so that Mollie tries again later
    assert _state() == before


def test_paid_after_the_order_expired_is_recorded_and_flagged_for_refund(
    mollie_server, mollie_house, show, scoped
):
    order, payment = _started(scoped, show)
    order_expire(order=order)
    mollie_server.set_status(payment.external_id, "paid")

    mollie_webhook_handle(external_id=payment.external_id)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.state == Payment.State.PAID
    assert payment.data["refund_due"] is True
    assert payment.data["order_state"] == "expired"
    assert order.state == Order.State.EXPIRED
    assert (
        AuditEntry.objects.filter(
            action="podium.sales.payment.paid_refund_due", object_id=str(payment.pk)
        ).count()
        == 1
    )


def test_a_paid_amount_that_differs_is_flagged_not_applied(
    mollie_server, mollie_house, show, scoped
):
    order, payment = _started(scoped, show)
    mollie_server.payments[payment.external_id]["amount"]["value"] = "0.45"
    mollie_server.set_status(payment.external_id, "paid")

    mollie_webhook_handle(external_id=payment.external_id)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.state == Payment.State.PENDING
    assert payment.data["needs_attention"] is True
    assert payment.data["paid"] == "0.45"
    assert order.state == Order.State.PENDING


# -------------------------------------------------------------- errors of Mollie


def test_a_wrong_api_key_fails_the_payment_with_a_clear_error(
    mollie_server, mollie_house, show, scoped
):
    SalesSettings.objects.filter(house=scoped).update(mollie_api_key="test_wrong")
    order = _order(scoped, show)

    with pytest.raises(SalesError) as error:
        payment_start(house=scoped, actor=None, order=order, provider="mollie")

    assert error.value.code == SalesErrorCode.PAYMENT_PROVIDER
    assert str(error.value) == (
        "The payment provider refused the request (401): "
        "Missing authentication, or failed to authenticate"
    )
    payment = Payment.objects.get()
    order.refresh_from_db()
    assert (payment.state, payment.external_id) == (Payment.State.FAILED, "")
    assert order.state == Order.State.PENDING


def test_a_validation_problem_names_its_field(mollie_server, settings):
    client = MollieClient(API_KEY)

    with pytest.raises(SalesError) as error:
        client.payment_create(
            amount=Decimal("10.00"), description="Test", redirect_url="not-a-url"
        )

    assert error.value.code == SalesErrorCode.PAYMENT_PROVIDER
    assert error.value.field == "redirectUrl"
    assert error.value.params["title"] == "Unprocessable Entity"
    assert str(error.value) == (
        "The payment provider refused the request (422): The redirect URL is invalid"
    )


def test_the_amount_travels_as_a_string_with_two_decimals(mollie_server):
    created = MollieClient(API_KEY).payment_create(
        amount=Decimal("7"), description="Test", redirect_url="https://x.example/"
    )

    assert mollie_server.requests[-1][2]["amount"] == {
        "currency": "EUR",
        "value": "7.00",
    }
    assert created.amount == Decimal("7.00")
    assert created.status == "open"


def test_an_unknown_payment_is_a_404_problem(mollie_server):
    with pytest.raises(SalesError) as error:
        MollieClient(API_KEY).payment_get("tr_nothere")

    assert str(error.value) == (
        "The payment provider refused the request (404): "
        "No payment exists with token tr_nothere."
    )


def test_a_time_out_is_a_provider_error(mollie_server, settings):
    mollie_server.delay_seconds = 0.5
    settings.MOLLIE_TIMEOUT = 0.1

    with pytest.raises(SalesError) as error:
        MollieClient(API_KEY).payment_get("tr_slow")

    assert error.value.code == SalesErrorCode.PAYMENT_PROVIDER
    assert str(error.value) == (
        "The payment provider did not answer in time. Please try again."
    )


def test_no_connection_is_a_provider_error(settings):
    settings.MOLLIE_API_URL = "http://127.0.0.1:9/v2"  # discard port: nobody listens

    with pytest.raises(SalesError) as error:
        MollieClient(API_KEY).payment_get("tr_any")

    assert (
        str(error.value) == "The payment provider cannot be reached. Please try again."
    )


def test_an_unreadable_answer_is_a_provider_error(mollie_server):
    mollie_server.fail_next = (200, {"unexpected": True})

    with pytest.raises(SalesError) as error:
        MollieClient(API_KEY).payment_get("tr_any")

    assert str(error.value) == "The payment provider sent an answer we cannot read."


def test_a_house_without_a_key_cannot_build_a_client():
    with pytest.raises(SalesError):
        MollieClient("")


# ------------------------------------------------------- over real HTTP, committed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_database_lock_is_held_while_mollie_is_called(
    mollie_server, mollie_house, show, scoped
):
    seen = []

    def look_from_another_connection(method, path, body):
        # Runs in the server's thread, so on a database connection of its own.
        if (method, path) != ("POST", "/v2/payments"):
            return
        try:
            with transaction.atomic():
                payment = (
                    Payment._base_manager.select_for_update(
                        nowait=connection.features.has_select_for_update_nowait
                    )
                    .filter(pk=body["metadata"]["payment_id"])
                    .values_list("state", "order__code")
                    .first()
                )
                order = (
                    Order._base_manager.select_for_update(
                        nowait=connection.features.has_select_for_update_nowait
                    )
                    .filter(code=body["metadata"]["order_code"])
                    .values_list("state", flat=True)
                    .first()
                )
            seen.append((payment, order))
        finally:
            connection.close()

    mollie_server.on_request = look_from_another_connection
    order = _order(scoped, show)

    payment_start(house=scoped, actor=None, order=order, provider="mollie")

    # The payment row was committed (visible to another connection) and neither it
    # nor the order was locked while the request was at Mollie.
    assert seen == [(("created", order.code), "pending")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mollie_calls_our_webhook_over_http(
    mollie_server, mollie_house, show, scoped, live_server, settings
):
    settings.PODIUM_PUBLIC_URL = live_server.url
    order, payment = _started(scoped, show)
    assert mollie_server.payments[payment.external_id]["webhookUrl"] == (
        f"{live_server.url}/payments/mollie/webhook/"
    )
    mollie_server.set_status(payment.external_id, "paid")

    response = mollie_server.send_webhook(payment.external_id)
    again = mollie_server.send_webhook(payment.external_id)

    assert (response.status_code, again.status_code) == (200, 200)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.state == Payment.State.PAID
    assert order.state == Order.State.PAID
    assert order.transitions.filter(to_state="paid").count() == 1


# ------------------------------------------------------------------- return page


def test_the_return_page_shows_paid_even_before_the_webhook(
    mollie_server, mollie_house, show, scoped, client
):
    order, payment = _started(scoped, show)
    mollie_server.set_status(payment.external_id, "paid")

    response = client.get(f"/payments/return/{order.code}/")

    assert response.status_code == 200
    assert 'data-state="paid"' in response.content.decode()
    order.refresh_from_db()
    assert order.state == Order.State.PAID


def test_the_return_page_of_a_waiting_payment(
    mollie_server, mollie_house, show, scoped, client
):
    order, _payment = _started(scoped, show)

    response = client.get(f"/payments/return/{order.code}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="pending"' in content
    assert 'http-equiv="refresh"' in content


def test_the_return_page_of_an_unknown_order_is_404(client, cluster):
    assert client.get("/payments/return/ZZZZZZ/").status_code == 404
