"""An application worker dies in the middle of a peak on-sale (issue 8).

A real gunicorn (two sync workers, production settings) sells a general-admission
performance of CAPACITY places to more buyers than fit, each through the API as
`bench/onsale.py` buys: basket, hold, order with an Idempotency-Key, cash payment.

Mid-burst one worker is SIGKILLed at a moment the test arranges, not by chance: the
worker is inside a claim's transaction, after its `UPDATE quota SET used = used + n`
and so holding the performance's hot quota row. The test gets it there by locking,
from its own connection, the hold row that the claim updates next (a basket's
second claim moves its first hold's expiry along); PostgreSQL then names, in
`pg_stat_activity`, the one backend waiting for that lock, and the worker behind it
(each worker's connections carry its pid). The kill leaves that buyer with no
answer and an earlier hold nobody will order, the uncommitted claim rolled back;
the master starts another worker, which serves the rest of the burst.

Then, read from the database: every order answered 201 exists with the tickets it
was answered with, paid when its payment was answered paid; no order nobody was
answered exists; nothing is oversold, no place is lost (each sold-out answer was
right to the end), and the quota's count is exactly live holds plus sold tickets.
The abandoned hold is not expired by hand: the periodic expiry task runs, at the
real time (it must release nothing) and at the time the house's hold lifetime has
passed; its places are then for sale again, and a new buyer buys them.

PostgreSQL only (the server is separate processes on the test database); the data
must be committed, hence `transactional_db` with serialized rollback.
"""

import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest
import time_machine
from django.db import OperationalError, connection, connections, transaction
from django.db.models import Sum
from django.utils import timezone

from podium.sales.models import Basket, Hold, Order, Quota, Ticket
from podium.sales.services.pricing import sales_settings_get
from podium.sales.tasks import release_expired_holds_task
from podium.sales.tests.factories import on_sale_performance
from podium.sales.tests.gunicorn_server import (
    GunicornServer,
    database_url,
    wait_until,
    worker_app_name,
    worker_pid_of,
)
from podium.tenancy.permissions import Action
from podium.tenancy.scoping import platform_scope
from podium.tenancy.services import api_key_create

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="needs PostgreSQL: the server runs in other processes",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CAPACITY = 60
BUYERS = 45  # 1–3 tickets each: about 90 wanted for 60 places
PARTY = (1, 3)
CONCURRENCY = 6
KILL_AFTER_ORDERS = 6
VICTIM_FIRST_HOLD = 2
SCOPES = [Action.SALES_SELL, Action.ORDER_VIEW, Action.ORDER_PAY, Action.OFFICE_VIEW]
TIMEOUT = 20.0  # seconds per request


@pytest.fixture(scope="module", autouse=True)
def seeded_data_back_for_later_tests(django_db_blocker):
    """Put the migration-seeded rows back after this module's flush, for the plain
    database tests a worker may run after it (as test_onsale_bench.py does)."""
    yield
    with django_db_blocker.unblock():
        for each in connections.all():
            contents = getattr(each, "_test_serialized_contents", None)
            if contents:
                each.creation.deserialize_db_from_string(contents)


class Lost(Exception):
    """A request without an answer: the connection broke or timed out."""


