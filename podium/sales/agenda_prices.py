"""What the public agenda shows of sales: price ranges and availability badges.

Reads only, for many performances at once with a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.utils import timezone

from podium.catalog.models import Performance

from .models import Tariff
from .selectors import AvailabilityReason, performances_availability, price_lists

# "Few left": at most this many places, or at most this share of the hall.
FEW_LEFT_PLACES = 10
FEW_LEFT_SHARE = Decimal("0.10")


@dataclass(frozen=True)
class PriceRange:
    low: Decimal
    high: Decimal


def performance_price_ranges(
    *, performances: list[Performance], now: datetime | None = None
) -> dict[int, PriceRange]:
    """Lowest and highest price a visitor pays online, per performance id (one query).

    Performances without such a tariff are left out. Invitations, box-office-only
    tariffs, hidden tariffs (promo code only) and tariffs whose sales window has
    ended do not count. The agenda and the production pages both show these ranges.
    """
    now = now or timezone.now()
    ranges = {}
    for performance_id, tariffs in price_lists(performances=performances).items():
        prices = [
            tariff.price
            for tariff in tariffs
            if not tariff.box_office_only
            and not tariff.requires_code
            and tariff.kind not in (Tariff.Kind.INVITATION, Tariff.Kind.MEMBER)
            and not (tariff.available_until and tariff.available_until <= now)
        ]
        if prices:
            ranges[performance_id] = PriceRange(min(prices), max(prices))
    return ranges


def performances_up_to_price(
    *,
    performances: list[Performance],
    max_price: Decimal,
    ranges: dict[int, PriceRange],
) -> list[Performance]:
    """Those with a ticket at `max_price` or less (the unpriced ones are left out)."""
    return [
        performance
        for performance in performances
        if performance.pk in ranges and ranges[performance.pk].low <= max_price
    ]


class BadgeKind(StrEnum):
    ON_SALE = "on_sale"
    FEW_LEFT = "few_left"
    SOLD_OUT = "sold_out"
    NOT_YET = "not_yet"  # with the day sales start, when it is known
    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    MOVED = "moved"
    CLOSED = "closed"  # online sales ended or not open at all


@dataclass(frozen=True)
class AgendaBadge:
    kind: BadgeKind
    available: int = 0
    sales_start: datetime | None = None


def performance_badges(
    *, performances: list[Performance], now: datetime | None = None
) -> dict[int, AgendaBadge]:
    """The availability badge of each performance (the queries of
    `performances_availability`, however many performances there are)."""
    now = now or timezone.now()
    availability = performances_availability(performances=performances, now=now)
    return {
        performance.pk: _badge(performance, availability[performance.pk], now)
        for performance in performances
    }


def _badge(performance: Performance, availability, now: datetime) -> AgendaBadge:
    status = Performance.Status
    if performance.status == status.CANCELLED:
        return AgendaBadge(BadgeKind.CANCELLED)
    if performance.status == status.POSTPONED:
        return AgendaBadge(BadgeKind.POSTPONED)
    if performance.status == status.MOVED:
        return AgendaBadge(BadgeKind.MOVED)
    if performance.status == status.SOLD_OUT or availability.sold_out:
        return AgendaBadge(BadgeKind.SOLD_OUT)
    starts_later = performance.sales_start and performance.sales_start > now
    if availability.reason == AvailabilityReason.NOT_STARTED or (
        performance.status == status.PLANNED and starts_later
    ):
        return AgendaBadge(BadgeKind.NOT_YET, sales_start=performance.sales_start)
    if performance.status == status.PLANNED:
        return AgendaBadge(BadgeKind.NOT_YET)
    if not availability.on_sale:
        return AgendaBadge(BadgeKind.CLOSED)
    if few_left(availability.available, performance.hall.capacity):
        return AgendaBadge(BadgeKind.FEW_LEFT, available=availability.available)
    return AgendaBadge(BadgeKind.ON_SALE, available=availability.available)


def few_left(available: int, capacity: int) -> bool:
    """The one rule for the "few left" badge, in the agenda and on production pages."""
    return available <= FEW_LEFT_PLACES or available <= capacity * FEW_LEFT_SHARE
