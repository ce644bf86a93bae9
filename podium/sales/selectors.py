"""Reads of sales: availability and price lists for the shop and partners; prices,
quotas, orders and cancellations for staff.

Every function filters by `house` explicitly (or by the performances it is given) and
raises `NotFound` alike for a missing and a foreign object.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance, Production
from podium.core.errors import NotFound
from podium.tenancy.models import House

from .models import (
    Hold,
    Order,
    OrderTransition,
    Payment,
    PerformanceCancellation,
    PriceCategory,
    Quota,
    Refund,
    Tariff,
    Ticket,
)
from .services.inventory import seats_free_by_category
from .tickets.errors import REASON_MESSAGES, TicketInvalid, TicketInvalidReason
from .tickets.keys import public_keys
from .tickets.signing import payload_claims, payload_verify

# The orders a performance cancellation works through (mirrors the refunds job).
CANCELLABLE_ORDER_STATES = (
    Order.State.PENDING,
    Order.State.PAID,
    Order.State.PARTIALLY_REFUNDED,
)


def _first_or_not_found(queryset: QuerySet, message, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise NotFound(message)
    return found


class AvailabilityReason(StrEnum):
    ON_SALE = "on_sale"
    SOLD_OUT = "sold_out"
    NOT_ON_SALE = "not_on_sale"
    NOT_STARTED = "not_started"
    ENDED = "ended"
    CANCELLED = "cancelled"


@dataclass
class Availability:
    """What is left of a performance, for the shop, the office and partners.

    `by_category` maps each price category of the production to the places left in
    it (the minimum over the quotas that cover it); `available` is the total.
    """

    performance_id: int
    on_sale: bool
    reason: str  # an AvailabilityReason
    available: int
    by_category: dict[int, int] = field(default_factory=dict)

    @property
    def sold_out(self) -> bool:
        return self.reason == AvailabilityReason.SOLD_OUT


def _reason(
    performance: Performance, now: datetime, advance: timedelta = timedelta(0)
) -> AvailabilityReason:
    if performance.status == Performance.Status.CANCELLED:
        return AvailabilityReason.CANCELLED
    if performance.status != Performance.Status.ON_SALE:
        return AvailabilityReason.NOT_ON_SALE
    if performance.sales_start and now < performance.sales_start - advance:
        return AvailabilityReason.NOT_STARTED
    if now >= (performance.sales_end or performance.starts_at):
        return AvailabilityReason.ENDED
    return AvailabilityReason.ON_SALE


def _expired_holds(performance_ids: list[int], now: datetime) -> tuple[Counter, set]:
    """Places still counted in `used`, and seats still held, by holds that expired
    but wait for the sweep."""
    waiting: Counter = Counter()
    seats: set[int] = set()
    for quota_ids, quantity, seat_ids in Hold.objects.filter(
        performance__in=performance_ids, state=Hold.State.HELD, expires_at__lte=now
    ).values_list("quota_ids", "quantity", "seat_ids"):
        for quota_id in quota_ids:
            waiting[quota_id] += quantity
        seats.update(seat_ids)
    return waiting, seats


def _total(by_category: dict[int, int], covering: dict[int, list], general) -> int:
    """Places left overall: general quotas cap the sum over distinct category groups.

    Categories covered by the same specific quotas share those places, so each group
    counts once. (Partly overlapping groups can still overcount; the claim is exact.)
    """
    cap = min((available for available in general), default=None)
    groups: dict[frozenset, int] = {}
    for category_id, quotas in covering.items():
        specific = frozenset(q for q, is_general in quotas if not is_general)
        if not quotas:
            continue
        if not specific:
            return cap or 0  # only general quotas limit this category
        groups[specific] = by_category[category_id]
    summed = sum(groups.values())
    return summed if cap is None else min(cap, summed)


def performances_availability(
    *,
    performances: list[Performance],
    now: datetime | None = None,
    sales_start_advance: timedelta = timedelta(0),
) -> dict[int, Availability]:
    """Availability of many performances in five queries, however many there are
    (two more for the seats when some are sold by seat)."""
    now = now or timezone.now()
    ids = [p.pk for p in performances]
    quotas_by_performance = defaultdict(list)
    # Single tickets only: capacity kept for subscriptions is not for sale to them.
    for quota in Quota.objects.filter(
        performance__in=ids, for_subscriptions=False
    ).prefetch_related("categories"):
        quotas_by_performance[quota.performance_id].append(quota)
    categories_by_production = defaultdict(list)
    for category_id, production_id in PriceCategory.objects.filter(
        production__in={p.production_id for p in performances}
    ).values_list("pk", "production_id"):
        categories_by_production[production_id].append(category_id)
    waiting, waiting_seats = _expired_holds(ids, now)
    free_seats = seats_free_by_category(performance_ids=ids, also_free=waiting_seats)
    return {
        performance.pk: _availability(
            performance,
            quotas_by_performance[performance.pk],
            categories_by_production[performance.production_id],
            waiting,
            now,
            free_seats.get(performance.pk),
            sales_start_advance,
        )
        for performance in performances
    }


def _availability(
    performance,
    quotas,
    category_ids,
    waiting,
    now,
    free_seats=None,
    advance=timedelta(0),
) -> Availability:
    left = {q.pk: max(q.size - max(q.used - waiting[q.pk], 0), 0) for q in quotas}
    scopes = {q.pk: {c.pk for c in q.categories.all()} for q in quotas}
    covering = {
        category_id: [
            (q.pk, not scopes[q.pk])
            for q in quotas
            if not scopes[q.pk] or category_id in scopes[q.pk]
        ]
        for category_id in category_ids
    }
    by_category = {
        category_id: min((left[q] for q, _general in quotas_), default=0)
        for category_id, quotas_ in covering.items()
    }
    general = [left[q.pk] for q in quotas if not scopes[q.pk]]
    available = _total(by_category, covering, general)
    if free_seats is not None:  # sold by seat: no more than the free seats
        by_category = {
            category_id: min(left_, free_seats.get(category_id, 0))
            for category_id, left_ in by_category.items()
        }
        available = min(available, sum(free_seats.values()))
    reason = _reason(performance, now, advance)
    if reason == AvailabilityReason.ON_SALE and available == 0:
        sellable = any(covering.values())
        reason = (
            AvailabilityReason.SOLD_OUT if sellable else AvailabilityReason.NOT_ON_SALE
        )
    return Availability(
        performance.pk,
        reason == AvailabilityReason.ON_SALE,
        reason,
        available,
        by_category,
    )


def performance_availability(
    *,
    performance: Performance,
    now: datetime | None = None,
    sales_start_advance: timedelta = timedelta(0),
) -> Availability:
    """`sales_start_advance`: the buyer may buy that long before the public sale
    (a friend of the house with early access)."""
    return performances_availability(
        performances=[performance], now=now, sales_start_advance=sales_start_advance
    )[performance.pk]


def order_list(*, house: House, state: str | None = None) -> QuerySet[Order]:
    """The house's orders, newest first, with tickets and fees prefetched."""
    orders = Order.objects.filter(house_id=house.pk)
    if state:
        orders = orders.filter(state=state)
    return orders.prefetch_related("tickets", "fees")


