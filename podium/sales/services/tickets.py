"""Ticket use cases: verify a scanned code, reissue a ticket, resend the confirmation,
put a ticket in another person's name."""

import hmac
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.tenancy.models import House

from ..errors import SalesError, SalesErrorCode
from ..models import Order, Ticket
from ..tickets.errors import REASON_MESSAGES, TicketInvalid, TicketInvalidReason
from ..tickets.keys import public_keys
from ..tickets.mail import order_confirmation_send
from ..tickets.signing import payload_claims, payload_verify, ticket_secret_new
from ..tickets.validity import ADMITTING_ORDER_STATES, ticket_refusal


@dataclass(frozen=True)
class TicketCheck:
    """The answer to a scan: valid or not, why, and the ticket when it is known."""

    valid: bool
    reason: str  # "valid" or a TicketInvalidReason
    message: str
    ticket: Ticket | None = None

    @classmethod
    def refused(cls, reason: TicketInvalidReason, ticket: Ticket | None = None):
        return cls(False, str(reason), str(REASON_MESSAGES[reason]), ticket)


def ticket_verify(*, house: House, payload: str) -> TicketCheck:
    """Does `payload` admit someone to a performance of `house` right now?

    Valid only when the signature checks out with one of the house's active keys, the
    ticket exists in this house with the same secret, version and performance, the
    ticket is valid and its order paid. Never raises for a bad code: the reason says
    what is wrong (malformed, unknown_key, bad_signature, other_house, not_found,
    reissued, cancelled, refunded, unpaid).
    """
    try:
        if payload_claims(payload).house_id != house.pk:
            return TicketCheck.refused(TicketInvalidReason.OTHER_HOUSE)
        claims = payload_verify(payload, public_keys(house=house))
    except TicketInvalid as error:
        return TicketCheck.refused(error.reason)
    ticket = next(
        iter(
            Ticket.objects.filter(house=house, pk=claims.ticket_id).select_related(
                "order", "performance", "tariff", "category"
            )
        ),
        None,
    )
    if ticket is None:
        return TicketCheck.refused(TicketInvalidReason.NOT_FOUND)
    current = (
        hmac.compare_digest(ticket.secret.encode(), claims.secret.encode())
        and ticket.version == claims.version
        and ticket.performance_id == claims.performance_id
    )
    if not current:
        return TicketCheck.refused(TicketInvalidReason.REISSUED, ticket)
    refusal = ticket_refusal(ticket)
    if refusal is not None:
        return TicketCheck.refused(refusal, ticket)
    return TicketCheck(True, "valid", str(_("Valid ticket.")), ticket)


def ticket_reissue(*, house: House, actor, ticket: Ticket) -> Ticket:
    """Give `ticket` a new secret and version: every code printed before stops working."""
    with transaction.atomic(durable=True):
        locked = (
            Ticket.objects.select_for_update().filter(house=house, pk=ticket.pk).first()
        )
        if locked is None:
            raise NotFound(_("This ticket does not exist."))
        if locked.state != Ticket.State.VALID:
            raise SalesError(
                _("Only a valid ticket can be reissued; this one is %(state)s."),
                code=SalesErrorCode.INVALID,
                params={"state": Ticket.State(locked.state).label},
            )
        old_version = locked.version
        locked.secret = ticket_secret_new()
        locked.version = old_version + 1
        locked.save(update_fields=["secret", "version", "updated_at"])
        audit_log(
            action="podium.sales.ticket.reissued",
            obj=locked,
            actor=actor,
            data={"order": locked.order_id, "version": [old_version, locked.version]},
        )
    return locked


HOLDER_NAME_MAX = 200


def ticket_holder_rename(*, house: House, actor, ticket: Ticket, name: str) -> Ticket:
    """Print `name` on `ticket` instead of the buyer's; empty: the buyer's name again.

    Only a valid ticket is renamed; the code in its QR stays the same.
    """
    name = " ".join((name or "").split())
    if len(name) > HOLDER_NAME_MAX:
        raise SalesError(
            _("The name can be at most %(max)s characters long."),
            code=SalesErrorCode.INVALID,
            field="name",
            params={"max": HOLDER_NAME_MAX},
        )
    with transaction.atomic(durable=True):
        locked = (
            Ticket.objects.select_for_update()
            .filter(house=house, pk=ticket.pk)
            .select_related("order")
            .first()
        )
        if locked is None:
            raise NotFound(_("This ticket does not exist."))
        if locked.state != Ticket.State.VALID:
            raise SalesError(
                _(
                    "Only a valid ticket can be put in another name; this one is %(state)s."
                ),
                code=SalesErrorCode.INVALID,
                params={"state": Ticket.State(locked.state).label},
            )
        if name == locked.order.buyer_name:
            name = ""  # the buyer's own name: nothing to print instead
        before = locked.holder_name
        locked.holder_name = name
        locked.save(update_fields=["holder_name", "updated_at"])
        audit_log(
            action="podium.sales.ticket.holder_renamed",
            obj=locked,
            actor=actor,
            data={"order": locked.order.code, "before": before, "after": name},
        )
    return locked


def order_resend_confirmation(*, house: House, actor, order: Order) -> None:
    """Send the confirmation mail (tickets PDF, calendar files) of a paid order again.

    The mail goes out after the commit; a delivery failure is logged, not raised.
    """
    with transaction.atomic(durable=True):
        current = Order.objects.filter(house=house, pk=order.pk).first()
        if current is None:
            raise NotFound(_("This order does not exist."))
        if current.state not in ADMITTING_ORDER_STATES:
            raise SalesError(
                _("Only a paid order has tickets to send; this one is %(state)s."),
                code=SalesErrorCode.INVALID,
                params={"state": Order.State(current.state).label},
            )
        audit_log(
            action="podium.sales.order.confirmation_resent",
            obj=current,
            actor=actor,
            data={"to": current.buyer_email},
        )
        transaction.on_commit(partial(order_confirmation_send, order_id=current.pk))
