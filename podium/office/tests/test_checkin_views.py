"""The door pages: the scanner's JSON endpoints and the start page's door counts."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.checkin.models import Scan
from podium.checkin.tests.factories import paid_tickets, show
from podium.sales.tickets.signing import ticket_payload
from podium.tenancy.scoping import house_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def tonight(house):
    """A show whose doors are open now, with two paid tickets."""
    with house_scope(house):
        performance = show(house, starts_at=timezone.now() + timedelta(minutes=30))
        tickets = paid_tickets(house, performance, count=2)
        return performance, [ticket_payload(ticket) for ticket in tickets]


@pytest.fixture
def door(client, house, staff_factory):
    client.force_login(staff_factory(house, "production"))
    return client


def _post(client, name, performance, body):
    return client.post(
        reverse(f"office:{name}", args=[performance.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )


def test_the_list_offers_tonights_show_with_its_count(door, tonight):
    performance, _codes = tonight

    page = door.get(reverse("office:checkin-list")).content.decode()

    assert reverse("office:checkin-scanner", args=[performance.pk]) in page
    assert "0 van 2 binnen" in page


def test_the_scanner_page_carries_its_endpoints_and_messages(door, tonight):
    performance, _codes = tonight

    page = door.get(
        reverse("office:checkin-scanner", args=[performance.pk]) + "?entrance=B"
    ).content.decode()

    assert reverse("office:checkin-package", args=[performance.pk]) in page
    assert 'value="B"' in page
    assert "Al gescand om {time} aan ingang {entrance}." in page  # offline message
    assert "office/scanner.js" in page


def test_the_package_lets_a_phone_check_codes_offline(door, tonight):
    performance, _codes = tonight

    response = door.get(reverse("office:checkin-package", args=[performance.pk]))

    package = response.json()
    assert response["Cache-Control"] == "no-store"
    assert package["performance"]["id"] == performance.pk
    assert len(package["tickets"]) == 2 and package["keys"]


def test_a_scan_admits_once_then_names_the_first_scan(door, tonight):
    performance, (code, _other) = tonight

    first = _post(door, "checkin-scan", performance, {"code": code, "entrance": "B"})
    again = _post(door, "checkin-scan", performance, {"code": code, "entrance": "A"})

    assert (first.json()["admitted"], first.json()["reason"]) == (True, "valid")
    answer = again.json()
    assert (answer["admitted"], answer["reason"]) == (False, "already_scanned")
    assert answer["first_entrance"] == "B"
    assert "aan ingang B" in answer["message"]


def test_a_scan_without_a_code_or_with_garbage_is_a_clear_400(door, tonight):
    performance, _codes = tonight
    url = reverse("office:checkin-scan", args=[performance.pk])

    empty = _post(door, "checkin-scan", performance, {"code": "  "})
    garbage = door.post(url, data="{not json", content_type="application/json")

    assert empty.status_code == garbage.status_code == 400
    assert "ticketcode" in empty.json()["error"].lower()


def test_sync_stores_offline_scans_and_reports_a_conflict(door, house, tonight):
    performance, (code, _other) = tonight
    now = timezone.now()

    def scan(client_id, minutes):
        moment = (now - timedelta(minutes=minutes)).isoformat()
        return {
            "client_id": client_id,
            "code": code,
            "entrance": "A",
            "scanned_at": moment,
            "admitted_offline": True,
        }

    later = _post(
        door, "checkin-sync", performance, {"device": "p2", "scans": [scan("x", 1)]}
    )
    earlier = _post(
        door, "checkin-sync", performance, {"device": "p1", "scans": [scan("y", 3)]}
    )

    assert later.json()["results"][0]["admitted"] is True
    result = earlier.json()["results"][0]
    assert (result["client_id"], result["admitted"], result["conflict"]) == (
        "y",
        True,
        True,
    )
    with house_scope(house):
        assert Scan.objects.get(result="admitted").device == "p1"
        assert Scan.objects.filter(conflict=True).count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {"device": "p1"},
        {"device": "p1", "scans": "nope"},
        {"device": "p1", "scans": [{"code": "x", "scanned_at": "yesterday"}]},
        {"device": "p1", "scans": [{"code": "x", "scanned_at": "2026-03-28T20:00:00"}]},
    ],
)
def test_sync_refuses_what_it_cannot_read(door, tonight, body):
    performance, _codes = tonight

    response = _post(door, "checkin-sync", performance, body)

    assert response.status_code == 400
    assert response.json()["error"]


def test_the_start_page_shows_who_is_in_and_refreshes(door, tonight):
    performance, (code, _other) = tonight
    _post(door, "checkin-scan", performance, {"code": code})

    page = door.get(reverse("office:home")).content.decode()
    counts = door.get(reverse("office:attendance-now")).json()

    assert "Nu aan de deur" in page and "office/attendance.js" in page
    assert counts == {
        "performances": [{"id": performance.pk, "admitted": 1, "expected": 2}]
    }
