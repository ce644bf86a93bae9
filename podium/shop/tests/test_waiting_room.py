"""The waiting room in the shop: the buy page sends visitors to the queue until they
are admitted; the queue page and its JSON show the place; refreshing keeps it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.catalog.tests.factories import PerformanceFactory
from podium.sales.models import Hold
from podium.sales.tests.factories import on_sale_performance
from podium.shop.waiting_views import SESSION_ENTRIES, SESSION_TOKENS
from podium.tenancy.scoping import house_scope
from podium.waitingroom.models import WaitingEntry, WaitingRoom
from podium.waitingroom.services import waiting_room_admit, waiting_room_join

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.REDIS_URL = ""


@pytest.fixture
def ga(house):
    performance, tariff, _quota = on_sale_performance(house, size=50)
    return performance, tariff


def make_room(house, **fields) -> WaitingRoom:
    fields.setdefault("scope", "performance" if "performance" in fields else "house")
    fields.setdefault("opens_at", timezone.now() - timedelta(minutes=5))
    fields.setdefault("rate_per_minute", 60)
    fields.setdefault("paused", True)  # nobody is let in unless a test says so
    return WaitingRoom.objects.create(house=house, **fields)


def change(room, **fields) -> None:
    with house_scope(room.house):
        WaitingRoom.objects.filter(pk=room.pk).update(**fields)


def page_url(performance) -> str:
    return reverse("shop:performance", args=[performance.pk])


def queue_url(room) -> str:
    return reverse("shop:waiting-room", args=[room.pk])


def status(client, room) -> dict:
    response = client.get(reverse("shop:waiting-room-status", args=[room.pk]))
    assert response.status_code == 200
    return response.json()


def join(client, room, email: str = ""):
    return client.post(queue_url(room), {"email": email})


def test_without_a_room_the_buy_page_is_open(client, ga):
    assert client.get(page_url(ga[0])).status_code == 200


def test_the_buy_page_sends_a_visitor_without_admission_to_the_queue(client, house, ga):
    performance, tariff = ga
    room = make_room(house, performance=performance)

    response = client.get(page_url(performance))
    posted = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "2"}
    )

    expected = f"{queue_url(room)}?next=%2Fvoorstelling%2F{performance.pk}%2F"
    assert response.status_code == 302 and response.url == expected
    assert posted.status_code == 302 and posted.url == expected
    with house_scope(house):
        assert not Hold.objects.exists()  # the POST added nothing to a basket


def test_an_admitted_visitor_reaches_the_buy_page_and_can_add_tickets(
    client, house, ga
):
    performance, tariff = ga
    room = make_room(house, performance=performance)
    client.get(page_url(performance))
    join(client, room, "an@example.be")
    with house_scope(house):
        waiting_room_admit(house=house, actor=None, room=room, count=1)

    page = client.get(queue_url(room))  # the poll or a refresh hands out the token
    response = client.get(page_url(performance))
    posted = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "2"}
    )

    assert str(room.pk) in client.session[SESSION_TOKENS]
    assert page_url(performance) in page.content.decode()  # "to the tickets"
    assert response.status_code == 200
    assert posted.status_code == 302 and posted.url.startswith("/mandje/")


def test_a_token_of_another_room_does_not_open_this_one(client, house, ga):
    performance, _tariff = ga
    other = PerformanceFactory(house=house)
    room = make_room(house, performance=performance)
    other_room = make_room(house, performance=other)
    join(client, other_room)
    with house_scope(house):
        waiting_room_admit(house=house, actor=None, room=other_room, count=1)
    assert status(client, other_room)["state"] == "admitted"

    assert client.get(page_url(performance)).url.startswith(queue_url(room))


def test_an_expired_admission_sends_the_visitor_back_to_the_queue(
    client, house, ga, time_machine
):
    performance, _tariff = ga
    room = make_room(house, performance=performance, admission_minutes=10)
    join(client, room)
    with house_scope(house):
        waiting_room_admit(house=house, actor=None, room=room, count=1)
    status(client, room)
    assert client.get(page_url(performance)).status_code == 200

    time_machine.move_to(timezone.now() + timedelta(minutes=11))

    assert client.get(page_url(performance)).status_code == 302
    assert status(client, room)["state"] == "expired"


@pytest.mark.parametrize("scope", ["production", "house"])
def test_production_and_house_rooms_guard_every_date(client, house, ga, scope):
    performance, _tariff = ga
    other_date = PerformanceFactory(
        house=house, production=performance.production, hall=performance.hall
    )
    target = {"production": performance.production} if scope == "production" else {}
    room = make_room(house, scope=scope, **target)

    for show in (performance, other_date):
        assert client.get(page_url(show)).url.startswith(queue_url(room))


def test_a_room_before_its_moment_already_queues_and_an_ended_one_does_not(
    client, house, ga
):
    performance, _tariff = ga
    room = make_room(house, performance=performance, paused=False)
    change(room, opens_at=timezone.now() + timedelta(hours=1))
    assert client.get(page_url(performance)).status_code == 302
    join(client, room)
    assert status(client, room)["state"] == "drawing"  # nobody in before the moment

    change(
        room,
        opens_at=timezone.now() - timedelta(hours=2),
        closes_at=timezone.now() - timedelta(hours=1),
    )
    assert client.get(page_url(performance)).status_code == 200
    assert client.get(queue_url(room)).status_code == 404


def test_joining_shows_the_place_and_refreshing_keeps_it(client, house, ga):
    performance, _tariff = ga
    room = make_room(house, performance=performance)
    with house_scope(house):
        for n in range(3):
            waiting_room_join(room=room, session_key=f"before-{n}")

    response = join(client, room, "An@Example.be")
    assert response.status_code == 302 and response.url == queue_url(room)
    first = client.get(queue_url(room)).content.decode()
    again = client.get(queue_url(room)).content.decode()
    join(client, room, "an@example.be")  # joining again changes nothing

    place = re.search(r"data-position>(\d+)<", first)
    assert place and place.group(1) == "4"
    assert re.search(r"data-position>(\d+)<", again).group(1) == "4"
    assert 'role="status"' in first and 'aria-live="polite"' in first
    answer = status(client, room)
    assert (answer["state"], answer["position"], answer["waiting"]) == (
        "waiting",
        4,
        4,
    )
    with house_scope(house):
        assert WaitingEntry.objects.filter(room=room).count() == 4
        assert WaitingEntry.objects.get(
            pk=client.session[SESSION_ENTRIES][str(room.pk)]
        ).email == ("an@example.be")


def test_before_the_draw_no_number_is_shown_then_the_place_is(
    client, house, ga, time_machine
):
    performance, _tariff = ga
    room = make_room(house, performance=performance)
    change(room, opens_at=timezone.now() + timedelta(minutes=10))
    with house_scope(house):
        for n in range(2):
            waiting_room_join(room=room, session_key=f"early-{n}")
    join(client, room)

    page = client.get(queue_url(room)).content.decode()
    answer = status(client, room)
    assert answer["state"] == "drawing"
    assert " 3 " in answer["headline"]  # how many wait, not a place
    assert re.search(r"data-position-box hidden", page)
    assert 'data-start-state="drawing"' in page

    time_machine.move_to(timezone.now() + timedelta(minutes=11, seconds=1))
    answer = status(client, room)
    assert answer["state"] == "waiting" and 1 <= answer["position"] <= 3
    assert f" {answer['position']} " in answer["headline"]
    page = client.get(queue_url(room)).content.decode()
    assert "data-position-box hidden" not in page


def test_the_place_moves_as_others_are_admitted(client, house, ga):
    performance, _tariff = ga
    room = make_room(house, performance=performance)
    with house_scope(house):
        for n in range(5):
            waiting_room_join(room=room, session_key=f"before-{n}")
    join(client, room)
    assert status(client, room)["position"] == 6

    with house_scope(house):
        waiting_room_admit(house=house, actor=None, room=room, count=4)
    answer = status(client, room)

    assert (answer["position"], answer["state"]) == (2, "waiting")
    assert answer["minutes"] is None  # paused: no estimate
    with house_scope(house):
        waiting_room_admit(house=house, actor=None, room=room, count=2)
    answer = status(client, room)
    assert answer["state"] == "admitted"
    assert answer["next"] == page_url(performance)


def test_the_rate_admits_as_the_page_polls(client, house, ga, time_machine):
    performance, _tariff = ga
    room = make_room(house, performance=performance, paused=False, rate_per_minute=6)
    change(room, opens_at=timezone.now())
    with house_scope(house):
        for n in range(3):
            waiting_room_join(room=room, session_key=f"before-{n}")
    join(client, room)  # fourth in line
    time_machine.move_to(timezone.now() + timedelta(seconds=61))

    answer = status(client, room)  # 61 s at 6 a minute: all four are in
    assert answer["state"] == "admitted"


def test_a_bad_email_is_a_form_error_and_queues_no_one(client, house, ga):
    performance, _tariff = ga
    room = make_room(house, performance=performance)

    response = join(client, room, "not an e-mail")

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    with house_scope(house):
        assert not WaitingEntry.objects.exists()
    assert status(client, room) == {"state": "not_joined"}


def test_an_unknown_or_disabled_room_is_not_found(client, house, ga):
    room = make_room(house, performance=ga[0], is_enabled=False)

    assert client.get(queue_url(room)).status_code == 404
    assert client.get(reverse("shop:waiting-room", args=[9999])).status_code == 404


def test_next_must_stay_on_this_site(client, house, ga):
    performance, _tariff = ga
    room = make_room(house, performance=performance)
    client.get(queue_url(room) + "?next=https://evil.example/")
    join(client, room)
    with house_scope(house):
        waiting_room_admit(house=house, actor=None, room=room, count=1)

    assert status(client, room)["next"] == page_url(performance)
