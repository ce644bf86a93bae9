"""Money in and out: payments, refunds, imported bank transactions, performance
cancellations (their refunds job) and the box-office register closings."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.catalog.models import Performance
from podium.core.models import BaseModel
from podium.tenancy.models import House

from .orders import Order, Ticket
from .prices import MONEY


class Payment(BaseModel):
    class State(models.TextChoices):
        CREATED = "created", _("Created")
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        # A gift voucher's part of an order that expired or was cancelled unpaid:
        # the amount went back onto the voucher.
        GIVEN_BACK = "given_back", _("Given back")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    provider = models.CharField(max_length=30)
    amount = models.DecimalField(**MONEY)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.CREATED
    )
    external_id = models.CharField(max_length=100, blank=True, db_index=True)
    structured_communication = models.CharField(
        max_length=20, blank=True, db_index=True
    )
    checkout_url = models.URLField(max_length=500, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["pk"]


class Refund(BaseModel):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        MANUAL = "manual", _("To be paid back by hand")
        FAILED = "failed", _("Failed")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    amount = models.DecimalField(**MONEY)
    # Of `amount`, what went back onto the gift vouchers that paid part of the
    # order (passes puts it back); the rest goes back through `payment`.
    to_voucher = models.DecimalField(default=Decimal("0.00"), **MONEY)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    external_id = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    # How the money went back when not through `payment`'s own method: "cash" for
    # the difference of an exchange paid back at the desk. Empty: as `payment`.
    method = models.CharField(max_length=30, blank=True)
    tickets = models.ManyToManyField(Ticket, blank=True, related_name="refunds")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager(house="house")


class BankTransaction(BaseModel):
    """A credit line from an imported bank statement (CODA or CSV), matched or not."""

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    booked_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    communication = models.CharField(max_length=200, blank=True)
    counterparty_name = models.CharField(max_length=200, blank=True)
    counterparty_account = models.CharField(max_length=40, blank=True)
    bank_reference = models.CharField(max_length=100)
    payment = models.ForeignKey(
        Payment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bank_transactions",
    )
    note = models.CharField(max_length=200, blank=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["-booked_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["house", "bank_reference"], name="bank_transaction_once"
            )
        ]


class PerformanceCancellation(BaseModel):
    """A bulk job: cancel a performance, refund and mail all its orders, with progress."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    performance = models.ForeignKey(
        Performance, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.RUNNING
    )
    orders_total = models.PositiveIntegerField(default=0)
    orders_done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager(house="house")


class RegisterClosing(BaseModel):
    """A staff member's cash count at the end of a box-office day (the kassa closed).

    `expected_cash` is what the day report says should be in the drawer (cash taken
    minus cash paid back by that person); `difference` is counted minus expected.
    """

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    closed_at = models.DateTimeField(_("closed at"))
    counted_cash = models.DecimalField(_("cash counted"), **MONEY)
    expected_cash = models.DecimalField(_("cash expected"), **MONEY)
    difference = models.DecimalField(_("difference"), **MONEY)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["day", "closed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["house", "user", "day"], name="register_closing_once"
            ),
            models.CheckConstraint(
                name="register_closing_difference",
                condition=Q(difference=F("counted_cash") - F("expected_cash")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
