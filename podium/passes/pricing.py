"""What a subscription costs, and how its total is spread over its tickets.

`quote_prices` is pure (plain values in, a `Quote` out) and carries every rule:
    fixed series   the type's price (or the tariff's own price), times the tariff's
                   factor, spread over the tickets in proportion to their full price;
    free choice    with `discount_percent`: each ticket its full price less the
                   discount, times the factor, rounded to the cent;
                   with price steps: ticket i (1-based, in the order chosen) costs
                   the price of the last step whose `count` <= i (the first step's
                   price below it); the total, times the factor, is spread like a
                   fixed series.
Spreading works in whole cents (largest remainder), so the tickets always add up
to the total exactly. The saving is the full prices minus the total.

`quote` reads what `quote_prices` needs: each performance's reference tariff (the
full price a visitor would pay for a single ticket) and the type's steps.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.i18n import localize
from podium.core.money import quantize
from podium.sales.models import Tariff
from podium.sales.selectors import price_lists

from .errors import PassesError, PassesErrorCode
from .models import SubscriptionTariff, SubscriptionType

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PriceRule:
    """The price rules of one type and tariff, as plain values."""

    kind: str  # SubscriptionType.Kind
    price: Decimal | None = None  # fixed series: the series' price
    discount_percent: Decimal | None = None  # free choice
    steps: tuple[tuple[int, Decimal], ...] = ()  # free choice: (from count, price)
    factor: Decimal = Decimal(1)  # the tariff's
    own_price: Decimal | None = None  # the tariff's own series price


@dataclass(frozen=True)
class Quote:
    """For one person: `prices[i]` is the price of the i-th chosen performance."""

    total: Decimal
    single_total: Decimal
    prices: tuple[Decimal, ...]
    single_prices: tuple[Decimal, ...]
    performance_ids: tuple[int, ...] = field(default=())

    @property
    def saving(self) -> Decimal:
        return self.single_total - self.total

    def price_of(self, performance_id: int) -> Decimal:
        return self.prices[self.performance_ids.index(performance_id)]


def spread(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` in shares proportional to `weights`, in cents, adding up exactly.

    Each share gets its rounded-down cents; the cents left go one by one to the
    largest remainders (the first on a tie). All weights zero: equal shares.
    """
    if not weights:
        return []
    cents = int(quantize(total) * 100)
    if cents < 0:
        raise ValueError("a total to spread cannot be negative")
    ratios = [Fraction(weight) for weight in weights]
    if sum(ratios) <= 0:
        ratios = [Fraction(1)] * len(weights)
    whole = sum(ratios)
    exact = [cents * ratio / whole for ratio in ratios]
    shares = [int(part) for part in exact]  # floor: every part is >= 0
    left = cents - sum(shares)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_remainder[:left]:
        shares[index] += 1
    return [Decimal(share) / 100 for share in shares]


def step_prices(steps: Sequence[tuple[int, Decimal]], count: int) -> list[Decimal]:
    """The price of tickets 1…count under the steps (sorted or not)."""
    ordered = sorted(steps)
    if not ordered:
        raise ValueError("no price steps")
    prices = []
    for number in range(1, count + 1):
        current = ordered[0][1]
        for from_count, price in ordered:
            if from_count <= number:
                current = price
        prices.append(quantize(current))
    return prices


def quote_prices(rule: PriceRule, single_prices: Sequence[Decimal]) -> Quote:
    """The quote for one person choosing performances at these full prices."""
    singles = tuple(quantize(price) for price in single_prices)
    single_total = sum(singles, ZERO)
    factor = Decimal(rule.factor)
    if rule.kind == SubscriptionType.Kind.CHOICE and not rule.steps:
        keep = (HUNDRED - Decimal(rule.discount_percent or 0)) / HUNDRED
        prices = tuple(quantize(price * keep * factor) for price in singles)
        return Quote(sum(prices, ZERO), single_total, prices, singles)
    if rule.kind == SubscriptionType.Kind.CHOICE:
        total = quantize(sum(step_prices(rule.steps, len(singles)), ZERO) * factor)
    elif rule.own_price is not None:
        total = quantize(rule.own_price)
    else:
        total = quantize(Decimal(rule.price or 0) * factor)
    prices = tuple(spread(total, singles))
    return Quote(total, single_total, prices, singles)


def price_rule(
    *, type: SubscriptionType, tariff: SubscriptionTariff | None
) -> PriceRule:
    return PriceRule(
        kind=type.kind,
        price=type.price,
        discount_percent=type.discount_percent,
        steps=tuple(type.steps.values_list("count", "price")),
        factor=tariff.factor if tariff else Decimal(1),
        own_price=tariff.price if tariff else None,
    )


def reference_tariffs(*, performances: Sequence[Performance]) -> dict[int, Tariff]:
    """The tariff each performance's subscription ticket carries: the first full-price
    tariff of its price list (best category first). Its price is the single-ticket
    price the saving is measured against; its category decides quota and zone."""
    lists = price_lists(performances=list(performances))
    found = {}
    for performance in performances:
        full = [
            t
            for t in lists[performance.pk]
            if t.kind == Tariff.Kind.FULL and not t.requires_code
        ]
        if not full:
            raise PassesError(
                _("%(performance)s has no full-price tariff to sell."),
                code=PassesErrorCode.PERFORMANCE_UNAVAILABLE,
                params={"performance": localize(performance.production.title)},
            )
        found[performance.pk] = full[0]
    return found


def quote(
    *,
    type: SubscriptionType,
    tariff: SubscriptionTariff | None,
    performances: Sequence[Performance],
    references: dict[int, Tariff] | None = None,
) -> Quote:
    """The price of this choice for one person, with the saving on single tickets."""
    references = references or reference_tariffs(performances=performances)
    found = quote_prices(
        price_rule(type=type, tariff=tariff),
        [references[p.pk].price for p in performances],
    )
    return Quote(
        found.total,
        found.single_total,
        found.prices,
        found.single_prices,
        tuple(p.pk for p in performances),
    )
