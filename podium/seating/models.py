"""Seat plans of halls (versioned) and the seats of each performance.

A hall's plan is a numbered version: a performance points at the version it went on
sale with, so editing a hall's plan (which makes a new version) never moves a seat
of a performance already on sale. Seats carry a zone (the rank, 1 = best) that a
performance maps to one of its production's price categories.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.catalog.models import Performance
from podium.core.i18n import I18nField
from podium.core.models import BaseModel
from podium.sales.models import PriceCategory
from podium.tenancy.models import Hall, House


class SeatPlan(BaseModel):
    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="seat_plans")
    version = models.PositiveIntegerField()
    # Drawing units: seats sit on a grid of about 1 unit per seat; the stage is at y<0.
    width = models.FloatField(default=0)
    height = models.FloatField(default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["hall", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "version"], name="seat_plan_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hall.name} v{self.version}"


class Section(models.Model):
    """A part of the hall: stalls, balcony, …; seats are listed per section and row."""

    plan = models.ForeignKey(
        SeatPlan, on_delete=models.CASCADE, related_name="sections"
    )
    name = I18nField(_("name"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return str(self.name.get("nl", ""))


class Seat(models.Model):
    plan = models.ForeignKey(SeatPlan, on_delete=models.CASCADE, related_name="seats")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="seats")
    row = models.CharField(_("row"), max_length=8)
    number = models.CharField(_("seat number"), max_length=8)
    # Order of the row in its section (front first) and of the seat in its row (left
    # to right as the audience sees the stage): seats are adjacent when their `order`
    # values are consecutive; an aisle leaves a gap.
    row_order = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField()
    x = models.FloatField()
    y = models.FloatField()
    zone = models.PositiveSmallIntegerField(_("rank"), default=1)
    wheelchair = models.BooleanField(_("wheelchair space"), default=False)
    companion = models.BooleanField(_("companion seat"), default=False)
    restricted_view = models.BooleanField(_("restricted view"), default=False)
    blocked = models.BooleanField(_("blocked"), default=False)
    kept = models.BooleanField(_("kept for the house"), default=False)

    class Meta:
        ordering = ["section", "row_order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "row", "number"], name="seat_label_unique"
            ),
            models.UniqueConstraint(
                fields=["section", "row_order", "order"], name="seat_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.row}-{self.number}"


class PerformanceSeating(BaseModel):
    """A performance sold by seat: the plan version it uses and its zone prices."""

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    performance = models.OneToOneField(
        Performance, on_delete=models.CASCADE, related_name="seating"
    )
    plan = models.ForeignKey(SeatPlan, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(house="house")

    def __str__(self) -> str:
        return f"{self.performance} on {self.plan}"


class ZoneCategory(models.Model):
    """Which price category a zone (rank) of the plan sells as, for one performance."""

    seating = models.ForeignKey(
        PerformanceSeating, on_delete=models.CASCADE, related_name="zones"
    )
    zone = models.PositiveSmallIntegerField()
    category = models.ForeignKey(
        PriceCategory, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seating", "zone"], name="zone_category_unique"
            )
        ]

    def __str__(self) -> str:
        return f"zone {self.zone} → {self.category}"


class PerformanceSeat(models.Model):
    """One seat of one performance. Claimed by a conditional UPDATE on `state`."""

    class State(models.TextChoices):
        FREE = "free", _("free")
        HELD = "held", _("held")
        SOLD = "sold", _("sold")
        BLOCKED = "blocked", _("blocked")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    performance = models.ForeignKey(
        Performance, on_delete=models.CASCADE, related_name="seats"
    )
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.FREE)
    # Why a seat is blocked for this performance (e.g. "mixing desk"), for staff.
    note = models.CharField(max_length=100, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["performance", "seat"], name="performance_seat_unique"
            )
        ]
        indexes = [models.Index(fields=["performance", "state"])]

    def __str__(self) -> str:
        return f"{self.seat} ({self.state})"


FREE_Q = Q(state=PerformanceSeat.State.FREE)
