"""Payment providers: the interface, its registry and the providers Podium ships.

The registry is filled here, explicitly, once; `provider_get(name)` looks one up.
"""

from .base import (
    NextStep,
    PaymentProvider,
    PaymentStart,
    RefundResult,
    RefundState,
    provider_get,
    providers,
    register,
)
from .builtin import (
    BankTransferProvider,
    CardTerminalProvider,
    CashProvider,
    FreeProvider,
)
from .mollie import MollieProvider

for _provider in (
    FreeProvider(),
    CashProvider(),
    CardTerminalProvider(),
    BankTransferProvider(),
    MollieProvider(),
):
    register(_provider)

__all__ = [
    "NextStep",
    "PaymentProvider",
    "PaymentStart",
    "RefundResult",
    "RefundState",
    "provider_get",
    "providers",
]
