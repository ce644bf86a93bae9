"""Subscriptions in the shop: the list on sale, composing (quote and refusals),
claiming into the visitor's basket, the checkout at subscription prices and the
customer's account.

Requests speak Dutch (LocaleMiddleware); messages are compared as a Dutch visitor
reads them (see test_buy_views.nl).
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from podium.customers.tests.factories import CustomerFactory
from podium.passes.models import Subscription
from podium.passes.services import subscription_claim, subscription_compose
from podium.passes.tests.factories import (
    choice_type,
    fixed_type,
    performances_on_sale,
    tariff_under_26,
)
from podium.sales.models import Hold, Order, Quota
from podium.sales.services.baskets import basket_create
from podium.sales.services.orders import order_mark_paid, order_place
from podium.sales.tests.factories import PriceCategoryFactory, TariffFactory
from podium.seating.services import performance_seating_setup
from podium.seating.tests.factories import seat_plan_make
from podium.shop.session import SESSION_BASKETS, SESSION_CUSTOMER_KEY
from podium.tenancy.scoping import cluster_scope
from podium.tenancy.tests.factories import HallFactory
from podium.waitingroom.models import WaitingRoom
from podium.waitingroom.services import waiting_room_admit

from .test_buy_views import basket_of, checkout_url, nl

pytestmark = pytest.mark.django_db
D = Decimal
BUYER = {"buyer_name": "An Peeters", "buyer_email": "an@example.be"}


@pytest.fixture
def season(house):
    """Six performances of 10 places at € 20; "choose 4 to 5, 15 % off" with an
    under-26 tariff (factor 0.8)."""
    rows = performances_on_sale(house, 6, size=10)
    performances = [p for p, _t, _q in rows]
    type_ = choice_type(house, performances, low=4, high=5)
    young = tariff_under_26(house, type_, factor=D("0.8"))
    return performances, [q for _p, _t, q in rows], type_, young


@pytest.fixture
def scoped(cluster, house):
    with cluster_scope(cluster):
        yield


def compose_url(type_) -> str:
    return reverse("shop:subscription-compose", args=[type_.house.slug, type_.pk])


def post(client, type_, performances, action="quote", **fields):
    data = {
        "action": action,
        "tariff": "standard",
        "quantity": "1",
        "performances": [str(p.pk) for p in performances],
    }
    data.update(fields)
    return client.post(compose_url(type_), data)


def holds_of(performances) -> list[Hold]:
    return list(
        Hold.objects.filter(
            performance__in=performances, state=Hold.State.HELD
        ).order_by("pk")
    )


# ------------------------------------------------------------------ the list


def test_the_list_shows_only_the_types_on_sale(client, house, season, scoped):
    _performances, _quotas, on_sale, _young = season
    rows = performances_on_sale(house, 2)
    later = fixed_type(
        house,
        [p for p, _t, _q in rows],
        sales_from=timezone.now() + timedelta(days=3),
    )
    later.name = {"nl": "Nog niet te koop"}
    later.save()
    stopped = fixed_type(house, [p for p, _t, _q in rows], is_active=False)
    stopped.name = {"nl": "Niet meer te koop"}
    stopped.save()
    ended = fixed_type(
        house,
        [p for p, _t, _q in rows],
        sales_until=timezone.now() - timedelta(minutes=1),
        sales_from=timezone.now() - timedelta(days=9),
    )

    response = client.get(reverse("shop:subscription-list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert compose_url(on_sale) in html
    assert "Theaterreeks A" in html
    for hidden in (later, stopped, ended):
        assert compose_url(hidden) not in html
    assert "Nog niet te koop" not in html and "Niet meer te koop" not in html
    assert nl("Choose %(low)s to %(high)s performances.", low=4, high=5) in html


def test_a_type_not_on_sale_has_no_compose_page(client, house, season, scoped):
    _performances, _quotas, type_, _young = season
    type_.is_active = False
    type_.save()

    assert client.get(compose_url(type_)).status_code == 404


def test_the_list_of_one_house_and_an_unknown_house(client, house, season):
    _performances, _quotas, type_, _young = season
    url = reverse("shop:subscription-list")

    assert compose_url(type_) in client.get(url, {"huis": "house-a"}).content.decode()
    assert client.get(url, {"huis": "nergens"}).status_code == 404


# ------------------------------------------------------------------ composing


def test_the_page_lists_the_performances_with_their_single_price(client, house, season):
    performances, _quotas, type_, _young = season

    html = client.get(compose_url(type_)).content.decode()

    for performance in performances:
        assert f'value="{performance.pk}"' in html
    assert nl("single ticket € %(price)s", price="20,00") in html
    assert nl("Calculate") in html and nl("Take the best seats") in html


def test_calculate_shows_total_and_saving_and_holds_nothing(
    client, house, season, scoped
):
    performances, _quotas, type_, young = season

    response = post(client, type_, performances[:4], quantity="2", tariff=young.pk)

    html = response.content.decode()
    assert response.status_code == 200
    # 4 × € 20 × 0.85 × 0.8 = € 54.40 a person; for two € 108.80, singles € 160
    assert "€ 108,80" in html
    assert "€ 160,00" in html
    assert "€ 51,20" in html
    assert holds_of(performances) == []


@pytest.mark.parametrize(
    ("count", "message", "params"),
    [
        (3, "Choose at least %(min)s performances.", {"min": 4}),
        (6, "Choose at most %(max)s performances.", {"max": 5}),
    ],
)
def test_too_few_or_too_many_is_a_message_and_holds_nothing(
    client, house, season, scoped, count, message, params
):
    performances, quotas, type_, _young = season

    response = post(client, type_, performances[:count], action="claim")

    assert response.status_code == 200
    assert nl(message, **params) in response.content.decode()
    assert holds_of(performances) == []
    assert [Quota.objects.get(pk=q.pk).used for q in quotas] == [0] * 6
    assert SESSION_BASKETS not in client.session


def test_nothing_ticked_is_a_form_error(client, house, season, scoped):
    performances, _quotas, type_, _young = season

    response = post(client, type_, [], action="claim")

    assert response.status_code == 200
    assert nl("Choose the performances you want to see.") in (response.content.decode())
    assert holds_of(performances) == []


def test_a_sold_out_performance_is_disabled_and_refused_holding_nothing(
    client, house, season, scoped
):
    performances, quotas, type_, _young = season
    Quota.objects.filter(pk=quotas[2].pk).update(used=10)

    page = client.get(compose_url(type_)).content.decode()
    response = post(client, type_, performances[:4], action="claim")

    checkbox = page.split(f'value="{performances[2].pk}"')[1].split(">")[0]
    assert "disabled" in checkbox
    assert nl("Sold out") in page
    assert response.status_code == 409
    title = performances[2].production.title["nl"]
    assert nl("%(performance)s is sold out.", performance=title) in (
        response.content.decode()
    )
    assert holds_of(performances) == []
    used = [Quota.objects.get(pk=q.pk).used for q in quotas]
    assert used == [0, 0, 10, 0, 0, 0]


# ------------------------------------------------------------------ claiming


def test_claiming_puts_the_holds_in_the_visitors_basket(client, house, season, scoped):
    performances, quotas, type_, _young = season

    response = post(client, type_, performances[1:5], action="claim", quantity="2")

    subscription = Subscription.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "shop:subscription-held", args=[house.slug, subscription.pk]
    )
    basket = basket_of(client, house)
    holds = holds_of(performances)
    assert [(h.performance_id, h.quantity, h.unit_price) for h in holds] == [
        (p.pk, 2, D("17.00")) for p in performances[1:5]
    ]
    assert {h.basket_id for h in holds} == {basket.pk}
    assert subscription.basket_id == basket.pk
    assert [Quota.objects.get(pk=q.pk).used for q in quotas] == [0, 2, 2, 2, 2, 0]

    held = client.get(response.url)
    assert held.status_code == 200
    assert "€ 136,00" in held.content.decode()
    assert checkout_url(house) in held.content.decode()


def test_the_held_page_of_another_basket_is_not_found(client, house, season, scoped):
    performances, _quotas, type_, _young = season
    composition = subscription_compose(
        house=house, type=type_, performance_ids=[p.pk for p in performances[:4]]
    )
    theirs = subscription_claim(
        house=house,
        actor=None,
        basket=basket_create(house=house),
        composition=composition,
    )

    url = reverse("shop:subscription-held", args=[house.slug, theirs.pk])
    assert client.get(url).status_code == 404


def test_removing_the_subscription_releases_every_hold(client, house, season, scoped):
    performances, quotas, type_, _young = season
    response = post(client, type_, performances[:4], action="claim")
    subscription = Subscription.objects.get()

    client.post(reverse("shop:subscription-remove", args=[house.slug, subscription.pk]))

    assert response.status_code == 302
    assert holds_of(performances) == []
    assert [Quota.objects.get(pk=q.pk).used for q in quotas] == [0] * 6


def test_removing_one_line_at_checkout_removes_the_whole_subscription(
    client, house, season, scoped
):
    performances, quotas, type_, _young = season
    post(client, type_, performances[:4], action="claim")
    one_line = holds_of(performances)[2]

    response = client.post(
        reverse("shop:hold-remove", args=[house.slug, one_line.pk]), follow=True
    )

    assert response.status_code == 200
    assert holds_of(performances) == []
    assert [Quota.objects.get(pk=q.pk).used for q in quotas] == [0] * 6
    assert Subscription.objects.get().order_id is None


def test_best_seats_are_held_and_shown_per_performance(client, house, scoped):
    hall = HallFactory(house=house)
    plan = seat_plan_make(house=house, hall=hall, zone_rows=[])
    performances = []
    for _n in range(4):
        performance, tariff, _quota = performances_on_sale(house, 1, size=18)[0]
        performance.hall = hall
        performance.save()
        performance_seating_setup(
            house=house,
            actor=None,
            performance=performance,
            plan=plan,
            zones={1: tariff.category},
        )
        performances.append(performance)
    type_ = choice_type(house, performances, low=4, high=4)

    response = post(client, type_, performances, action="claim", quantity="2")
    held = client.get(response.url).content.decode()

    holds = holds_of(performances)
    assert [len(h.seat_ids) for h in holds] == [2, 2, 2, 2]
    assert held.count('class="seats"') == 4


# ------------------------------------------------------------------ checkout


def test_the_checkout_shows_the_subscription_prices(client, house, season, scoped):
    performances, _quotas, type_, _young = season
    post(client, type_, performances[:4], action="claim")

    html = client.get(checkout_url(house)).content.decode()

    assert html.count("€ 17,00") >= 4
    assert "€ 20,00" not in html
    assert "€ 68,00" in html  # the total: four tickets at € 17


def test_checkout_of_other_tickets_still_shows_the_tariff_price(client, house, scoped):
    """A hold without a unit price of its own costs its tariff's price."""
    performance, tariff, _quota = performances_on_sale(house, 1, prices=[D("12.50")])[0]
    second = PriceCategoryFactory(house=house, production=performance.production)
    TariffFactory(category=second, price=D("9.00"))

    client.post(
        reverse("shop:performance", args=[performance.pk]),
        {"action": "tickets", f"tariff_{tariff.pk}": "2"},
    )
    html = client.get(checkout_url(house)).content.decode()

    assert "€ 12,50" in html and "€ 25,00" in html


