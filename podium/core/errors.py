"""Domain errors: a stable code, a lazily translated message and parameters.

Interfaces map them to a form error, a flash message or an RFC 9457 problem.
"""

from django.utils.functional import Promise


class DomainError(Exception):
    """Base of every error a service raises on purpose.

    `conflict` marks errors that mean "the state of the world says no" (sold out, a
    clash, busy) rather than "the request is malformed"; the API answers 409 for them.
    """

    code: str = "invalid"
    conflict: bool = False

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        params: dict | None = None,
        field: str | None = None,
    ):
        self.message = message
        if code is not None:
            self.code = code
        self.params = params or {}
        self.field = field
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class NotFound(DomainError):
    """Raised alike for a missing object and one the actor may not see."""

    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"
