"""`manage.py load_demo`: the promised demo content, loaded once."""

import time
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from stdnum.be import vat

from conftest import ensure_taxonomy
from podium.catalog.models import Artist, Performance, PressQuote, Production
from podium.checkin.selectors import performances_to_scan
from podium.checkin.services import scan_ticket
from podium.core.models import AuditEntry
from podium.demo import demo_data
from podium.demo.management.commands.load_demo import remove_demo
from podium.passes.models import SubscriptionType
from podium.sales.models import (
    Order,
    PriceCategory,
    Quota,
    SalesSettings,
    Tariff,
    Ticket,
)
from podium.sales.selectors import performances_availability
from podium.sales.tickets.signing import ticket_payload
from podium.seating.models import PerformanceSeat, PerformanceSeating, SeatPlan
from podium.tenancy.models import Cluster, Hall, House, StaffRole, Venue
from podium.tenancy.scoping import house_scope, platform_scope

pytestmark = pytest.mark.django_db

LANGUAGES = {"nl", "fr", "en"}
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"  # as in conftest


def _load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = [Cluster, House, Venue, Hall, StaffRole, get_user_model()]
    models += [Artist, Production, PressQuote, Performance, AuditEntry]
    models += [PriceCategory, Tariff, Quota, SalesSettings, Order, Ticket]
    with platform_scope():
        return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def loaded_output(django_db_setup, django_db_blocker):
    """Load the demo once for the module (it sells a few hundred orders), committed;
    each test then runs in its own rolled-back transaction on top of it."""
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(PASSWORD_HASHERS=[FAST_HASHER]),
    ):
        patch.setenv("PORT", "8123")
        ensure_taxonomy()  # a transactional test run before may have flushed it
        output = _load()
        try:
            yield output
        finally:
            with platform_scope(), transaction.atomic():
                remove_demo()


@pytest.fixture
def demo(loaded_output, db):
    return Cluster.objects.get(slug="regio-podium")


def test_three_houses_one_of_each_kind_with_valid_enterprise_numbers(demo):
    houses = list(demo.houses.all())

    assert {house.kind for house in houses} == set(House.Kind.values)
    assert len(houses) == 3
    assert all(vat.is_valid(house.enterprise_number) for house in houses)


def test_halls_two_seated_for_300_to_800_and_the_rest_standing(demo):
    with platform_scope():
        halls = list(Hall.objects.filter(house__cluster=demo))
    seated = [hall for hall in halls if hall.kind == Hall.Kind.SEATED]

    assert len(halls) >= 5
    assert len(seated) == 2
    assert all(300 <= hall.capacity <= 800 for hall in seated)
    assert all(hall.kind == Hall.Kind.STANDING for hall in halls if hall not in seated)


def test_a_season_of_productions_in_three_languages(demo):
    with platform_scope():
        productions = list(Production.objects.filter(house__cluster=demo))
        quotes = PressQuote.objects.filter(house__cluster=demo).count()
        artists = list(Artist.objects.filter(house__cluster=demo))

    assert 14 <= len(productions) <= 18
    for production in productions:
        for field in ("title", "subtitle", "description"):
            assert set(getattr(production, field)) == LANGUAGES, (production, field)
        assert production.duration_minutes
    assert len({production.event_type_id for production in productions}) >= 8
    assert quotes >= 8
    assert len(artists) >= 10
    assert all(set(artist.bio) == LANGUAGES for artist in artists)


def test_performances_over_the_coming_season_with_a_mix_of_statuses(demo):
    with platform_scope():
        performances = list(Performance.objects.filter(house__cluster=demo))
    statuses = [performance.status for performance in performances]

    assert len(performances) >= 40
    assert statuses.count(Performance.Status.SOLD_OUT) == 0  # sold out by its sales
    assert statuses.count(Performance.Status.CANCELLED) == 1
    assert statuses.count(Performance.Status.PLANNED) >= 2
    assert statuses.count(Performance.Status.ON_SALE) > len(performances) / 2
    first, last = (
        min(p.starts_at for p in performances),
        max(p.starts_at for p in performances),
    )
    assert 150 <= (last - first).days <= 270


