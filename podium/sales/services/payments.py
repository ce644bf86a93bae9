"""Paying for an order: start a payment with a provider, confirm it, fail it, and the
Mollie webhook; plus bank statement import with reconciliation.

No transaction of ours is open while a provider is called (STYLE.md §3): a payment is
created (state `created`) and committed first, the provider is called, and what it
answered is stored in a second short transaction. Confirmations are idempotent: a
second webhook, return visit or statement line for the same payment changes nothing.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.tenancy.models import Cluster, House
from podium.tenancy.permissions import Action, can
from podium.tenancy.scoping import house_scope

from ..errors import SalesError, SalesErrorCode
from ..models import BankTransaction, Order, Payment
from ..payments import PaymentStart, provider_get
from ..payments.base import PaymentProvider
from ..payments.mollie import MollieStatus, client_for_house
from ..payments.ogm import ogm_find, ogm_format
from ..payments.statements import CsvLayout, StatementLine, parse_statement
from ..selectors import order_amount_due, order_paid_so_far
from .orders import order_mark_paid
from .pricing import sales_settings_get

logger = logging.getLogger(__name__)

OPEN_STATES = (Payment.State.CREATED, Payment.State.PENDING)
FINAL_FAILED = (Payment.State.FAILED, Payment.State.CANCELLED, Payment.State.EXPIRED)
MOLLIE_FAILED = {
    MollieStatus.FAILED: Payment.State.FAILED,
    MollieStatus.CANCELED: Payment.State.CANCELLED,
    MollieStatus.EXPIRED: Payment.State.EXPIRED,
}


def _invalid(message, **params) -> SalesError:
    return SalesError(message, code=SalesErrorCode.INVALID, params=params)


def _public_url(path: str) -> str:
    base = getattr(settings, "PODIUM_PUBLIC_URL", "").rstrip("/")
    return f"{base}{path}" if base else ""


# ------------------------------------------------------------------------- start


def _check_provider(
    *, house: House, actor, order: Order, provider: PaymentProvider | None
) -> PaymentProvider:
    if provider is None:
        raise _invalid(_("This payment method does not exist."))
    if order.channel not in provider.channels:
        raise _invalid(
            _("%(provider)s cannot be used for an order of the %(channel)s."),
            provider=provider.label,
            channel=Order.Channel(order.channel).label,
        )
    if provider.box_office and not can(actor, Action.OFFICE_VIEW, house):
        raise _invalid(
            _("%(provider)s is only for staff at the box office."),
            provider=provider.label,
        )
    if provider.free_only != (order.total == 0):
        if provider.free_only:
            raise _invalid(_("Only an order of 0 EUR can be confirmed for free."))
        raise _invalid(_("An order of 0 EUR needs no payment."))
    if not provider.available(sales_settings_get(house=house)):
        raise _invalid(
            _("%(provider)s is not set up for this house."), provider=provider.label
        )
    return provider


def payment_start(
    *,
    house: House,
    actor: AbstractBaseUser | None,
    order: Order,
    provider: str,
    return_url: str = "",
) -> Payment:
    """Start paying `order` with `provider`; the returned payment says what is next.

    `payment.checkout_url` (Mollie) is where to send the buyer; a bank transfer gets
    its structured communication in `payment.structured_communication` and the
    order a longer deadline; free and box-office payments come back paid.
    """
    if order.house_id != house.pk:
        raise NotFound(_("This order does not exist."))
    chosen = _check_provider(
        house=house, actor=actor, order=order, provider=provider_get(provider)
    )
    payment = _payment_create(
        house=house, actor=actor, order=order, provider=chosen, return_url=return_url
    )
    if payment.state not in OPEN_STATES:
        return payment
    try:
        started = chosen.start(payment)  # outside any transaction: may call out
    except SalesError:
        payment_fail(payment=payment, actor=actor, note="provider refused the start")
        raise
    return _payment_started(payment=payment, actor=actor, started=started)


def _payment_create(
    *, house: House, actor, order: Order, provider: PaymentProvider, return_url: str
) -> Payment:
    with transaction.atomic(durable=True):
        locked = Order.objects.select_for_update().get(pk=order.pk, house=house)
        if locked.state != Order.State.PENDING:
            raise SalesError(
                _("This order is %(state)s and cannot be paid."),
                code=SalesErrorCode.PAYMENT_FAILED,
                params={"state": Order.State(locked.state).label},
            )
        if provider.name == "bank_transfer":
            # The buyer may come back to the instructions: keep one communication.
            existing = locked.payments.filter(
                provider=provider.name, state__in=OPEN_STATES
            ).exclude(structured_communication="")
            if existing:
                return existing[0]
        deadline = provider.deadline(sales_settings_get(house=house), timezone.now())
        if deadline and (
            locked.payment_deadline is None or deadline > locked.payment_deadline
        ):
            Order.objects.filter(pk=locked.pk, state=Order.State.PENDING).update(
                payment_deadline=deadline
            )
            order.payment_deadline = deadline
        code = order.code
        due = order_amount_due(order=locked)  # a gift voucher may have paid part
        if due <= 0 and locked.total > 0:
            raise SalesError(
                _("This order is paid already."), code=SalesErrorCode.PAYMENT_FAILED
            )
        payment = Payment.objects.create(
            house=house,
            order=locked,
            provider=provider.name,
            amount=due,
            state=Payment.State.CREATED,
            data={
                "return_url": return_url
                or _public_url(reverse("shop:payment-return", args=[code])),
                "webhook_url": _public_url(reverse("shop:payment-mollie-webhook")),
            },
        )
        audit_log(
            action="podium.sales.payment.created",
            obj=payment,
            actor=actor,
            data={
                "order": code,
                "provider": provider.name,
                "amount": str(due),
            },
        )
    payment.order = order
    return payment


def _payment_started(*, payment: Payment, actor, started: PaymentStart) -> Payment:
    with transaction.atomic(durable=True):
        locked = Payment.objects.select_for_update().get(
            pk=payment.pk, house_id=payment.house_id
        )
        if locked.state == Payment.State.CREATED:
            locked.state = Payment.State.PENDING
        locked.external_id = started.external_id
        locked.checkout_url = started.checkout_url
        if started.bank:
            locked.structured_communication = started.bank.communication
        locked.data = {**locked.data, **started.data}
        locked.save()
        if started.paid:
            _confirm_locked(payment=locked, actor=actor, note=locked.provider)
    locked.order = payment.order
    locked.order.refresh_from_db()
    return locked


# --------------------------------------------------------------- confirm and fail


def payment_confirm(
    *, payment: Payment, actor: AbstractBaseUser | None = None, note: str = ""
) -> Payment:
    """Mark `payment` paid and its order paid; a second call changes nothing.

    Money that arrives for an order that can no longer be paid (it expired or was
    cancelled meanwhile, or another payment paid it) is recorded as paid and flagged
    `refund_due` so that staff pay it back; it is never silently dropped.
    """
    with transaction.atomic(durable=True):
        locked = Payment.objects.select_for_update().get(
            pk=payment.pk, house_id=payment.house_id
        )
        _confirm_locked(payment=locked, actor=actor, note=note)
    return locked


def _confirm_locked(*, payment: Payment, actor, note: str) -> None:
    if payment.state == Payment.State.PAID:
        return
    payment.state = Payment.State.PAID
    payment.paid_at = timezone.now()
    order = Order.objects.select_for_update().get(
        pk=payment.order_id, house_id=payment.house_id
    )
    if (
        order.state == Order.State.PENDING
        and order_paid_so_far(order=order) + payment.amount >= order.total
    ):
        payment.save()
        order_mark_paid(order=order, actor=actor, note=note or payment.provider)
        action = "podium.sales.payment.paid"
    else:
        payment.data = {**payment.data, "refund_due": True, "order_state": order.state}
        payment.save()
        logger.warning(
            "Payment %s for order %s (%s) was paid but the order cannot take it: "
            "flagged for refund",
            payment.pk,
            order.code,
            order.state,
        )
        action = "podium.sales.payment.paid_refund_due"
    audit_log(
        action=action,
        obj=payment,
        actor=actor,
        data={"order": order.code, "amount": str(payment.amount), "note": note},
    )


def payment_fail(
    *,
    payment: Payment,
    actor: AbstractBaseUser | None = None,
    state: str = Payment.State.FAILED,
    note: str = "",
) -> Payment:
    """Close an open payment as failed, cancelled or expired; the order stays pending
    (the buyer may try again until its deadline). A paid payment is never undone."""
    with transaction.atomic(durable=True):
        locked = Payment.objects.select_for_update().get(
            pk=payment.pk, house_id=payment.house_id
        )
        if locked.state in OPEN_STATES:
            locked.state = state
            locked.save(update_fields=["state", "updated_at"])
            audit_log(
                action=f"podium.sales.payment.{state}",
                obj=locked,
                actor=actor,
                data={"note": note},
            )
    return locked


# ------------------------------------------------------------------------ Mollie


def mollie_webhook_handle(*, external_id: str) -> Payment | None:
    """Act on Mollie's word that payment `external_id` changed.

    The webhook body is not trusted: the payment is fetched from Mollie with the
    house's key and its status applied. An id we do not know returns None and does
    nothing (the view still answers 200, as Mollie advises, so nobody can probe
    ids). A provider error propagates, so the view answers 503 and Mollie retries.
    """
    house_id = (
        Payment._base_manager.filter(provider="mollie", external_id=external_id)
        .exclude(external_id="")
        .values_list("house_id", flat=True)
        .first()
    )
    if house_id is None:
        logger.info("Mollie webhook for unknown payment %r ignored", external_id)
        return None
    house = House.objects.get(pk=house_id)
    with house_scope(house):
        payment = Payment.objects.select_related("order").get(
            house=house, provider="mollie", external_id=external_id
        )
        return mollie_payment_sync(payment=payment)


def mollie_payment_sync(*, payment: Payment) -> Payment:
    """Fetch `payment` from Mollie (outside any transaction) and apply its status."""
    remote = client_for_house(payment.house_id).payment_get(payment.external_id)
    if remote.status == MollieStatus.PAID:
        if remote.amount != payment.amount:
            logger.error(
                "Mollie payment %s paid %s, expected %s",
                remote.id,
                remote.amount,
                payment.amount,
            )
            return _flag(payment, reason="amount_mismatch", paid=str(remote.amount))
        return payment_confirm(payment=payment, note="mollie webhook")
    if remote.status in MOLLIE_FAILED:
        return payment_fail(
            payment=payment, state=MOLLIE_FAILED[remote.status], note="mollie"
        )
    return payment  # open, pending, authorized: wait for the next webhook


def _flag(payment: Payment, **data) -> Payment:
    with transaction.atomic(durable=True):
        locked = Payment.objects.select_for_update().get(
            pk=payment.pk, house_id=payment.house_id
        )
        locked.data = {**locked.data, **data, "needs_attention": True}
        locked.save(update_fields=["data", "updated_at"])
        audit_log(
            action="podium.sales.payment.flagged", obj=locked, actor=None, data=data
        )
    return locked


@dataclass(frozen=True)
class PaymentReturn:
    """What the return page shows: the order and its newest payment."""

    order: Order
    payment: Payment | None


def payment_return_sync(*, cluster: Cluster, order_code: str) -> PaymentReturn:
    """The order a buyer returns to from a payment page, its payment state fresh.

    While the order waits, its newest open Mollie payment is fetched from Mollie, so
    the page is right even when the webhook has not arrived yet (or cannot reach a
    local install). NotFound for a code that no house of `cluster` knows.
    """
    order = (
        Order.objects.filter(house__cluster=cluster, code=order_code.upper())
        .select_related("house")
        .first()
    )
    if order is None:
        raise NotFound(_("This order does not exist."))
    payment = order.payments.order_by("-pk").first()
    if (
        order.state == Order.State.PENDING
        and payment is not None
        and payment.provider == "mollie"
        and payment.state in OPEN_STATES
        and payment.external_id
    ):
        try:
            payment = mollie_payment_sync(payment=payment)
        except SalesError:
            logger.warning("Could not refresh Mollie payment %s", payment.pk)
        order.refresh_from_db()
    return PaymentReturn(order=order, payment=payment)


# ------------------------------------------------------------ bank statements


class LineOutcome:
    MATCHED = "matched"
    ALREADY_IMPORTED = "already_imported"
    DEBIT = "debit"
    NO_COMMUNICATION = "no_communication"
    UNKNOWN_COMMUNICATION = "unknown_communication"
    PARTIAL = "partial"
    OVERPAID = "overpaid"
    ALREADY_PAID = "already_paid"
    ORDER_CLOSED = "order_closed"


@dataclass(frozen=True)
class ImportedLine:
    reference: str
    booked_on: object
    amount: Decimal
    communication: str
    outcome: str
    order_code: str = ""
    expected: Decimal | None = None


@dataclass
class ImportResult:
    lines: list[ImportedLine] = field(default_factory=list)

    def _count(self, *outcomes: str) -> int:
        return sum(1 for line in self.lines if line.outcome in outcomes)

    @property
    def imported(self) -> int:
        return len(self.lines) - self._count(
            LineOutcome.ALREADY_IMPORTED, LineOutcome.DEBIT
        )

    @property
    def matched(self) -> list[ImportedLine]:
        return [line for line in self.lines if line.outcome == LineOutcome.MATCHED]

    @property
    def duplicates(self) -> int:
        return self._count(LineOutcome.ALREADY_IMPORTED)

    @property
    def to_check(self) -> list[ImportedLine]:
        """Credits that were stored but not applied: staff look at these."""
        return [
            line
            for line in self.lines
            if line.outcome
            not in (
                LineOutcome.MATCHED,
                LineOutcome.ALREADY_IMPORTED,
                LineOutcome.DEBIT,
            )
        ]


def bank_statement_import(
    *,
    house: House,
    actor: AbstractBaseUser | None,
    file_bytes: bytes,
    format: str,
    csv_layout: CsvLayout | None = None,
) -> ImportResult:
    """Store the credits of a bank statement and pay the orders they match.

    Each credit is stored once (by its bank reference: importing the same statement
    twice changes nothing) in its own short transaction. A credit whose structured
    communication names a waiting bank-transfer payment of this house, for exactly
    its amount, pays it; partial and over-payments, unknown communications and money
    for orders already paid or closed are stored and reported, not applied.
    """
    result = ImportResult()
    for line in parse_statement(file_bytes, format, csv_layout):
        result.lines.append(_import_line(house=house, actor=actor, line=line))
    return result


def _import_line(*, house: House, actor, line: StatementLine) -> ImportedLine:
    def outcome(kind: str, payment: Payment | None = None) -> ImportedLine:
        return ImportedLine(
            reference=line.reference,
            booked_on=line.booked_on,
            amount=line.amount,
            communication=line.communication,
            outcome=kind,
            order_code=payment.order.code if payment else "",
            expected=payment.amount if payment else None,
        )

    if line.amount <= 0:
        return outcome(LineOutcome.DEBIT)
    digits = ogm_find(line.communication)
    try:
        with transaction.atomic(durable=True):
            bank_transaction = BankTransaction.objects.create(
                house=house,
                booked_on=line.booked_on,
                amount=line.amount,
                communication=line.communication[:200],
                counterparty_name=line.counterparty_name[:200],
                counterparty_account=line.counterparty_account[:40],
                bank_reference=line.reference[:100],
            )
            kind, payment = _reconcile(
                house=house, actor=actor, line=line, digits=digits
            )
            bank_transaction.payment = payment
            bank_transaction.note = kind
            bank_transaction.save(update_fields=["payment", "note", "updated_at"])
            audit_log(
                action="podium.sales.bank_transaction.imported",
                obj=bank_transaction,
                actor=actor,
                data={
                    "reference": line.reference,
                    "amount": str(line.amount),
                    "outcome": kind,
                },
            )
    except IntegrityError:
        return outcome(LineOutcome.ALREADY_IMPORTED)
    return outcome(kind, payment)


def _reconcile(
    *, house: House, actor, line: StatementLine, digits: str | None
) -> tuple[str, Payment | None]:
    if digits is None:
        return LineOutcome.NO_COMMUNICATION, None
    payment = (
        Payment.objects.select_for_update()
        .select_related("order")
        .filter(
            house=house,
            provider="bank_transfer",
            structured_communication=ogm_format(digits),
        )
        .first()
    )
    if payment is None:
        return LineOutcome.UNKNOWN_COMMUNICATION, None
    if payment.state == Payment.State.PAID:
        return LineOutcome.ALREADY_PAID, payment
    if line.amount < payment.amount:
        return LineOutcome.PARTIAL, payment
    if line.amount > payment.amount:
        return LineOutcome.OVERPAID, payment
    _confirm_locked(payment=payment, actor=actor, note=f"bank {line.reference}")
    if payment.data.get("refund_due"):
        return LineOutcome.ORDER_CLOSED, payment
    return LineOutcome.MATCHED, payment
