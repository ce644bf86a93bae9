"""A sale at the box office: the basket becomes a paid order in one step.

Cash (with the change to give), card terminal (confirmed by hand), an invoice paid by
bank transfer, or free (invitations). The buyer is optional at the desk; so is the
customer, who, when given, gets the order and lends name and e-mail to an empty buyer.
"""

from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from podium.core.errors import DomainError
from podium.core.money import quantize
from podium.customers.models import Customer
from podium.tenancy.models import House

from ..errors import SalesError, SalesErrorCode
from ..models import Basket, Order, Payment
from ..payments.base import provider_get
from .baskets import basket_release, basket_total
from .orders import order_cancel, order_place
from .payments import payment_start
from .pricing import sales_settings_get

DESK_PROVIDERS = ("cash", "card_terminal", "bank_transfer", "free")


class DeskSale(NamedTuple):
    order: Order
    payment: Payment
    change: Decimal | None  # cash to give back


def _check(house: House, basket: Basket, provider: str, total, cash_received):
    if basket.channel not in (Order.Channel.BOX_OFFICE, Order.Channel.PHONE):
        raise SalesError(
            _("Only a box-office basket or a reservation is sold at the desk."),
            code=SalesErrorCode.INVALID,
        )
    if provider not in DESK_PROVIDERS:
        raise SalesError(
            _("This payment method does not exist."), code=SalesErrorCode.INVALID
        )
    if total == 0 and provider != "free":
        return "free"  # invitations only: nothing to pay, whatever was chosen
    if total > 0 and provider == "free":
        raise SalesError(
            _("Only invitations (0 EUR) are given for free; choose how to pay."),
            code=SalesErrorCode.INVALID,
            field="provider",
        )
    if not provider_get(provider).available(sales_settings_get(house=house)):
        raise SalesError(
            _("%(provider)s is not set up for this house."),
            code=SalesErrorCode.INVALID,
            field="provider",
            params={"provider": provider_get(provider).label},
        )
    if provider == "cash" and cash_received is not None and cash_received < total:
        raise SalesError(
            _("%(received)s EUR received is less than the %(total)s EUR to pay."),
            code=SalesErrorCode.INVALID,
            field="cash_received",
            params={"received": quantize(cash_received), "total": total},
        )
    return provider


def desk_buyer(
    customer: Customer | None, buyer_name: str, buyer_email: str
) -> tuple[str, str]:
    """The buyer of a desk order: what was typed, else the customer's name and
    e-mail."""
    if customer is None:
        return buyer_name, buyer_email
    return buyer_name.strip() or customer.name, buyer_email.strip() or customer.email


def desk_order_pay(*, house: House, actor, order: Order, provider: str) -> Payment:
    """Pay a box-office order at once (what is still due; an order of 0 EUR for
    free). A refused payment cancels the order, so nothing is kept."""
    try:
        return payment_start(
            house=house,
            actor=actor,
            order=order,
            provider="free" if order.total == 0 else provider,
        )
    except DomainError:
        desk_order_drop(house=house, actor=actor, order=order)
        raise


def desk_order_drop(*, house: House, actor, order: Order) -> None:
    """Cancel a desk order that could not be paid (its places, promo code use and
    any voucher part go back); an order paid meanwhile is left alone."""
    order.refresh_from_db()
    if order.state == Order.State.PENDING:
        order_cancel(house=house, actor=actor, order=order, reason="not paid")


def desk_sale(
    *,
    house: House,
    actor,
    basket: Basket,
    provider: str,
    buyer_name: str = "",
    buyer_email: str = "",
    send_confirmation: bool = False,
    cash_received: Decimal | None = None,
    customer: Customer | None = None,
) -> DeskSale:
    """Sell what the box-office basket holds; checks everything before the order.

    With a `customer`, the order is theirs (and the house knows them from then on);
    a buyer name or e-mail left empty is taken from the customer. When the order
    cannot be placed, the basket's places go back at once.
    """
    total = basket_total(house=house, basket=basket)
    provider = _check(house, basket, provider, total, cash_received)
    buyer_name, buyer_email = desk_buyer(customer, buyer_name, buyer_email)
    try:
        order = order_place(
            house=house,
            actor=actor,
            basket=basket,
            buyer_name=buyer_name,
            buyer_email=buyer_email,
            channel=Order.Channel.BOX_OFFICE,
            send_confirmation=send_confirmation and bool(buyer_email.strip()),
            customer=customer,
        )
    except SalesError:
        basket_release(house=house, actor=actor, basket=basket)
        raise
    payment = payment_start(house=house, actor=actor, order=order, provider=provider)
    change = None
    if provider == "cash" and cash_received is not None:
        change = quantize(cash_received - order.total)
    return DeskSale(order, payment, change)
