"""The order state machine: which transitions exist, and the one function that makes them."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from podium.core.audit import actor_label, actor_user, audit_log

from .errors import IllegalTransition
from .models import Order, OrderTransition

State = Order.State

ALLOWED: dict[str, frozenset[str]] = {
    State.PENDING: frozenset({State.PAID, State.EXPIRED, State.CANCELLED}),
    State.PAID: frozenset({State.CANCELLED, State.PARTIALLY_REFUNDED, State.REFUNDED}),
    State.PARTIALLY_REFUNDED: frozenset({State.PARTIALLY_REFUNDED, State.REFUNDED}),
    State.EXPIRED: frozenset(),
    State.CANCELLED: frozenset(),
    State.REFUNDED: frozenset(),
}


def can_transition(from_state: str, to_state: str) -> bool:
    return to_state in ALLOWED.get(from_state, frozenset())


def order_transition(
    *, order: Order, to: str, actor=None, note: str = "", **fields
) -> Order:
    """Move `order` to state `to`, or raise IllegalTransition; logged with who and when.

    The write is conditional on the state the order was read in, so two concurrent
    transitions (a webhook and an expiry sweep) cannot both succeed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("order_transition must run inside a transaction")
    from_state = order.state
    if not can_transition(from_state, to):
        raise IllegalTransition(
            _("An order that is %(from)s cannot become %(to)s."),
            params={"from": State(from_state).label, "to": State(to).label},
        )
    changed = Order.objects.filter(
        pk=order.pk, house_id=order.house_id, state=from_state
    ).update(state=to, **fields)
    if changed != 1:
        order.refresh_from_db()
        raise IllegalTransition(
            _("The order changed meanwhile: it is now %(state)s."),
            params={"state": State(order.state).label},
        )
    order.state = to
    for name, value in fields.items():
        setattr(order, name, value)
    OrderTransition.objects.create(
        house_id=order.house_id,
        order=order,
        from_state=from_state,
        to_state=to,
        actor=actor_user(actor),
        actor_label=actor_label(actor),
        note=note,
    )
    audit_log(
        action=f"podium.sales.order.{to}",
        obj=order,
        actor=actor,
        data={"from": from_state, "to": to, "note": note},
    )
    return order
