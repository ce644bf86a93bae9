"""Tenant isolation, model by model: how each house-owned model can be reached by id,
and proof that house B cannot reach house A's rows that way.

REACH lists every model with a `house` foreign key: the office URLs and API
operations that take its id (in the URL, a form field or a JSON body), or why no
URL takes its id. A new house-owned model fails the first test until it is listed.
Each office URL named here is in the office permission matrix (which proves staff of
house B get a 404 for house A's ids there, house A unchanged); each API operation
named here exists (podium/api/tests/test_api_permission_matrix.py proves the same for
every API operation). The tests below post house A's ids in house B's own forms.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from podium.catalog.tests.factories import PerformanceFactory
from podium.customers.models import Customer
from podium.sales.models import Order, PromoCode, Tariff
from podium.sales.promo_configuration import promo_code_create
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import buy, on_sale_performance
from podium.seating.models import PerformanceSeat
from podium.seating.services import performance_seating_setup
from podium.seating.tests.factories import seat_plan_make
from podium.tenancy.models import House
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import HallFactory

from .test_permission_matrix import CASES, _house_state

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Reach:
    office: tuple[str, ...] = ()  # office URL names that take its id
    api: tuple[str, ...] = ()  # API URL names (ninja operation names)
    fields: tuple[str, ...] = ()  # form fields / JSON keys that carry its id
    not_by_id: str = ""  # why no URL takes its id


def _reach(**kwargs) -> Reach:
    return Reach(
        **{k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    )


PERFORMANCE_PAGES = [
    "performance-edit",
    "performance-prices",
    "price-list-customize",
    "quota-list",
    "quota-create",
    "performance-seats",
    "performance-seating-setup",
    "performance-seats-change",
    "performance-seat-states",
    "performance-cancel",
    "desk-sale",
    "checkin-scanner",
    "checkin-package",
    "checkin-scan",
    "checkin-sync",
    "checkin-attendance",
]
ORDER_PAGES = [
    "order-detail",
    "order-resend",
    "order-refund",
    "order-cancel",
    "order-exchange",
    "order-tickets-pdf",
    "ticket-holder",
]
HALL_PAGES = [
    "hall-plan",
    "hall-plan-export-json",
    "hall-plan-export-csv",
    "hall-plan-generate",
    "hall-plan-import",
]
SUBSCRIPTION_PAGES = [
    "subscription-type-detail",
    "subscription-type-edit",
    "subscription-tariff-create",
    "subscription-capacity",
    "subscription-sell",
]
CHECKIN_API = ["scan_api", "sync_api", "package_api", "attendance_api"]

REACH: dict[str, Reach] = {
    "tenancy.Venue": _reach(
        not_by_id="Shown with its halls on the hall list of the user's house; no URL "
        "or form takes a venue id."
    ),
    "tenancy.Hall": _reach(
        office=HALL_PAGES + ["series-create", "performance-edit"],
        fields=["hall (series and performance forms)"],
    ),
    "tenancy.StaffRole": _reach(
        not_by_id="Read for the logged-in user only (houses_for); roles are granted "
        "in the platform admin, not in the office or API."
    ),
    "tenancy.ApiKey": _reach(
        not_by_id="Found by its secret in TenantMiddleware, never by id; managed in "
        "the platform admin."
    ),
    "catalog.Artist": _reach(
        office=["production-create", "production-edit"],
        fields=["artists (production form: the house's artists only)"],
    ),
    "catalog.Production": _reach(
        office=[
            "membership-type-create",
            "membership-type-edit",
            "production-detail",
            "production-edit",
            "production-duplicate",
            "image-add",
            "video-add",
            "press-quote-add",
            "series-create",
            "price-list",
            "price-category-create",
            "tariff-create",
            "waiting-room-create",
            "waiting-room-edit",
            "promo-code-create",
            "promo-code-edit",
        ],
        api=["production_list"],  # public: the cluster's public programme
        fields=[
            "production (waiting room form: the house's productions only)",
            "productions (promo code form: the house's productions only)",
            "productions (friends pass type form: the house's productions only)",
        ],
    ),
    "catalog.ProductionImage": _reach(
        not_by_id="Added under its production (image-add) and shown on it; no URL "
        "takes an image id."
    ),
    "catalog.VideoLink": _reach(
        not_by_id="Added under its production (video-add); no URL takes its id."
    ),
    "catalog.PressQuote": _reach(
        not_by_id="Added under its production (press-quote-add); no URL takes its id."
    ),
    "catalog.Performance": _reach(
        office=PERFORMANCE_PAGES
        + ["order-exchange", "waiting-room-create", "waiting-room-edit"]
        + ["subscription-type-create", "subscription-type-edit"]
        + ["subscription-capacity", "subscription-sell"]
        + ["promo-code-create", "promo-code-edit"],
        api=["performance_list", "hold_create_api", *CHECKIN_API],
        fields=[
            "performance (exchange target; API hold and scan bodies; waiting room "
            "form: the house's performances only)",
            "performances (subscription type form: the house's coming ones; "
            "subscription sale: the type's own)",
            "kept_<performance id> (kept capacity: the type's performances only)",
            "performances (promo code form: the house's own only)",
        ],
    ),
    "customers.CustomerRelation": _reach(
        office=[
            "customer-detail",
            "customer-edit",
            "customer-note-add",
            "desk-sale",
            "subscription-sell",
        ],
        fields=["customer (desk and subscription sale: a customer the house knows)"],
    ),
    "customers.CustomerNote": _reach(
        not_by_id="Listed on its customer's page for its own house only; added "
        "with customer-note-add; no URL takes a note id."
    ),
    "customers.Consent": _reach(
        not_by_id="Written from the customer's own account (the session's customer) "
        "and read per house; no URL takes a consent id."
    ),
    "customers.PrivacySettings": _reach(
        not_by_id="One row per house, loaded from request.house."
    ),
    "sales.SalesSettings": _reach(
        not_by_id="One row per house, loaded from request.house."
    ),
    "sales.PriceCategory": _reach(
        office=["price-category-create", "tariff-create", "tariff-edit"],
        fields=["category (tariff form: the production's categories only)"],
    ),
    "sales.Tariff": _reach(
        office=[
            "tariff-edit",
            "desk-sale",
            "order-exchange",
            "promo-code-create",
            "promo-code-edit",
        ],
        api=["hold_create_api"],
        fields=[
            "tariff_<id> (desk sale)",
            "tariff (API hold body)",
            "tariffs (promo code form: the house's own only)",
        ],
    ),
    "sales.Quota": _reach(
        office=["quota-edit"],
        not_by_id="Quotas kept for subscriptions are sized through their type "
        "(subscription-capacity), by performance id, never by quota id.",
    ),
    "sales.Basket": _reach(
        office=["desk-reservation-sell", "desk-reservation-release"],
        api=[
            "basket_get_api",
            "hold_create_api",
            "hold_delete_api",
            "order_create_api",
            "promo_code_apply_api",
            "promo_code_remove_api",
        ],
        fields=["basket (API order body: its token)"],
    ),
    "sales.Hold": _reach(api=["hold_delete_api"]),
    "sales.Order": _reach(
        office=ORDER_PAGES,
        api=["order_get_api", "payment_create_api", "order_pdf_api"],
    ),
    "sales.OrderTransition": _reach(
        not_by_id="The history shown on its order's page; no URL takes its id."
    ),
    "sales.Ticket": _reach(
        office=["ticket-holder", "order-refund", "order-exchange"],
        api=["ticket_pdf_api", "ticket_verify_api", "scan_api", "sync_api"],
        fields=["tickets (refund and exchange forms: the order's tickets only)"],
    ),
    "sales.OrderItem": _reach(
        not_by_id="A line of its order that is not a ticket (a friends pass, a gift "
        "voucher), shown on the order; no URL takes its id."
    ),
    "sales.OrderFee": _reach(
        not_by_id="Part of its order (shown on the order); no URL takes its id."
    ),
    "sales.Payment": _reach(
        not_by_id="Created for an order (payment_create_api, desk sale); the Mollie "
        "webhook looks it up by the provider's id under the order's house."
    ),
    "sales.Refund": _reach(
        not_by_id="Created by order-refund and order-cancel; listed on its order."
    ),
    "sales.SigningKey": _reach(
        not_by_id="The house's ticket-signing keys, loaded by house; only public "
        "keys leave (check-in package)."
    ),
    "sales.BankTransaction": _reach(
        not_by_id="Imported from the house's bank statements and matched by "
        "structured communication; no URL takes its id."
    ),
    "sales.PerformanceCancellation": _reach(office=["cancellation-detail"]),
    "sales.RegisterClosing": _reach(
        not_by_id="Created by register-close for request.house; register-day reads "
        "by date."
    ),
    "seating.SeatPlan": _reach(
        office=HALL_PAGES, not_by_id="Reached through its hall's id only."
    ),
    "seating.PerformanceSeating": _reach(
        office=["performance-seats", "performance-seating-setup"],
        not_by_id="Reached through its performance's id only.",
    ),
    "seating.PerformanceSeat": _reach(
        office=["performance-seats-change", "desk-sale", "order-exchange"],
        fields=["seat (desk sale, seat changes, exchange: the performance's seats)"],
    ),
    "waitingroom.WaitingRoom": _reach(
        office=[
            "waiting-room-detail",
            "waiting-room-edit",
            "waiting-room-figures",
            "waiting-room-pause",
        ],
    ),
    "waitingroom.WaitingEntry": _reach(
        not_by_id="A visitor's place in a queue, found through their own browser "
        "session on the shop's queue page; staff see counts only."
    ),
    "checkin.Scan": _reach(
        not_by_id="Written by a scan of a ticket code; read as attendance counts."
    ),
    "sales.PromoCode": _reach(
        office=["promo-code-edit", "promo-code-deactivate"],
        api=["promo_code_apply_api", "promo_code_remove_api"],
        fields=[
            "code (API and shop: typed text, looked up in the basket's house only)",
        ],
    ),
    "passes.SubscriptionType": _reach(office=SUBSCRIPTION_PAGES),
    "passes.SubscriptionTariff": _reach(
        office=["subscription-sell"],
        fields=["tariff (subscription sale: the active tariffs of that type only)"],
    ),
    "passes.SubscriptionPriceStep": _reach(
        not_by_id="Part of its type: written as the steps text of the type form "
        "(subscription_type_create/update); never by id."
    ),
    "passes.Subscription": _reach(
        not_by_id="Created by subscription_claim in the house's basket and linked "
        "to its order when placed; the office shows counts per type only and no "
        "URL takes its id yet."
    ),
    "passes.MembershipType": _reach(
        office=["membership-type-edit", "membership-sell"],
        fields=["type (pass sale: the house's active types only)"],
    ),
    "passes.Membership": _reach(
        fields=[
            "member_pass (desk sale: a number, looked up in the house's valid "
            "passes only)",
        ],
        not_by_id="Listed on membership-list for request.house, searched by number, "
        "name or e-mail; no URL takes its id.",
    ),
    "passes.GiftVoucher": _reach(
        office=["voucher-detail", "voucher-pdf"],
        fields=["voucher_code (desk sale: a code, looked up in the house only)"],
    ),
    "passes.VoucherUse": _reach(
        not_by_id="Written by voucher_pay and listed on its voucher's page "
        "(voucher-detail); no URL takes its id."
    ),
}


def _house_owned_models() -> set[str]:
    owned = set()
    for model in apps.get_models():
        try:
            house = model._meta.get_field("house")
        except Exception:  # noqa: S112 - models without a house field
            continue
        if getattr(house, "related_model", None) is House:
            owned.add(model._meta.label)
    return owned


def _api_url_names() -> set[str]:
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern.name

    return set(walk(get_resolver().namespace_dict["api"][1].url_patterns))


def test_every_house_owned_model_is_in_the_registry():
    assert _house_owned_models() == set(REACH)


def test_every_entry_says_how_it_is_reached_or_why_not():
    for label, reach in REACH.items():
        assert reach.office or reach.api or reach.not_by_id, label


def test_every_office_url_of_the_registry_is_in_the_permission_matrix():
    matrix = {name for name, _method in CASES}
    named = {name for reach in REACH.values() for name in reach.office}
    assert named <= matrix, named - matrix


def test_every_api_operation_of_the_registry_exists():
    named = {name for reach in REACH.values() for name in reach.api}
    assert named <= _api_url_names(), named - _api_url_names()


# ------------------------------------------------ ids of house A in house B's forms


@dataclass
class Other:
    """House B's own on-sale performance, tariff, paid order and admin."""

    performance: object
    tariff: Tariff
    paid: Order
    target: object
    admin: object
    extra: dict = field(default_factory=dict)


