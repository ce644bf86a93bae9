"""Orders: from a basket to a pending order with tickets, then paid, expired or cancelled."""

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat

from podium.core.audit import actor_label, actor_user, audit_log
from podium.core.errors import NotFound
from podium.customers.models import Customer, CustomerRelation
from podium.customers.services import customer_relate
from podium.tenancy.models import House

from .. import hooks, promo
from ..errors import SalesError, SalesErrorCode
from ..models import (
    Basket,
    Hold,
    Order,
    OrderFee,
    OrderItem,
    OrderTransition,
    Ticket,
)
from ..selectors import order_get as order_get  # re-exported for callers of orders
from ..states import order_transition
from .inventory import release_counted, seat_labels, seats_release, seats_sell
from .pricing import hold_unit_price, order_fees, sales_settings_get, split_vat

# No 0/O, 1/I/L: a code read out over the phone is never misheard.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def order_code_new() -> str:
    """A fresh order code: 6 characters without 0/O/1/I/L, not used by any order."""
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        # This sees the current house's orders; a clash with another house's order
        # is caught by the unique index when the order is saved (order_place retries).
        if not Order.objects.filter(code=code).exists():
            return code
    raise SalesError(_("Podium is busy; please try again."), code=SalesErrorCode.BUSY)


def _invalid(message, field=None, code=SalesErrorCode.INVALID, **params):
    return SalesError(message, code=code, field=field, params=params)


def _check_buyer(
    buyer_name: str, buyer_email: str, company_vat: str, *, anonymous: bool = False
) -> str:
    """Validate the buyer; returns the VAT number in its compact form (or "").

    `anonymous`: a sale at the desk may leave name and e-mail empty (the buyer takes
    printed tickets); what is given must still be valid.
    """
    if not buyer_name.strip() and not anonymous:
        raise _invalid(_("Fill in the buyer's name."), field="buyer_name")
    if len(buyer_name.strip()) > 200:
        raise _invalid(
            _("The name can be at most 200 characters long."), field="buyer_name"
        )
    if anonymous and not buyer_email.strip():
        return _check_vat(company_vat)
    try:
        validate_email(buyer_email.strip())
    except ValidationError as error:
        raise _invalid(
            _("Enter a valid e-mail address."), field="buyer_email"
        ) from error
    return _check_vat(company_vat)


def _check_vat(company_vat: str) -> str:
    if company_vat:
        number = company_vat.strip().upper().replace(" ", "").replace(".", "")
        number = number.replace("-", "")
        if number.isdigit():  # "0123.456.749": a Belgian number without prefix
            number = f"BE{number}"
        valid = (
            be_vat.is_valid(number)
            if number.startswith("BE")
            else eu_vat.is_valid(number)
        )
        if not valid:
            raise _invalid(
                _("%(value)s is not a valid VAT number."),
                field="company_vat",
                value=company_vat,
            )
        return number
    return ""


def _existing(house: House, idempotency_key: str, fingerprint: str) -> Order | None:
    if not idempotency_key:
        return None
    order = Order.objects.filter(
        house_id=house.pk, idempotency_key=idempotency_key
    ).first()
    if order is not None and order.idempotency_fingerprint != fingerprint:
        raise SalesError(
            _("This Idempotency-Key was used before for a different order."),
            code=SalesErrorCode.IDEMPOTENCY_MISMATCH,
        )
    return order


def _claim_holds(basket: Basket, now: datetime) -> list[Hold]:
    holds = list(
        Hold.objects.filter(basket=basket, state=Hold.State.HELD).select_related(
            "tariff"
        )
    )
    if not holds:
        raise _invalid(_("Your basket is empty."), code=SalesErrorCode.BASKET_EMPTY)
    if basket.expires_at <= now or any(hold.expires_at <= now for hold in holds):
        raise _invalid(
            _("Your basket has expired; please start again."),
            code=SalesErrorCode.BASKET_EXPIRED,
        )
    flipped = Hold.objects.filter(
        pk__in=[h.pk for h in holds], state=Hold.State.HELD, expires_at__gt=now
    ).update(state=Hold.State.ORDERED)
    if flipped != len(holds):
        raise _invalid(
            _("Your basket has expired; please start again."),
            code=SalesErrorCode.BASKET_EXPIRED,
        )
    seats_sell(seat_ids=[seat for hold in holds for seat in hold.seat_ids])
    return holds


