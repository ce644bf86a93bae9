"""Selling by seat through the sales services: held, sold, freed, never twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from podium.sales.errors import SalesError, SoldOut
from podium.sales.models import Hold, Quota
from podium.sales.services.baskets import (
    basket_add,
    basket_create,
    basket_remove_hold,
)
from podium.sales.services.inventory import release_expired_holds
from podium.sales.services.orders import order_cancel, order_place
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    TariffFactory,
    on_sale_performance,
)
from podium.seating.models import PerformanceSeat, Seat, SeatPlan, Section
from podium.seating.services import (
    SeatingSetupError,
    basket_add_best_available,
    performance_seating_setup,
    seats_block,
    seats_unblock,
)

State = PerformanceSeat.State
BUYER = {"buyer_name": "An Peeters", "buyer_email": "an@example.be"}


def small_plan(hall, rows=3, seats=6):
    """Rows A.. of `seats` seats; row A is rank 1, the others rank 2."""
    plan = SeatPlan.objects.create(house=hall.house, hall=hall, version=1)
    section = Section.objects.create(
        plan=plan, name={"nl": "Zaal", "fr": "Salle", "en": "Stalls"}
    )
    Seat.objects.bulk_create(
        Seat(
            plan=plan,
            section=section,
            row=chr(ord("A") + r),
            number=str(s + 1),
            row_order=r,
            order=s,
            x=float(s),
            y=r * 1.2,
            zone=1 if r == 0 else 2,
        )
        for r in range(rows)
        for s in range(seats)
    )
    return plan


@pytest.fixture
def seated(scoped, house):
    performance, tariff, quota = on_sale_performance(house, size=100)
    second = PriceCategoryFactory(house=house, production=performance.production)
    cheap = TariffFactory(category=second, price=tariff.price / 2)
    plan = small_plan(performance.hall)
    performance_seating_setup(
        house=house,
        actor=None,
        performance=performance,
        plan=plan,
        zones={1: tariff.category, 2: second},
    )
    return performance, tariff, cheap, quota


def seat_ids(performance, *labels):
    seats = PerformanceSeat.objects.filter(performance=performance).select_related(
        "seat"
    )
    by_label = {f"{s.seat.row}{s.seat.number}": s.pk for s in seats}
    return [by_label[label] for label in labels]


def states(performance, *labels):
    ids = seat_ids(performance, *labels)
    found = dict(PerformanceSeat.objects.filter(pk__in=ids).values_list("pk", "state"))
    return [found[i] for i in ids]


def _add(house, basket, performance, tariff, seats):
    return basket_add(
        house=house,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        seats=seats,
    )


def test_seats_are_held_then_sold_with_their_label_on_the_ticket(scoped, seated):
    performance, tariff, _cheap, quota = seated
    basket = basket_create(house=scoped)

    hold = _add(scoped, basket, performance, tariff, seat_ids(performance, "A3", "A4"))

    assert hold.quantity == 2 and states(performance, "A3", "A4") == ["held"] * 2
    assert Quota.objects.get(pk=quota.pk).used == 2
    order = order_place(house=scoped, actor=None, basket=basket, **BUYER)
    assert states(performance, "A3", "A4") == ["sold"] * 2
    assert sorted(order.tickets.values_list("seat_label", flat=True)) == [
        "Zaal, rij A, stoel 3",
        "Zaal, rij A, stoel 4",
    ]


def test_a_seated_performance_needs_seats(scoped, seated):
    performance, tariff, _cheap, _quota = seated

    with pytest.raises(SalesError) as refused:
        basket_add(
            house=scoped,
            actor=None,
            basket=basket_create(house=scoped),
            performance=performance,
            tariff=tariff,
            quantity=2,
        )

    assert refused.value.code == "seats_required"


def test_a_taken_seat_refuses_the_whole_claim(scoped, seated):
    performance, tariff, _cheap, quota = seated
    _add(
        scoped,
        basket_create(house=scoped),
        performance,
        tariff,
        seat_ids(performance, "A2"),
    )

    with pytest.raises(SoldOut, match="just taken"):
        _add(
            scoped,
            basket_create(house=scoped),
            performance,
            tariff,
            seat_ids(performance, "A1", "A2"),
        )

    assert states(performance, "A1", "A2") == ["free", "held"]
    assert Quota.objects.get(pk=quota.pk).used == 1


def test_a_seat_of_another_rank_is_refused_at_this_price(scoped, seated):
    performance, tariff, cheap, _quota = seated

    with pytest.raises(SalesError, match="not sold at this price"):
        _add(
            scoped,
            basket_create(house=scoped),
            performance,
            cheap,
            seat_ids(performance, "A1"),
        )

    assert states(performance, "A1") == ["free"]


def test_removing_and_expiring_holds_free_the_seats(scoped, seated):
    performance, tariff, cheap, _quota = seated
    hold = _add(
        scoped,
        basket_create(house=scoped),
        performance,
        tariff,
        seat_ids(performance, "A1"),
    )
    basket_remove_hold(house=scoped, actor=None, hold=hold)
    assert states(performance, "A1") == ["free"]

    _add(
        scoped,
        basket_create(house=scoped),
        performance,
        cheap,
        seat_ids(performance, "B1"),
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert release_expired_holds() == 1
    assert states(performance, "B1") == ["free"]
    assert Hold.objects.filter(state="held").count() == 0


def test_a_cancelled_order_gives_its_seats_back(scoped, seated):
    performance, tariff, _cheap, _quota = seated
    basket = basket_create(house=scoped)
    _add(scoped, basket, performance, tariff, seat_ids(performance, "A5", "A6"))
    order = order_place(house=scoped, actor=None, basket=basket, **BUYER)

    order_cancel(house=scoped, actor=None, order=order)

    assert states(performance, "A5", "A6") == ["free", "free"]


def test_blocked_seats_are_not_sold_and_can_be_freed(scoped, seated):
    performance, tariff, _cheap, _quota = seated
    desk = seat_ids(performance, "C3", "C4")

    assert (
        seats_block(
            house=scoped,
            actor=None,
            performance=performance,
            seat_ids=desk,
            note="regie",
        )
        == 2
    )
    with pytest.raises(SoldOut):
        _add(scoped, basket_create(house=scoped), performance, _cheap, desk[:1])
    assert (
        seats_unblock(house=scoped, actor=None, performance=performance, seat_ids=desk)
        == 2
    )
    assert states(performance, "C3", "C4") == ["free", "free"]


def test_set_up_needs_a_category_for_every_rank_and_only_once(scoped, house):
    performance, tariff, _quota = on_sale_performance(house)
    plan = small_plan(performance.hall)

    with pytest.raises(SeatingSetupError, match="rank 2"):
        performance_seating_setup(
            house=scoped,
            actor=None,
            performance=performance,
            plan=plan,
            zones={1: tariff.category},
        )
    performance_seating_setup(
        house=scoped,
        actor=None,
        performance=performance,
        plan=plan,
        zones={1: tariff.category, 2: tariff.category},
    )
    assert PerformanceSeat.objects.filter(performance=performance).count() == 18
    with pytest.raises(SeatingSetupError, match="already"):
        performance_seating_setup(
            house=scoped,
            actor=None,
            performance=performance,
            plan=plan,
            zones={1: tariff.category, 2: tariff.category},
        )


def test_availability_counts_free_seats_per_category(scoped, seated):
    from podium.sales.selectors import performance_availability

    performance, tariff, cheap, _quota = seated  # quota of 100, 18 seats
    before = performance_availability(performance=performance)
    assert (before.available, before.by_category) == (
        18,
        {tariff.category_id: 6, cheap.category_id: 12},
    )

    _add(
        scoped,
        basket_create(house=scoped),
        performance,
        tariff,
        seat_ids(performance, "A1", "A2"),
    )
    seats_block(
        house=scoped,
        actor=None,
        performance=performance,
        seat_ids=seat_ids(performance, "B1"),
    )

    after = performance_availability(performance=performance)
    assert (after.available, after.by_category) == (
        15,
        {tariff.category_id: 4, cheap.category_id: 11},
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        # an expired hold's seats count as free before the sweep gives them back
        assert performance_availability(performance=performance).available == 17


def test_a_performance_with_every_seat_taken_is_sold_out(scoped, seated):
    from podium.sales.selectors import performance_availability

    performance, tariff, cheap, _quota = seated
    seats_block(
        house=scoped,
        actor=None,
        performance=performance,
        seat_ids=list(
            PerformanceSeat.objects.filter(performance=performance).values_list(
                "pk", flat=True
            )
        ),
    )

    assert performance_availability(performance=performance).sold_out


def test_best_available_holds_adjacent_seats_in_the_best_row(scoped, seated):
    performance, tariff, cheap, _quota = seated  # row A rank 1 (6 seats), B–C rank 2
    basket = basket_create(house=scoped)

    first = basket_add_best_available(
        house=scoped,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=cheap,
        count=4,
    )

    labels = sorted(
        f"{s.seat.row}{s.seat.number}"
        for s in PerformanceSeat.objects.filter(
            pk__in=first.hold.seat_ids
        ).select_related("seat")
    )
    # B2–B5 would strand B1 and B6 alone; B1–B4 leaves B5–B6 as a pair.
    assert first.together and labels == ["B1", "B2", "B3", "B4"]
    assert states(performance, "B1", "B4", "B5") == ["held", "held", "free"]


def test_best_available_says_when_seats_are_not_together(scoped, seated):
    performance, tariff, _cheap, _quota = seated
    seats_block(
        house=scoped,
        actor=None,
        performance=performance,
        seat_ids=seat_ids(performance, "A3", "A5"),
    )
    basket = basket_create(house=scoped)

    split = basket_add_best_available(
        house=scoped,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        count=3,
    )

    assert not split.together and split.hold.quantity == 3
    with pytest.raises(SoldOut, match="Not enough seats"):
        basket_add_best_available(
            house=scoped,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=tariff,
            count=2,
        )


def test_a_seats_name_tells_the_full_price_not_the_social_tariff(scoped, seated):
    from podium.seating.selectors import performance_seating, zone_prices

    performance, tariff, cheap, _quota = seated
    TariffFactory(category=tariff.category, kind="social", price=Decimal("5.00"))

    prices = zone_prices(seating=performance_seating(performance=performance))

    assert prices == {1: tariff.price, 2: cheap.price}
