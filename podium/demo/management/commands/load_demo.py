"""`manage.py load_demo`: a demo cluster of three houses and a season of productions.

Idempotent: when the demo cluster exists the command only prints the logins, unless
`--reset` removes the demo first. Everything goes through the same services as the
office, inside one transaction, across tenants (platform scope).
"""

import os
import time as clock
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.be import vat

from podium.catalog import services as catalog
from podium.catalog.models import Artist, Performance, TaxonomyTerm
from podium.core.models import AuditEntry
from podium.customers.models import Customer, CustomerNote, CustomerRelation
from podium.demo import demo_data as demo
from podium.demo import demo_sales, demo_seating
from podium.demo.demo_passes import (
    FRIEND_EMAIL,
    VOUCHER_CODE,
    VOUCHER_VALUE,
    ensure_passes,
)
from podium.demo.demo_programme import PRODUCTIONS
from podium.demo.demo_subscriptions import ensure_subscriptions
from podium.demo.demo_tonight import ensure_tonight
from podium.passes.models import (
    GiftVoucher,
    Membership,
    MembershipType,
    Subscription,
    SubscriptionPriceStep,
    SubscriptionTariff,
    SubscriptionType,
    VoucherUse,
)
from podium.sales.models import (
    BankTransaction,
    Basket,
    Order,
    PerformanceCancellation,
    PriceCategory,
    Quota,
    Tariff,
)
from podium.sales.services import inventory, pricing
from podium.seating.models import PerformanceSeat, PerformanceSeating
from podium.tenancy.models import Cluster, Hall, House, StaffRole, Venue
from podium.tenancy.scoping import platform_scope
from podium.tenancy.two_factor import two_factor_enrol


