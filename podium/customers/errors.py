from enum import StrEnum

from podium.core.errors import DomainError


class CustomerErrorCode(StrEnum):
    INVALID = "invalid"
    EMAIL_TAKEN = "email_taken"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    LINK_INVALID = "link_invalid"
    NOT_FOUND = "not_found"


class CustomerError(DomainError):
    """A refusal by the customer services: the field it concerns in `field`."""

    def __init__(self, message, *, conflict: bool | None = None, **kwargs):
        super().__init__(message, **kwargs)
        if conflict is not None:
            self.conflict = conflict
        elif self.code == CustomerErrorCode.EMAIL_TAKEN:
            self.conflict = True
