"""Reads the office's sales screens need and `podium.sales.selectors` lacks (yet).

Every function filters by `house` explicitly and raises `NotFound` alike for a
missing and a foreign object. They belong in `podium/sales/selectors.py`; they live
here until the sales app takes them over (the office may not edit that app).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance, Production
from podium.core.errors import NotFound
from podium.sales.models import (
    Hold,
    Order,
    OrderTransition,
    PerformanceCancellation,
    PriceCategory,
    Quota,
    Refund,
    Tariff,
    Ticket,
)
from podium.sales.selectors import Availability, performances_availability
from podium.tenancy.models import House

# The orders a performance cancellation works through (mirrors the sales job).
CANCELLABLE_ORDER_STATES = (
    Order.State.PENDING,
    Order.State.PAID,
    Order.State.PARTIALLY_REFUNDED,
)


def _get(queryset: QuerySet, message, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise NotFound(message)
    return found


# ----------------------------------------------------------------------- prices


def price_categories(*, house: House, production: Production) -> list[PriceCategory]:
    """The production's categories, each with its production-wide tariffs."""
    tariffs = Tariff.objects.filter(house=house, performance__isnull=True)
    return list(
        PriceCategory.objects.filter(house=house, production=production)
        .prefetch_related(Prefetch("tariffs", queryset=tariffs, to_attr="list_tariffs"))
        .order_by("position", "pk")
    )


def performance_tariffs(*, house: House, performance: Performance) -> list[Tariff]:
    """The performance's own tariffs, on sale or not; empty: it uses the production's."""
    return list(
        Tariff.objects.filter(house=house, performance=performance).select_related(
            "category"
        )
    )


def production_tariffs(*, house: House, production: Production) -> list[Tariff]:
    return list(
        Tariff.objects.filter(
            house=house, production=production, performance__isnull=True
        ).select_related("category")
    )


def tariff_get(*, house: House, pk: int) -> Tariff:
    return _get(
        Tariff.objects.filter(house=house).select_related(
            "category", "production", "performance"
        ),
        _("Tariff not found."),
        pk=pk,
    )


# --------------------------------------------------------------------- capacity


def quota_list(*, house: House, performance: Performance) -> list[Quota]:
    return list(
        Quota.objects.filter(house=house, performance=performance).prefetch_related(
            "categories"
        )
    )


def quota_get(*, house: House, pk: int) -> Quota:
    return _get(
        Quota.objects.filter(house=house)
        .select_related("performance", "performance__production")
        .prefetch_related("categories"),
        _("Quota not found."),
        pk=pk,
    )


@dataclass
class SalesSummary:
    """Sold, held and available places of one performance, for the office tables."""

    sold: int
    held: int
    availability: Availability

    @property
    def available(self) -> int:
        return self.availability.available

    @property
    def sold_out(self) -> bool:
        return self.availability.sold_out


def performances_sales_summary(
    *, house: House, performances: list[Performance]
) -> dict[int, SalesSummary]:
    """Per performance: valid tickets, places in live holds and availability.

    Six queries however many performances there are (four of them availability's).
    """
    performances = [p for p in performances if p.house_id == house.pk]
    ids = [p.pk for p in performances]
    sold = dict(
        Ticket.objects.filter(
            house=house, performance__in=ids, state=Ticket.State.VALID
        )
        .values_list("performance")
        .annotate(count=Count("pk"))
        .values_list("performance", "count")
    )
    held: dict[int, int] = defaultdict(int)
    for performance_id, quantity in (
        Hold.objects.filter(
            house=house,
            performance__in=ids,
            state=Hold.State.HELD,
            expires_at__gt=timezone.now(),
        )
        .values_list("performance")
        .annotate(total=Sum("quantity"))
        .values_list("performance", "total")
    ):
        held[performance_id] = quantity
    availability = performances_availability(performances=performances)
    return {pk: SalesSummary(sold.get(pk, 0), held[pk], availability[pk]) for pk in ids}


# ------------------------------------------------------------------------ orders


def order_search(*, house: House, query: str) -> QuerySet[Order]:
    """Orders whose code is `query` or whose buyer's e-mail contains it."""
    query = query.strip()
    orders = Order.objects.filter(house=house)
    if not query:
        return orders.none()
    return (
        orders.filter(Q(code=query.upper()) | Q(buyer_email__icontains=query))
        .annotate(ticket_count=Count("tickets"))
        .order_by("-created_at", "-pk")  # Meta.ordering is dropped when grouping
    )


def order_latest(*, house: House, limit: int = 25) -> list[Order]:
    return list(
        Order.objects.filter(house=house)
        .annotate(ticket_count=Count("tickets"))
        .order_by("-created_at", "-pk")[:limit]
    )


def order_detail(*, house: House, code: str) -> Order:
    """The order with everything its page shows, in a fixed number of queries."""
    tickets = Ticket.objects.filter(house=house).select_related(
        "performance__production", "performance__hall", "tariff", "category"
    )
    return _get(
        Order.objects.filter(house=house)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("tickets", queryset=tickets),
            "fees",
            "payments",
            Prefetch(
                "transitions",
                queryset=OrderTransition.objects.filter(house=house).select_related(
                    "actor"
                ),
            ),
            Prefetch(
                "refunds",
                queryset=Refund.objects.filter(house=house)
                .select_related("created_by")
                .prefetch_related("tickets")
                .order_by("pk"),
            ),
        ),
        _("Order not found."),
        code=(code or "").strip().upper(),
    )


# ------------------------------------------------------- performance cancellation


def performance_orders_affected(*, house: House, performance: Performance) -> int:
    """How many orders cancelling `performance` would cancel or refund."""
    return (
        Order.objects.filter(
            house=house,
            state__in=CANCELLABLE_ORDER_STATES,
            tickets__performance=performance,
            tickets__state=Ticket.State.VALID,
        )
        .distinct()
        .count()
    )


def cancellation_get(*, house: House, pk: int) -> PerformanceCancellation:
    return _get(
        PerformanceCancellation.objects.filter(house=house).select_related(
            "performance__production", "performance__hall"
        ),
        _("Cancellation not found."),
        pk=pk,
    )


def order_valid_tickets(*, house: House, order: Order) -> QuerySet[Ticket]:
    """The order's tickets that can still be refunded."""
    return Ticket.objects.filter(
        house=house, order=order, state=Ticket.State.VALID
    ).select_related("tariff", "performance")


def price_category_choices(*, house: House, production_id: int) -> QuerySet:
    """The categories a tariff or quota of this production may use."""
    return PriceCategory.objects.filter(house=house, production_id=production_id)
