"""'You may also like': what else the buyers of a production bought.

Productions still to come (a public performance ahead, in the given houses) ranked by
how many paid orders of this production's buyers (the same e-mail address or the same
customer account) they also appear in; then, to fill up, those sharing a genre (and
after them the discipline) with it, soonest first. So a visitor is nudged towards what
people like them chose, also beyond their usual genre.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from podium.catalog.models import Production
from podium.catalog.selectors import public_performances
from podium.tenancy.models import Cluster, House

from .models import Order, Ticket

PAID_STATES = (Order.State.PAID, Order.State.PARTIALLY_REFUNDED)


def recommended_productions(
    *,
    production: Production,
    houses: Iterable[House] | Cluster,
    limit: int = 4,
    now: datetime | None = None,
) -> list[Production]:
    """Up to `limit` other coming productions, in one query; each carries
    `next_starts_at`, `co_buyers` (orders shared with this production's buyers)
    and `affinity` (2: a shared genre, 1: the same discipline, 0: neither)."""
    now = now or timezone.now()
    houses = houses if isinstance(houses, Cluster) else list(houses)
    coming = public_performances(houses=houses, now=now)
    house_ids = (
        coming.values("house")
        if isinstance(houses, Cluster)
        else [house.pk for house in houses]
    )
    bought_here = Order.objects.filter(
        house__in=house_ids,
        state__in=PAID_STATES,
        tickets__performance__production=production,
    )
    co_buyers = (
        Ticket.objects.filter(
            house__in=house_ids,
            order__state__in=PAID_STATES,
            performance__production=OuterRef("pk"),
        )
        .filter(
            Q(
                order__buyer_email__in=bought_here.exclude(buyer_email="").values(
                    "buyer_email"
                )
            )
            | Q(
                order__customer__in=bought_here.filter(customer__isnull=False).values(
                    "customer"
                )
            )
        )
        .values("performance__production")
        .annotate(orders=Count("order", distinct=True))
        .values("orders")
    )
    themes = Production.themes.through.objects.filter(production_id=production.pk)
    shares_theme = Exists(
        Production.themes.through.objects.filter(
            production_id=OuterRef("pk"),
            taxonomyterm_id__in=themes.values("taxonomyterm_id"),
        )
    )
    found = (
        Production.objects.filter(pk__in=coming.values("production"))
        .exclude(pk=production.pk)
        .annotate(
            next_starts_at=Subquery(
                coming.filter(production=OuterRef("pk")).values("starts_at")[:1]
            ),
            co_buyers=Coalesce(Subquery(co_buyers[:1]), 0),
            affinity=Case(
                When(shares_theme, then=Value(2)),
                When(event_type_id=production.event_type_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(co_buyers__gt=0) | Q(affinity__gt=0))
        .select_related("house", "event_type")
        .order_by("-co_buyers", "-affinity", "next_starts_at", "pk")
    )
    return list(found[:limit])
