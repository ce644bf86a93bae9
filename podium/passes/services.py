"""Season subscriptions: compose one, claim it, order it (configuring a type is in
`configuration.py`).

    subscription_compose   checks the rules (window, count, list, availability, the
                           customer's maximum) and prices the choice: a Composition
    subscription_claim     holds every performance of it in a basket, all or nothing,
                           and records the Subscription (state "held")
    order placement        the ordinary `sales` order service; the hook
                           `subscriptions_attach` (registered in apps.py) links each
                           subscription in the basket to the order and its tickets
                           inside the placement transaction

A claim takes the performances in primary-key order, and within each the quotas
kept for subscriptions before the ordinary ones, each in primary-key order, so two
concurrent claims lock rows in the same order and cannot deadlock. Each performance
reuses the sales hold claim (`basket_hold_claim`) with the "subscription" quota
claimer and the ticket's share of the price as the hold's `unit_price`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.core.i18n import localize
from podium.customers.models import Customer
from podium.sales.errors import SoldOut
from podium.sales.models import Basket, Hold, Order, Quota, Tariff, Ticket
from podium.sales.selectors import performances_availability
from podium.sales.services import inventory
from podium.sales.services.baskets import basket_hold_claim, basket_remove_hold
from podium.sales.services.orders import order_place_once
from podium.tenancy.models import House

from . import seats as seating
from .errors import PassesError, PassesErrorCode, SubscriptionSoldOut
from .models import (
    Subscription,
    SubscriptionTariff,
    SubscriptionType,
)
from .pricing import Quote, quote, reference_tariffs

# Orders whose subscriptions count towards a customer's maximum.
COUNTED_ORDER_STATES = (
    Order.State.PENDING,
    Order.State.PAID,
    Order.State.PARTIALLY_REFUNDED,
)
ATTEMPTS = 3  # best-available choices tried before a race is answered "sold out"


def _refuse(message, code, field=None, **params) -> PassesError:
    return PassesError(message, code=code, field=field, params=params)


# ------------------------------------------------------------------ composing


@dataclass(frozen=True)
class Composition:
    """A checked and priced choice, for `quantity` people (quote: for one)."""

    type: SubscriptionType
    tariff: SubscriptionTariff | None
    performances: tuple[Performance, ...]  # in claim order (primary key)
    references: dict[int, Tariff]  # the tariff each ticket carries
    quantity: int
    quote: Quote
    customer: Customer | None

    @property
    def total(self) -> Decimal:
        return self.quote.total * self.quantity

    @property
    def single_total(self) -> Decimal:
        return self.quote.single_total * self.quantity

    @property
    def saving(self) -> Decimal:
        return self.single_total - self.total


def _check_type(type_, house, tariff, now) -> None:
    if type_.house_id != house.pk:
        raise NotFound(_("Subscription type not found."))
    if not type_.is_active or (type_.sales_until and now >= type_.sales_until):
        raise _refuse(
            _("This subscription is no longer on sale."), PassesErrorCode.NOT_ON_SALE
        )
    if type_.sales_from and now < type_.sales_from:
        raise _refuse(
            _("This subscription goes on sale on %(date)s."),
            PassesErrorCode.NOT_ON_SALE,
            date=timezone.localtime(type_.sales_from).strftime("%d/%m/%Y %H:%M"),
        )
    if tariff is not None and (tariff.type_id != type_.pk or not tariff.is_active):
        raise _refuse(
            _("This tariff is not sold for this subscription."),
            PassesErrorCode.TARIFF_UNAVAILABLE,
            field="tariff",
        )


def _chosen(type_, performance_ids) -> list[Performance]:
    offered = {
        p.pk: p
        for p in type_.performances.filter(house_id=type_.house_id).select_related(
            "production"
        )
    }
    if type_.kind == SubscriptionType.Kind.FIXED and not performance_ids:
        performance_ids = list(offered)
    ids = list(performance_ids)
    if len(set(ids)) != len(ids):
        raise _refuse(
            _("Choose each performance once."),
            PassesErrorCode.INVALID,
            field="performances",
        )
    if not set(ids) <= set(offered):
        raise _refuse(
            _("A chosen performance is not part of this subscription."),
            PassesErrorCode.NOT_IN_SUBSCRIPTION,
            field="performances",
        )
    if type_.kind == SubscriptionType.Kind.FIXED and set(ids) != set(offered):
        raise _refuse(
            _("This series is sold as a whole: all %(count)s performances."),
            PassesErrorCode.TOO_FEW,
            field="performances",
            count=len(offered),
        )
    if type_.kind == SubscriptionType.Kind.CHOICE:
        low, high = type_.min_choices or 1, type_.max_choices
        if len(ids) < low:
            raise _refuse(
                _("Choose at least %(min)s performances."),
                PassesErrorCode.TOO_FEW,
                field="performances",
                min=low,
            )
        if high and len(ids) > high:
            raise _refuse(
                _("Choose at most %(max)s performances."),
                PassesErrorCode.TOO_MANY,
                field="performances",
                max=high,
            )
    return sorted((offered[pk] for pk in ids), key=lambda p: p.pk)


def _kept_left(performance: Performance, tariff: Tariff) -> int:
    kept = inventory.quotas_covering(
        performance=performance, category=tariff.category, for_subscriptions=True
    )
    return min(
        (q.available for q in Quota.objects.filter(pk__in=kept)),
        default=0,
    )


def _check_available(performances, references, quantity, now) -> None:
    """Each performance is on sale and (as far as a read can tell) has room; the
    claim decides exactly. Its single-ticket sales start is no concern: the type's
    window decides, so subscribers can buy before single tickets go on sale."""
    found = performances_availability(performances=list(performances), now=now)
    for performance in performances:
        availability = found[performance.pk]
        name = localize(performance.production.title)
        if performance.status != Performance.Status.ON_SALE or now >= (
            performance.sales_end or performance.starts_at
        ):
            raise _refuse(
                _("%(performance)s is not on sale."),
                PassesErrorCode.PERFORMANCE_UNAVAILABLE,
                field="performances",
                performance=name,
            )
        tariff = references[performance.pk]
        left = availability.by_category.get(tariff.category_id, 0) + _kept_left(
            performance, tariff
        )
        if left < quantity:
            raise SubscriptionSoldOut(
                _("%(performance)s is sold out."),
                field="performances",
                params={"performance": name},
            )


def subscriptions_counted(
    *, type: SubscriptionType, customer: Customer, now: datetime | None = None
) -> int:
    """People's subscriptions of `type` the customer has: ordered (and not expired,
    cancelled or refunded) or still held in a basket."""
    now = now or timezone.now()
    rows = (
        Subscription.objects.filter(
            house_id=type.house_id, type=type, customer=customer
        )
        .filter(
            Q(order__state__in=COUNTED_ORDER_STATES)
            | Q(
                order__isnull=True,
                holds__state=Hold.State.HELD,
                holds__expires_at__gt=now,
            )
        )
        .values_list("pk", "quantity")
        .distinct()
    )
    return sum(quantity for _pk, quantity in rows)


def _check_customer_maximum(type_, customer, quantity, now) -> None:
    if customer is None or not type_.max_per_customer:
        return
    counted = subscriptions_counted(type=type_, customer=customer, now=now)
    if counted + quantity > type_.max_per_customer:
        raise _refuse(
            _("At most %(max)s of this subscription per customer."),
            PassesErrorCode.MAX_PER_CUSTOMER,
            max=type_.max_per_customer,
        )


def subscription_compose(
    *,
    house: House,
    type: SubscriptionType,
    tariff: SubscriptionTariff | None = None,
    performance_ids: Sequence[int] = (),
    quantity: int = 1,
    customer: Customer | None = None,
    now: datetime | None = None,
) -> Composition:
    """Check a choice against the type's rules and price it (reads only).

    A fixed series may leave `performance_ids` empty (it is the whole series).
    """
    now = now or timezone.now()
    _check_type(type, house, tariff, now)
    if quantity < 1:
        raise _refuse(
            _("Choose at least one subscription."),
            PassesErrorCode.INVALID,
            field="quantity",
        )
    performances = _chosen(type, performance_ids)
    if type.same_seat:
        seating.common_plan(performances=performances)
    references = reference_tariffs(performances=performances)
    _check_available(performances, references, quantity, now)
    _check_customer_maximum(type, customer, quantity, now)
    return Composition(
        type=type,
        tariff=tariff,
        performances=tuple(performances),
        references=references,
        quantity=quantity,
        quote=quote(
            type=type, tariff=tariff, performances=performances, references=references
        ),
        customer=customer,
    )


# ------------------------------------------------------------------ claiming


def _seats_per_performance(composition, plan_seat_ids) -> dict[int, list[int]]:
    performances = composition.performances
    if composition.type.same_seat:
        return seating.same_seats(
            performances=performances,
            references=composition.references,
            count=composition.quantity,
            plan_seat_ids=plan_seat_ids,
        )
    if plan_seat_ids:
        raise _refuse(
            _("Seats are chosen for you for this subscription."),
            PassesErrorCode.INVALID,
            field="seats",
        )
    seated = seating.seated_performances(performances=performances)
    return {
        p.pk: seating.best_seats(
            performance=p,
            tariff=composition.references[p.pk],
            count=composition.quantity,
        )
        for p in performances
        if p.pk in seated
    }


def _claim_all(*, house, actor, basket, composition, plan_seat_ids, now) -> list[Hold]:
    """One hold per performance, in primary-key order; SoldOut leaves none."""
    seats = _seats_per_performance(composition, plan_seat_ids)
    holds = []
    for performance in composition.performances:  # primary-key order
        try:
            holds.append(
                basket_hold_claim(
                    house=house,
                    actor=actor,
                    basket=basket,
                    performance=performance,
                    tariff=composition.references[performance.pk],
                    quantity=composition.quantity,
                    seats=seats.get(performance.pk, []),
                    now=now,
                    kind="subscription",
                    unit_price=composition.quote.price_of(performance.pk),
                )
            )
        except SoldOut as error:
            error.performance = performance
            raise
    return holds


@transaction.atomic
def subscription_claim(
    *,
    house: House,
    actor,
    basket: Basket,
    composition: Composition,
    seats: Sequence[int] | None = None,
    now: datetime | None = None,
) -> Subscription:
    """Hold every performance of the composition in `basket`, all or nothing.

    Re-checks the composition under the basket's lock, then claims each performance
    (quotas kept for subscriptions first). Seats: the best available per
    performance, or for a same-seat series the same seats in every performance
    (`seats`: plan seat ids the visitor picked, else the best free in all). When a
    performance is full nothing stays held and SubscriptionSoldOut names it.
    """
    now = now or timezone.now()
    if basket.house_id != house.pk:
        raise NotFound(_("Basket not found."))
    basket = Basket.objects.select_for_update().get(pk=basket.pk, house_id=house.pk)
    if basket.expires_at <= now:
        raise _refuse(
            _("Your basket has expired; please start again."),
            PassesErrorCode.BASKET_EXPIRED,
        )
    type_ = SubscriptionType.objects.filter(
        pk=composition.type.pk, house_id=house.pk
    ).first()
    if type_ is None:
        raise NotFound(_("Subscription type not found."))
    tariff = (
        composition.tariff
        and SubscriptionTariff.objects.filter(
            pk=composition.tariff.pk, house_id=house.pk
        ).first()
    )
    composition = subscription_compose(  # again, under the lock: rules may change
        house=house,
        type=type_,
        tariff=tariff,
        performance_ids=[p.pk for p in composition.performances],
        quantity=composition.quantity,
        customer=composition.customer,
        now=now,
    )
    picked = list(seats) if seats else None
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                holds = _claim_all(
                    house=house,
                    actor=actor,
                    basket=basket,
                    composition=composition,
                    plan_seat_ids=picked,
                    now=now,
                )
            break
        except SoldOut as error:
            # A seat chosen by best available was taken meanwhile: choose again.
            if picked is None and attempt + 1 < ATTEMPTS and _is_seat_race(error):
                continue
            performance = getattr(error, "performance", None)
            raise SubscriptionSoldOut(
                _("%(performance)s is sold out: nothing was held."),
                params={
                    "performance": localize(performance.production.title)
                    if performance
                    else ""
                },
            ) from error
    subscription = Subscription.objects.create(
        house=house,
        type=composition.type,
        tariff=composition.tariff,
        basket=basket,
        customer=composition.customer,
        quantity=composition.quantity,
        total=composition.total,
        single_total=composition.single_total,
    )
    subscription.holds.set(holds)
    audit_log(
        action="podium.passes.subscription.held",
        obj=subscription,
        actor=actor,
        data={
            "type": composition.type.pk,
            "tariff": composition.tariff.pk if composition.tariff else None,
            "performances": [p.pk for p in composition.performances],
            "quantity": composition.quantity,
            "total": str(composition.total),
        },
    )
    return subscription


def _is_seat_race(error: SoldOut) -> bool:
    performance = getattr(error, "performance", None)
    return performance is not None and inventory.sold_by_seat(performance=performance)


@transaction.atomic
def subscription_release(*, house: House, actor, subscription: Subscription) -> int:
    """Take a subscription out of its basket: every place it holds goes back."""
    if subscription.house_id != house.pk or subscription.order_id:
        raise NotFound(_("Subscription not found."))
    holds = list(subscription.holds.filter(state=Hold.State.HELD).order_by("pk"))
    for hold in holds:
        basket_remove_hold(house=house, actor=actor, hold=hold)
    return len(holds)


def basket_line_remove(*, house: House, actor, hold: Hold) -> Subscription | None:
    """Take a basket line out; a line of a subscription takes the whole subscription
    with it (a subscription missing a performance cannot be ordered). Returns that
    subscription, if any."""
    subscription = Subscription.objects.filter(
        house=house, holds=hold, order__isnull=True
    ).first()
    if subscription is None:
        basket_remove_hold(house=house, actor=actor, hold=hold)
        return None
    subscription_release(house=house, actor=actor, subscription=subscription)
    return subscription


# ------------------------------------------------------------------ ordering


def subscriptions_attach(*, order: Order, lines: list[tuple[Hold, list[Ticket]]]):
    """The order-placing hook: each subscription held in the ordered basket gets its
    order, buyer and tickets. Refuses the whole order when a subscription lost some
    of its performances from the basket, or the customer's maximum is exceeded."""
    tickets_of = {hold.pk: tickets for hold, tickets in lines}
    subscriptions = list(
        Subscription.objects.filter(
            house_id=order.house_id, order__isnull=True, holds__in=list(tickets_of)
        )
        .distinct()
        .select_related("type")
        .order_by("pk")
    )
    for subscription in subscriptions:
        hold_ids = list(subscription.holds.values_list("pk", flat=True))
        if not set(hold_ids) <= set(tickets_of):
            raise _refuse(
                _(
                    "A subscription in your basket lost one of its performances; "
                    "remove it and compose it again."
                ),
                PassesErrorCode.INCOMPLETE,
            )
        customer = subscription.customer or order.customer
        if customer is not None and subscription.type.max_per_customer:
            # Serialise a customer's concurrent orders so the maximum holds (this
            # subscription's holds are ordered by now, so it is not counted twice).
            Customer.objects.select_for_update().filter(pk=customer.pk).first()
            _check_customer_maximum(
                subscription.type, customer, subscription.quantity, timezone.now()
            )
        subscription.order = order
        subscription.customer = customer
        subscription.buyer_name = order.buyer_name
        subscription.buyer_email = order.buyer_email
        subscription.save(
            update_fields=[
                "order",
                "customer",
                "buyer_name",
                "buyer_email",
                "updated_at",
            ]
        )
        tickets = [ticket for hold_id in hold_ids for ticket in tickets_of[hold_id]]
        subscription.tickets.set(tickets)
        audit_log(
            action="podium.passes.subscription.ordered",
            obj=subscription,
            actor=None,
            data={"order": order.code, "tickets": [t.pk for t in tickets]},
        )


def subscription_order_place(**fields) -> tuple[Order, list[Subscription]]:
    """Place the basket's order through the sales order service (same arguments as
    `order_place_once`); returns the order and the subscriptions it carries."""
    order, _created = order_place_once(**fields)
    return order, list(
        Subscription.objects.filter(house_id=order.house_id, order=order).order_by("pk")
    )
