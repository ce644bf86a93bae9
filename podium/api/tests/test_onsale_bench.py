"""`bench/onsale.py` against a live server, with tiny numbers: more buyers than
places, every purchase through the API, and the database read back afterwards.

The performance and key come from `manage.py onsale_prepare`, the figures from
`manage.py onsale_check`, both in this process (the test database). SQLite's shared
in-memory test database locks whole tables, so there the buyers come one at a time;
on PostgreSQL (DATABASE_URL=postgres://…) three at once. The live server needs
committed data: transactional tests with serialized rollback, as the suite's other
live-server tests (podium/api/tests/test_process_buy_a_ticket.py).
"""

import importlib.util
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BENCH = Path(__file__).resolve().parents[3] / "bench" / "onsale.py"
SALE_KEYS = {
    "orders_per_s",
    "tickets_per_s",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "sold_out_answers",
    "errors",
    "requests",
    "orders",
    "tickets",
}
CHECK_KEYS = {"capacity", "sold", "oversold", "seats_double"}


def _load_bench():
    spec = importlib.util.spec_from_file_location("onsale_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


onsale = _load_bench()


@pytest.fixture(scope="module", autouse=True)
def seeded_data_back_for_later_tests(django_db_blocker):
    """Put the migration-seeded rows back after this module's last flush, for the
    plain database tests a worker may run after it."""
    yield
    with django_db_blocker.unblock():
        for each in connections.all():
            contents = getattr(each, "_test_serialized_contents", None)
            if contents:
                each.creation.deserialize_db_from_string(contents)


def _concurrency() -> int:
    return 3 if connection.vendor == "postgresql" else 1


def _command(*args) -> dict:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("mode", ["ga", "seated"])
def test_more_buyers_than_places_sell_out_without_overselling(live_server, house, mode):
    seated = ["--seated"] if mode == "seated" else []
    prepared = _command(
        "onsale_prepare", "--house", house.slug, "--capacity", "8", *seated
    )

    result = onsale.run_sale(
        url=live_server.url,
        key=prepared["key"],
        performance=prepared["performance"],
        tariff=prepared["tariff"],
        seated=bool(seated),
        concurrency=_concurrency(),
        buyers=10,  # 1–4 tickets each: about 25 wanted for 8 places
        max_seconds=30,
        max_requests=200,
        seed=7,
    )
    check = _command("onsale_check", "--performance", str(prepared["performance"]))

    assert SALE_KEYS <= set(result)
    assert CHECK_KEYS <= set(check)
    assert result["mode"] == mode
    assert result["tickets_wanted"] > 8
    assert result["errors"] == 0, result["error_kinds"]
    assert result["sold_out_answers"] > 0
    assert result["sold_out_answers"] + result["orders"] == 10
    assert check["capacity"] == 8
    assert check["sold"] == result["tickets"] <= 8
    assert (check["oversold"], check["seats_double"]) == (0, 0)
    assert check["orders_paid"] == result["orders"]


def test_the_bench_stops_at_its_request_bound(live_server, house):
    prepared = _command("onsale_prepare", "--house", house.slug, "--capacity", "50")

    result = onsale.run_sale(
        url=live_server.url,
        key=prepared["key"],
        performance=prepared["performance"],
        tariff=prepared["tariff"],
        seated=False,
        concurrency=1,  # one buyer at a time: the cut falls at a known call
        buyers=20,
        max_seconds=30,
        max_requests=9,
        seed=7,
    )

    assert result["requests"] == 9
    assert result["orders"] == 2  # 4 calls each; the third buyer is cut short
    assert result["not_finished"] == 18
    assert result["errors"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.0.0.9",
        "http://[::1]:8000/",
        "http://localhost",
    ],
)
def test_loopback_urls_are_accepted(url):
    assert onsale.loopback_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.1:8000", "http://example.com", "ftp://127.0.0.1", "127.0.0.1"],
)
def test_other_urls_are_refused(url):
    with pytest.raises(onsale.BenchError):
        onsale.loopback_url(url)


def test_percentiles_are_nearest_rank():
    timings = [float(n) for n in range(1, 101)]

    assert [onsale.percentile(timings, p) for p in (50, 95, 99)] == [50.0, 95.0, 99.0]
    assert onsale.percentile([], 50) is None
