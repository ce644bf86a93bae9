"""The platform's own numbers for /metrics: orders by state and active holds.

podium.core may not import the domain apps (import-linter), so the composition root
registers this collector with podium.core.metrics (config/urls.py imports it). Two
cheap queries per scrape, across every house on purpose (platform_scope).
"""

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from podium.core.metrics import register_collector
from podium.sales.models import Hold, Order
from podium.tenancy.scoping import platform_scope


@register_collector
def platform_metrics():
    with platform_scope():
        by_state = dict(
            Order.objects.order_by()
            .values_list("state")
            .annotate(count=Count("id"))
            .values_list("state", "count")
        )
        holds = Hold.objects.filter(
            state=Hold.State.HELD, expires_at__gt=timezone.now()
        ).count()
    orders = GaugeMetricFamily(
        "podium_orders_total",
        "Orders in each state now, over every house.",
        labels=["state"],
    )
    for state in Order.State.values:
        orders.add_metric([state], by_state.get(state, 0))
    yield orders
    yield GaugeMetricFamily(
        "podium_holds_active",
        "Holds of places that have not expired (baskets in progress).",
        value=holds,
    )
