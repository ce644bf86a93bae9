"""What a house sells and how much of it exists: prices, quotas, holds, orders, tickets.

Every model is house-owned (a direct `house` key, scoped by django-scopes). Amounts are
Decimal euros including VAT; each ticket and fee snapshots its price and VAT split.
The models live in three modules — `prices`, `orders` and `money` — and are imported
from here.
"""

from .money import (
    BankTransaction,
    Payment,
    PerformanceCancellation,
    Refund,
    RegisterClosing,
)
from .orders import (
    Basket,
    Hold,
    Order,
    OrderFee,
    OrderItem,
    OrderTransition,
    SigningKey,
    Ticket,
)
from .prices import (
    MONEY,
    PriceCategory,
    PromoCode,
    Quota,
    SalesSettings,
    Tariff,
    VatRate,
)

__all__ = [
    "MONEY",
    "BankTransaction",
    "Basket",
    "Hold",
    "Order",
    "OrderFee",
    "OrderItem",
    "OrderTransition",
    "Payment",
    "PerformanceCancellation",
    "PriceCategory",
    "PromoCode",
    "Quota",
    "Refund",
    "RegisterClosing",
    "SalesSettings",
    "SigningKey",
    "Tariff",
    "Ticket",
    "VatRate",
]
