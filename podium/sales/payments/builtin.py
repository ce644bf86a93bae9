"""The providers that need no external service: free, cash, card terminal, bank transfer."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Payment, SalesSettings
from .base import (
    BankInstructions,
    Channel,
    NextStep,
    PaymentProvider,
    PaymentStart,
    RefundResult,
    RefundState,
)
from .ogm import ogm_from_number


class FreeProvider(PaymentProvider):
    """Orders of 0 EUR (free invitations): paid at once, nothing to pay back."""

    name = "free"
    label = _("Free")
    free_only = True
    supports_refund = True

    def start(self, payment: Payment) -> PaymentStart:
        return PaymentStart(next_step=NextStep.NONE, paid=True)

    def refund(self, payment: Payment, amount: Decimal) -> RefundResult:
        return RefundResult(state=RefundState.DONE)


class _BoxOfficeProvider(PaymentProvider):
    """Paid on the spot at the box office; a refund is cash-back recorded by hand."""

    channels = frozenset({Channel.BOX_OFFICE})
    box_office = True

    def start(self, payment: Payment) -> PaymentStart:
        return PaymentStart(next_step=NextStep.NONE, paid=True)


class CashProvider(_BoxOfficeProvider):
    name = "cash"
    label = _("Cash")


class CardTerminalProvider(_BoxOfficeProvider):
    name = "card_terminal"
    label = _("Card terminal")


class BankTransferProvider(PaymentProvider):
    """A transfer with a structured communication, matched from a bank statement.

    The communication is made from the payment's id, so it is unique per payment.
    The order may wait `bank_transfer_days` (to the end of that day in the house's
    time zone) instead of the short online payment time.
    """

    name = "bank_transfer"
    label = _("Bank transfer")
    channels = frozenset(
        {Channel.WEB, Channel.PHONE, Channel.EMAIL, Channel.BOX_OFFICE, Channel.PARTNER}
    )

    def available(self, settings: SalesSettings) -> bool:
        return bool(settings.bank_account_iban)

    def deadline(self, settings: SalesSettings, now: datetime) -> datetime:
        zone = ZoneInfo(settings.house.timezone)
        day = timezone.localtime(now, zone).date() + timedelta(
            days=settings.bank_transfer_days
        )
        return datetime.combine(day, time(23, 59, 59), tzinfo=zone)

    def start(self, payment: Payment) -> PaymentStart:
        order = payment.order
        settings = SalesSettings.objects.get(house_id=payment.house_id)
        communication = ogm_from_number(payment.pk)
        return PaymentStart(
            next_step=NextStep.BANK_TRANSFER,
            bank=BankInstructions(
                iban=settings.bank_account_iban,
                beneficiary=order.house.legal_name or order.house.name,
                amount=payment.amount,
                communication=communication,
                deadline=order.payment_deadline,
            ),
        )