def tickets_for_holds(order: Order, holds: list[Hold]) -> list[Ticket]:
    tickets = []
    labels = seat_labels(
        seat_ids=[seat for hold in holds for seat in hold.seat_ids],
        language=order.locale,
    )
    for hold in holds:
        tariff = hold.tariff
        price = hold_unit_price(tariff_price=tariff.price, unit_price=hold.unit_price)
        net, vat = split_vat(price, tariff.vat_rate)
        seats = hold.seat_ids or [None] * hold.quantity
        for seat_id in seats:
            tickets.append(
                Ticket(
                    house_id=order.house_id,
                    order=order,
                    performance_id=hold.performance_id,
                    tariff=tariff,
                    category_id=tariff.category_id,
                    quota_ids=hold.quota_ids,
                    seat_id=seat_id,
                    seat_label=labels.get(seat_id, ""),
                    price=price,
                    vat_rate=Decimal(tariff.vat_rate),
                    vat_amount=vat,
                    net_amount=net,
                    secret=secrets.token_urlsafe(24),
                )
            )
    return tickets


def _tickets_by_hold(holds: list[Hold], tickets: list[Ticket]):
    """Pair each hold with its tickets (`tickets_for_holds` makes them in hold order)."""
    lines, start = [], 0
    for hold in holds:
        count = len(hold.seat_ids or [None] * hold.quantity)
        lines.append((hold, tickets[start : start + count]))
        start += count
    return lines


def order_place(**fields) -> Order:
    """Turn the basket's holds into a pending order (see `order_place_once`)."""
    order, _created = order_place_once(**fields)
    return order


def order_place_once(
    *,
    house: House,
    actor,
    basket: Basket,
    buyer_name: str,
    buyer_email: str,
    company_name: str = "",
    company_vat: str = "",
    locale: str = "nl",
    channel: str = Order.Channel.WEB,
    idempotency_key: str = "",
    fingerprint: str = "",
    send_confirmation: bool = True,
    customer: Customer | None = None,
) -> tuple[Order, bool]:
    """Turn the basket's holds into a pending order with one ticket per place.

    Returns (order, created). With an `idempotency_key`, a repeated call (same key,
    same `fingerprint` of the request) returns the first order with created=False;
    the same key with another fingerprint is refused. The placement itself is one
    durable transaction.
    """
    existing = _existing(house, idempotency_key, fingerprint)
    if existing is not None:
        return existing, False
    try:
        order = _order_place(
            house=house,
            actor=actor,
            basket=basket,
            buyer_name=buyer_name,
            buyer_email=buyer_email,
            company_name=company_name,
            company_vat=company_vat,
            locale=locale,
            channel=channel,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            send_confirmation=send_confirmation,
            customer=customer,
        )
    except (IntegrityError, SalesError):
        # Two requests with the same key raced: the loser either hit the unique key or
        # found the basket already ordered. The winner's order is the answer.
        existing = _existing(house, idempotency_key, fingerprint)
        if existing is None:
            raise
        return existing, False
    return order, True


