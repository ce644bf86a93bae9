"""Customers belong to the cluster; a house sees one only through a relation.

A `Customer` is shared by every house of a cluster (one login, one basket later). A
house may read a customer only where a `CustomerRelation` links them (the customer
bought there, or the house created the record at its desk); notes are the house's own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

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

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "cluster",
                Lower("email"),
                condition=~Q(email=""),
                name="customer_email_unique_in_cluster",
            )
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
