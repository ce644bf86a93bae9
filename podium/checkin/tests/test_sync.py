"""Offline scans synced later: checked again, first scan wins, re-sends change nothing."""

from datetime import timedelta

import pytest

from podium.checkin.errors import CheckinError
from podium.checkin.models import Scan
from podium.checkin.selectors import scan_conflicts
from podium.checkin.services import OfflineScan, scan_ticket, scans_sync
from podium.core.models import AuditEntry
from podium.sales.tickets.signing import ticket_payload

from .factories import brussels, paid_tickets

pytestmark = pytest.mark.django_db

SYNCED_AT = brussels(2026, 3, 28, 21, 0)


def _offline(client_id, code, hh, mm, *, entrance="A", admitted=True):
    return OfflineScan(
        client_id=client_id,
        payload=code,
        entrance=entrance,
        scanned_at=brussels(2026, 3, 28, hh, mm),
        admitted_offline=admitted,
    )


def _sync(house, performance, device, scans, now=SYNCED_AT):
    return scans_sync(
        house=house,
        actor=None,
        performance=performance,
        device=device,
        scans=scans,
        now=now,
    )


def _rows():
    return list(
        Scan.objects.order_by("scanned_at").values_list(
            "device", "client_id", "result", "reason", "offline", "conflict"
        )
    )


def test_offline_scans_are_recorded_with_their_own_time(
    scoped, house, performance, ticket, code
):
    [result] = _sync(house, performance, "phone-1", [_offline("c1", code, 19, 50)])

    assert (result.client_id, result.conflict) == ("c1", False)
    assert (result.outcome.admitted, result.outcome.reason) == (True, "valid")
    scan = Scan.objects.get()
    assert (scan.scanned_at, scan.entrance, scan.offline, scan.ticket) == (
        brussels(2026, 3, 28, 19, 50),
        "A",
        True,
        ticket,
    )


def test_the_earliest_offline_admission_wins_whatever_the_sync_order(
    scoped, house, performance, ticket, code
):
    # Phone 2 admitted the ticket at 20:03 and syncs first; phone 1 admitted the
    # same ticket at 20:01 and syncs later.
    [late] = _sync(
        house, performance, "phone-2", [_offline("p2-1", code, 20, 3, entrance="B")]
    )
    [early] = _sync(house, performance, "phone-1", [_offline("p1-1", code, 20, 1)])

    assert (late.outcome.admitted, late.conflict) == (True, False)
    assert (early.outcome.admitted, early.outcome.reason, early.conflict) == (
        True,
        "valid",
        True,
    )
    assert _rows() == [
        ("phone-1", "p1-1", "admitted", "valid", True, True),
        ("phone-2", "p2-1", "refused", "already_scanned", True, True),
    ]
    conflicts = scan_conflicts(house=house, performance=performance)
    assert [(s.device, s.result) for s in conflicts] == [
        ("phone-1", "admitted"),
        ("phone-2", "refused"),
    ]
    entry = AuditEntry.objects.get(action="podium.checkin.scan.displaced")
    assert entry.object_id == str(conflicts[1].pk)
    assert entry.data["by"] == conflicts[0].pk


def test_a_later_offline_admission_loses_and_is_reported(
    scoped, house, performance, ticket, code
):
    _sync(house, performance, "phone-1", [_offline("p1-1", code, 20, 1)])

    [late] = _sync(house, performance, "phone-2", [_offline("p2-1", code, 20, 3)])

    assert (late.outcome.admitted, late.outcome.reason, late.conflict) == (
        False,
        "already_scanned",
        True,
    )
    assert late.outcome.message == "Already scanned at 20:01 at entrance A."
    assert late.outcome.first_scanned_at == brussels(2026, 3, 28, 20, 1)
    assert [
        s.client_id for s in scan_conflicts(house=house, performance=performance)
    ] == ["p2-1"]


def test_an_offline_admission_before_an_online_one_takes_its_place(
    scoped, house, performance, ticket, code
):
    online = scan_ticket(
        house=house,
        actor=None,
        performance=performance,
        payload=code,
        entrance="B",
        now=brussels(2026, 3, 28, 20, 5),
    )

    [offline] = _sync(house, performance, "phone-1", [_offline("c1", code, 19, 58)])

    assert (offline.outcome.admitted, offline.conflict) == (True, True)
    stored = Scan.objects.get(pk=online.scan_id)
    assert (stored.result, stored.reason, stored.conflict) == (
        "refused",
        "already_scanned",
        True,
    )


