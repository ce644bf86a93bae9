"""The queue on both backends: fair random places for the early ones, arrival order
after the first minute, one place per session and e-mail, admission at the rate on a
clock the tests move (no sleeping), pausing, and the admission token."""

from datetime import timedelta

import pytest
import time_machine

from podium.core.metrics import exposition
from podium.waitingroom.backends import KEEP_SECONDS, backend
from podium.waitingroom.errors import WaitingRoomClosed
from podium.waitingroom.selectors import waiting_total
from podium.waitingroom.services import (
    waiting_room_admit,
    waiting_room_join,
    waiting_room_pause,
    waiting_room_step,
    waiting_room_update,
    waiting_room_visit,
)
from podium.waitingroom.tokens import admission_valid

from .factories import at, make_room

pytestmark = pytest.mark.django_db


def join(room, name: str, when, email: str = "") -> int:
    return waiting_room_join(room=room, session_key=name, email=email, now=when)


def positions(room, entries: list[int]) -> list[int]:
    queue = backend()
    return [queue.place(room, entry).position for entry in entries]


def test_two_hundred_early_arrivals_get_a_random_order(queue, scoped, room):
    entries = [join(room, f"s{n}", at(-300 + n)) for n in range(200)]

    places = positions(room, entries)

    assert sorted(places) == list(range(1, 201))  # a permutation: distinct places
    # Not the join order: a fair draw keeps about one of 200 in its own place.
    assert sum(place == n + 1 for n, place in enumerate(places)) < 20
    assert backend().positions(room) != entries


def test_arrivals_in_the_first_minute_are_drawn_with_the_early_ones(
    queue, scoped, room
):
    early = [join(room, f"early{n}", at(-60)) for n in range(40)]
    first_minute = [join(room, f"minute{n}", at(59)) for n in range(40)]

    places = positions(room, first_minute)

    assert min(places) <= 40  # some got ahead of earlier arrivals
    assert sorted(positions(room, early) + places) == list(range(1, 81))


def test_later_arrivals_queue_in_order_behind_the_draw(queue, scoped, room):
    early = [join(room, f"early{n}", at(-10)) for n in range(5)]
    late = [join(room, f"late{n}", at(61 + n)) for n in range(10)]

    assert positions(room, late) == list(range(6, 16))
    assert sorted(positions(room, early)) == [1, 2, 3, 4, 5]


def test_the_same_session_or_email_keeps_one_place(queue, scoped, room):
    first = join(room, "browser-a", at(120), email="an@example.be")
    join(room, "browser-b", at(121))

    again = join(room, "browser-a", at(300))
    same_mail = join(room, "browser-c", at(301), email="  AN@Example.be ")

    assert again == first and same_mail == first
    assert positions(room, [first]) == [1]  # re-joining kept the place
    assert backend().waiting(room) == 2


def test_nothing_is_admitted_before_the_on_sale_moment(queue, scoped, room):
    for n in range(5):
        join(room, f"s{n}", at(-600))

    assert waiting_room_step(room=room, now=at(-1)) == 0
    assert waiting_room_step(room=room, now=at(0)) == 0
    assert backend().waiting(room) == 5


def test_admission_follows_the_rate_over_time(queue, scoped, room):
    entries = [join(room, f"s{n}", at(-60)) for n in range(100)]
    by_place = sorted(entries, key=lambda e: positions(room, [e])[0])

    assert waiting_room_step(room=room, now=at(30)) == 30  # 60 a minute
    assert waiting_room_step(room=room, now=at(30)) == 0  # idempotent
    assert waiting_room_step(room=room, now=at(45)) == 15

    queue_ = backend()
    admitted = [e for e in entries if queue_.place(room, e).admitted]
    assert sorted(admitted) == sorted(by_place[:45])  # in queue order
    assert queue_.waiting(room) == 55
    assert positions(room, [by_place[45]]) == [1]


def test_fractions_of_a_visitor_carry_over(queue, scoped, house, show):
    room = make_room(house, performance=show, rate_per_minute=30)  # one per 2 s
    for n in range(20):
        join(room, f"s{n}", at(-5))

    admitted = sum(waiting_room_step(room=room, now=at(s)) for s in range(1, 11))

    assert admitted == 5


def test_unused_allowance_does_not_pile_up_for_a_burst(queue, scoped, room):
    waiting_room_step(room=room, now=at(1))
    # Nobody waits for ten minutes: 600 admissions' worth is not kept.
    assert waiting_room_step(room=room, now=at(600)) == 0
    for n in range(50):
        join(room, f"late{n}", at(600 + n / 100))

    assert waiting_room_step(room=room, now=at(605)) == 5


def test_a_first_step_long_after_the_moment_admits_one_minute_at_most(
    queue, scoped, room
):
    room.rate_per_minute = 6
    room.save(update_fields=["rate_per_minute"])
    # Nobody stepped (no poll, no beat) for ten minutes, then fifty arrive at once.
    for n in range(50):
        join(room, f"late{n}", at(600 + n / 100))

    assert waiting_room_step(room=room, now=at(601)) == 6  # a minute's worth, not 60
    assert waiting_room_step(room=room, now=at(611)) == 1  # then the rate again


