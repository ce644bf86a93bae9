"""Paying money back: refund a whole order or some of its tickets, and cancel a whole
performance (refund and mail every order, as a resumable job with progress).

A refund through a provider that supports it (Mollie) is reserved first (a Refund in
state `pending`, committed), the provider is called outside any transaction, and the
outcome is stored in a second short transaction: only then are the tickets refunded,
their places released and the order moved on. If the provider refuses, the refund is
`failed` and nothing else changed. Providers without refunds (cash, card terminal,
bank transfer) get a Refund in state `manual`: staff pay back by hand.

An order paid partly with a gift voucher gets that part back onto the voucher first
(`Refund.to_voucher`, put back by passes through `hooks.on_refund_to_voucher`); only
the rest goes back through the payment.
"""

import logging
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.catalog.services import performance_update
from podium.core.audit import actor_user, audit_log
from podium.core.errors import NotFound
from podium.core.i18n import localize
from podium.core.money import quantize
from podium.tenancy.models import House
from podium.tenancy.scoping import house_scope

from .. import hooks
from ..errors import SalesError, SalesErrorCode
from ..models import (
    Order,
    OrderFee,
    Payment,
    PerformanceCancellation,
    Refund,
    Ticket,
)
from ..payments import provider_get
from ..payments.base import RefundResult
from ..states import order_transition
from .orders import order_cancel, tickets_release

logger = logging.getLogger(__name__)

REFUNDABLE_ORDER_STATES = (Order.State.PAID, Order.State.PARTIALLY_REFUNDED)
COUNTED_REFUND_STATES = (Refund.State.PENDING, Refund.State.DONE, Refund.State.MANUAL)


def _error(message, code=SalesErrorCode.INVALID, conflict=False, **params):
    return SalesError(message, code=code, params=params, conflict=conflict)


# ------------------------------------------------------------------ order refund


def order_refund(
    *,
    house: House,
    actor: AbstractBaseUser | None,
    order: Order,
    tickets: list[Ticket] | None = None,
    reason: str = "",
) -> Refund:
    """Refund `tickets` of `order` (all its valid tickets when None).

    The amount is their prices plus their per-ticket service fees, plus the per-order
    fee when no valid ticket remains afterwards. The order becomes `refunded` or
    `partially_refunded`; refunding more than was paid is refused.
    """
    if order.house_id != house.pk:
        raise NotFound(_("This order does not exist."))
    refund, payment = _refund_reserve(
        house=house, actor=actor, order=order, tickets=tickets, reason=reason
    )
    if refund.state != Refund.State.PENDING:
        return refund
    provider = provider_get(payment.provider)
    try:
        # Outside any transaction; a gift voucher's part is not the provider's.
        result = provider.refund(payment, refund.amount - refund.to_voucher)
    except SalesError:
        _refund_failed(refund=refund, actor=actor)
        raise
    return _refund_complete(refund=refund, actor=actor, result=result)


