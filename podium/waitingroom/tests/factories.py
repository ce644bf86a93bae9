"""Waiting rooms for the tests, and the on-sale moment they open at."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from podium.waitingroom.models import WaitingRoom

OPENS = datetime(2026, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def at(seconds: float) -> datetime:
    """`seconds` after the on-sale moment (negative: before it)."""
    return OPENS + timedelta(seconds=seconds)


def make_room(house, *, performance=None, production=None, **fields) -> WaitingRoom:
    if performance is not None:
        fields.setdefault("scope", WaitingRoom.Scope.PERFORMANCE)
    elif production is not None:
        fields.setdefault("scope", WaitingRoom.Scope.PRODUCTION)
    else:
        fields.setdefault("scope", WaitingRoom.Scope.HOUSE)
    fields.setdefault("opens_at", OPENS)
    fields.setdefault("rate_per_minute", 60)
    return WaitingRoom.objects.create(
        house=house, performance=performance, production=production, **fields
    )
