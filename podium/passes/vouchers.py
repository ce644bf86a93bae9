"""Gift vouchers (cadeaubonnen): sold with a value, spent over one or more orders.

    voucher_buy          a pending order with the voucher as its only line, and the
                         GiftVoucher (state "pending") in the same transaction
    vouchers_activate    the order-paid hook: the voucher becomes spendable and the
                         buyer gets it as a PDF by e-mail
    voucher_pay          pays (part of) a pending order from a voucher: what is due
                         or the balance, whichever is less; the order is paid when
                         nothing is left to pay
    vouchers_give_back   the order-released hook: an order that expired or was
                         cancelled unpaid gives its voucher parts back
    vouchers_refund      the refund hook: a refund's voucher part of a paid order
                         goes back onto the vouchers that paid it

The balance never goes below zero: the voucher row is locked, the spend is one
conditional UPDATE (`balance >= amount`) and a check constraint backs both.
A voucher is sold without VAT (a multi-purpose voucher: VAT is due on what it buys).
"""

import logging
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.customers.models import Customer
from podium.sales.models import Order, OrderItem, Payment, VatRate
from podium.sales.selectors import order_amount_due
from podium.sales.services.orders import (
    ItemLine,
    order_items_place,
    order_mark_paid,
)
from podium.tenancy.models import House

from .codes import code_clean, code_new
from .errors import PassesError, PassesErrorCode
from .models import GiftVoucher, VoucherUse

logger = logging.getLogger(__name__)

MIN_VALUE = Decimal("5.00")
MAX_VALUE = Decimal("500.00")
VALID_MONTHS = 12  # Belgian law: a gift voucher is valid for at least a year


def _refuse(message, field="voucher_code", code=PassesErrorCode.INVALID, **params):
    return PassesError(message, code=code, field=field, params=params)


def voucher_code_new() -> str:
    """A fresh code, 12 characters in three groups (about 59 bits: not guessable)."""
    return code_new(
        length=12,
        taken=lambda code: GiftVoucher._base_manager.filter(code=code).exists(),
    )


def voucher_code_clean(code: str) -> str:
    """Typed with or without dashes, spaces or capitals: the stored form."""
    return code_clean(code, length=12)


def voucher_value_parse(value) -> Decimal:
    """The value of a voucher to sell: whole cents, MIN_VALUE to MAX_VALUE euros."""
    try:
        amount = Decimal(str(value).replace(",", ".").replace("€", "").strip())
    except (InvalidOperation, ValueError):
        raise _refuse(_("Enter an amount in euros."), field="value") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise _refuse(_("Enter an amount in euros."), field="value")
    if not MIN_VALUE <= amount <= MAX_VALUE:
        raise _refuse(
            _("A gift voucher is worth between %(min)s and %(max)s euros."),
            field="value",
            min=int(MIN_VALUE),
            max=int(MAX_VALUE),
        )
    return amount.quantize(Decimal("0.01"))


def voucher_find(*, house: House, code: str) -> GiftVoucher | None:
    """The house's voucher with this code, whatever its state."""
    cleaned = voucher_code_clean(code)
    if not cleaned:
        return None
    return GiftVoucher.objects.filter(house_id=house.pk, code=cleaned).first()


def voucher_find_in_cluster(*, cluster, code: str) -> GiftVoucher | None:
    """The voucher with this code of any house of `cluster` (not a cancelled one):
    the shop's balance page."""
    return (
        GiftVoucher.objects.filter(
            house__cluster=cluster, code=voucher_code_clean(code)
        )
        .exclude(state=GiftVoucher.State.CANCELLED)
        .select_related("house")
        .first()
    )


def vouchers_of_order(order: Order) -> QuerySet[GiftVoucher]:
    """The spendable vouchers a paid order bought."""
    return GiftVoucher.objects.filter(
        house_id=order.house_id, order=order, state=GiftVoucher.State.ACTIVE
    ).select_related("house")


