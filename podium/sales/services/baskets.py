"""Baskets: places claimed for a visitor or a box-office sale, held for a set time."""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.tenancy.models import House

from .. import hooks, promo
from ..errors import SalesError, SalesErrorCode
from ..models import Basket, Hold, Tariff
from . import inventory
from .inventory import claim, release, release_expired_holds
from .pricing import (
    STAFF_CHANNELS,
    hold_unit_price,
    order_fees,
    price_list,
    sales_settings_get,
    tariff_is_available,
)


def _refuse(message, code=SalesErrorCode.NOT_ON_SALE, **params):
    return SalesError(message, code=code, params=params)


@transaction.atomic
def basket_create(*, house: House, channel: str = "web") -> Basket:
    """An empty basket; what it claims is held until `expires_at`."""
    minutes = sales_settings_get(house=house).hold_minutes
    return Basket.objects.create(
        house=house,
        token=secrets.token_urlsafe(32),
        channel=channel,
        expires_at=timezone.now() + timedelta(minutes=minutes),
    )


def basket_get(*, house: House, token: str) -> Basket:
    """The house's basket with this token; NotFound alike for missing and foreign."""
    basket = Basket.objects.filter(house_id=house.pk, token=token).first()
    if basket is None:
        raise NotFound(_("Basket not found."))
    return basket


def basket_remaining_seconds(*, basket: Basket, now: datetime | None = None) -> int:
    """Seconds left to complete the order (the countdown shown to the visitor)."""
    now = now or timezone.now()
    return max(int((basket.expires_at - now).total_seconds()), 0)


def sales_start_advance(
    *, basket: Basket | None, performance: Performance, now: datetime
) -> timedelta:
    """How long before the performance's sales start this basket may buy (early
    access for friends of the house); zero for everybody else."""
    if basket is None:
        return timedelta(0)
    return max(
        (
            callback(basket=basket, performance=performance, now=now)
            for callback in hooks.sales_start_advance_callbacks()
        ),
        default=timedelta(0),
    )


def _check_performance(
    performance: Performance, channel: str, now, basket: Basket | None = None
) -> None:
    if performance.status != Performance.Status.ON_SALE:
        raise _refuse(_("This performance is not on sale."))
    if (
        performance.visibility == Performance.Visibility.HIDDEN
        and channel not in STAFF_CHANNELS
    ):
        raise _refuse(_("This performance is not on sale."))
    if performance.sales_start and now < performance.sales_start:
        advance = sales_start_advance(basket=basket, performance=performance, now=now)
        if now < performance.sales_start - advance:
            raise _refuse(_("Sales for this performance have not started yet."))
    sales_end = performance.sales_end or performance.starts_at
    if now >= sales_end and channel not in STAFF_CHANNELS:
        raise _refuse(_("Sales for this performance have ended."))


def _check_quantities(*, house, basket, tariff: Tariff, quantity: int) -> None:
    held = Hold.objects.filter(basket=basket, state=Hold.State.HELD)
    same_tariff = held.filter(tariff=tariff).aggregate(n=Sum("quantity"))["n"] or 0
    in_basket = held.aggregate(n=Sum("quantity"))["n"] or 0
    if tariff.max_per_order and same_tariff + quantity > tariff.max_per_order:
        raise _refuse(
            _("At most %(max)s tickets of this tariff per order."),
            SalesErrorCode.TOO_MANY,
            max=tariff.max_per_order,
        )
    if tariff.min_per_order and same_tariff + quantity < tariff.min_per_order:
        raise _refuse(
            _("This tariff needs at least %(min)s tickets per order."),
            SalesErrorCode.TOO_FEW,
            min=tariff.min_per_order,
        )
    maximum = sales_settings_get(house=house).max_tickets_per_order
    if in_basket + quantity > maximum:
        raise _refuse(
            _("At most %(max)s tickets per order."),
            SalesErrorCode.TOO_MANY,
            max=maximum,
        )


@transaction.atomic
def basket_add(
    *,
    house: House,
    actor,
    basket: Basket,
    performance: Performance,
    tariff: Tariff,
    quantity: int = 0,
    channel: str | None = None,
    seats: list[int] | None = None,
) -> Hold:
    """Claim `quantity` places of `tariff` for the basket, or raise a clear SalesError.

    A performance with a seat plan is sold by chosen seat: `seats` (the seat ids the
    seating app gives out) instead of a quantity. Checks first, then lazily releases
    the performance's expired holds, then claims with conditional writes (late in the
    transaction, as DESIGN.md asks).
    """
    now = timezone.now()
    channel = channel or basket.channel
    if basket.house_id != house.pk:
        raise NotFound(_("Basket not found."))
    performance = Performance.objects.filter(
        pk=performance.pk, house_id=house.pk
    ).first()  # re-read: its status or window may have changed since the caller read it
    if performance is None:
        raise NotFound(_("Performance not found."))
    # Serialise additions to one basket so the per-order maxima hold (no-op on SQLite).
    basket = Basket.objects.select_for_update().get(pk=basket.pk, house_id=house.pk)
    if basket.expires_at <= now:
        raise _refuse(
            _("Your basket has expired; please start again."),
            SalesErrorCode.BASKET_EXPIRED,
        )
    seats = list(seats or [])
    if seats:
        quantity = len(seats)
    elif inventory.sold_by_seat(performance=performance):
        raise _refuse(
            _("Choose your seats for this performance."), SalesErrorCode.SEATS_REQUIRED
        )
    if quantity < 1:
        raise _refuse(_("Choose at least one ticket."), SalesErrorCode.INVALID)
    _check_performance(performance, channel, now, basket)
    if tariff.house_id != house.pk or tariff.pk not in {
        t.pk for t in price_list(performance=performance)
    }:
        raise _refuse(
            _("This tariff is not sold for this performance."),
            SalesErrorCode.TARIFF_UNAVAILABLE,
        )
    unlocked = (
        promo.basket_unlocked_tariff_ids(
            basket=basket, tariffs=[tariff], performance=performance, now=now
        )
        if tariff.requires_code or tariff.kind == Tariff.Kind.MEMBER
        else ()
    )
    availability = tariff_is_available(
        tariff=tariff, channel=channel, now=now, unlocked=unlocked
    )
    if not availability.available:
        raise _refuse(availability.message, SalesErrorCode.TARIFF_UNAVAILABLE)
    _check_quantities(house=house, basket=basket, tariff=tariff, quantity=quantity)
    return basket_hold_claim(
        house=house,
        actor=actor,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
        seats=seats,
        now=now,
    )