def order_get(*, house: House, code: str) -> Order:
    """The house's order with this code; NotFound alike for missing and foreign."""
    code = (code or "").strip().upper()
    order = (
        Order.objects.filter(house_id=house.pk, code=code)
        .prefetch_related("tickets", "fees")
        .first()
    )
    if order is None:
        raise NotFound(_("Order not found."))
    return order


def order_get_detailed(*, house: House, code: str) -> Order:
    """The order with its tickets, fees, payments, history and refunds prefetched,
    in a fixed number of queries."""
    tickets = Ticket.objects.filter(house=house).select_related(
        "performance__production", "performance__hall", "tariff", "category"
    )
    transitions = OrderTransition.objects.filter(house=house).select_related("actor")
    refunds = (
        Refund.objects.filter(house=house)
        .select_related("created_by")
        .prefetch_related("tickets")
        .order_by("pk")
    )
    return _first_or_not_found(
        Order.objects.filter(house=house)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("tickets", queryset=tickets),
            "fees",
            "payments",
            Prefetch("transitions", queryset=transitions),
            Prefetch("refunds", queryset=refunds),
        ),
        _("Order not found."),
        code=(code or "").strip().upper(),
    )


TICKET_CODE_PREFIX = "PD1."


@dataclass(frozen=True)
class TicketCodeLookup:
    """The order a scanned ticket code belongs to, or why it finds none."""

    order: Order | None
    reason: str = ""  # a TicketInvalidReason when nothing is found
    message: str = ""


