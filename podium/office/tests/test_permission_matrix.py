"""Every office URL × every role: allowed exactly where ROLE_ACTIONS says so.

House A's staff get the page (200) or the action done (302) where their role grants
the URL's action, and a 403 where it does not. Staff of house B, and a coordinator of
another cluster, asking for house A's objects get a 404 (as for a missing object) or
a 403, and house A is left exactly as it was.
"""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse
from django.utils import timezone

from podium.catalog.models import (
    Performance,
    PressQuote,
    Production,
    ProductionImage,
    VideoLink,
)
from podium.catalog.tests.factories import PerformanceFactory
from podium.core.models import AuditEntry
from podium.customers.models import Customer, CustomerNote, CustomerRelation
from podium.customers.tests.factories import customer_make
from podium.office import urls as office_urls
from podium.office.access import ACCESS
from podium.passes.configuration import subscription_type_create
from podium.passes.models import (
    GiftVoucher,
    Membership,
    MembershipType,
    Subscription,
    SubscriptionTariff,
    SubscriptionType,
    VoucherUse,
)
from podium.passes.tests.factories import membership_type_make, voucher_active_make
from podium.sales.models import (
    Basket,
    Hold,
    Order,
    PerformanceCancellation,
    PriceCategory,
    PromoCode,
    Quota,
    Refund,
    RegisterClosing,
    Tariff,
    Ticket,
)
from podium.sales.promo_configuration import promo_code_create
from podium.sales.services.baskets import basket_add
from podium.sales.services.reservations import reservation_create
from podium.sales.tests.factories import QuotaFactory
from podium.seating.models import PerformanceSeat, PerformanceSeating, Seat, SeatPlan
from podium.seating.tests.factories import seat_plan_make
from podium.tenancy.middleware import SESSION_HOUSE_KEY
from podium.tenancy.models import StaffRole
from podium.tenancy.permissions import ROLE_ACTIONS, can
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory
from podium.waitingroom.models import WaitingEntry, WaitingRoom

from .helpers import (
    month_after,
    performance_data,
    png_upload,
    production_data,
    series_data,
    tariff_data,
)

Role = StaffRole.Role
HOUSE_ROLES = [role for role in Role if role != Role.CLUSTER_COORDINATOR]

