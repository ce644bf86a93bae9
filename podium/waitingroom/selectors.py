"""Reads of the waiting rooms: which room guards a performance, the rate in use,
the estimate of a wait, the staff's live figures and the metrics total."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.errors import NotFound
from podium.sales.models import Order
from podium.tenancy.models import House
from podium.tenancy.scoping import platform_scope

from .backends import backend
from .models import WaitingRoom

# Automatic rate: the orders placed for the room's target in this window, per
# minute, times the headroom; never below the floor (a quiet start must not stall).
CAPACITY_WINDOW = timedelta(minutes=2)
CAPACITY_HEADROOM = 1.2
AUTOMATIC_FLOOR = 20.0


@dataclass(frozen=True)
class Rate:
    per_minute: float
    automatic: bool


@dataclass(frozen=True)
class RoomFigures:
    """What staff see live: the queue's length and how fast it moves."""

    waiting: int
    admitted_last_minute: int
    rate: Rate
    minutes_to_empty: int | None  # None while paused
    paused: bool
    open: bool  # the on-sale moment has passed
    backend: str


def waiting_room_list(*, house: House) -> QuerySet[WaitingRoom]:
    return WaitingRoom.objects.filter(house=house).select_related(
        "performance__production", "production"
    )


def waiting_room_get(*, house: House, pk: int) -> WaitingRoom:
    room = waiting_room_list(house=house).filter(pk=pk).first()
    if room is None:
        raise NotFound(_("This waiting room does not exist."))
    return room


def waiting_room_public_get(*, pk: int, now: datetime) -> WaitingRoom:
    """An enabled room of the houses in scope (the shop's cluster), not ended."""
    room = (
        WaitingRoom.objects.filter(pk=pk, is_enabled=True, house__is_active=True)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("house", "performance__production", "production")
        .first()
    )
    if room is None:
        raise NotFound(_("This waiting room is closed."))
    return room


def waiting_room_for(*, performance: Performance, now: datetime) -> WaitingRoom | None:
    """The room guarding `performance` now, the most specific one first."""
    return (
        WaitingRoom.objects.filter(house_id=performance.house_id, is_enabled=True)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .filter(
            Q(scope=WaitingRoom.Scope.PERFORMANCE, performance_id=performance.pk)
            | Q(
                scope=WaitingRoom.Scope.PRODUCTION,
                production_id=performance.production_id,
            )
            | Q(scope=WaitingRoom.Scope.HOUSE)
        )
        .annotate(
            specific=Case(
                When(scope=WaitingRoom.Scope.PERFORMANCE, then=Value(0)),
                When(scope=WaitingRoom.Scope.PRODUCTION, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("specific", "opens_at", "pk")
        .first()
    )


def waiting_room_for_house(*, house_id: int, now: datetime) -> WaitingRoom | None:
    """The room guarding the house's whole shop now (a season or subscription
    launch): what pages that are not one performance's (subscriptions) obey."""
    return (
        WaitingRoom.objects.filter(
            house_id=house_id, is_enabled=True, scope=WaitingRoom.Scope.HOUSE
        )
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .order_by("opens_at", "pk")
        .first()
    )


def rate_in_use(*, room: WaitingRoom, now: datetime) -> Rate:
    """The house's rate, or the measured checkout capacity (orders placed for the
    room's target in the last two minutes, per minute, × 1.2; at least the floor)."""
    if room.rate_per_minute:
        return Rate(float(room.rate_per_minute), automatic=False)
    # Every poll asks; count the orders once per room every few seconds.
    key = f"podium:waitingroom:rate:{room.pk}:{int(now.timestamp() // 5)}"
    per_minute = cache.get(key)
    if per_minute is None:
        per_minute = _measured_rate(room=room, now=now)
        cache.set(key, per_minute, timeout=10)
    return Rate(max(AUTOMATIC_FLOOR, per_minute), automatic=True)


def _measured_rate(*, room: WaitingRoom, now: datetime) -> float:
    orders = Order.objects.filter(
        house_id=room.house_id,
        channel=Order.Channel.WEB,
        created_at__gt=now - CAPACITY_WINDOW,
        created_at__lte=now,
    )
    if room.scope == WaitingRoom.Scope.PERFORMANCE:
        orders = orders.filter(tickets__performance_id=room.performance_id)
    elif room.scope == WaitingRoom.Scope.PRODUCTION:
        orders = orders.filter(tickets__performance__production_id=room.production_id)
    placed = orders.values("pk").distinct().count()
    return placed / (CAPACITY_WINDOW.total_seconds() / 60) * CAPACITY_HEADROOM


def wait_minutes(
    *, room: WaitingRoom, position: int, rate: Rate, now: datetime
) -> int | None:
    """About how many minutes until `position` is admitted; None while paused."""
    if room.paused:
        return None
    minutes = position / rate.per_minute
    if now < room.opens_at:
        minutes += (room.opens_at - now).total_seconds() / 60
    return max(1, math.ceil(minutes))


def room_figures(*, room: WaitingRoom, now: datetime) -> RoomFigures:
    queue = backend()
    rate = rate_in_use(room=room, now=now)
    waiting = queue.waiting(room)
    return RoomFigures(
        waiting=waiting,
        admitted_last_minute=queue.admitted_since(room, now - timedelta(minutes=1)),
        rate=rate,
        minutes_to_empty=(
            wait_minutes(room=room, position=waiting, rate=rate, now=now)
            if waiting
            else 0
        )
        if not room.paused
        else None,
        paused=room.paused,
        open=now >= room.opens_at,
        backend=queue.name,
    )


def waiting_total() -> int:
    """Everyone waiting in every enabled room, over every house (for /metrics)."""
    # A platform figure: the cross-tenant scope is intended here.
    with platform_scope():
        rooms = list(WaitingRoom.objects.filter(is_enabled=True))
        queue = backend()
        return sum(queue.waiting(room) for room in rooms)
