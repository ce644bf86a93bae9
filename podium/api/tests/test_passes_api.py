"""Friends passes and gift vouchers over the API: a basket bought with a pass opens
member tariffs, a voucher pays (part of) an order, refusals are problems, and a key
of another house reaches none of it."""

import json
from decimal import Decimal

import pytest

from podium.core.models import AuditEntry
from podium.passes.models import GiftVoucher
from podium.passes.order_hooks import order_paid
from podium.passes.tests.factories import membership_active_make, membership_type_make
from podium.passes.vouchers import voucher_buy
from podium.sales.models import Basket, Hold, Order, Payment, SalesSettings
from podium.sales.services.baskets import basket_create
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import TariffFactory, buy, on_sale_performance
from podium.tenancy.permissions import Action

from .test_sales_api import _key

# Test bodies create passes and vouchers and check rows of the house: in its scope.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scoped")]

D = Decimal
PREFIX = "/api/v1"
PROBLEM = "application/problem+json"
IBAN = "BE68539007547034"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def active_pass_number(house) -> str:
    type_ = membership_type_make(house, max_tickets_per_performance=4)
    return membership_active_make(house, type_).number


def active_voucher(house, value="15.00") -> GiftVoucher:
    voucher = voucher_buy(
        house=house,
        actor=None,
        value=value,
        buyer_name="Els Wouters",
        buyer_email="els@example.be",
    )
    order_mark_paid(order=voucher.order)
    order_paid(voucher.order_id)  # the hook runs after commit, which tests skip
    voucher.refresh_from_db()
    assert voucher.state == GiftVoucher.State.ACTIVE
    return voucher


def _post(client, path, body, key):
    return client.post(PREFIX + path, json.dumps(body), "application/json", **key)


@pytest.fixture
def show(house):
    """A performance on sale with a full tariff (€ 20) and a member tariff (€ 15),
    an empty partner basket and a selling key."""
    performance, full, _quota = on_sale_performance(house, size=10)
    member = TariffFactory(category=full.category, kind="member", price=D("15.00"))
    basket = basket_create(house=house, channel="partner")
    return performance, full, member, basket, _key(house, [Action.SALES_SELL])


@pytest.fixture
def pending(house):
    """A pending order of two € 20 tickets (no fees) and a key that pays orders."""
    SalesSettings.objects.update_or_create(
        house=house, defaults={"bank_account_iban": IBAN}
    )
    performance, tariff, _quota = on_sale_performance(house, size=10)
    order = buy(house, performance, tariff, quantity=2)
    assert order.total == D("40.00")
    return order, _key(house, [Action.ORDER_PAY])


# -------------------------------------------------------------- friends passes


def test_a_member_tariff_needs_the_pass_on_the_basket(client, house, show):
    performance, _full, member, basket, key = show
    number = active_pass_number(house)
    hold = {"performance": performance.pk, "tariff": member.pk, "quantity": 2}
    got = client.get(PREFIX + f"/baskets/{basket.token}", **key)
    assert got.json()["member_pass"] == ""

    refused = _post(client, f"/baskets/{basket.token}/holds", hold, key)
    assert refused.status_code == 400
    assert refused["Content-Type"] == PROBLEM
    assert refused.json()["code"] == "tariff_unavailable"

    typed = number.lower().replace("-", " ")
    applied = _post(
        client, f"/baskets/{basket.token}/member-pass", {"number": typed}, key
    )
    assert applied.status_code == 200, applied.content
    assert applied.json()["member_pass"] == number
    held = _post(client, f"/baskets/{basket.token}/holds", hold, key)
    assert held.status_code == 201, held.content
    assert held.json()["unit_price"] == "15.00"
    basket.refresh_from_db()
    assert basket.member_pass == number
    assert AuditEntry.objects.filter(
        house_id=house.pk, action="podium.passes.membership.basket"
    ).exists()


def test_an_unknown_pass_is_a_problem_with_the_message(client, house, show):
    _performance, _full, _member, basket, key = show
    active_pass_number(house)

    response = _post(
        client,
        f"/baskets/{basket.token}/member-pass",
        {"number": "VP-0000-0000"},
        {**key, **ENGLISH},
    )

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["field"] == "member_pass"
    assert body["detail"] == (
        "No valid friends pass has this number. Check it and try again."
    )
    basket.refresh_from_db()
    assert basket.member_pass == ""