def test_pausing_stops_admission_and_resuming_does_not_burst(
    queue, scoped, house, room
):
    for n in range(100):
        join(room, f"s{n}", at(-1))
    assert waiting_room_step(room=room, now=at(10)) == 10

    waiting_room_pause(house=house, actor=None, room=room, paused=True, now=at(20))
    assert waiting_room_step(room=room, now=at(50)) == 0
    waiting_room_pause(house=house, actor=None, room=room, paused=False, now=at(80))

    # 10 more for the 10 s before the pause, then only what came after resuming.
    assert backend().waiting(room) == 80
    assert waiting_room_step(room=room, now=at(85)) == 5


def test_the_token_admits_for_the_set_time_only(queue, scoped, room, house, show):
    entry = join(room, "s1", at(-1))
    other = make_room(house, performance=show, opens_at=at(3600))
    with time_machine.travel(at(5), tick=False):
        visit = waiting_room_visit(room=room, entry_id=entry, now=at(5))
        assert visit.admitted and visit.token
        assert admission_valid(room=room, token=visit.token, now=at(5))
        assert not admission_valid(room=other, token=visit.token, now=at(5))
        assert not admission_valid(room=room, token=visit.token + "x", now=at(5))
        assert not admission_valid(room=room, token=None, now=at(5))
    with time_machine.travel(at(5 + 14 * 60), tick=False):
        assert admission_valid(room=room, token=visit.token, now=at(5 + 14 * 60))
    with time_machine.travel(at(5 + 15 * 60 + 1), tick=False):
        assert not admission_valid(
            room=room, token=visit.token, now=at(5 + 15 * 60 + 1)
        )
        later = waiting_room_visit(room=room, entry_id=entry, now=at(5 + 15 * 60 + 1))
        assert later.expired and later.token is None


def test_an_expired_admission_queues_again_at_the_back(queue, scoped, room):
    first = join(room, "s1", at(-1))
    waiting_room_step(room=room, now=at(1))
    for n in range(3):
        join(room, f"other{n}", at(200 + n))

    again = join(room, "s1", at(1000))

    assert again != first
    assert positions(room, [again]) == [4]


def test_staff_can_admit_the_next_visitors_at_once(queue, scoped, house, room):
    entries = [join(room, f"s{n}", at(100 + n)) for n in range(5)]
    room.paused = True

    assert waiting_room_admit(house=house, actor=None, room=room, count=2) == 2

    assert [backend().place(room, e).admitted for e in entries] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert positions(room, entries[2:]) == [1, 2, 3]


def test_a_closed_or_disabled_room_takes_no_one(queue, scoped, house, room):
    waiting_room_update(
        house=house, actor=None, room=room, closes_at=at(3600), is_enabled=True
    )
    with pytest.raises(WaitingRoomClosed):
        join(room, "s1", at(3600))
    waiting_room_update(house=house, actor=None, room=room, is_enabled=False)
    with pytest.raises(WaitingRoomClosed):
        join(room, "s1", at(10))


def test_the_metrics_report_everyone_waiting(queue, scoped, house, show, room):
    second = make_room(house, performance=show, opens_at=at(60))
    for n in range(3):
        join(room, f"s{n}", at(-1))
    join(second, "x", at(-1))

    assert waiting_total() == 4
    assert b"podium_waiting_room_length 4.0" in exposition()


def test_entries_are_kept_per_room(queue, scoped, house, show, room):
    second = make_room(house, performance=show, opens_at=at(60))
    a = join(room, "s1", at(100))
    b = join(second, "s1", at(100))

    assert positions(room, [a]) == [1] and positions(second, [b]) == [1]
    waiting_room_step(room=room, now=at(100) + timedelta(seconds=5))
    assert backend().place(room, a).admitted
    assert not backend().place(second, b).admitted


def test_redis_forgets_a_room_a_week_after_its_last_move(
    redis_url, settings, scoped, room
):
    settings.REDIS_URL = redis_url
    queue = backend()
    queue.client.flushdb()
    first = join(room, "s1", at(-10))
    join(room, "s2", at(-5), email="an@example.be")
    waiting_room_step(room=room, now=at(30))

    keys = queue.client.keys(f"{queue.PREFIX}:{room.pk}:*")
    names = {k.rsplit(":", 1)[-1] for k in keys}
    assert names >= {"sessions", "emails", "ids", "admitted", "state"}
    ttls = [queue.client.ttl(key) for key in keys]
    assert all(0 < ttl <= KEEP_SECONDS for ttl in ttls), dict(
        zip(keys, ttls, strict=True)
    )
    assert queue.client.ttl(f"{queue.PREFIX}:{room.pk}:entry:{first}") > 0
