"""A visitor on a phone hits a performance behind a waiting room: they join the
queue, see their place move without reloading, and are taken back to the tickets
when it is their turn. axe-core finds no serious problems on the queue page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from podium.sales.tests.factories import on_sale_performance
from podium.tenancy.scoping import house_scope
from podium.waitingroom.models import WaitingRoom
from podium.waitingroom.services import waiting_room_admit, waiting_room_join

from .test_guest_checkout import count_navigations
from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def queue(house, settings):
    """A show whose queue opened five minutes ago, paused, with three visitors in."""
    settings.REDIS_URL = ""  # the database backend, as in the embedded default
    with house_scope(house):
        performance, _tariff, _quota = on_sale_performance(house, size=100)
        room = WaitingRoom.objects.create(
            house=house,
            scope=WaitingRoom.Scope.PERFORMANCE,
            performance=performance,
            opens_at=timezone.now() - timedelta(minutes=5),
            rate_per_minute=60,
            paused=True,
        )
        for n in range(3):
            waiting_room_join(room=room, session_key=f"earlier-visitor-{n}")
    return performance, room


def admit(house, room, count: int) -> None:
    with house_scope(house):
        waiting_room_admit(house=house, actor=None, room=room, count=count)


def test_a_visitor_queues_sees_the_place_move_and_reaches_the_tickets(
    page: Page, house, queue
):
    performance, room = queue

    # Given a visitor who opens the performance behind the waiting room
    page.goto(f"/voorstelling/{performance.pk}/")

    # Then they are in the waiting room, and may join it
    expect(page).to_have_url(re.compile(rf"/wachtrij/{room.pk}/\?next="))
    expect(page.get_by_role("heading", name="Waiting room", level=1)).to_be_visible()
    assert_accessible(page)

    # When they join with their e-mail address
    page.get_by_label("E-mail address (optional)").fill("an@example.be")
    page.get_by_role("button", name="Join the queue").click()

    # Then they see that three people are ahead of them
    place = page.locator("[data-position]")
    expect(place).to_have_text("4")
    status = page.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")
    assert_accessible(page)
    loads = count_navigations(page)

    # When two visitors ahead of them are let in
    admit(house, room, 2)

    # Then their place moves without the page reloading, and the move is announced
    expect(place).to_have_text("2", timeout=12_000)
    expect(status).to_contain_text("number 2")
    assert loads == []

    # When it is their turn
    admit(house, room, 2)

    # Then the page takes them back to the tickets, which are open to them now
    page.wait_for_url(f"**/voorstelling/{performance.pk}/", timeout=15_000)
    expect(page.get_by_role("heading", name="Tickets", level=2)).to_be_visible()
