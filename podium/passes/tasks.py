"""Thin Celery wrappers around passes services."""

from celery import shared_task

from podium.tenancy.scoping import platform_scope

from .mail import membership_mail_send, membership_reminders_send, voucher_mail_send


@shared_task
def membership_reminders_task() -> int:
    # A daily sweep across every house: the cross-tenant scope is intended here.
    with platform_scope():
        return membership_reminders_send()


@shared_task
def membership_mail_task(membership_id: int) -> bool:
    return membership_mail_send(membership_id)


@shared_task
def voucher_mail_task(voucher_id: int) -> bool:
    """The voucher's mail with its PDF, made by a worker, not in the request."""
    return voucher_mail_send(voucher_id)


def mail_later(task, pk: int) -> None:
    """Send by a Celery worker; without a broker (the embedded default, the tests)
    right here, as the ticket mail does (sales.tickets.mail.on_order_paid)."""
    if task.app.conf.task_always_eager:
        task.run(pk)
    else:
        task.delay(pk)