# (URL name, method): every office page and every form submission.
CASES = [
    ("home", "get"),
    ("house-switch", "post"),
    ("production-list", "get"),
    ("production-detail", "get"),
    ("production-create", "get"),
    ("production-create", "post"),
    ("production-edit", "get"),
    ("production-edit", "post"),
    ("production-duplicate", "post"),
    ("image-add", "get"),
    ("image-add", "post"),
    ("video-add", "get"),
    ("video-add", "post"),
    ("press-quote-add", "get"),
    ("press-quote-add", "post"),
    ("series-create", "get"),
    ("series-create", "post"),
    ("performance-edit", "get"),
    ("performance-edit", "post"),
    ("price-list", "get"),
    ("price-category-create", "get"),
    ("price-category-create", "post"),
    ("tariff-create", "get"),
    ("tariff-create", "post"),
    ("tariff-edit", "get"),
    ("tariff-edit", "post"),
    ("performance-prices", "get"),
    ("price-list-customize", "post"),
    ("quota-list", "get"),
    ("quota-create", "get"),
    ("quota-create", "post"),
    ("quota-edit", "get"),
    ("quota-edit", "post"),
    ("performance-seats", "get"),
    ("performance-seating-setup", "post"),
    ("performance-seats-change", "post"),
    ("performance-seat-states", "get"),
    ("performance-cancel", "get"),
    ("performance-cancel", "post"),
    ("cancellation-detail", "get"),
    ("hall-list", "get"),
    ("hall-plan", "get"),
    ("hall-plan-export-json", "get"),
    ("hall-plan-export-csv", "get"),
    ("hall-plan-generate", "get"),
    ("hall-plan-generate", "post"),
    ("hall-plan-import", "get"),
    ("hall-plan-import", "post"),
    ("desk", "get"),
    ("desk-sale", "get"),
    ("desk-sale", "post"),
    ("desk-receipt", "get"),
    ("desk-reservations", "get"),
    ("desk-reservation-sell", "post"),
    ("desk-reservation-release", "post"),
    ("attendance-now", "get"),
    ("checkin-list", "get"),
    ("checkin-scanner", "get"),
    ("checkin-package", "get"),
    ("checkin-scan", "post"),
    ("checkin-sync", "post"),
    ("checkin-attendance", "get"),
    ("register-day", "get"),
    ("register-close", "get"),
    ("register-close", "post"),
    ("order-tickets-pdf", "get"),
    ("order-list", "get"),
    ("order-detail", "get"),
    ("order-resend", "post"),
    ("order-refund", "get"),
    ("order-refund", "post"),
    ("order-cancel", "get"),
    ("order-cancel", "post"),
    ("order-exchange", "get"),
    ("order-exchange", "post"),
    ("ticket-holder", "post"),
    ("customer-list", "get"),
    ("customer-lookup", "get"),
    ("customer-create", "get"),
    ("customer-create", "post"),
    ("customer-detail", "get"),
    ("customer-edit", "get"),
    ("customer-edit", "post"),
    ("customer-note-add", "post"),
    ("customer-export", "get"),
    ("customer-export-json", "get"),
    ("customer-erase", "get"),
    ("customer-erase", "post"),
    ("privacy", "get"),
    ("privacy", "post"),
    ("audit-log", "get"),
    ("two-factor", "get"),
    ("two-factor-disable", "get"),
    ("waiting-room-list", "get"),
    ("waiting-room-create", "get"),
    ("waiting-room-create", "post"),
    ("waiting-room-detail", "get"),
    ("waiting-room-edit", "get"),
    ("waiting-room-edit", "post"),
    ("waiting-room-figures", "get"),
    ("waiting-room-pause", "post"),
    ("subscription-type-list", "get"),
    ("subscription-type-create", "get"),
    ("subscription-type-create", "post"),
    ("subscription-report", "get"),
    ("subscription-type-detail", "get"),
    ("subscription-type-edit", "get"),
    ("subscription-type-edit", "post"),
    ("subscription-tariff-create", "get"),
    ("subscription-tariff-create", "post"),
    ("subscription-capacity", "post"),
    ("subscription-sell", "get"),
    ("subscription-sell", "post"),
    ("promo-code-list", "get"),
    ("promo-code-create", "get"),
    ("promo-code-create", "post"),
    ("promo-code-edit", "get"),
    ("promo-code-edit", "post"),
    ("promo-code-deactivate", "post"),
    ("membership-type-list", "get"),
    ("membership-type-create", "get"),
    ("membership-type-create", "post"),
    ("membership-type-edit", "get"),
    ("membership-type-edit", "post"),
    ("membership-list", "get"),
    ("membership-sell", "get"),
    ("membership-sell", "post"),
    ("membership-report", "get"),
    ("voucher-list", "get"),
    ("voucher-sell", "get"),
    ("voucher-sell", "post"),
    ("voucher-detail", "get"),
    ("voucher-pdf", "get"),
]
PUBLIC = {name for name, action in ACCESS.items() if action is None}
# The scanner's endpoints take JSON and answer JSON (200), not a form and a redirect.
JSON_POSTS = {"checkin-scan", "checkin-sync"}
PLAN_CSV = (
    "section,row,number,row_order,order,x,y,zone,wheelchair,companion,"
    "restricted_view,blocked,kept\n"
    "Zaal,A,1,0,0,0,0,1,0,0,0,0,0\n"
    "Zaal,A,2,0,1,1,0,1,0,0,0,0,0\n"
)


@pytest.fixture(autouse=True)
def seat_plan(sales):
    """The hall pages' hall: the on-sale performance's hall, with plan version 1.
    (world.hall stays without a plan: its performance's seating set-up needs that.)"""
    return seat_plan_make(house=sales.performance.house, hall=sales.performance.hall)


def _patterns() -> list[URLPattern]:
    return [p for p in office_urls.urlpatterns if isinstance(p, URLPattern)]


@pytest.fixture(autouse=True)
def reservation(sales, world):
    """A phone reservation of one place, for the reservation pages."""
    with house_scope(world.house):
        basket = reservation_create(
            house=world.house,
            actor=None,
            performance=sales.performance,
            reserved_for="Mevrouw Janssens",
            contact="0470 12 34 56",
            until=min(
                sales.performance.starts_at - timedelta(hours=1),
                timezone.now() + timedelta(days=2),
            ),
        )
        basket_add(
            house=world.house,
            actor=None,
            basket=basket,
            performance=sales.performance,
            tariff=sales.tariff,
            quantity=1,
        )
    return basket