def _refund_reserve(
    *, house: House, actor, order: Order, tickets, reason: str
) -> tuple[Refund, Payment | None]:
    with transaction.atomic(durable=True):
        locked = Order.objects.select_for_update().get(pk=order.pk, house=house)
        if locked.state not in REFUNDABLE_ORDER_STATES:
            raise _error(
                _("An order that is %(state)s cannot be refunded."),
                code=SalesErrorCode.ILLEGAL_TRANSITION,
                conflict=True,
                state=Order.State(locked.state).label,
            )
        if locked.refunds.filter(state=Refund.State.PENDING).count():
            raise _error(
                _("Another refund of this order is under way. Try again shortly."),
                code=SalesErrorCode.BUSY,
                conflict=True,
            )
        selected, whole = _selected_tickets(locked, tickets)
        amount = _refund_amount(locked, selected, whole)
        payment = _refundable_payment(locked)
        paid = _paid_total(locked) if payment else locked.total
        already = locked.refunds.filter(state__in=COUNTED_REFUND_STATES).aggregate(
            total=Sum("amount")
        )["total"] or Decimal("0.00")
        if already + amount > paid:
            raise _error(
                _("Refunding %(amount)s EUR would pay back more than was paid."),
                code=SalesErrorCode.REFUND_TOO_LARGE,
                conflict=True,
                amount=str(amount),
            )
        to_voucher = _voucher_part(locked, amount)
        money = amount - to_voucher  # what goes back through the payment
        provider = provider_get(payment.provider) if payment else None
        if money == 0:
            state = Refund.State.DONE
        elif (
            provider is not None
            and provider.supports_refund
            and money <= payment.amount
        ):
            state = Refund.State.PENDING
        else:
            state = Refund.State.MANUAL
        refund = Refund.objects.create(
            house=house,
            order=locked,
            payment=payment,
            amount=amount,
            to_voucher=to_voucher,
            state=state,
            reason=reason[:200],
            created_by=actor_user(actor),
        )
        refund.tickets.set(selected)
        audit_log(
            action="podium.sales.refund.created",
            obj=refund,
            actor=actor,
            data={
                "order": locked.code,
                "amount": str(amount),
                "to_voucher": str(to_voucher),
                "state": state,
                "tickets": [t.pk for t in selected],
                "reason": reason,
            },
        )
        if state != Refund.State.PENDING:
            _refund_apply(refund=refund, order=locked, actor=actor)
    order.refresh_from_db()
    return refund, payment


def _selected_tickets(order: Order, tickets) -> tuple[list[Ticket], bool]:
    valid = list(
        Ticket.objects.filter(
            house_id=order.house_id, order=order, state=Ticket.State.VALID
        ).order_by("pk")
    )
    if tickets is None:
        selected = valid
    else:
        wanted = {ticket.pk for ticket in tickets}
        selected = [ticket for ticket in valid if ticket.pk in wanted]
        if len(selected) != len(wanted):
            raise _error(
                _("Some of these tickets are not valid tickets of this order."),
            )
    if not selected:
        raise _error(_("There is nothing left to refund on this order."))
    return selected, len(selected) == len(valid)


def _refund_amount(order: Order, selected: list[Ticket], whole: bool) -> Decimal:
    fees = {
        row["kind"]: row["total"]
        for row in OrderFee.objects.filter(house_id=order.house_id, order=order)
        .values("kind")
        .annotate(total=Sum("amount"))
    }
    # Exchanged tickets were replaced one for one: their fees moved to the new ones.
    all_tickets = (
        Ticket.objects.filter(house_id=order.house_id, order=order)
        .exclude(state=Ticket.State.EXCHANGED)
        .count()
    )
    amount = sum((ticket.price for ticket in selected), Decimal("0.00"))
    per_ticket = fees.get(OrderFee.Kind.PER_TICKET, Decimal("0.00"))
    if per_ticket and all_tickets:
        amount += per_ticket * len(selected) / all_tickets
    if whole:
        amount += fees.get(OrderFee.Kind.PER_ORDER, Decimal("0.00"))
    return quantize(amount)


# A gift voucher's part of an order (passes): a refund puts it back onto the voucher
# (hooks.on_refund_to_voucher), never through a provider.
VOUCHER_PROVIDER = "voucher"


def _refundable_payment(order: Order) -> Payment | None:
    """The payment that paid the order (not one flagged as paid too late): the
    money, before a gift voucher's part, which no provider can pay back."""
    paid = [
        payment
        for payment in order.payments.filter(state=Payment.State.PAID).order_by("pk")
        if not payment.data.get("refund_due")
    ]
    money = [payment for payment in paid if payment.provider != VOUCHER_PROVIDER]
    return (money or paid or [None])[0]


def _voucher_part(order: Order, amount: Decimal) -> Decimal:
    """Of a refund of `amount`, what goes back onto the gift vouchers that paid part
    of the order: first, up to what they paid less what went back before."""
    by_voucher = sum(
        (
            payment.amount
            for payment in order.payments.filter(
                state=Payment.State.PAID, provider=VOUCHER_PROVIDER
            )
            if not payment.data.get("refund_due")
        ),
        Decimal("0.00"),
    )
    back = order.refunds.filter(state__in=COUNTED_REFUND_STATES).aggregate(
        total=Sum("to_voucher")
    )["total"] or Decimal("0.00")
    return min(amount, max(by_voucher - back, Decimal("0.00")))


