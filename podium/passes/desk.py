"""A box-office sale paid first with a gift voucher, the rest in cash or by card.

The voucher is checked before anything is placed (a typo places no order); once the
order is placed, any refusal (the voucher spent meanwhile, too little cash, the
payment) cancels it, which gives its places and the voucher's part back: nothing is
kept, as for any refusal at the desk.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from podium.core.errors import DomainError
from podium.core.money import quantize
from podium.customers.models import Customer
from podium.sales.models import Basket, Order
from podium.sales.selectors import order_amount_due
from podium.sales.services.desk import (
    DeskSale,
    desk_buyer,
    desk_order_drop,
    desk_order_pay,
)
from podium.sales.services.orders import order_place
from podium.tenancy.models import House

from .errors import PassesError, PassesErrorCode
from .vouchers import voucher_pay, voucher_usable


def desk_sale_with_voucher(
    *,
    house: House,
    actor,
    basket: Basket,
    voucher_code: str,
    provider: str,
    buyer_name: str = "",
    buyer_email: str = "",
    send_confirmation: bool = False,
    cash_received: Decimal | None = None,
    customer: Customer | None = None,
) -> DeskSale:
    """Sell what the box-office basket holds, the voucher paying what it can."""
    voucher_usable(house=house, code=voucher_code)
    buyer_name, buyer_email = desk_buyer(customer, buyer_name, buyer_email)
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
    try:
        use = voucher_pay(house=house, actor=actor, order=order, code=voucher_code)
        if order.state != Order.State.PENDING:
            return DeskSale(order, use.payment, None)  # the voucher paid it all
        due = order_amount_due(order=order)
        received = cash_received if provider == "cash" else None
        if received is not None and received < due:
            raise PassesError(
                _(
                    "%(received)s EUR received is less than the %(due)s EUR left to pay."
                ),
                code=PassesErrorCode.INVALID,
                field="cash_received",
                params={"received": quantize(received), "due": due},
            )
    except DomainError:
        desk_order_drop(house=house, actor=actor, order=order)
        raise
    payment = desk_order_pay(house=house, actor=actor, order=order, provider=provider)
    change = None if received is None else quantize(received - due)
    return DeskSale(payment.order, payment, change)
