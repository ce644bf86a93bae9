"""The office's waiting rooms: create one, watch its queue live, pause and resume it
(audit-logged), and never aim one at another house's performance."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.core.models import AuditEntry
from podium.tenancy.scoping import house_scope
from podium.waitingroom.models import WaitingRoom
from podium.waitingroom.services import waiting_room_admit, waiting_room_join

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.REDIS_URL = ""


@pytest.fixture
def ticketing(house, staff_factory):
    return staff_factory(house, "ticketing")


@pytest.fixture
def room(world, sales):
    return WaitingRoom.objects.create(
        house=world.house,
        name="Seizoensstart",
        scope=WaitingRoom.Scope.PERFORMANCE,
        performance=sales.performance,
        opens_at=timezone.now() - timedelta(minutes=10),
        rate_per_minute=120,
        paused=True,
    )


def _data(show, **extra) -> dict:
    return {
        "name": "Abonnementen 2027",
        "scope": "performance",
        "performance": show.pk,
        "opens_at": (timezone.localtime() + timedelta(days=3)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "admission_minutes": "20",
        "is_enabled": "on",
        **extra,
    }


def test_ticketing_creates_a_room_with_the_automatic_rate(
    client, world, sales, ticketing
):
    client.force_login(ticketing)

    response = client.post(
        reverse("office:waiting-room-create"), _data(sales.performance)
    )

    with house_scope(world.house):
        room = WaitingRoom.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("office:waiting-room-detail", args=[room.pk])
    assert (room.rate_per_minute, room.admission_minutes) == (None, 20)
    assert AuditEntry.objects.filter(
        action="podium.waitingroom.room.created", object_id=str(room.pk)
    ).exists()


def test_a_production_room_without_its_production_is_a_form_error(
    client, world, sales, ticketing
):
    client.force_login(ticketing)

    response = client.post(
        reverse("office:waiting-room-create"),
        _data(sales.performance, scope="production", performance=""),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["production"]
    with house_scope(world.house):
        assert not WaitingRoom.objects.exists()


def test_the_live_page_and_its_figures(client, world, room, ticketing):
    with house_scope(world.house):
        for n in range(12):
            waiting_room_join(room=room, session_key=f"s{n}")
        waiting_room_admit(house=world.house, actor=None, room=room, count=2)
    client.force_login(ticketing)

    page = client.get(reverse("office:waiting-room-detail", args=[room.pk]))
    figures = client.get(reverse("office:waiting-room-figures", args=[room.pk]))

    assert page.status_code == 200
    assert page.context["figures"].waiting == 10
    assert b"office/waiting.js" in page.content
    assert figures.json() == {
        "waiting": 10,
        "admitted_last_minute": 2,
        "rate": 120,
        "automatic": False,
        "minutes_to_empty": None,  # paused
        "paused": True,
    }


def test_staff_watching_see_it_admit_without_visitors_polling(
    client, world, room, ticketing, time_machine
):
    with house_scope(world.house):
        WaitingRoom.objects.filter(pk=room.pk).update(
            paused=False, rate_per_minute=6, opens_at=timezone.now()
        )
        for n in range(5):
            waiting_room_join(room=room, session_key=f"s{n}")
    client.force_login(ticketing)
    url = reverse("office:waiting-room-figures", args=[room.pk])
    assert client.get(url).json()["waiting"] == 5  # the first step starts the clock

    time_machine.move_to(timezone.now() + timedelta(seconds=21))
    answer = client.get(url).json()

    assert (answer["waiting"], answer["admitted_last_minute"]) == (3, 2)


def test_pause_and_resume_by_post_are_logged(client, world, room, ticketing):
    client.force_login(ticketing)
    url = reverse("office:waiting-room-pause", args=[room.pk])

    resumed = client.post(url, {"action": "resume"})
    with house_scope(world.house):
        room.refresh_from_db()
    assert resumed.status_code == 302 and not room.paused

    paused = client.post(url, {"action": "pause"})
    with house_scope(world.house):
        room.refresh_from_db()
    assert paused.status_code == 302 and room.paused
    actions = list(
        AuditEntry.objects.filter(
            object_type="waitingroom.waitingroom", object_id=str(room.pk)
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "podium.waitingroom.room.resumed",
        "podium.waitingroom.room.paused",
    ]
    assert client.get(url).status_code == 405


def test_a_programmer_may_look_but_an_audience_officer_may_not_pause(
    client, world, room, staff_factory
):
    client.force_login(staff_factory(world.house, "audience"))

    response = client.post(
        reverse("office:waiting-room-pause", args=[room.pk]), {"action": "resume"}
    )

    assert response.status_code == 403
    with house_scope(world.house):
        room.refresh_from_db()
    assert room.paused


def test_house_b_cannot_aim_a_room_at_house_a(
    client, world, sales, other_house, staff_factory
):
    client.force_login(staff_factory(other_house, "ticketing"))

    response = client.post(
        reverse("office:waiting-room-create"), _data(sales.performance)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["performance"]
    with house_scope(other_house):
        assert not WaitingRoom.objects.exists()
