"""Benchmark: validating and recording one scan at the door (target under 5 ms).

    .venv/bin/python bench/scan.py

Prints one JSON line. Sets up its own SQLite database (a temporary file, migrated
from scratch) with one performance and its paid tickets, then times `scan_ticket` on
the server: a fresh ticket each run (signature check, ticket and order read, one
admitted Scan written) and a repeat scan of an admitted ticket (already_scanned,
answered with the first admission). Also times the offline package of 1,000 tickets.
With DATABASE_URL set, it uses that database instead (it must be empty: migrated
and filled by the benchmark).
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="podium-bench-scan-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from podium.checkin.selectors import checkin_package  # noqa: E402
from podium.checkin.services import scan_ticket  # noqa: E402
from podium.sales.tests.test_tickets_support import (  # noqa: E402
    brussels,
    make_order,
    make_performance,
)
from podium.sales.tickets.signing import ticket_payload  # noqa: E402
from podium.tenancy.scoping import house_scope, platform_scope  # noqa: E402
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory  # noqa: E402

RUNS, TICKETS = 300, 1000
NOW = brussels(2026, 3, 28, 19, 45)  # doors open, show at 20:00


def _setup():
    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log: time what production does
    with platform_scope():
        house = HouseFactory(cluster=ClusterFactory(slug="bench"), slug="bench")
        performance = make_performance(house)
        order = make_order(house, performances=[performance], tickets=TICKETS)
        codes = [ticket_payload(t) for t in order.tickets.order_by("pk")]
    return house, performance, codes


def _time(house, performance, codes) -> tuple[list[float], set[str]]:
    timings, reasons = [], set()
    for code in codes:
        started = time.perf_counter()
        outcome = scan_ticket(
            house=house,
            actor=None,
            performance=performance,
            payload=code,
            entrance="A",
            device="bench",
            now=NOW,
        )
        timings.append((time.perf_counter() - started) * 1000)
        reasons.add(outcome.reason)
    timings.sort()
    return timings, reasons


def _figures(timings: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 2),
        "max_ms": round(timings[-1], 2),
    }


def main() -> None:
    house, performance, codes = _setup()
    with translation.override("nl"), house_scope(house):
        _time(house, performance, codes[-10:])  # warm up (imports, caches)
        fresh, fresh_reasons = _time(house, performance, codes[:RUNS])
        repeat, repeat_reasons = _time(house, performance, codes[:RUNS])
        assert fresh_reasons == {"valid"}, fresh_reasons
        assert repeat_reasons == {"already_scanned"}, repeat_reasons
        package_timings = []
        for _run in range(20):
            started = time.perf_counter()
            package = checkin_package(house=house, performance=performance)
            package_timings.append((time.perf_counter() - started) * 1000)
        assert len(package["tickets"]) == TICKETS
        assert len(package["admitted"]) == RUNS + 10
    print(
        json.dumps(
            {
                "bench": "scan",
                "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "runs": RUNS,
                "admit": _figures(fresh),
                "already_scanned": _figures(repeat),
                "package_ms": round(statistics.median(package_timings), 2),
                "package_tickets": len(package["tickets"]),
                "target_ms": 5,
            }
        )
    )


if __name__ == "__main__":
    main()
