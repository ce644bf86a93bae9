"""A local stand-in for Mollie's Payments API v2, for tests of our real client.

It speaks HTTP on 127.0.0.1 (a random port) and implements what we use, as Mollie
documents it: create a payment (`POST /v2/payments`), get one, create a refund
(`POST /v2/payments/{id}/refunds`); a Bearer key check (401), validation of the
amount and required fields (422), 404 for unknown ids, all errors as problem+json.
A test moves a payment to paid/failed/expired/canceled with `set_status` and makes
Mollie call our webhook with `send_webhook`, as Mollie does: a form POST `id=tr_…`.

The payment's checkout URL plays Mollie's hosted checkout for a person trying the
demo by hand (`tools/mollie_local.py`): `?status=paid` (or failed, canceled) sets the
status, calls the webhook and redirects to the shop's redirectUrl; without it, a page
offers those choices.
"""

import html
import json
import re
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import httpx

AMOUNT_VALUE = re.compile(r"^\d+\.\d{2}$")
CHECKOUT_PATH = "/checkout/select-method/"
CHECKOUT_CHOICES = ("paid", "failed", "canceled")
DOCS = "https://docs.mollie.com/overview/handling-errors"


class MollieProblem(Exception):
    def __init__(self, status: int, title: str, detail: str, field: str | None = None):
        self.status, self.title, self.detail, self.field = status, title, detail, field


class MollieServer:
    def __init__(self, api_keys: tuple[str, ...] = (), port: int = 0):
        self.api_keys = set(api_keys)
        self.payments: dict[str, dict] = {}
        self.refunds: dict[str, list[dict]] = {}
        self.requests: list[tuple[str, str, dict | None]] = []
        # Called with (method, path, body) before a request is handled, in the
        # server's thread: a test can look at the database from there.
        self.on_request: Callable[[str, str, dict | None], None] | None = None
        self.fail_next: tuple[int, dict] | None = None  # (status, problem body)
        self.delay_seconds = 0.0
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v2"

    def start(self) -> "MollieServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- what a test does ------------------------------------------------------------

    def set_status(self, payment_id: str, status: str) -> None:
        assert status in {
            "open",
            "pending",
            "authorized",
            "paid",
            "failed",
            "canceled",
            "expired",
        }
        with self._lock:
            payment = self.payments[payment_id]
            payment["status"] = status
            now = _now()
            stamp = {
                "paid": "paidAt",
                "failed": "failedAt",
                "canceled": "canceledAt",
                "expired": "expiredAt",
            }.get(status)
            if stamp:
                payment[stamp] = now
            if status == "paid":
                payment["amountRemaining"] = dict(payment["amount"])
                payment["amountRefunded"] = {"currency": "EUR", "value": "0.00"}
                payment["_links"].pop("checkout", None)

    def send_webhook(self, payment_id: str) -> httpx.Response:
        """POST `id=tr_…` to the payment's webhookUrl, as Mollie does."""
        url = self.payments[payment_id]["webhookUrl"]
        return httpx.post(url, data={"id": payment_id}, timeout=10)

    # -- the API -----------------------------------------------------------------------

    def handle(self, method: str, path: str, auth: str, body: dict | None):
        self.requests.append((method, path, body))
        if self.on_request:
            self.on_request(method, path, body)
        if self.fail_next:
            status, problem = self.fail_next
            self.fail_next = None
            return status, problem
        if not auth.startswith("Bearer ") or auth[7:] not in self.api_keys:
            raise MollieProblem(
                401,
                "Unauthorized Request",
                "Missing authentication, or failed to authenticate",
            )
        parts = path.strip("/").split("/")
        if parts[:1] != ["v2"]:
            raise MollieProblem(404, "Not Found", "The resource does not exist")
        parts = parts[1:]
        if method == "POST" and parts == ["payments"]:
            return 201, self._create_payment(body or {})
        if method == "GET" and len(parts) == 2 and parts[0] == "payments":
            return 200, self._payment(parts[1])
        if (
            method == "POST"
            and len(parts) == 3
            and parts[0] == "payments"
            and parts[2] == "refunds"
        ):
            return 201, self._create_refund(parts[1], body or {})
        raise MollieProblem(404, "Not Found", "The resource does not exist")

    def _create_payment(self, body: dict) -> dict:
        amount = _amount(body.get("amount"))
        if amount <= 0:
            raise MollieProblem(
                422,
                "Unprocessable Entity",
                "The amount is lower than the minimum",
                "amount",
            )
        if not body.get("description"):
            raise MollieProblem(
                422,
                "Unprocessable Entity",
                "The description is invalid",
                "description",
            )
        if not str(body.get("redirectUrl", "")).startswith(("http://", "https://")):
            raise MollieProblem(
                422,
                "Unprocessable Entity",
                "The redirect URL is invalid",
                "redirectUrl",
            )
        locale = body.get("locale")
        if locale and not re.fullmatch(r"[a-z]{2}_[A-Z]{2}", locale):
            raise MollieProblem(
                422, "Unprocessable Entity", "The locale is invalid", "locale"
            )
        payment_id = "tr_" + secrets.token_hex(5)
        base = self.url.removesuffix("/v2")
        payment = {
            "resource": "payment",
            "id": payment_id,
            "mode": "test",
            "createdAt": _now(),
            "status": "open",
            "isCancelable": False,
            "amount": body["amount"],
            "description": body["description"],
            "method": None,
            "metadata": body.get("metadata"),
            "locale": locale,
            "redirectUrl": body["redirectUrl"],
            "webhookUrl": body.get("webhookUrl"),
            "expiresAt": (datetime.now(UTC) + timedelta(minutes=15)).isoformat(),
            "sequenceType": "oneoff",
            "_links": {
                "self": {
                    "href": f"{self.url}/payments/{payment_id}",
                    "type": "application/hal+json",
                },
                "checkout": {
                    "href": f"{base}{CHECKOUT_PATH}{payment_id}",
                    "type": "text/html",
                },
                "documentation": {
                    "href": "https://docs.mollie.com/reference/v2/payments-api/create-payment",
                    "type": "text/html",
                },
            },
        }
        with self._lock:
            self.payments[payment_id] = payment
        return payment

    def _payment(self, payment_id: str) -> dict:
        with self._lock:
            if payment_id not in self.payments:
                raise MollieProblem(
                    404,
                    "Not Found",
                    f"No payment exists with token {payment_id}.",
                )
            return json.loads(json.dumps(self.payments[payment_id]))

    def _create_refund(self, payment_id: str, body: dict) -> dict:
        amount = _amount(body.get("amount"))
        with self._lock:
            payment = self.payments.get(payment_id)
            if payment is None:
                raise MollieProblem(
                    404, "Not Found", f"No payment exists with token {payment_id}."
                )
            if payment["status"] != "paid":
                raise MollieProblem(
                    422,
                    "Unprocessable Entity",
                    "The payment cannot be refunded",
                )
            remaining = Decimal(payment["amountRemaining"]["value"])
            if amount <= 0 or amount > remaining:
                raise MollieProblem(
                    422,
                    "Unprocessable Entity",
                    "The amount is higher than the amount that can be refunded",
                    "amount",
                )
            payment["amountRemaining"]["value"] = f"{remaining - amount:.2f}"
            refunded = Decimal(payment["amountRefunded"]["value"]) + amount
            payment["amountRefunded"]["value"] = f"{refunded:.2f}"
            refund = {
                "resource": "refund",
                "id": "re_" + secrets.token_hex(5),
                "amount": body["amount"],
                "status": "pending",
                "createdAt": _now(),
                "description": body.get("description", ""),
                "paymentId": payment_id,
            }
            self.refunds.setdefault(payment_id, []).append(refund)
            return refund

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # keep the test output quiet
                pass

            def _answer(self, status: int, body: dict, problem: bool = False):
                data = json.dumps(body).encode()
                self.send_response(status)
                kind = "application/problem+json" if problem else "application/hal+json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _serve(self, method: str):
                body = None
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    try:
                        body = json.loads(self.rfile.read(length))
                    except ValueError:
                        problem = _problem(
                            MollieProblem(400, "Bad Request", "The JSON is invalid")
                        )
                        return self._answer(400, problem, problem=True)
                if server.delay_seconds:
                    threading.Event().wait(server.delay_seconds)
                try:
                    status, answer = server.handle(
                        method,
                        self.path,
                        self.headers.get("Authorization", ""),
                        body,
                    )
                except MollieProblem as error:
                    return self._answer(error.status, _problem(error), problem=True)
                self._answer(status, answer, problem=status >= 400)

            def do_GET(self):
                if self.path.startswith(CHECKOUT_PATH):
                    return self._checkout()
                self._serve("GET")

            def _checkout(self):
                path, _sep, query = self.path.partition("?")
                payment_id = path.removeprefix(CHECKOUT_PATH)
                if payment_id not in server.payments:
                    return self._answer(404, {"detail": "No such payment"}, True)
                status = parse_qs(query).get("status", [""])[0]
                if status not in CHECKOUT_CHOICES:
                    page = checkout_page(server.payments[payment_id]).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    return self.wfile.write(page)
                server.set_status(payment_id, status)
                if server.payments[payment_id]["webhookUrl"]:
                    server.send_webhook(payment_id)
                self.send_response(303)
                self.send_header("Location", server.payments[payment_id]["redirectUrl"])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                self._serve("POST")

        return Handler