@transaction.atomic(durable=True)
def voucher_buy(
    *,
    house: House,
    actor,
    value,
    buyer_name: str,
    buyer_email: str,
    recipient_name: str = "",
    message: str = "",
    customer: Customer | None = None,
    channel: str = Order.Channel.WEB,
    locale: str = "nl",
) -> GiftVoucher:
    """A pending order for one gift voucher of `value`, and the voucher awaiting
    that payment (it cannot be spent before)."""
    amount = voucher_value_parse(value)
    if len(recipient_name.strip()) > 200:
        raise _refuse(
            _("The name can be at most 200 characters long."), field="recipient_name"
        )
    if len(message.strip()) > 300:
        raise _refuse(
            _("The message can be at most 300 characters long."), field="message"
        )
    order = order_items_place(
        house=house,
        actor=actor,
        items=[
            ItemLine(
                kind=OrderItem.Kind.VOUCHER,
                description=str(_("Gift voucher of € %(value)s") % {"value": amount}),
                amount=amount,
                vat_rate=VatRate.ZERO,
            )
        ],
        buyer_name=buyer_name,
        buyer_email=buyer_email,
        locale=locale,
        channel=channel,
        customer=customer,
    )
    voucher = GiftVoucher.objects.create(
        house=house,
        code=voucher_code_new(),
        value=amount,
        balance=amount,
        expires_on=timezone.localdate() + relativedelta(months=VALID_MONTHS),
        buyer_name=buyer_name.strip(),
        buyer_email=buyer_email.strip(),
        recipient_name=recipient_name.strip(),
        message=message.strip(),
        order=order,
    )
    audit_log(
        action="podium.passes.voucher.ordered",
        obj=voucher,
        actor=actor,
        data={"order": order.code, "value": str(amount)},
    )
    return voucher


def vouchers_activate(order_id: int) -> list[GiftVoucher]:
    """The order-paid hook: the order's pending vouchers become spendable and go to
    the buyer as a PDF (unless sold at the desk without an e-mail address)."""
    from .tasks import mail_later, voucher_mail_task

    with transaction.atomic():
        pending = list(
            GiftVoucher._base_manager.select_for_update().filter(
                order_id=order_id, state=GiftVoucher.State.PENDING
            )
        )
        for voucher in pending:
            GiftVoucher._base_manager.filter(
                pk=voucher.pk, state=GiftVoucher.State.PENDING
            ).update(state=GiftVoucher.State.ACTIVE)
            audit_log(
                action="podium.passes.voucher.activated",
                obj=voucher,
                actor=None,
                data={"value": str(voucher.value)},
            )
            transaction.on_commit(
                lambda pk=voucher.pk: mail_later(voucher_mail_task, pk)
            )
    return pending


def _check_spendable(voucher: GiftVoucher | None, today: date) -> GiftVoucher:
    if voucher is None or voucher.state == GiftVoucher.State.CANCELLED:
        raise _refuse(_("This gift voucher code is not known. Check it and try again."))
    if voucher.state == GiftVoucher.State.PENDING:
        raise _refuse(_("This gift voucher has not been paid yet."))
    if voucher.expires_on < today:
        raise _refuse(
            _("This gift voucher expired on %(date)s."),
            date=formats.date_format(voucher.expires_on, "SHORT_DATE_FORMAT"),
        )
    if voucher.balance <= 0:
        raise _refuse(_("This gift voucher has been used up."))
    return voucher


def voucher_usable(*, house: House, code: str) -> GiftVoucher:
    """The house's voucher with this code when it can pay now, else a refusal that
    says why (unknown, not paid yet, expired, used up): checked before an order is
    placed, so the buyer corrects a typo first."""
    return _check_spendable(voucher_find(house=house, code=code), timezone.localdate())


