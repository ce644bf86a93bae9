"""Benchmark: server time of the shop's agenda and of a production page (target under
50 ms each), with 500 performances in the database.

    .venv/bin/python bench/shop_pages.py

Prints one JSON line. Sets up its own SQLite database (a temporary file, migrated from
scratch): one cluster of three houses, 50 productions of 10 performances each (with
prices, a quota, artists, press quotes) and 300 paid orders for the recommendations,
then times GET requests through Django's test Client (middleware, views, templates;
no network): the agenda (`shop:agenda`, or the start page where there is no agenda)
and a production page. With DATABASE_URL set, it uses that database instead (it must
be empty: migrated and filled by the benchmark).
"""

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="podium-bench-shop-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from podium.catalog.models import Performance, PressQuote  # noqa: E402
from podium.catalog.tests.factories import (  # noqa: E402
    ArtistFactory,
    ProductionFactory,
    TaxonomyTermFactory,
)
from podium.sales.models import Order, Quota, Tariff, Ticket  # noqa: E402
from podium.sales.tests.factories import PriceCategoryFactory  # noqa: E402
from podium.tenancy.scoping import platform_scope  # noqa: E402
from podium.tenancy.tests.factories import (  # noqa: E402
    ClusterFactory,
    HallFactory,
    HouseFactory,
)

PRODUCTIONS, PER_PRODUCTION, ORDERS, RUNS = 50, 10, 300, 50


def _production(house, hall, number, start, kinds):
    production = ProductionFactory(
        house=house,
        title={"nl": f"Voorstelling {number}", "en": f"Show {number}"},
        description={"nl": "<p>Een avond vol <strong>verrassingen</strong>.</p>"},
        event_type=kinds[number % len(kinds)],
    )
    production.artists.set([ArtistFactory(house=house, bio={"nl": "Een bio."})])
    PressQuote.objects.create(
        house=house, production=production, quote={"nl": "Prachtig."}, source="Pers"
    )
    category = PriceCategoryFactory(house=house, production=production)
    tariffs = [
        Tariff.objects.create(
            house=house,
            production=production,
            category=category,
            kind=kind,
            price=price,
            vat_rate="6.00",
        )
        for kind, price in (("full", Decimal("24.00")), ("under_26", Decimal("12.00")))
    ]
    performances = Performance.objects.bulk_create(
        Performance(
            house=house,
            production=production,
            hall=hall,
            starts_at=start + timedelta(days=number + 7 * index, hours=number % 5),
            ends_at=start + timedelta(days=number + 7 * index, hours=2 + number % 5),
            status=Performance.Status.ON_SALE,
        )
        for index in range(PER_PRODUCTION)
    )
    Quota.objects.bulk_create(
        Quota(house=house, performance=p, name="Zaal", size=400, used=number % 400)
        for p in performances
    )
    return production, performances, tariffs[0]


def _orders(shows) -> None:
    orders, tickets = [], []
    for number in range(ORDERS):
        house, performances, tariff = shows[number % len(shows)]
        orders.append(
            Order(
                house=house,
                code=f"B{number:06d}",
                state=Order.State.PAID,
                buyer_email=f"buyer{number % 60}@example.be",
                total=tariff.price,
            )
        )
    Order.objects.bulk_create(orders)
    for number, order in enumerate(orders):
        house, performances, tariff = shows[number % len(shows)]
        tickets.append(
            Ticket(
                house=house,
                order=order,
                performance=performances[0],
                tariff=tariff,
                category_id=tariff.category_id,
                price=tariff.price,
                vat_rate=Decimal("6.00"),
                vat_amount=Decimal("1.36"),
                net_amount=Decimal("22.64"),
                secret=f"bench-secret-{number}",
            )
        )
    Ticket.objects.bulk_create(tickets)


def _setup():
    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log: time what production does
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    with platform_scope():
        cluster = ClusterFactory(slug="bench", domain="localhost")
        houses = [
            HouseFactory(cluster=cluster, slug=f"huis-{n}", name=f"Huis {n}")
            for n in range(3)
        ]
        halls = [HallFactory(house=house) for house in houses]
        kinds = [TaxonomyTermFactory(), TaxonomyTermFactory(id="0.50.4.0.0")]
        shows, productions = [], []
        for number in range(PRODUCTIONS):
            house, hall = houses[number % 3], halls[number % 3]
            production, performances, tariff = _production(
                house, hall, number, start, kinds
            )
            productions.append(production)
            shows.append((house, performances, tariff))
        _orders(shows)
        assert Performance.objects.count() == PRODUCTIONS * PER_PRODUCTION
    return productions[0]


def _time(client: Client, url: str) -> list[float]:
    for _run in range(5):  # warm up: imports, template loading
        assert client.get(url).status_code == 200, url
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    timings.sort()
    return timings


def _figures(url: str, timings: list[float]) -> dict:
    return {
        "url": url,
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 2),
        "max_ms": round(timings[-1], 2),
    }


def main() -> None:
    production = _setup()
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="nl")
    try:
        agenda_url = reverse("shop:agenda")
    except NoReverseMatch:
        agenda_url = reverse("shop:home")
    production_url = reverse(
        "shop:production", args=[production.house.slug, production.slug]
    )
    print(
        json.dumps(
            {
                "bench": "shop_pages",
                "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "performances": PRODUCTIONS * PER_PRODUCTION,
                "runs": RUNS,
                "agenda": _figures(agenda_url, _time(client, agenda_url)),
                "production": _figures(production_url, _time(client, production_url)),
                "target_ms": 50,
            }
        )
    )


if __name__ == "__main__":
    main()
