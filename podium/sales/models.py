"""What a house sells and how much of it exists: prices, quotas, holds, orders, tickets.

Every model is house-owned (a direct `house` key, scoped by django-scopes). Amounts are
Decimal euros including VAT; each ticket and fee snapshots its price and VAT split.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.catalog.models import Performance, Production
from podium.core.i18n import I18nField, localize
from podium.core.models import BaseModel
from podium.customers.models import Customer
from podium.tenancy.models import House

MONEY = {"max_digits": 12, "decimal_places": 2}


class VatRate(models.TextChoices):
    """Belgian VAT: 6 % on admission to culture, 21 % on most other things."""

    REDUCED = "6.00", _("6 % (admission to culture)")
    STANDARD = "21.00", _("21 %")
    ZERO = "0.00", _("0 % (exempt)")


class SalesSettings(BaseModel):
    """A house's sales configuration (typed fields, not a key-value store)."""

    house = models.OneToOneField(
        House, on_delete=models.CASCADE, related_name="sales_settings"
    )
    hold_minutes = models.PositiveSmallIntegerField(
        _("basket hold (minutes)"), default=15, validators=[MinValueValidator(1)]
    )
    payment_minutes = models.PositiveSmallIntegerField(
        _("time to pay online (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    bank_transfer_days = models.PositiveSmallIntegerField(
        _("time to pay by bank transfer (days)"), default=5
    )
    fee_per_ticket = models.DecimalField(
        _("service fee per ticket"), default=Decimal("0.00"), **MONEY
    )
    fee_per_order = models.DecimalField(
        _("service fee per order"), default=Decimal("0.00"), **MONEY
    )
    fee_vat_rate = models.CharField(
        _("VAT rate on fees"),
        max_length=6,
        choices=VatRate.choices,
        default=VatRate.STANDARD,
    )
    max_tickets_per_order = models.PositiveSmallIntegerField(
        _("maximum tickets per order"), default=20
    )
    bank_account_iban = models.CharField(
        _("IBAN for bank transfers"), max_length=34, blank=True
    )
    mollie_api_key = models.CharField(
        _("Mollie API key"), max_length=100, blank=True, help_text=_("live_… or test_…")
    )

    objects = ScopedManager(house="house")

    def __str__(self) -> str:
        return f"{self.house} sales settings"


class PriceCategory(BaseModel):
    """A rank or zone of a production (rang 1, rang 2, balcony); seats map to one."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    production = models.ForeignKey(
        Production, on_delete=models.CASCADE, related_name="price_categories"
    )
    name = I18nField(_("name"))
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return localize(self.name)


class Tariff(BaseModel):
    """A price for one category: full, reduced, social... with its conditions.

    Tariffs with `performance` empty form the production's price list; a performance
    uses its own tariffs once it has any (copied from the production on first change).
    """

    class Kind(models.TextChoices):
        FULL = "full", _("Full price")
        UNDER_26 = "under_26", _("Under 26")
        SENIOR = "senior", _("65+")
        STUDENT = "student", _("Student")
        JOB_SEEKER = "job_seeker", _("Job seeker")
        GROUP = "group", _("Group")
        SOCIAL = "social", _("Social tariff (UiTPAS reduced rate)")
        MEMBER = "member", _("Member")
        INVITATION = "invitation", _("Free invitation")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    production = models.ForeignKey(
        Production, on_delete=models.CASCADE, related_name="tariffs"
    )
    performance = models.ForeignKey(
        Performance,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tariffs",
    )
    category = models.ForeignKey(
        PriceCategory, on_delete=models.PROTECT, related_name="tariffs"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.FULL
    )
    name = I18nField(_("name"), blank=True)
    price = models.DecimalField(
        _("price incl. VAT"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    vat_rate = models.CharField(
        _("VAT rate"), max_length=6, choices=VatRate.choices, default=VatRate.REDUCED
    )
    requires_proof = models.BooleanField(_("proof required at the door"), default=False)
    box_office_only = models.BooleanField(_("box office only"), default=False)
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    max_per_order = models.PositiveSmallIntegerField(
        _("maximum per order"), null=True, blank=True
    )
    min_per_order = models.PositiveSmallIntegerField(
        _("minimum per order"), null=True, blank=True
    )
    # Hidden: never listed nor sold online without a promo code that unlocks it
    # (see promo.py); staff channels sell it at the desk without one.
    requires_code = models.BooleanField(
        _("hidden: only with a promo code"), default=False
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["category__position", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="tariff_price_not_negative", condition=Q(price__gte=0)
            ),
            models.CheckConstraint(
                name="tariff_window_order",
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_from__lt=F("available_until")),
            ),
        ]

    def __str__(self) -> str:
        return localize(self.name) or self.get_kind_display()


class Quota(BaseModel):
    """A count of general-admission places; a sale consumes every quota it falls in.

    `used` counts held and sold places. It is only ever changed by one conditional
    UPDATE that the database checks (`used + n <= size`), never read-then-write.
    An empty `categories` means the quota covers every category of the performance.
    A quota `for_subscriptions` is capacity kept for season subscriptions: single
    tickets never consume it; a subscription takes it first and falls back to the
    other quotas when it is full (see inventory.SubscriptionQuotaClaimer).
    """

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    performance = models.ForeignKey(
        Performance, on_delete=models.CASCADE, related_name="quotas"
    )
    name = models.CharField(_("name"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    used = models.PositiveIntegerField(default=0)
    categories = models.ManyToManyField(
        PriceCategory, blank=True, related_name="quotas"
    )
    for_subscriptions = models.BooleanField(_("kept for subscriptions"), default=False)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="quota_used_within_size", condition=Q(used__lte=F("size"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.used}/{self.size})"

    @property
    def available(self) -> int:
        return max(self.size - self.used, 0)


class PromoCode(BaseModel):
    """A code a visitor enters: a percentage or an amount off each ticket in its scope,
    or access to hidden tariffs (`Tariff.requires_code`). See promo.py for the rules.

    The scope (productions, performances, tariffs) narrows per non-empty list; all
    empty: everything of the house. `uses` counts the orders that carry the code and
    only changes by one conditional UPDATE at placement (`uses < max_uses`).
    """

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percentage off")
        AMOUNT = "amount", _("Amount off per ticket")
        UNLOCK = "unlock", _("Unlocks hidden tariffs")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^[A-Z0-9-]{3,40}$",
                _("Use 3 to 40 letters, digits or hyphens (no spaces or accents)."),
            )
        ],
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.PERCENT
    )
    value = models.DecimalField(
        _("value"),
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    productions = models.ManyToManyField(
        Production, blank=True, related_name="+", verbose_name=_("productions")
    )
    performances = models.ManyToManyField(
        Performance, blank=True, related_name="+", verbose_name=_("performances")
    )
    tariffs = models.ManyToManyField(
        Tariff, blank=True, related_name="+", verbose_name=_("tariffs")
    )
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(
        _("maximum number of orders"), null=True, blank=True
    )
    max_per_order = models.PositiveSmallIntegerField(
        _("maximum tickets per order"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(999)],
    )
    uses = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["code", "pk"]
        constraints = [
            models.UniqueConstraint(
                Upper("code"), "house", name="promo_code_unique_per_house"
            ),
            models.CheckConstraint(
                name="promo_code_uses_within_max",
                condition=Q(max_uses__isnull=True) | Q(uses__lte=F("max_uses")),
            ),
            models.CheckConstraint(
                name="promo_code_value_valid",
                condition=Q(value__gte=0) & (~Q(kind="percent") | Q(value__lte=100)),
            ),
            models.CheckConstraint(
                name="promo_code_window_order",
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lt=F("valid_until")),
            ),
        ]

    def __str__(self) -> str:
        return self.code


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
