"""TenantMiddleware: resolves the cluster and house of a request and enters its scope.

- shop (everything public): the cluster from the host name, scoped to its houses;
- office: the house picked in the session, among the houses the user works for;
- platform admin: superusers only, across every tenant;
- API: with `Authorization: Bearer pk_<prefix>_<secret>`, the key's house (its scope,
  `request.api_key`, `request.house`); an invalid key is a 401 problem; without a
  key, the cluster from the host name as in the shop.

The response is rendered inside the scope, since template rendering still queries.
"""

import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Cluster, House
from .permissions import houses_for
from .scoping import (
    cluster_house_ids,
    cluster_scope,
    house_scope,
    no_house_scope,
    platform_scope,
)
from .services import api_key_authenticate

SESSION_HOUSE_KEY = "podium_house_id"


MAX_REMEMBERED_HOSTS = 1000
# host -> (cluster, its active house ids, monotonic time of the lookup); per worker
# process, so a new domain or house reaches the shop within that many seconds.
_clusters_by_host: dict[str, tuple[Cluster | None, list[int], float]] = {}


def _cluster_and_houses(host: str) -> tuple[Cluster | None, list[int]]:
    """The cluster a host name serves and its active houses, remembered for
    PODIUM_CLUSTER_CACHE_SECONDS."""
    host = host.split(":")[0].lower()
    seconds = settings.PODIUM_CLUSTER_CACHE_SECONDS
    if seconds > 0:
        known = _clusters_by_host.get(host)
        if known is not None and time.monotonic() - known[2] < seconds:
            return known[0], known[1]
    cluster = _cluster_lookup(host)
    house_ids = cluster_house_ids(cluster) if cluster is not None else []
    if seconds > 0:
        if len(_clusters_by_host) >= MAX_REMEMBERED_HOSTS:  # wildcard ALLOWED_HOSTS
            _clusters_by_host.clear()
        _clusters_by_host[host] = (cluster, house_ids, time.monotonic())
    return cluster, house_ids


def _cluster_lookup(host: str) -> Cluster | None:
    cluster = Cluster.objects.filter(domain__iexact=host).first()
    if cluster is None and settings.PODIUM_DEFAULT_CLUSTER:
        cluster = Cluster.objects.filter(slug=settings.PODIUM_DEFAULT_CLUSTER).first()
    if cluster is None:
        cluster = Cluster.objects.order_by("pk").first()
    return cluster


def bearer_token(request) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None without one."""
    kind, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if kind.lower() == "bearer" else None


def invalid_key_response() -> JsonResponse:
    """RFC 9457 problem for a key that is unknown, revoked or malformed."""
    response = JsonResponse(
        {
            "type": "urn:podium:problem:invalid_api_key",
            "title": "Unauthorized",
            "status": 401,
            "detail": _("This API key is not valid."),
            "code": "invalid_api_key",
        },
        status=401,
        content_type="application/problem+json",
    )
    response["WWW-Authenticate"] = 'Bearer realm="podium", error="invalid_token"'
    return response


def office_house(request) -> House | None:
    houses = houses_for(request.user)
    request.office_houses = houses
    wanted = request.session.get(SESSION_HOUSE_KEY)
    for house in houses:
        if house.pk == wanted:
            return house
    return houses[0] if houses else None


# Served without a cluster on every allowed host (README "Production profile").
OPERATIONS_PATHS = frozenset({"/health/", "/metrics"})


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.cluster = None
        request.house = None
        request.office_houses = []
        request.api_key = None
        path = request.path_info
        if path.startswith("/api/") and bearer_token(request) is not None:
            return self._api_key_request(request)
        if path in OPERATIONS_PATHS:
            with no_house_scope():  # health and metrics: no tenant, any host
                return self._render(request)
        if path.startswith("/platform-admin/"):
            if request.user.is_authenticated and request.user.is_superuser:
                with platform_scope():
                    return self._render(request)
            with no_house_scope():
                return self._render(request)
        if path.startswith("/office/"):
            house = office_house(request) if request.user.is_authenticated else None
            request.house = house
            request.cluster = house.cluster if house else None
            if house is None:
                with no_house_scope():
                    return self._render(request)
            with house_scope(house), timezone.override(ZoneInfo(house.timezone)):
                return self._render(request)
        request.cluster, house_ids = _cluster_and_houses(request.get_host())
        if request.cluster is None:
            if path.startswith("/static/") or path.startswith("/i18n/"):
                with no_house_scope():
                    return self._render(request)
            raise Http404("No cluster is configured.")
        with cluster_scope(request.cluster, house_ids=house_ids):
            return self._render(request)

    def _api_key_request(self, request):
        key = api_key_authenticate(bearer_token(request))
        if key is None:
            return invalid_key_response()
        request.api_key = key
        request.house = key.house
        request.cluster = key.house.cluster
        with house_scope(key.house), timezone.override(ZoneInfo(key.house.timezone)):
            return self._render(request)

    def _render(self, request):
        response = self.get_response(request)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        return response