@dataclass
class Journal:
    """Every answer the buyers got, kept by the threads that got them."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answered: Counter = field(default_factory=Counter)  # "<step> <status>" → count
    orders: dict = field(default_factory=dict)  # code → (state answered, tickets)
    paid: dict = field(default_factory=dict)  # code → tickets, payment answered paid
    unanswered_payments: set = field(default_factory=set)  # codes
    refused: list = field(default_factory=list)  # quantities answered sold_out
    failures: Counter = field(default_factory=Counter)  # "<step>: <what>" → count
    placed: threading.Condition = field(default_factory=threading.Condition)

    def note(self, step: str, status) -> None:
        with self.lock:
            self.answered[f"{step} {status}"] += 1

    def fail(self, step: str, what: str) -> None:
        with self.lock:
            self.failures[f"{step}: {what}"] += 1

    def order_placed(self, code: str, state: str, tickets: int) -> None:
        with self.placed:
            self.orders[code] = (state, tickets)
            self.placed.notify_all()

    def wait_for_orders(self, count: int, timeout: float) -> None:
        with self.placed:
            if not self.placed.wait_for(lambda: len(self.orders) >= count, timeout):
                raise AssertionError(
                    f"only {len(self.orders)} orders after {timeout} s: {self}"
                )


def _post(client: httpx.Client, path: str, body: dict, **headers):
    """(status, JSON body, problem code) of one POST, or Lost."""
    try:
        response = client.post(path, json=body, headers=headers)
    except httpx.HTTPError as error:
        raise Lost(type(error).__name__) from error
    problem = ""
    payload = None
    if response.headers.get("content-type", "").startswith("application/"):
        payload = response.json()
        if response.headers["content-type"].startswith("application/problem+json"):
            problem = payload.get("code", "")
    return response.status_code, payload, problem


@dataclass
class Buyer:
    client: httpx.Client
    journal: Journal
    performance: int
    tariff: int

    def call(self, step: str, path: str, body: dict, **headers):
        try:
            status, payload, problem = _post(self.client, path, body, **headers)
        except Lost as lost:
            self.journal.fail(step, str(lost))
            raise
        self.journal.note(step, status)
        return status, payload, problem

    def basket(self) -> str | None:
        status, basket, _problem = self.call(
            "basket", "/baskets", {"channel": "box_office"}
        )
        if status != 201:
            self.journal.fail("basket", str(status))
            return None
        return basket["token"]

    def hold(self, token: str, quantity: int) -> bool:
        status, _hold, problem = self.call(
            "hold",
            f"/baskets/{token}/holds",
            {
                "performance": self.performance,
                "tariff": self.tariff,
                "quantity": quantity,
            },
        )
        if status == 409 and problem == "sold_out":
            with self.journal.lock:
                self.journal.refused.append(quantity)
            return False
        if status != 201:
            self.journal.fail("hold", f"{status} {problem}")
            return False
        return True

    def buy(self, index: int, quantity: int) -> None:
        """One buyer's whole purchase; a buyer without an answer gives up."""
        try:
            token = self.basket()
            if token is None or not self.hold(token, quantity):
                return
            status, order, problem = self.call(
                "order",
                "/orders",
                {
                    "basket": token,
                    "buyer_name": f"Koper {index}",
                    "buyer_email": f"koper{index}@example.be",
                },
                **{"Idempotency-Key": f"fault-{uuid.uuid4().hex}"},
            )
            if status != 201:
                self.journal.fail("order", f"{status} {problem}")
                return
            code = order["code"]
            self.journal.order_placed(code, order["state"], len(order["tickets"]))
            try:
                status, payment, problem = self.call(
                    "payment", f"/orders/{code}/payments", {"provider": "cash"}
                )
            except Lost:
                with self.journal.lock:
                    self.journal.unanswered_payments.add(code)
                raise
            if status == 201 and payment["order_state"] == "paid":
                with self.journal.lock:
                    self.journal.paid[code] = len(order["tickets"])
            else:
                self.journal.fail("payment", f"{status} {problem}")
        except Lost:
            return  # the buyer closes the browser: whatever it held is abandoned


def _client(server: GunicornServer, key: str) -> httpx.Client:
    limits = httpx.Limits(max_connections=CONCURRENCY + 4)
    return httpx.Client(
        base_url=f"{server.url}/api/v1",
        headers={"Authorization": f"Bearer {key}"},
        limits=limits,
        timeout=TIMEOUT,
    )


def _sale(house):
    """The performance, its tariff and quota, and an API key that sells at the desk."""
    performance, tariff, quota = on_sale_performance(house, size=CAPACITY)
    _key, secret = api_key_create(
        house=house,
        actor=None,
        name="Fault test",
        scopes=[scope.value for scope in SCOPES],
    )
    return performance, tariff, quota, secret


def _app_names(probe) -> set[str]:
    with probe.cursor() as cursor:
        cursor.execute(
            "SELECT application_name FROM pg_stat_activity"
            " WHERE datname = current_database()"
        )
        return {name for (name,) in cursor.fetchall()}


def _waiting_for(probe, backend: int) -> tuple | None:
    """(application name, query, transaction id) of the backend that waits for a
    lock that `backend` holds, or None while none does."""
    with probe.cursor() as cursor:
        cursor.execute(
            "SELECT application_name, query, backend_xid::text FROM pg_stat_activity"
            " WHERE %s = ANY(pg_blocking_pids(pid))",
            [backend],
        )
        waiting = cursor.fetchall()
    assert len(waiting) <= 1, waiting
    return waiting[0] if waiting else None


def _quota_row_locked(probe, quota_pk: int) -> bool:
    """Does some transaction hold the quota row (a claim not yet committed)?"""
    try:
        with probe.cursor() as cursor:  # autocommit: a lock taken here ends at once
            cursor.execute(
                "SELECT 1 FROM sales_quota WHERE id = %s FOR UPDATE NOWAIT", [quota_pk]
            )
    except OperationalError as error:
        if "could not obtain lock" in str(error):
            return True
        raise
    return False


