"""Why a ticket code is refused: one error code (TICKET_INVALID), a reason per case."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from podium.sales.errors import SalesError, SalesErrorCode


class TicketInvalidReason(StrEnum):
    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    OTHER_HOUSE = "other_house"
    NOT_FOUND = "not_found"
    REISSUED = "reissued"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    EXCHANGED = "exchanged"
    UNPAID = "unpaid"


REASON_MESSAGES = {
    TicketInvalidReason.MALFORMED: _("This is not a Podium ticket code."),
    TicketInvalidReason.UNKNOWN_KEY: _(
        "This ticket was signed with a key this house does not know."
    ),
    TicketInvalidReason.BAD_SIGNATURE: _(
        "The signature does not match: this ticket code was altered or forged."
    ),
    TicketInvalidReason.OTHER_HOUSE: _("This ticket belongs to another house."),
    TicketInvalidReason.NOT_FOUND: _("This ticket does not exist."),
    TicketInvalidReason.REISSUED: _(
        "This ticket was reissued: only the newest code is valid."
    ),
    TicketInvalidReason.CANCELLED: _("This ticket was cancelled."),
    TicketInvalidReason.REFUNDED: _("This ticket was refunded."),
    TicketInvalidReason.EXCHANGED: _(
        "This ticket was exchanged: only the new ticket is valid."
    ),
    TicketInvalidReason.UNPAID: _("The order of this ticket is not paid."),
}


class TicketInvalid(SalesError):
    """A ticket code that does not admit anyone; `reason` says why."""

    code = SalesErrorCode.TICKET_INVALID

    def __init__(self, reason: TicketInvalidReason):
        self.reason = TicketInvalidReason(reason)
        super().__init__(REASON_MESSAGES[self.reason], params={"reason": str(reason)})

    def __str__(self) -> str:
        return str(self.message)