@transaction.atomic(durable=True)
def _order_place(
    *,
    house,
    actor,
    basket,
    buyer_name,
    buyer_email,
    company_name,
    company_vat,
    locale,
    channel,
    idempotency_key,
    fingerprint,
    send_confirmation,
    customer=None,
) -> Order:
    now = timezone.now()
    if basket.house_id != house.pk:
        raise NotFound(_("Basket not found."))
    company_vat = _check_buyer(
        buyer_name,
        buyer_email,
        company_vat,
        anonymous=channel == Order.Channel.BOX_OFFICE,
    )
    if customer is not None:  # the house knows the customer from now on
        customer_relate(
            house=house,
            actor=actor,
            customer=customer,
            source=CustomerRelation.Source.ORDER,
        )
    settings = sales_settings_get(house=house)
    # Serialise with basket_add on the same basket (a no-op on SQLite).
    basket = Basket.objects.select_for_update().get(pk=basket.pk, house=house)
    if basket.promo_code_id:  # the code as it is now prices the order
        promo.basket_reprice(basket=basket, now=now)
    holds = _claim_holds(basket, now)
    user = actor_user(actor)
    order = _order_create(
        house=house,
        idempotency_key=idempotency_key,
        channel=channel,
        buyer_name=buyer_name.strip(),
        buyer_email=buyer_email.strip(),
        company_name=company_name.strip(),
        company_vat=company_vat,
        locale=locale if locale in ("nl", "fr", "en") else "nl",
        payment_deadline=now + timedelta(minutes=settings.payment_minutes),
        idempotency_fingerprint=fingerprint,
        send_confirmation=send_confirmation,
        created_by=user,
        customer=customer,
        member_pass=basket.member_pass,
    )
    used_code = promo.promo_code_claim(order=order, basket=basket, holds=holds, now=now)
    tickets = Ticket.objects.bulk_create(tickets_for_holds(order, holds))
    for callback in hooks.order_placing_callbacks():  # e.g. passes links subscriptions
        callback(order=order, lines=_tickets_by_hold(holds, tickets))
    tickets_total = sum((t.price for t in tickets), Decimal("0.00"))
    fees = order_fees(settings=settings, ticket_prices=[t.price for t in tickets])
    OrderFee.objects.bulk_create(
        OrderFee(
            house=house,
            order=order,
            kind=fee.kind,
            amount=fee.amount,
            vat_rate=fee.vat_rate,
            vat_amount=fee.vat,
            net_amount=fee.net,
        )
        for fee in fees
    )
    order.total = tickets_total + sum((fee.amount for fee in fees), Decimal("0.00"))
    _order_placed(
        order,
        actor,
        tickets=len(tickets),
        **({"promo_code": used_code.code} if used_code else {}),
    )
    return order


def _order_placed(order: Order, actor, **data) -> None:
    """Save the placed order's total; its first transition and the audit entry."""
    order.save(update_fields=["total"])
    OrderTransition.objects.create(
        house_id=order.house_id,
        order=order,
        from_state="",
        to_state=order.state,
        actor=actor_user(actor),
        actor_label=actor_label(actor),
    )
    audit_log(
        action="podium.sales.order.placed",
        obj=order,
        actor=actor,
        data={"code": order.code, "total": str(order.total), **data},
    )


@dataclass(frozen=True)
class ItemLine:
    """A non-ticket line to sell: what it is, its text and price incl. VAT."""

    kind: str
    description: str
    amount: Decimal
    vat_rate: str


@transaction.atomic
def order_items_place(
    *,
    house: House,
    actor,
    items: list[ItemLine],
    buyer_name: str,
    buyer_email: str,
    locale: str = "nl",
    channel: str = Order.Channel.WEB,
    customer: Customer | None = None,
) -> Order:
    """A pending order of non-ticket lines (no tickets, no service fees); the app
    selling them makes its passes or vouchers in the same transaction."""
    if not items:
        raise _invalid(_("Your basket is empty."), code=SalesErrorCode.BASKET_EMPTY)
    if any(item.amount < 0 for item in items):
        raise _invalid(_("An amount cannot be negative."))
    _check_buyer(buyer_name, buyer_email, "")
    if customer is not None:
        customer_relate(
            house=house,
            actor=actor,
            customer=customer,
            source=CustomerRelation.Source.ORDER,
        )
    settings = sales_settings_get(house=house)
    user = actor_user(actor)
    order = _order_create(
        house=house,
        idempotency_key="",
        channel=channel,
        buyer_name=buyer_name.strip(),
        buyer_email=buyer_email.strip(),
        locale=locale if locale in ("nl", "fr", "en") else "nl",
        payment_deadline=timezone.now() + timedelta(minutes=settings.payment_minutes),
        created_by=user,
        customer=customer,
    )
    for item in items:
        net, vat = split_vat(item.amount, item.vat_rate)
        OrderItem.objects.create(
            house=house,
            order=order,
            kind=item.kind,
            description=item.description[:200],
            amount=item.amount,
            vat_rate=Decimal(item.vat_rate),
            vat_amount=vat,
            net_amount=net,
        )
    order.total = sum((item.amount for item in items), Decimal("0.00"))
    _order_placed(order, actor, items=[item.kind for item in items])
    return order


