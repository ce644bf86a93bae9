"""The one place where the tenant scope is entered.

django-scopes makes every query on a house-owned model fail unless a house scope is
active. Interfaces never call `scope()` themselves: requests go through
TenantMiddleware, commands and tasks through `house_scope` / `cluster_scope`.
"""

from contextlib import contextmanager

from django_scopes import scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

from .models import Cluster, House

# django-scopes refuses most queries without a scope but leaves these open, so that
# e.g. `Production.objects.in_bulk(ids)` or `.exclude(...).exists()` would read across
# every tenant. `harden_unscoped_querysets()` (called once from TenancyConfig.ready)
# makes them fail like the rest.
_LEAKY_QUERYSET_METHODS = ("exists", "contains", "in_bulk", "explain", "bulk_update")


def harden_unscoped_querysets() -> None:
    for name in _LEAKY_QUERYSET_METHODS:
        setattr(DisabledQuerySet, name, DisabledQuerySet.error)


@contextmanager
def house_scope(house: House):
    with scope(house=house.pk):
        yield


def cluster_house_ids(cluster: Cluster) -> list[int]:
    return list(cluster.houses.filter(is_active=True).values_list("pk", flat=True))


@contextmanager
def cluster_scope(cluster: Cluster, *, house_ids: list[int] | None = None):
    """Read access to every house of a cluster (the public shop, coordinators);
    `house_ids`, when the caller knows them already, are its active houses."""
    if house_ids is None:
        house_ids = cluster_house_ids(cluster)
    with scope(house=house_ids):
        yield


@contextmanager
def no_house_scope():
    """A scope that matches nothing: pages that must not read house data."""
    with scope(house=[]):
        yield


@contextmanager
def platform_scope():
    # Platform operators (Django admin, demo loading, migrations of data) work across
    # every tenant on purpose; nothing else may use this.
    with scopes_disabled():
        yield
