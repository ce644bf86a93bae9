"""What a house sells at which price: its sales settings, price categories and
tariffs, quotas (how many places exist) and promo codes."""

from decimal import Decimal

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
