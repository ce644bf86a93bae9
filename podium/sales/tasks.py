"""Thin Celery wrappers around sales services; ids and plain values only."""

from celery import shared_task

from podium.tenancy.scoping import platform_scope

from .customer_data import customers_retention_apply
from .services.inventory import release_expired_holds
from .services.orders import orders_expire_overdue
from .tickets.mail import order_confirmation_send


@shared_task
def release_expired_holds_task() -> int:
    # A periodic sweep across every house: the cross-tenant scope is intended here.
    with platform_scope():
        return release_expired_holds()


@shared_task
def expire_overdue_orders_task() -> int:
    # A periodic sweep across every house: the cross-tenant scope is intended here.
    with platform_scope():
        return orders_expire_overdue()


@shared_task
def customers_retention_task() -> int:
    # A daily sweep across every house of every cluster (a customer is shared by
    # the houses of a cluster): the cross-tenant scope is intended here.
    with platform_scope():
        return len(customers_retention_apply().due)


@shared_task
def order_confirmation_task(order_id: int) -> bool:
    """The confirmation mail of a paid order, with its tickets PDF (rendering the
    PDF and QR codes is the heaviest part of a sale: it stays out of the request)."""
    return order_confirmation_send(order_id=order_id, on_payment=True)
