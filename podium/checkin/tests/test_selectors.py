"""Reading the door: the offline package, attendance, what to scan."""

import base64
import struct
from datetime import timedelta

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from podium.checkin.selectors import (
    attendance,
    checkin_package,
    performances_to_scan,
    scan_performance_get,
)
from podium.checkin.services import scan_ticket
from podium.core.errors import NotFound
from podium.sales.models import Order, Ticket
from podium.sales.tickets.keys import public_keys
from podium.sales.tickets.signing import ticket_payload

from .factories import DURING, STARTS, brussels, paid_tickets, show

pytestmark = pytest.mark.django_db


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def offline_check(package: dict, code: str) -> str:
    """What a scanner decides with nothing but the package (no Podium code)."""
    prefix, body_text, signature_text = code.split(".")
    body, signature = _b64decode(body_text), _b64decode(signature_text)
    key_length = body[0]
    key_id = body[1 : 1 + key_length].decode()
    _house, _performance, ticket_id, version = struct.unpack_from(
        ">QQQH", body, 1 + key_length
    )
    raw_key = package["keys"].get(key_id)
    if raw_key is None:
        return "unknown_key"
    try:
        Ed25519PublicKey.from_public_bytes(_b64decode(raw_key)).verify(
            signature, prefix.encode() + b"." + body
        )
    except InvalidSignature:
        return "bad_signature"
    known = package["tickets"].get(str(ticket_id))
    if known is None or known["v"] != version:
        return "unknown_ticket"
    if str(ticket_id) in package["admitted"]:
        return "already_scanned"
    return "valid"


@pytest.fixture
def tickets(house, performance):
    return paid_tickets(house, performance, count=3)


def test_the_package_holds_the_keys_and_the_tickets_that_admit(
    scoped, house, performance, tickets
):
    cancelled, seated, plain = tickets
    Ticket.objects.filter(pk=cancelled.pk).update(state=Ticket.State.CANCELLED)
    Ticket.objects.filter(pk=seated.pk).update(
        seat_label="Zaal, rij D, stoel 27", holder_name="Bram Claes"
    )
    unpaid = paid_tickets(house, performance, state=Order.State.PENDING)[0]
    other_show = paid_tickets(house, show(house, starts_at=STARTS + timedelta(days=1)))[
        0
    ]
    ticket_payload(plain)  # the house's first key

    package = checkin_package(house=house, performance=performance, now=DURING)

    assert package["performance"] == {
        "id": performance.pk,
        "title": "The Tempest",
        "starts_at": STARTS.isoformat(),
        "admits_from": brussels(2026, 3, 28, 18, 30).isoformat(),
        "admits_until": brussels(2026, 3, 28, 22, 30).isoformat(),
    }
    assert package["keys"] == {
        key_id: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        for key_id, raw in public_keys(house=house).items()
    }
    assert len(package["keys"]) == 1
    assert package["tickets"] == {
        str(seated.pk): {
            "v": 1,
            "label": "Full price · Zaal, rij D, stoel 27",
            "holder": "Bram Claes",
        },
        str(plain.pk): {"v": 1, "label": "Full price", "holder": "Ann Peeters"},
    }
    assert str(unpaid.pk) not in package["tickets"]
    assert str(other_show.pk) not in package["tickets"]
    assert package["admitted"] == {}
    assert package["generated_at"] == DURING.isoformat()


def test_the_package_lists_admissions(scoped, house, performance, tickets):
    scan_ticket(
        house=house,
        actor=None,
        performance=performance,
        payload=ticket_payload(tickets[0]),
        entrance="B",
        now=brussels(2026, 3, 28, 20, 3),
    )

    package = checkin_package(house=house, performance=performance)

    assert package["admitted"] == {
        str(tickets[0].pk): {
            "at": brussels(2026, 3, 28, 20, 3).isoformat(),
            "entrance": "B",
        }
    }


def test_a_device_validates_codes_offline_with_the_package_alone(
    scoped, house, performance, tickets
):
    first, second, cancelled = (ticket_payload(t) for t in tickets)
    Ticket.objects.filter(pk=tickets[2].pk).update(state=Ticket.State.CANCELLED)
    scan_ticket(
        house=house, actor=None, performance=performance, payload=second, now=DURING
    )
    package = checkin_package(house=house, performance=performance)
    at = first.rindex(".") + 10
    tampered = first[:at] + ("B" if first[at] != "B" else "C") + first[at + 1 :]

    assert offline_check(package, first) == "valid"
    assert offline_check(package, second) == "already_scanned"
    assert offline_check(package, cancelled) == "unknown_ticket"
    assert offline_check(package, tampered) == "bad_signature"


def test_the_package_takes_three_queries(
    scoped, house, performance, tickets, django_assert_num_queries
):
    ticket_payload(tickets[0])

    with django_assert_num_queries(3):  # keys, tickets, admissions
        checkin_package(house=house, performance=performance)


def test_attendance_counts_admissions_and_tickets_that_admit(
    scoped, house, performance, tickets
):
    empty = show(house, starts_at=STARTS + timedelta(days=2))
    Ticket.objects.filter(pk=tickets[2].pk).update(state=Ticket.State.REFUNDED)
    scan_ticket(
        house=house,
        actor=None,
        performance=performance,
        payload=ticket_payload(tickets[0]),
        now=DURING,
    )

    counts = attendance(house=house, performance_ids=[performance.pk, empty.pk])

    assert {pk: (c.admitted, c.expected) for pk, c in counts.items()} == {
        performance.pk: (1, 2),
        empty.pk: (0, 0),
    }


def test_performances_to_scan_are_those_about_to_open_or_just_ended(scoped, house):
    now = brussels(2026, 3, 28, 12, 0)
    tonight = show(house, starts_at=brussels(2026, 3, 28, 20, 0))
    this_morning = show(house, starts_at=brussels(2026, 3, 28, 9, 30))  # ends 11:00
    early_morning = show(house, starts_at=brussels(2026, 3, 28, 8, 0))  # ends 9:30
    tomorrow_late = show(house, starts_at=brussels(2026, 3, 29, 3, 0))  # doors 1:30
    tomorrow_night = show(house, starts_at=brussels(2026, 3, 29, 20, 0))
    cancelled = show(house, starts_at=brussels(2026, 3, 28, 21, 0), status="cancelled")

    listed = list(performances_to_scan(house=house, now=now))

    assert listed == [this_morning, tonight]
    assert not {early_morning, tomorrow_late, tomorrow_night, cancelled} & set(listed)


def test_doors_time_counts_for_the_list(scoped, house):
    now = brussels(2026, 3, 28, 12, 0)
    doors_early = show(
        house,
        starts_at=brussels(2026, 3, 29, 3, 0),
        doors_open_at=brussels(2026, 3, 28, 23, 30),
    )

    assert list(performances_to_scan(house=house, now=now)) == [doors_early]


@pytest.fixture
def foreign(other_house):
    return show(other_house)


def test_another_house_performance_is_not_found(scoped, house, foreign):
    with pytest.raises(NotFound):
        scan_performance_get(house=house, pk=foreign.pk)
    with pytest.raises(NotFound):
        scan_performance_get(house=house, pk=foreign.pk + 1000)


def test_the_package_and_attendance_of_another_house_hold_nothing(
    scoped, house, other_house, foreign
):
    counts = attendance(house=house, performance_ids=[foreign.pk])

    assert (counts[foreign.pk].admitted, counts[foreign.pk].expected) == (0, 0)