class Command(BaseCommand):
    help = (
        "Load the demo cluster 'Regio Podium' with houses, halls, a season and logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the demo cluster, its houses and demo logins first.",
        )

    def handle(self, *args, reset=False, **options):
        started = clock.monotonic()
        with platform_scope():
            with transaction.atomic():
                exists = Cluster.objects.filter(slug=demo.CLUSTER["slug"]).exists()
                if exists and reset:
                    remove_demo()
                    exists = False
                if not exists and not TaxonomyTerm.objects.exists():
                    raise CommandError("No taxonomy terms: run `manage.py migrate`.")
                if not exists:
                    counts, to_sell_out = load_demo(today=timezone.localdate())
            if exists:
                self.stdout.write("The demo cluster exists already; nothing changed.")
            else:
                # Each order is its own durable transaction, as in the box office.
                counts["orders"] = sell_demo_orders(to_sell_out)
                self.stdout.write(
                    self.style.SUCCESS(
                        "Loaded the demo: {houses} houses, {halls} halls, "
                        "{productions} productions, {performances} performances, "
                        "{tariffs} tariffs, {quotas} quotas, {orders} orders, "
                        "{users} logins.".format(**counts)
                    )
                )
            ensure_demo_authenticators()
            ensure_subscriptions()  # once; also into a demo loaded before them
            ensure_passes()
            tonight = ensure_tonight()
            if tonight is not None:
                self.stdout.write(
                    "At the door today: {title}, {start:%H:%M} (doors open).".format(
                        title=tonight.production.title["nl"],
                        start=timezone.localtime(tonight.starts_at),
                    )
                )
        self.stdout.write(f"Done in {clock.monotonic() - started:.2f} s.\n")
        self.print_access()

    def print_access(self):
        port = os.environ.get("PORT", "8000")
        base = f"http://127.0.0.1:{port}"
        self.stdout.write(f"Shop:   {base}/")
        self.stdout.write(f"Office: {base}/office/")
        self.stdout.write(f"Admin:  {base}/platform-admin/")
        self.stdout.write(f"API:    {base}/api/v1/docs\n")
        rows = [("login", "password", "role", "house")]
        for username, _first, _last, house_slug, role in demo.STAFF:
            label = StaffRole.Role(role).label
            rows.append(
                (username, demo.PASSWORD, str(label), house_slug or "(cluster)")
            )
        rows.append((demo.SUPERUSER[0], demo.PASSWORD, "superuser", "(platform)"))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for index, row in enumerate(rows):
            line = "  ".join(
                cell.ljust(width) for cell, width in zip(row, widths, strict=True)
            )
            self.stdout.write(line.rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(
            f"\nIn the shop, {FRIEND_EMAIL} (password {demo.PASSWORD}) holds a "
            f"friends pass of De Steiger: signed in, she gets the member tariff. "
            f"Gift voucher {VOUCHER_CODE} (€ {VOUCHER_VALUE}) pays part of an order."
        )
        self.stdout.write(
            "\nHouse administrators log in with a second step: add the key "
            f"{demo.TOTP_SECRET} to an authenticator app, or get the current code "
            "with `.venv/bin/python manage.py totp_code steiger-admin`."
        )


SALES_MODELS = [
    # Passes and subscriptions first: they protect their orders, types and tariffs.
    VoucherUse,
    GiftVoucher,
    Membership,
    MembershipType,
    Subscription,
    SubscriptionPriceStep,
    SubscriptionTariff,
    SubscriptionType,
    BankTransaction,
    PerformanceCancellation,
    Order,  # with its tickets, fees, payments, refunds and transitions
    Basket,  # with its holds
    Quota,
    Tariff,
    PriceCategory,
]


def demo_usernames() -> list[str]:
    return [row[0] for row in demo.STAFF] + [demo.SUPERUSER[0]]


def ensure_demo_authenticators() -> None:
    """Every demo house administrator has the demo's known authenticator key (also
    in a demo loaded before two-step verification existed)."""
    admins = get_user_model().objects.filter(
        username__in=demo_usernames(),
        staff_roles__role=StaffRole.Role.HOUSE_ADMIN,
        totp__isnull=True,
    )
    for user in admins.distinct():
        two_factor_enrol(user=user, secret=demo.TOTP_SECRET)


def remove_demo() -> None:
    cluster = Cluster.objects.get(slug=demo.CLUSTER["slug"])
    houses = list(cluster.houses.all())
    house_ids = [house.pk for house in houses]
    # Protected foreign keys decide the order: sales hold tariffs and performances,
    # performances hold halls, halls venues.
    for model in (PerformanceSeat, PerformanceSeating, *SALES_MODELS):
        model.objects.filter(house_id__in=house_ids).delete()
    Performance.objects.filter(house_id__in=house_ids).delete()
    Hall.objects.filter(house_id__in=house_ids).delete()
    Venue.objects.filter(house_id__in=house_ids).delete()
    # The demo's shop customers (the friend, buyers who gave an e-mail).
    CustomerRelation.objects.filter(house_id__in=house_ids).delete()
    CustomerNote.objects.filter(house_id__in=house_ids).delete()
    for house in houses:
        house.delete()
    AuditEntry.objects.filter(house_id__in=house_ids).delete()
    Customer.objects.filter(cluster=cluster).delete()
    cluster.delete()
    get_user_model().objects.filter(username__in=demo_usernames()).delete()


def load_demo(*, today: date) -> tuple[dict[str, int], list]:
    """The cluster, its houses, staff and season; returns the counts and the
    performances to sell out (sold afterwards by `sell_demo_orders`)."""
    cluster = Cluster.objects.create(**demo.CLUSTER)
    houses, halls = {}, {}
    for spec in demo.HOUSES:
        house, house_halls = _create_house(cluster, spec)
        houses[house.slug] = house
        halls.update(house_halls)
    users = _create_staff(cluster, houses)
    artists = {
        key: _create_artist(houses[house_slug], name, bio, website)
        for key, (house_slug, name, bio, website) in demo.ARTISTS.items()
    }
    plans = demo_seating.create_plans(halls)
    terms = TaxonomyTerm.objects.in_bulk()
    season_start = today + timedelta(days=7 - today.weekday())  # next Monday
    booked: set[tuple[int, date]] = set()
    performances = tariffs = quotas = 0
    to_sell_out = []
    for spec in PRODUCTIONS:
        house = houses[spec["house"]]
        hall = halls[spec["hall"]]
        production = _create_production(house, spec, terms, artists)
        created = _schedule(house, production, spec, hall, season_start, booked)
        categories, count = _create_prices(house, production, spec, hall)
        tariffs += count
        for performance in created:
            quotas += _create_quotas(house, performance, hall)
            if hall.pk in plans:
                demo_seating.sell_by_seat(performance, plans[hall.pk], categories)
        performances += len(created)
        to_sell_out += [(house, created[index]) for index in spec.get("sell_out", [])]
    _set_fees()
    return {
        "houses": len(houses),
        "halls": len(halls),
        "productions": len(PRODUCTIONS),
        "performances": performances,
        "tariffs": tariffs,
        "quotas": quotas,
        "users": users,
    }, to_sell_out


def _create_house(cluster: Cluster, spec: dict) -> tuple[House, dict[str, Hall]]:
    fields = {key: value for key, value in spec.items() if key != "venues"}
    if not vat.is_valid(fields["enterprise_number"]):
        raise CommandError(f"Invalid enterprise number {fields['enterprise_number']}")
    house = House(cluster=cluster, **fields)
    house.full_clean()
    house.save()
    halls = {}
    for venue_spec in spec["venues"]:
        # Name, address, wheelchair access and access information (nl/fr/en).
        venue_fields = {k: v for k, v in venue_spec.items() if k != "halls"}
        venue = Venue(house=house, **venue_fields)
        venue.full_clean()
        venue.save()
        for key, name, kind, capacity in venue_spec["halls"]:
            hall = Hall(
                house=house, venue=venue, name=name, kind=kind, capacity=capacity
            )
            hall.full_clean()
            hall.save()
            halls[key] = hall
    return house, halls


def _create_staff(cluster: Cluster, houses: dict[str, House]) -> int:
    User = get_user_model()
    # One slow password hash for every demo login keeps the command quick.
    password = make_password(demo.PASSWORD)
    for username, first_name, last_name, house_slug, role in demo.STAFF:
        user = User.objects.create(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@podium.example",
        )
        if house_slug is None:
            StaffRole.objects.create(user=user, role=role, cluster=cluster)
        else:
            StaffRole.objects.create(user=user, role=role, house=houses[house_slug])
    username, first_name, last_name = demo.SUPERUSER
    User.objects.create(
        username=username,
        password=password,
        email=f"{username}@podium.example",
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
        is_superuser=True,
    )
    return len(demo.STAFF) + 1


def _create_artist(house: House, name: str, bio: dict, website: str) -> Artist:
    artist = Artist(house=house, name=name, bio=bio, website=website)
    artist.full_clean()
    artist.save()
    return artist


def _create_production(house, spec, terms, artists):
    production = catalog.production_create(
        house=house,
        actor=None,
        title=spec["title"],
        subtitle=spec["subtitle"],
        description=spec["description"],
        event_type=terms[spec["event_type"]],
        age_min=spec.get("age_min"),
        age_max=spec.get("age_max"),
        language=spec["language"],
        duration_minutes=spec["duration"],
        tags=spec["tags"],
        themes=[terms[term_id] for term_id in spec.get("themes", [])],
        artists=[artists[key] for key in spec["artists"]],
    )
    for source, quote in spec["quotes"]:
        catalog.press_quote_add(
            house=house, actor=None, production=production, quote=quote, source=source
        )
    for url, title in spec.get("videos", []):
        catalog.video_add(
            house=house, actor=None, production=production, url=url, title=title
        )
    return production


def _schedule(house, production, spec, hall, season_start, booked) -> list:
    """Create the run, week by week; a day already taken in the hall moves a week on."""
    by_status: dict[str, list[date]] = {}
    for week, weekday in spec["runs"]:
        day = season_start + timedelta(weeks=week, days=weekday)
        while (hall.pk, day) in booked:
            day += timedelta(weeks=1)
        booked.add((hall.pk, day))
        status = (
            Performance.Status.PLANNED
            if week >= demo.PLANNED_FROM_WEEK
            else Performance.Status.ON_SALE
        )
        by_status.setdefault(status, []).append(day)
    hours, minutes = map(int, spec["time"].split(":"))
    created = []
    for status, dates in by_status.items():
        created += catalog.performance_series_create(
            house=house,
            actor=None,
            production=production,
            hall=hall,
            dates=dates,
            start_time=time(hours, minutes),
            doors_open_minutes=30,
            status=status,
        )
    created.sort(key=lambda performance: performance.starts_at)
    for position, fields in spec.get("changes", {}).items():
        catalog.performance_update(
            house=house, actor=None, performance=created[position], **fields
        )
    return created


def _create_prices(house, production, spec, hall) -> tuple[list, int]:
    """Price categories (two ranks when seated, one when standing) and their tariffs."""
    full = demo.full_price(spec)
    ranks = demo.SEATED_RANKS if hall.kind == Hall.Kind.SEATED else demo.STANDING
    categories, count = [], 0
    for position, (name, share) in enumerate(ranks):
        category = pricing.price_category_create(
            house=house, actor=None, production=production, name=name, position=position
        )
        categories.append(category)
        for order, tariff in enumerate(demo.tariffs(demo.rank_price(full, share))):
            pricing.tariff_create(
                house=house,
                actor=None,
                production=production,
                category=category,
                position=order,
                **tariff,
            )
            count += 1
    return categories, count


def _create_quotas(house, performance, hall) -> int:
    """The whole hall; a seated hall's ranks are its seats' (see demo_seating)."""
    inventory.quota_create(
        house=house,
        actor=None,
        performance=performance,
        name="Zaal",
        size=hall.capacity,
        categories=[],
    )
    return 1


def sell_demo_orders(to_sell_out: list) -> int:
    """Real box-office orders, rung up by the demo's ticketing clerk."""
    clerk = get_user_model().objects.get(username=demo.BOX_OFFICE_CLERK)
    house = House.objects.get(slug=demo.BOX_OFFICE_HOUSE)
    orders = 0
    for seed, (sold_house, performance) in enumerate(to_sell_out):
        orders += demo_sales.sell_out(
            house=sold_house, clerk=clerk, performance=performance, seed=seed
        )
    sold_out = {performance.pk for _house, performance in to_sell_out}
    on_sale = [
        performance
        for performance in Performance.objects.filter(
            house=house, status=Performance.Status.ON_SALE
        ).order_by("starts_at")
        if performance.pk not in sold_out
    ]
    demo_sales.sell_some(
        house=house,
        clerk=clerk,
        performances=on_sale[:12],
        orders=demo.OTHER_ORDERS,
        seed=len(to_sell_out),
    )
    return orders + demo.OTHER_ORDERS


def _set_fees() -> None:
    """Service fees, and online payment through the local Mollie server that
    `make run` starts next to the demo (tools/mollie_local.py accepts this key)."""
    for house in House.objects.filter(slug__in=[h["slug"] for h in demo.HOUSES]):
        settings_row = pricing.sales_settings_get(house=house)
        if house.slug in demo.FEE_PER_TICKET:
            settings_row.fee_per_ticket = Decimal(demo.FEE_PER_TICKET[house.slug])
        settings_row.mollie_api_key = demo.LOCAL_MOLLIE_KEY
        settings_row.full_clean()
        settings_row.save()