@transaction.atomic(durable=True)
def voucher_pay(
    *, house: House, actor, order: Order, code: str, now: datetime | None = None
) -> VoucherUse:
    """Pay what the order still owes from the voucher, up to its balance; when
    nothing is left to pay the order is paid. A clear refusal when the code is
    unknown, not yet paid, expired or used up, or the order cannot take it."""
    now = now or timezone.now()
    locked = Order.objects.select_for_update().filter(pk=order.pk).first()
    if locked is None or locked.house_id != house.pk:
        raise NotFound(_("Order not found."))
    if locked.state != Order.State.PENDING:
        raise _refuse(_("This order cannot be paid any more."))
    if locked.items.filter(kind=OrderItem.Kind.VOUCHER).exists():
        raise _refuse(_("A gift voucher cannot pay for another gift voucher."))
    voucher = (
        GiftVoucher.objects.select_for_update()
        .filter(house_id=house.pk, code=voucher_code_clean(code))
        .first()
    )
    _check_spendable(voucher, timezone.localdate(now))
    due = order_amount_due(order=locked)
    amount = min(voucher.balance, due)
    if amount <= 0:
        raise _refuse(_("Nothing is left to pay on this order."))
    spent = GiftVoucher.objects.filter(
        pk=voucher.pk, state=GiftVoucher.State.ACTIVE, balance__gte=amount
    ).update(balance=F("balance") - amount)
    if spent != 1:  # only without row locks (SQLite) could a twin get here first
        raise _refuse(_("This gift voucher has been used up."))
    payment = Payment.objects.create(
        house=house,
        order=locked,
        provider="voucher",
        amount=amount,
        state=Payment.State.PAID,
        paid_at=now,
        data={"voucher": voucher.code},
    )
    use = VoucherUse.objects.create(
        house=house, voucher=voucher, order=locked, payment=payment, amount=amount
    )
    audit_log(
        action="podium.passes.voucher.spent",
        obj=voucher,
        actor=actor,
        data={"order": locked.code, "amount": str(amount)},
    )
    if amount >= due:
        order_mark_paid(order=locked, actor=actor, note=f"gift voucher {voucher.code}")
    order.refresh_from_db()
    return use


def vouchers_give_back(*, order: Order, from_state: str) -> int:
    """The order-released hook: the voucher parts of an order that expired or was
    cancelled while unpaid go back onto their vouchers (once); vouchers bought in
    the order are cancelled, paid or not (what was spent of them stays spent)."""
    GiftVoucher.objects.filter(
        house_id=order.house_id,
        order=order,
        state__in=(GiftVoucher.State.PENDING, GiftVoucher.State.ACTIVE),
    ).update(state=GiftVoucher.State.CANCELLED)
    if from_state != Order.State.PENDING:
        return 0  # a paid order's money goes back through a refund
    given = 0
    for use in VoucherUse.objects.filter(
        house_id=order.house_id, order=order, given_back_at__isnull=True
    ).order_by("pk"):
        if (
            VoucherUse.objects.filter(pk=use.pk, given_back_at__isnull=True).update(
                given_back_at=timezone.now()
            )
            != 1
        ):
            continue
        GiftVoucher.objects.filter(pk=use.voucher_id).update(
            balance=F("balance") + use.amount
        )
        Payment.objects.filter(pk=use.payment_id).update(state=Payment.State.GIVEN_BACK)
        audit_log(
            action="podium.passes.voucher.given_back",
            obj=use.voucher,
            actor=None,
            data={"order": order.code, "amount": str(use.amount)},
        )
        given += 1
    return given


def vouchers_refund(*, refund) -> Decimal:
    """The refund hook: the refund's `to_voucher` part goes back onto the vouchers
    that paid the order, the latest use first, each at most what it paid (and not
    yet got back). Runs in the refund's transaction; returns what was put back."""
    left = refund.to_voucher
    for use in (
        VoucherUse.objects.select_for_update()
        .filter(
            house_id=refund.house_id,
            order_id=refund.order_id,
            given_back_at__isnull=True,
        )
        .order_by("-pk")
    ):
        part = min(left, use.amount - use.refunded)
        if part <= 0:
            continue
        VoucherUse.objects.filter(pk=use.pk).update(refunded=F("refunded") + part)
        GiftVoucher.objects.filter(pk=use.voucher_id).update(
            balance=F("balance") + part
        )
        audit_log(
            action="podium.passes.voucher.refunded",
            obj=use.voucher,
            actor=None,
            data={"refund": refund.pk, "amount": str(part)},
        )
        left -= part
        if left <= 0:
            break
    if left > 0:
        logger.error("Refund %s: %s could not go back onto a voucher", refund.pk, left)
    return refund.to_voucher - left
