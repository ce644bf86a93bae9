"""Public reads for a production's own page in the shop (the house's website agenda).

A production has a public page once it has a public performance, past or to come, in
an active house of the visitor's cluster; any other is 'not found', like a missing one.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from podium.core.errors import NotFound
from podium.tenancy.models import Cluster

from .models import Artist, Performance, Production


def _public(cluster: Cluster):
    shown = Performance.objects.filter(
        house__cluster=cluster,
        house__is_active=True,
        visibility=Performance.Visibility.PUBLIC,
    ).values("production")
    return Production.objects.filter(
        house__cluster=cluster, house__is_active=True, pk__in=shown
    )


def public_production_get(
    *, cluster: Cluster, house_slug: str, slug: str
) -> Production:
    """The production with its house, taxonomy, artists, images, videos and quotes."""
    production = (
        _public(cluster)
        .filter(house__slug=house_slug, slug=slug)
        .select_related("house", "event_type")
        .prefetch_related(
            "themes",
            Prefetch("artists", queryset=Artist.objects.order_by("name")),
            "images",
            "videos",
            "press_quotes",
        )
        .first()
    )
    if production is None:
        raise NotFound(_("Production not found."))
    return production


def public_production_by_pk(*, cluster: Cluster, pk: int) -> Production:
    """A production by id (for short links), without its content."""
    production = _public(cluster).filter(pk=pk).select_related("house").first()
    if production is None:
        raise NotFound(_("Production not found."))
    return production
