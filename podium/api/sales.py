"""Selling over the API with a house's key: baskets and holds, orders, payments,
ticket PDFs and ticket verification.

Each operation checks the key's scope (`house_for`), loads what it needs through the
house, calls one sales service or selector, and answers; sales errors become problems.
"""

import hashlib
import json
from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Path, Router, Schema, Status

from podium.catalog.selectors import performance_get
from podium.core.errors import NotFound
from podium.sales import promo
from podium.sales.errors import SalesError, SalesErrorCode
from podium.sales.models import Hold, Order, Tariff, Ticket
from podium.sales.selectors import order_get
from podium.sales.services.baskets import (
    basket_add,
    basket_create,
    basket_get,
    basket_remaining_seconds,
    basket_remove_hold,
)
from podium.sales.services.orders import order_place_once
from podium.sales.services.payments import payment_start
from podium.sales.services.pricing import hold_unit_price, sales_settings_get
from podium.sales.services.tickets import ticket_verify
from podium.sales.tickets.pdf import order_pdf, ticket_pdf
from podium.sales.tickets.validity import ADMITTING_ORDER_STATES
from podium.seating.services import basket_add_best_available
from podium.tenancy.permissions import Action

from .auth import api_key_auth, house_for
from .fields import BASKET_REF, ORDER_CODE, TEXT, money

router = Router(tags=["sales"], auth=api_key_auth)

PDF = "application/pdf"
CHANNELS = {"partner": Order.Channel.PARTNER, "box_office": Order.Channel.BOX_OFFICE}


# --------------------------------------------------------------------- baskets


class HoldOut(Schema):
    id: int
    performance: int
    tariff: int
    quantity: int
    unit_price: str
    expires_at: datetime

    @staticmethod
    def resolve_performance(hold) -> int:
        return hold.performance_id

    @staticmethod
    def resolve_tariff(hold) -> int:
        return hold.tariff_id

    @staticmethod
    def resolve_unit_price(hold) -> str:
        return money(
            hold_unit_price(tariff_price=hold.tariff.price, unit_price=hold.unit_price)
        )


class PromoCodeOut(Schema):
    code: str
    kind: str = Field(description="percent, amount or unlock.")
    value: str = Field(description="The percentage or the amount off per ticket.")
    description: str
    unlocked_tariffs: list[int] = Field(
        description="Unlock codes: the hidden tariffs it lets the basket hold."
    )

    @staticmethod
    def resolve_value(code) -> str:
        return money(code.value)

    @staticmethod
    def resolve_unlocked_tariffs(code) -> list[int]:
        return promo.promo_unlock_tariff_list(promo=code)


class BasketOut(Schema):
    token: str
    channel: str
    expires_at: datetime
    remaining_seconds: int = Field(description="The countdown to show.")
    holds: list[HoldOut] = Field(description="What the basket holds now.")
    promo_code: PromoCodeOut | None = Field(
        description="The promo code applied; `unit_price` of each hold includes it."
    )
    member_pass: str = Field(
        description="The friends pass the basket is bought with: it opens member "
        "tariffs."
    )

    @staticmethod
    def resolve_promo_code(basket):
        return basket.promo_code if basket.promo_code_id else None

    @staticmethod
    def resolve_remaining_seconds(basket) -> int:
        return basket_remaining_seconds(basket=basket)

    @staticmethod
    def resolve_holds(basket) -> list:
        return list(basket.holds.filter(state=Hold.State.HELD).select_related("tariff"))


class BasketCreateIn(Schema):
    channel: Literal["partner", "box_office"] = Field(
        "partner",
        description="box_office (staff-only tariffs and cash/card payments) needs "
        "the key scope office.view.",
    )


class HoldCreateIn(Schema):
    performance: int
    tariff: int
    quantity: int = Field(ge=1, le=100)


def basket_for_key(request, token: str):
    """The basket with `token` of the key's house (scope sales.sell)."""
    return basket_get(house=house_for(request, Action.SALES_SELL), token=token)


@router.post("/baskets", response={201: BasketOut}, summary="Create a basket")
def basket_create_api(request, data: BasketCreateIn):
    house = house_for(request, Action.SALES_SELL)
    if data.channel == "box_office":
        house_for(request, Action.OFFICE_VIEW)
    return Status(201, basket_create(house=house, channel=data.channel))


