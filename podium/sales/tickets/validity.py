"""The one rule of whether a ticket row admits someone (the signature aside)."""

from ..models import Order, Ticket
from .errors import TicketInvalidReason

# A partially refunded order still holds paid tickets that were not refunded.
ADMITTING_ORDER_STATES = frozenset({Order.State.PAID, Order.State.PARTIALLY_REFUNDED})

_TICKET_REFUSALS = {
    Ticket.State.CANCELLED: TicketInvalidReason.CANCELLED,
    Ticket.State.REFUNDED: TicketInvalidReason.REFUNDED,
    Ticket.State.EXCHANGED: TicketInvalidReason.EXCHANGED,
}
_ORDER_REFUSALS = {
    Order.State.PENDING: TicketInvalidReason.UNPAID,
    Order.State.EXPIRED: TicketInvalidReason.UNPAID,
    Order.State.CANCELLED: TicketInvalidReason.CANCELLED,
    Order.State.REFUNDED: TicketInvalidReason.REFUNDED,
}


def ticket_refusal(ticket: Ticket) -> TicketInvalidReason | None:
    """Why `ticket` does not admit anyone, or None when it does."""
    if ticket.state != Ticket.State.VALID:
        return _TICKET_REFUSALS.get(ticket.state, TicketInvalidReason.CANCELLED)
    if ticket.order.state not in ADMITTING_ORDER_STATES:
        return _ORDER_REFUSALS.get(ticket.order.state, TicketInvalidReason.UNPAID)
    return None
