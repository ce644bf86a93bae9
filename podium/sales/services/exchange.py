"""Exchanging tickets of a paid order for places at another performance.

The old tickets become `exchanged` (they no longer print nor admit) and give their
places back; new tickets with fresh secrets join the SAME order, so the customer keeps
one order code. The order total moves by the price difference: more to pay is a
payment taken at the desk (cash or card terminal), less is a refund (cash back at the
desk, or back through the original payment). Service fees are not charged again.

Everything happens in one durable transaction: when a place cannot be claimed, nothing
changed. The new places are claimed through a box-office basket: a seated target
performance needs one filled by the caller (the office puts the chosen or best seats
in it through the seating app, which sales may not import); for general admission the
service fills one itself from the tariff chosen per ticket.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import actor_user, audit_log
from podium.core.errors import NotFound
from podium.core.money import quantize
from podium.tenancy.models import House

from .. import promo
from ..errors import SalesError, SalesErrorCode
from ..models import Basket, Hold, Order, Payment, Refund, Tariff, Ticket
from ..payments import provider_get
from .baskets import basket_add, basket_create
from .inventory import seats_sell, sold_by_seat
from .orders import tickets_for_holds, tickets_release
from .pricing import price_list, tariff_is_available

ZERO = Decimal("0.00")
EXCHANGEABLE_ORDER_STATES = (Order.State.PAID, Order.State.PARTIALLY_REFUNDED)
# More to pay: taken at the desk at once.
PAYMENT_METHODS = ("cash", "card_terminal")
# Less to pay: cash back at the desk, or back through the payment that paid the order.
REFUND_METHODS = ("cash", "original")


def _refuse(message, code=SalesErrorCode.INVALID, field=None, **params) -> SalesError:
    return SalesError(message, code=code, field=field, params=params)


@dataclass(frozen=True)
class ExchangeQuote:
    """What the exchange would cost: the old tickets' prices against the new ones.

    `lines` pairs each old ticket with the tariff of its new place (None when the
    staff still has to choose one).
    """

    lines: list[tuple[Ticket, Tariff | None]]
    old_total: Decimal
    new_total: Decimal

    @property
    def difference(self) -> Decimal:
        """Positive: the customer pays more; negative: money goes back."""
        return self.new_total - self.old_total

    @property
    def complete(self) -> bool:
        return all(tariff is not None for _ticket, tariff in self.lines)


@dataclass(frozen=True)
class Exchange:
    order: Order
    old_tickets: list[Ticket]
    new_tickets: list[Ticket]
    difference: Decimal
    payment: Payment | None = None
    refund: Refund | None = None


# ---------------------------------------------------------------------- tariffs


def exchange_tariffs(
    *, performance: Performance, order: Order | None = None
) -> list[Tariff]:
    """The tariffs the desk may sell for `performance` now (box-office channel);
    with the member tariffs too when `order` was bought with a friends pass."""
    tariffs = price_list(performance=performance)
    unlocked = (
        promo.basket_unlocked_tariff_ids(
            basket=_as_basket(order), tariffs=tariffs, performance=performance
        )
        if order is not None and order.member_pass
        else ()
    )
    return [
        tariff
        for tariff in tariffs
        if tariff_is_available(
            tariff=tariff, channel=Order.Channel.BOX_OFFICE, unlocked=unlocked
        ).available
    ]


def _as_basket(order: Order) -> Basket:
    """An unsaved basket with the order's rights (its friends pass): what the
    exchange may sell is asked as for a basket."""
    return Basket(
        house_id=order.house_id,
        channel=Order.Channel.BOX_OFFICE,
        member_pass=order.member_pass,
    )


def exchange_tariff_default(*, ticket: Ticket, tariffs: list[Tariff]) -> Tariff | None:
    """The new tariff for `ticket`: its own when sold there, else the same kind in a
    category of the same name, else the only tariff of that kind; None: staff choose."""
    for tariff in tariffs:
        if tariff.pk == ticket.tariff_id:
            return tariff
    same_kind = [t for t in tariffs if t.kind == ticket.tariff.kind]
    for tariff in same_kind:
        if tariff.category.name == ticket.category.name:
            return tariff
    return same_kind[0] if len(same_kind) == 1 else None


# ------------------------------------------------------------------------ quote


def _selected(house: House, order: Order, ticket_ids) -> list[Ticket]:
    wanted = {int(pk) for pk in ticket_ids}
    if not wanted:
        raise _refuse(_("Choose the tickets to exchange."), field="tickets")
    tickets = list(
        Ticket.objects.filter(house=house, order=order, pk__in=wanted)
        .select_related("tariff", "category")
        .order_by("pk")
    )
    if len(tickets) != len(wanted) or any(
        ticket.state != Ticket.State.VALID for ticket in tickets
    ):
        raise _refuse(
            _("Only valid tickets of this order can be exchanged."), field="tickets"
        )
    return tickets


def _check(
    *, house: House, order: Order, tickets: list[Ticket], performance: Performance
) -> None:
    if order.house_id != house.pk:
        raise NotFound(_("This order does not exist."))
    if performance.house_id != house.pk:
        raise NotFound(_("This performance does not exist."))
    if order.state not in EXCHANGEABLE_ORDER_STATES:
        raise _refuse(
            _("Only a paid order can be exchanged; this one is %(state)s."),
            code=SalesErrorCode.ORDER_NOT_PAID,
            state=Order.State(order.state).label,
        )
    if any(ticket.performance_id == performance.pk for ticket in tickets):
        raise _refuse(
            _("These tickets are already for this performance: choose another one."),
            field="performance",
        )
    if performance.status != Performance.Status.ON_SALE:
        raise _refuse(
            _("This performance is not on sale."),
            code=SalesErrorCode.NOT_ON_SALE,
            field="performance",
        )
    if performance.starts_at <= timezone.now():
        raise _refuse(
            _("This performance has already begun: choose a coming one."),
            code=SalesErrorCode.NOT_ON_SALE,
            field="performance",
        )


def _basket_prices(basket: Basket, performance: Performance) -> list[Decimal]:
    holds = Hold.objects.filter(
        basket=basket, state=Hold.State.HELD, expires_at__gt=timezone.now()
    ).select_related("tariff")
    prices = []
    for hold in holds:
        if hold.performance_id != performance.pk:
            raise _refuse(_("The new places are for another performance."))
        prices += [hold.tariff.price] * hold.quantity
    return prices


def exchange_quote(
    *,
    house: House,
    order: Order,
    ticket_ids,
    performance: Performance,
    tariffs: dict[int, Tariff] | None = None,
    basket: Basket | None = None,
) -> ExchangeQuote:
    """What exchanging `ticket_ids` of `order` for `performance` would cost.

    The new prices come from the places held in `basket` (seated performances), or
    from the tariff chosen per old ticket id in `tariffs` (else the default one).
    Raises the same refusals as `exchange_tickets` for the tickets and performance.
    """
    tickets = _selected(house, order, ticket_ids)
    _check(house=house, order=order, tickets=tickets, performance=performance)
    old_total = quantize(sum((t.price for t in tickets), ZERO))
    if basket is not None:
        prices = _basket_prices(basket, performance)
        if len(prices) != len(tickets):
            raise _refuse(_("Choose as many new places as tickets to exchange."))
        lines = [(ticket, None) for ticket in tickets]
        return ExchangeQuote(lines, old_total, quantize(sum(prices, ZERO)))
    lines = _lines(tickets, performance, tariffs or {}, order)
    new_total = sum((t.price for _ticket, t in lines if t is not None), ZERO)
    return ExchangeQuote(lines, old_total, quantize(new_total))


def _lines(tickets, performance, chosen: dict[int, Tariff], order=None):
    options = exchange_tariffs(performance=performance, order=order)
    lines = []
    for ticket in tickets:
        tariff = chosen.get(ticket.pk) or exchange_tariff_default(
            ticket=ticket, tariffs=options
        )
        if tariff is not None and tariff.pk not in {t.pk for t in options}:
            raise _refuse(
                _("This tariff is not sold for this performance."),
                code=SalesErrorCode.TARIFF_UNAVAILABLE,
                field=f"tariff_{ticket.pk}",
            )
        lines.append((ticket, tariff))
    return lines


# --------------------------------------------------------------------- exchange


def exchange_tickets(
    *,
    house: House,
    actor,
    order: Order,
    ticket_ids,
    performance: Performance,
    tariffs: dict[int, Tariff] | None = None,
    basket: Basket | None = None,
    payment_method: str = "cash",
    refund_method: str = "cash",
) -> Exchange:
    """Exchange `ticket_ids` of `order` for places at `performance`, in one go.

    General admission: one place per old ticket at the tariff chosen for it in
    `tariffs` (old ticket id → tariff), by default the same tariff (or kind and
    category) when sold there. A seated performance needs `basket`: a box-office
    basket holding exactly one place per old ticket (chosen or best seats); its holds
    become the new tickets. A higher price is paid with `payment_method` (cash or
    card terminal); a lower one goes back by `refund_method` ("cash" at the desk, or
    "original": through the payment that paid the order).
    """
    exchange = _exchange(
        house=house,
        actor=actor,
        order=order,
        ticket_ids=ticket_ids,
        performance=performance,
        tariffs=tariffs,
        basket=basket,
        payment_method=payment_method,
        refund_method=refund_method,
    )
    if exchange.refund is not None and exchange.refund.state == Refund.State.PENDING:
        _refund_through_provider(exchange.refund, actor)  # outside the transaction
    return exchange


def _exchange(
    *,
    house,
    actor,
    order,
    ticket_ids,
    performance,
    tariffs,
    basket,
    payment_method,
    refund_method,
) -> Exchange:
    with transaction.atomic(durable=True):
        locked = Order.objects.select_for_update().filter(pk=order.pk).first()
        if locked is None or locked.house_id != house.pk:
            raise NotFound(_("This order does not exist."))
        performance = Performance.objects.filter(pk=performance.pk).first()
        if performance is None:
            raise NotFound(_("This performance does not exist."))
        old = _selected(house, locked, ticket_ids)
        _check(house=house, order=locked, tickets=old, performance=performance)
        if basket is None:
            basket = _fill_basket(house, actor, locked, old, performance, tariffs)
        elif basket.house_id != house.pk:
            raise NotFound(_("Basket not found."))
        holds = _take_holds(basket, performance, len(old))
        new = Ticket.objects.bulk_create(tickets_for_holds(locked, holds))
        for old_ticket, new_ticket in zip(old, new, strict=True):
            if old_ticket.holder_name:
                new_ticket.holder_name = old_ticket.holder_name
                new_ticket.save(update_fields=["holder_name"])
        if tickets_release(tickets=old, state=Ticket.State.EXCHANGED) != len(old):
            raise _refuse(
                _("These tickets changed meanwhile; please try again."),
                code=SalesErrorCode.BUSY,
            )
        difference = quantize(
            sum((t.price for t in new), ZERO) - sum((t.price for t in old), ZERO)
        )
        locked.total = locked.total + difference
        locked.save(update_fields=["total", "updated_at"])
        payment = refund = None
        if difference > 0:
            payment = _payment(locked, actor, difference, payment_method, old, new)
        elif difference < 0:
            refund = _refund(locked, actor, -difference, refund_method, old)
        audit_log(
            action="podium.sales.order.exchanged",
            obj=locked,
            actor=actor,
            data={
                "performance": performance.pk,
                "tickets": {str(o.pk): n.pk for o, n in zip(old, new, strict=True)},
                "difference": str(difference),
                "payment": payment.pk if payment else None,
                "refund": refund.pk if refund else None,
            },
        )
        for old_ticket, new_ticket in zip(old, new, strict=True):
            audit_log(
                action="podium.sales.ticket.exchanged",
                obj=old_ticket,
                actor=actor,
                data={"order": locked.code, "new_ticket": new_ticket.pk},
            )
    order.refresh_from_db()
    return Exchange(order, old, new, difference, payment, refund)


def _fill_basket(house, actor, order, old, performance, tariffs) -> Basket:
    """General admission: claim one place per old ticket at its new tariff."""
    if sold_by_seat(performance=performance):
        raise _refuse(
            _("Choose the seats for this performance."),
            code=SalesErrorCode.SEATS_REQUIRED,
        )
    lines = _lines(old, performance, tariffs or {}, order)
    if any(tariff is None for _ticket, tariff in lines):
        raise _refuse(_("Choose a tariff for every ticket."))
    counts: dict[Tariff, int] = {}
    for _ticket, tariff in lines:
        counts[tariff] = counts.get(tariff, 0) + 1
    basket = basket_create(house=house, channel=Order.Channel.BOX_OFFICE)
    if order.member_pass:  # the new places are bought with the same friends pass
        Basket.objects.filter(pk=basket.pk).update(member_pass=order.member_pass)
        basket.member_pass = order.member_pass
    for tariff, quantity in counts.items():
        basket_add(
            house=house,
            actor=actor,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=quantity,
        )
    return basket


def _take_holds(basket: Basket, performance: Performance, count: int) -> list[Hold]:
    """Flip the basket's holds to ordered (each once) and sell their seats."""
    now = timezone.now()
    basket = Basket.objects.select_for_update().get(pk=basket.pk)
    holds = list(
        Hold.objects.filter(basket=basket, state=Hold.State.HELD).select_related(
            "tariff"
        )
    )
    if any(hold.performance_id != performance.pk for hold in holds):
        raise _refuse(_("The new places are for another performance."))
    if sum(hold.quantity for hold in holds) != count:
        raise _refuse(_("Choose as many new places as tickets to exchange."))
    flipped = Hold.objects.filter(
        pk__in=[h.pk for h in holds], state=Hold.State.HELD, expires_at__gt=now
    ).update(state=Hold.State.ORDERED)
    if flipped != len(holds):
        raise _refuse(
            _("The new places were given up meanwhile; please choose them again."),
            code=SalesErrorCode.BASKET_EXPIRED,
        )
    seats_sell(seat_ids=[seat for hold in holds for seat in hold.seat_ids])
    # The tickets keep the order of the holds; the old tickets map onto them in
    # primary-key order.
    return holds


