"""Thin Celery wrappers: the periodic admission step of every open room."""

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from podium.tenancy.scoping import platform_scope

from .models import WaitingRoom
from .services import waiting_room_step


@shared_task
def waiting_rooms_step_task() -> int:
    """Admit in every enabled, open room even when nobody polls (beat, ~10 s)."""
    now = timezone.now()
    # A periodic sweep across every house: the cross-tenant scope is intended here.
    with platform_scope():
        rooms = WaitingRoom.objects.filter(
            is_enabled=True, paused=False, opens_at__lte=now
        ).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        return sum(waiting_room_step(room=room, now=now) for room in rooms)
