"""Twenty scanners read the same ticket at the same moment: it admits once.

On PostgreSQL (the partial unique index decides between real concurrent
transactions); SQLite serialises writers and has nothing to race.
"""

import threading

import pytest
from django.db import connection, connections

from podium.checkin.models import Scan
from podium.checkin.services import OfflineScan, scan_ticket, scans_sync
from podium.sales.tickets.signing import ticket_payload
from podium.tenancy.scoping import house_scope, platform_scope

from .factories import DURING, brussels, paid_tickets, show

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs PostgreSQL concurrency"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCANNERS = 20


def _together(jobs):
    """Run every job at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=20)
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 - shown by the assertion
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_twenty_scanners_on_one_ticket_admit_it_once(house):
    with house_scope(house):
        performance = show(house)
        ticket = paid_tickets(house, performance)[0]
        code = ticket_payload(ticket)

    def scan(index):
        with house_scope(house):
            return scan_ticket(
                house=house,
                actor=None,
                performance=performance,
                payload=code,
                entrance=f"E{index}",
                device=f"phone-{index}",
                now=DURING,
            ).reason

    reasons = _together([lambda i=i: scan(i) for i in range(SCANNERS)])

    assert sorted(reasons) == ["already_scanned"] * (SCANNERS - 1) + ["valid"], reasons
    with platform_scope():
        assert Scan.objects.filter(ticket=ticket).count() == SCANNERS
        assert Scan.objects.filter(ticket=ticket, result="admitted").count() == 1


def test_devices_syncing_one_ticket_at_once_keep_the_earliest_admission(house):
    with house_scope(house):
        performance = show(house)
        ticket = paid_tickets(house, performance)[0]
        code = ticket_payload(ticket)
    devices = 10

    def sync(index):
        scan = OfflineScan(
            client_id=f"c{index}",
            payload=code,
            entrance="A",
            scanned_at=brussels(2026, 3, 28, 20, 10 + index),
            admitted_offline=True,
        )
        with house_scope(house):
            [result] = scans_sync(
                house=house,
                actor=None,
                performance=performance,
                device=f"phone-{index}",
                scans=[scan],
                now=brussels(2026, 3, 28, 21, 0),
            )
            return result.outcome.reason

    reasons = _together([lambda i=i: sync(i) for i in range(devices)])

    assert set(reasons) <= {"valid", "already_scanned"}, reasons
    with platform_scope():
        admitted = Scan.objects.get(ticket=ticket, result="admitted")
        assert admitted.device == "phone-0"
        assert Scan.objects.filter(ticket=ticket).count() == devices
        assert (
            Scan.objects.filter(ticket=ticket, result="refused", conflict=True).count()
            == devices - 1
        )
