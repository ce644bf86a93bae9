"""Calendar files (RFC 5545), one per performance of an order, written by hand.

Times are written in UTC (`…Z`), so no VTIMEZONE is needed and every calendar shows
the right local time on either side of a DST switch. Text values are escaped (\\ ; , and
newlines), lines end in CRLF and are folded at 75 octets without splitting a UTF-8
character.
"""

from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from podium.catalog.ics import CRLF, escape_text, fold, utc_stamp
from podium.catalog.models import Performance
from podium.core.i18n import localize

from ..models import Order, Ticket


def order_calendars(order: Order) -> list[tuple[str, str]]:
    """(file name, .ics text) for each performance with valid tickets in `order`."""
    performances = (
        Performance.objects.filter(
            house_id=order.house_id,
            tickets__order=order,
            tickets__state=Ticket.State.VALID,
        )
        .select_related("production", "hall__venue")
        .distinct()
        .order_by("starts_at", "pk")
    )
    return [
        (_filename(order, performance), performance_ics(order, performance))
        for performance in performances
    ]


def performance_ics(order: Order, performance: Performance) -> str:
    with translation.override(order.locale):
        title = localize(performance.production.title, order.locale)
        venue = performance.hall.venue
        location = (
            f"{performance.hall.name}, {venue.name}, {venue.street}, "
            f"{venue.postal_code} {venue.city}"
        )
        description = _("Order %(code)s at %(house)s. Your tickets are in the PDF.") % {
            "code": order.code,
            "house": order.house.name,
        }
    status = (
        "CANCELLED"
        if performance.status == Performance.Status.CANCELLED
        else "CONFIRMED"
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Podium//Podium tickets//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        # Stable per order and performance: a resent file updates the same entry.
        f"UID:order-{order.code.lower()}-performance-{performance.pk}@podium",
        f"DTSTAMP:{utc_stamp(timezone.now())}",
        f"DTSTART:{utc_stamp(performance.starts_at)}",
        f"DTEND:{utc_stamp(performance.ends_at)}",
        f"SUMMARY:{escape_text(title)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"STATUS:{status}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)


def _filename(order: Order, performance: Performance) -> str:
    title = slugify(localize(performance.production.title, order.locale))[:40]
    zone = ZoneInfo(order.house.timezone)
    day = timezone.localtime(performance.starts_at, zone).strftime("%Y-%m-%d")
    return f"{title or 'podium'}-{day}.ics"
