from enum import StrEnum

from podium.core.errors import DomainError


class SeatingErrorCode(StrEnum):
    INVALID = "invalid"
    HALL_NOT_SEATED = "hall_not_seated"
    PLAN_EMPTY = "plan_empty"
    PLAN_TOO_LARGE = "plan_too_large"
    DUPLICATE_SEAT = "duplicate_seat"
    DUPLICATE_POSITION = "duplicate_position"
    DUPLICATE_SECTION = "duplicate_section"
    UNKNOWN_SEAT = "unknown_seat"
    NO_CHANGES = "no_changes"
    IMPORT_INVALID = "import_invalid"


class SeatingError(DomainError):
    """A refusal by the seating services: a bad plan, a hall that takes none, …"""

    code = SeatingErrorCode.INVALID


class PlanImportError(SeatingError):
    """A seat plan file that cannot be read; the message names the line or field."""

    code = SeatingErrorCode.IMPORT_INVALID