def test_no_two_performances_share_a_hall_at_the_same_time(demo):
    with platform_scope():
        performances = Performance.objects.filter(house__cluster=demo).order_by(
            "hall", "starts_at"
        )
        previous = None
        for performance in performances:
            if previous and previous.hall_id == performance.hall_id:
                assert previous.ends_at <= performance.starts_at, performance
            previous = performance


def test_a_login_per_role_and_a_superuser(demo):
    roles = set(StaffRole.objects.values_list("role", flat=True))

    assert roles == set(StaffRole.Role.values)
    for username, *_rest in demo_data.STAFF:
        assert authenticate(username=username, password=demo_data.PASSWORD)
    superuser = authenticate(username="platform", password=demo_data.PASSWORD)
    assert superuser.is_superuser and superuser.is_staff
    first_house_roles = set(
        StaffRole.objects.filter(house__slug="cc-de-steiger").values_list(
            "role", flat=True
        )
    )
    assert first_house_roles == set(StaffRole.Role.values) - {"cluster_coordinator"}


def test_prints_the_urls_and_logins(loaded_output):
    output = loaded_output

    assert "Loaded the demo: 3 houses" in output
    assert "http://127.0.0.1:8123/" in output
    assert "http://127.0.0.1:8123/office/" in output
    assert "steiger-programmer" in output and demo_data.PASSWORD in output


def test_a_second_run_changes_nothing(demo):
    before = _counts()
    with platform_scope():
        last_change = max(Performance.objects.values_list("updated_at", flat=True))

    output = _load()

    assert "nothing changed" in output
    assert _counts() == before
    with platform_scope():
        assert max(Performance.objects.values_list("updated_at", flat=True)) == (
            last_change
        )


def test_reset_loads_the_demo_afresh(demo):
    before = _counts()

    _load("--reset")

    assert _counts() == before
    assert Cluster.objects.filter(slug="regio-podium").count() == 1


def test_every_production_has_a_price_list_by_hall_kind(demo):
    with platform_scope():
        productions = list(
            Production.objects.filter(house__cluster=demo)
            .select_related("house")
            .prefetch_related("price_categories__tariffs", "performances__hall")
        )
        tariffs = list(Tariff.objects.filter(house__cluster=demo))
    kinds = ["full", "under_26", "senior", "social", "invitation"]

    for production in productions:
        hall = production.performances.all()[0].hall
        categories = list(production.price_categories.all())
        names = [category.name for category in categories]
        if hall.kind == Hall.Kind.SEATED:
            assert [n["nl"] for n in names] == ["Rang 1", "Rang 2"], production
        else:
            assert [n["nl"] for n in names] == ["Staanplaats"], production
        assert all(set(name) == LANGUAGES for name in names)
        # De Steiger also has a member tariff for its friends (demo_passes).
        expected = kinds
        if production.house.slug == "cc-de-steiger":
            expected = ["full", "member", *kinds[1:]]
        for category in categories:
            assert [t.kind for t in category.tariffs.all()] == expected
    full = [t.price for t in tariffs if t.kind == "full"]
    assert 8 <= min(full) and max(full) <= 32
    assert {t.vat_rate for t in tariffs} == {"6.00"}
    assert all(t.performance_id is None for t in tariffs)
    invitations = [t for t in tariffs if t.kind == "invitation"]
    assert {(t.price, t.box_office_only) for t in invitations} == {(0, True)}
    social = [t for t in tariffs if t.kind == "social"]
    assert all(0 < t.price < 10 and t.requires_proof for t in social)


