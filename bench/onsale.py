"""Benchmark: a peak on-sale through the REST API of a running server (loopback only).

    # the server, with no per-key rate limit (the bench sends ~4 calls per buyer):
    PODIUM_API_RATE_PER_KEY= DATABASE_URL=… .venv/bin/gunicorn config.wsgi -w 2 \\
        -b 127.0.0.1:8091
    # the bench, on the same machine and with the server's DATABASE_URL:
    DATABASE_URL=… .venv/bin/python bench/onsale.py --url http://127.0.0.1:8091 \\
        --prepare --house cc-de-steiger --capacity 100 --mode ga --concurrency 10
    DATABASE_URL=… .venv/bin/python bench/onsale.py --url http://127.0.0.1:8091 \\
        --mode read --seconds 10

Prints one JSON line. In `ga` and `seated` mode every buyer makes the full purchase
of 1 to 4 tickets (seeded) of one performance whose capacity is smaller than the
demand: a box-office basket, a hold (`ga`: of the tariff; `seated`: the best
available seats), the order with an Idempotency-Key, and payment in cash (paid at
once). The line has orders_per_s, tickets_per_s, p50/p95/p99_ms of a whole purchase,
sold_out_answers (409 sold_out: not errors), errors (5xx, timeouts, any other
unexpected answer; by kind in error_kinds) and, read back from the database by
`manage.py onsale_check`, capacity, sold, oversold and seats_double.

`--prepare` (or no `--performance`) first runs `manage.py onsale_prepare`, which
creates a fresh performance of `--capacity` places and a key. Both commands run
here, through `subprocess`, so this process needs the server's DATABASE_URL.
`--mode read` GETs the agenda and a production page for `--seconds` and prints
pages_per_s and p50/p95/p99_ms. Every mode is bounded by `--max-seconds` and
`--max-requests`, and the URL must be a loopback address.
"""

import argparse
import asyncio
import ipaddress
import json
import math
import os
import random
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
SOLD_OUT_CODES = {"sold_out"}
PARTY = (1, 4)  # tickets per buyer, uniform
TIMEOUT = 30.0  # seconds per request


class BenchError(Exception):
    """A setting or answer that stops the bench before it measures."""


def loopback_url(url: str) -> str:
    """The URL without a trailing slash; refused unless it is http(s) to loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BenchError(f"--url must be http://host:port, not {url!r}")
    host = parts.hostname
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise BenchError(
                f"--url must be a loopback address (127.0.0.0/8, ::1, localhost), "
                f"not {host!r}: this bench only ever loads this machine."
            )
    return url.rstrip("/")


def percentile(sorted_ms: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_ms:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_ms)))
    return round(sorted_ms[rank - 1], 1)


def _latencies(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {f"p{p}_ms": percentile(timings, p) for p in (50, 95, 99)}


# ------------------------------------------------------------------------ buying


@dataclass
class Tally:
    requests: int = 0
    orders: int = 0
    tickets: int = 0
    sold_out_answers: int = 0
    errors: int = 0
    error_kinds: dict = field(default_factory=dict)
    skipped: int = 0  # buyers not (fully) served: a bound was reached
    timings: list = field(default_factory=list)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


class SoldOutAnswer(Exception):
    pass


class Failed(Exception):
    pass


class OutOfBounds(Exception):
    pass


@dataclass
class Sale:
    client: httpx.AsyncClient
    tally: Tally
    performance: int
    tariff: int
    seated: bool
    deadline: float
    max_requests: int

    async def call(self, path: str, body: dict, expect: int, **headers) -> dict:
        if (
            time.monotonic() >= self.deadline
            or self.tally.requests >= self.max_requests
        ):
            raise OutOfBounds
        self.tally.requests += 1
        try:
            response = await self.client.post(path, json=body, headers=headers)
        except httpx.TimeoutException as error:
            raise Failed("timeout") from error
        except httpx.HTTPError as error:
            raise Failed(type(error).__name__) from error
        if response.status_code == expect:
            return response.json()
        code = ""
        if response.headers.get("content-type", "").startswith(
            "application/problem+json"
        ):
            code = response.json().get("code", "")
        if response.status_code == 409 and code in SOLD_OUT_CODES:
            raise SoldOutAnswer
        raise Failed(f"{response.status_code} {code}".strip())

    async def buy(self, quantity: int) -> None:
        """One buyer's whole purchase; timed when it ends paid."""
        started = time.perf_counter()
        basket = await self.call("/baskets", {"channel": "box_office"}, 201)
        token = basket["token"]
        claim = {
            "performance": self.performance,
            "tariff": self.tariff,
            "quantity": quantity,
        }
        where = "best-available" if self.seated else "holds"
        await self.call(f"/baskets/{token}/{where}", claim, 201)
        order = await self.call(
            "/orders",
            {"basket": token, "buyer_name": "Bench Koper", "buyer_email": "b@x.be"},
            201,
            **{"Idempotency-Key": f"onsale-{uuid.uuid4().hex}"},
        )
        payment = await self.call(
            f"/orders/{order['code']}/payments", {"provider": "cash"}, 201
        )
        if payment["order_state"] != "paid":
            raise Failed(f"order {payment['order_state']}")
        self.tally.timings.append((time.perf_counter() - started) * 1000)
        self.tally.orders += 1
        self.tally.tickets += len(order["tickets"])