@pytest.fixture(autouse=True)
def waiting_room(sales, world):
    """A waiting room for the on-sale performance, for the waiting room pages."""
    return WaitingRoom.objects.create(
        house=world.house,
        scope=WaitingRoom.Scope.PERFORMANCE,
        performance=sales.performance,
        opens_at=timezone.now() + timedelta(days=1),
        rate_per_minute=100,
    )


@pytest.fixture(autouse=True)
def subscription_type(sales, world):
    """A fixed series over the on-sale performance, for the subscription pages."""
    with house_scope(world.house):
        return subscription_type_create(
            house=world.house,
            actor=None,
            name={"nl": "Reeks A"},
            kind=SubscriptionType.Kind.FIXED,
            performances=[sales.performance],
            price="30.00",
        )


@pytest.fixture(autouse=True)
def promo_code(sales, world):
    """A percent code for the on-sale production, for the promo code pages."""
    with house_scope(world.house):
        return promo_code_create(
            house=world.house,
            actor=None,
            code="WELKOM",
            kind="percent",
            value=10,
            productions=[sales.performance.production],
        )


@pytest.fixture(autouse=True)
def membership_type(sales, world):
    """A friends pass type on sale, for the friends pass pages."""
    with house_scope(world.house):
        return membership_type_make(world.house, productions=[world.production])


@pytest.fixture(autouse=True)
def gift_voucher(world):
    """A paid gift voucher, for the voucher pages."""
    with house_scope(world.house):
        return voucher_active_make(world.house)


def _membership_type_data(world, **extra) -> dict:
    return {
        "name_nl": "Vriendenpas Plus",
        "price": "60.00",
        "vat_rate": "0.00",
        "validity_months": "12",
        "productions": [world.production.pk],
        "early_access_days": "7",
        "is_active": "on",
        **extra,
    }


def _subscription_type_data(sales, **extra) -> dict:
    return {
        "kind": "fixed",
        "name_nl": "Reeks B",
        "performances": [sales.performance.pk],
        "price": "45.00",
        "is_active": "on",
        **extra,
    }