def _paid_total(order: Order) -> Decimal:
    """What was paid for the order: its payment plus any exchange's extra payment."""
    return sum(
        (
            payment.amount
            for payment in order.payments.filter(state=Payment.State.PAID)
            if not payment.data.get("refund_due")
        ),
        Decimal("0.00"),
    )


def _refund_apply(*, refund: Refund, order: Order, actor) -> None:
    tickets = list(refund.tickets.order_by("pk"))
    tickets_release(tickets=tickets, state=Ticket.State.REFUNDED)
    remaining = (
        Ticket.objects.filter(house_id=order.house_id, order=order)
        .filter(state=Ticket.State.VALID)
        .count()
    )
    to = Order.State.PARTIALLY_REFUNDED if remaining else Order.State.REFUNDED
    order_transition(
        order=order, to=to, actor=actor, note=(refund.reason or "refund")[:200]
    )
    if refund.to_voucher:  # passes puts it back onto the vouchers
        for callback in hooks.refund_to_voucher_callbacks():
            callback(refund=refund)


def _refund_complete(*, refund: Refund, actor, result: RefundResult) -> Refund:
    with transaction.atomic(durable=True):
        order = Order.objects.select_for_update().get(
            pk=refund.order_id, house_id=refund.house_id
        )
        locked = Refund.objects.select_for_update().get(
            pk=refund.pk, house_id=refund.house_id
        )
        locked.state = result.state
        locked.external_id = result.external_id
        locked.save(update_fields=["state", "external_id", "updated_at"])
        audit_log(
            action="podium.sales.refund.done",
            obj=locked,
            actor=actor,
            data={"external_id": result.external_id, **result.data},
        )
        _refund_apply(refund=locked, order=order, actor=actor)
    return locked


def _refund_failed(*, refund: Refund, actor) -> None:
    with transaction.atomic(durable=True):
        Refund.objects.filter(
            pk=refund.pk, house_id=refund.house_id, state=Refund.State.PENDING
        ).update(state=Refund.State.FAILED, updated_at=timezone.now())
        refund.state = Refund.State.FAILED
        audit_log(action="podium.sales.refund.failed", obj=refund, actor=actor)


# ---------------------------------------------------------- cancel a performance


def performance_cancel_start(
    *,
    house: House,
    actor: AbstractBaseUser | None,
    performance: Performance,
    reason: str,
) -> PerformanceCancellation:
    """Cancel `performance` and create the job that refunds and mails its orders.

    The caller runs the job (`performance_cancel_run(job_id=…)`) after commit, in a
    worker or inline; the office shows `orders_done` / `orders_total` meanwhile.
    """
    if performance.house_id != house.pk:
        raise NotFound(_("This performance does not exist."))
    with transaction.atomic(durable=True):
        performance_update(
            house=house,
            actor=actor,
            performance=performance,
            status=Performance.Status.CANCELLED,
        )
        job = PerformanceCancellation.objects.create(
            house=house,
            performance=performance,
            orders_total=len(_job_order_ids(house, performance.pk)),
            message=reason,
            created_by=actor_user(actor),
        )
        audit_log(
            action="podium.sales.performance_cancellation.started",
            obj=job,
            actor=actor,
            data={"performance": performance.pk, "reason": reason},
        )
    return job


