"""Mollie: a client for the Payments API v2 and the provider built on it.

https://docs.mollie.com/reference/v2/payments-api — amounts travel as
`{"currency": "EUR", "value": "12.50"}` (a string with two decimals), errors as
problem+json (`status`, `title`, `detail`, `field`). Every failure (an error answer, a
time-out, no connection, an unreadable answer) becomes one SalesError with code
PAYMENT_PROVIDER, so callers handle a single error.

The client never runs inside a database transaction of ours: the services call it
between two short transactions (STYLE.md: no lock across an external call).
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from podium.core.money import quantize

from ..errors import SalesError, SalesErrorCode
from ..models import Payment, SalesSettings
from .base import NextStep, PaymentProvider, PaymentStart, RefundResult, RefundState

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.mollie.com/v2"
DEFAULT_TIMEOUT = 10.0
LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_US"}


class MollieStatus:
    OPEN = "open"
    PENDING = "pending"
    AUTHORIZED = "authorized"
    PAID = "paid"
    FAILED = "failed"
    CANCELED = "canceled"
    EXPIRED = "expired"


@dataclass(frozen=True)
class MolliePayment:
    id: str
    status: str
    amount: Decimal
    checkout_url: str = ""
    metadata: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MollieRefund:
    id: str
    status: str
    amount: Decimal
    payment_id: str
    raw: dict = field(default_factory=dict)


def amount_value(amount: Decimal) -> dict:
    return {"currency": "EUR", "value": f"{quantize(amount):.2f}"}


def provider_error(message, **params) -> SalesError:
    return SalesError(message, code=SalesErrorCode.PAYMENT_PROVIDER, params=params)


class MollieClient:
    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
    ):
        if not api_key:
            raise provider_error(_("No Mollie API key is configured for this house."))
        self.base_url = (
            base_url or getattr(settings, "MOLLIE_API_URL", "") or DEFAULT_API_URL
        ).rstrip("/")
        self.timeout = timeout or getattr(settings, "MOLLIE_TIMEOUT", DEFAULT_TIMEOUT)
        self.api_key = api_key

    # -- the three calls we use ---------------------------------------------------

    def payment_create(
        self,
        *,
        amount: Decimal,
        description: str,
        redirect_url: str,
        webhook_url: str = "",
        metadata: dict | None = None,
        locale: str = "",
    ) -> MolliePayment:
        body = {
            "amount": amount_value(amount),
            "description": description[:255],
            "redirectUrl": redirect_url,
            "metadata": metadata or {},
        }
        if webhook_url:
            body["webhookUrl"] = webhook_url
        if locale:
            body["locale"] = locale
        return self._payment(self._request("POST", "/payments", json=body))

    def payment_get(self, payment_id: str) -> MolliePayment:
        return self._payment(self._request("GET", f"/payments/{payment_id}"))

    def refund_create(
        self, payment_id: str, *, amount: Decimal, description: str = ""
    ) -> MollieRefund:
        body = {"amount": amount_value(amount)}
        if description:
            body["description"] = description[:140]
        data = self._request("POST", f"/payments/{payment_id}/refunds", json=body)
        try:
            return MollieRefund(
                id=data["id"],
                status=data["status"],
                amount=Decimal(data["amount"]["value"]),
                payment_id=data.get("paymentId", payment_id),
                raw=data,
            )
        except (KeyError, TypeError, InvalidOperation) as error:
            raise self._unreadable() from error

    # -- plumbing -----------------------------------------------------------------

    def _request(self, method: str, path: str, json: dict | None = None) -> dict:
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Accept": "application/hal+json",
            "User-Agent": "Podium/1 (+https://podium.example)",
        }
        try:
            response = httpx.request(
                method,
                self.base_url + path,
                json=json,
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.TimeoutException as error:
            logger.warning("Mollie %s %s timed out", method, path)
            raise provider_error(
                _("The payment provider did not answer in time. Please try again.")
            ) from error
        except httpx.HTTPError as error:
            logger.warning("Mollie %s %s failed: %s", method, path, error)
            raise provider_error(
                _("The payment provider cannot be reached. Please try again.")
            ) from error
        if response.status_code >= 400:
            raise self._problem(response)
        try:
            return response.json()
        except ValueError as error:
            raise self._unreadable() from error

    def _problem(self, response: httpx.Response) -> SalesError:
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        if not isinstance(problem, dict):
            problem = {}
        status = problem.get("status", response.status_code)
        detail = problem.get("detail") or problem.get("title") or response.reason_phrase
        logger.warning("Mollie answered %s: %s", status, detail)
        error = provider_error(
            _("The payment provider refused the request (%(status)s): %(detail)s"),
            status=status,
            detail=detail,
        )
        error.field = problem.get("field")
        error.params["title"] = problem.get("title", "")
        return error

    def _unreadable(self) -> SalesError:
        return provider_error(_("The payment provider sent an answer we cannot read."))

    def _payment(self, data: dict) -> MolliePayment:
        try:
            return MolliePayment(
                id=data["id"],
                status=data["status"],
                amount=Decimal(data["amount"]["value"]),
                checkout_url=(data.get("_links", {}).get("checkout") or {}).get(
                    "href", ""
                ),
                metadata=data.get("metadata") or {},
                raw=data,
            )
        except (KeyError, TypeError, InvalidOperation) as error:
            raise self._unreadable() from error


def client_for_house(house_id: int) -> MollieClient:
    key = (
        SalesSettings.objects.filter(house_id=house_id)
        .values_list("mollie_api_key", flat=True)
        .first()
    )
    return MollieClient(key or "")


class MollieProvider(PaymentProvider):
    """Online payment through Mollie's hosted checkout; refunds through its API."""

    name = "mollie"
    label = _("Online payment (Bancontact, card, …)")
    channels = frozenset({"web", "phone", "email", "partner"})
    supports_refund = True
    remote = True

    def available(self, settings: SalesSettings) -> bool:
        return bool(settings.mollie_api_key)

    def start(self, payment: Payment) -> PaymentStart:
        order = payment.order
        created = client_for_house(payment.house_id).payment_create(
            amount=payment.amount,
            description=f"{order.house.name} {order.code}",
            redirect_url=payment.data.get("return_url", ""),
            webhook_url=payment.data.get("webhook_url", ""),
            metadata={"order_code": order.code, "payment_id": payment.pk},
            locale=LOCALES.get(order.locale, "nl_BE"),
        )
        return PaymentStart(
            next_step=NextStep.REDIRECT,
            external_id=created.id,
            checkout_url=created.checkout_url,
            data={"mollie_status": created.status},
        )

    def refund(self, payment: Payment, amount: Decimal) -> RefundResult:
        refund = client_for_house(payment.house_id).refund_create(
            payment.external_id,
            amount=amount,
            description=f"{payment.order.code}",
        )
        return RefundResult(
            state=RefundState.DONE,
            external_id=refund.id,
            data={"mollie_status": refund.status},
        )
