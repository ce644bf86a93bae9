"""Scanning online: every rule of the door, and every scan recorded."""

import base64
import struct
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from podium.checkin.models import Scan
from podium.checkin.services import scan_ticket
from podium.core.errors import NotFound
from podium.sales.models import Order, Ticket
from podium.sales.services.tickets import ticket_reissue
from podium.sales.tickets.keys import signing_key_for
from podium.sales.tickets.signing import ticket_payload

from .factories import DURING, brussels, paid_tickets, show

pytestmark = pytest.mark.django_db


def _scan(house, performance, code, *, actor=None, entrance="A", now=DURING):
    return scan_ticket(
        house=house,
        actor=actor,
        performance=performance,
        payload=code,
        entrance=entrance,
        device="phone-1",
        now=now,
    )


def test_a_valid_ticket_is_admitted_and_recorded(
    scoped, house, performance, ticket, code, doorman
):
    outcome = _scan(house, performance, code, actor=doorman)

    assert (outcome.admitted, outcome.reason, outcome.ticket_id) == (
        True,
        "valid",
        ticket.pk,
    )
    assert (outcome.ticket_label, outcome.holder) == ("Full price", "Ann Peeters")
    assert (outcome.first_scanned_at, outcome.first_entrance) == (None, "")
    scan = Scan.objects.get()
    assert (scan.pk, scan.ticket, scan.result, scan.reason) == (
        outcome.scan_id,
        ticket,
        "admitted",
        "valid",
    )
    assert (scan.entrance, scan.device, scan.scanned_at, scan.offline) == (
        "A",
        "phone-1",
        DURING,
        False,
    )
    assert (scan.actor, scan.actor_label) == (doorman, doorman.username)


def test_the_label_names_the_seat_and_the_holder_when_set(
    scoped, house, performance, ticket, code
):
    Ticket.objects.filter(pk=ticket.pk).update(
        seat_label="Zaal, rij D, stoel 27", holder_name="Bram Claes"
    )

    outcome = _scan(house, performance, code)

    assert outcome.ticket_label == "Full price · Zaal, rij D, stoel 27"
    assert outcome.holder == "Bram Claes"


def test_a_second_scan_names_the_time_and_entrance_of_the_first(
    scoped, house, performance, ticket, code
):
    first = _scan(
        house, performance, code, entrance="B", now=DURING + timedelta(minutes=18)
    )

    again = _scan(
        house, performance, code, entrance="A", now=DURING + timedelta(minutes=30)
    )

    assert (again.admitted, again.reason, again.ticket_id) == (
        False,
        "already_scanned",
        ticket.pk,
    )
    assert again.message == "Already scanned at 20:03 at entrance B."
    assert (again.first_scanned_at, again.first_entrance) == (
        brussels(2026, 3, 28, 20, 3),
        "B",
    )
    assert list(Scan.objects.values_list("pk", "result", "reason")) == [
        (first.scan_id, "admitted", "valid"),
        (again.scan_id, "refused", "already_scanned"),
    ]


def test_the_second_scan_in_dutch(scoped, house, performance, code):
    from django.utils import translation

    _scan(house, performance, code, entrance="B", now=DURING + timedelta(minutes=18))
    with translation.override("nl"):
        again = _scan(house, performance, code)

    assert "20:03" in again.message and "B" in again.message


def test_a_ticket_for_another_performance_names_it(scoped, house, performance):
    other = show(house, starts_at=brussels(2026, 3, 29, 15, 0))
    code = ticket_payload(paid_tickets(house, other)[0])

    outcome = _scan(house, performance, code)

    assert (outcome.admitted, outcome.reason) == (False, "other_performance")
    assert outcome.message == "This ticket is for The Tempest on 29 March 2026, 15:00."
    assert Scan.objects.get().reason == "other_performance"


@pytest.mark.parametrize(
    ("ticket_state", "order_state", "reason"),
    [
        (Ticket.State.CANCELLED, Order.State.PAID, "cancelled"),
        (Ticket.State.REFUNDED, Order.State.PARTIALLY_REFUNDED, "refunded"),
        (Ticket.State.EXCHANGED, Order.State.PAID, "exchanged"),
        (Ticket.State.VALID, Order.State.PENDING, "unpaid"),
        (Ticket.State.VALID, Order.State.EXPIRED, "unpaid"),
        (Ticket.State.VALID, Order.State.CANCELLED, "cancelled"),
        (Ticket.State.VALID, Order.State.REFUNDED, "refunded"),
    ],
)
def test_a_ticket_that_does_not_admit_is_refused_and_recorded(
    scoped, house, performance, ticket, code, ticket_state, order_state, reason
):
    Ticket.objects.filter(pk=ticket.pk).update(state=ticket_state)
    Order.objects.filter(pk=ticket.order_id).update(state=order_state)

    outcome = _scan(house, performance, code)

    assert (outcome.admitted, outcome.reason, outcome.ticket_id) == (
        False,
        reason,
        ticket.pk,
    )
    assert outcome.message
    assert list(Scan.objects.values_list("ticket", "result", "reason")) == [
        (ticket.pk, "refused", reason)
    ]


