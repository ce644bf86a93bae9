"""GET /metrics: Prometheus text exposition (format 0.0.4) for this deployment.

What it exposes:

- ``podium_request_duration_seconds``: a histogram of request latency, labelled by
  method and by *route*, the resolved URL name (``shop:home``), never the raw path,
  so that codes and ids in URLs do not multiply the series. Unresolved paths count
  as ``unmatched``. RequestMetricsMiddleware records it.
- Gauges that other layers provide through ``register_collector`` (podium.core knows
  no domain app): orders by state and active holds come from ``config.metrics``.
- ``podium_waiting_room_length``: ``waiting_room_length()`` below, 0 until a waiting
  room exists; that code replaces the callable with ``set_waiting_room_length``.

Several gunicorn workers: with PROMETHEUS_MULTIPROC_DIR set (tools/prod.sh sets it
to an emptied directory before gunicorn starts), prometheus_client keeps each worker's
histogram in a shared file and every scrape reports the sum over all workers. Without
it (runserver, tests) the numbers are this process's own.

Access: from a loopback address without proxy headers (a request that carries
X-Forwarded-For came through a proxy, even a local one), or with
``Authorization: Bearer $PODIUM_METRICS_TOKEN`` from anywhere.
"""

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
UNMATCHED = "unmatched"
# Any other method string a client sends is counted as "other" (bounded labels).
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUEST_DURATION = Histogram(
    "podium_request_duration_seconds",
    "Time from the first middleware to the response, by method and URL name.",
    ["method", "route"],
    buckets=BUCKETS,
)

Collector = Callable[[], Iterable[Metric]]
_collectors: list[Collector] = []


def waiting_room_length() -> int:
    """People waiting to enter the shop: none until a waiting room exists."""
    return 0


def set_waiting_room_length(function: Callable[[], int]) -> None:
    global waiting_room_length
    waiting_room_length = function


def register_collector(collector: Collector) -> Collector:
    """Add a function that yields metric families on every scrape (cheap queries)."""
    if collector not in _collectors:
        _collectors.append(collector)
    return collector


def _waiting_room() -> Iterable[Metric]:
    yield GaugeMetricFamily(
        "podium_waiting_room_length",
        "Visitors waiting in the on-sale waiting room.",
        value=waiting_room_length(),
    )


class _Scraped:
    """The registered collectors, read on each scrape (prometheus_client protocol)."""

    def collect(self) -> Iterable[Metric]:
        yield from _waiting_room()
        for collector in list(_collectors):
            yield from collector()


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    else:
        process = REGISTRY
    scraped = CollectorRegistry(auto_describe=False)
    scraped.register(_Scraped())
    return generate_latest(process) + generate_latest(scraped)


def _allowed(request) -> bool:
    token = getattr(settings, "PODIUM_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if "X-Forwarded-For" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_safe
def metrics(request):
    if not _allowed(request):
        return HttpResponseForbidden(
            "Metrics: loopback only, or a bearer token.\n", content_type="text/plain"
        )
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)


class RequestMetricsMiddleware:
    """Times every request into REQUEST_DURATION; first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.view_name if match and match.view_name else UNMATCHED
        method = request.method if request.method in METHODS else "other"
        REQUEST_DURATION.labels(method, route).observe(time.perf_counter() - started)
        return response
