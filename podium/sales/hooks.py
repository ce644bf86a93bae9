"""Explicit extension points of sales: higher apps (and the ticket mailer) register here.

An `on_order_paid` hook runs after the transaction that caused it has committed; an
`on_order_placing` hook runs inside the placement transaction.
"""

from collections.abc import Callable

_order_paid: list[Callable[[int], None]] = []


def on_order_paid(callback: Callable[[int], None]) -> Callable[[int], None]:
    """Register `callback(order_id)`, called after an order became paid."""
    _order_paid.append(callback)
    return callback


def order_paid_callbacks() -> list[Callable[[int], None]]:
    return list(_order_paid)


_order_placing: list[Callable[..., None]] = []


def on_order_placing(callback: Callable[..., None]) -> Callable[..., None]:
    """Register `callback(order=, lines=)`, called inside the placement transaction
    once the order's tickets exist; `lines` pairs each hold with its tickets. The
    callback may raise a DomainError to refuse the order (all of it rolls back)."""
    if callback not in _order_placing:
        _order_placing.append(callback)
    return callback


def order_placing_callbacks() -> list[Callable[..., None]]:
    return list(_order_placing)
