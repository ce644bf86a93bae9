from enum import StrEnum

from podium.core.errors import DomainError


class PassesErrorCode(StrEnum):
    NOT_ON_SALE = "not_on_sale"
    TARIFF_UNAVAILABLE = "tariff_unavailable"
    TOO_FEW = "too_few"
    TOO_MANY = "too_many"
    NOT_IN_SUBSCRIPTION = "not_in_subscription"
    PERFORMANCE_UNAVAILABLE = "performance_unavailable"
    SOLD_OUT = "sold_out"
    SAME_SEAT_UNAVAILABLE = "same_seat_unavailable"
    MAX_PER_CUSTOMER = "max_per_customer"
    BASKET_EXPIRED = "basket_expired"
    INCOMPLETE = "incomplete"
    INVALID = "invalid"


# Codes that mean "the state of the world says no" rather than "the request is wrong".
CONFLICT_CODES = frozenset(
    {
        PassesErrorCode.SOLD_OUT,
        PassesErrorCode.SAME_SEAT_UNAVAILABLE,
        PassesErrorCode.BASKET_EXPIRED,
        PassesErrorCode.MAX_PER_CUSTOMER,
    }
)


class PassesError(DomainError):
    """A refusal by the subscription services; a conflict when its code says so."""

    def __init__(self, message, *, conflict: bool | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.conflict = self.code in CONFLICT_CODES if conflict is None else conflict


class SubscriptionSoldOut(PassesError):
    code = PassesErrorCode.SOLD_OUT
