"""Prices of each subscription kind: exact examples and properties (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.core.money import quantize
from podium.passes.models import SubscriptionType
from podium.passes.pricing import PriceRule, quote, quote_prices, spread, step_prices

from .factories import (
    choice_type,
    fixed_type,
    performances_on_sale,
    stepped_type,
    tariff_under_26,
)

CHOICE = SubscriptionType.Kind.CHOICE
FIXED = SubscriptionType.Kind.FIXED
D = Decimal

cents = st.integers(min_value=0, max_value=20_000).map(lambda c: D(c) / 100)
single_prices = st.lists(cents, min_size=1, max_size=12)
percent = st.integers(min_value=0, max_value=10_000).map(lambda c: D(c) / 100)
factors = st.integers(min_value=0, max_value=10_000).map(lambda c: D(c) / 10_000)
steps = st.dictionaries(
    st.integers(min_value=2, max_value=12), cents, max_size=4
).flatmap(lambda rest: cents.map(lambda first: ((1, first), *sorted(rest.items()))))


# ------------------------------------------------------------------ examples


def test_a_free_choice_takes_the_discount_off_each_ticket():
    rule = PriceRule(kind=CHOICE, discount_percent=D("15"))

    found = quote_prices(rule, [D("20.00"), D("18.50"), D("25.00"), D("12.00")])

    assert found.prices == (D("17.00"), D("15.73"), D("21.25"), D("10.20"))
    assert (found.total, found.single_total, found.saving) == (
        D("64.18"),
        D("75.50"),
        D("11.32"),
    )


def test_a_fixed_series_spreads_its_price_in_proportion_to_the_full_prices():
    rule = PriceRule(kind=FIXED, price=D("100.00"))

    found = quote_prices(rule, [D("30.00"), D("30.00"), D("30.00")])

    assert found.prices == (D("33.34"), D("33.33"), D("33.33"))
    assert (found.total, found.saving) == (D("100.00"), D("-10.00"))


def test_a_tariff_with_its_own_price_replaces_the_series_price():
    rule = PriceRule(kind=FIXED, price=D("120.00"), own_price=D("90.00"))

    found = quote_prices(rule, [D("40.00"), D("20.00"), D("40.00")])

    assert found.prices == (D("36.00"), D("18.00"), D("36.00"))
    assert found.saving == D("10.00")


def test_steps_price_each_ticket_from_its_step_on():
    rule = PriceRule(kind=CHOICE, steps=((1, D("18")), (5, D("15")), (8, D("12"))))

    found = quote_prices(rule, [D("20.00")] * 9)

    # 4 × 18 + 3 × 15 + 2 × 12
    assert found.total == D("141.00")
    assert sum(found.prices) == D("141.00")


def test_a_reduced_tariff_factor_applies_to_each_discounted_ticket():
    rule = PriceRule(kind=CHOICE, discount_percent=D("10"), factor=D("0.8"))

    found = quote_prices(rule, [D("20.00"), D("15.00")])

    assert found.prices == (D("14.40"), D("10.80"))


def test_spread_with_only_free_tickets_shares_equally():
    assert spread(D("0.10"), [D("0"), D("0"), D("0")]) == [
        D("0.04"),
        D("0.03"),
        D("0.03"),
    ]


@pytest.mark.django_db
def test_quote_reads_the_full_price_of_each_performance(scoped):
    house = scoped
    rows = performances_on_sale(
        house, 4, prices=[D("20.00"), D("24.00"), D("16.00"), D("30.00")]
    )
    performances = [p for p, _t, _q in rows]
    type_ = choice_type(house, performances, discount="25")
    reduced = tariff_under_26(house, type_, factor=D("0.5"))

    normal = quote(type=type_, tariff=None, performances=performances)
    young = quote(type=type_, tariff=reduced, performances=performances)

    assert normal.prices == (D("15.00"), D("18.00"), D("12.00"), D("22.50"))
    assert (normal.total, normal.single_total, normal.saving) == (
        D("67.50"),
        D("90.00"),
        D("22.50"),
    )
    assert young.prices == (D("7.50"), D("9.00"), D("6.00"), D("11.25"))
    assert normal.price_of(performances[2].pk) == D("12.00")


@pytest.mark.django_db
def test_quote_of_a_fixed_series_and_of_steps(scoped):
    house = scoped
    performances = [p for p, _t, _q in performances_on_sale(house, 4)]
    series = fixed_type(house, performances, price="70.00")
    stepped = stepped_type(house, performances, {1: D("19"), 3: D("17")})

    assert (
        quote(type=series, tariff=None, performances=performances).prices
        == (D("17.50"),) * 4
    )
    assert quote(type=stepped, tariff=None, performances=performances).total == D(
        "72.00"
    )


# ------------------------------------------------------------------ properties


@given(total=cents, weights=st.lists(cents, min_size=1, max_size=15))
def test_spread_adds_up_exactly_in_cents_and_never_goes_negative(total, weights):
    shares = spread(total, weights)

    assert sum(shares) == total
    assert all(share >= 0 and share == share.quantize(D("0.01")) for share in shares)
    assert len(shares) == len(weights)


@given(prices=single_prices, discount=percent, factor=factors)
def test_discounted_choice_adds_up_and_saves_when_the_discount_is_positive(
    prices, discount, factor
):
    found = quote_prices(
        PriceRule(kind=CHOICE, discount_percent=discount, factor=factor), prices
    )

    assert sum(found.prices) == found.total
    assert all(price >= 0 for price in found.prices)
    assert found.saving >= 0
    assert all(
        price <= single for price, single in zip(found.prices, prices, strict=True)
    )
    assert all(price == price.quantize(D("0.01")) for price in found.prices)


@given(prices=single_prices, price=cents, factor=factors)
def test_fixed_series_adds_up_to_its_price_times_the_factor(prices, price, factor):
    found = quote_prices(PriceRule(kind=FIXED, price=price, factor=factor), prices)

    assert sum(found.prices) == found.total
    assert found.total == quantize(price * factor)  # half up, as all money
    assert all(p >= 0 for p in found.prices)


@given(steps_=steps, count=st.integers(min_value=1, max_value=11), base=cents)
def test_steps_total_grows_with_the_count_and_adds_up(steps_, count, base):
    rule = PriceRule(kind=CHOICE, steps=steps_)

    smaller = quote_prices(rule, [base] * count)
    larger = quote_prices(rule, [base] * (count + 1))

    assert larger.total >= smaller.total
    assert sum(smaller.prices) == smaller.total
    assert smaller.total == sum(step_prices(steps_, count))
    assert all(p >= 0 and p == p.quantize(D("0.01")) for p in smaller.prices)
