"""Friends passes and gift vouchers over the API with a house's key: buy a basket
with a friends pass (it opens member tariffs), and pay an order with a gift voucher.

Each operation checks the key's scope (`house_for`), loads the basket or order
through the house, calls one passes service, and answers; refusals become problems.
"""

from ninja import Field, Path, Router, Schema, Status

from podium.passes.memberships import basket_member_clear, basket_member_set
from podium.passes.models import GiftVoucher
from podium.passes.vouchers import voucher_pay
from podium.sales.selectors import order_amount_due, order_get
from podium.tenancy.permissions import Action

from .auth import api_key_auth, house_for
from .fields import BASKET_REF, ORDER_CODE, TEXT, money
from .sales import BasketOut, basket_for_key

router = Router(tags=["passes"], auth=api_key_auth)


# ------------------------------------------------------------- friends passes


class MemberPassIn(Schema):
    number: str = Field(
        max_length=40,
        pattern=TEXT,
        examples=["VP-7K3M-9QX2"],
        description="The friends pass number, with or without dashes or capitals.",
    )


@router.post(
    "/baskets/{token}/member-pass",
    response=BasketOut,
    summary="Buy the basket with a friends pass",
)
def member_pass_set_api(
    request, data: MemberPassIn, token: str = Path(..., pattern=BASKET_REF)
):
    """Buy the basket with this friends pass: it may then hold the member tariffs
    the pass opens, buy before the public sale (early access) and take at most the
    pass's member tickets per performance. 400 (field `member_pass`) when no valid
    pass of the house has this number; the basket then keeps the pass it had."""
    basket = basket_for_key(request, token)
    basket_member_set(
        house=request.house, actor=request.api_key, basket=basket, number=data.number
    )
    return basket_for_key(request, token)


@router.delete(
    "/baskets/{token}/member-pass",
    response=BasketOut,
    summary="Buy the basket without a friends pass",
)
def member_pass_clear_api(request, token: str = Path(..., pattern=BASKET_REF)):
    """Take the friends pass off the basket: no more member tariffs or early
    access; the member tickets it holds are given back (they could not be bought
    without the pass)."""
    basket = basket_for_key(request, token)
    basket_member_clear(house=request.house, actor=request.api_key, basket=basket)
    return basket_for_key(request, token)


# --------------------------------------------------------------- gift vouchers


class VoucherPayIn(Schema):
    code: str = Field(
        max_length=40,
        pattern=TEXT,
        examples=["ABCD-EFGH-JKMN"],
        description="The gift voucher's code, with or without dashes or capitals.",
    )


class VoucherPaymentOut(Schema):
    amount: str = Field(description="What the voucher paid.", examples=["15.00"])
    voucher_balance: str = Field(
        description="What is left on the voucher now.", examples=["0.00"]
    )
    order_state: str = Field(
        description="paid when the voucher paid everything, else pending."
    )
    amount_due: str = Field(
        description="What is still to pay on the order (with POST "
        "/orders/{code}/payments, which charges only this).",
        examples=["25.00"],
    )


@router.post(
    "/orders/{code}/voucher",
    response={201: VoucherPaymentOut},
    summary="Pay an order with a gift voucher",
)
def voucher_pay_api(
    request, data: VoucherPayIn, code: str = Path(..., pattern=ORDER_CODE)
):
    """Pay what the pending order still owes from the gift voucher, up to its
    balance; the order is paid when nothing is left to pay, else pay the rest with
    POST /orders/{code}/payments. 400 (field `voucher_code`) when the code is
    unknown, not paid yet, expired or used up, when the order is not pending or
    buys a gift voucher itself, or when nothing is left to pay."""
    house = house_for(request, Action.ORDER_PAY)
    order = order_get(house=house, code=code)
    use = voucher_pay(house=house, actor=request.api_key, order=order, code=data.code)
    voucher = GiftVoucher.objects.get(pk=use.voucher_id)  # the balance after
    return Status(
        201,
        {
            "amount": money(use.amount),
            "voucher_balance": money(voucher.balance),
            "order_state": order.state,
            "amount_due": money(order_amount_due(order=order)),
        },
    )
