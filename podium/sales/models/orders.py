"""From a basket to tickets: baskets and their holds, orders with their history,
tickets, fees and non-ticket lines, and the keys that sign tickets."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import (
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.catalog.models import Performance
from podium.core.models import BaseModel
from podium.customers.models import Customer
from podium.tenancy.models import House

from .prices import MONEY, PriceCategory, PromoCode, Tariff


class Basket(BaseModel):
    """A visitor's (or a box-office session's) claimed places, held for a set time."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=43, unique=True)
    expires_at = models.DateTimeField()
    channel = models.CharField(max_length=20, default="web")
    # A reservation (by phone, at the desk): for whom, how to reach them, and who
    # took it; kept until `expires_at`, then its places go back by themselves.
    reserved_for = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    promo_code = models.ForeignKey(
        PromoCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The friends pass the basket is bought with (set by passes: the signed-in
    # member's, or typed at the desk): it unlocks member tariffs and early access.
    member_pass = models.CharField(max_length=20, blank=True)

    objects = ScopedManager(house="house")

    def __str__(self) -> str:
        return f"basket {self.pk}"


class Hold(BaseModel):
    """Places of one tariff of one performance, claimed for a basket until expiry."""

    class State(models.TextChoices):
        HELD = "held", _("Held")
        ORDERED = "ordered", _("Ordered")
        RELEASED = "released", _("Released")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="holds")
    performance = models.ForeignKey(
        Performance, on_delete=models.CASCADE, related_name="+"
    )
    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    quota_ids = models.JSONField(default=list)
    # The seats claimed (ids the seat claimer gave out), one per place, or none for
    # general admission.
    seat_ids = models.JSONField(default=list)
    # The price of one place when it is not the tariff's: a subscription spreads its
    # total over its tickets (see pricing.hold_unit_price), or a promo code (then
    # `promo_code` is set) lowers it. Empty: the tariff's price.
    unit_price = models.DecimalField(null=True, blank=True, **MONEY)
    promo_code = models.ForeignKey(
        PromoCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.HELD)
    expires_at = models.DateTimeField(db_index=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["performance", "state", "expires_at"])]


class Order(BaseModel):
    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
        REFUNDED = "refunded", _("Refunded")

    class Channel(models.TextChoices):
        WEB = "web", _("Webshop")
        BOX_OFFICE = "box_office", _("Box office")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        PARTNER = "partner", _("Partner (API)")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=12, unique=True)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.PENDING
    )
    channel = models.CharField(
        max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    buyer_name = models.CharField(_("name"), max_length=200, blank=True)
    buyer_email = models.EmailField(_("e-mail"), blank=True)  # empty: sold at the desk
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    company_vat = models.CharField(_("company VAT number"), max_length=20, blank=True)
    locale = models.CharField(max_length=5, default="nl")
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    # False when the buyer takes printed tickets at the desk or the sale was imported:
    # no confirmation mail is sent on payment (staff can still send one).
    send_confirmation = models.BooleanField(default=True)
    total = models.DecimalField(default=Decimal("0.00"), **MONEY)
    payment_deadline = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)
    # The promo code that lowered or unlocked its prices (counted once in its uses).
    promo_code = models.ForeignKey(
        PromoCode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # The friends pass its member tariffs were bought with (from the basket).
    member_pass = models.CharField(max_length=20, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["house", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="order_idempotency_key_unique",
            )
        ]
        indexes = [models.Index(fields=["state", "payment_deadline"])]

    def __str__(self) -> str:
        return self.code


class OrderTransition(models.Model):
    """Every state change of an order: from, to, who and when."""

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True, default="")
    note = models.CharField(max_length=200, blank=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"


class Ticket(BaseModel):
    """One admission, with its price snapshot and the signed secret in its QR code."""

    class State(models.TextChoices):
        VALID = "valid", _("Valid")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")
        EXCHANGED = "exchanged", _("Exchanged")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tickets")
    performance = models.ForeignKey(
        Performance, on_delete=models.PROTECT, related_name="tickets"
    )
    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        PriceCategory, on_delete=models.PROTECT, related_name="+"
    )
    quota_ids = models.JSONField(default=list)
    # A seated ticket's seat: the seat claimer's id and its label when sold
    # ("Balkon, rij C, stoel 12"); general admission leaves both empty.
    seat_id = models.BigIntegerField(null=True, blank=True)
    seat_label = models.CharField(max_length=120, blank=True)
    # Whose name the ticket carries when it is not the buyer's (a gift, a group).
    holder_name = models.CharField(_("ticket holder"), max_length=200, blank=True)
    price = models.DecimalField(**MONEY)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(**MONEY)
    net_amount = models.DecimalField(**MONEY)
    state = models.CharField(max_length=10, choices=State.choices, default=State.VALID)
    secret = models.CharField(max_length=64, unique=True)
    version = models.PositiveSmallIntegerField(default=1)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["pk"]


class OrderFee(BaseModel):
    class Kind(models.TextChoices):
        PER_TICKET = "per_ticket", _("Service fee per ticket")
        PER_ORDER = "per_order", _("Service fee per order")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(**MONEY)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(**MONEY)
    net_amount = models.DecimalField(**MONEY)

    objects = ScopedManager(house="house")


class OrderItem(BaseModel):
    """A line of an order that is not a ticket: a friends pass or a gift voucher.

    Sales only prices and records it; the app that sells it (passes) makes the pass
    or voucher and hands it over once the order is paid.
    """

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", _("Friends pass")
        VOUCHER = "voucher", _("Gift voucher")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    vat_amount = models.DecimalField(**MONEY)
    net_amount = models.DecimalField(**MONEY)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="order_item_amount_not_negative", condition=Q(amount__gte=0)
            )
        ]

    def __str__(self) -> str:
        return self.description


class SigningKey(BaseModel):
    """A house's Ed25519 key pair; tickets are signed with it, scanners hold the public key.

    The private key is stored encrypted with a key derived from the deployment secret.
    """

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64)
    private_key_encrypted = models.TextField()
    is_active = models.BooleanField(default=True)

    objects = ScopedManager(house="house")