def test_clearing_the_pass_gives_back_its_member_tickets(client, house, show):
    performance, full, member, basket, key = show
    number = active_pass_number(house)
    hold = {"performance": performance.pk, "tariff": member.pk, "quantity": 1}
    _post(client, f"/baskets/{basket.token}/member-pass", {"number": number}, key)
    assert _post(client, f"/baskets/{basket.token}/holds", hold, key).status_code == 201
    other = {"performance": performance.pk, "tariff": full.pk, "quantity": 1}
    assert (
        _post(client, f"/baskets/{basket.token}/holds", other, key).status_code == 201
    )

    cleared = client.delete(PREFIX + f"/baskets/{basket.token}/member-pass", **key)

    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["member_pass"] == ""
    # The member ticket went back; the full-price one stays.
    assert [h["tariff"] for h in cleared.json()["holds"]] == [full.pk]
    basket.refresh_from_db()
    assert basket.member_pass == ""
    assert AuditEntry.objects.filter(
        house_id=house.pk, action="podium.passes.membership.basket_cleared"
    ).exists()
    refused = _post(client, f"/baskets/{basket.token}/holds", hold, key)
    assert refused.status_code == 400
    assert refused.json()["code"] == "tariff_unavailable"
    # Clearing a basket without a pass is fine, and changes nothing.
    again = client.delete(PREFIX + f"/baskets/{basket.token}/member-pass", **key)
    assert again.status_code == 200
    assert again.json()["member_pass"] == ""


# --------------------------------------------------------------- gift vouchers


def test_a_voucher_pays_part_and_a_bank_transfer_the_rest(client, house, pending):
    order, key = pending
    voucher = active_voucher(house, "15.00")

    response = _post(
        client, f"/orders/{order.code}/voucher", {"code": voucher.code.lower()}, key
    )

    assert response.status_code == 201, response.content
    assert response.json() == {
        "amount": "15.00",
        "voucher_balance": "0.00",
        "order_state": "pending",
        "amount_due": "25.00",
    }
    rest = _post(
        client, f"/orders/{order.code}/payments", {"provider": "bank_transfer"}, key
    )
    assert rest.status_code == 201, rest.content
    assert rest.json()["amount"] == "25.00"
    assert rest.json()["bank_transfer"]["amount"] == "25.00"
    assert rest.json()["bank_transfer"]["iban"] == IBAN
    order.refresh_from_db()
    assert order.state == Order.State.PENDING
    assert sorted(
        Payment.objects.filter(order=order).values_list("provider", "amount")
    ) == [("bank_transfer", D("25.00")), ("voucher", D("15.00"))]


def test_a_voucher_covering_all_pays_the_order(client, house, pending):
    order, key = pending
    voucher = active_voucher(house, "50.00")

    response = _post(
        client, f"/orders/{order.code}/voucher", {"code": voucher.code}, key
    )

    assert response.status_code == 201, response.content
    assert response.json() == {
        "amount": "40.00",
        "voucher_balance": "10.00",
        "order_state": "paid",
        "amount_due": "0.00",
    }
    order.refresh_from_db()
    assert order.state == Order.State.PAID
    voucher.refresh_from_db()
    assert voucher.balance == D("10.00")
    # Paid: the voucher cannot pay it again.
    again = _post(client, f"/orders/{order.code}/voucher", {"code": voucher.code}, key)
    assert again.status_code == 400
    assert again.json()["field"] == "voucher_code"
    voucher.refresh_from_db()
    assert voucher.balance == D("10.00")


def test_an_unknown_voucher_is_a_problem(client, house, pending):
    order, key = pending
    active_voucher(house)

    response = _post(
        client,
        f"/orders/{order.code}/voucher",
        {"code": "ABCD-EFGH-JKMN"},
        {**key, **ENGLISH},
    )

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["field"] == "voucher_code"
    assert "not known" in response.json()["detail"]
    assert not Payment.objects.filter(order=order).exists()
    order.refresh_from_db()
    assert order.state == Order.State.PENDING


# ------------------------------------------------------------------- isolation


def test_another_house_cannot_touch_the_basket_or_the_order(
    client, house, other_house, show, pending
):
    _performance, _full, _member, basket, _key_a = show
    order, _pay_a = pending
    number = active_pass_number(house)
    voucher = active_voucher(house)
    Basket.objects.filter(pk=basket.pk).update(member_pass=number)
    key_b = _key(other_house, list(Action))

    calls = [
        _post(
            client, f"/baskets/{basket.token}/member-pass", {"number": number}, key_b
        ),
        client.delete(PREFIX + f"/baskets/{basket.token}/member-pass", **key_b),
        _post(client, f"/orders/{order.code}/voucher", {"code": voucher.code}, key_b),
    ]

    assert [r.status_code for r in calls] == [404, 404, 404]
    assert all(r["Content-Type"] == PROBLEM for r in calls)
    basket.refresh_from_db()
    assert basket.member_pass == number
    order.refresh_from_db()
    assert order.state == Order.State.PENDING
    assert not Payment.objects.filter(order=order).exists()
    voucher.refresh_from_db()
    assert voucher.balance == D("15.00")
    assert not Hold.objects.filter(basket=basket).exists()
