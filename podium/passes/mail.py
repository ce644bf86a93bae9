"""E-mails of friends passes and gift vouchers: the pass once paid, the voucher PDF
once paid, and the renewal reminder before a pass ends.

Sent after the payment committed (from the order-paid hooks) or by the daily task.
A mail that cannot be built or delivered is logged and reported as False; it never
raises into the caller, so it cannot undo a payment.
"""

import logging
from datetime import datetime
from email.utils import formataddr, parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from podium.core.i18n import localize
from podium.tenancy.models import House
from podium.tenancy.scoping import house_scope

from .memberships import memberships_due_for_reminder
from .models import GiftVoucher, Membership
from .voucher_pdf import voucher_pdf

logger = logging.getLogger(__name__)


def shop_link(house: House, path: str) -> str:
    """An absolute link into the house's webshop, for an e-mail."""
    base = getattr(settings, "PODIUM_PUBLIC_URL", "").rstrip("/")
    if not base and house.cluster.domain:
        base = f"https://{house.cluster.domain}"
    return f"{base}{path}"


def _message(house: House, *, to_name, to_email, subject, template, context):
    text = render_to_string(template, {"house": house, **context})
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=text,
        from_email=formataddr((house.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        to=[formataddr((to_name, to_email))],
        reply_to=[house.email] if house.email else None,
    )


def _locale(order) -> str:
    return order.locale if order is not None else "nl"


def _send(kind: str, model, pk: int, build) -> bool:
    try:
        house_id = (
            model._base_manager.filter(pk=pk).values_list("house_id", flat=True).first()
        )
        if house_id is None:
            return False
        house = House.objects.select_related("cluster").get(pk=house_id)
        with house_scope(house):
            obj = model.objects.select_related("order").get(pk=pk, house=house)
            if (
                kind != "Renewal reminder"
                and obj.order
                and not obj.order.send_confirmation
            ):
                logger.debug("%s %s: its order asked for no mail", kind, pk)
                return False
            with (
                translation.override(_locale(obj.order)),
                timezone.override(ZoneInfo(house.timezone)),
            ):
                message = build(house, obj)
            if message is None:
                return False
            message.send()
        logger.info("%s %s sent", kind, pk)
        return True
    except Exception:
        logger.exception("%s %s could not be sent", kind, pk)
        return False


def membership_mail_send(membership_id: int) -> bool:
    """The holder's friends pass: its number, validity and what it gives."""

    def build(house, membership: Membership):
        if not membership.holder_email:
            return None
        name = localize(membership.type.name)
        return _message(
            house,
            to_name=membership.holder_name,
            to_email=membership.holder_email,
            subject=_("Your %(pass)s: %(number)s")
            % {
                "pass": name,
                "number": membership.number,
            },
            template="passes/membership_mail.txt",
            context={"membership": membership, "type_name": name},
        )

    return _send("Friends pass mail", Membership, membership_id, build)


def voucher_mail_send(voucher_id: int) -> bool:
    """The buyer's gift voucher, as a PDF to print or forward."""

    def build(house, voucher: GiftVoucher):
        if not voucher.buyer_email:
            return None
        message = _message(
            house,
            to_name=voucher.buyer_name,
            to_email=voucher.buyer_email,
            subject=_("Your gift voucher for %(house)s") % {"house": house.name},
            template="passes/voucher_mail.txt",
            context={
                "voucher": voucher,
                "balance_link": shop_link(house, reverse("shop:voucher-balance")),
            },
        )
        message.attach(f"cadeaubon-{voucher.code}.pdf", voucher_pdf(voucher))
        return message

    return _send("Gift voucher mail", GiftVoucher, voucher_id, build)


def membership_reminder_send(membership_id: int) -> bool:
    """The reminder that a pass ends soon, with a link to renew it."""

    def build(house, membership: Membership):
        return _message(
            house,
            to_name=membership.holder_name,
            to_email=membership.holder_email,
            subject=_("Your %(pass)s ends on %(date)s")
            % {
                "pass": localize(membership.type.name),
                "date": membership.valid_until.strftime("%d/%m/%Y"),
            },
            template="passes/membership_reminder.txt",
            context={
                "membership": membership,
                "type_name": localize(membership.type.name),
                "renew_link": shop_link(
                    house, reverse("shop:membership", args=[house.slug])
                ),
            },
        )

    return _send("Renewal reminder", Membership, membership_id, build)


def membership_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every pass that ends within the reminder period, once; returns how
    many mails went out. A pass is marked before its mail is sent, so two runs at
    once never send twice (a failed mail is logged, not retried)."""
    sent = 0
    for membership_id in list(
        memberships_due_for_reminder(now=now).values_list("pk", flat=True)
    ):
        claimed = Membership._base_manager.filter(
            pk=membership_id, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now or timezone.now())
        if claimed and membership_reminder_send(membership_id):
            sent += 1
    return sent