async def _buyer_loop(sale: Sale, queue: asyncio.Queue) -> None:
    while True:
        try:
            quantity = queue.get_nowait()
        except asyncio.QueueEmpty:
            return
        try:
            await sale.buy(quantity)
        except SoldOutAnswer:
            sale.tally.sold_out_answers += 1
        except OutOfBounds:
            sale.tally.skipped += 1
            return
        except Failed as failure:
            sale.tally.error(str(failure))


async def _sell(
    *, url, key, performance, tariff, seated, concurrency, parties, deadline, max_req
):
    tally = Tally()
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    async with httpx.AsyncClient(
        base_url=f"{url}/api/v1",
        headers={"Authorization": f"Bearer {key}"},
        limits=limits,
        timeout=TIMEOUT,
    ) as client:
        sale = Sale(client, tally, performance, tariff, seated, deadline, max_req)
        queue: asyncio.Queue = asyncio.Queue()
        for quantity in parties:
            queue.put_nowait(quantity)
        await asyncio.gather(*(_buyer_loop(sale, queue) for _n in range(concurrency)))
        tally.skipped += queue.qsize()
    return tally


def run_sale(
    *,
    url: str,
    key: str,
    performance: int,
    tariff: int,
    seated: bool,
    concurrency: int,
    buyers: int,
    max_seconds: float,
    max_requests: int,
    seed: int,
) -> dict:
    """Let `buyers` buy 1–4 tickets each with `concurrency` at once; the figures."""
    rng = random.Random(seed)
    parties = [rng.randint(*PARTY) for _n in range(buyers)]
    started = time.monotonic()
    tally = asyncio.run(
        _sell(
            url=loopback_url(url),
            key=key,
            performance=performance,
            tariff=tariff,
            seated=seated,
            concurrency=concurrency,
            parties=parties,
            deadline=started + max_seconds,
            max_req=max_requests,
        )
    )
    elapsed = time.monotonic() - started
    return {
        "bench": "onsale",
        "mode": "seated" if seated else "ga",
        "performance": performance,
        "concurrency": concurrency,
        "buyers": buyers,
        "tickets_wanted": sum(parties),
        "elapsed_s": round(elapsed, 2),
        "requests": tally.requests,
        "requests_per_s": round(tally.requests / elapsed, 1),
        "orders": tally.orders,
        "tickets": tally.tickets,
        "orders_per_s": round(tally.orders / elapsed, 1),
        "tickets_per_s": round(tally.tickets / elapsed, 1),
        **_latencies(tally.timings),
        "sold_out_answers": tally.sold_out_answers,
        "errors": tally.errors,
        "error_kinds": tally.error_kinds,
        "not_finished": tally.skipped,
    }


# ----------------------------------------------------------------------- reading

HREF = re.compile(r'href="(/[a-z0-9-]+/[a-z0-9-]+/)"')


def find_page(url: str) -> str:
    """A production page linked from the agenda (a house slug, then a production)."""
    with httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        houses = {p["house"] for p in client.get("/api/v1/performances").json()}
        agenda = client.get("/agenda/").text
    for path in HREF.findall(agenda):
        if path.split("/")[1] in houses:
            return path
    raise BenchError("No production page is linked from the agenda; pass --page.")


async def _read_loop(client, paths, tally: Tally, deadline, max_requests) -> None:
    turn = 0
    while time.monotonic() < deadline and tally.requests < max_requests:
        tally.requests += 1
        path = paths[turn % len(paths)]
        turn += 1
        started = time.perf_counter()
        try:
            response = await client.get(path)
        except httpx.HTTPError as error:
            tally.error(type(error).__name__)
            continue
        if response.status_code != 200:
            tally.error(str(response.status_code))
            continue
        tally.timings.append((time.perf_counter() - started) * 1000)