def _job_order_ids(house: House, performance_id: int) -> list[int]:
    # Every order with a ticket for the performance; an order that expired never
    # paid and holds nothing, so it is no work.
    return list(
        Order.objects.filter(house=house, tickets__performance_id=performance_id)
        .exclude(state=Order.State.EXPIRED)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def performance_cancel_run(*, job_id: int) -> PerformanceCancellation:
    """Refund or cancel, one by one, every order of the job's performance.

    Each order is handled in its own short transactions (a Mollie refund is an
    external call) and its buyer mailed after commit. Safe to run again: orders with
    nothing left for this performance are skipped, and progress counts from zero.
    """
    house_id = (
        PerformanceCancellation._base_manager.filter(pk=job_id)
        .values_list("house_id", flat=True)
        .first()
    )
    if house_id is None:
        raise NotFound(_("This cancellation does not exist."))
    house = House.objects.get(pk=house_id)
    with house_scope(house):
        job = PerformanceCancellation.objects.select_related(
            "performance", "created_by"
        ).get(pk=job_id, house=house)
        order_ids = _job_order_ids(house, job.performance_id)
        PerformanceCancellation.objects.filter(pk=job.pk, house=house).update(
            state=PerformanceCancellation.State.RUNNING,
            orders_total=len(order_ids),
            orders_done=0,
        )
        failures = []
        for order_id in order_ids:
            try:
                _cancel_order(job=job, house=house, order_id=order_id)
            except SalesError as error:
                logger.warning("Cancellation %s: order %s: %s", job.pk, order_id, error)
                failures.append(f"{order_id}: {error}")
            PerformanceCancellation.objects.filter(pk=job.pk, house=house).update(
                orders_done=F("orders_done") + 1
            )
        job.refresh_from_db()
        job.state = (
            PerformanceCancellation.State.FAILED
            if failures
            else PerformanceCancellation.State.DONE
        )
        if failures:
            job.message = "\n".join([job.message, *failures]).strip()
        job.save(update_fields=["state", "message", "updated_at"])
        audit_log(
            action=f"podium.sales.performance_cancellation.{job.state}",
            obj=job,
            actor=job.created_by,
            data={"orders": len(order_ids), "failed": len(failures)},
        )
    return job


def _cancel_order(*, job: PerformanceCancellation, house: House, order_id: int) -> None:
    order = Order.objects.get(pk=order_id, house=house)
    actor = job.created_by
    reason = _g("Performance cancelled")
    tickets = list(
        Ticket.objects.filter(
            house=house,
            order=order,
            performance_id=job.performance_id,
            state=Ticket.State.VALID,
        )
    )
    if not tickets:
        return  # done in an earlier run, or nothing to do
    if order.state == Order.State.PENDING:
        order_cancel(house=house, actor=actor, order=order, reason=reason)
        refund = None
    elif order.state in REFUNDABLE_ORDER_STATES:
        refund = order_refund(
            house=house, actor=actor, order=order, tickets=tickets, reason=reason
        )
    else:
        return
    transaction.on_commit(
        lambda: _mail_buyer(order_id=order.pk, house=house, job=job, refund=refund)
    )


def _mail_buyer(
    *, order_id: int, house: House, job: PerformanceCancellation, refund
) -> None:
    try:
        with house_scope(house):
            order = Order.objects.get(pk=order_id, house=house)
            subject, body = _cancellation_message(order, job.performance, refund)
        send_mail(
            subject,
            body,
            None,
            [order.buyer_email],
        )
    except Exception:
        logger.exception("Cancellation mail for order %s not sent", order_id)


def _cancellation_message(order: Order, performance: Performance, refund):
    house = order.house
    with translation.override(order.locale):
        moment = formats.date_format(
            timezone.localtime(performance.starts_at, ZoneInfo(house.timezone)),
            "DATETIME_FORMAT",
        )
        params = {
            "production": localize(performance.production.title, order.locale),
            "moment": moment,
            "name": order.buyer_name,
            "code": order.code,
            "house": house.name,
            "amount": f"{refund.amount:.2f}" if refund else "",
        }
        subject = _g("Cancelled: %(production)s on %(moment)s") % params
        lines = [
            _g("Dear %(name)s,") % params,
            "",
            _g("We are sorry: %(production)s on %(moment)s has been cancelled.")
            % params,
        ]
        if refund is None:
            lines.append(
                _g("Your order %(code)s is cancelled; you have not been charged.")
                % params
            )
        elif refund.state == Refund.State.MANUAL:
            lines.append(
                _g(
                    "We will pay back %(amount)s EUR for order %(code)s; "
                    "we will contact you about how."
                )
                % params
            )
        else:
            lines.append(
                _g(
                    "We have refunded %(amount)s EUR for order %(code)s to the "
                    "account you paid with."
                )
                % params
            )
        lines += ["", _g("Kind regards,"), house.name]
    return subject, "\n".join(lines)