def _order_create(*, house: House, idempotency_key: str, **fields) -> Order:
    """Insert the order under a fresh code; a code taken meanwhile is drawn again."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Order.objects.create(
                    house=house,
                    code=order_code_new(),
                    idempotency_key=idempotency_key,
                    **fields,
                )
        except IntegrityError:
            if (
                idempotency_key
                and Order.objects.filter(
                    house_id=house.pk, idempotency_key=idempotency_key
                ).exists()
            ):
                raise  # a concurrent request with the same key won
    raise SalesError(_("Podium is busy; please try again."), code=SalesErrorCode.BUSY)


@transaction.atomic
def order_mark_paid(*, order: Order, actor=None, note: str = "") -> Order:
    """PENDING → PAID; the order-paid hooks (mail, tickets) run after commit."""
    order_transition(
        order=order, to=Order.State.PAID, actor=actor, note=note, paid_at=timezone.now()
    )
    for callback in hooks.order_paid_callbacks():
        transaction.on_commit(lambda callback=callback, pk=order.pk: callback(pk))
    return order


@transaction.atomic
def tickets_release(*, tickets, state: str = Ticket.State.REFUNDED) -> int:
    """Mark valid tickets `state` and give their places back to sale; returns how many.

    Each ticket is released once: the state flip is conditional on VALID, so a
    repeated or concurrent call releases nothing twice. Places go back with one
    UPDATE per quota, in primary-key order.
    """
    if state == Ticket.State.VALID:
        raise ValueError("tickets_release cannot make tickets valid")
    candidates = sorted(tickets, key=lambda t: t.pk)
    places: Counter = Counter()
    released = []
    for ticket in candidates:
        flipped = Ticket.objects.filter(
            pk=ticket.pk, house_id=ticket.house_id, state=Ticket.State.VALID
        ).update(state=state)
        if flipped == 1:
            ticket.state = state
            places.update(ticket.quota_ids)
            released.append(ticket)
    release_counted(places=places)
    seats_release(seat_ids=[t.seat_id for t in released if t.seat_id])
    for order_id in sorted({t.order_id for t in released}):
        audit_log(
            action=f"podium.sales.ticket.{state}",
            obj=next(t.order for t in released if t.order_id == order_id),
            actor=None,
            data={"tickets": [t.pk for t in released if t.order_id == order_id]},
        )
    return len(released)


@transaction.atomic
def order_expire(*, order: Order, actor=None) -> Order:
    """PENDING → EXPIRED: the tickets are cancelled and their places go back, and
    so does the use of its promo code."""
    order_transition(
        order=order, to=Order.State.EXPIRED, actor=actor, note="payment deadline passed"
    )
    promo.promo_code_give_back(order=order, from_state=Order.State.PENDING)
    tickets_release(tickets=list(order.tickets.all()), state=Ticket.State.CANCELLED)
    _released(order, Order.State.PENDING)
    return order


def _released(order: Order, from_state: str) -> None:
    for callback in hooks.order_released_callbacks():  # e.g. a voucher's part back
        callback(order=order, from_state=from_state)


def orders_expire_overdue(*, now: datetime | None = None) -> int:
    """Expire pending orders past their payment deadline (the periodic task)."""
    now = now or timezone.now()
    expired = 0
    for order in Order.objects.filter(
        state=Order.State.PENDING, payment_deadline__lt=now
    ).order_by("pk"):
        try:
            order_expire(order=order)
            expired += 1
        except SalesError:
            continue  # paid or cancelled meanwhile
    return expired


@transaction.atomic
def order_cancel(*, house: House, actor, order: Order, reason: str = "") -> Order:
    """PENDING or PAID → CANCELLED, places back to sale. Money is not refunded here."""
    if order.house_id != house.pk:
        raise NotFound(_("Order not found."))
    from_state = order.state
    order_transition(
        order=order, to=Order.State.CANCELLED, actor=actor, note=reason[:200]
    )
    promo.promo_code_give_back(order=order, from_state=from_state)
    tickets_release(tickets=list(order.tickets.all()), state=Ticket.State.CANCELLED)
    _released(order, from_state)
    return order