async def _read(url, paths, concurrency, deadline, max_requests) -> Tally:
    tally = Tally()
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=TIMEOUT) as c:
        await asyncio.gather(
            *(
                _read_loop(c, paths, tally, deadline, max_requests)
                for _n in range(concurrency)
            )
        )
    return tally


def run_read(
    *, url: str, page: str, concurrency: int, seconds: float, max_requests: int
) -> dict:
    """GET the agenda and `page` in turn with `concurrency` at once for `seconds`."""
    url = loopback_url(url)
    paths = ["/agenda/", page]
    started = time.monotonic()
    tally = asyncio.run(_read(url, paths, concurrency, started + seconds, max_requests))
    elapsed = time.monotonic() - started
    return {
        "bench": "onsale",
        "mode": "read",
        "pages": paths,
        "concurrency": concurrency,
        "elapsed_s": round(elapsed, 2),
        "requests": tally.requests,
        "pages_per_s": round(len(tally.timings) / elapsed, 1),
        **_latencies(tally.timings),
        "errors": tally.errors,
        "error_kinds": tally.error_kinds,
    }


# ------------------------------------------------------------------ the database


def manage(*args: str) -> dict:
    """Run a management command here (with this environment's DATABASE_URL)."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    if done.returncode != 0:
        raise BenchError(f"manage.py {args[0]} failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def tariff_of(url: str, key: str, performance: int) -> int:
    """The performance's first tariff sold online, from the API."""
    with httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        listed = client.get(
            "/api/v1/performances",
            params={"limit": 500},
            headers={"Authorization": f"Bearer {key}"},
        )
    listed.raise_for_status()
    for item in listed.json():
        if item["id"] == performance:
            tariffs = [t for t in item["tariffs"] if not t["box_office_only"]]
            if item["on_sale"] and tariffs:
                return tariffs[0]["id"]
            raise BenchError(f"Performance {performance} is not on sale online.")
    raise BenchError(f"Performance {performance} is not listed for this key's house.")


def _arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", help="A house API key (pk_…); --prepare makes one.")
    parser.add_argument("--mode", choices=["ga", "seated", "read"], default="ga")
    parser.add_argument("--performance", type=int)
    parser.add_argument("--tariff", type=int, help="Default: its first online tariff.")
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="Create a fresh performance and key (manage.py onsale_prepare).",
    )
    parser.add_argument("--house", default="cc-de-steiger", help="For --prepare.")
    parser.add_argument("--capacity", type=int, default=100, help="For --prepare.")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument(
        "--buyers", type=int, help="Default: 3 × capacity / 2.5 tickets per buyer."
    )
    parser.add_argument("--seconds", type=float, default=10, help="Read mode.")
    parser.add_argument("--page", help="Read mode: a production page (/house/slug/).")
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if not 1 <= args.concurrency <= 500:
        parser.error("--concurrency must be 1…500")
    if args.max_seconds <= 0 or args.max_requests <= 0:
        parser.error("--max-seconds and --max-requests must be positive")
    return args


def _sale(args) -> dict:
    seated = args.mode == "seated"
    prepared = {}
    if args.prepare or args.performance is None:
        command = ["onsale_prepare", "--house", args.house]
        command += ["--capacity", str(args.capacity)] + ["--seated"] * seated
        prepared = manage(*command)
    performance = args.performance or prepared["performance"]
    key = args.key or prepared.get("key")
    if not key:
        raise BenchError("--key is needed with --performance (or use --prepare).")
    tariff = (
        args.tariff or prepared.get("tariff") or tariff_of(args.url, key, performance)
    )
    capacity = prepared.get("capacity") or args.capacity
    buyers = args.buyers or math.ceil(3 * capacity / (sum(PARTY) / 2))
    result = run_sale(
        url=args.url,
        key=key,
        performance=performance,
        tariff=tariff,
        seated=seated,
        concurrency=args.concurrency,
        buyers=buyers,
        max_seconds=args.max_seconds,
        max_requests=args.max_requests,
        seed=args.seed,
    )
    check = manage("onsale_check", "--performance", str(performance))
    return {**result, **{k: check[k] for k in check if k != "performance"}}


def main(argv=None) -> None:
    args = _arguments(argv)
    try:
        args.url = loopback_url(args.url)
        if args.mode == "read":
            seconds = min(args.seconds, args.max_seconds)
            result = run_read(
                url=args.url,
                page=args.page or find_page(args.url),
                concurrency=args.concurrency,
                seconds=seconds,
                max_requests=args.max_requests,
            )
        else:
            result = _sale(args)
    except BenchError as error:
        sys.exit(f"onsale: {error}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
