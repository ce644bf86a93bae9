"""Prepare a peak on-sale for `bench/onsale.py`: a fresh production with one
performance on sale in a new hall of the house, N places (a general-admission quota,
or with --seated a plan of N seats sold by seat), one full-price tariff, and an API key
that can sell at the box office and take cash. Prints one JSON line:
{"performance": id, "key": "pk_…", "capacity": N, "page": "/<house>/<production>/"}.

It lives in `demo` because a seated on-sale needs the seating app, which `sales`
may not import.
"""

import json
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from podium.catalog import services as catalog
from podium.catalog.models import Performance, TaxonomyTerm
from podium.core.errors import DomainError
from podium.sales.services import inventory, pricing
from podium.seating.plans import PlanSpec, generate_section, plan_create
from podium.seating.services import performance_seating_setup
from podium.tenancy.models import Hall, House, Venue
from podium.tenancy.permissions import Action
from podium.tenancy.scoping import house_scope
from podium.tenancy.services import api_key_create

SCOPES = [
    Action.SALES_SELL,
    Action.ORDER_VIEW,
    Action.ORDER_PAY,
    Action.OFFICE_VIEW,  # box-office baskets: paid in cash at once
]
PER_ROW = 20
MAX_CAPACITY = 5000  # a seat plan's maximum


def _t(text: str) -> dict[str, str]:
    return {"nl": text, "fr": text, "en": text}


class Command(BaseCommand):
    help = "Create an on-sale performance of N places and an API key for the bench."

    def add_arguments(self, parser):
        parser.add_argument("--house", required=True, help="The house's slug.")
        parser.add_argument("--capacity", type=int, required=True)
        parser.add_argument(
            "--seated", action="store_true", help="Sell by seat (best available)."
        )

    def handle(self, *args, house, capacity, seated, **options):
        found = House.objects.filter(slug=house).first()
        if found is None:
            raise CommandError(f"No house with slug {house!r}.")
        if not 1 <= capacity <= MAX_CAPACITY:
            raise CommandError(f"--capacity must be 1…{MAX_CAPACITY}.")
        try:
            with house_scope(found), transaction.atomic():
                result = self._prepare(found, capacity, seated)
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result))

    def _prepare(self, house: House, capacity: int, seated: bool) -> dict:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        hall = self._hall(house, capacity, seated, stamp)
        event_type = TaxonomyTerm.objects.filter(
            domain=TaxonomyTerm.Domain.EVENT_TYPE
        ).first()
        if event_type is None:
            raise CommandError("No event types: run migrate first.")
        production = catalog.production_create(
            house=house,
            actor=None,
            title=_t(f"On-sale bench {stamp}"),
            event_type=event_type,
            duration_minutes=90,
        )
        starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=30)
        performance = catalog.performance_create(
            house=house,
            actor=None,
            production=production,
            hall=hall,
            starts_at=starts,
            status=Performance.Status.ON_SALE,
        )
        category = pricing.price_category_create(
            house=house, actor=None, production=production, name=_t("Rang 1")
        )
        tariff = pricing.tariff_create(
            house=house,
            actor=None,
            production=production,
            category=category,
            price=Decimal("25.00"),
            name=_t("Volle prijs"),
            vat_rate="6.00",
        )
        if seated:
            plan = plan_create(
                house=house, actor=None, hall=hall, spec=_plan_spec(capacity)
            )
            performance_seating_setup(
                house=house,
                actor=None,
                performance=performance,
                plan=plan,
                zones={1: category},
            )
        inventory.quota_create(
            house=house, actor=None, performance=performance, name="Zaal", size=capacity
        )
        _key, secret = api_key_create(
            house=house,
            actor=None,
            name=f"On-sale bench {stamp}",
            scopes=[scope.value for scope in SCOPES],
        )
        return {
            "performance": performance.pk,
            "tariff": tariff.pk,
            "key": secret,
            "capacity": capacity,
            "seated": seated,
            "page": f"/{house.slug}/{production.slug}/",
        }

    def _hall(self, house: House, capacity: int, seated: bool, stamp: str) -> Hall:
        venue = Venue.objects.filter(house=house).order_by("pk").first()
        if venue is None:
            venue = Venue.objects.create(
                house=house,
                name="On-sale bench",
                street="Kerkstraat 1",
                postal_code="9000",
                city="Gent",
            )
        return Hall.objects.create(
            house=house,
            venue=venue,
            name=f"Bench {stamp}",
            kind=Hall.Kind.SEATED if seated else Hall.Kind.STANDING,
            capacity=capacity,
        )


def _plan_spec(capacity: int) -> PlanSpec:
    """Rows of 20 seats (the last one shorter), all rank 1."""
    rows = [PER_ROW] * (capacity // PER_ROW)
    if capacity % PER_ROW:
        rows.append(capacity % PER_ROW)
    section = generate_section(
        name=_t("Zaal"), rows=len(rows), seats_per_row=rows, aisle_after=[10]
    )
    return PlanSpec(sections=[section])
