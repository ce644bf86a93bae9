"""Friends passes (vriendenpassen): buy one, recognise it, and what it gives.

    membership_buy            a pending order with the pass as its only line, and
                              the Membership (state "pending") in the same transaction
    memberships_activate      the order-paid hook: the pass becomes valid for its
                              type's months (following on from the pass it renews)
                              and its holder gets it by e-mail
    member_pass_find          an active, valid pass by its number (the desk)
    member_pass_of_customer   the signed-in visitor's pass (the webshop)
    basket_member_set         a basket bought with a pass (typed at the desk, or the
                              signed-in member's): see the three sales hooks below

The pass gives its rights through hooks of sales (registered in apps.py): member
tariffs of its productions are unlocked for the basket, the basket may buy
`early_access_days` before a performance's public sale, and at most
`max_tickets_per_performance` member tickets per performance are held or sold on
one pass (counted under the pass's row lock, so two baskets cannot both take the
last one).
"""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.core.i18n import localize
from podium.customers.models import Customer
from podium.customers.services import customer_for_guest
from podium.sales.errors import SalesError, SalesErrorCode
from podium.sales.models import Basket, Hold, Order, OrderItem, Tariff, Ticket
from podium.sales.services.baskets import basket_remove_hold
from podium.sales.services.orders import ItemLine, order_items_place
from podium.tenancy.models import House

from .codes import code_clean, code_new
from .errors import PassesError, PassesErrorCode
from .models import Membership, MembershipType

# Orders whose member tickets count towards a pass's maximum per performance.
COUNTED_ORDER_STATES = (Order.State.PENDING, Order.State.PAID)
REMINDER_DAYS = 30  # the renewal reminder goes out this long before the end


def _refuse(message, field=None, code=PassesErrorCode.INVALID, **params):
    return PassesError(message, code=code, field=field, params=params)


def member_number_new() -> str:
    """A fresh pass number: "VP-" and 8 characters in two groups."""
    return code_new(
        length=8,
        prefix="VP",
        taken=lambda number: Membership._base_manager.filter(number=number).exists(),
    )


def member_number_clean(number: str) -> str:
    """ "vp 7k3m 9qx2", "7K3M9QX2" and "VP-7K3M-9QX2" are the same pass."""
    return code_clean(number, length=8, prefix="VP")


def _today(now: datetime | None = None) -> date:
    return timezone.localdate(now) if now else timezone.localdate()


def _valid_now(today: date) -> Q:
    return Q(
        state=Membership.State.ACTIVE,
        valid_from__lte=today,
        valid_until__gte=today,
    )


def member_pass_find(
    *, house: House, number: str, now: datetime | None = None
) -> Membership | None:
    """The house's pass with this number when it is active and valid today."""
    return (
        Membership.objects.filter(house_id=house.pk, number=member_number_clean(number))
        .filter(_valid_now(_today(now)))
        .select_related("type")
        .first()
    )


def member_pass_of_customer(
    *, house: House, customer: Customer | None, now: datetime | None = None
) -> Membership | None:
    """The signed-in customer's valid pass of this house (the one valid longest)."""
    if customer is None:
        return None
    return (
        Membership.objects.filter(house_id=house.pk, customer=customer)
        .filter(_valid_now(_today(now)))
        .select_related("type")
        .order_by("-valid_until", "-pk")
        .first()
    )


def memberships_on_sale(*, houses) -> QuerySet[MembershipType]:
    """The friends pass types these houses sell in their webshop now."""
    return (
        MembershipType.objects.filter(
            houses_q(houses), is_active=True, sold_online=True
        )
        .select_related("house")
        .prefetch_related("productions")
        .order_by("house__name", "position", "pk")
    )


def houses_q(houses) -> Q:
    return Q(house_id__in=[house.pk for house in houses])


def memberships_of_customer(
    *, customer: Customer | None, houses=None, with_cancelled: bool = False
) -> list[Membership]:
    """The customer's friends passes (of `houses`, else of every house), the one
    valid longest first."""
    if customer is None:
        return []
    found = Membership.objects.filter(customer=customer)
    if houses is not None:
        found = found.filter(houses_q(houses))
    if not with_cancelled:
        found = found.exclude(state=Membership.State.CANCELLED)
    return list(
        found.select_related("type", "house").order_by(
            F("valid_until").desc(nulls_last=True), "-pk"
        )
    )


def memberships_of_order(order: Order) -> QuerySet[Membership]:
    """The valid passes a paid order bought."""
    return Membership.objects.filter(
        house_id=order.house_id, order=order, state=Membership.State.ACTIVE
    ).select_related("type")


def membership_early_access(membership: Membership | None) -> timedelta:
    """How long before the public sale the pass may buy (zero without one)."""
    if membership is None:
        return timedelta(0)
    return timedelta(days=membership.type.early_access_days)


def member_covers(membership: Membership, production_id: int) -> bool:
    """Does the pass give its member tariff on this production?"""
    chosen = {p.pk for p in membership.type.productions.all()}
    return not chosen or production_id in chosen


