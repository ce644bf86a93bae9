from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.core.errors import NotFound
from podium.tenancy.models import Cluster, Hall, House

from .models import Artist, Performance, Production


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
        raise NotFound(_("Production not found."))
    return production


def performance_list(*, house: House) -> QuerySet[Performance]:
    return Performance.objects.filter(house=house).select_related(
        "production", "hall", "hall__venue"
    )


def performance_get(*, house: House, pk: int) -> Performance:
    performance = performance_list(house=house).filter(pk=pk).first()
    if performance is None:
        raise NotFound(_("Performance not found."))
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


def production_overview(
    *, house: House, now: datetime | None = None
) -> QuerySet[Production]:
    """The house's productions, each with `upcoming_count`: performances still to come."""
    return production_list(house=house).annotate(
        upcoming_count=Count(
            "performances",
            filter=Q(performances__ends_at__gte=now or timezone.now()),
            distinct=True,
        )
    )


def production_performances(
    *, house: House, production: Production
) -> QuerySet[Performance]:
    """Every performance of one production, past and coming, in date order."""
    return performance_list(house=house).filter(production=production)


def artist_list(*, house: House) -> QuerySet[Artist]:
    return Artist.objects.filter(house=house)


# --- Public reads for the shop and the API (a cluster's visitors, no login) ---


def public_houses(*, cluster: Cluster) -> QuerySet[House]:
    """The active houses of a cluster, as its visitors see them."""
    return House.objects.filter(cluster=cluster, is_active=True).order_by("name")


def public_house_get(*, cluster: Cluster, slug: str) -> House:
    house = public_houses(cluster=cluster).filter(slug=slug).first()
    if house is None:
        raise NotFound(_("House not found."))
    return house


def public_productions(
    *, cluster: Cluster, house: House | None = None, now: datetime | None = None
) -> QuerySet[Production]:
    """Productions with at least one public performance to come, soonest first."""
    performances = public_performances(
        houses=cluster if house is None else [house], now=now
    )
    next_start = performances.filter(production=OuterRef("pk")).values("starts_at")
    return (
        Production.objects.filter(pk__in=performances.values("production"))
        .annotate(next_starts_at=Subquery(next_start[:1]))
        .select_related("house", "event_type")
        .prefetch_related("themes", "artists")
        .order_by("next_starts_at", "pk")
    )


def performance_search(
    *, house: House, query: str, now: datetime | None = None, limit: int = 20
) -> list[Performance]:
    """Coming performances of the house whose title contains `query` (in any
    language, any case) or that play on the date it names ("12/3", "12/03/2027",
    "2027-03-12"); without a query, those of the coming week."""
    now = now or timezone.now()
    coming = performance_list(house=house).filter(ends_at__gte=now)
    query = query.strip()
    day = _day_in(query, timezone.localdate(now))
    if not query:
        found = coming.filter(starts_at__lt=now + timedelta(days=7))
    elif day is not None:
        found = coming.filter(starts_at__date=day)
    else:
        found = coming.filter(
            Q(production__title__nl__icontains=query)
            | Q(production__title__fr__icontains=query)
            | Q(production__title__en__icontains=query)
        )
    return list(found.order_by("starts_at")[:limit])


def _day_in(text: str, today: date) -> date | None:
    """The date in "12/3", "12/3/2027", "12-03-2027" or "2027-03-12", else None."""
    parts = text.replace("-", "/").replace(".", "/").split("/")
    if not 2 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
        return None
    numbers = [int(part) for part in parts]
    if len(parts[0]) == 4:  # 2027/03/12
        numbers = [numbers[2], numbers[1], numbers[0]] if len(numbers) == 3 else []
    if not numbers:
        return None
    day, month = numbers[0], numbers[1]
    year = numbers[2] if len(numbers) == 3 else today.year
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if len(numbers) == 2 and found < today:
        found = found.replace(year=year + 1)  # "12/3" in December: next March
    return found