@dataclass
class Kill:
    victim_pid: int = 0
    replacement: set = field(default_factory=set)
    victim_outcome: str = ""


def _kill_a_worker_inside_a_claim(
    server, probe, victim: Buyer, token, hold_pk, quota_pk
):
    """Lock the victim's first hold, let its second claim take the quota row and
    wait for that lock, SIGKILL the worker doing it, then let go of the lock."""
    kill = Kill()

    def second_claim():
        try:
            kill.victim_outcome = str(victim.hold(token, 1))
        except Lost as lost:
            kill.victim_outcome = f"lost: {lost}"

    claim = threading.Thread(target=second_claim)
    with transaction.atomic(), platform_scope():
        Hold.objects.select_for_update().get(pk=hold_pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (me,) = cursor.fetchone()
        claim.start()
        app_name, query, xid = wait_until(
            lambda: _waiting_for(probe, me),
            timeout=15,
            what="the victim's claim to wait for the locked hold",
        )
        # It waits to move its basket's holds along, which basket_add does after
        # the claim: it has written (a transaction id) and holds the quota row.
        assert query.startswith('UPDATE "sales_hold" SET "expires_at"'), query
        assert xid is not None
        kill.victim_pid = worker_pid_of(app_name)
        assert kill.victim_pid in server.workers(), (app_name, server.workers())
        before = server.workers()
        server.kill_worker(kill.victim_pid)
        # Dead, its session still holds the hot row until it learns it is alone.
        assert _quota_row_locked(probe, quota_pk)
        # Leaving the block commits: the dead worker's backend gets the lock, finds
        # its client gone and rolls the claim back.
    claim.join(timeout=TIMEOUT + 5)
    # The killed worker was serving the victim's claim: no answer came.
    assert kill.victim_outcome.startswith("lost: "), (kill, server.log())
    kill.replacement = server.wait_for_replacement(before)
    wait_until(
        lambda: worker_app_name(kill.victim_pid) not in _app_names(probe),
        timeout=10,
        what="the killed worker's database session to end",
    )
    return kill


def _served_by(server, probe, pids: set[int]) -> bool:
    """Has one of these workers served a request (it keeps its connection open)?"""
    names = {worker_app_name(pid) for pid in pids}
    for _round in range(20):
        if names & _app_names(probe):
            return True
        with ThreadPoolExecutor(4) as pool:  # busy the others so these accept too
            list(
                pool.map(
                    lambda _n: httpx.get(f"{server.url}/health/", timeout=5),
                    range(4),
                )
            )
    return False


def _figures(house, performance, quota):
    with platform_scope():
        sold = Ticket.objects.filter(
            house=house,
            performance=performance,
            state=Ticket.State.VALID,
            order__state__in=(Order.State.PAID, Order.State.PENDING),
        ).count()
        held = (
            Hold.objects.filter(
                house=house, performance=performance, state=Hold.State.HELD
            ).aggregate(n=Sum("quantity"))["n"]
            or 0
        )
        used = Quota.objects.get(pk=quota.pk).used
    return sold, held, used


def test_a_worker_killed_inside_a_claim_loses_no_order_and_no_place(house, tmp_path):
    started = time.monotonic()
    performance, tariff, quota, key = _sale(house)
    journal = Journal()
    rng = random.Random(8)
    parties = [rng.randint(*PARTY) for _n in range(BUYERS)]
    probe = connections.create_connection("default")  # reads pg_stat_activity
    server = GunicornServer(
        database_url=database_url(connection.settings_dict), workdir=tmp_path
    )
    try:
        with server, _client(server, key) as client:
            buyer = Buyer(client, journal, performance.pk, tariff.pk)
            victim_journal = Journal()
            victim = Buyer(client, victim_journal, performance.pk, tariff.pk)
            token = victim.basket()
            assert victim.hold(token, VICTIM_FIRST_HOLD), victim_journal
            with platform_scope():
                victim_hold = Hold.objects.get(basket__token=token)

            with ThreadPoolExecutor(CONCURRENCY) as pool:
                burst = [
                    pool.submit(buyer.buy, index, quantity)
                    for index, quantity in enumerate(parties)
                ]
                journal.wait_for_orders(KILL_AFTER_ORDERS, timeout=30)
                kill = _kill_a_worker_inside_a_claim(
                    server, probe, victim, token, victim_hold.pk, quota.pk
                )
                unfinished = sum(not future.done() for future in burst)
                for future in burst:
                    future.result(timeout=60)
            log = server.log()
            assert unfinished > 0, "the burst ended before the kill"
            # The killed worker served the victim's claim and nothing else (a sync
            # worker serves one request at a time): no other buyer saw an error.
            assert victim_journal.failures == Counter(
                {f"hold: {kill.victim_outcome[6:]}": 1}
            )
            assert not journal.failures, (journal.failures, log)
            assert kill.replacement and _served_by(server, probe, kill.replacement), (
                kill,
                log,
            )
            burst_seconds = time.monotonic() - started

            _check_answers_against_the_database(house, performance, journal)
            sold, held, used = _figures(house, performance, quota)
            assert sold <= CAPACITY
            assert used == held + sold <= CAPACITY
            # The victim's first hold is all that is held: nobody will order it.
            assert held == VICTIM_FIRST_HOLD
            with platform_scope():
                assert list(
                    Hold.objects.filter(basket__token=token).values_list(
                        "state", "quantity"
                    )
                ) == [(Hold.State.HELD, VICTIM_FIRST_HOLD)]
            # Sold out, and every refusal was right to the end (the quota only grew
            # during the burst): no place was lost to the killed claim.
            assert journal.refused
            assert all(used + wanted > CAPACITY for wanted in journal.refused), (
                used,
                journal.refused,
            )

            _expire_abandoned_holds(house, performance, quota, sold)
            _buy_what_is_left(server, key, performance, tariff, CAPACITY - sold)
            assert _figures(house, performance, quota) == (CAPACITY, 0, CAPACITY)
    finally:
        probe.close()
    print(  # shown with -s: the figures of this run
        f"\nworker {kill.victim_pid} killed, replaced by {sorted(kill.replacement)};"
        f" orders {len(journal.orders)}, paid {len(journal.paid)},"
        f" sold-out answers {len(journal.refused)}, answers {dict(journal.answered)};"
        f" start to burst end {burst_seconds:.1f} s, all {time.monotonic() - started:.1f} s"
    )


def _check_answers_against_the_database(house, performance, journal):
    with platform_scope():
        in_database = {
            order.code: order
            for order in Order.objects.filter(
                house=house, tickets__performance=performance
            ).distinct()
        }
        # Every order answered 201 is there, and no order nobody was told of.
        assert set(in_database) == set(journal.orders)
        for code, (state_answered, tickets_answered) in journal.orders.items():
            order = in_database[code]
            assert state_answered == Order.State.PENDING
            valid = order.tickets.filter(state=Ticket.State.VALID).count()
            assert valid == tickets_answered, code
            if code in journal.paid:
                assert order.state == Order.State.PAID, code
                assert journal.paid[code] == valid
            elif code in journal.unanswered_payments:
                # The payment may or may not have committed before the answer was lost.
                assert order.state in (Order.State.PENDING, Order.State.PAID), code
            else:
                assert order.state == Order.State.PENDING, code


def _expire_abandoned_holds(house, performance, quota, sold):
    """The periodic task, now and once the hold lifetime has passed."""
    assert release_expired_holds_task() == 0  # nothing has expired yet
    assert _figures(house, performance, quota) == (
        sold,
        VICTIM_FIRST_HOLD,
        sold + VICTIM_FIRST_HOLD,
    )

    with platform_scope():
        lifetime = timedelta(minutes=sales_settings_get(house=house).hold_minutes)
        latest = Basket.objects.filter(house=house).order_by("-expires_at").first()
    assert latest.expires_at <= timezone.now() + lifetime
    with time_machine.travel(timezone.now() + lifetime + timedelta(seconds=1)):
        assert release_expired_holds_task() == 1
    assert _figures(house, performance, quota) == (sold, 0, sold)
    with platform_scope():
        assert set(
            Hold.objects.filter(performance=performance).values_list("state", flat=True)
        ) == {Hold.State.ORDERED, Hold.State.RELEASED}


def _buy_what_is_left(server, key, performance, tariff, left):
    """The freed places are for sale again: one buyer takes them all, the next
    finds the performance sold out."""
    assert 0 < left <= 20  # the house's maximum per order
    journal = Journal()
    with _client(server, key) as client:
        buyer = Buyer(client, journal, performance.pk, tariff.pk)
        buyer.buy(1000, left)
        buyer.buy(1001, 1)
    assert not journal.failures, journal.failures
    assert list(journal.paid.values()) == [left]
    assert journal.refused == [1]
