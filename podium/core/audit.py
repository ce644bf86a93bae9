from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Q, QuerySet

from .models import AuditEntry


def actor_user(actor):
    """The staff user behind `actor`, or None (anonymous, an API key, the system)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def actor_label(actor) -> str:
    """A readable name for who acted: the user's name or the key's label."""
    user = actor_user(actor)
    label = user.get_username() if user else getattr(actor, "audit_label", "")
    return label[:150]


def audit_log(
    *,
    action: str,
    obj: models.Model,
    actor: AbstractBaseUser | object | None,
    data: dict | None = None,
    house_id: int | None = None,
) -> AuditEntry:
    """Record `action` (e.g. "podium.catalog.production.created") on `obj`.

    `actor` is a staff user, anything with an `audit_label` (an API key), or None
    for the system itself. `house_id` names the house whose log shows the entry when
    `obj` has none of its own (a cluster-wide role, an erased customer).
    """
    return AuditEntry.objects.create(
        action=action,
        actor=actor_user(actor),
        actor_label=actor_label(actor),
        house_id=house_id if house_id is not None else getattr(obj, "house_id", None),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )


# ------------------------------------------------------------------ reading the log

# Group → the action prefixes it covers; what a house admin filters the log by.
ACTION_GROUPS: dict[str, tuple[str, ...]] = {
    "orders": (
        "podium.sales.order.",
        "podium.sales.ticket.",
        "podium.sales.reservation.",
        "podium.sales.hold.",
    ),
    "payments": (
        "podium.sales.payment.",
        "podium.sales.bank_transaction.",
        "podium.sales.register_closing.",
    ),
    "refunds": ("podium.sales.refund.", "podium.sales.performance_cancellation."),
    "prices": (
        "podium.sales.tariff.",
        "podium.sales.price_category.",
        "podium.sales.price_list.",
        "podium.sales.quota.",
        "podium.sales.settings.",
    ),
    "performances": ("podium.catalog.",),
    "seating": ("podium.seating.",),
    "staff": ("podium.tenancy.", "podium.sales.signingkey."),
    "customers": ("podium.customers.",),
    "checkin": ("podium.checkin.",),
    "waiting_rooms": ("podium.waitingroom.",),
}


@dataclass(frozen=True)
class AuditFilters:
    """What to show of a house's log; empty values filter nothing.

    `date_from` and `date_to` are whole days (both included) in `timezone`.
    """

    group: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    timezone: str = "Europe/Brussels"


def _day_start(day: date, zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


def audit_entries(*, house_id: int, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The entries of one house, newest first, narrowed by `filters`.

    Only entries carrying `house_id` are returned: another house's entries, and
    entries without a house (platform, customer accounts), never show.
    """
    entries = AuditEntry.objects.filter(house_id=house_id)
    if filters.group in ACTION_GROUPS:
        by_prefix = Q()
        for prefix in ACTION_GROUPS[filters.group]:
            by_prefix |= Q(action__startswith=prefix)
        entries = entries.filter(by_prefix)
    if filters.actor:
        entries = entries.filter(
            Q(actor_label__icontains=filters.actor)
            | Q(actor__username__icontains=filters.actor)
        )
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.date_from:
        entries = entries.filter(
            at__gte=_day_start(filters.date_from, filters.timezone)
        )
    if filters.date_to:
        next_day = filters.date_to + timedelta(days=1)
        entries = entries.filter(at__lt=_day_start(next_day, filters.timezone))
    return entries.select_related("actor").order_by("-at", "-id")