def test_every_performance_has_quotas_matching_its_hall(demo):
    with platform_scope():
        performances = list(
            Performance.objects.filter(house__cluster=demo)
            .select_related("hall")
            .prefetch_related("quotas__categories")
        )
        availability = performances_availability(performances=performances)
        sold_per_performance = dict(
            Ticket.objects.filter(house__cluster=demo, state="valid")
            .values("performance")
            .annotate(n=Count("pk"))
            .values_list("performance", "n")
        )
        blocked_per_performance = dict(
            PerformanceSeat.objects.filter(house__cluster=demo, state="blocked")
            .values("performance")
            .annotate(n=Count("pk"))
            .values_list("performance", "n")
        )
        fees = dict(
            SalesSettings.objects.filter(house__cluster=demo)
            .exclude(fee_per_ticket=0)
            .values_list("house__slug", "fee_per_ticket")
        )
        mollie_keys = set(
            SalesSettings.objects.filter(house__cluster=demo).values_list(
                "mollie_api_key", flat=True
            )
        )

    for performance in performances:
        hall = performance.hall
        quotas = list(performance.quotas.all())
        assert [(q.size, list(q.categories.all())) for q in quotas] == [
            (hall.capacity, [])
        ], performance
        sold = sold_per_performance.get(performance.pk, 0)
        assert quotas[0].used == sold, performance
        blocked = blocked_per_performance.get(performance.pk, 0)
        if performance.status == Performance.Status.ON_SALE:
            assert availability[performance.pk].available == (
                hall.capacity - sold - blocked
            )
    assert fees == {"cc-de-steiger": 1}
    assert mollie_keys == {demo_data.LOCAL_MOLLIE_KEY}  # make run's local Mollie
    sold_out = [p for p in performances if availability[p.pk].sold_out]
    assert [(p.production.title["nl"], p.house.slug) for p in sold_out] == [
        ("De Storm", "cc-de-steiger")
    ]


def test_the_sold_out_night_and_other_orders_are_real_paid_box_office_sales(demo):
    with platform_scope():
        orders = list(
            Order.objects.filter(house__cluster=demo).prefetch_related(
                "tickets", "payments", "fees", "items"
            )
        )
        clerk = get_user_model().objects.get(username="steiger-ticketing")

    assert len(orders) > demo_data.OTHER_ORDERS
    for order in orders:
        assert (order.state, order.channel, order.created_by) == (
            "paid",
            "box_office",
            clerk,
        )
        assert order.send_confirmation is False
        tickets = list(order.tickets.all())
        if not tickets:  # the friends pass and the gift voucher (demo_passes)
            assert {i.kind for i in order.items.all()} <= {"membership", "voucher"}
            continue
        assert 1 <= len(tickets) <= 4
        assert {p.provider for p in order.payments.all()} <= {"cash", "card_terminal"}
        fees = sum(f.amount for f in order.fees.all())
        assert order.total == sum(t.price for t in tickets) + fees
        assert fees == len(tickets)  # 1 EUR per paid ticket at De Steiger


def test_seated_halls_have_plans_and_their_performances_sell_by_seat(demo):
    with platform_scope():
        plans = {
            plan.hall.name: plan
            for plan in SeatPlan.objects.filter(house__cluster=demo).select_related(
                "hall"
            )
        }
        seated = Performance.objects.filter(
            house__cluster=demo, hall__kind=Hall.Kind.SEATED
        )
        assert set(plans) == {"Grote zaal", "Theaterzaal"}
        for plan in plans.values():
            assert plan.seats.count() == plan.hall.capacity
            assert 300 <= plan.hall.capacity <= 800
            assert plan.seats.filter(wheelchair=True).exists()
            assert set(plan.seats.values_list("zone", flat=True)) == {1, 2}
        assert all(plan.sections.count() == 2 for plan in plans.values())
        assert PerformanceSeating.objects.filter(performance__in=seated).count() == (
            seated.count()
        )
        # the mixing desk is blocked in every performance in the Grote zaal
        assert (
            PerformanceSeat.objects.filter(
                performance__hall__name="Grote zaal", state="blocked"
            ).count()
            == 4 * seated.filter(hall__name="Grote zaal").count()
        )


def test_the_sold_out_night_sold_each_seat_once(demo):
    with platform_scope():
        night = next(
            p
            for p in Performance.objects.filter(house__cluster=demo)
            if p.tickets.exists()
            and p.hall.name == "Grote zaal"
            and not PerformanceSeat.objects.filter(performance=p, state="free").exists()
        )
        tickets = Ticket.objects.filter(performance=night)
        seats = list(tickets.values_list("seat_id", flat=True))
        assert len(seats) == len(set(seats)) == 636  # 640 less the mixing desk
        assert tickets.filter(seat_label="").count() == 0
        assert (
            PerformanceSeat.objects.filter(performance=night, state="sold").count()
            == 636
        )