def _payment(order, actor, amount, method, old, new) -> Payment:
    if method not in PAYMENT_METHODS:
        raise _refuse(
            _("Choose how the difference is paid: cash or card terminal."),
            field="payment_method",
        )
    user = actor_user(actor)
    payment = Payment.objects.create(
        house_id=order.house_id,
        order=order,
        provider=method,
        amount=amount,
        state=Payment.State.PAID,
        paid_at=timezone.now(),
        data={
            "exchange": True,
            "by": user.pk if user else None,
            "tickets_in": [t.pk for t in new],
            "tickets_out": [t.pk for t in old],
        },
    )
    audit_log(
        action="podium.sales.payment.paid",
        obj=payment,
        actor=actor,
        data={"order": order.code, "amount": str(amount), "note": "exchange"},
    )
    return payment


def _original_payment(order: Order) -> Payment | None:
    for payment in order.payments.filter(state=Payment.State.PAID).order_by("pk"):
        if not payment.data.get("refund_due") and not payment.data.get("exchange"):
            return payment
    return None


def _refund(order, actor, amount, method, old) -> Refund:
    if method not in REFUND_METHODS:
        raise _refuse(
            _("Choose how the difference goes back: cash or the original payment."),
            field="refund_method",
        )
    payment = _original_payment(order)
    if method == "cash":
        state, via = Refund.State.DONE, "cash"
    elif payment is None:
        raise _refuse(
            _("This order has no payment to pay back to: give the difference in cash."),
            field="refund_method",
        )
    else:
        provider = provider_get(payment.provider)
        state = (
            Refund.State.PENDING
            if provider is not None and provider.supports_refund
            else Refund.State.MANUAL
        )
        via = ""
    refund = Refund.objects.create(
        house_id=order.house_id,
        order=order,
        payment=payment,
        amount=amount,
        state=state,
        method=via,
        reason=str(_("Exchange"))[:200],
        created_by=actor_user(actor),
    )
    refund.tickets.set(old)
    audit_log(
        action="podium.sales.refund.created",
        obj=refund,
        actor=actor,
        data={
            "order": order.code,
            "amount": str(amount),
            "state": state,
            "method": via or (payment.provider if payment else ""),
            "tickets": [t.pk for t in old],
            "reason": "exchange",
        },
    )
    return refund


def _refund_through_provider(refund: Refund, actor) -> None:
    """Pay the difference back through the provider (Mollie); no transaction open."""
    provider = provider_get(refund.payment.provider)
    try:
        result = provider.refund(refund.payment, refund.amount)
    except SalesError:
        state, external_id, data = Refund.State.FAILED, "", {}
    else:
        state, external_id, data = result.state, result.external_id, result.data
    with transaction.atomic(durable=True):
        Refund.objects.filter(
            pk=refund.pk, house_id=refund.house_id, state=Refund.State.PENDING
        ).update(state=state, external_id=external_id, updated_at=timezone.now())
        refund.state, refund.external_id = state, external_id
        audit_log(
            action=f"podium.sales.refund.{'failed' if state == 'failed' else 'done'}",
            obj=refund,
            actor=actor,
            data={"external_id": external_id, **data},
        )