def is_ticket_code(query: str) -> bool:
    """Does `query` look like a scanned ticket code (PD1.…)?"""
    return query.strip().upper().startswith(TICKET_CODE_PREFIX)


def order_find_by_ticket_code(*, house: House, payload: str) -> TicketCodeLookup:
    """The order of the ticket in a scanned code, once its signature checks out with
    one of the house's keys; a forged code or another house's finds nothing.

    A reissued, refunded or exchanged ticket still finds its order: this is a
    look-up, not the door (see `services.tickets.ticket_verify`).
    """
    payload = payload.strip()
    try:
        if payload_claims(payload).house_id != house.pk:
            raise TicketInvalid(TicketInvalidReason.OTHER_HOUSE)
        claims = payload_verify(payload, public_keys(house=house))
    except TicketInvalid as error:
        return TicketCodeLookup(None, str(error.reason), str(error.message))
    order = Order.objects.filter(
        house=house, tickets__pk=claims.ticket_id, tickets__house=house
    ).first()
    if order is None:
        reason = TicketInvalidReason.NOT_FOUND
        return TicketCodeLookup(None, str(reason), str(REASON_MESSAGES[reason]))
    return TicketCodeLookup(order)


def order_search(*, house: House, query: str) -> QuerySet[Order]:
    """Orders whose code is `query`, whose buyer's name or e-mail contains it (any
    case), or, for a scanned ticket code, the order of that ticket; newest first,
    each with its `ticket_count`."""
    query = query.strip()
    orders = Order.objects.filter(house=house)
    if not query:
        return orders.none()
    if is_ticket_code(query):
        found = order_find_by_ticket_code(house=house, payload=query).order
        matches = Q(pk=found.pk) if found else Q(pk__in=[])
    else:
        matches = (
            Q(code=query.upper())
            | Q(buyer_email__icontains=query)
            | Q(buyer_name__icontains=query)
        )
    return (
        orders.filter(matches)
        .annotate(ticket_count=Count("tickets"))
        .order_by("-created_at", "-pk")  # Meta.ordering is dropped when grouping
    )


def order_latest(*, house: House, limit: int = 25) -> list[Order]:
    """The newest orders, each with its `ticket_count`."""
    return list(
        Order.objects.filter(house=house)
        .annotate(ticket_count=Count("tickets"))
        .order_by("-created_at", "-pk")[:limit]
    )


def order_ticket_get(*, house: House, order: Order, pk: int) -> Ticket:
    """One ticket of `order`; NotFound alike for missing, foreign and another order's."""
    return _first_or_not_found(
        Ticket.objects.filter(house=house, order=order),
        _("This ticket does not exist."),
        pk=pk,
    )


def order_valid_tickets(*, house: House, order: Order) -> QuerySet[Ticket]:
    """The order's tickets that are still valid (and so may be refunded)."""
    return Ticket.objects.filter(
        house=house, order=order, state=Ticket.State.VALID
    ).select_related("tariff", "performance")


# ----------------------------------------------------------------------- prices


def price_lists(*, performances: list[Performance]) -> dict[int, list[Tariff]]:
    """The price list of each performance, in one query however many there are.

    The rule: once a performance has tariffs of its own (customised, even if all are
    switched off) its own active tariffs, else its production's active
    production-wide tariffs. Tariffs come with their category.
    """
    if not performances:
        return {}
    tariffs = Tariff.objects.filter(
        Q(performance__in=[p.pk for p in performances])
        | Q(
            production__in={p.production_id for p in performances},
            performance__isnull=True,
        ),
        house__in={p.house_id for p in performances},
    ).select_related("category")
    customised, own, shared = set(), defaultdict(list), defaultdict(list)
    for tariff in tariffs:
        if tariff.performance_id:
            customised.add((tariff.house_id, tariff.performance_id))
            if tariff.is_active:
                own[tariff.house_id, tariff.performance_id].append(tariff)
        elif tariff.is_active:
            shared[tariff.house_id, tariff.production_id].append(tariff)
    return {
        p.pk: list(own[p.house_id, p.pk])
        if (p.house_id, p.pk) in customised
        else list(shared[p.house_id, p.production_id])
        for p in performances
    }


