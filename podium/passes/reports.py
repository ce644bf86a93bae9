"""Reads for the ticketing role: the house's subscription types, what they sold, and
how full their performances are (by subscription and by single ticket).

    subscription_type_list     the house's types, each with `sold`, `people` and
                               `revenue` (subscriptions of orders that count)
    subscription_type_get      one type of the house (NotFound alike if foreign)
    subscription_tariff_list   the tariffs of a type
    subscription_performances_choosable   what a type may be made of
    performance_occupancy      per performance: capacity, sold by subscription,
                               sold as single tickets, held, free

"Sold" counts the subscriptions of orders awaiting payment, paid or partly
refunded (as the customer maximum does); tickets count when valid.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.errors import NotFound
from podium.sales.models import Hold, Quota, Ticket
from podium.sales.selectors import performances_availability
from podium.tenancy.models import House

from .models import SubscriptionTariff, SubscriptionType
from .services import COUNTED_ORDER_STATES

ZERO = Decimal("0.00")


def _counted() -> Q:
    return Q(subscriptions__order__state__in=COUNTED_ORDER_STATES)


def subscription_type_list(*, house: House) -> QuerySet[SubscriptionType]:
    """The house's types with `sold` (subscriptions), `people` and `revenue`."""
    return (
        SubscriptionType.objects.filter(house=house)
        .annotate(
            sold=Count("subscriptions", filter=_counted(), distinct=True),
            people=Coalesce(Sum("subscriptions__quantity", filter=_counted()), 0),
            revenue=Coalesce(
                Sum("subscriptions__total", filter=_counted()),
                Value(ZERO),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .order_by("position", "pk")
    )


def subscription_type_get(*, house: House, pk: int) -> SubscriptionType:
    type_ = (
        SubscriptionType.objects.filter(house=house, pk=pk)
        .prefetch_related("performances__production", "steps")
        .first()
    )
    if type_ is None:
        raise NotFound(_("Subscription type not found."))
    return type_


def subscription_type_performances(
    *, house: House, type: SubscriptionType
) -> list[Performance]:
    return list(
        type.performances.filter(house=house)
        .select_related("production", "hall")
        .order_by("starts_at", "pk")
    )


def subscription_tariff_list(
    *, house: House, type: SubscriptionType
) -> QuerySet[SubscriptionTariff]:
    return SubscriptionTariff.objects.filter(house=house, type=type)


def subscription_performances_choosable(
    *, house: House, type: SubscriptionType | None = None
) -> QuerySet[Performance]:
    """What a type may be made of: the house's coming performances, and those
    already in `type`."""
    current = Q(pk__in=type.performances.values("pk")) if type else Q(pk__in=[])
    return (
        Performance.objects.filter(house=house)
        .filter(Q(ends_at__gte=timezone.now()) | current)
        .select_related("production")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class Occupancy:
    """One performance: its places by subscription, single ticket, held and free."""

    performance: Performance
    by_subscription: int
    single: int
    held: int
    free: int
    kept_size: int  # places kept for subscriptions (sold through them or not)
    kept_free: int

    @property
    def capacity(self) -> int:
        return self.by_subscription + self.single + self.held + self.free


def _sold(house, ids) -> dict[int, tuple[int, int]]:
    rows = (
        Ticket.objects.filter(
            house=house, performance__in=ids, state=Ticket.State.VALID
        )
        .values("performance")
        .annotate(
            by_subscription=Count(
                "pk", filter=Q(subscriptions__isnull=False), distinct=True
            ),
            total=Count("pk", distinct=True),
        )
    )
    return {row["performance"]: (row["by_subscription"], row["total"]) for row in rows}


def _held(house, ids, now) -> dict[int, int]:
    rows = (
        Hold.objects.filter(
            house=house,
            performance__in=ids,
            state=Hold.State.HELD,
            expires_at__gt=now,
        )
        .values("performance")
        .annotate(places=Sum("quantity"))
    )
    return {row["performance"]: row["places"] for row in rows}


def _kept(house, ids) -> dict[int, tuple[int, int]]:
    kept: dict[int, tuple[int, int]] = {}
    for quota in Quota.objects.filter(
        house=house, performance__in=ids, for_subscriptions=True
    ):
        size, free = kept.get(quota.performance_id, (0, 0))
        kept[quota.performance_id] = (size + quota.size, free + quota.available)
    return kept


def performance_occupancy(
    *,
    house: House,
    performances: list[Performance] | None = None,
    now: datetime | None = None,
) -> list[Occupancy]:
    """Per performance (default: the house's coming performances that are in a
    subscription type): tickets sold by subscription and singly, places held in
    baskets, and places free (for single tickets plus those kept for
    subscriptions). The capacity is their sum."""
    now = now or timezone.now()
    if performances is None:
        performances = list(
            Performance.objects.filter(
                house=house,
                subscription_types__house=house,
                starts_at__gte=now,
            )
            .select_related("production", "hall")
            .distinct()
            .order_by("starts_at", "pk")
        )
    performances = [p for p in performances if p.house_id == house.pk]
    ids = [p.pk for p in performances]
    sold, held, kept = _sold(house, ids), _held(house, ids, now), _kept(house, ids)
    availability = performances_availability(performances=performances, now=now)
    rows = []
    for performance in performances:
        by_subscription, total = sold.get(performance.pk, (0, 0))
        kept_size, kept_free = kept.get(performance.pk, (0, 0))
        rows.append(
            Occupancy(
                performance=performance,
                by_subscription=by_subscription,
                single=total - by_subscription,
                held=held.get(performance.pk, 0),
                free=availability[performance.pk].available + kept_free,
                kept_size=kept_size,
                kept_free=kept_free,
            )
        )
    return rows
