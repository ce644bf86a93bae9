"""The virtual waiting room of an on-sale moment, and the visitors in its queue.

The room's configuration always lives here. Its queue lives in these tables with the
database backend, or in Redis with the Redis backend (see backends.py); the
admission step's own state (`stepped_at`, `allowance`) is kept by the backend too.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from podium.catalog.models import Performance, Production
from podium.core.models import BaseModel
from podium.tenancy.models import House

# Who arrives before the on-sale moment or within this long after it gets a random
# place among everyone else who did; later arrivals queue in order behind them.
RANDOM_WINDOW = timedelta(seconds=60)


class WaitingRoom(BaseModel):
    class Scope(models.TextChoices):
        PERFORMANCE = "performance", _("One performance")
        PRODUCTION = "production", _("Every performance of a production")
        HOUSE = "house", _("The whole shop of the house (season, subscriptions)")

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(
        _("name"),
        max_length=120,
        blank=True,
        help_text=_("For staff, e.g. “Season launch 2026–2027”."),
    )
    scope = models.CharField(
        _("applies to"), max_length=20, choices=Scope.choices, default=Scope.PERFORMANCE
    )
    performance = models.ForeignKey(
        Performance,
        verbose_name=_("performance"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    production = models.ForeignKey(
        Production,
        verbose_name=_("production"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    opens_at = models.DateTimeField(
        _("on-sale moment"),
        help_text=_(
            "Admission starts at this moment; whoever arrives earlier waits in the queue."
        ),
    )
    closes_at = models.DateTimeField(
        _("waiting room ends"),
        null=True,
        blank=True,
        help_text=_("From then on the shop is open to everyone. Empty: never."),
    )
    rate_per_minute = models.PositiveIntegerField(
        _("visitors admitted per minute"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("Empty: automatic, from the orders placed in the last minutes."),
    )
    admission_minutes = models.PositiveSmallIntegerField(
        _("admission valid for (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    paused = models.BooleanField(_("paused"), default=False)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    # The database backend's admission state: when it last admitted, and the
    # fraction of a visitor it may still admit (carried to the next step).
    stepped_at = models.DateTimeField(null=True, blank=True, editable=False)
    allowance = models.FloatField(default=0.0, editable=False)

    objects = ScopedManager(house="house")

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="waitingroom_scope_target",
                condition=(
                    Q(
                        scope="performance",
                        performance__isnull=False,
                        production__isnull=True,
                    )
                    | Q(
                        scope="production",
                        performance__isnull=True,
                        production__isnull=False,
                    )
                    | Q(
                        scope="house", performance__isnull=True, production__isnull=True
                    )
                ),
            ),
            models.CheckConstraint(
                name="waitingroom_closes_after_opening",
                condition=Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_scope_display()} #{self.pk}"

    def clean(self):
        errors = {}
        if self.scope == self.Scope.PERFORMANCE:
            if not self.performance_id:
                errors["performance"] = _("Choose the performance.")
            self.production = None
        elif self.scope == self.Scope.PRODUCTION:
            if not self.production_id:
                errors["production"] = _("Choose the production.")
            self.performance = None
        else:
            self.performance = None
            self.production = None
        for name in ("performance", "production"):
            target = getattr(self, name)
            if (
                target is not None
                and self.house_id
                and target.house_id != self.house_id
            ):
                errors[name] = _("This belongs to another house.")
        if self.closes_at and self.opens_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _(
                "The waiting room must end after the on-sale moment."
            )
        if errors:
            raise ValidationError(errors)

    def random_until(self):
        """Who joins before this moment gets a random place."""
        return self.opens_at + RANDOM_WINDOW

    def is_closed(self, now) -> bool:
        return self.closes_at is not None and self.closes_at <= now

    def covers(self, performance: Performance) -> bool:
        if performance.house_id != self.house_id:
            return False
        if self.scope == self.Scope.PERFORMANCE:
            return self.performance_id == performance.pk
        if self.scope == self.Scope.PRODUCTION:
            return self.production_id == performance.production_id
        return True


class WaitingEntry(models.Model):
    """One visitor's place in a room (the database backend's queue).

    `sort_key` decides the order: a random number in [0, 1) for the early ones,
    1 + the entry's id for later arrivals. It never changes once given.
    """

    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(
        WaitingRoom, on_delete=models.CASCADE, related_name="entries"
    )
    session_hash = models.CharField(max_length=64)
    email = models.EmailField(blank=True, default="")
    sort_key = models.FloatField()
    joined_at = models.DateTimeField()
    admitted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(house="house")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["room", "session_hash"], name="waitingentry_one_per_session"
            ),
            models.UniqueConstraint(
                fields=["room", "email"],
                condition=~Q(email=""),
                name="waitingentry_one_per_email",
            ),
        ]
        indexes = [
            models.Index(
                fields=["room", "admitted_at", "sort_key", "id"],
                name="waitingentry_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.room_id}"