def member_tariff_ids(
    *,
    membership: Membership | None,
    tariffs,
    performance: Performance | None = None,
) -> set[int]:
    """The member tariffs among `tariffs` this pass may buy."""
    if membership is None:
        return set()
    return {
        tariff.pk
        for tariff in tariffs
        if tariff.kind == Tariff.Kind.MEMBER
        and tariff.house_id == membership.house_id
        and member_covers(
            membership,
            performance.production_id if performance else tariff.production_id,
        )
    }


@transaction.atomic
def basket_member_set(
    *, house: House, actor, basket: Basket, number: str
) -> Membership:
    """Buy the basket with this friends pass; an unknown or expired number is
    refused with a clear message (and the basket keeps no pass)."""
    if basket.house_id != house.pk:
        raise NotFound(_("Basket not found."))
    membership = member_pass_find(house=house, number=number)
    if membership is None:
        raise _refuse(
            _("No valid friends pass has this number. Check it and try again."),
            field="member_pass",
        )
    if basket.member_pass != membership.number:
        Basket.objects.filter(pk=basket.pk, house_id=house.pk).update(
            member_pass=membership.number
        )
        basket.member_pass = membership.number
        audit_log(
            action="podium.passes.membership.basket",
            obj=basket,
            actor=actor,
            data={"member_pass": membership.number},
        )
    return membership


# ----------------------------------------------------------------- sales hooks


def _basket_pass(basket: Basket, now: datetime | None) -> Membership | None:
    if not basket.member_pass:
        return None
    return member_pass_find(
        house=House(pk=basket.house_id), number=basket.member_pass, now=now
    )


def unlock_member_tariffs(*, basket, tariffs, performance, now=None) -> set[int]:
    """Hook: the member tariffs the basket's pass opens."""
    if not any(t.kind == Tariff.Kind.MEMBER for t in tariffs):
        return set()
    return member_tariff_ids(
        membership=_basket_pass(basket, now), tariffs=tariffs, performance=performance
    )


def early_access(*, basket, performance, now=None) -> timedelta:
    """Hook: how long before the public sale the basket's pass may buy."""
    return membership_early_access(_basket_pass(basket, now))


