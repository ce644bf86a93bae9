"""The order confirmation e-mail: text and HTML, the tickets PDF and one .ics per show.

Sent after the payment committed (hooks.on_order_paid) and on a staff resend. A mail
that cannot be built or delivered is logged and reported as False; it never raises
into the caller, so it cannot undo or block a payment.
"""

import logging
from email.utils import formataddr, parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from podium.core.i18n import localize
from podium.tenancy.models import House
from podium.tenancy.scoping import house_scope

from ..models import Order, Ticket
from .ics import order_calendars
from .pdf import band_text_colour, money_text, order_pdf
from .validity import ADMITTING_ORDER_STATES

logger = logging.getLogger(__name__)


def order_confirmation_send(*, order_id: int, on_payment: bool = False) -> bool:
    """E-mail the buyer of a paid order their tickets; True when the mail was sent.

    `on_payment`: sent because the order was just paid, so only when the order asks
    for a confirmation (a staff resend always sends).
    """
    try:
        house = _house_of_order(order_id)
        if house is None:
            logger.error("Order %s does not exist: no confirmation sent", order_id)
            return False
        with house_scope(house):
            order = Order.objects.select_related("house").get(pk=order_id, house=house)
            if order.state not in ADMITTING_ORDER_STATES:
                logger.warning(
                    "Order %s is %s: no confirmation sent", order.code, order.state
                )
                return False
            if not order.buyer_email:
                logger.info("Order %s has no e-mail address", order.code)
                return False
            if on_payment and not order.send_confirmation:
                logger.debug("Order %s asked for no confirmation mail", order.code)
                return False
            if not order.tickets.exists():  # a pass or voucher: its seller mails it
                logger.debug("Order %s has no tickets to send", order.code)
                return False
            confirmation_message(order).send()
        logger.info("Confirmation of order %s sent", order.code)
        return True
    except Exception:
        logger.exception("Confirmation of order %s could not be sent", order_id)
        return False


def on_order_paid(order_id: int) -> None:
    """The hook registered in SalesConfig.ready(): the mail and its PDF are made by a
    Celery worker, not in the request that took the payment. Without a broker (the
    embedded default, the tests) it is sent right here: Celery's eager mode keeps a
    process-wide flag that concurrent requests in a threaded server would corrupt."""
    from ..tasks import order_confirmation_task  # the tasks module imports services

    if order_confirmation_task.app.conf.task_always_eager:
        order_confirmation_send(order_id=order_id, on_payment=True)
    else:
        order_confirmation_task.delay(order_id)


def _house_of_order(order_id: int) -> House | None:
    # The hook receives a bare id and may run outside any tenant scope (after commit,
    # in a worker). Read only the tenant of the order (the plain base manager bypasses
    # the scope for this one column), then do all real work inside that house's scope.
    house_id = (
        Order._base_manager.filter(pk=order_id)
        .values_list("house_id", flat=True)
        .first()
    )
    return House.objects.filter(pk=house_id).first() if house_id else None


def confirmation_message(order: Order) -> EmailMultiAlternatives:
    """The complete message for `order`, rendered in its locale and house time zone."""
    house = order.house
    with (
        translation.override(order.locale),
        timezone.override(ZoneInfo(house.timezone)),
    ):
        context = _context(order)
        subject = _("Your tickets for %(production)s – order %(code)s") % {
            "production": context["productions"],
            "code": order.code,
        }
        text = render_to_string("sales/order_confirmation.txt", context)
        html = render_to_string("sales/order_confirmation.html", context)
        pdf = order_pdf(order) if context["ticket_count"] else None
        calendars = order_calendars(order)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=formataddr((house.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        to=[formataddr((order.buyer_name, order.buyer_email))],
        reply_to=[house.email] if house.email else None,
    )
    message.attach_alternative(html, "text/html")
    if pdf is not None:
        message.attach(f"tickets-{order.code}.pdf", pdf, "application/pdf")
    for filename, calendar in calendars:
        message.attach(filename, calendar, "text/calendar")
    return message


def _context(order: Order) -> dict:
    tickets = list(
        Ticket.objects.filter(
            order=order, house_id=order.house_id, state=Ticket.State.VALID
        )
        .select_related("tariff", "category", "performance__production")
        .select_related("performance__hall__venue")
        .order_by("performance__starts_at", "performance_id", "pk")
    )
    shows: dict[int, dict] = {}
    for ticket in tickets:
        performance = ticket.performance
        show = shows.setdefault(
            performance.pk,
            {
                "title": localize(performance.production.title, order.locale),
                "starts_at": performance.starts_at,
                "doors_open_at": performance.doors_open_at,
                "hall": performance.hall,
                "venue": performance.hall.venue,
                "lines": {},
            },
        )
        label = " · ".join(
            part
            for part in [
                localize(ticket.category.name, order.locale),
                localize(ticket.tariff.name, order.locale)
                or str(ticket.tariff.get_kind_display()),
            ]
            if part
        )
        line = show["lines"].setdefault(
            (label, ticket.price), {"label": label, "count": 0, "price": ticket.price}
        )
        line["count"] += 1
    for show in shows.values():
        show["lines"] = [
            {**line, "price_text": money_text(line["price"])}
            for line in show["lines"].values()
        ]
    titles = list(dict.fromkeys(show["title"] for show in shows.values()))
    return {
        "order": order,
        "house": order.house,
        "band_text_colour": band_text_colour(order.house),
        "shows": list(shows.values()),
        "productions": ", ".join(titles) or order.house.name,
        "ticket_count": len(tickets),
        "fees": [
            {"label": fee.get_kind_display(), "amount_text": money_text(fee.amount)}
            for fee in order.fees.all()
        ],
        "total_text": money_text(order.total),
    }
