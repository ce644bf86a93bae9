"""The public agenda: a cluster's (or one house's) coming performances, filtered.

Reads only; the rules of what the public sees are those of `public_performances`.
Prices live in sales: `podium.sales.agenda_prices` applies `AgendaFilters.max_price`.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from podium.core.text import fold
from podium.tenancy.models import Cluster, House, Venue

from .models import Performance, Production, TaxonomyTerm
from .selectors import public_houses, public_performances

_WORD = re.compile(r"\w+")

# The agenda never loads more than this many performances at once (a season of a
# large cluster fits; the list pages them, the calendar shows one month).
AGENDA_MAX = 2000


@dataclass(frozen=True)
class AgendaFilters:
    """What a visitor narrows the agenda down to; empty values filter nothing."""

    date_from: date | None = None
    date_to: date | None = None  # inclusive
    disciplines: tuple[str, ...] = ()  # TaxonomyTerm ids (event types)
    genres: tuple[str, ...] = ()  # TaxonomyTerm ids (themes)
    houses: tuple[str, ...] = ()  # house slugs
    venue: int | None = None
    age: int | None = None  # a child of this age fits the production's age range
    max_price: Decimal | None = None  # applied in sales (performances_up_to_price)
    language: str = ""
    accessible: bool = False  # only wheelchair-accessible venues
    q: str = ""  # free text: every word in the texts (any language) or an artist


@dataclass
class AgendaFacets:
    """The choices that make sense for a filter form: what the agenda holds."""

    houses: list[House] = field(default_factory=list)
    venues: list[Venue] = field(default_factory=list)
    disciplines: list[TaxonomyTerm] = field(default_factory=list)
    genres: list[TaxonomyTerm] = field(default_factory=list)


def _public(houses: Iterable[House] | Cluster, now: datetime | None) -> QuerySet:
    return public_performances(houses=houses, now=now)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def agenda(
    *,
    houses: Iterable[House] | Cluster,
    filters: AgendaFilters,
    now: datetime | None = None,
    limit: int = AGENDA_MAX,
) -> list[Performance]:
    """The public coming performances of `houses` that match `filters`, by start.

    Two queries, three with a free-text search, however many performances match.
    Days are those of the current time zone (the shop's: Europe/Brussels).
    """
    return list(agenda_queryset(houses=houses, filters=filters, now=now)[:limit])


def agenda_queryset(
    *,
    houses: Iterable[House] | Cluster,
    filters: AgendaFilters,
    now: datetime | None = None,
) -> QuerySet[Performance]:
    """`agenda` unevaluated, for a page of it: count and slice in the database."""
    performances = _public(houses, now).filter(_filter_q(filters))
    words = _WORD.findall(fold(filters.q))
    if words:
        performances = performances.filter(_search_q(houses, words))
    return performances


def _filter_q(filters: AgendaFilters) -> Q:
    found = Q()
    if filters.date_from:
        found &= Q(starts_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        found &= Q(starts_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.disciplines:
        found &= Q(production__event_type_id__in=filters.disciplines)
    if filters.genres:
        with_genre = Production.themes.through.objects.filter(
            taxonomyterm_id__in=filters.genres
        ).values("production_id")
        found &= Q(production_id__in=with_genre)
    if filters.houses:
        found &= Q(house__slug__in=filters.houses)
    if filters.venue:
        found &= Q(hall__venue_id=filters.venue)
    if filters.age is not None:
        found &= Q(production__age_min__isnull=True) | Q(
            production__age_min__lte=filters.age
        )
        found &= Q(production__age_max__isnull=True) | Q(
            production__age_max__gte=filters.age
        )
    if filters.language:
        found &= Q(production__language=filters.language)
    if filters.accessible:
        found &= Q(hall__venue__wheelchair_accessible=True)
    return found


def _search_q(houses: Iterable[House] | Cluster, words: list[str]) -> Q:
    """Every word in the production's folded texts or in one of its artists' names.

    Artist names are folded here, in Python, so that the search ignores accents and
    case alike on SQLite and PostgreSQL (one query for the houses' artists).
    """
    credits = Production.artists.through.objects.filter(
        artist__house__in=_house_ids(houses)
    ).values_list("production_id", "artist__name")
    folded = [(production_id, fold(name)) for production_id, name in credits]
    found = Q()
    for word in words:
        by_artist = {pk for pk, name in folded if word in name}
        found &= Q(production__search_text__contains=word) | Q(
            production_id__in=by_artist
        )
    return found


def _house_ids(houses: Iterable[House] | Cluster):
    if isinstance(houses, Cluster):
        return public_houses(cluster=houses).values("pk")
    return [house.pk for house in houses]


def agenda_facets(
    *, houses: Iterable[House] | Cluster, now: datetime | None = None
) -> AgendaFacets:
    """Houses, venues, disciplines and genres that have public coming performances
    (four queries)."""
    coming = _public(houses, now).order_by()
    productions = coming.values("production_id")
    return AgendaFacets(
        houses=list(
            House.objects.filter(pk__in=coming.values("house_id")).order_by("name")
        ),
        venues=list(
            Venue.objects.filter(pk__in=coming.values("hall__venue_id")).order_by(
                "name", "pk"
            )
        ),
        disciplines=_terms(
            TaxonomyTerm.objects.filter(pk__in=coming.values("production__event_type"))
        ),
        genres=_terms(
            TaxonomyTerm.objects.filter(
                pk__in=Production.themes.through.objects.filter(
                    production_id__in=productions
                ).values("taxonomyterm_id")
            )
        ),
    )


def _terms(terms: QuerySet[TaxonomyTerm]) -> list[TaxonomyTerm]:
    return sorted(terms, key=lambda term: fold(str(term)))
