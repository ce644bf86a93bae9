"""Explicit extension points of sales: higher apps (and the ticket mailer) register here.

An `on_order_paid` hook runs after the transaction that caused it has committed; an
`on_order_placing` hook runs inside the placement transaction.
"""

from collections.abc import Callable
from datetime import timedelta

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


# Rights a basket has beyond the public sale (a friends pass, say), given by higher
# apps. Each callback is asked inside the sale's transaction.
_tariff_unlockers: list[Callable[..., set[int]]] = []
_sales_start_advancers: list[Callable[..., timedelta]] = []
_hold_guards: list[Callable[..., None]] = []
_order_released: list[Callable[..., None]] = []


def _register(registry: list, callback):
    if callback not in registry:
        registry.append(callback)
    return callback


def on_tariff_unlock(callback: Callable[..., set[int]]) -> Callable[..., set[int]]:
    """Register `callback(basket=, tariffs=, performance=, now=)` returning the ids
    of restricted tariffs (member tariffs) among `tariffs` the basket may sell."""
    return _register(_tariff_unlockers, callback)


def tariff_unlock_callbacks() -> list[Callable[..., set[int]]]:
    return list(_tariff_unlockers)


def on_sales_start_advance(callback: Callable[..., timedelta]):
    """Register `callback(basket=, performance=, now=)` returning how long before a
    performance's sales start the basket may already buy (early access)."""
    return _register(_sales_start_advancers, callback)


def sales_start_advance_callbacks() -> list[Callable[..., timedelta]]:
    return list(_sales_start_advancers)


def on_hold_claiming(callback: Callable[..., None]) -> Callable[..., None]:
    """Register `callback(basket=, performance=, tariff=, quantity=, now=)`, called
    inside the claim's transaction before places are taken; it may raise a
    DomainError to refuse (a maximum of member tickets per performance)."""
    return _register(_hold_guards, callback)


def hold_claiming_callbacks() -> list[Callable[..., None]]:
    return list(_hold_guards)


def on_order_released(callback: Callable[..., None]) -> Callable[..., None]:
    """Register `callback(order=, from_state=)`, called inside the transaction that
    expires or cancels an order (a gift voucher's part goes back onto it)."""
    return _register(_order_released, callback)


def order_released_callbacks() -> list[Callable[..., None]]:
    return list(_order_released)


_refund_to_voucher: list[Callable[..., None]] = []


def on_refund_to_voucher(callback: Callable[..., None]) -> Callable[..., None]:
    """Register `callback(refund=)`, called inside the transaction that applies a
    refund whose `to_voucher` part goes back onto the order's gift vouchers."""
    return _register(_refund_to_voucher, callback)


def refund_to_voucher_callbacks() -> list[Callable[..., None]]:
    return list(_refund_to_voucher)