# ------------------------------------------------------------------ account


def test_the_account_shows_the_subscription_and_its_tickets(
    client, house, season, scoped
):
    performances, _quotas, type_, _young = season
    an = CustomerFactory(
        cluster=house.cluster,
        name="An Peeters",
        email="an@example.be",
        email_verified=True,
        password=make_password("een-lang-wachtwoord-42"),
    )
    basket = basket_create(house=house)
    composition = subscription_compose(
        house=house,
        type=type_,
        performance_ids=[p.pk for p in performances[:4]],
        customer=an,
    )
    subscription_claim(house=house, actor=None, basket=basket, composition=composition)
    order = order_place(house=house, actor=None, basket=basket, customer=an, **BUYER)
    order_mark_paid(order=order)
    session = client.session
    session[SESSION_CUSTOMER_KEY] = an.pk
    session.save()

    html = client.get(reverse("shop:account")).content.decode()

    assert Order.objects.get().state == "paid"
    assert nl("My subscriptions") in html
    assert "Theaterreeks A" in html
    section = html.split('id="subscriptions-heading"')[1].split("</section>")[0]
    for performance in performances[:4]:
        assert performance.production.title["nl"] in section
    assert performances[4].production.title["nl"] not in section


def test_the_account_without_subscriptions_has_no_section(client, house, scoped):
    an = CustomerFactory(cluster=house.cluster, email="an@example.be")
    session = client.session
    session[SESSION_CUSTOMER_KEY] = an.pk
    session.save()

    html = client.get(reverse("shop:account")).content.decode()

    assert 'id="subscriptions-heading"' not in html


