from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from podium.core.errors import NotFound
from podium.tenancy.models import Cluster, Hall, House

from .models import Performance, Production


def production_list(*, house: House) -> QuerySet[Production]:
    return (
        Production.objects.filter(house=house)
        .select_related("event_type")
        .prefetch_related("themes")
    )


def production_get(*, house: House, pk: int) -> Production:
    """A production of `house`; another house's is 'not found' just like a missing one."""
    production = production_list(house=house).filter(pk=pk).first()
    if production is None:
        raise NotFound("Production not found.")
    return production


def performance_list(*, house: House) -> QuerySet[Performance]:
    return Performance.objects.filter(house=house).select_related(
        "production", "hall", "hall__venue"
    )


def performance_get(*, house: House, pk: int) -> Performance:
    performance = performance_list(house=house).filter(pk=pk).first()
    if performance is None:
        raise NotFound("Performance not found.")
    return performance


def performance_upcoming(
    *, house: House, now: datetime | None = None
) -> QuerySet[Performance]:
    return performance_list(house=house).filter(ends_at__gte=now or timezone.now())


def hall_clashes(
    *, hall: Hall, starts_at: datetime, ends_at: datetime, exclude_pk: int | None = None
) -> list[Performance]:
    """Performances that occupy `hall` at some moment in [starts_at, ends_at)."""
    clashes = (
        Performance.objects.filter(
            house_id=hall.house_id,
            hall=hall,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(status__in=Performance.FREEING_STATUSES)
        .select_related("production")
        .order_by("starts_at")
    )
    if exclude_pk:
        clashes = clashes.exclude(pk=exclude_pk)
    return list(clashes)


def public_performances(
    *, houses: Iterable[House] | Cluster, now: datetime | None = None
) -> QuerySet[Performance]:
    """What the public sees: public, not cancelled-and-gone, still to come."""
    house_filter = (
        Q(house__cluster=houses)
        if isinstance(houses, Cluster)
        else Q(house__in=list(houses))
    )
    return (
        Performance.objects.filter(house_filter, house__is_active=True)
        .filter(
            visibility=Performance.Visibility.PUBLIC, ends_at__gte=now or timezone.now()
        )
        .select_related(
            "production", "production__event_type", "hall", "hall__venue", "house"
        )
        .order_by("starts_at", "pk")
    )
