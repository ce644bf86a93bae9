"""The cash register (kassa): what the box office took on a day, and closing it.

A day is a calendar day in the house's time zone. A box-office sale counts on the day
it was paid at the desk (cash, card terminal, free invitations) or, for an invoice
paid later by bank transfer, on the day the invoice was made at the desk. Refunds of
box-office orders count on the day they were made (paid back by hand or done), by
the method of the payment they pay back (or the method they were paid back by, such
as cash at the desk for an exchange). An exchange at the desk counts on its day: its
extra payment under its method (the new tickets' VAT in, the old ones' out), or the
difference paid back as a refund; an order's sale keeps the tickets it was sold with.
Every figure is an exact Decimal sum of the
stored snapshots (ticket prices and fees with their VAT split): nothing is rounded
again here.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.core.audit import actor_user, audit_log
from podium.core.money import quantize
from podium.tenancy.models import House

from ..errors import SalesError, SalesErrorCode
from ..models import Order, OrderFee, Payment, Refund, RegisterClosing, Ticket

ZERO = Decimal("0.00")
METHODS = {
    "cash": _("Cash"),
    "card_terminal": _("Card terminal"),
    "bank_transfer": _("Invoice (bank transfer)"),
    "free": _("Free (invitations)"),
}
OTHER = "other"
PAID_AT_DESK = ("cash", "card_terminal", "free")
SOLD_STATES = (
    Order.State.PAID,
    Order.State.PARTIALLY_REFUNDED,
    Order.State.REFUNDED,
)
REFUNDED_STATES = (Refund.State.DONE, Refund.State.MANUAL)


@dataclass(frozen=True)
class MethodLine:
    """One payment method's sales and refunds of the day."""

    method: str
    label: str
    orders: int
    tickets: int
    sales: Decimal
    refunds: Decimal

    @property
    def balance(self) -> Decimal:
        return self.sales - self.refunds