# ------------------------------------------------------------- the launch queue


def test_a_season_launch_queue_guards_composing_until_admitted(
    client, house, season, scoped
):
    _performances, _quotas, type_, _young = season
    room = WaitingRoom.objects.create(
        house=house,
        scope=WaitingRoom.Scope.HOUSE,
        opens_at=timezone.now() - timedelta(minutes=5),
        rate_per_minute=60,
        paused=True,
    )

    queued = client.get(compose_url(type_))
    assert queued.status_code == 302
    assert queued.url.startswith(reverse("shop:waiting-room", args=[room.pk]))
    client.post(queued.url, {"email": ""})
    assert client.post(compose_url(type_), {"action": "claim"}).status_code == 302
    assert holds_of(_performances) == []  # nothing claimed from the queue

    waiting_room_admit(house=house, actor=None, room=room, count=1)
    client.get(reverse("shop:waiting-room-status", args=[room.pk]))  # the token
    assert client.get(compose_url(type_)).status_code == 200


# -------------------------------------------------------- same-seat series plan


@pytest.fixture
def series(house):
    """A same-seat series of three performances on one plan (3 rows of 6)."""
    from podium.catalog.tests.factories import PerformanceFactory
    from podium.sales.tests.factories import QuotaFactory

    with cluster_scope(house.cluster):
        hall = HallFactory(house=house)
        plan = seat_plan_make(house=house, hall=hall, zone_rows=[])
        performances = []
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
        type_ = fixed_type(house, performances, price="60.00", same_seat=True)
    return sorted(performances, key=lambda p: p.pk), type_


