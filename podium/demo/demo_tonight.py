"""Tonight's show: a performance whose doors are open whenever the demo is started,
so the box office can sell for it and the door can scan its tickets right away.

`make run` loads the demo once; on every later start a new tonight's show is added
when the last one is over, so the scanner always has something to scan.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from podium.catalog import services as catalog
from podium.catalog.errors import CatalogError
from podium.catalog.models import Performance, Production
from podium.sales.services import inventory
from podium.tenancy.models import Hall, House

from . import demo_data as demo
from .demo_sales import full_tariffs, sell_at_the_desk

TITLE_NL = "Blue Monday Sessions"
HALL_NAME = "Foyerzaal"
ORDERS = 12


def tonight_start(now) -> timezone.datetime:
    """About three quarters of an hour from now, on a round five minutes."""
    start = now + timedelta(minutes=45)
    return start.replace(second=0, microsecond=0) + timedelta(
        minutes=(5 - start.minute % 5) % 5
    )


def ensure_tonight(*, now=None) -> Performance | None:
    """Tonight's show of the demo's foyer jazz, created (and partly sold) when the
    house has no show at the door now; None when the demo is not loaded."""
    now = now or timezone.now()
    house = House.objects.filter(slug=demo.BOX_OFFICE_HOUSE).first()
    if house is None:
        return None
    production = Production.objects.filter(house=house, title__nl=TITLE_NL).first()
    hall = Hall.objects.filter(house=house, name=HALL_NAME).first()
    if production is None or hall is None:
        return None
    current = (
        Performance.objects.filter(
            house=house,
            production=production,
            starts_at__gt=now - timedelta(hours=1),
            starts_at__lt=now + timedelta(hours=3),
        )
        .order_by("starts_at")
        .first()
    )
    if current is not None:
        return current
    start = timezone.localtime(tonight_start(now))
    try:
        (performance,) = catalog.performance_series_create(
            house=house,
            actor=None,
            production=production,
            hall=hall,
            dates=[start.date()],
            start_time=start.time(),
            doors_open_minutes=60,  # the doors are open already
            status=Performance.Status.ON_SALE,
        )
    except CatalogError:  # the foyer is taken tonight: that show is at the door
        return None
    inventory.quota_create(
        house=house,
        actor=None,
        performance=performance,
        name="Zaal",
        size=hall.capacity,
        categories=[],
    )
    clerk = get_user_model().objects.get(username=demo.BOX_OFFICE_CLERK)
    rng = random.Random(ORDERS)  # the same sales on every load
    tariff = next(iter(full_tariffs(performance).values()))
    for _n in range(ORDERS):
        sell_at_the_desk(
            house=house,
            clerk=clerk,
            performance=performance,
            tariff=tariff,
            quantity=rng.choice([1, 2, 2, 3, 4]),
            rng=rng,
        )
    return performance
