"""Reads for the subscription pages: the types on sale, the performances a type
offers (with what is left and the single-ticket price), and a customer's
subscriptions with their tickets.

What "on sale" and "left" mean follows the services (`subscription_compose`):
the type's window decides, not a performance's single-ticket sales start, and the
places kept for subscriptions count on top of the ordinary ones. The claim is
always the database's; these numbers only guide the page.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.errors import NotFound
from podium.customers.models import Customer
from podium.sales.models import Hold, Quota, Tariff, Ticket
from podium.sales.selectors import performances_availability
from podium.sales.services import inventory
from podium.tenancy.models import House

from .errors import PassesError
from .models import Subscription, SubscriptionTariff, SubscriptionType
from .pricing import reference_tariffs
from .seats import seated_performances


def _on_sale(now: datetime) -> Q:
    return (
        Q(is_active=True)
        & (Q(sales_from__isnull=True) | Q(sales_from__lte=now))
        & (Q(sales_until__isnull=True) | Q(sales_until__gt=now))
    )


def _active_tariffs() -> Prefetch:
    return Prefetch(
        "tariffs",
        queryset=SubscriptionTariff.objects.filter(is_active=True),
        to_attr="active_tariffs",
    )


def subscription_type_list_on_sale(
    *, houses: Iterable[House], now: datetime | None = None
) -> QuerySet[SubscriptionType]:
    """The types on sale now in `houses` (one house, or a cluster's houses): active
    and within their sales window; each with `active_tariffs`."""
    now = now or timezone.now()
    house_ids = [house.pk for house in houses]
    return (
        SubscriptionType.objects.filter(_on_sale(now), house_id__in=house_ids)
        .select_related("house")
        .prefetch_related(_active_tariffs(), "steps")
        .order_by("house__name", "position", "pk")
    )


def subscription_type_get_on_sale(
    *, house: House, pk: int, now: datetime | None = None
) -> SubscriptionType:
    """One type of `house` on sale now; not found when missing, of another house or
    not on sale (the same answer for each)."""
    found = subscription_type_list_on_sale(houses=[house], now=now).filter(pk=pk)
    type_ = found.first()
    if type_ is None:
        raise NotFound(_("Subscription type not found."))
    return type_


@dataclass(frozen=True)
class OfferedPerformance:
    """A performance of a type as the compose page shows it."""

    performance: Performance
    single_price: Decimal | None  # the full price of a single ticket
    available: int  # places left for a subscription (a guide, not a promise)
    on_sale: bool
    seated: bool

    @property
    def sold_out(self) -> bool:
        return self.on_sale and self.available <= 0

    @property
    def choosable(self) -> bool:
        return self.on_sale and self.available > 0


def _references(performances: list[Performance]) -> dict[int, Tariff]:
    try:
        return reference_tariffs(performances=performances)
    except PassesError:  # one without a full price: look them up one by one
        found = {}
        for performance in performances:
            try:
                found.update(reference_tariffs(performances=[performance]))
            except PassesError:
                pass
        return found


def _kept_left(performance: Performance, tariff: Tariff) -> int:
    """Places left in the quotas kept for subscriptions (as the claim counts them)."""
    kept = inventory.quotas_covering(
        performance=performance, category=tariff.category, for_subscriptions=True
    )
    if not kept:
        return 0
    return min(quota.available for quota in Quota.objects.filter(pk__in=kept))


def subscription_type_performances(
    *, type: SubscriptionType, now: datetime | None = None
) -> list[OfferedPerformance]:
    """The type's performances by date, each with its single price and what is left
    for a subscription."""
    now = now or timezone.now()
    performances = list(
        type.performances.filter(house_id=type.house_id)
        .select_related("production", "hall__venue")
        .order_by("starts_at", "pk")
    )
    references = _references(performances)
    availability = performances_availability(performances=performances, now=now)
    seated = seated_performances(performances=performances) if performances else {}
    offered = []
    for performance in performances:
        tariff = references.get(performance.pk)
        on_sale = (
            tariff is not None
            and performance.status == Performance.Status.ON_SALE
            and now < (performance.sales_end or performance.starts_at)
        )
        left = 0
        if on_sale:
            left = availability[performance.pk].by_category.get(
                tariff.category_id, 0
            ) + _kept_left(performance, tariff)
        offered.append(
            OfferedPerformance(
                performance=performance,
                single_price=tariff.price if tariff else None,
                available=left,
                on_sale=on_sale,
                seated=performance.pk in seated,
            )
        )
    return offered


def subscription_list_for_customer(
    *, customer: Customer, orders: QuerySet | None = None
) -> QuerySet[Subscription]:
    """The customer's ordered subscriptions (newest first): theirs, or carried by
    one of `orders` (say their guest orders); with type, tariff, order and tickets
    (by performance date) prefetched."""
    mine = Q(customer=customer)
    if orders is not None:
        mine |= Q(order__in=orders)
    rows = Subscription.objects.filter(
        mine, order__isnull=False, house__cluster_id=customer.cluster_id
    ).distinct()
    tickets = Ticket.objects.select_related(
        "performance__production", "performance__hall"
    ).order_by("performance__starts_at", "pk")
    return rows.select_related("type", "tariff", "order", "house").prefetch_related(
        Prefetch("tickets", queryset=tickets)
    )


def subscription_get_held(*, house: House, basket, pk: int) -> Subscription:
    """A subscription still held (not ordered) in `basket`, with its holds (each
    with its performance); not found otherwise."""
    holds = Hold.objects.select_related(
        "performance__production", "performance__hall__venue"
    ).order_by("performance__starts_at", "pk")
    subscription = (
        Subscription.objects.filter(
            house_id=house.pk, basket=basket, pk=pk, order__isnull=True
        )
        .select_related("type", "tariff")
        .prefetch_related(Prefetch("holds", queryset=holds))
        .first()
        if basket is not None
        else None
    )
    if subscription is None:
        raise NotFound(_("Subscription not found."))
    return subscription
