"""When a ticket admits at the door: the performance's window, labels and messages.

One module for the rules that both the services (deciding a scan) and the selectors
(the offline package) need.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from podium.catalog.models import Performance
from podium.core.i18n import localize
from podium.sales.models import Ticket
from podium.sales.tickets.errors import REASON_MESSAGES
from podium.tenancy.models import House

from .errors import SCAN_MESSAGES, ScanReason

DOORS_BEFORE_START = timedelta(minutes=90)  # when the performance names no doors time
ADMITS_AFTER_END = timedelta(hours=1)


def admits_from(performance: Performance) -> datetime:
    return performance.doors_open_at or performance.starts_at - DOORS_BEFORE_START


def admits_until(performance: Performance) -> datetime:
    return performance.ends_at + ADMITS_AFTER_END


def window_refusal(performance: Performance, at: datetime) -> ScanReason | None:
    """not_yet_valid before the doors open, ended an hour after the end, else None."""
    if at < admits_from(performance):
        return ScanReason.NOT_YET_VALID
    if at > admits_until(performance):
        return ScanReason.ENDED
    return None


def ticket_label(*, tariff_name, seat_label: str) -> str:
    """ "Volle prijs · Zaal, rij D, stoel 27": the tariff, and the seat when seated."""
    return " · ".join(part for part in (localize(tariff_name), seat_label) if part)


def ticket_label_of(ticket: Ticket) -> str:
    return ticket_label(
        tariff_name=ticket.tariff.name or ticket.category.name,
        seat_label=ticket.seat_label,
    )


def holder_of(ticket: Ticket) -> str:
    return ticket.holder_name or ticket.order.buyer_name


def local(house: House, moment: datetime) -> datetime:
    return timezone.localtime(moment, ZoneInfo(house.timezone))


def already_scanned_message(*, house: House, at: datetime, entrance: str) -> str:
    time = local(house, at).strftime("%H:%M")
    if entrance:
        return _("Already scanned at %(time)s at entrance %(entrance)s.") % {
            "time": time,
            "entrance": entrance,
        }
    return _("Already scanned at %(time)s.") % {"time": time}


def other_performance_message(*, house: House, performance: Performance) -> str:
    return _("This ticket is for %(title)s on %(date)s.") % {
        "title": localize(performance.production.title),
        "date": date_format(local(house, performance.starts_at), "j F Y, H:i"),
    }


def reason_message(reason: str) -> str:
    """The message of a reason that needs no details (not already_scanned and not
    other_performance)."""
    # Both tables are keyed by StrEnum members, which hash and compare as their text.
    message = SCAN_MESSAGES.get(reason) or REASON_MESSAGES.get(reason)
    return str(message) if message else _("This ticket does not admit anyone.")
