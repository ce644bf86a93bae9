"""Where else a visitor can go when a performance is sold out or their tickets were lost.

A read model for the shop: other coming dates of the same production that are still
on sale, and similar productions (same discipline or a shared genre) of the other
houses of the cluster, each by its next performance on sale. Pure reads, in a fixed
number of queries however many performances there are.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from podium.catalog.models import Performance
from podium.catalog.selectors import public_performances
from podium.tenancy.models import Cluster, House

from .selectors import Availability, performances_availability

# How many candidates per list are weighed before keeping `limit` on sale: enough
# to skip sold-out dates, bounded so that the availability reads stay small.
CANDIDATES_PER_PLACE = 4


@dataclass(frozen=True)
class Alternative:
    performance: Performance
    availability: Availability


@dataclass
class Alternatives:
    other_dates: list[Alternative] = field(default_factory=list)
    similar: list[Alternative] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.other_dates or self.similar)


def alternatives_for(
    *,
    performance: Performance,
    houses: Iterable[House] | Cluster,
    limit: int = 4,
    now: datetime | None = None,
) -> Alternatives:
    """Up to `limit` other dates of `performance`'s production and up to `limit`
    similar productions of other houses among `houses`, all on sale, soonest first."""
    now = now or timezone.now()
    window = limit * CANDIDATES_PER_PLACE
    on_sale = public_performances(houses=houses, now=now).filter(
        status=Performance.Status.ON_SALE, starts_at__gt=now
    )
    dates = list(
        on_sale.filter(production_id=performance.production_id).exclude(
            pk=performance.pk
        )[:window]
    )
    theme_ids = list(performance.production.themes.values_list("pk", flat=True))
    alike = Q(production__event_type_id=performance.production.event_type_id)
    if theme_ids:
        alike |= Q(production__themes__in=theme_ids)
    similar = list(
        on_sale.filter(alike)
        .exclude(house_id=performance.house_id)
        .exclude(production_id=performance.production_id)
        .distinct()[: window * 2]
    )
    availability = performances_availability(performances=dates + similar, now=now)

    def keep(candidates, one_per_production: bool) -> list[Alternative]:
        kept, seen = [], set()
        for candidate in candidates:
            if not availability[candidate.pk].on_sale:
                continue
            if one_per_production and candidate.production_id in seen:
                continue
            seen.add(candidate.production_id)
            kept.append(Alternative(candidate, availability[candidate.pk]))
            if len(kept) == limit:
                break
        return kept

    return Alternatives(
        other_dates=keep(dates, one_per_production=False),
        similar=keep(similar, one_per_production=True),
    )
