"""Builders for the ticket tests: orders and tickets made directly with the models.

(No tests here. Once sales/tests/factories.py exists these can move onto it.)
"""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from podium.catalog.tests.factories import PerformanceFactory, ProductionFactory
from podium.sales.models import Order, PriceCategory, Tariff, Ticket
from podium.sales.tickets.signing import ticket_secret_new
from podium.tenancy.tests.factories import HallFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
TITLE = {"nl": "De Storm", "fr": "La Tempête", "en": "The Tempest"}
_codes = itertools.count(1)


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


def make_performance(house, *, hall=None, starts_at=None, title=None, **extra):
    hall = hall or HallFactory(house=house, name="Grote zaal")
    production = ProductionFactory(house=house, title=title or dict(TITLE))
    starts_at = starts_at or brussels(2026, 3, 28, 20, 0)
    return PerformanceFactory(
        house=house,
        production=production,
        hall=hall,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        **extra,
    )


def make_order(
    house,
    *,
    performances=None,
    tickets: int = 2,
    locale: str = "nl",
    state: str = Order.State.PAID,
    price: str = "25.00",
) -> Order:
    performances = performances or [make_performance(house)]
    order = Order.objects.create(
        house=house,
        code=f"TK{next(_codes):04d}Q",
        state=state,
        buyer_name="Ann Peeters",
        buyer_email="ann@example.org",
        locale=locale,
        total=Decimal(price) * tickets * len(performances),
    )
    for performance in performances:
        category = PriceCategory.objects.create(
            house=house,
            production=performance.production,
            name={"nl": "Rang 1", "fr": "Rang 1", "en": "Rank 1"},
        )
        tariff = Tariff.objects.create(
            house=house,
            production=performance.production,
            category=category,
            kind=Tariff.Kind.FULL,
            name={"nl": "Volle prijs", "fr": "Plein tarif", "en": "Full price"},
            price=Decimal(price),
        )
        for _n in range(tickets):
            Ticket.objects.create(
                house=house,
                order=order,
                performance=performance,
                tariff=tariff,
                category=category,
                price=Decimal(price),
                vat_rate=Decimal("6.00"),
                vat_amount=Decimal("1.42"),
                net_amount=Decimal(price) - Decimal("1.42"),
                secret=ticket_secret_new(),
            )
    return order
