"""Promo codes: discounts per scope, hidden tariffs, validity, uses, the office rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from podium.catalog.tests.factories import PerformanceFactory
from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.sales import promo, promo_configuration
from podium.sales.errors import SalesError, SalesErrorCode
from podium.sales.models import Basket, Hold, Order, PromoCode, Quota
from podium.sales.services.baskets import (
    basket_add,
    basket_create,
    basket_remove_hold,
    basket_total,
)
from podium.sales.services.orders import (
    order_cancel,
    order_expire,
    order_mark_paid,
    order_place,
    order_place_once,
)
from podium.sales.services.pricing import price_list_customize
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
    on_sale_performance,
)

D = Decimal


def code_make(house, code="WELKOM", kind="percent", value="10", **fields):
    return promo_configuration.promo_code_create(
        house=house, actor=None, code=code, kind=kind, value=D(value), **fields
    )


def add(house, basket, performance, tariff, quantity=1, channel=None):
    return basket_add(
        house=house,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
        channel=channel,
    )


def apply(house, basket, code):
    return promo.basket_apply_code(house=house, actor=None, basket=basket, code=code)


def place(house, basket, **fields):
    return order_place(
        house=house,
        actor=None,
        basket=basket,
        buyer_name="An Peeters",
        buyer_email="an@example.be",
        **fields,
    )


def prices(basket) -> list[tuple[int, Decimal | None]]:
    return list(
        Hold.objects.filter(basket=basket, state=Hold.State.HELD)
        .order_by("pk")
        .values_list("quantity", "unit_price")
    )


@pytest.fixture
def show(house):
    return on_sale_performance(house, size=50, price=D("20.00"))


# -------------------------------------------------------------------- discounts


@pytest.mark.parametrize(
    ("kind", "value", "price", "expected"),
    [
        ("percent", "10", "20.00", "18.00"),
        ("percent", "33.33", "10.00", "6.67"),  # 6.667 rounds half up to the cent
        ("percent", "12.5", "0.10", "0.09"),  # 0.0875 → 0.09
        ("percent", "100", "20.00", "0.00"),
        ("amount", "5", "20.00", "15.00"),
        ("amount", "25", "20.00", "0.00"),  # never below zero
        ("unlock", "0", "20.00", "20.00"),
    ],
)
def test_discounted_price(kind, value, price, expected):
    assert promo.discounted_price(price=D(price), kind=kind, value=D(value)) == D(
        expected
    )


@given(
    price=st.decimals(min_value=0, max_value=10_000, places=2),
    kind=st.sampled_from(["percent", "amount", "unlock"]),
    value=st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_discounted_price_stays_between_zero_and_the_price_in_cents(
    price, kind, value
):
    reduced = promo.discounted_price(price=price, kind=kind, value=value)

    assert D("0.00") <= reduced <= price
    assert reduced == reduced.quantize(D("0.01"))
    if kind == "amount" and value <= price:
        assert reduced == price - value


def test_a_percent_code_lowers_each_line_and_the_order(scoped, show):
    performance, tariff, _quota = show
    code_make(scoped, "welkom", value="25")
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff, 2)

    found = apply(scoped, basket, " welKOM ")

    assert found.code == "WELKOM"
    assert prices(basket) == [(2, D("15.00"))]
    assert basket_total(house=scoped, basket=basket) == D("30.00")
    order = place(scoped, basket)
    assert order.total == D("30.00")
    assert sorted(order.tickets.values_list("price", flat=True)) == [D("15.00")] * 2
    assert order.promo_code.code == "WELKOM"
    assert PromoCode.objects.get(code="WELKOM").uses == 1


def test_lines_added_after_the_code_are_discounted_and_removing_restores(scoped, show):
    performance, tariff, _quota = show
    code_make(scoped, "MIN5", kind="amount", value="5")
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff, 1)
    apply(scoped, basket, "MIN5")

    add(scoped, basket, performance, tariff, 2)

    assert prices(basket) == [(1, D("15.00")), (2, D("15.00"))]
    promo.basket_remove_code(house=scoped, actor=None, basket=basket)
    assert prices(basket) == [(1, None), (2, None)]
    assert basket_total(house=scoped, basket=basket) == D("60.00")
    order = place(scoped, basket)
    assert order.total == D("60.00") and order.promo_code is None


@pytest.mark.parametrize("scope", ["production", "performance", "tariff"])
def test_a_code_discounts_only_what_is_in_its_scope(scoped, show, scope):
    performance, tariff, _quota = show
    other = PerformanceFactory(house=scoped, production=performance.production)
    QuotaFactory(performance=other, size=10)
    reduced = TariffFactory(category=tariff.category, kind="under_26", price=D("12.00"))
    elsewhere, elsewhere_tariff, _q = on_sale_performance(scoped, size=10)
    targets = {
        "production": {"productions": [performance.production]},
        "performance": {"performances": [performance]},
        "tariff": {"tariffs": [reduced]},
    }[scope]
    code_make(scoped, "HALF", value="50", **targets)
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff)
    add(scoped, basket, performance, reduced)
    add(scoped, basket, other, tariff)
    add(scoped, basket, elsewhere, elsewhere_tariff)

    apply(scoped, basket, "HALF")

    expected = {
        "production": [D("10.00"), D("6.00"), D("10.00"), None],
        "performance": [D("10.00"), D("6.00"), None, None],
        "tariff": [None, D("6.00"), None, None],
    }[scope]
    assert [price for _n, price in prices(basket)] == expected


def test_a_code_is_refused_when_nothing_in_the_basket_is_for_it(scoped, show):
    performance, tariff, _quota = show
    elsewhere, _t, _q = on_sale_performance(scoped, size=10)
    code_make(scoped, "ELDERS", performances=[elsewhere])
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff)

    with pytest.raises(SalesError) as refused:
        apply(scoped, basket, "ELDERS")

    assert refused.value.code == SalesErrorCode.PROMO_CODE_NOT_APPLICABLE
    basket.refresh_from_db()
    assert basket.promo_code_id is None and prices(basket) == [(1, None)]


def test_max_per_order_splits_the_line_that_crosses_it(scoped, show):
    performance, tariff, quota = show
    code_make(scoped, "TWEE", value="50", max_per_order=2)
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff, 3)

    apply(scoped, basket, "TWEE")

    assert prices(basket) == [(2, D("10.00")), (1, None)]
    assert Quota.objects.get(pk=quota.pk).used == 3
    order = place(scoped, basket)
    assert order.total == D("40.00")
    assert Quota.objects.get(pk=quota.pk).used == 3


def test_removing_a_discounted_line_moves_a_capped_discount(scoped, show):
    performance, tariff, _quota = show
    code_make(scoped, "EEN", value="50", max_per_order=1)
    basket = basket_create(house=scoped)
    first = add(scoped, basket, performance, tariff, 1)
    add(scoped, basket, performance, tariff, 1)
    apply(scoped, basket, "EEN")
    assert prices(basket) == [(1, D("10.00")), (1, None)]

    basket_remove_hold(house=scoped, actor=None, hold=Hold.objects.get(pk=first.pk))

    assert prices(basket) == [(1, D("10.00"))]


def test_a_subscription_line_keeps_its_own_price(scoped, show):
    performance, tariff, _quota = show
    code_make(scoped, "ALLES", value="50")
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff)
    Hold.objects.filter(basket=basket).update(unit_price=D("14.00"))

    with pytest.raises(SalesError) as refused:
        apply(scoped, basket, "ALLES")

    assert refused.value.code == SalesErrorCode.PROMO_CODE_NOT_APPLICABLE
    assert prices(basket) == [(1, D("14.00"))]


# ---------------------------------------------------------------- validity, uses


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"is_active": False}, SalesErrorCode.PROMO_CODE_EXPIRED),
        ({"valid_from": "future"}, SalesErrorCode.PROMO_CODE_NOT_YET_VALID),
        ({"valid_until": "past"}, SalesErrorCode.PROMO_CODE_EXPIRED),
        ({"max_uses": 0}, SalesErrorCode.PROMO_CODE_USED_UP),
    ],
)
def test_a_code_outside_its_validity_is_refused(scoped, show, fields, code):
    performance, tariff, _quota = show
    now = timezone.now()
    moments = {"future": now + timedelta(days=1), "past": now - timedelta(days=1)}
    code_make(scoped, "OUD", **{k: moments.get(v, v) for k, v in fields.items()})
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff)

    with pytest.raises(SalesError) as refused:
        apply(scoped, basket, "OUD")

    assert refused.value.code == code
    assert str(refused.value)
    assert prices(basket) == [(1, None)]


def test_an_unknown_code_and_another_house_code_are_alike(scoped, show, other_house):
    performance, tariff, _quota = show
    PromoCode.objects.create(house=other_house, code="ANDER", value=D("50"))
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff)

    for code in ("NIETS", "ANDER"):
        with pytest.raises(SalesError) as refused:
            apply(scoped, basket, code)
        assert refused.value.code == SalesErrorCode.PROMO_CODE_UNKNOWN


def test_a_code_deactivated_after_applying_refuses_the_order(scoped, show):
    performance, tariff, quota = show
    found = code_make(scoped, "STOP")
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff)
    apply(scoped, basket, "STOP")
    promo_configuration.promo_code_deactivate(house=scoped, actor=None, promo=found)

    with pytest.raises(SalesError) as refused:
        place(scoped, basket)

    assert refused.value.code == SalesErrorCode.PROMO_CODE_EXPIRED
    assert Order.objects.count() == 0
    assert Hold.objects.get(basket=basket).state == Hold.State.HELD
    assert PromoCode.objects.get(pk=found.pk).uses == 0


def test_a_used_up_code_refuses_the_order_and_changes_nothing(scoped, show):
    performance, tariff, quota = show
    found = code_make(scoped, "EENMALIG", max_uses=1)
    first, second = basket_create(house=scoped), basket_create(house=scoped)
    for basket in (first, second):
        add(scoped, basket, performance, tariff)
        apply(scoped, basket, "EENMALIG")
    place(scoped, first)

    with pytest.raises(SalesError) as refused:
        place(scoped, second)

    assert refused.value.code == SalesErrorCode.PROMO_CODE_USED_UP
    assert refused.value.conflict
    assert Order.objects.count() == 1
    assert PromoCode.objects.get(pk=found.pk).uses == 1
    assert Hold.objects.get(basket=second).state == Hold.State.HELD
    assert Quota.objects.get(pk=quota.pk).used == 2


def test_an_idempotent_retry_counts_the_code_once(scoped, show):
    performance, tariff, _quota = show
    found = code_make(scoped, "RETRY", max_uses=5)
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff)
    apply(scoped, basket, "RETRY")
    fields = {
        "house": scoped,
        "actor": None,
        "basket": basket,
        "buyer_name": "An",
        "buyer_email": "an@example.be",
        "idempotency_key": "k-1",
        "fingerprint": "f",
    }

    first, created = order_place_once(**fields)
    again, created_again = order_place_once(**fields)

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert PromoCode.objects.get(pk=found.pk).uses == 1


@pytest.mark.parametrize(
    ("end", "uses_after"),
    [("expire", 0), ("cancel_pending", 0), ("cancel_paid", 1)],
)
def test_an_unpaid_order_gives_its_use_back(scoped, show, end, uses_after):
    performance, tariff, _quota = show
    found = code_make(scoped, "TERUG", max_uses=1)
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff)
    apply(scoped, basket, "TERUG")
    order = place(scoped, basket)
    assert PromoCode.objects.get(pk=found.pk).uses == 1

    if end == "expire":
        order_expire(order=order)
    elif end == "cancel_pending":
        order_cancel(house=scoped, actor=None, order=order)
    else:
        order_cancel(house=scoped, actor=None, order=order_mark_paid(order=order))

    assert PromoCode.objects.get(pk=found.pk).uses == uses_after


# --------------------------------------------------------------- hidden tariffs


@pytest.fixture
def hidden(scoped, show):
    performance, tariff, _quota = show
    return TariffFactory(
        category=tariff.category, kind="student", price=D("8.00"), requires_code=True
    )


def test_a_hidden_tariff_is_not_sold_online_without_its_code(scoped, show, hidden):
    performance, _tariff, quota = show
    basket = basket_create(house=scoped)

    with pytest.raises(SalesError) as refused:
        add(scoped, basket, performance, hidden)

    assert refused.value.code == SalesErrorCode.TARIFF_UNAVAILABLE
    assert Quota.objects.get(pk=quota.pk).used == 0


def test_an_unlock_code_sells_the_hidden_tariff(scoped, show, hidden):
    performance, _tariff, _quota = show
    code_make(scoped, "VRIENDEN", kind="unlock", value="0", tariffs=[hidden])
    basket = basket_create(house=scoped)
    apply(scoped, basket, "vrienden")

    add(scoped, basket, performance, hidden, 2)
    order = place(scoped, basket)

    assert order.total == D("16.00")
    assert order.promo_code.code == "VRIENDEN"
    assert PromoCode.objects.get(code="VRIENDEN").uses == 1


def test_an_unlock_code_for_another_performance_does_not_unlock(scoped, show, hidden):
    performance, _tariff, _quota = show
    other = PerformanceFactory(house=scoped, production=performance.production)
    code_make(scoped, "ANDERE", kind="unlock", value="0", performances=[other])
    basket = basket_create(house=scoped)
    apply(scoped, basket, "ANDERE")

    with pytest.raises(SalesError) as refused:
        add(scoped, basket, performance, hidden)

    assert refused.value.code == SalesErrorCode.TARIFF_UNAVAILABLE


def test_removing_an_unlock_code_lets_its_lines_go(scoped, show, hidden):
    performance, tariff, quota = show
    code_make(scoped, "VRIENDEN", kind="unlock", value="0")
    basket = basket_create(house=scoped)
    apply(scoped, basket, "VRIENDEN")
    add(scoped, basket, performance, hidden, 2)
    add(scoped, basket, performance, tariff, 1)

    let_go = promo.basket_remove_code(house=scoped, actor=None, basket=basket)

    assert let_go == 1
    assert prices(basket) == [(1, None)]
    assert Quota.objects.get(pk=quota.pk).used == 1


def test_the_desk_sells_a_hidden_tariff_without_a_code(scoped, show, hidden):
    performance, _tariff, _quota = show
    basket = basket_create(house=scoped, channel="box_office")

    add(scoped, basket, performance, hidden, 1)
    order = place(scoped, basket, channel=Order.Channel.BOX_OFFICE)

    assert order.total == D("8.00") and order.promo_code is None


def test_a_customised_price_list_keeps_hiding(scoped, show, hidden):
    performance, _tariff, _quota = show
    own = price_list_customize(house=scoped, actor=None, performance=performance)

    assert [t.requires_code for t in own if t.kind == "student"] == [True]


# ----------------------------------------------------------------- the office


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "ab"}, "code"),
        ({"code": "WEL KOM!"}, "code"),
        ({"code": "ÉTÉ-2026"}, "code"),
        ({"code": "X" * 41}, "code"),
        ({"value": D("100.01")}, "value"),
        ({"kind": "amount", "value": D("-1")}, "value"),
        (
            {
                "valid_from": timezone.now(),
                "valid_until": timezone.now() - timedelta(days=1),
            },
            "valid_until",
        ),
    ],
)
def test_bad_input_is_refused_with_its_field(scoped, fields, field):
    data = {"code": "GOED", "kind": "percent", "value": D("10"), **fields}

    with pytest.raises(SalesError) as refused:
        promo_configuration.promo_code_create(house=scoped, actor=None, **data)

    assert refused.value.field == field
    assert str(refused.value)
    assert PromoCode.objects.count() == 0


def test_codes_are_unique_per_house_whatever_the_case(scoped, other_house):
    code_make(scoped, "ZOMER")
    PromoCode.objects.create(house=other_house, code="LENTE")

    with pytest.raises(SalesError) as refused:
        code_make(scoped, "zomer")

    assert refused.value.field == "code"
    assert code_make(scoped, "lente").code == "LENTE"  # another house's is no clash


def test_max_uses_cannot_drop_below_the_uses(scoped, show):
    performance, tariff, _quota = show
    found = code_make(scoped, "TELLER")
    for _n in range(2):
        basket = basket_create(house=scoped)
        add(scoped, basket, performance, tariff)
        apply(scoped, basket, "TELLER")
        place(scoped, basket)

    with pytest.raises(SalesError) as refused:
        promo_configuration.promo_code_update(
            house=scoped, actor=None, promo=found, max_uses=1
        )

    assert refused.value.field == "max_uses"
    assert PromoCode.objects.get(pk=found.pk).max_uses is None


def test_scope_of_another_house_is_refused(scoped, other_house):
    foreign, _t, _q = on_sale_performance(other_house, size=5)

    with pytest.raises(SalesError) as refused:
        code_make(scoped, "VREEMD", performances=[foreign])

    assert refused.value.field == "performances"
    assert PromoCode.objects.filter(house=scoped).count() == 0


def test_another_house_cannot_change_or_see_a_code(scoped, other_house):
    found = code_make(scoped, "EIGEN")

    with pytest.raises(NotFound):
        promo_configuration.promo_code_update(
            house=other_house, actor=None, promo=found, is_active=False
        )
    with pytest.raises(NotFound):
        promo_configuration.promo_code_get(house=other_house, pk=found.pk)
    assert PromoCode.objects.get(pk=found.pk).is_active


def test_the_list_shows_uses_and_revenue_and_the_log_has_it_all(scoped, show):
    performance, tariff, _quota = show
    found = code_make(scoped, "OMZET", value="50")
    for paid in (True, False):
        basket = basket_create(house=scoped)
        add(scoped, basket, performance, tariff, 2)
        apply(scoped, basket, "OMZET")
        order = place(scoped, basket)
        if paid:
            order_mark_paid(order=order)
    promo_configuration.promo_code_update(
        house=scoped, actor=None, promo=found, value=D("40")
    )

    row = promo_configuration.promo_code_list(house=scoped).get(pk=found.pk)

    assert (row.uses, row.paid_orders, row.revenue) == (2, 1, D("20.00"))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "podium.sales.promo_code.created",
        "podium.sales.promo_code.changed",
        "podium.sales.promo_code.applied",
        "podium.sales.promo_code.used",
    } <= actions
    assert Basket.objects.filter(promo_code=found).count() == 2


def test_a_production_price_list_tariff_in_a_category_scope(scoped, show):
    """A code for one tariff of a production's list reaches every performance."""
    performance, tariff, _quota = show
    second = PerformanceFactory(house=scoped, production=performance.production)
    QuotaFactory(performance=second, size=5)
    PriceCategoryFactory(house=scoped, production=performance.production)
    code_make(scoped, "TARIEF", kind="amount", value="2", tariffs=[tariff])
    basket = basket_create(house=scoped)
    add(scoped, basket, performance, tariff)
    add(scoped, basket, second, tariff)

    apply(scoped, basket, "TARIEF")

    assert prices(basket) == [(1, D("18.00")), (1, D("18.00"))]