@pytest.fixture
def b(other_house, staff_factory):
    performance, tariff, _quota = on_sale_performance(other_house, size=20)
    paid = order_mark_paid(order=buy(other_house, performance, tariff, quantity=1))
    target = PerformanceFactory(house=other_house, production=performance.production)
    return Other(
        performance,
        tariff,
        paid,
        target,
        staff_factory(other_house, "house_admin", username="admin-b"),
    )


def _orders_of(house) -> list:
    with house_scope(house):
        return list(Order.objects.filter(house=house).values_list("pk", "total"))


def test_desk_sale_with_a_tariff_of_house_a_sells_nothing(
    client, world, sales, b, other_house
):
    client.force_login(b.admin)
    before, before_b = _house_state(world.house), _orders_of(other_house)

    response = client.post(
        reverse("office:desk-sale", args=[b.performance.pk]),
        {f"tariff_{sales.tariff.pk}": "2", "provider": "cash"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors  # nothing chosen of its own tariffs
    assert _house_state(world.house) == before
    assert _orders_of(other_house) == before_b


def test_desk_sale_with_a_customer_of_house_a_does_not_reveal_or_link_them(
    client, world, sales, b, other_house
):
    client.force_login(b.admin)
    customer = Customer.objects.create(
        cluster=world.house.cluster, name="Hilde Hamers", email="hilde@example.be"
    )
    from podium.customers.models import CustomerRelation

    CustomerRelation.objects.create(house=world.house, customer=customer)
    before = _house_state(world.house)

    response = client.post(
        reverse("office:desk-sale", args=[b.performance.pk]),
        {f"tariff_{b.tariff.pk}": "1", "provider": "cash", "customer": customer.pk},
    )

    assert "Hilde Hamers" not in response.content.decode()
    assert "hilde@example.be" not in response.content.decode()
    with house_scope(other_house):
        assert not Order.objects.filter(house=other_house, customer=customer).exists()
        assert not CustomerRelation.objects.filter(
            house=other_house, customer=customer
        ).exists()
    assert _house_state(world.house) == before


def test_seat_ids_of_house_a_are_not_choices_in_house_b(
    client, world, sales, b, other_house
):
    with house_scope(world.house):
        plan = seat_plan_make(house=world.house, hall=sales.performance.hall)
        performance_seating_setup(
            house=world.house,
            actor=None,
            performance=sales.performance,
            plan=plan,
            zones={1: sales.category, 2: sales.category},
        )
        a_seats = list(
            PerformanceSeat.objects.filter(house=world.house).values_list(
                "pk", flat=True
            )[:2]
        )
    b_hall = HallFactory(house=other_house, name="Zaal B")
    with house_scope(other_house):
        b_plan = seat_plan_make(house=other_house, hall=b_hall)
        b.performance.hall = b_hall
        b.performance.save()
        performance_seating_setup(
            house=other_house,
            actor=None,
            performance=b.performance,
            plan=b_plan,
            zones={1: b.tariff.category, 2: b.tariff.category},
        )
    client.force_login(b.admin)
    before = _house_state(world.house)

    for name, data in (
        ("desk-sale", {"seat": a_seats, "kind": "full", "provider": "cash"}),
        ("performance-seats-change", {"action": "block", "seat": a_seats}),
    ):
        response = client.post(reverse(f"office:{name}", args=[b.performance.pk]), data)
        assert response.status_code in (200, 302, 400)
    assert _house_state(world.house) == before


def test_exchange_to_a_performance_of_house_a_is_not_found(
    client, world, sales, b, other_house
):
    client.force_login(b.admin)
    before = _house_state(world.house)
    with house_scope(other_house):
        ticket = b.paid.tickets.first()

    response = client.post(
        reverse("office:order-exchange", args=[b.paid.code]),
        {
            "performance": sales.performance.pk,
            "tickets": [ticket.pk],
            "payment_method": "cash",
            "refund_method": "cash",
            "action": "confirm",
        },
    )

    assert response.status_code == 404
    assert _house_state(world.house) == before
    with house_scope(other_house):
        ticket.refresh_from_db()
        assert ticket.performance_id == b.performance.pk


def test_refund_of_tickets_of_house_a_in_house_b_order_is_refused(
    client, world, sales, b, other_house
):
    client.force_login(b.admin)
    before = _house_state(world.house)

    response = client.post(
        reverse("office:order-refund", args=[b.paid.code]),
        {"tickets": sales.paid_tickets[:1]},
    )

    assert response.status_code == 200  # the form again, with an error
    assert _house_state(world.house) == before
    with house_scope(other_house):
        b.paid.refresh_from_db()
        assert b.paid.total == Decimal("20.00")


def test_quota_and_tariff_forms_refuse_categories_of_house_a(
    client, world, sales, b, other_house
):
    client.force_login(b.admin)
    before = _house_state(world.house)
    with house_scope(other_house):
        tariffs_b = Tariff.objects.filter(house=other_house).count()

    response = client.post(
        reverse("office:tariff-create", args=[b.performance.production_id]),
        {
            "category": sales.category.pk,
            "kind": "full",
            "price": "12.00",
            "vat_rate": "6.00",
        },
    )

    assert response.status_code == 200
    assert _house_state(world.house) == before
    with house_scope(other_house):
        assert Tariff.objects.filter(house=other_house).count() == tariffs_b


def test_series_form_refuses_a_hall_of_house_a(client, world, b, other_house):
    client.force_login(b.admin)
    before = _house_state(world.house)
    from .helpers import month_after, series_data

    first, last = month_after()

    response = client.post(
        reverse("office:series-create", args=[b.performance.production_id]),
        series_data(world.hall, first, last),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["hall"]
    assert _house_state(world.house) == before


def test_promo_code_form_refuses_scope_ids_of_house_a(
    client, world, sales, b, other_house
):
    client.force_login(b.admin)
    before = _house_state(world.house)

    response = client.post(
        reverse("office:promo-code-create"),
        {
            "code": "VREEMD",
            "kind": "percent",
            "value": "50",
            "productions": [sales.performance.production_id],
            "performances": [sales.performance.pk],
            "tariffs": [sales.tariff.pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 200  # the form again, with errors
    errors = response.context["form"].errors
    assert {"productions", "performances", "tariffs"} <= set(errors)
    assert _house_state(world.house) == before
    with house_scope(other_house):
        assert not PromoCode.objects.filter(house=other_house).exists()


def test_a_promo_code_of_house_a_is_not_found_in_house_b(
    client, world, sales, b, other_house
):
    with house_scope(world.house):
        code = promo_code_create(house=world.house, actor=None, code="EIGEN", value=10)
    client.force_login(b.admin)
    before = _house_state(world.house)

    for name in ("promo-code-edit", "promo-code-deactivate"):
        response = client.post(
            reverse(f"office:{name}", args=[code.pk]),
            {"code": "GEKAAPT", "kind": "percent", "value": "100"},
        )
        assert response.status_code == 404
    assert _house_state(world.house) == before


def test_friends_pass_forms_refuse_a_production_and_a_type_of_house_a(
    client, world, sales, b, other_house
):
    from podium.passes.models import Membership, MembershipType
    from podium.passes.tests.factories import membership_type_make

    with house_scope(world.house):
        type_a = membership_type_make(world.house)
    client.force_login(b.admin)
    before = _house_state(world.house)

    created = client.post(
        reverse("office:membership-type-create"),
        {
            "name_nl": "Vreemde pas",
            "price": "10.00",
            "vat_rate": "0.00",
            "validity_months": "12",
            "early_access_days": "0",
            "productions": [world.production.pk],
        },
    )
    sold = client.post(
        reverse("office:membership-sell"),
        {
            "type": type_a.pk,
            "holder_name": "Mieke Maes",
            "holder_email": "mieke@example.be",
            "provider": "cash",
        },
    )
    edited = client.post(
        reverse("office:membership-type-edit", args=[type_a.pk]),
        {"name_nl": "Gekaapt", "price": "0", "vat_rate": "0.00"},
    )

    assert created.status_code == 200
    assert "productions" in created.context["form"].errors
    assert sold.status_code == 200
    assert "type" in sold.context["form"].errors
    assert edited.status_code == 404
    assert _house_state(world.house) == before
    with house_scope(other_house):
        assert not MembershipType.objects.filter(house=other_house).exists()
        assert not Membership.objects.filter(house=other_house).exists()


def test_desk_sale_with_a_pass_and_a_voucher_of_house_a_sells_nothing(
    client, world, sales, b, other_house
):
    from podium.passes.tests.factories import (
        membership_active_make,
        membership_type_make,
        voucher_active_make,
    )

    with house_scope(world.house):
        membership = membership_active_make(
            world.house, membership_type_make(world.house)
        )
        voucher = voucher_active_make(world.house)
    client.force_login(b.admin)
    url = reverse("office:desk-sale", args=[b.performance.pk])
    before, before_b = _house_state(world.house), _orders_of(other_house)

    with_pass = client.post(
        url,
        {
            f"tariff_{b.tariff.pk}": "1",
            "provider": "cash",
            "member_pass": membership.number,
        },
    )
    with_voucher = client.post(
        url,
        {
            f"tariff_{b.tariff.pk}": "1",
            "provider": "cash",
            "voucher_code": voucher.code,
        },
    )

    assert with_pass.status_code == 200
    assert with_pass.context["form"].errors["member_pass"]
    assert with_voucher.status_code == 200
    assert with_voucher.context["form"].errors["voucher_code"]
    assert _house_state(world.house) == before
    with house_scope(other_house):
        # the voucher is refused before any order is placed
        assert not Order.objects.exclude(pk__in=[p for p, _ in before_b]).exists()
        assert b.performance.tickets.filter(state="valid").count() == 1
