"""Why a scan admits or not, and the errors of the check-in services.

A scan's `reason` is "valid", one of the ticket reasons of `ticket_verify`
(`TicketInvalidReason`: malformed, bad_signature, other_house, reissued, cancelled,
refunded, exchanged, unpaid, …) or one of the door's own reasons below. The office
scanner page relies on these exact names.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from podium.core.errors import DomainError


class ScanReason(StrEnum):
    VALID = "valid"
    ALREADY_SCANNED = "already_scanned"
    OTHER_PERFORMANCE = "other_performance"
    NOT_YET_VALID = "not_yet_valid"
    ENDED = "ended"
    # Offline sync only: the device turned the holder away although the server would
    # have admitted them; recorded as refused so that a new scan can still admit.
    REFUSED_OFFLINE = "refused_offline"
    # Offline sync only: the scan's time is in the future or absurdly old.
    INVALID_TIME = "invalid_time"


SCAN_MESSAGES = {
    ScanReason.VALID: _("Valid ticket: welcome!"),
    ScanReason.NOT_YET_VALID: _("Too early: the doors are not open yet."),
    ScanReason.ENDED: _("This performance has ended."),
    ScanReason.REFUSED_OFFLINE: _(
        "The scanner refused this ticket while offline; scan it again to admit."
    ),
    ScanReason.INVALID_TIME: _(
        "The time of this scan is in the future or too long ago: check the "
        "scanner's clock."
    ),
}


class CheckinErrorCode(StrEnum):
    INVALID = "invalid"
    TOO_MANY_SCANS = "too_many_scans"


class CheckinError(DomainError):
    """A refusal by the check-in services (not a refused ticket: that is an outcome)."""

    code = CheckinErrorCode.INVALID
