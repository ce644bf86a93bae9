"""The platform's housekeeping tasks."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from podium.core.tasks import sessions_clear_task

pytestmark = pytest.mark.django_db


def test_expired_sessions_are_deleted_and_live_ones_kept():
    live, old = SessionStore(), SessionStore()
    live["x"], old["x"] = 1, 2
    live.save()
    old.save()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    assert sessions_clear_task() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        live.session_key
    ]
