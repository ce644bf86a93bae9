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


class SalesError(DomainError):
    pass


class SoldOut(SalesError):
    code = SalesErrorCode.SOLD_OUT
    conflict = True


class IllegalTransition(SalesError):
    code = SalesErrorCode.ILLEGAL_TRANSITION
    conflict = True
