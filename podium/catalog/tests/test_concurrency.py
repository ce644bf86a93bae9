"""Two programmers booking the same hall at the same moment: only one may win.

The clash check and the insert are serialised on the hall's row (SELECT ... FOR
UPDATE), so this needs real row locks: it runs on PostgreSQL. SQLite serialises every
writer anyway (BEGIN IMMEDIATE), so there is nothing to race there.

The threads need committed data, hence `transactional_db`; its flush would also wipe
the taxonomy terms that a migration seeds, so `django_db_serialized_rollback` puts
them back for the tests that run after these.
"""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from podium.catalog.errors import HallClash
from podium.catalog.models import Performance
from podium.catalog.services import performance_create
from podium.catalog.tests.factories import ProductionFactory
from podium.tenancy.scoping import house_scope, platform_scope

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs row locks (PostgreSQL); SQLite serialises writers anyway",
)

EVENING = datetime(2027, 3, 5, 20, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def _race(house, hall, starts):
    """Book `hall` once per start time, every thread released at the same moment."""
    productions = [ProductionFactory(house=house) for _ in starts]
    barrier = threading.Barrier(len(starts))
    outcomes = [None] * len(starts)

    def book(index):
        try:
            with house_scope(house):
                barrier.wait(timeout=10)
                performance_create(
                    house=house,
                    actor=None,
                    production=productions[index],
                    hall=hall,
                    starts_at=starts[index],
                    ends_at=starts[index] + timedelta(minutes=90),
                )
            outcomes[index] = "created"
        except HallClash:
            outcomes[index] = "clash"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(len(starts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("contenders", [2, 10])
def test_concurrent_overlapping_bookings_of_one_hall_create_exactly_one(
    transactional_db, django_db_serialized_rollback, house, hall, contenders
):
    # given N programmers booking overlapping evenings (5 minutes apart) in one hall
    starts = [EVENING + timedelta(minutes=5 * i) for i in range(contenders)]

    outcomes = _race(house, hall, starts)

    # then one wins and every other one is told the hall is taken
    assert sorted(outcomes) == ["clash"] * (contenders - 1) + ["created"]
    with platform_scope():
        assert Performance.objects.filter(hall=hall).count() == 1


def test_concurrent_bookings_on_different_evenings_all_succeed(
    transactional_db, django_db_serialized_rollback, house, hall
):
    starts = [EVENING + timedelta(days=i) for i in range(5)]

    outcomes = _race(house, hall, starts)

    assert outcomes == ["created"] * 5
    with platform_scope():
        assert Performance.objects.filter(hall=hall).count() == 5