@router.get("/baskets/{token}", response=BasketOut, summary="Get a basket")
def basket_get_api(request, token: str = Path(..., pattern=BASKET_REF)):
    return basket_for_key(request, token)


@router.post("/baskets/{token}/holds", response={201: HoldOut}, summary="Claim places")
def hold_create_api(
    request, data: HoldCreateIn, token: str = Path(..., pattern=BASKET_REF)
):
    """Hold `quantity` places of a tariff until the basket expires; 409 when sold out."""
    basket = basket_for_key(request, token)
    house = request.house
    tariff = Tariff.objects.filter(house=house, pk=data.tariff).first()
    if tariff is None:
        raise NotFound(_("Tariff not found."))
    hold = basket_add(
        house=house,
        actor=request.api_key,
        basket=basket,
        performance=performance_get(house=house, pk=data.performance),
        tariff=tariff,
        quantity=data.quantity,
    )
    return Status(201, hold)


class BestAvailableIn(Schema):
    performance: int
    tariff: int
    quantity: int = Field(ge=1, le=20)


class BestAvailableOut(Schema):
    hold: HoldOut
    seats: list[int] = Field(description="The performance seats held.")
    together: bool = Field(description="Whether the seats sit side by side.")


@router.post(
    "/baskets/{token}/best-available",
    response={201: BestAvailableOut},
    summary="Hold the best available seats",
)
def best_available_create_api(
    request, data: BestAvailableIn, token: str = Path(..., pattern=BASKET_REF)
):
    """For a performance sold by seat: hold the best `quantity` free seats of the
    tariff's rank until the basket expires; 409 sold_out when too few are left."""
    basket = basket_for_key(request, token)
    house = request.house
    tariff = Tariff.objects.filter(house=house, pk=data.tariff).first()
    if tariff is None:
        raise NotFound(_("Tariff not found."))
    chosen = basket_add_best_available(
        house=house,
        actor=request.api_key,
        basket=basket,
        performance=performance_get(house=house, pk=data.performance),
        tariff=tariff,
        count=data.quantity,
    )
    hold = chosen.hold
    return Status(
        201, {"hold": hold, "seats": sorted(hold.seat_ids), "together": chosen.together}
    )


@router.delete(
    "/baskets/{token}/holds/{hold_id}",
    response={204: None},
    summary="Give held places back",
)
def hold_delete_api(request, hold_id: int, token: str = Path(..., pattern=BASKET_REF)):
    basket = basket_for_key(request, token)
    hold = Hold.objects.filter(
        house=request.house, basket=basket, pk=hold_id, state=Hold.State.HELD
    ).first()
    if hold is None:
        raise NotFound(_("Hold not found."))
    basket_remove_hold(house=request.house, actor=request.api_key, hold=hold)
    return Status(204, None)


class PromoCodeIn(Schema):
    code: str = Field(max_length=60, pattern=TEXT, examples=["ZOMER10"])


@router.post(
    "/baskets/{token}/promo-code",
    response=BasketOut,
    summary="Apply a promo code",
)
def promo_code_apply_api(
    request, data: PromoCodeIn, token: str = Path(..., pattern=BASKET_REF)
):
    """Apply the code to the basket: its holds in scope get the lower `unit_price`,
    an unlock code lets it hold hidden tariffs. 400 with a code such as
    promo_code_unknown, promo_code_expired or promo_code_not_applicable; 409
    promo_code_used_up."""
    basket = basket_for_key(request, token)
    promo.basket_apply_code(
        house=request.house, actor=request.api_key, basket=basket, code=data.code
    )
    return basket_for_key(request, token)


@router.delete(
    "/baskets/{token}/promo-code",
    response=BasketOut,
    summary="Remove the promo code",
)
def promo_code_remove_api(request, token: str = Path(..., pattern=BASKET_REF)):
    """Take the code off: every hold gets its tariff's price back; holds of hidden
    tariffs it unlocked are given back."""
    basket = basket_for_key(request, token)
    promo.basket_remove_code(house=request.house, actor=request.api_key, basket=basket)
    return basket_for_key(request, token)


# ---------------------------------------------------------------------- orders


