"""Reads of sales: availability for the shop and partners, orders for staff."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.errors import NotFound
from podium.tenancy.models import House

from .models import Hold, Order, PriceCategory, Quota


class AvailabilityReason(StrEnum):
    ON_SALE = "on_sale"
    SOLD_OUT = "sold_out"
    NOT_ON_SALE = "not_on_sale"
    NOT_STARTED = "not_started"
    ENDED = "ended"
    CANCELLED = "cancelled"


@dataclass
class Availability:
    """What is left of a performance, for the shop, the office and partners.

    `by_category` maps each price category of the production to the places left in
    it (the minimum over the quotas that cover it); `available` is the total.
    """

    performance_id: int
    on_sale: bool
    reason: str  # an AvailabilityReason
    available: int
    by_category: dict[int, int] = field(default_factory=dict)

    @property
    def sold_out(self) -> bool:
        return self.reason == AvailabilityReason.SOLD_OUT


def _reason(performance: Performance, now: datetime) -> AvailabilityReason:
    if performance.status == Performance.Status.CANCELLED:
        return AvailabilityReason.CANCELLED
    if performance.status != Performance.Status.ON_SALE:
        return AvailabilityReason.NOT_ON_SALE
    if performance.sales_start and now < performance.sales_start:
        return AvailabilityReason.NOT_STARTED
    if now >= (performance.sales_end or performance.starts_at):
        return AvailabilityReason.ENDED
    return AvailabilityReason.ON_SALE


def _expired_holds(performance_ids: list[int], now: datetime) -> Counter:
    """Places still counted in `used` by holds that expired but wait for the sweep."""
    waiting: Counter = Counter()
    for quota_ids, quantity in Hold.objects.filter(
        performance__in=performance_ids, state=Hold.State.HELD, expires_at__lte=now
    ).values_list("quota_ids", "quantity"):
        for quota_id in quota_ids:
            waiting[quota_id] += quantity
    return waiting


def _total(by_category: dict[int, int], covering: dict[int, list], general) -> int:
    """Places left overall: general quotas cap the sum over distinct category groups.

    Categories covered by the same specific quotas share those places, so each group
    counts once. (Partly overlapping groups can still overcount; the claim is exact.)
    """
    cap = min((available for available in general), default=None)
    groups: dict[frozenset, int] = {}
    for category_id, quotas in covering.items():
        specific = frozenset(q for q, is_general in quotas if not is_general)
        if not quotas:
            continue
        if not specific:
            return cap or 0  # only general quotas limit this category
        groups[specific] = by_category[category_id]
    summed = sum(groups.values())
    return summed if cap is None else min(cap, summed)


def performances_availability(
    *, performances: list[Performance], now: datetime | None = None
) -> dict[int, Availability]:
    """Availability of many performances in four queries, however many there are."""
    now = now or timezone.now()
    ids = [p.pk for p in performances]
    quotas_by_performance = defaultdict(list)
    for quota in Quota.objects.filter(performance__in=ids).prefetch_related(
        "categories"
    ):
        quotas_by_performance[quota.performance_id].append(quota)
    categories_by_production = defaultdict(list)
    for category_id, production_id in PriceCategory.objects.filter(
        production__in={p.production_id for p in performances}
    ).values_list("pk", "production_id"):
        categories_by_production[production_id].append(category_id)
    waiting = _expired_holds(ids, now)
    return {
        performance.pk: _availability(
            performance,
            quotas_by_performance[performance.pk],
            categories_by_production[performance.production_id],
            waiting,
            now,
        )
        for performance in performances
    }


def _availability(performance, quotas, category_ids, waiting, now) -> Availability:
    left = {q.pk: max(q.size - max(q.used - waiting[q.pk], 0), 0) for q in quotas}
    scopes = {q.pk: {c.pk for c in q.categories.all()} for q in quotas}
    covering = {
        category_id: [
            (q.pk, not scopes[q.pk])
            for q in quotas
            if not scopes[q.pk] or category_id in scopes[q.pk]
        ]
        for category_id in category_ids
    }
    by_category = {
        category_id: min((left[q] for q, _general in quotas_), default=0)
        for category_id, quotas_ in covering.items()
    }
    general = [left[q.pk] for q in quotas if not scopes[q.pk]]
    available = _total(by_category, covering, general)
    reason = _reason(performance, now)
    if reason == AvailabilityReason.ON_SALE and available == 0:
        sellable = any(covering.values())
        reason = (
            AvailabilityReason.SOLD_OUT if sellable else AvailabilityReason.NOT_ON_SALE
        )
    return Availability(
        performance.pk,
        reason == AvailabilityReason.ON_SALE,
        reason,
        available,
        by_category,
    )


def performance_availability(
    *, performance: Performance, now: datetime | None = None
) -> Availability:
    return performances_availability(performances=[performance], now=now)[
        performance.pk
    ]


def order_list(*, house: House, state: str | None = None) -> QuerySet[Order]:
    """The house's orders, newest first, with tickets and fees prefetched."""
    orders = Order.objects.filter(house_id=house.pk)
    if state:
        orders = orders.filter(state=state)
    return orders.prefetch_related("tickets", "fees")


def order_get(*, house: House, code: str) -> Order:
    """The house's order with this code; NotFound alike for missing and foreign."""
    code = (code or "").strip().upper()
    order = (
        Order.objects.filter(house_id=house.pk, code=code)
        .prefetch_related("tickets", "fees")
        .first()
    )
    if order is None:
        raise NotFound(_("Order not found."))
    return order
