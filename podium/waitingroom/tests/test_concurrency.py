"""An on-sale rush: many browsers join at the same moment, some twice (the same
session, or the same e-mail in another browser). Every browser gets one place,
places are distinct, and no session or e-mail holds two.

Runs on PostgreSQL (SQLite serialises every writer and has nothing to race), with
committed data for the threads: `transactional_db` with serialized rollback.
"""

import pytest
from django.db import connection

from podium.sales.tests.concurrency import run_together
from podium.tenancy.scoping import house_scope
from podium.waitingroom.backends import backend
from podium.waitingroom.models import WaitingEntry
from podium.waitingroom.services import waiting_room_join

from .factories import at

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VISITORS = 40


@pytest.mark.parametrize("moment", [-30, 300], ids=["early", "late"])
def test_a_rush_of_joins_gives_distinct_places_and_one_per_session_and_email(
    queue, house, room, moment
):
    got: dict[str, list[int]] = {}

    def joiner(session: str, email: str = ""):
        def job():
            with house_scope(house):
                entry = waiting_room_join(
                    room=room, session_key=session, email=email, now=at(moment)
                )
            got.setdefault(session if not email else email, []).append(entry)

        return job

    jobs = [joiner(f"visitor-{n}") for n in range(VISITORS)]
    jobs += [joiner("twice") for _ in range(5)]  # one browser, five tabs
    jobs += [joiner(f"tab-{n}", "Same@Example.be") for n in range(5)]
    jobs += [joiner(f"tab-{n}", "same@example.be") for n in range(5)]

    outcomes = run_together(jobs)

    assert outcomes == ["sold"] * len(jobs)  # "sold": the job ran without error
    assert len(set(got["twice"])) == 1
    assert len(set(got["Same@Example.be"] + got["same@example.be"])) == 1
    with house_scope(house):
        queue_ = backend()
        ids = {entries[0] for entries in got.values()}
        places = sorted(queue_.place(room, entry).position for entry in ids)
        assert places == list(range(1, VISITORS + 3))
        assert queue_.waiting(room) == VISITORS + 2
        if queue == "database":
            assert WaitingEntry.objects.filter(room=room).count() == VISITORS + 2