class TicketOut(Schema):
    id: int
    performance: int
    tariff: int
    category: int
    price: str
    vat_rate: str
    state: str
    pdf: str = Field(description="Path of the ticket's PDF.")

    @staticmethod
    def resolve_performance(ticket) -> int:
        return ticket.performance_id

    @staticmethod
    def resolve_tariff(ticket) -> int:
        return ticket.tariff_id

    @staticmethod
    def resolve_category(ticket) -> int:
        return ticket.category_id

    @staticmethod
    def resolve_price(ticket) -> str:
        return money(ticket.price)

    @staticmethod
    def resolve_vat_rate(ticket) -> str:
        return money(ticket.vat_rate)

    @staticmethod
    def resolve_pdf(ticket) -> str:
        return reverse("api:ticket_pdf_api", args=[ticket.pk])


class FeeOut(Schema):
    kind: str
    amount: str
    vat_rate: str

    @staticmethod
    def resolve_amount(fee) -> str:
        return money(fee.amount)

    @staticmethod
    def resolve_vat_rate(fee) -> str:
        return money(fee.vat_rate)


class OrderOut(Schema):
    code: str
    promo_code: str | None = Field(description="The promo code used, if any.")
    state: str = Field(
        description="pending, paid, expired, cancelled, (partially_)refunded."
    )
    channel: str
    total: str
    buyer_name: str
    buyer_email: str
    company_name: str
    company_vat: str
    locale: str
    created_at: datetime
    payment_deadline: datetime | None
    paid_at: datetime | None
    tickets: list[TicketOut]
    fees: list[FeeOut]
    tickets_pdf: str = Field(description="Path of the PDF with every ticket.")

    @staticmethod
    def resolve_total(order) -> str:
        return money(order.total)

    @staticmethod
    def resolve_promo_code(order) -> str | None:
        return order.promo_code.code if order.promo_code_id else None

    @staticmethod
    def resolve_tickets(order) -> list:
        return list(order.tickets.all())

    @staticmethod
    def resolve_fees(order) -> list:
        return list(order.fees.all())

    @staticmethod
    def resolve_tickets_pdf(order) -> str:
        return reverse("api:order_pdf_api", args=[order.code])


class OrderCreateIn(Schema):
    basket: str = Field(description="The basket's token.", pattern=BASKET_REF)
    buyer_name: str = Field(max_length=200, pattern=TEXT)
    buyer_email: str = Field(max_length=254, pattern=TEXT)
    company_name: str = Field("", max_length=200, pattern=TEXT)
    company_vat: str = Field("", max_length=30, pattern=TEXT)
    locale: Literal["nl", "fr", "en"] = "nl"


def fingerprint(data: Schema) -> str:
    """SHA-256 of the request in canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(
        data.dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@router.post(
    "/orders",
    response={200: OrderOut, 201: OrderOut},
    summary="Place an order",
)
def order_create_api(
    request,
    data: OrderCreateIn,
    idempotency_key: str = Header(
        "", alias="Idempotency-Key", max_length=100, pattern=TEXT
    ),
):
    """Turn the basket into a pending order. With an `Idempotency-Key`, a repeat of
    the same request answers the same order (200); the key with another body, 409."""
    basket = basket_for_key(request, data.basket)
    order, created = order_place_once(
        house=request.house,
        actor=request.api_key,
        basket=basket,
        buyer_name=data.buyer_name,
        buyer_email=data.buyer_email,
        company_name=data.company_name,
        company_vat=data.company_vat,
        locale=data.locale,
        channel=CHANNELS.get(basket.channel, Order.Channel.PARTNER),
        idempotency_key=idempotency_key.strip(),
        fingerprint=fingerprint(data),
    )
    return Status(201 if created else 200, order)


@router.get("/orders/{code}", response=OrderOut, summary="Get an order")
def order_get_api(request, code: str = Path(..., pattern=ORDER_CODE)):
    return order_get(house=house_for(request, Action.ORDER_VIEW), code=code)


# -------------------------------------------------------------------- payments


class BankTransferOut(Schema):
    iban: str
    beneficiary: str
    amount: str
    communication: str = Field(examples=["+++090/9337/55493+++"])
    deadline: datetime | None


class PaymentOut(Schema):
    id: int
    provider: str
    state: str = Field(description="created, pending, paid, failed, …")
    amount: str
    order_state: str
    checkout_url: str | None = Field(description="Mollie: send the buyer here.")
    bank_transfer: BankTransferOut | None = Field(
        description="Bank transfer: what the buyer must transfer."
    )

    @staticmethod
    def resolve_amount(payment) -> str:
        return money(payment.amount)

    @staticmethod
    def resolve_order_state(payment) -> str:
        return payment.order.state

    @staticmethod
    def resolve_checkout_url(payment) -> str | None:
        return payment.checkout_url or None

    @staticmethod
    def resolve_bank_transfer(payment) -> dict | None:
        if not payment.structured_communication:
            return None
        house = payment.order.house
        return {
            "iban": sales_settings_get(house=house).bank_account_iban,
            "beneficiary": house.legal_name or house.name,
            "amount": money(payment.amount),
            "communication": payment.structured_communication,
            "deadline": payment.order.payment_deadline,
        }


class PaymentCreateIn(Schema):
    provider: Literal["free", "cash", "card_terminal", "bank_transfer", "mollie"]
    return_url: str = Field(
        "",
        max_length=500,
        pattern=TEXT,
        description="Mollie: where the buyer comes back to (default: our return page).",
    )


@router.post(
    "/orders/{code}/payments", response={201: PaymentOut}, summary="Pay an order"
)
def payment_create_api(
    request, data: PaymentCreateIn, code: str = Path(..., pattern=ORDER_CODE)
):
    """Start paying: free, cash and card terminal are paid at once (the last two only
    for box-office baskets), bank transfer answers the transfer instructions, Mollie
    a `checkout_url`; the order becomes paid when Mollie's webhook says so."""
    house = house_for(request, Action.ORDER_PAY)
    order = order_get(house=house, code=code)
    return_url = data.return_url or request.build_absolute_uri(
        reverse("shop:payment-return", args=[order.code])
    )
    payment = payment_start(
        house=house,
        actor=request.api_key,
        order=order,
        provider=data.provider,
        return_url=return_url,
    )
    return Status(201, payment)


