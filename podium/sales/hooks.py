"""Explicit extension points of sales: higher apps (and the ticket mailer) register here.

A hook runs after the transaction that caused it has committed.
"""

from collections.abc import Callable

_order_paid: list[Callable[[int], None]] = []


def on_order_paid(callback: Callable[[int], None]) -> Callable[[int], None]:
    """Register `callback(order_id)`, called after an order became paid."""
    _order_paid.append(callback)
    return callback


def order_paid_callbacks() -> list[Callable[[int], None]]:
    return list(_order_paid)