def _waiting_room_data(performance, **extra) -> dict:
    return {
        "name": "Seizoensstart",
        "scope": "performance",
        "performance": performance.pk,
        "opens_at": (timezone.localtime() + timedelta(days=2)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "rate_per_minute": "",
        "admission_minutes": "15",
        "is_enabled": "on",
        **extra,
    }


@pytest.fixture(autouse=True)
def customer(world):
    """A customer house A knows, with one note of house A, for the customer pages."""
    return customer_make(
        world.house,
        name="Hilde Hamers",
        email="hilde@example.be",
        phone="0470 11 22 33",
        note="Komt met de rolstoel",
    )


@pytest.fixture(autouse=True)
def exchange_target(sales, world):
    """Another coming performance of the sold production, for the exchange."""
    target = PerformanceFactory(
        house=world.house, production=sales.performance.production
    )
    QuotaFactory(performance=target, size=10)
    return target


def _exchange_data(world, sales) -> dict:
    with house_scope(world.house):
        target = (
            Performance.objects.filter(production=sales.performance.production)
            .exclude(pk=sales.performance.pk)
            .get()
        )
    return {
        "performance": target.pk,
        "tickets": sales.paid_tickets[:1],
        "payment_method": "cash",
        "refund_method": "cash",
        "action": "confirm",
    }


def _kwargs(name: str, world, sales) -> dict:
    """The URL kwargs of `name`, pointing at house A's objects."""
    pattern = next(p for p in _patterns() if p.name == name)
    converters = pattern.pattern.converters
    if not converters:
        return {}
    if name.startswith("desk-reservation-"):
        with house_scope(world.house):
            return {"pk": Basket.objects.exclude(reserved_for="").get().pk}
    if name.startswith("hall-"):
        return {"pk": sales.performance.hall_id}
    if name.startswith("checkin-"):
        return {"pk": sales.performance.pk}
    if name.startswith("customer-"):
        return {"pk": Customer.objects.get(email="hilde@example.be").pk}
    if name.startswith("waiting-room-"):
        with house_scope(world.house):
            return {"pk": WaitingRoom.objects.get(house=world.house).pk}
    if name.startswith("subscription-"):
        with house_scope(world.house):
            return {"pk": SubscriptionType.objects.get(house=world.house).pk}
    if name.startswith("promo-code-"):
        with house_scope(world.house):
            return {"pk": PromoCode.objects.get(house=world.house).pk}
    if name.startswith("membership-type-"):
        with house_scope(world.house):
            return {"pk": MembershipType.objects.get(house=world.house).pk}
    if name.startswith("voucher-"):
        with house_scope(world.house):
            return {"pk": GiftVoucher.objects.get(house=world.house).pk}
    if name == "ticket-holder":
        return {"code": sales.paid.code, "pk": sales.paid_tickets[0]}
    if "code" in converters:
        order = sales.pending if name == "order-cancel" else sales.paid
        return {"code": order.code}
    objects = {
        "tariff-edit": sales.tariff,
        "quota-edit": sales.quota,
        "cancellation-detail": sales.job,
        "price-list": sales.performance.production,
        "price-category-create": sales.performance.production,
        "tariff-create": sales.performance.production,
        "performance-prices": sales.performance,
        "price-list-customize": sales.performance,
        "quota-list": sales.performance,
        "quota-create": sales.performance,
        "performance-cancel": sales.performance,
        "desk-sale": sales.performance,
    }
    if name in objects:
        return {"pk": objects[name].pk}
    obj = world.performance if name.startswith("performance-") else world.production
    return {"pk": obj.pk}


def _payload(name: str, world, sales) -> dict:
    first, last = month_after()
    builders = {
        "house-switch": lambda: {"house": world.house.pk},
        "production-create": lambda: production_data(world.discipline, world.theme),
        "production-edit": lambda: production_data(
            world.discipline, title_nl="Hamlet, herwerkt"
        ),
        "production-duplicate": dict,
        "image-add": lambda: {"image": png_upload(), "alt_text_nl": "Een affiche"},
        "video-add": lambda: {"url": "https://video.example/trailer"},
        "press-quote-add": lambda: {"quote_nl": "Prachtig!", "source": "De Krant"},
        "series-create": lambda: series_data(world.hall, first, last),
        # A status change only: a ticketing officer may do this, not move the show.
        "performance-edit": lambda: performance_data(
            world.performance, status="on_sale"
        ),
        "price-category-create": lambda: {"name_nl": "Balkon", "position": "2"},
        "tariff-create": lambda: tariff_data(sales.category),
        "tariff-edit": lambda: tariff_data(sales.category, price="18.50"),
        "price-list-customize": dict,
        "quota-create": lambda: {"name": "Balkon", "size": "40"},
        "quota-edit": lambda: {"name": "Zaal", "size": "120"},
        "performance-cancel": lambda: {"reason": "De hoofdrolspeler is ziek."},
        "performance-seating-setup": dict,
        "performance-seats-change": lambda: {"action": "block", "seat": []},
        "hall-plan-generate": lambda: {
            "stalls_name_nl": "Zaal",
            "stalls_rows": "4",
            "stalls_seats_per_row": "10",
            "stalls_shape": "straight",
            "stalls_numbering": "continuous",
        },
        "hall-plan-import": lambda: {
            "file": SimpleUploadedFile("zaal.csv", PLAN_CSV.encode(), "text/csv")
        },
        "desk-sale": lambda: {f"tariff_{sales.tariff.pk}": "1", "provider": "cash"},
        "desk-reservation-sell": lambda: {"provider": "card_terminal"},
        "desk-reservation-release": dict,
        "register-close": lambda: {"counted_cash": "0.00"},
        "checkin-scan": lambda: {"code": "PD1.not-a-ticket.x", "entrance": "A"},
        "checkin-sync": lambda: {"device": "phone-1", "scans": []},
        "order-resend": dict,
        "order-refund": lambda: {"tickets": sales.paid_tickets[:1]},
        "order-cancel": lambda: {"reason": "Op vraag van de klant"},
        "order-exchange": lambda: _exchange_data(world, sales),
        "ticket-holder": lambda: {"name": "Bert Peeters"},
        "customer-create": lambda: {"line": "Nieuwe Klant, nieuw@example.be"},
        "customer-edit": lambda: {
            "name": "Hilde Hamers-Peeters",
            "email": "hilde@example.be",
            "phone": "0470 11 22 33",
        },
        "customer-note-add": lambda: {"text": "Wil graag op rij A zitten."},
        "customer-erase": lambda: {"confirm": "on"},
        "privacy": lambda: {"customer_retention_years": "3"},
        "waiting-room-create": lambda: _waiting_room_data(world.performance),
        "waiting-room-edit": lambda: _waiting_room_data(
            sales.performance, rate_per_minute="250"
        ),
        "waiting-room-pause": lambda: {"action": "pause"},
        "subscription-type-create": lambda: _subscription_type_data(sales),
        "subscription-type-edit": lambda: _subscription_type_data(
            sales, name_nl="Reeks A, herwerkt", price="35.00"
        ),
        "subscription-tariff-create": lambda: {
            "name_nl": "Abonnement -26",
            "factor": "0.8",
            "is_active": "on",
        },
        "subscription-capacity": lambda: {f"kept_{sales.performance.pk}": "5"},
        "subscription-sell": lambda: {
            "quantity": "1",
            "provider": "cash",
            "action": "sell",
        },
        "promo-code-create": lambda: {
            "code": "zomer-10",
            "kind": "percent",
            "value": "10",
            "productions": [sales.performance.production.pk],
            "is_active": "on",
        },
        "promo-code-edit": lambda: {
            "code": "WELKOM",
            "kind": "amount",
            "value": "5",
            "tariffs": [sales.tariff.pk],
            "is_active": "on",
        },
        "promo-code-deactivate": dict,
        "membership-type-create": lambda: _membership_type_data(world),
        "membership-type-edit": lambda: _membership_type_data(
            world, name_nl="Vriendenpas, herwerkt", price="45.00"
        ),
        "membership-sell": lambda: {
            "type": _kwargs("membership-type-edit", world, sales)["pk"],
            "holder_name": "Mieke Maes",
            "holder_email": "mieke@example.be",
            "provider": "cash",
        },
        "voucher-sell": lambda: {
            "value": "25.00",
            "buyer_name": "Jan Janssens",
            "buyer_email": "jan@example.be",
            "provider": "card_terminal",
        },
    }
    return builders[name]()


def _visit(client, name: str, method: str, world, sales):
    url = reverse(f"office:{name}", kwargs=_kwargs(name, world, sales))
    if method == "get":
        return client.get(url)
    if name in JSON_POSTS:
        body = json.dumps(_payload(name, world, sales))
        return client.post(url, body, content_type="application/json")
    return client.post(url, _payload(name, world, sales))


def _house_state(house) -> dict:
    """Everything of house A an office page could change."""
    with house_scope(house):
        return {
            "productions": list(
                Production.objects.filter(house=house)
                .order_by("pk")
                .values("pk", "title", "tags", "duration_minutes")
            ),
            "performances": list(
                Performance.objects.filter(house=house)
                .order_by("pk")
                .values("pk", "hall", "starts_at", "ends_at", "status")
            ),
            "images": ProductionImage.objects.filter(house=house).count(),
            "videos": VideoLink.objects.filter(house=house).count(),
            "quotes": PressQuote.objects.filter(house=house).count(),
            "audit": AuditEntry.objects.filter(house_id=house.pk).count(),
            "categories": PriceCategory.objects.filter(house=house).count(),
            "tariffs": list(
                Tariff.objects.filter(house=house)
                .order_by("pk")
                .values("pk", "price", "kind", "performance")
            ),
            "quotas": list(
                Quota.objects.filter(house=house)
                .order_by("pk")
                .values("pk", "name", "size", "used")
            ),
            "orders": list(
                Order.objects.filter(house=house)
                .order_by("pk")
                .values("pk", "state", "total")
            ),
            "tickets": list(
                Ticket.objects.filter(house=house)
                .order_by("pk")
                .values("pk", "state", "holder_name")
            ),
            "refunds": Refund.objects.filter(house=house).count(),
            "register_closings": RegisterClosing.objects.filter(house=house).count(),
            "holds": list(
                Hold.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "state")
            ),
            "seatings": PerformanceSeating.objects.filter(house=house).count(),
            "seats": list(
                PerformanceSeat.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "state")
            ),
            "cancellations": PerformanceCancellation.objects.filter(
                house=house
            ).count(),
            "seat_plans": list(
                SeatPlan.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "hall", "version")
            ),
            "plan_seats": Seat.objects.filter(plan__house=house).count(),
            "customers": list(
                CustomerRelation.objects.filter(house=house)
                .order_by("pk")
                .values_list("customer", "customer__name", "customer__email")
            ),
            "customer_notes": CustomerNote.objects.filter(house=house).count(),
            "waiting_rooms": list(
                WaitingRoom.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "paused", "rate_per_minute", "opens_at", "name")
            ),
            "waiting_entries": WaitingEntry.objects.filter(house=house).count(),
            "subscription_types": list(
                SubscriptionType.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "name", "price", "is_active")
            ),
            "subscription_tariffs": SubscriptionTariff.objects.filter(
                house=house
            ).count(),
            "subscriptions": Subscription.objects.filter(house=house).count(),
            "promo_codes": list(
                PromoCode.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "code", "kind", "value", "is_active", "uses")
            ),
            "membership_types": list(
                MembershipType.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "name", "price", "is_active")
            ),
            "memberships": list(
                Membership.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "state", "valid_until")
            ),
            "vouchers": list(
                GiftVoucher.objects.filter(house=house)
                .order_by("pk")
                .values_list("pk", "state", "balance")
            ),
            "voucher_uses": VoucherUse.objects.filter(house=house).count(),
        }