# --------------------------------------------------------------------- tickets


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _admitting(order: Order) -> None:
    if order.state not in ADMITTING_ORDER_STATES:
        raise SalesError(
            _("This order is not paid: it has no tickets yet."),
            code=SalesErrorCode.ORDER_NOT_PAID,
        )


@router.get(
    "/orders/{code}/tickets.pdf",
    summary="The order's tickets (PDF)",
    response={200: None},
    url_name="order_pdf_api",
    openapi_extra={"responses": {200: {"content": {PDF: {}}}}},
)
def order_pdf_api(request, code: str = Path(..., pattern=ORDER_CODE)):
    order = order_get(house=house_for(request, Action.ORDER_VIEW), code=code)
    _admitting(order)
    return _pdf(order_pdf(order), f"{order.code}.pdf")


@router.get(
    "/tickets/{ticket_id}.pdf",
    summary="One ticket (PDF)",
    response={200: None},
    url_name="ticket_pdf_api",
    openapi_extra={"responses": {200: {"content": {PDF: {}}}}},
)
def ticket_pdf_api(request, ticket_id: int):
    house = house_for(request, Action.ORDER_VIEW)
    ticket = (
        Ticket.objects.filter(house=house, pk=ticket_id).select_related("order").first()
    )
    if ticket is None:
        raise NotFound(_("This ticket does not exist."))
    _admitting(ticket.order)
    return _pdf(ticket_pdf(ticket), f"{ticket.order.code}-{ticket.pk}.pdf")


class TicketVerifyIn(Schema):
    payload: str = Field(
        description="The code in the ticket's QR.", max_length=1000, pattern=TEXT
    )


class TicketVerifyOut(Schema):
    valid: bool
    reason: str = Field(
        description="valid, malformed, unknown_key, bad_signature, other_house, "
        "not_found, reissued, cancelled, refunded or unpaid."
    )
    message: str
    ticket: int | None
    order: str | None
    performance: int | None

    @staticmethod
    def resolve_ticket(check) -> int | None:
        return check.ticket.pk if check.ticket else None

    @staticmethod
    def resolve_order(check) -> str | None:
        return check.ticket.order.code if check.ticket else None

    @staticmethod
    def resolve_performance(check) -> int | None:
        return check.ticket.performance_id if check.ticket else None


@router.post("/tickets/verify", response=TicketVerifyOut, summary="Verify a ticket")
def ticket_verify_api(request, data: TicketVerifyIn):
    """Does this QR code admit someone now? Always 200; `reason` says why not."""
    house = house_for(request, Action.TICKET_VERIFY)
    return ticket_verify(house=house, payload=data.payload)
