"""Season subscriptions (types, tariffs, price steps, the subscriptions bought),
friends passes (membership types and memberships) and gift vouchers with their uses.

A subscription is sold as ordinary tickets: one hold per performance in a basket,
each at its share of the subscription's price (`Hold.unit_price`), then one order.
A `Subscription` records which type and tariff were bought and links the holds and,
once ordered, the tickets; its state is its order's.

Every model is house-owned (a direct `house` key, scoped by django-scopes).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.catalog.models import Performance, Production
from podium.core.i18n import I18nField, localize
from podium.core.models import BaseModel
from podium.customers.models import Customer
from podium.sales.models import Basket, Hold, Order, Payment, Ticket, VatRate
from podium.tenancy.models import House

MONEY = {"max_digits": 12, "decimal_places": 2}


class SubscriptionType(BaseModel):
    """What a house offers: a fixed series at one price, or a free choice of N to M
    performances from a list at a discount per ticket or at stepped prices."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed series")
        CHOICE = "choice", _("Free choice")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    name = I18nField(_("name"), max_length=200)
    description = I18nField(_("description"), blank=True, multiline=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The fixed series, or the list a free choice is made from.
    performances = models.ManyToManyField(
        Performance, related_name="subscription_types", blank=True
    )
    min_choices = models.PositiveSmallIntegerField(
        _("at least (performances)"), null=True, blank=True
    )
    max_choices = models.PositiveSmallIntegerField(
        _("at most (performances)"), null=True, blank=True
    )
    # Fixed series: the price of the whole series for one person.
    price = models.DecimalField(
        _("price of the series incl. VAT"), null=True, blank=True, **MONEY
    )
    # Free choice: a discount on each ticket's full price; without it, the price
    # steps (SubscriptionPriceStep) set the price of each ticket.
    discount_percent = models.DecimalField(
        _("discount per ticket (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    same_seat = models.BooleanField(_("same seat for every performance"), default=False)
    sales_from = models.DateTimeField(_("on sale from"), null=True, blank=True)
    sales_until = models.DateTimeField(_("on sale until"), null=True, blank=True)
    max_per_customer = models.PositiveSmallIntegerField(
        _("maximum per customer"), null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="subscription_type_price_not_negative",
                condition=Q(price__isnull=True) | Q(price__gte=0),
            ),
            models.CheckConstraint(
                name="subscription_type_discount_range",
                condition=Q(discount_percent__isnull=True)
                | Q(discount_percent__gte=0, discount_percent__lte=100),
            ),
            models.CheckConstraint(
                name="subscription_type_choices_order",
                condition=Q(min_choices__isnull=True)
                | Q(max_choices__isnull=True)
                | Q(min_choices__lte=F("max_choices")),
            ),
            models.CheckConstraint(
                name="subscription_type_window_order",
                condition=Q(sales_from__isnull=True)
                | Q(sales_until__isnull=True)
                | Q(sales_from__lt=F("sales_until")),
            ),
        ]

    def __str__(self) -> str:
        return localize(self.name)

    def clean(self) -> None:
        """The rules of one row; the performances are checked by the service."""
        errors = {}
        if self.kind == self.Kind.FIXED:
            if self.price is None:
                errors["price"] = _("A fixed series needs a price.")
            if self.discount_percent is not None:
                errors["discount_percent"] = _(
                    "A fixed series has one price, not a discount per ticket."
                )
        elif self.same_seat:
            errors["same_seat"] = _("Only a fixed series keeps the same seat.")
        if self.kind == self.Kind.CHOICE and not self.min_choices:
            errors["min_choices"] = _("Say how many performances must be chosen.")
        if (
            self.min_choices
            and self.max_choices
            and self.min_choices > self.max_choices
        ):
            errors["max_choices"] = _("The maximum cannot be below the minimum.")
        if self.sales_from and self.sales_until and self.sales_from >= self.sales_until:
            errors["sales_until"] = _("The sale must end after it starts.")
        if errors:
            raise ValidationError(errors)


class SubscriptionPriceStep(BaseModel):
    """Stepped prices of a free choice: from the `count`-th performance on (until
    the next step), each ticket costs `price`. "1: € 18, 5: € 15, 8: € 12"."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    type = models.ForeignKey(
        SubscriptionType, on_delete=models.CASCADE, related_name="steps"
    )
    count = models.PositiveSmallIntegerField(
        _("from the performance"), validators=[MinValueValidator(1)]
    )
    price = models.DecimalField(
        _("price per ticket incl. VAT"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["type", "count"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "count"], name="subscription_price_step_unique"
            ),
            models.CheckConstraint(
                name="subscription_price_step_not_negative", condition=Q(price__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count}+: {self.price}"


class SubscriptionTariff(BaseModel):
    """A variant of a type for some buyers ("Abonnement -26"): the type's price times
    `factor`, or (fixed series) a price of its own."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    type = models.ForeignKey(
        SubscriptionType, on_delete=models.CASCADE, related_name="tariffs"
    )
    name = I18nField(_("name"), max_length=100)
    factor = models.DecimalField(
        _("price factor"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    price = models.DecimalField(
        _("own price of the series incl. VAT"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    requires_proof = models.BooleanField(_("proof required at the door"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["type", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="subscription_tariff_factor_range",
                condition=Q(factor__gte=0, factor__lte=1),
            ),
            models.CheckConstraint(
                name="subscription_tariff_price_not_negative",
                condition=Q(price__isnull=True) | Q(price__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return localize(self.name)


class Subscription(BaseModel):
    """One subscription bought (for `quantity` people, side by side): its holds while
    in a basket, then its order and tickets. Its state is its order's."""

    HELD = "held"  # the state while it is in a basket, not yet ordered

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(
        SubscriptionType, on_delete=models.PROTECT, related_name="subscriptions"
    )
    tariff = models.ForeignKey(
        SubscriptionTariff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    basket = models.ForeignKey(
        Basket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.ForeignKey(
        Order,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriptions",
    )
    buyer_name = models.CharField(_("name"), max_length=200, blank=True)
    buyer_email = models.EmailField(_("e-mail"), blank=True)
    quantity = models.PositiveSmallIntegerField(
        _("people"), default=1, validators=[MinValueValidator(1)]
    )
    # For all `quantity` people; single_total is what the tickets cost one by one.
    total = models.DecimalField(**MONEY)
    single_total = models.DecimalField(**MONEY)
    holds = models.ManyToManyField(Hold, related_name="+")
    tickets = models.ManyToManyField(Ticket, blank=True, related_name="subscriptions")

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"

    @property
    def state(self) -> str:
        """`held` in a basket; once ordered, its order's state (paid, expired, …)."""
        return self.order.state if self.order_id else self.HELD

    @property
    def saving(self) -> Decimal:
        return self.single_total - self.total


class MembershipType(BaseModel):
    """A friends pass (vriendenpas) a house sells: a yearly price and its benefits —
    the member tariffs of its productions, buying before the public sale starts,
    and at most so many member tickets per performance."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    name = I18nField(_("name"), max_length=200)
    description = I18nField(_("description"), blank=True, multiline=True)
    price = models.DecimalField(
        _("price incl. VAT"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    vat_rate = models.CharField(
        _("VAT rate"), max_length=6, choices=VatRate.choices, default=VatRate.ZERO
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # Empty: the member tariffs of every production of the house.
    productions = models.ManyToManyField(
        Production,
        blank=True,
        related_name="+",
        verbose_name=_("member tariff on these productions"),
    )
    early_access_days = models.PositiveSmallIntegerField(
        _("early access (days before the public sale)"),
        default=0,
        validators=[MaxValueValidator(365)],
    )
    max_tickets_per_performance = models.PositiveSmallIntegerField(
        _("member tickets per performance (at most)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    sold_online = models.BooleanField(_("sold in the webshop"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="membership_type_price_not_negative", condition=Q(price__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return localize(self.name)


class Membership(BaseModel):
    """One friends pass: its number (shown at the desk), holder and validity. It is
    `pending` until its order is paid, then valid from `valid_from` to
    `valid_until` (both days included)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(
        MembershipType, on_delete=models.PROTECT, related_name="memberships"
    )
    number = models.CharField(_("pass number"), max_length=20, unique=True)
    customer = models.ForeignKey(
        Customer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    holder_name = models.CharField(_("name"), max_length=200)
    holder_email = models.EmailField(_("e-mail"), blank=True)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The pass this one renews (its validity follows on from that one's).
    renews = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["-valid_until", "-pk"]
        indexes = [models.Index(fields=["house", "state", "valid_until"])]

    def __str__(self) -> str:
        return self.number


class GiftVoucher(BaseModel):
    """A gift voucher (cadeaubon): bought for a value, spent in one or more orders
    until its balance is used or it expires. The balance never goes below zero
    (a check constraint, and every spend is one conditional UPDATE)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=20, unique=True)
    value = models.DecimalField(_("value"), **MONEY)
    balance = models.DecimalField(_("balance"), **MONEY)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    expires_on = models.DateField(_("valid until"))
    buyer_name = models.CharField(_("name"), max_length=200, blank=True)
    buyer_email = models.EmailField(_("e-mail"), blank=True)
    recipient_name = models.CharField(_("for"), max_length=200, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="gift_voucher_balance_in_range",
                condition=Q(balance__gte=0) & Q(balance__lte=F("value")),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class VoucherUse(BaseModel):
    """A part of an order paid with a voucher; `given_back_at` is set when the order
    expired or was cancelled unpaid and the amount went back onto the voucher;
    `refunded` is what refunds of the paid order put back."""

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    voucher = models.ForeignKey(
        GiftVoucher, on_delete=models.PROTECT, related_name="uses"
    )
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    given_back_at = models.DateTimeField(null=True, blank=True)
    # What refunds of the order put back onto the voucher (at most `amount`).
    refunded = models.DecimalField(default=Decimal("0.00"), **MONEY)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="voucher_use_amount_positive", condition=Q(amount__gt=0)
            ),
            models.CheckConstraint(
                name="voucher_use_refunded_in_range",
                condition=Q(refunded__gte=0) & Q(refunded__lte=F("amount")),
            ),
        ]
