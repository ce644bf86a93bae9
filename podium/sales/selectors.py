"""Reads of sales: availability for the shop and partners, orders for staff."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.errors import NotFound
from podium.tenancy.models import House

from .models import Order, Quota


@dataclass
class Availability:
    performance_id: int
    on_sale: bool
    reason: (
        str  # "on_sale", "sold_out", "not_on_sale", "not_started", "ended", "cancelled"
    )
    available: int
    by_category: dict[int, int] = field(default_factory=dict)

    @property
    def sold_out(self) -> bool:
        return self.reason == "sold_out"


def _reason(performance: Performance, now: datetime) -> str:
    if performance.status == Performance.Status.CANCELLED:
        return "cancelled"
    if performance.status != Performance.Status.ON_SALE:
        return "not_on_sale"
    if performance.sales_start and now < performance.sales_start:
        return "not_started"
    if now >= (performance.sales_end or performance.starts_at):
        return "ended"
    return "on_sale"


def performances_availability(
    *, performances: list[Performance], now: datetime | None = None
) -> dict[int, Availability]:
    """Availability of many performances in two queries (no N+1)."""
    now = now or timezone.now()
    quotas_by_performance = defaultdict(list)
    quotas = Quota.objects.filter(
        performance__in=[p.pk for p in performances]
    ).prefetch_related("categories")
    for quota in quotas:
        quotas_by_performance[quota.performance_id].append(quota)
    result = {}
    for performance in performances:
        quotas = quotas_by_performance[performance.pk]
        categories = {c.pk for q in quotas for c in q.categories.all()}
        by_category = {}
        for category_id in categories:
            covering = [
                q
                for q in quotas
                if not q.categories.all()
                or category_id in {c.pk for c in q.categories.all()}
            ]
            by_category[category_id] = min(q.available for q in covering)
        general = [q for q in quotas if not q.categories.all()]
        available = min((q.available for q in general), default=None)
        if available is None:
            available = sum(by_category.values())
        reason = _reason(performance, now)
        if reason == "on_sale" and (not quotas or available == 0):
            reason = "sold_out" if quotas else "not_on_sale"
        result[performance.pk] = Availability(
            performance.pk, reason == "on_sale", reason, available, by_category
        )
    return result


def performance_availability(
    *, performance: Performance, now: datetime | None = None
) -> Availability:
    return performances_availability(performances=[performance], now=now)[
        performance.pk
    ]


def order_list(*, house: House) -> QuerySet[Order]:
    return Order.objects.filter(house=house).prefetch_related("tickets")


def order_get(*, house: House, code: str) -> Order:
    order = Order.objects.filter(house=house, code=(code or "").strip().upper()).first()
    if order is None:
        raise NotFound(_("Order not found."))
    return order
