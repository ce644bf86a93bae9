"""Scans at the door: every admission and refusal, online or synced from offline.

The database makes sure a ticket admits once: at most one admitted scan per ticket
(a partial unique constraint), whatever the number of scanners racing for it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.catalog.models import Performance
from podium.core.models import BaseModel
from podium.sales.models import Ticket
from podium.tenancy.models import House


class Scan(BaseModel):
    class Result(models.TextChoices):
        ADMITTED = "admitted", _("admitted")
        REFUSED = "refused", _("refused")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    performance = models.ForeignKey(
        Performance, on_delete=models.CASCADE, related_name="scans"
    )
    # None for a code that names no ticket of this house (forged, garbled, foreign).
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    entrance = models.CharField(_("entrance"), max_length=40, blank=True)
    device = models.CharField(_("device"), max_length=64, blank=True)
    # The device's own id of an offline scan: a re-sent scan is recognised by it.
    client_id = models.CharField(max_length=64, blank=True)
    scanned_at = models.DateTimeField(_("scanned at"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    reason = models.CharField(_("reason"), max_length=40)
    offline = models.BooleanField(_("scanned offline"), default=False)
    # An offline admission that lost to an earlier one, or that displaced a later one.
    conflict = models.BooleanField(_("conflict"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["scanned_at", "pk"]
        indexes = [models.Index(fields=["performance", "result"])]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(result="admitted"),
                name="scan_one_admission_per_ticket",
            ),
            models.UniqueConstraint(
                fields=["house", "device", "client_id"],
                condition=~Q(client_id=""),
                name="scan_client_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result} {self.reason} ticket {self.ticket_id} {self.scanned_at}"

    @property
    def admitted(self) -> bool:
        return self.result == self.Result.ADMITTED