def price_category_list(*, house: House, production_id: int) -> QuerySet:
    """The categories of a production (those its tariffs and quotas may use)."""
    return PriceCategory.objects.filter(house=house, production_id=production_id)


def price_categories_with_tariffs(
    *, house: House, production: Production
) -> list[PriceCategory]:
    """The production's categories, each with its production-wide tariffs (on sale
    or not) in `list_tariffs`."""
    tariffs = Tariff.objects.filter(house=house, performance__isnull=True)
    return list(
        PriceCategory.objects.filter(house=house, production=production)
        .prefetch_related(Prefetch("tariffs", queryset=tariffs, to_attr="list_tariffs"))
        .order_by("position", "pk")
    )


def performance_tariff_list(*, house: House, performance: Performance) -> list[Tariff]:
    """The performance's own tariffs, on sale or not; empty: it uses the production's."""
    return list(
        Tariff.objects.filter(house=house, performance=performance).select_related(
            "category"
        )
    )


def production_tariff_list(*, house: House, production: Production) -> list[Tariff]:
    """The production-wide tariffs, on sale or not."""
    return list(
        Tariff.objects.filter(
            house=house, production=production, performance__isnull=True
        ).select_related("category")
    )


def tariff_get(*, house: House, pk: int) -> Tariff:
    return _first_or_not_found(
        Tariff.objects.filter(house=house).select_related(
            "category", "production", "performance"
        ),
        _("Tariff not found."),
        pk=pk,
    )


# --------------------------------------------------------------------- capacity


def quota_list(*, house: House, performance: Performance) -> list[Quota]:
    return list(
        Quota.objects.filter(house=house, performance=performance).prefetch_related(
            "categories"
        )
    )


def quota_get(*, house: House, pk: int) -> Quota:
    return _first_or_not_found(
        Quota.objects.filter(house=house)
        .select_related("performance", "performance__production")
        .prefetch_related("categories"),
        _("Quota not found."),
        pk=pk,
    )


# ------------------------------------------------------- performance cancellation


def performance_orders_affected(*, house: House, performance: Performance) -> int:
    """How many orders cancelling `performance` would cancel or refund."""
    return (
        Order.objects.filter(
            house=house,
            state__in=CANCELLABLE_ORDER_STATES,
            tickets__performance=performance,
            tickets__state=Ticket.State.VALID,
        )
        .distinct()
        .count()
    )


def performance_cancellation_get(*, house: House, pk: int) -> PerformanceCancellation:
    return _first_or_not_found(
        PerformanceCancellation.objects.filter(house=house).select_related(
            "performance__production", "performance__hall"
        ),
        _("Cancellation not found."),
        pk=pk,
    )


def order_by_idempotency_key(*, house: House, key: str) -> Order | None:
    """The order a request with this Idempotency-Key placed, if any."""
    if not key:
        return None
    return Order.objects.filter(house_id=house.pk, idempotency_key=key).first()


def payment_open(*, order: Order) -> Payment | None:
    """The order's newest payment still waiting for the buyer, if any."""
    return (
        order.payments.filter(state__in=(Payment.State.CREATED, Payment.State.PENDING))
        .order_by("-pk")
        .first()
    )


def order_paid_so_far(*, order: Order) -> Decimal:
    """What the order's paid payments add up to (a gift voucher's part, say); money
    flagged for refund because the order could not take it does not count."""
    total = Decimal("0.00")
    for amount, data in order.payments.filter(state=Payment.State.PAID).values_list(
        "amount", "data"
    ):
        if not (data or {}).get("refund_due"):
            total += amount
    return total


def order_amount_due(*, order: Order) -> Decimal:
    """What is still to pay on the order: its total less what was paid already."""
    return max(order.total - order_paid_so_far(order=order), Decimal("0.00"))
