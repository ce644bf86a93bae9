"""The payment provider interface and its registry (keyed by provider name).

A provider turns a Payment row into what the buyer must do next (`start`) and, where it
can, pays money back (`refund`). Providers never touch the order state: the services in
`podium.sales.services.payments` and `.refunds` do, in short transactions around the
provider's (possibly remote) call.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from ..models import Order, Payment, SalesSettings

Channel = Order.Channel


class NextStep(StrEnum):
    NONE = "none"  # paid at once (free, cash, card terminal)
    REDIRECT = "redirect"  # send the buyer to `checkout_url`
    BANK_TRANSFER = "bank_transfer"  # show the transfer instructions


@dataclass(frozen=True)
class BankInstructions:
    iban: str
    beneficiary: str
    amount: Decimal
    communication: str  # +++123/4567/89002+++
    deadline: datetime | None


@dataclass(frozen=True)
class PaymentStart:
    """What the buyer must do next after `start`."""

    next_step: NextStep
    paid: bool = False
    external_id: str = ""
    checkout_url: str = ""
    bank: BankInstructions | None = None
    data: dict = field(default_factory=dict)


class RefundState(StrEnum):
    DONE = "done"  # the provider accepted the refund
    MANUAL = "manual"  # staff pay back by hand (cash, transfer)


@dataclass(frozen=True)
class RefundResult:
    state: RefundState
    external_id: str = ""
    data: dict = field(default_factory=dict)


class PaymentProvider:
    """Base of every provider; subclasses set the class attributes and `start`."""

    name: str = ""
    label: str = ""
    channels: frozenset[str] = frozenset(Channel.values)
    box_office: bool = False  # only staff may use it, paid on the spot
    supports_refund: bool = False
    free_only: bool = False  # only for orders of 0 EUR
    remote: bool = False  # `start`/`refund` call an external service

    def available(self, settings: SalesSettings) -> bool:
        """Is the provider configured for this house (an IBAN, an API key)?"""
        return True

    def deadline(self, settings: SalesSettings, now: datetime) -> datetime | None:
        """A longer time to pay than the house's online payment time, if any."""
        return None

    def start(self, payment: Payment) -> PaymentStart:
        raise NotImplementedError

    def refund(self, payment: Payment, amount: Decimal) -> RefundResult:
        """Pay `amount` back; only called when `supports_refund`."""
        raise NotImplementedError


_REGISTRY: dict[str, PaymentProvider] = {}


def register(provider: PaymentProvider) -> PaymentProvider:
    if not provider.name or provider.name in _REGISTRY:
        raise ValueError(
            f"Payment provider {provider.name!r} is missing a unique name."
        )
    _REGISTRY[provider.name] = provider
    return provider


def provider_get(name: str) -> PaymentProvider | None:
    return _REGISTRY.get(name)


def providers() -> list[PaymentProvider]:
    return list(_REGISTRY.values())
