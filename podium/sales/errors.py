from enum import StrEnum

from podium.core.errors import DomainError


class SalesErrorCode(StrEnum):
    SOLD_OUT = "sold_out"
    NOT_ON_SALE = "not_on_sale"
    TARIFF_UNAVAILABLE = "tariff_unavailable"
    TOO_MANY = "too_many"
    TOO_FEW = "too_few"
    BASKET_EXPIRED = "basket_expired"
    BASKET_EMPTY = "basket_empty"
    ILLEGAL_TRANSITION = "illegal_transition"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    PAYMENT_FAILED = "payment_failed"
    PAYMENT_PROVIDER = "payment_provider_error"
    REFUND_TOO_LARGE = "refund_too_large"
    TICKET_INVALID = "ticket_invalid"
    BUSY = "busy"
    INVALID = "invalid"
    ORDER_NOT_PAID = "order_not_paid"
    SEATS_REQUIRED = "seats_required"
    PROMO_CODE_UNKNOWN = "promo_code_unknown"
    PROMO_CODE_NOT_YET_VALID = "promo_code_not_yet_valid"
    PROMO_CODE_EXPIRED = "promo_code_expired"
    PROMO_CODE_USED_UP = "promo_code_used_up"
    PROMO_CODE_NOT_APPLICABLE = "promo_code_not_applicable"
    PROMO_CODE_OTHER_APPLIED = "promo_code_other_applied"


# Codes that mean "the state of the world says no" rather than "the request is wrong".
CONFLICT_CODES = frozenset(
    {
        SalesErrorCode.SOLD_OUT,
        SalesErrorCode.ILLEGAL_TRANSITION,
        SalesErrorCode.IDEMPOTENCY_MISMATCH,
        SalesErrorCode.BUSY,
        SalesErrorCode.BASKET_EXPIRED,
        SalesErrorCode.PAYMENT_FAILED,
        SalesErrorCode.ORDER_NOT_PAID,
        SalesErrorCode.PROMO_CODE_USED_UP,
    }
)


class SalesError(DomainError):
    """A refusal by the sales services; a conflict when its code says so."""

    def __init__(self, message, *, conflict: bool | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.conflict = self.code in CONFLICT_CODES if conflict is None else conflict


class SoldOut(SalesError):
    code = SalesErrorCode.SOLD_OUT


class IllegalTransition(SalesError):
    code = SalesErrorCode.ILLEGAL_TRANSITION