def member_tickets_left(
    *, membership: Membership, performance: Performance, now: datetime | None = None
) -> int | None:
    """How many more member tickets this pass may take for the performance (None:
    no maximum). Held places of live baskets and tickets of open orders count."""
    limit = membership.type.max_tickets_per_performance
    if limit is None:
        return None
    now = now or timezone.now()
    held = (
        Hold.objects.filter(
            house_id=membership.house_id,
            basket__member_pass=membership.number,
            performance=performance,
            tariff__kind=Tariff.Kind.MEMBER,
            state=Hold.State.HELD,
            expires_at__gt=now,
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    sold = Ticket.objects.filter(
        house_id=membership.house_id,
        order__member_pass=membership.number,
        order__state__in=COUNTED_ORDER_STATES,
        performance=performance,
        tariff__kind=Tariff.Kind.MEMBER,
        state=Ticket.State.VALID,
    ).count()
    return max(limit - held - sold, 0)


def member_tickets_guard(*, basket, performance, tariff, quantity, now=None) -> None:
    """Hook: refuse member tickets beyond the pass's maximum per performance. The
    pass's row lock serialises two baskets of one pass (PostgreSQL)."""
    if tariff.kind != Tariff.Kind.MEMBER or not basket.member_pass:
        return
    membership = (
        Membership.objects.select_for_update()
        .filter(house_id=basket.house_id, number=basket.member_pass)
        .select_related("type")
        .first()
    )
    if membership is None:
        return
    left = member_tickets_left(membership=membership, performance=performance, now=now)
    if left is not None and quantity > left:
        raise SalesError(
            _(
                "With your friends pass you can buy at most %(max)s member tickets "
                "for this performance (%(left)s left)."
            ),
            code=SalesErrorCode.TOO_MANY,
            params={"max": membership.type.max_tickets_per_performance, "left": left},
        )


# ----------------------------------------------------------------------- buying


def _following_on(
    type_: MembershipType, customer, holder_email, today
) -> Membership | None:
    """The holder's current or recent pass of this type, which a new one renews."""
    if customer is None and not holder_email:
        return None
    who = Q(customer=customer) if customer is not None else Q()
    if holder_email:
        who |= Q(holder_email__iexact=holder_email)
    return (
        Membership.objects.filter(who, type=type_, state=Membership.State.ACTIVE)
        .filter(valid_until__gte=today - timedelta(days=REMINDER_DAYS))
        .order_by("-valid_until")
        .first()
    )


@transaction.atomic(durable=True)
def membership_buy(
    *,
    house: House,
    actor,
    type: MembershipType,
    holder_name: str,
    holder_email: str,
    customer: Customer | None = None,
    channel: str = Order.Channel.WEB,
    locale: str = "nl",
) -> Membership:
    """A pending order for one friends pass, and the pass awaiting that payment."""
    type_ = MembershipType.objects.filter(pk=type.pk, house_id=house.pk).first()
    if type_ is None:
        raise _refuse(_("This friends pass does not exist."))
    if not type_.is_active or (channel == Order.Channel.WEB and not type_.sold_online):
        raise _refuse(
            _("This friends pass is not on sale."), code=PassesErrorCode.NOT_ON_SALE
        )
    if customer is None:  # the holder's customer (of the cluster) by e-mail, so that
        # signing in with that address later recognises the pass
        customer = customer_for_guest(house=house, name=holder_name, email=holder_email)
    name = localize(type_.name, locale)
    order = order_items_place(
        house=house,
        actor=actor,
        items=[
            ItemLine(
                kind=OrderItem.Kind.MEMBERSHIP,
                description=f"{name} – {holder_name.strip()}",
                amount=type_.price,
                vat_rate=type_.vat_rate,
            )
        ],
        buyer_name=holder_name,
        buyer_email=holder_email,
        locale=locale,
        channel=channel,
        customer=customer,
    )
    membership = Membership.objects.create(
        house=house,
        type=type_,
        number=member_number_new(),
        customer=customer,
        holder_name=holder_name.strip(),
        holder_email=holder_email.strip(),
        order=order,
        renews=_following_on(type_, customer, holder_email.strip(), _today()),
    )
    audit_log(
        action="podium.passes.membership.ordered",
        obj=membership,
        actor=actor,
        data={"number": membership.number, "order": order.code},
    )
    return membership


def membership_period(membership: Membership, today: date) -> tuple[date, date]:
    """From when to when a pass paid today is valid: from today, or from the day
    after the pass it renews ends; for its type's months (last day included)."""
    start = today
    renewed = membership.renews
    if renewed is not None and renewed.valid_until and renewed.valid_until >= today:
        start = renewed.valid_until + timedelta(days=1)
    end = start + relativedelta(months=membership.type.validity_months) - timedelta(1)
    return start, end


def memberships_activate(order_id: int) -> list[Membership]:
    """The order-paid hook: the order's pending passes become valid and are mailed."""
    from .tasks import mail_later, membership_mail_task  # tasks import mail, mail us

    activated = []
    with transaction.atomic():
        pending = (
            Membership._base_manager.select_for_update(of=("self",))
            .filter(order_id=order_id, state=Membership.State.PENDING)
            .select_related("type", "renews")
        )
        for membership in pending:
            membership.valid_from, membership.valid_until = membership_period(
                membership, _today()
            )
            membership.state = Membership.State.ACTIVE
            membership.save(
                update_fields=["state", "valid_from", "valid_until", "updated_at"]
            )
            audit_log(
                action="podium.passes.membership.activated",
                obj=membership,
                actor=None,
                data={"until": membership.valid_until.isoformat()},
            )
            activated.append(membership)
    for membership in activated:
        transaction.on_commit(
            lambda pk=membership.pk: mail_later(membership_mail_task, pk)
        )
    return activated


def memberships_release(*, order: Order, from_state: str) -> int:
    """The order-released hook: a pass whose order expired or was cancelled is
    cancelled with it."""
    return Membership.objects.filter(
        house_id=order.house_id,
        order=order,
        state__in=(
            Membership.State.PENDING,
            Membership.State.ACTIVE,
        ),
    ).update(state=Membership.State.CANCELLED)


def memberships_due_for_reminder(*, now: datetime | None = None):
    """Valid passes ending within REMINDER_DAYS, not reminded yet and not renewed."""
    today = _today(now)
    renewed = Membership._base_manager.filter(
        state__in=(Membership.State.PENDING, Membership.State.ACTIVE),
        renews__isnull=False,
    ).values("renews_id")
    return (
        Membership._base_manager.filter(
            state=Membership.State.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=REMINDER_DAYS),
            reminder_sent_at__isnull=True,
        )
        .exclude(pk__in=renewed)
        .exclude(holder_email="")
        .order_by("pk")
    )


@transaction.atomic
def basket_member_clear(*, house: House, actor, basket: Basket) -> int:
    """Buy the basket without a friends pass from now on; the member tickets it
    holds are given back (without the pass they could not be bought, as a promo
    code taken off gives back the hidden tariffs it opened). Returns how many
    lines were given back; nothing happens when the basket has no pass."""
    if basket.house_id != house.pk:
        raise NotFound(_("Basket not found."))
    if not basket.member_pass:
        return 0
    number = basket.member_pass
    Basket.objects.filter(pk=basket.pk, house_id=house.pk).update(member_pass="")
    basket.member_pass = ""
    member_holds = list(
        Hold.objects.filter(
            basket=basket, state=Hold.State.HELD, tariff__kind=Tariff.Kind.MEMBER
        )
    )
    for hold in member_holds:
        basket_remove_hold(house=house, actor=actor, hold=hold)
    audit_log(
        action="podium.passes.membership.basket_cleared",
        obj=basket,
        actor=actor,
        data={"member_pass": number, "lines_given_back": len(member_holds)},
    )
    return len(member_holds)