def test_the_old_code_of_a_reissued_ticket_is_refused(
    scoped, house, performance, ticket, code
):
    new_code = ticket_payload(ticket_reissue(house=house, actor=None, ticket=ticket))

    old = _scan(house, performance, code)
    new = _scan(house, performance, new_code)

    assert (old.admitted, old.reason) == (False, "reissued")
    assert (new.admitted, new.reason) == (True, "valid")


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        (brussels(2026, 3, 28, 18, 29), "not_yet_valid"),
        (brussels(2026, 3, 28, 18, 30), "valid"),
        (brussels(2026, 3, 28, 22, 30), "valid"),
        (brussels(2026, 3, 28, 22, 31), "ended"),
    ],
)
def test_tickets_admit_from_90_minutes_before_until_an_hour_after(
    scoped, house, performance, code, now, reason
):
    assert _scan(house, performance, code, now=now).reason == reason


def test_the_doors_time_of_the_performance_is_the_start_of_admission(
    scoped, house, performance, code
):
    performance.doors_open_at = brussels(2026, 3, 28, 19, 30)
    performance.save()

    early = _scan(house, performance, code, now=brussels(2026, 3, 28, 19, 29))
    on_time = _scan(house, performance, code, now=brussels(2026, 3, 28, 19, 30))

    assert (early.reason, on_time.reason) == ("not_yet_valid", "valid")


@pytest.mark.parametrize("text", ["hello", "", "PD1.AAAA.AAAA"])
def test_garbage_is_refused_as_malformed(scoped, house, performance, text):
    outcome = _scan(house, performance, text)

    assert (outcome.admitted, outcome.reason, outcome.ticket_id) == (
        False,
        "malformed",
        None,
    )
    assert list(Scan.objects.values_list("ticket", "reason")) == [(None, "malformed")]


def _change(text: str, index: int) -> str:
    replacement = "B" if text[index] != "B" else "C"
    return text[:index] + replacement + text[index + 1 :]


def test_one_changed_character_in_the_signature_is_a_bad_signature(
    scoped, house, performance, code
):
    signature_at = code.rindex(".") + 10

    outcome = _scan(house, performance, _change(code, signature_at))

    assert (outcome.admitted, outcome.reason) == (False, "bad_signature")


def test_no_single_changed_character_admits(scoped, house, performance, code):
    reasons = {
        _scan(house, performance, _change(code, index)).reason
        for index in range(4, len(code))
    }

    assert "valid" not in reasons
    assert not Scan.objects.filter(result="admitted").exists()


def _forge(key_id, house_id, performance_id, ticket_id, version, secret) -> str:
    """A code in the PD1 format (see signing.py), signed with a key of our own."""
    body = (
        bytes([len(key_id)])
        + key_id.encode()
        + struct.pack(">QQQH", house_id, performance_id, ticket_id, version)
        + bytes([len(secret)])
        + secret.encode()
    )
    signature = Ed25519PrivateKey.generate().sign(b"PD1." + body)

    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return f"PD1.{b64(body)}.{b64(signature)}"


def test_a_ticket_forged_with_another_key_under_the_house_key_id_is_refused(
    scoped, house, performance, ticket
):
    key = signing_key_for(house=house)
    forged = _forge(
        key.key_id, house.pk, performance.pk, ticket.pk, ticket.version, ticket.secret
    )

    outcome = _scan(house, performance, forged)

    assert (outcome.admitted, outcome.reason) == (False, "bad_signature")
    assert not Scan.objects.filter(result="admitted").exists()


@pytest.fixture
def foreign(other_house):
    return show(other_house)


@pytest.fixture
def foreign_code(other_house, foreign):
    return ticket_payload(paid_tickets(other_house, foreign)[0])


def test_a_code_of_another_house_is_refused(scoped, house, performance, foreign_code):
    code = foreign_code

    outcome = _scan(house, performance, code)

    assert (outcome.admitted, outcome.reason, outcome.ticket_id) == (
        False,
        "other_house",
        None,
    )


def test_another_house_performance_cannot_be_scanned_for(scoped, house, foreign, code):
    with pytest.raises(NotFound):
        _scan(house, foreign, code)

    assert not Scan.objects.exists()


def test_scans_are_scoped_to_the_house(house, other_house, performance, code):
    from podium.tenancy.scoping import house_scope

    with house_scope(house):
        _scan(house, performance, code)
    with house_scope(other_house):
        assert not Scan.objects.exists()
    with house_scope(house):
        assert Scan.objects.count() == 1


def test_the_scan_takes_few_queries(
    scoped, house, performance, code, django_assert_max_num_queries
):
    _scan(house, performance, code, now=DURING - timedelta(minutes=1))
    fresh = ticket_payload(paid_tickets(house, performance)[0])

    with django_assert_max_num_queries(8):
        assert _scan(house, performance, fresh).admitted