def _amount(amount) -> Decimal:
    if (
        not isinstance(amount, dict)
        or amount.get("currency") != "EUR"
        or not isinstance(amount.get("value"), str)
        or not AMOUNT_VALUE.match(amount["value"])
    ):
        raise MollieProblem(
            422,
            "Unprocessable Entity",
            "The amount contains an invalid value",
            "amount",
        )
    return Decimal(amount["value"])


def _problem(error: MollieProblem) -> dict:
    body = {
        "status": error.status,
        "title": error.title,
        "detail": error.detail,
        "_links": {"documentation": {"href": DOCS, "type": "text/html"}},
    }
    if error.field:
        body["field"] = error.field
    return body


def checkout_page(payment: dict) -> str:
    amount = html.escape(payment["amount"]["value"])
    description = html.escape(payment["description"])
    links = "".join(
        f'<li><a href="?status={choice}">{choice}</a></li>'
        for choice in CHECKOUT_CHOICES
    )
    return (
        '<!doctype html><html lang="en"><title>Local Mollie checkout</title>'
        f"<h1>{description}</h1><p>EUR {amount}</p><ul>{links}</ul></html>"
    )


def _now() -> str:
    return datetime.now(UTC).isoformat()


API_KEY = "test_podiumhouseakey0000000000"


try:
    import pytest
except ImportError:  # `make run` serves the demo's local Mollie without test tools
    pytest = None

if pytest is not None:

    @pytest.fixture(name="mollie_server")
    def mollie_server_fixture(settings):
        """A running local Mollie; our client is pointed at it through settings."""
        server = MollieServer(api_keys=(API_KEY,)).start()
        settings.MOLLIE_API_URL = server.url
        settings.MOLLIE_TIMEOUT = 5.0
        yield server
        server.stop()
