"""Property tests (hypothesis) for money and pricing: rounding, VAT splits, service
fees, order totals, refunds and the exchange difference."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.core.money import CENT, quantize
from podium.sales.errors import SalesError, SalesErrorCode
from podium.sales.models import Refund, SalesSettings
from podium.sales.services.exchange import ExchangeQuote
from podium.sales.services.orders import order_mark_paid
from podium.sales.services.pricing import order_fees, split_vat
from podium.sales.services.refunds import order_refund
from podium.sales.tests.factories import buy, on_sale_performance
from podium.tenancy.scoping import house_scope

VAT_RATES = [Decimal("0"), Decimal("6"), Decimal("12"), Decimal("21")]
REFUSALS = {
    SalesErrorCode.REFUND_TOO_LARGE,
    SalesErrorCode.ILLEGAL_TRANSITION,
    SalesErrorCode.TICKET_INVALID,
    SalesErrorCode.INVALID,
}
DB_EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def euros(min_value="0.00", max_value="10000.00"):
    """Amounts in cents, as staff type them."""
    return st.decimals(
        min_value=Decimal(min_value), max_value=Decimal(max_value), places=2
    )


# ---------------------------------------------------------------- core.money


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=6))
def test_quantize_gives_cents_within_half_a_cent(amount):
    rounded = quantize(amount)

    assert rounded.as_tuple().exponent == -2
    assert abs(rounded - amount) <= Decimal("0.005")
    assert quantize(rounded) == rounded


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_quantize_rounds_half_cents_away_from_zero(cents):
    half = Decimal(cents) / 100 + (
        Decimal("0.005") if cents >= 0 else -Decimal("0.005")
    )

    expected = Decimal(cents) / 100 + (CENT if cents >= 0 else -CENT)
    assert quantize(half) == expected


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_quantize_refuses_floats(amount):
    with pytest.raises(TypeError):
        quantize(amount)


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_quantize_takes_whole_euros_and_strings(amount):
    assert quantize(amount) == quantize(str(amount)) == Decimal(amount)


# ------------------------------------------------------------------ VAT split


@given(gross=euros(), rate=st.sampled_from(VAT_RATES))
def test_split_vat_adds_up_to_the_gross_in_cents(gross, rate):
    net, vat = split_vat(gross, rate)

    assert net + vat == gross
    assert net.as_tuple().exponent == -2 and vat.as_tuple().exponent == -2
    assert Decimal(0) <= vat <= gross
    # the net is the gross without VAT, to the nearest cent
    assert abs(net * (1 + rate / 100) - gross) <= Decimal("0.01") * (1 + rate / 100)


@given(gross=euros())
def test_no_vat_at_zero_percent(gross):
    assert split_vat(gross, "0") == (gross, Decimal("0.00"))


@given(gross=euros(), rate=st.sampled_from(VAT_RATES))
def test_split_vat_takes_the_rate_as_text_too(gross, rate):
    assert split_vat(gross, str(rate)) == split_vat(gross, rate)


# --------------------------------------------------------------- service fees


@given(
    per_ticket=euros(max_value="5.00"),
    per_order=euros(max_value="10.00"),
    rate=st.sampled_from(VAT_RATES),
    prices=st.lists(euros(max_value="200.00"), max_size=12),
)
def test_order_fees_count_paid_tickets_and_split_their_vat(
    per_ticket, per_order, rate, prices
):
    row = SalesSettings(
        fee_per_ticket=per_ticket, fee_per_order=per_order, fee_vat_rate=rate
    )

    fees = order_fees(settings=row, ticket_prices=prices)

    paid = sum(1 for price in prices if price > 0)
    expected = {}
    if paid:
        expected = {
            kind: amount
            for kind, amount in (
                ("per_ticket", per_ticket * paid),
                ("per_order", per_order),
            )
            if amount > 0
        }
    assert {str(fee.kind): fee.amount for fee in fees} == expected
    for fee in fees:
        assert fee.net + fee.vat == fee.amount
        assert fee.vat_rate == rate
        assert (fee.net, fee.vat) == split_vat(fee.amount, rate)


# ----------------------------------------------- order totals and refunds (db)


@pytest.mark.django_db
@DB_EXAMPLES
@given(
    price=euros(max_value="250.00"),
    quantity=st.integers(min_value=1, max_value=6),
    per_ticket=euros(max_value="3.00"),
    per_order=euros(max_value="5.00"),
)
def test_an_order_totals_its_tickets_and_fees(
    house, price, quantity, per_ticket, per_order
):
    with house_scope(house):
        SalesSettings.objects.update_or_create(
            house=house,
            defaults={"fee_per_ticket": per_ticket, "fee_per_order": per_order},
        )
        performance, tariff, _quota = on_sale_performance(house, size=10, price=price)

        order = buy(house, performance, tariff, quantity=quantity)

        tickets = list(order.tickets.all())
        fees = list(order.fees.all())
        assert [ticket.price for ticket in tickets] == [price] * quantity
        assert order.total == sum(t.price for t in tickets) + sum(
            (fee.amount for fee in fees), Decimal("0.00")
        )
        for ticket in tickets:
            assert ticket.net_amount + ticket.vat_amount == ticket.price
        for fee in fees:
            assert fee.net_amount + fee.vat_amount == fee.amount


@pytest.mark.django_db
@DB_EXAMPLES
@given(
    price=euros(min_value="1.00", max_value="100.00"),
    picks=st.lists(
        st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=4),
        min_size=1,
        max_size=5,
    ),
)
def test_refunds_never_exceed_what_was_paid(house, price, picks):
    with house_scope(house):
        SalesSettings.objects.update_or_create(
            house=house,
            defaults={"fee_per_ticket": Decimal("1.00"), "fee_per_order": Decimal(2)},
        )
        performance, tariff, _quota = on_sale_performance(house, size=10, price=price)
        order = order_mark_paid(order=buy(house, performance, tariff, quantity=4))
        tickets = list(order.tickets.order_by("pk"))

        for pick in picks:
            chosen = [tickets[i] for i in sorted(set(pick))]
            try:
                order_refund(house=house, actor=None, order=order, tickets=chosen)
            except SalesError as error:  # refused, e.g. a ticket refunded already
                assert error.code in REFUSALS, error.code
            order.refresh_from_db()

        refunded = sum(
            (r.amount for r in Refund.objects.filter(order=order)), Decimal(0)
        )
        assert refunded <= order.total
        if order.state == "refunded":
            assert refunded == order.total


# ------------------------------------------------------------------- exchange


@given(old=st.lists(euros(max_value="200.00")), new=st.lists(euros(max_value="200.00")))
def test_the_exchange_difference_is_new_minus_old(old, new):
    quote = ExchangeQuote(
        lines=[], old_total=sum(old, Decimal("0.00")), new_total=sum(new, Decimal(0))
    )

    assert quote.difference == sum(new, Decimal(0)) - sum(old, Decimal(0))
    assert quote.old_total + quote.difference == quote.new_total
    assert quote.difference.as_tuple().exponent >= -2
    assert quote.complete  # no line waits for a tariff


@given(st.lists(st.booleans(), min_size=1, max_size=6))
def test_an_exchange_quote_is_complete_only_when_every_line_has_a_tariff(chosen):
    lines = [(object(), object() if has else None) for has in chosen]

    quote = ExchangeQuote(lines=lines, old_total=Decimal(0), new_total=Decimal(0))

    assert quote.complete == all(chosen)
