"""Customers belong to the cluster; a house sees one only through a relation.

A `Customer` is shared by every house of a cluster (one login, one basket later). A
house may read a customer only where a `CustomerRelation` links them (the customer
bought there, or the house created the record at its desk); notes are the house's own.

A customer may sign in to the cluster's shop (`password`, a Django hasher string, or a
one-time e-mail link); consents are kept per house as a history (the latest row per
house and purpose is the current choice); the wish list holds performances and is
shared read-only through `wishlist_token`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.catalog.models import Performance
from podium.core.models import BaseModel
from podium.tenancy.models import Cluster, House


class Customer(BaseModel):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="customers"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Digits only (with a leading + kept), so "0470 12 34 56" finds "0470/123456".
    phone_digits = models.CharField(max_length=30, blank=True, db_index=True)
    # A Django password hash; empty while the customer has no password (created at a
    # desk, by a guest order, or signing in by e-mail link only).
    password = models.CharField(max_length=128, blank=True)
    last_login = models.DateTimeField(null=True, blank=True)
    email_verified = models.BooleanField(default=False)
    # The secret of the wish list's read-only link; empty until first shared.
    wishlist_token = models.CharField(max_length=43, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "cluster",
                Lower("email"),
                condition=~Q(email=""),
                name="customer_email_unique_in_cluster",
            ),
            models.UniqueConstraint(
                fields=["wishlist_token"],
                condition=~Q(wishlist_token=""),
                name="customer_wishlist_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email


class CustomerRelation(BaseModel):
    """A house knows this customer: it sold to them or created them."""

    class Source(models.TextChoices):
        ORDER = "order", _("Bought a ticket")
        DESK = "desk", _("Created at the box office")

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="relations"
    )
    source = models.CharField(max_length=10, choices=Source.choices)

    objects = ScopedManager(house="house")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["house", "customer"], name="customer_relation_unique"
            )
        ]


class CustomerNote(BaseModel):
    """A house's own note on a customer ("wheelchair user, prefers row A")."""

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("note"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["-created_at", "-pk"]


class Consent(BaseModel):
    """One choice of a customer about one house and purpose, with when and where.

    Rows are never changed: the latest per (customer, house, purpose) is the current
    choice, the earlier ones are the record GDPR asks for.
    """

    class Purpose(models.TextChoices):
        NEWSLETTER = "newsletter", _("Newsletter")
        SUGGESTIONS = "suggestions", _("Personalised suggestions")

    class Source(models.TextChoices):
        ACCOUNT = "account page", _("Account page")
        CHECKOUT = "checkout", _("Checkout")
        DESK = "desk", _("Box office")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    granted = models.BooleanField()
    at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=30, choices=Source.choices)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["customer", "house", "purpose", "at"])]


class WishlistItem(BaseModel):
    """A performance a customer keeps for later."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="wishlist_items"
    )
    performance = models.ForeignKey(
        Performance, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "performance"], name="wishlist_item_unique"
            )
        ]


class PrivacySettings(BaseModel):
    """A house's privacy choices: how long it keeps customers it no longer sees.

    `customer_retention_years` None keeps customers; N anonymises a customer this
    house knows once they were inactive for N years (and every other house that
    knows them would allow it too: see `customers_retention_apply`).
    """

    house = models.OneToOneField(
        House, on_delete=models.CASCADE, related_name="privacy_settings"
    )
    customer_retention_years = models.PositiveSmallIntegerField(
        _("anonymise customers inactive for (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Leave empty to keep customers until they ask to be erased."),
    )

    objects = ScopedManager(house="house")

    def __str__(self) -> str:
        return f"{self.house}: {self.customer_retention_years or '-'}"
