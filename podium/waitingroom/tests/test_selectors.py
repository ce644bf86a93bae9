"""Which room guards a performance (its scope), and the rate in use."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from podium.catalog.tests.factories import PerformanceFactory
from podium.sales.models import Order
from podium.sales.tests.test_tickets_support import make_order
from podium.tenancy.scoping import house_scope
from podium.waitingroom.backends import backend
from podium.waitingroom.errors import WaitingRoomError
from podium.waitingroom.models import WaitingRoom
from podium.waitingroom.selectors import (
    rate_in_use,
    room_figures,
    wait_minutes,
    waiting_room_for,
)
from podium.waitingroom.services import (
    waiting_room_create,
    waiting_room_join,
    waiting_room_step,
)
from podium.waitingroom.tasks import waiting_rooms_step_task

from .factories import at, make_room

pytestmark = pytest.mark.django_db


def test_a_performance_room_guards_that_performance_only(scoped, house, show):
    other_date = PerformanceFactory(house=house, production=show.production)
    room = make_room(house, performance=show)

    assert waiting_room_for(performance=show, now=at(0)) == room
    assert waiting_room_for(performance=other_date, now=at(0)) is None


def test_a_production_room_guards_every_date_of_it(scoped, house, show):
    other_date = PerformanceFactory(house=house, production=show.production)
    elsewhere = PerformanceFactory(house=house)
    room = make_room(house, production=show.production)

    assert waiting_room_for(performance=show, now=at(0)) == room
    assert waiting_room_for(performance=other_date, now=at(0)) == room
    assert waiting_room_for(performance=elsewhere, now=at(0)) is None


def test_a_house_room_guards_the_whole_shop_of_that_house_only(
    scoped, house, other_house, show
):
    room = make_room(house)
    theirs = PerformanceFactory(house=other_house)

    assert waiting_room_for(performance=show, now=at(0)) == room
    assert waiting_room_for(performance=PerformanceFactory(house=house), now=at(0))
    assert waiting_room_for(performance=theirs, now=at(0)) is None


def test_the_most_specific_open_room_wins(scoped, house, show):
    make_room(house)
    make_room(house, performance=show, is_enabled=False)
    ended = make_room(house, performance=show, closes_at=at(60))
    production = make_room(house, production=show.production)

    assert waiting_room_for(performance=show, now=at(0)) == ended
    assert waiting_room_for(performance=show, now=at(60)) == production


def test_the_scope_must_name_its_target(scoped, house, other_house, show):
    with pytest.raises(WaitingRoomError):
        waiting_room_create(
            house=house, actor=None, scope="performance", opens_at=at(0)
        )
    with pytest.raises(WaitingRoomError) as error:
        waiting_room_create(
            house=other_house,
            actor=None,
            scope="performance",
            performance=show,
            opens_at=at(0),
        )
    assert error.value.field == "performance"
    room = waiting_room_create(
        house=house,
        actor=None,
        scope="house",
        performance=show,  # dropped: a house room has no target
        opens_at=at(0),
    )
    assert room.performance is None
    with pytest.raises(ValidationError):
        WaitingRoom(house=house, scope="production", opens_at=at(0)).full_clean()


def test_the_automatic_rate_follows_the_orders_of_the_last_two_minutes(
    scoped, house, show, time_machine
):
    room = make_room(house, performance=show, rate_per_minute=None)
    elsewhere = PerformanceFactory(house=house)
    time_machine.move_to(at(-300))
    make_order(house, performances=[show], tickets=1)  # too long ago
    time_machine.move_to(at(-60))
    for _n in range(50):
        make_order(house, performances=[show], tickets=2)
    for _n in range(10):
        make_order(house, performances=[elsewhere], tickets=1)
    box_office = make_order(house, performances=[show], tickets=1)
    Order.objects.filter(pk=box_office.pk).update(channel=Order.Channel.BOX_OFFICE)

    rate = rate_in_use(room=room, now=at(0))
    whole_house = make_room(house, rate_per_minute=None)

    assert rate.automatic and rate.per_minute == pytest.approx(50 / 2 * 1.2)
    assert rate_in_use(room=whole_house, now=at(0)).per_minute == pytest.approx(36)
    assert rate_in_use(room=room, now=at(600)).per_minute == 20  # the floor
    assert not rate_in_use(
        room=make_room(house, rate_per_minute=90), now=at(0)
    ).automatic


def test_the_wait_is_estimated_from_the_place_and_the_rate(scoped, house, show):
    room = make_room(house, performance=show, rate_per_minute=60)
    rate = rate_in_use(room=room, now=at(0))

    assert wait_minutes(room=room, position=240, rate=rate, now=at(10)) == 4
    assert wait_minutes(room=room, position=1, rate=rate, now=at(10)) == 1
    assert wait_minutes(room=room, position=60, rate=rate, now=at(-300)) == 6
    room.paused = True
    assert wait_minutes(room=room, position=60, rate=rate, now=at(10)) is None


def test_staff_figures(scoped, house, show, settings):
    settings.REDIS_URL = ""
    room = make_room(house, performance=show, rate_per_minute=30)
    for n in range(100):
        waiting_room_join(room=room, session_key=f"s{n}", now=at(-1))
    waiting_room_step(room=room, now=at(10))  # 5 in
    waiting_room_step(room=room, now=at(80))  # 30 more: a step credits a minute at most

    figures = room_figures(room=room, now=at(80))

    assert (figures.waiting, figures.admitted_last_minute) == (65, 30)
    assert figures.rate.per_minute == 30 and figures.minutes_to_empty == 3
    assert figures.open and not figures.paused and figures.backend == "database"


def test_the_periodic_task_admits_while_nobody_polls(house, show, settings):
    settings.REDIS_URL = ""
    with house_scope(house):
        room = make_room(
            house, performance=show, opens_at=timezone.now() - timedelta(minutes=1)
        )
        paused = make_room(
            house,
            performance=show,
            opens_at=timezone.now() - timedelta(minutes=1),
            paused=True,
        )
        for n in range(3):
            waiting_room_join(room=room, session_key=f"s{n}")
            waiting_room_join(room=paused, session_key=f"s{n}")

    assert waiting_rooms_step_task() == 3

    with house_scope(house):
        assert backend().waiting(room) == 0 and backend().waiting(paused) == 3
