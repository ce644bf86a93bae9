"""Thin Celery wrappers around passes services."""

from celery import shared_task

from podium.tenancy.scoping import platform_scope

from .mail import membership_reminders_send


@shared_task
def membership_reminders_task() -> int:
    # A daily sweep across every house: the cross-tenant scope is intended here.
    with platform_scope():
        return membership_reminders_send()