def test_resending_the_same_batch_changes_nothing(
    scoped, house, performance, ticket, code
):
    batch_2 = [_offline("p2-1", code, 20, 3, entrance="B")]
    batch_1 = [_offline("p1-1", code, 20, 1)]
    _sync(house, performance, "phone-2", batch_2)
    first_answer = _sync(house, performance, "phone-1", batch_1)
    rows = _rows()

    again_1 = _sync(house, performance, "phone-1", batch_1)
    again_2 = _sync(house, performance, "phone-2", batch_2)

    assert again_1 == first_answer
    assert _rows() == rows
    # Phone 2 learns that its admission lost.
    [lost] = again_2
    assert (lost.outcome.admitted, lost.outcome.reason, lost.conflict) == (
        False,
        "already_scanned",
        True,
    )
    assert lost.outcome.first_entrance == "A"
    assert (
        AuditEntry.objects.filter(action="podium.checkin.scan.displaced").count() == 1
    )


def test_a_scan_sent_twice_in_one_batch_is_recorded_once(
    scoped, house, performance, code
):
    scan = _offline("c1", code, 20, 0)

    first, second = _sync(house, performance, "phone-1", [scan, scan])

    assert first == second
    assert Scan.objects.count() == 1


def test_a_forged_code_admitted_offline_is_refused(scoped, house, performance, code):
    prefix, body, signature = code.split(".")
    forged = f"{prefix}.{body}.{'A' * 85}A"

    [result] = _sync(house, performance, "phone-1", [_offline("c1", forged, 20, 0)])

    assert (result.outcome.admitted, result.outcome.reason) == (False, "bad_signature")
    assert list(Scan.objects.values_list("result", "reason")) == [
        ("refused", "bad_signature")
    ]


def test_a_ticket_the_device_refused_offline_does_not_become_an_admission(
    scoped, house, performance, ticket, code
):
    [result] = _sync(
        house, performance, "phone-1", [_offline("c1", code, 20, 0, admitted=False)]
    )
    online = scan_ticket(
        house=house,
        actor=None,
        performance=performance,
        payload=code,
        now=brussels(2026, 3, 28, 20, 10),
    )

    assert (result.outcome.admitted, result.outcome.reason, result.conflict) == (
        False,
        "refused_offline",
        False,
    )
    assert online.admitted is True


def test_the_door_rules_apply_at_the_time_of_the_offline_scan(
    scoped, house, performance, code
):
    results = _sync(
        house,
        performance,
        "phone-1",
        [_offline("early", code, 18, 0), _offline("ok", code, 22, 15)],
        now=brussels(2026, 3, 28, 23, 0),
    )

    assert [r.outcome.reason for r in results] == ["not_yet_valid", "valid"]


@pytest.mark.parametrize(
    "scanned_at",
    [
        SYNCED_AT + timedelta(minutes=6),
        SYNCED_AT - timedelta(days=30),
        SYNCED_AT.replace(tzinfo=None),
    ],
    ids=["future", "ancient", "naive"],
)
def test_an_implausible_scan_time_is_refused_for_that_scan_only(
    scoped, house, performance, code, scanned_at
):
    bad = OfflineScan("bad", code, "A", scanned_at, True)

    results = _sync(house, performance, "phone-1", [bad, _offline("ok", code, 20, 0)])

    assert [(r.client_id, r.outcome.reason) for r in results] == [
        ("bad", "invalid_time"),
        ("ok", "valid"),
    ]
    assert "clock" in results[0].outcome.message
    assert list(Scan.objects.values_list("client_id", flat=True)) == ["ok"]


def test_results_come_back_in_the_order_sent(scoped, house, performance):
    codes = [ticket_payload(t) for t in paid_tickets(house, performance, count=3)]
    scans = [
        _offline("c", codes[0], 20, 5),
        _offline("a", codes[1], 19, 55),
        _offline("b", codes[2], 20, 0),
    ]

    results = _sync(house, performance, "phone-1", scans)

    assert [r.client_id for r in results] == ["c", "a", "b"]
    assert all(r.outcome.admitted for r in results)


def test_a_batch_is_bounded(scoped, house, performance, code):
    scans = [_offline(f"c{i}", code, 20, 0) for i in range(501)]

    with pytest.raises(CheckinError) as error:
        _sync(house, performance, "phone-1", scans)

    assert error.value.code == "too_many_scans"
    assert not Scan.objects.exists()
