"""The office's subscription screens: configuring types, tariffs and kept capacity,
selling one at the box office, and the report."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.catalog.tests.factories import PerformanceFactory
from podium.core.models import AuditEntry
from podium.customers.tests.factories import customer_make
from podium.passes.models import (
    Subscription,
    SubscriptionTariff,
    SubscriptionType,
)
from podium.passes.tests.factories import (
    choice_type,
    fixed_type,
    performances_on_sale,
    tariff_under_26,
)
from podium.sales.models import Order, Payment, Quota, Tariff, Ticket
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
    buy,
)
from podium.seating.models import PerformanceSeat
from podium.seating.services import performance_seating_setup
from podium.seating.tests.factories import seat_plan_make
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import HallFactory

from .helpers import local_input

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def clerk(house, staff_factory):
    """The ticketing role: configures, keeps capacity, sells and reads reports."""
    return staff_factory(house, StaffRole.Role.TICKETING, username="an")


@pytest.fixture
def office(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def season(house):
    """Six performances of 12 places at € 20 each."""
    return [p for p, _t, _q in performances_on_sale(house, 6, size=12)]


def _url(name, *args):
    return reverse(f"office:{name}", args=args)


def _type_data(chosen, **extra) -> dict:
    data = {
        "kind": "fixed",
        "name_nl": "Theaterreeks",
        "name_fr": "Série théâtre",
        "name_en": "Theatre series",
        "performances": [p.pk for p in chosen],
        "price": "60.00",
        "is_active": "on",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def _types(house) -> list:
    with house_scope(house):
        return list(SubscriptionType.objects.filter(house=house).order_by("pk"))


# ------------------------------------------------------------------ configuring


def test_a_fixed_series_is_created_through_the_form(office, house, season):
    opens = timezone.now() + timedelta(days=1)
    data = _type_data(
        season[:3],
        max_per_customer="2",
        sales_from=local_input(opens),
    )

    response = office.post(_url("subscription-type-create"), data)

    (created,) = _types(house)
    assert response.url == _url("subscription-type-detail", created.pk)
    with house_scope(house):
        assert sorted(created.performances.values_list("pk", flat=True)) == [
            p.pk for p in season[:3]
        ]
        assert AuditEntry.objects.filter(
            action="podium.passes.subscription_type.created", object_id=created.pk
        ).exists()
    assert (
        created.kind,
        created.name,
        created.price,
        created.discount_percent,
        created.max_per_customer,
        created.same_seat,
        created.is_active,
        created.sales_from,
    ) == (
        "fixed",
        {"nl": "Theaterreeks", "fr": "Série théâtre", "en": "Theatre series"},
        D("60.00"),
        None,
        2,
        False,
        True,
        opens.replace(second=0, microsecond=0),
    )


def test_a_free_choice_with_price_steps_is_created(office, house, season):
    data = _type_data(
        season,
        kind="choice",
        price=None,
        min_choices="4",
        max_choices="6",
        steps="1: 18\n5: 15,50\n",
    )

    office.post(_url("subscription-type-create"), data)

    (created,) = _types(house)
    with house_scope(house):
        steps = list(created.steps.values_list("count", "price"))
    assert (created.kind, created.min_choices, created.max_choices) == ("choice", 4, 6)
    assert steps == [(1, D("18.00")), (5, D("15.50"))]


def test_a_free_choice_with_a_discount_is_created(office, house, season):
    data = _type_data(
        season, kind="choice", price=None, min_choices="4", discount_percent="15"
    )

    office.post(_url("subscription-type-create"), data)

    (created,) = _types(house)
    assert (created.discount_percent, created.max_choices) == (D("15.00"), None)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (
            {"kind": "choice", "price": None, "min_choices": "5", "max_choices": "4"},
            "max_choices",
        ),
        (
            {"kind": "choice", "price": None, "min_choices": "4", "steps": "2: 15"},
            "steps",
        ),
        (
            {"kind": "choice", "price": None, "min_choices": "4", "steps": "vijf: 15"},
            "steps",
        ),
        (
            {
                "kind": "choice",
                "price": None,
                "min_choices": "4",
                "steps": "1: 15\n1: 12",
            },
            "steps",
        ),
        (
            {
                "kind": "choice",
                "price": None,
                "min_choices": "4",
                "discount_percent": "10",
                "steps": "1: 15",
            },
            "steps",
        ),
        ({"kind": "choice", "price": None, "min_choices": "4"}, "discount_percent"),
        ({"price": None}, "price"),
        ({"price": "-5"}, "price"),
        ({"discount_percent": "10"}, "discount_percent"),
        ({"kind": "choice", "price": None, "discount_percent": "10"}, "min_choices"),
        (
            {
                "kind": "choice",
                "price": None,
                "min_choices": "9",
                "discount_percent": "5",
            },
            "min_choices",
        ),
        ({"performances": []}, "performances"),
        ({"kind": "bundle"}, "kind"),
        ({"sales_from": "morgen"}, "sales_from"),
    ],
)
def test_bad_input_is_a_field_error_and_creates_nothing(
    office, house, season, extra, field
):
    response = office.post(
        _url("subscription-type-create"), _type_data(season, **extra)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _types(house) == []


def test_a_performance_of_another_house_is_refused(office, house, season, other_house):
    (foreign, _t, _q) = performances_on_sale(other_house, 1)[0]

    response = office.post(
        _url("subscription-type-create"), _type_data([season[0], foreign])
    )

    assert response.status_code == 200
    assert "performances" in response.context["form"].errors
    assert _types(house) == []


def test_a_past_performance_is_not_offered(office, house, season):
    with house_scope(house):
        past = PerformanceFactory(
            house=house, starts_at=timezone.now() - timedelta(days=3)
        )

    response = office.post(_url("subscription-type-create"), _type_data([past]))

    assert "performances" in response.context["form"].errors


def test_a_free_choice_is_edited_from_a_discount_to_steps(office, house, season):
    with house_scope(house):
        type_ = choice_type(house, season, low=4, high=6)
    closes = timezone.now() + timedelta(days=30)
    data = _type_data(
        season[:5],
        kind=None,  # shown, not editable
        name_nl="Vrije keuze",
        price=None,
        min_choices="3",
        max_choices="5",
        steps="1: 19\n4: 16",
        sales_until=local_input(closes),
        max_per_customer="4",
        is_active=None,  # off
    )

    response = office.post(_url("subscription-type-edit", type_.pk), data)

    assert response.url == _url("subscription-type-detail", type_.pk)
    with house_scope(house):
        type_.refresh_from_db()
        performances = sorted(type_.performances.values_list("pk", flat=True))
        steps = list(type_.steps.values_list("count", "price"))
        audit = AuditEntry.objects.get(
            action="podium.passes.subscription_type.changed", object_id=type_.pk
        )
    assert (
        type_.kind,
        type_.name["nl"],
        type_.min_choices,
        type_.max_choices,
        type_.discount_percent,
        type_.max_per_customer,
        type_.is_active,
        type_.sales_until,
    ) == (
        "choice",
        "Vrije keuze",
        3,
        5,
        None,
        4,
        False,
        closes.replace(second=0, microsecond=0),
    )
    assert performances == [p.pk for p in season[:5]]
    assert steps == [(1, D("19.00")), (4, D("16.00"))]
    assert audit.data["steps"] == {"1": "19.00", "4": "16.00"}
    assert audit.data["is_active"] == [True, False]


def test_a_fixed_series_is_edited_and_keeps_its_kind(office, house, season):
    with house_scope(house):
        type_ = fixed_type(house, season[:3])

    office.post(
        _url("subscription-type-edit", type_.pk),
        _type_data(season[:4], kind="choice", price="75.00"),
    )

    with house_scope(house):
        type_.refresh_from_db()
        count = type_.performances.count()
    assert (type_.kind, type_.price, count) == ("fixed", D("75.00"), 4)


def test_an_edit_below_the_minimum_is_a_field_error(office, house, season):
    with house_scope(house):
        type_ = choice_type(house, season, low=4, high=6)

    response = office.post(
        _url("subscription-type-edit", type_.pk),
        _type_data(season[:3], price=None, min_choices="4", discount_percent="15"),
    )

    assert response.status_code == 200
    assert "min_choices" in response.context["form"].errors
    with house_scope(house):
        assert type_.performances.count() == 6


def test_a_tariff_under_26_is_added(office, house, season):
    with house_scope(house):
        type_ = fixed_type(house, season[:3])

    response = office.post(
        _url("subscription-tariff-create", type_.pk),
        {"name_nl": "-26", "factor": "0.8", "requires_proof": "on", "is_active": "on"},
    )

    assert response.url == _url("subscription-type-detail", type_.pk)
    with house_scope(house):
        tariff = SubscriptionTariff.objects.get(type=type_)
    assert (tariff.name, tariff.factor, tariff.price, tariff.requires_proof) == (
        {"nl": "-26"},
        D("0.8000"),
        None,
        True,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name_nl": "-26", "factor": "1.5"}, "factor"),
        ({"name_nl": "-26", "factor": "1", "price": "40"}, "price"),  # not fixed
        ({"factor": "0.8"}, "name"),
    ],
)
def test_a_bad_tariff_is_a_field_error(office, house, season, data, field):
    with house_scope(house):
        type_ = choice_type(house, season)

    response = office.post(_url("subscription-tariff-create", type_.pk), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    with house_scope(house):
        assert not SubscriptionTariff.objects.filter(type=type_).exists()


def _kept(house, performance):
    with house_scope(house):
        return list(
            Quota.objects.filter(
                performance=performance, for_subscriptions=True
            ).values_list("pk", "size", "used")
        )


def test_kept_capacity_is_set_and_resized(office, house, season):
    with house_scope(house):
        type_ = fixed_type(house, season[:2])
    url = _url("subscription-capacity", type_.pk)

    office.post(url, {f"kept_{season[0].pk}": "5", f"kept_{season[1].pk}": "0"})
    [(pk, size, used)] = _kept(house, season[0])
    office.post(url, {f"kept_{season[0].pk}": "3"})

    assert (size, used) == (5, 0)
    assert _kept(house, season[0]) == [(pk, 3, 0)]
    assert _kept(house, season[1]) == []  # zero: nothing kept, nothing made


def test_kept_capacity_never_goes_below_what_is_used(office, house, season):
    with house_scope(house):
        type_ = fixed_type(house, season[:2])
    url = _url("subscription-capacity", type_.pk)
    office.post(url, {f"kept_{season[0].pk}": "4"})
    office.post(
        _url("subscription-sell", type_.pk),
        {"quantity": "3", "provider": "cash", "action": "sell"},
    )
    [(pk, _size, used)] = _kept(house, season[0])

    response = office.post(url, {f"kept_{season[0].pk}": "2"})

    assert used == 3
    assert response.status_code == 200
    assert response.context["capacity_form"].non_field_errors()
    assert _kept(house, season[0]) == [(pk, 4, 3)]


def test_kept_capacity_of_a_performance_outside_the_type_is_ignored(
    office, house, season
):
    with house_scope(house):
        type_ = fixed_type(house, season[:2])

    office.post(_url("subscription-capacity", type_.pk), {f"kept_{season[4].pk}": "9"})

    assert _kept(house, season[4]) == []


# ------------------------------------------------------------------ selling


def _sale(**extra) -> dict:
    return {"quantity": "1", "provider": "cash", "action": "sell", **extra}


def test_the_clerk_sees_total_and_saving_before_selling(office, house, season):
    with house_scope(house):
        type_ = choice_type(house, season, low=4, high=6, discount="15")

    response = office.post(
        _url("subscription-sell", type_.pk),
        _sale(performances=[p.pk for p in season[:4]], quantity="2", action="quote"),
    )

    composition = response.context["composition"]
    assert (composition.total, composition.saving) == (D("136.00"), D("24.00"))
    assert [line[1:] for line in response.context["lines"]] == [
        (D("17.00"), D("20.00"))
    ] * 4
    with house_scope(house):
        assert not Order.objects.filter(house=house).exists()


def test_a_four_show_choice_for_two_is_one_paid_order_of_eight_tickets(
    office, house, season
):
    with house_scope(house):
        type_ = choice_type(house, season, low=4, high=6, discount="15")
        customer = customer_make(house, name="Hilde Hamers", email="hilde@example.be")
    chosen = season[1:5]

    response = office.post(
        _url("subscription-sell", type_.pk),
        _sale(
            performances=[p.pk for p in chosen],
            quantity="2",
            cash_received="150",
            customer=customer.pk,
        ),
    )

    with house_scope(house):
        order = Order.objects.get(house=house)
        tickets = list(order.tickets.order_by("performance", "pk"))
        subscription = Subscription.objects.get(house=house)
        payment = Payment.objects.get(order=order)
        ticket_ids = set(subscription.tickets.values_list("pk", flat=True))
    assert response.url == _url("desk-receipt", order.code) + "?change=14.00"
    assert (order.state, order.total, order.channel, order.customer_id) == (
        Order.State.PAID,
        D("136.00"),
        Order.Channel.BOX_OFFICE,
        customer.pk,
    )
    assert [(t.performance_id, t.price) for t in tickets] == [
        (p.pk, D("17.00")) for p in chosen for _person in range(2)
    ]
    assert (subscription.order_id, subscription.quantity, subscription.total) == (
        order.pk,
        2,
        D("136.00"),
    )
    assert ticket_ids == {t.pk for t in tickets}
    assert (payment.provider, payment.amount) == ("cash", D("136.00"))
    register = office.get(_url("register-day"))
    (_title, mine, _closing), _whole = register.context["sections"]
    assert mine.cash.sales == D("136.00")


def test_a_refused_sale_keeps_nothing_held(office, house, season):
    with house_scope(house):
        type_ = choice_type(house, season, low=4, high=6)

    response = office.post(
        _url("subscription-sell", type_.pk),
        _sale(performances=[p.pk for p in season[:4]], quantity="13"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    with house_scope(house):
        assert not Order.objects.filter(house=house).exists()
        assert (
            sum(Quota.objects.filter(house=house).values_list("used", flat=True)) == 0
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"performances": ["x"]}, "performances"),
        ({"quantity": "0"}, "quantity"),
        ({"provider": "bitcoin"}, "provider"),
        ({"tariff": "99999"}, "tariff"),
    ],
)
def test_bad_sale_input_is_a_field_error(office, house, season, data, field):
    with house_scope(house):
        type_ = choice_type(house, season, low=4, high=6)
    payload = _sale(performances=[p.pk for p in season[:4]])
    payload.update(data)

    response = office.post(_url("subscription-sell", type_.pk), payload)

    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_too_few_performances_is_refused_on_the_field(office, house, season):
    with house_scope(house):
        type_ = choice_type(house, season, low=4, high=6)

    response = office.post(
        _url("subscription-sell", type_.pk),
        _sale(performances=[p.pk for p in season[:3]]),
    )

    assert "performances" in response.context["form"].errors


def test_the_under_26_tariff_is_sold_at_its_price(office, house, season):
    with house_scope(house):
        type_ = fixed_type(house, season[:2], price="50.00")
        tariff = tariff_under_26(house, type_, factor=D("0.8"))

    office.post(_url("subscription-sell", type_.pk), _sale(tariff=tariff.pk))

    with house_scope(house):
        order = Order.objects.get(house=house)
        subscription = Subscription.objects.get(house=house)
    assert (order.total, subscription.tariff_id) == (D("40.00"), tariff.pk)


@pytest.fixture
def seated_series(house):
    """Three performances in one hall on one seat plan, one rank at € 25."""
    hall = HallFactory(house=house)
    plan = seat_plan_make(house=house, hall=hall, zone_rows=[])
    performances = []
    with house_scope(house):
        for _n in range(3):
            performance = PerformanceFactory(house=house, hall=hall)
            category = PriceCategoryFactory(
                house=house, production=performance.production
            )
            TariffFactory(category=category, price=D("25.00"))
            QuotaFactory(performance=performance, size=18)
            performance_seating_setup(
                house=house,
                actor=None,
                performance=performance,
                plan=plan,
                zones={1: category},
            )
            performances.append(performance)
    return performances


def test_a_same_seat_series_sale_gives_the_same_seats_in_each_performance(
    office, house, seated_series
):
    with house_scope(house):
        type_ = fixed_type(house, seated_series, price="60.00", same_seat=True)
        # The best seats are taken at one performance: the series must avoid them.
        first = PerformanceSeat.objects.filter(performance=seated_series[1]).order_by(
            "seat__row_order", "seat__order"
        )[:6]
        taken = {s.seat_id for s in first}
        PerformanceSeat.objects.filter(pk__in=[s.pk for s in first]).update(
            state=PerformanceSeat.State.SOLD
        )

    office.post(_url("subscription-sell", type_.pk), _sale(quantity="2"))

    with house_scope(house):
        tickets = list(Ticket.objects.filter(house=house))
        plan_seat = dict(
            PerformanceSeat.objects.filter(
                pk__in=[t.seat_id for t in tickets]
            ).values_list("pk", "seat_id")
        )
    seats = {}
    for ticket in tickets:
        seats.setdefault(ticket.performance_id, set()).add(plan_seat[ticket.seat_id])
    assert len(tickets) == 6
    assert set(seats) == {p.pk for p in seated_series}
    assert len({frozenset(s) for s in seats.values()}) == 1
    (chosen,) = {frozenset(s) for s in seats.values()}
    assert len(chosen) == 2 and not chosen & taken


# ------------------------------------------------------------------ report and pages


def test_the_report_splits_subscription_and_single_tickets(office, house, season):
    with house_scope(house):
        type_ = choice_type(house, season[:4], low=4, high=4, discount="15")
    office.post(_url("subscription-capacity", type_.pk), {f"kept_{season[0].pk}": "2"})
    office.post(
        _url("subscription-sell", type_.pk),
        _sale(performances=[p.pk for p in season[:4]], quantity="2"),
    )
    with house_scope(house):
        tariff = Tariff.objects.get(production=season[0].production)
        buy(house, season[0], tariff, quantity=3)

    response = office.get(_url("subscription-report"))

    (row,) = response.context["types"]
    assert (row.sold, row.people, row.revenue) == (1, 2, D("136.00"))
    rows = {r.performance.pk: r for r in response.context["occupancy"]}
    assert set(rows) == {p.pk for p in season[:4]}
    first = rows[season[0].pk]
    # 12 general places + 2 kept: 2 by subscription (from the kept ones), 3 single
    # tickets in a pending order, 9 free.
    assert (
        first.capacity,
        first.by_subscription,
        first.single,
        first.held,
        first.free,
    ) == (14, 2, 3, 0, 9)
    second = rows[season[1].pk]
    assert (second.capacity, second.by_subscription, second.single, second.free) == (
        12,
        2,
        0,
        10,
    )


@pytest.mark.parametrize(
    "name",
    ["subscription-type-list", "subscription-report", "subscription-type-create"],
)
def test_the_pages_without_an_id_answer(office, house, season, name):
    with house_scope(house):
        fixed_type(house, season[:2])

    response = office.get(_url(name))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "subscription-type-detail",
        "subscription-type-edit",
        "subscription-tariff-create",
        "subscription-sell",
    ],
)
def test_the_pages_of_a_type_answer(office, house, season, name):
    with house_scope(house):
        type_ = choice_type(house, season)

    response = office.get(_url(name, type_.pk))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("subscription-type-detail", "get"),
        ("subscription-type-edit", "get"),
        ("subscription-type-edit", "post"),
        ("subscription-tariff-create", "post"),
        ("subscription-capacity", "post"),
        ("subscription-sell", "get"),
        ("subscription-sell", "post"),
    ],
)
def test_another_house_s_type_is_a_404(office, other_house, name, method):
    performances = [p for p, _t, _q in performances_on_sale(other_house, 2)]
    with house_scope(other_house):
        foreign = fixed_type(other_house, performances)

    response = getattr(office, method)(
        _url(name, foreign.pk), _sale() if method == "post" else None
    )

    assert response.status_code == 404
    with house_scope(other_house):
        assert not Order.objects.filter(house=other_house).exists()
        assert SubscriptionTariff.objects.filter(house=other_house).count() == 0