def test_tonight_a_show_is_at_the_door_and_its_tickets_scan(demo):
    house = House.objects.get(slug=demo_data.BOX_OFFICE_HOUSE)
    with house_scope(house):
        (tonight,) = [
            p
            for p in performances_to_scan(house=house)
            if p.production.title["nl"] == "Blue Monday Sessions"
        ]
        ticket = Ticket.objects.filter(performance=tonight).first()
        outcome = scan_ticket(
            house=house,
            actor=None,
            performance=tonight,
            payload=ticket_payload(ticket),
            entrance="A",
        )
        again = scan_ticket(
            house=house,
            actor=None,
            performance=tonight,
            payload=ticket_payload(ticket),
            entrance="B",
        )

    assert tonight.status == Performance.Status.ON_SALE
    assert (outcome.admitted, outcome.reason) == (True, "valid")
    assert (again.admitted, again.reason, again.first_entrance) == (
        False,
        "already_scanned",
        "A",
    )
    assert "At the door today: Blue Monday Sessions" in _load()  # the same show


def test_house_admins_have_the_demo_authenticator_and_totp_code_shows_its_code(
    demo, loaded_output
):
    from podium.tenancy import totp
    from podium.tenancy.two_factor import two_factor_setup_needed, two_factor_verify

    admin = get_user_model().objects.get(username="steiger-admin")
    out = StringIO()
    call_command("totp_code", "steiger-admin", stdout=out)
    code = out.getvalue().split()[0]

    assert demo_data.TOTP_SECRET in loaded_output
    assert "totp_code steiger-admin" in loaded_output
    assert not two_factor_setup_needed(admin)
    assert code == totp.totp(totp.secret_bytes(demo_data.TOTP_SECRET), time.time())
    assert two_factor_verify(user=admin, code=code)


def test_totp_code_refuses_any_other_account(demo):
    from django.core.management.base import CommandError

    for username in ("steiger-programmer", "nobody"):
        with pytest.raises(CommandError):
            call_command("totp_code", username, stdout=StringIO())


def test_de_steiger_sells_a_free_choice_and_a_same_seat_series(demo):
    with platform_scope():
        types = list(
            SubscriptionType.objects.filter(house__slug="cc-de-steiger").order_by(
                "position"
            )
        )
        choice, series = types
        offered = list(choice.performances.select_related("hall"))
        tariffs = list(choice.tariffs.values_list("factor", flat=True))
        series_count = series.performances.count()

    assert choice.name["nl"] == (
        "Theaterabonnement 2026–2027: kies 4 tot 8, 15 % korting"
    )
    assert (choice.kind, choice.min_choices, choice.max_choices) == ("choice", 4, 8)
    assert choice.discount_percent == Decimal("15")
    assert len(offered) >= 6
    assert {performance.hall.name for performance in offered} == {"Grote zaal"}
    assert tariffs == [Decimal("0.8")]
    assert (series.kind, series.same_seat, series_count) == ("fixed", True, 3)


def test_de_steiger_has_a_friend_with_a_valid_pass_and_a_part_paying_voucher(demo):
    from podium.demo.demo_passes import FRIEND_EMAIL, VOUCHER_CODE
    from podium.passes.memberships import member_pass_of_customer
    from podium.passes.models import GiftVoucher, Membership
    from podium.passes.vouchers import voucher_usable

    with platform_scope():
        house = House.objects.get(slug="cc-de-steiger")
    with house_scope(house):
        membership = Membership.objects.select_related("customer", "type").get()
        members = list(Tariff.objects.filter(kind="member").select_related("category"))
        fulls = {
            (t.category_id, t.performance_id): t.price
            for t in Tariff.objects.filter(kind="full")
        }
        voucher = voucher_usable(house=house, code=VOUCHER_CODE.lower())
        assert member_pass_of_customer(house=house, customer=membership.customer)
    assert membership.customer.email == FRIEND_EMAIL
    assert membership.customer.password  # she can sign in to the shop
    assert membership.type.early_access_days == 7
    assert membership.type.max_tickets_per_performance == 2
    assert members and all(
        t.price < fulls[(t.category_id, t.performance_id)] for t in members
    )
    assert (voucher.state, voucher.balance) == (GiftVoucher.State.ACTIVE, 15)
    assert membership.order.state == voucher.order.state == "paid"