def basket_hold_claim(
    *,
    house: House,
    actor,
    basket: Basket,
    performance: Performance,
    tariff: Tariff,
    quantity: int,
    seats: list[int],
    now: datetime,
    kind: str = "quota",
    unit_price: Decimal | None = None,
) -> Hold:
    """Claim the places and record the hold: the end of `basket_add`, shared with
    other sellers (subscriptions) that check their own rules first.

    The caller holds the basket's row lock inside its transaction and has checked
    the sale; `kind` names the quota claimer, `unit_price` overrides the tariff's.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("basket_hold_claim must run inside a transaction")
    for guard in hooks.hold_claiming_callbacks():  # e.g. member tickets per show
        guard(
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=quantity,
            now=now,
        )
    release_expired_holds(performance=performance, now=now)
    quota_ids = claim(
        performance=performance,
        category=tariff.category,
        quantity=quantity,
        kind=kind,
    )
    seat_ids = (
        inventory.seats_claim(
            performance=performance, category=tariff.category, seat_ids=seats
        )
        if seats
        else []
    )
    # Adding places restarts the basket's clock for every line it still holds, so
    # a place added in the last minute is not lost a minute later; a reservation
    # kept until a set moment keeps that moment.
    expires_at = max(
        basket.expires_at,
        now + timedelta(minutes=sales_settings_get(house=house).hold_minutes),
    )
    Hold.objects.filter(
        basket=basket, state=Hold.State.HELD, expires_at__gt=now
    ).update(expires_at=expires_at)
    Basket.objects.filter(pk=basket.pk).update(expires_at=expires_at)
    basket.expires_at = expires_at
    hold = Hold.objects.create(
        house=house,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
        quota_ids=quota_ids,
        seat_ids=seat_ids,
        unit_price=unit_price,
        expires_at=expires_at,
    )
    data = {
        "performance": performance.pk,
        "tariff": tariff.pk,
        "quantity": quantity,
        "seats": seat_ids,
    }
    if unit_price is not None:
        data["unit_price"] = str(unit_price)
    audit_log(action="podium.sales.hold.created", obj=hold, actor=actor, data=data)
    if basket.promo_code_id and unit_price is None:  # the code prices the new line
        promo.basket_reprice(basket=basket, now=now)
        hold.refresh_from_db()
    return hold


@transaction.atomic
def basket_remove_hold(*, house: House, actor, hold: Hold) -> None:
    """Take a line out of the basket and give its places back (once)."""
    if hold.house_id != house.pk:
        raise NotFound(_("Basket not found."))
    if (
        Hold.objects.filter(pk=hold.pk, state=Hold.State.HELD).update(
            state=Hold.State.RELEASED
        )
        == 1
    ):
        release(quota_ids=hold.quota_ids, quantity=hold.quantity)
        inventory.seats_release(seat_ids=hold.seat_ids)
        audit_log(
            action="podium.sales.hold.released",
            obj=hold,
            actor=actor,
            data={"quantity": hold.quantity, "quota_ids": hold.quota_ids},
        )
        if hold.promo_code_id:  # a capped discount may move to another line
            basket = Basket.objects.select_for_update().get(pk=hold.basket_id)
            promo.basket_reprice(basket=basket)


def basket_total(*, house: House, basket: Basket) -> Decimal:
    """What the basket's held places will cost as an order, service fees included."""
    prices = [
        hold_unit_price(tariff_price=tariff_price, unit_price=unit_price)
        for tariff_price, unit_price, quantity in Hold.objects.filter(
            basket=basket, state=Hold.State.HELD
        ).values_list("tariff__price", "unit_price", "quantity")
        for _n in range(quantity)
    ]
    fees = order_fees(settings=sales_settings_get(house=house), ticket_prices=prices)
    return sum(prices, Decimal("0.00")) + sum((f.amount for f in fees), Decimal("0.00"))


def basket_release(*, house: House, actor, basket: Basket) -> int:
    """Give back every place the basket still holds (a sale given up at the desk)."""
    holds = list(Hold.objects.filter(basket=basket, state=Hold.State.HELD))
    for hold in holds:
        basket_remove_hold(house=house, actor=actor, hold=hold)
    return len(holds)