def test_every_office_url_is_in_the_registry_with_the_action_its_view_checks():
    names = {pattern.name for pattern in _patterns()}

    assert names == set(ACCESS)
    for pattern in _patterns():
        assert getattr(pattern.callback, "office_action", None) == ACCESS[pattern.name]


def test_every_protected_url_has_a_matrix_case():
    assert {name for name, _method in CASES} == set(ACCESS) - PUBLIC


@pytest.mark.parametrize(("name", "method"), CASES)
def test_anonymous_is_sent_to_the_login_page(client, world, sales, name, method):
    before = _house_state(world.house)

    response = _visit(client, name, method, world, sales)

    assert response.status_code == 302
    assert response.url.startswith(reverse("office:login") + "?next=/office/")
    assert _house_state(world.house) == before


@pytest.mark.parametrize("role", HOUSE_ROLES)
@pytest.mark.parametrize(("name", "method"), CASES)
def test_house_staff_may_do_exactly_what_their_role_grants(
    client, world, sales, staff_factory, role, name, method
):
    client.force_login(staff_factory(world.house, role))
    granted = ACCESS[name] in ROLE_ACTIONS[role]

    response = _visit(client, name, method, world, sales)

    answers = 200 if method == "get" or name in JSON_POSTS else 302
    expected = answers if granted else 403
    assert response.status_code == expected


@pytest.fixture
def outsider_factory(other_house, staff_factory):
    """Staff of house B (same cluster), or a coordinator of another cluster."""

    def make(role):
        if role == Role.CLUSTER_COORDINATOR:
            cluster = ClusterFactory()
            HouseFactory(cluster=cluster, name="Huis C")
            return staff_factory(None, role, cluster=cluster)
        return staff_factory(other_house, role)

    return make


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "method"), CASES)
def test_staff_elsewhere_cannot_reach_house_a(
    client, world, sales, outsider_factory, role, name, method
):
    user = outsider_factory(role)
    client.force_login(user)
    before = _house_state(world.house)

    response = _visit(client, name, method, world, sales)

    own_house = response.wsgi_request.house
    assert own_house is not None and own_house.pk != world.house.pk
    if _kwargs(name, world, sales) or name == "house-switch":
        refused = 404 if can(user, ACCESS[name], own_house) else 403
        if name == "house-switch":
            refused = 403
        assert response.status_code == refused
    else:
        # Pages without an object id serve the user's own house, never house A's.
        assert b"Hamlet" not in response.content
        assert sales.paid.code.encode() not in response.content
    assert _house_state(world.house) == before
    assert client.session.get(SESSION_HOUSE_KEY) != world.house.pk