def test_a_same_seat_series_shows_its_plan_free_only_where_free_everywhere(
    client, house, series, scoped
):
    from podium.seating.models import PerformanceSeat

    performances, type_ = series
    taken = PerformanceSeat.objects.filter(performance=performances[2]).first()
    PerformanceSeat.objects.filter(pk=taken.pk).update(state=PerformanceSeat.State.SOLD)
    assert "seat-plan" not in client.get(compose_url(type_)).content.decode()

    page = post(client, type_, performances).content.decode()

    assert 'class="seat-plan' in page
    first = PerformanceSeat.objects.get(
        performance=performances[0], seat_id=taken.seat_id
    )
    # The same plan seat, shown on the first performance's plan, is taken.
    assert re.search(
        rf'<g class="seat seat-sold[^"]*"[^>]*aria-disabled="true"[^>]*'
        rf'data-seat="{first.pk}"',
        page,
    )
    free = PerformanceSeat.objects.filter(performance=performances[0]).exclude(
        pk=first.pk
    )[0]
    assert re.search(rf'<g class="seat seat-free[^>]*data-seat="{free.pk}"', page)


def test_the_seats_picked_on_the_series_plan_are_held_at_every_performance(
    client, house, series, scoped
):
    from podium.seating.models import PerformanceSeat

    performances, type_ = series
    picked = list(
        PerformanceSeat.objects.filter(performance=performances[0])
        .order_by("seat__row_order", "seat__order")
        .values_list("pk", "seat_id")[8:10]
    )

    response = post(
        client,
        type_,
        performances,
        action="pick",
        quantity="2",
        seat=[str(pk) for pk, _seat in picked],
    )

    assert response.status_code == 302
    holds = holds_of(performances)
    assert len(holds) == 3
    for hold in holds:
        plan_seats = sorted(
            PerformanceSeat.objects.filter(pk__in=hold.seat_ids).values_list(
                "seat_id", flat=True
            )
        )
        assert plan_seats == sorted(seat for _pk, seat in picked)


def test_picking_nothing_on_the_plan_says_so_and_holds_nothing(
    client, house, series, scoped
):
    performances, type_ = series
    response = post(client, type_, performances, action="pick", quantity="1")
    assert response.status_code == 200
    assert nl("Choose your seats on the plan.") in response.content.decode()
    assert holds_of(performances) == []
