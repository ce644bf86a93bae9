"""Periodic housekeeping of the platform itself."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def sessions_clear_task() -> int:
    """Delete expired sessions (Django keeps them in the database until then);
    how many went."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