@dataclass(frozen=True)
class VatLine:
    """Sales (tickets and fees) at one VAT rate: net + VAT = gross."""

    rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class DayReport:
    house: House
    day: date
    user: AbstractBaseUser | None
    methods: list[MethodLine]
    vat: list[VatLine]

    @property
    def sales(self) -> Decimal:
        return sum((line.sales for line in self.methods), ZERO)

    @property
    def refunds(self) -> Decimal:
        return sum((line.refunds for line in self.methods), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.sales - self.refunds

    @property
    def net(self) -> Decimal:
        return sum((line.net for line in self.vat), ZERO)

    @property
    def vat_total(self) -> Decimal:
        return sum((line.vat for line in self.vat), ZERO)

    @property
    def tickets(self) -> int:
        return sum(line.tickets for line in self.methods)

    def method(self, name: str) -> MethodLine:
        return next(line for line in self.methods if line.method == name)

    @property
    def cash(self) -> MethodLine:
        return self.method("cash")

    @property
    def expected_cash(self) -> Decimal:
        """Cash that should be in the drawer: cash taken minus cash paid back."""
        return self.cash.balance


def day_bounds(house: House, day: date) -> tuple[datetime, datetime]:
    """The first instant of `day` and of the next day in the house's time zone."""
    zone = ZoneInfo(house.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def register_today(*, house: House) -> date:
    return timezone.localdate(timezone=ZoneInfo(house.timezone))


def _sale_payments(house: House, start: datetime, end: datetime, user):
    at_desk = Q(
        provider__in=PAID_AT_DESK,
        state=Payment.State.PAID,
        paid_at__gte=start,
        paid_at__lt=end,
        order__state__in=SOLD_STATES,
    )
    invoiced = Q(
        provider="bank_transfer",
        state__in=(Payment.State.PENDING, Payment.State.PAID),
        created_at__gte=start,
        created_at__lt=end,
        order__state__in=(*SOLD_STATES, Order.State.PENDING),
    )
    payments = Payment.objects.filter(
        at_desk | invoiced,
        house=house,
        order__house=house,
        order__channel=Order.Channel.BOX_OFFICE,
    ).exclude(data__has_key="exchange")
    if user is not None:
        payments = payments.filter(order__created_by=user)
    # The amount paid then: an exchange may change the order's total later.
    return payments.order_by("pk").values("order_id", "provider", "amount")


def _exchange_payments(house: House, start: datetime, end: datetime, user):
    """The extra payments of exchanges made at the desk on the day (any channel)."""
    rows = Payment.objects.filter(
        house=house,
        data__has_key="exchange",
        provider__in=PAID_AT_DESK,
        state=Payment.State.PAID,
        paid_at__gte=start,
        paid_at__lt=end,
    ).values("provider", "amount", "data")
    return [
        row
        for row in rows.order_by("pk")
        if user is None or row["data"].get("by") == user.pk
    ]


def _sold_tickets(house: House, order_ids: list[int]):
    """The tickets the orders were sold with (not those an exchange brought in)."""
    return Ticket.objects.filter(house=house, order_id__in=order_ids).filter(
        Q(order__paid_at__isnull=True) | Q(created_at__lte=F("order__paid_at"))
    )


def _refunds_by_method(house: House, start: datetime, end: datetime, user):
    refunds = Refund.objects.filter(
        Q(order__channel=Order.Channel.BOX_OFFICE) | ~Q(method=""),
        house=house,
        order__house=house,
        state__in=REFUNDED_STATES,
        created_at__gte=start,
        created_at__lt=end,
    )
    if user is not None:
        refunds = refunds.filter(created_by=user)
    totals: dict[str, Decimal] = {}
    # What went back onto gift vouchers left no drawer or account.
    rows = refunds.values("method", "payment__provider").annotate(
        total=Sum(F("amount") - F("to_voucher"))
    )
    for row in rows:
        if not row["total"]:
            continue
        method = row["method"] or row["payment__provider"] or OTHER
        method = method if method in METHODS else OTHER
        totals[method] = quantize(totals.get(method, ZERO) + row["total"])
    return totals


def _vat_lines(house: House, order_ids: list[int], exchanges) -> list[VatLine]:
    lines: dict[Decimal, list[Decimal]] = {}
    tickets_in = [pk for row in exchanges for pk in row["data"]["tickets_in"]]
    tickets_out = [pk for row in exchanges for pk in row["data"]["tickets_out"]]
    rows = [
        *_sold_tickets(house, order_ids)
        .values("vat_rate")
        .annotate(net=Sum("net_amount"), vat=Sum("vat_amount"), gross=Sum("price")),
        *OrderFee.objects.filter(house=house, order_id__in=order_ids)
        .values("vat_rate")
        .annotate(net=Sum("net_amount"), vat=Sum("vat_amount"), gross=Sum("amount")),
        *_ticket_vat(house, tickets_in),
    ]
    rows += [
        {key: -value if key != "vat_rate" else value for key, value in row.items()}
        for row in _ticket_vat(house, tickets_out)
    ]
    for row in rows:
        line = lines.setdefault(row["vat_rate"], [ZERO, ZERO, ZERO])
        line[0] += row["net"]
        line[1] += row["vat"]
        line[2] += row["gross"]
    return [
        VatLine(quantize(rate), *(quantize(amount) for amount in lines[rate]))
        for rate in sorted(lines)
    ]


def _ticket_vat(house: House, ticket_ids: list[int]) -> list[dict]:
    if not ticket_ids:
        return []
    return list(
        Ticket.objects.filter(house=house, pk__in=ticket_ids)
        .values("vat_rate")
        .annotate(net=Sum("net_amount"), vat=Sum("vat_amount"), gross=Sum("price"))
    )


def register_day_report(
    *, house: House, day: date, user: AbstractBaseUser | None = None
) -> DayReport:
    """The box office's takings on `day`, per method and per VAT rate.

    With `user`, only the sales that person made (the orders they created) and the
    refunds they made: what their own cash drawer should hold.
    """
    start, end = day_bounds(house, day)
    sales: dict[int, tuple[str, Decimal]] = {}
    for row in _sale_payments(house, start, end, user):
        method = row["provider"] if row["provider"] in METHODS else OTHER
        sales.setdefault(row["order_id"], (method, row["amount"]))
    exchanges = _exchange_payments(house, start, end, user)
    extra: dict[str, Decimal] = {}
    for row in exchanges:
        extra[row["provider"]] = extra.get(row["provider"], ZERO) + row["amount"]
    tickets = dict(
        _sold_tickets(house, list(sales))
        .values("order_id")
        .annotate(n=Count("pk"))
        .values_list("order_id", "n")
    )
    refunds = _refunds_by_method(house, start, end, user)
    names = list(METHODS)
    if OTHER in refunds or any(m == OTHER for m, _total in sales.values()):
        names.append(OTHER)
    methods = []
    for name in names:
        orders = [pk for pk, (method, _total) in sales.items() if method == name]
        methods.append(
            MethodLine(
                method=name,
                label=str(METHODS.get(name, _("Other"))),
                orders=len(orders),
                tickets=sum(tickets.get(pk, 0) for pk in orders),
                sales=sum((sales[pk][1] for pk in orders), ZERO)
                + extra.get(name, ZERO),
                refunds=refunds.get(name, ZERO),
            )
        )
    return DayReport(
        house=house,
        day=day,
        user=user,
        methods=methods,
        vat=_vat_lines(house, list(sales), exchanges),
    )


def register_closing_list(*, house: House, day: date) -> list[RegisterClosing]:
    return list(
        RegisterClosing.objects.filter(house=house, day=day).select_related("user")
    )


def _refuse(message, field=None, conflict=False, **params) -> SalesError:
    return SalesError(
        message,
        code=SalesErrorCode.INVALID,
        field=field,
        params=params,
        conflict=conflict,
    )


def _already_closed(day: date) -> SalesError:
    return _refuse(
        _("You already closed the register for %(day)s."),
        conflict=True,
        day=day.isoformat(),
    )


def register_close(
    *,
    house: House,
    actor: AbstractBaseUser,
    day: date,
    counted_cash: Decimal,
    note: str = "",
) -> RegisterClosing:
    """Close `actor`'s register for `day` with the cash they counted.

    The difference with the expected cash (their cash sales minus their cash
    refunds) is recorded; a difference needs a note. Once per person and day.
    """
    user = actor_user(actor)
    if user is None:
        raise _refuse(_("Only a staff member can close a register."))
    if day > register_today(house=house):
        raise _refuse(_("A day that has not begun cannot be closed."), field="day")
    counted = quantize(counted_cash)
    if counted < 0:
        raise _refuse(_("Counted cash cannot be negative."), field="counted_cash")
    note = note.strip()
    with transaction.atomic(durable=True):
        if RegisterClosing.objects.filter(house=house, user=user, day=day).exists():
            raise _already_closed(day)
        expected = register_day_report(house=house, day=day, user=user).expected_cash
        difference = counted - expected
        if difference and not note:
            raise _refuse(
                _("Explain the difference of %(difference)s EUR in the note."),
                field="note",
                difference=str(difference),
            )
        try:
            with transaction.atomic():
                closing = RegisterClosing.objects.create(
                    house=house,
                    user=user,
                    day=day,
                    closed_at=timezone.now(),
                    counted_cash=counted,
                    expected_cash=expected,
                    difference=difference,
                    note=note,
                )
        except IntegrityError:  # closed meanwhile in another tab
            raise _already_closed(day) from None
        audit_log(
            action="podium.sales.register_closing.created",
            obj=closing,
            actor=actor,
            data={
                "day": day.isoformat(),
                "counted_cash": str(counted),
                "expected_cash": str(expected),
                "difference": str(difference),
                "note": note,
            },
        )
    return closing
