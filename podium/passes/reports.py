"""Reads for the ticketing role: the house's subscription types, what they sold, and
how full their performances are (by subscription and by single ticket).

    subscription_type_list     the house's types, each with `sold`, `people` and
                               `revenue` (subscriptions of orders that count)
    subscription_type_get      one type of the house (NotFound alike if foreign)
    subscription_tariff_list   the tariffs of a type
    subscription_performances_choosable   what a type may be made of
    performance_occupancy      per performance: capacity, sold by subscription,
                               sold as single tickets, held, free

Friends passes and gift vouchers:

    membership_type_list       the house's pass types, each with `active` members
    membership_type_get        one pass type of the house (NotFound alike if foreign)
    membership_list            the house's passes, searched and filtered
    membership_report          per type: active today, new and ending within 30
                               days, member tickets sold and their revenue; and
                               the vouchers' value sold and outstanding balance
    voucher_list               the house's gift vouchers, searched by code
    voucher_get                one voucher of the house with its uses
    voucher_outstanding        what the house's spendable vouchers still hold

"Sold" counts the subscriptions of orders awaiting payment, paid or partly
refunded (as the customer maximum does); tickets count when valid.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.errors import NotFound
from podium.core.money import quantize
from podium.sales.models import Hold, Order, Quota, Tariff, Ticket
from podium.sales.selectors import performances_availability
from podium.tenancy.models import House

from .memberships import member_number_clean
from .models import (
    GiftVoucher,
    Membership,
    MembershipType,
    SubscriptionTariff,
    SubscriptionType,
)
from .services import COUNTED_ORDER_STATES

ZERO = Decimal("0.00")


def _counted() -> Q:
    return Q(subscriptions__order__state__in=COUNTED_ORDER_STATES)


def subscription_type_list(*, house: House) -> QuerySet[SubscriptionType]:
    """The house's types with `sold` (subscriptions), `people` and `revenue`."""
    return (
        SubscriptionType.objects.filter(house=house)
        .annotate(
            sold=Count("subscriptions", filter=_counted(), distinct=True),
            people=Coalesce(Sum("subscriptions__quantity", filter=_counted()), 0),
            revenue=Coalesce(
                Sum("subscriptions__total", filter=_counted()),
                Value(ZERO),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .order_by("position", "pk")
    )


def subscription_type_get(*, house: House, pk: int) -> SubscriptionType:
    type_ = (
        SubscriptionType.objects.filter(house=house, pk=pk)
        .prefetch_related("performances__production", "steps")
        .first()
    )
    if type_ is None:
        raise NotFound(_("Subscription type not found."))
    return type_


def subscription_type_performances(
    *, house: House, type: SubscriptionType
) -> list[Performance]:
    return list(
        type.performances.filter(house=house)
        .select_related("production", "hall")
        .order_by("starts_at", "pk")
    )


def subscription_tariff_list(
    *, house: House, type: SubscriptionType
) -> QuerySet[SubscriptionTariff]:
    return SubscriptionTariff.objects.filter(house=house, type=type)


def subscription_performances_choosable(
    *, house: House, type: SubscriptionType | None = None
) -> QuerySet[Performance]:
    """What a type may be made of: the house's coming performances, and those
    already in `type`."""
    current = Q(pk__in=type.performances.values("pk")) if type else Q(pk__in=[])
    return (
        Performance.objects.filter(house=house)
        .filter(Q(ends_at__gte=timezone.now()) | current)
        .select_related("production")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class Occupancy:
    """One performance: its places by subscription, single ticket, held and free."""

    performance: Performance
    by_subscription: int
    single: int
    held: int
    free: int
    kept_size: int  # places kept for subscriptions (sold through them or not)
    kept_free: int

    @property
    def capacity(self) -> int:
        return self.by_subscription + self.single + self.held + self.free


def _sold(house, ids) -> dict[int, tuple[int, int]]:
    rows = (
        Ticket.objects.filter(
            house=house, performance__in=ids, state=Ticket.State.VALID
        )
        .values("performance")
        .annotate(
            by_subscription=Count(
                "pk", filter=Q(subscriptions__isnull=False), distinct=True
            ),
            total=Count("pk", distinct=True),
        )
    )
    return {row["performance"]: (row["by_subscription"], row["total"]) for row in rows}


def _held(house, ids, now) -> dict[int, int]:
    rows = (
        Hold.objects.filter(
            house=house,
            performance__in=ids,
            state=Hold.State.HELD,
            expires_at__gt=now,
        )
        .values("performance")
        .annotate(places=Sum("quantity"))
    )
    return {row["performance"]: row["places"] for row in rows}


def _kept(house, ids) -> dict[int, tuple[int, int]]:
    kept: dict[int, tuple[int, int]] = {}
    for quota in Quota.objects.filter(
        house=house, performance__in=ids, for_subscriptions=True
    ):
        size, free = kept.get(quota.performance_id, (0, 0))
        kept[quota.performance_id] = (size + quota.size, free + quota.available)
    return kept


def performance_occupancy(
    *,
    house: House,
    performances: list[Performance] | None = None,
    now: datetime | None = None,
) -> list[Occupancy]:
    """Per performance (default: the house's coming performances that are in a
    subscription type): tickets sold by subscription and singly, places held in
    baskets, and places free (for single tickets plus those kept for
    subscriptions). The capacity is their sum."""
    now = now or timezone.now()
    if performances is None:
        performances = list(
            Performance.objects.filter(
                house=house,
                subscription_types__house=house,
                starts_at__gte=now,
            )
            .select_related("production", "hall")
            .distinct()
            .order_by("starts_at", "pk")
        )
    performances = [p for p in performances if p.house_id == house.pk]
    ids = [p.pk for p in performances]
    sold, held, kept = _sold(house, ids), _held(house, ids, now), _kept(house, ids)
    availability = performances_availability(performances=performances, now=now)
    rows = []
    for performance in performances:
        by_subscription, total = sold.get(performance.pk, (0, 0))
        kept_size, kept_free = kept.get(performance.pk, (0, 0))
        rows.append(
            Occupancy(
                performance=performance,
                by_subscription=by_subscription,
                single=total - by_subscription,
                held=held.get(performance.pk, 0),
                free=availability[performance.pk].available + kept_free,
                kept_size=kept_size,
                kept_free=kept_free,
            )
        )
    return rows


# ---------------------------------------------------------------- friends passes

REPORT_DAYS = 30  # "new" and "ending soon" look this many days back and ahead
# Member tickets count as sold when valid in an order that is paid (or paid and
# partly refunded: its other tickets were given back, these were not).
SOLD_ORDER_STATES = (Order.State.PAID, Order.State.PARTIALLY_REFUNDED)


def _valid_on(today: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}state": Membership.State.ACTIVE,
            f"{prefix}valid_from__lte": today,
            f"{prefix}valid_until__gte": today,
        }
    )


def membership_type_list(
    *, house: House, today: date | None = None
) -> QuerySet[MembershipType]:
    """The house's pass types with `active`: the passes valid today."""
    today = today or timezone.localdate()
    return (
        MembershipType.objects.filter(house=house)
        .annotate(
            active=Count(
                "memberships", filter=_valid_on(today, "memberships__"), distinct=True
            )
        )
        .prefetch_related("productions")
        .order_by("position", "pk")
    )


def membership_type_get(*, house: House, pk: int) -> MembershipType:
    type_ = (
        MembershipType.objects.filter(house=house, pk=pk)
        .prefetch_related("productions")
        .first()
    )
    if type_ is None:
        raise NotFound(_("Friends pass type not found."))
    return type_


def membership_list(
    *,
    house: House,
    query: str = "",
    active_only: bool = False,
    today: date | None = None,
) -> QuerySet[Membership]:
    """The house's passes, newest validity first; `query` matches the number
    (typed any way), or part of the holder's name or e-mail."""
    today = today or timezone.localdate()
    passes = Membership.objects.filter(house=house).select_related("type", "order")
    query = query.strip()
    if query:
        passes = passes.filter(
            Q(number=member_number_clean(query))
            | Q(holder_name__icontains=query)
            | Q(holder_email__icontains=query)
        )
    if active_only:
        passes = passes.filter(_valid_on(today))
    return passes.order_by("-valid_until", "-pk")


@dataclass(frozen=True)
class MembershipTypeFigures:
    """One pass type in the report (`type` None: the total of all types)."""

    type: MembershipType | None
    active: int
    new: int
    ending: int
    member_tickets: int
    member_revenue: Decimal


@dataclass(frozen=True)
class MembershipReport:
    types: list[MembershipTypeFigures]
    total: MembershipTypeFigures
    vouchers_sold: int
    vouchers_value: Decimal
    vouchers_outstanding: Decimal


def _member_tickets(house: House) -> dict[int, tuple[int, Decimal]]:
    """Per pass type: member tickets sold on its passes, and their revenue."""
    rows = (
        Ticket.objects.filter(
            house=house,
            state=Ticket.State.VALID,
            tariff__kind=Tariff.Kind.MEMBER,
            order__state__in=SOLD_ORDER_STATES,
        )
        .exclude(order__member_pass="")
        .values("order__member_pass")
        .annotate(count=Count("pk"), revenue=Sum("price"))
    )
    by_number = {row["order__member_pass"]: row for row in rows}
    type_of = dict(
        Membership.objects.filter(house=house, number__in=by_number).values_list(
            "number", "type_id"
        )
    )
    figures: dict[int, tuple[int, Decimal]] = {}
    for number, row in by_number.items():
        if number not in type_of:
            continue
        count, revenue = figures.get(type_of[number], (0, ZERO))
        figures[type_of[number]] = (
            count + row["count"],
            quantize(revenue + row["revenue"]),
        )
    return figures


def membership_report(*, house: House, now: datetime | None = None) -> MembershipReport:
    """Per pass type: passes valid today, passes sold (paid) in the last 30 days,
    valid passes ending within 30 days, and the member tickets sold on its passes
    with their revenue; the total; and what gift vouchers were sold for and still
    hold."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ending = Q(
        memberships__state=Membership.State.ACTIVE,
        memberships__valid_from__lte=today,
        memberships__valid_until__gte=today,
        memberships__valid_until__lte=today + timedelta(days=REPORT_DAYS),
    )
    new = Q(
        memberships__state=Membership.State.ACTIVE,
        memberships__order__paid_at__gte=now - timedelta(days=REPORT_DAYS),
    )
    types = MembershipType.objects.filter(house=house).annotate(
        active_count=Count(
            "memberships", filter=_valid_on(today, "memberships__"), distinct=True
        ),
        new_count=Count("memberships", filter=new, distinct=True),
        ending_count=Count("memberships", filter=ending, distinct=True),
    )
    tickets = _member_tickets(house)
    rows = [
        MembershipTypeFigures(
            type=type_,
            active=type_.active_count,
            new=type_.new_count,
            ending=type_.ending_count,
            member_tickets=tickets.get(type_.pk, (0, ZERO))[0],
            member_revenue=tickets.get(type_.pk, (0, ZERO))[1],
        )
        for type_ in types.order_by("position", "pk")
    ]
    total = MembershipTypeFigures(
        type=None,
        active=sum(r.active for r in rows),
        new=sum(r.new for r in rows),
        ending=sum(r.ending for r in rows),
        member_tickets=sum(r.member_tickets for r in rows),
        member_revenue=sum((r.member_revenue for r in rows), ZERO),
    )
    sold = GiftVoucher.objects.filter(
        house=house, state=GiftVoucher.State.ACTIVE
    ).aggregate(count=Count("pk"), value=Sum("value"))
    return MembershipReport(
        types=rows,
        total=total,
        vouchers_sold=sold["count"],
        vouchers_value=quantize(sold["value"] or ZERO),
        vouchers_outstanding=voucher_outstanding(house=house, today=today),
    )


# ----------------------------------------------------------------- gift vouchers


def voucher_list(*, house: House, query: str = "") -> QuerySet[GiftVoucher]:
    """The house's vouchers, newest first; `query` matches the code (typed with or
    without dashes) or part of the buyer's or recipient's name."""
    vouchers = GiftVoucher.objects.filter(house=house).select_related("order")
    query = query.strip()
    if query:
        code = "".join(ch for ch in query.upper() if ch.isalnum())
        if len(code) == 12:
            code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
        vouchers = vouchers.filter(
            Q(code__icontains=code)
            | Q(buyer_name__icontains=query)
            | Q(recipient_name__icontains=query)
        )
    return vouchers.order_by("-created_at", "-pk")


def voucher_get(*, house: House, pk: int) -> GiftVoucher:
    voucher = (
        GiftVoucher.objects.filter(house=house, pk=pk).select_related("order").first()
    )
    if voucher is None:
        raise NotFound(_("Gift voucher not found."))
    return voucher


def voucher_uses(*, house: House, voucher: GiftVoucher) -> QuerySet:
    return voucher.uses.filter(house=house).select_related("order").order_by("pk")


def voucher_outstanding(*, house: House, today: date | None = None) -> Decimal:
    """What the house owes on its vouchers: the balance of those still spendable
    (paid and not expired)."""
    today = today or timezone.localdate()
    total = GiftVoucher.objects.filter(
        house=house, state=GiftVoucher.State.ACTIVE, expires_on__gte=today
    ).aggregate(total=Sum("balance"))["total"]
    return quantize(total or ZERO)
