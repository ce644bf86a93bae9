"""Reading the door: what to scan, the offline package, attendance and conflicts."""

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.errors import NotFound
from podium.core.i18n import localize
from podium.sales.models import Ticket
from podium.sales.tickets.keys import public_keys
from podium.sales.tickets.validity import ADMITTING_ORDER_STATES
from podium.tenancy.models import House

from . import rules
from .models import Scan

SCAN_AHEAD = timedelta(hours=12)  # list performances whose doors open this soon


@dataclass(frozen=True)
class Attendance:
    admitted: int  # tickets scanned in
    expected: int  # tickets that admit


def scan_performance_get(*, house: House, pk: int) -> Performance:
    """A performance of `house` to scan for; another house's is not found either."""
    performance = (
        Performance.objects.filter(house=house, pk=pk)
        .select_related("production", "hall")
        .first()
    )
    if performance is None:
        raise NotFound(_("Performance not found."))
    return performance


def performances_to_scan(
    *, house: House, now: datetime | None = None
) -> QuerySet[Performance]:
    """Performances whose doors open within 12 hours, or that ended less than an hour
    ago (and not cancelled, postponed or moved), by start."""
    now = now or timezone.now()
    doors = Coalesce(
        "doors_open_at",
        ExpressionWrapper(
            F("starts_at") - rules.DOORS_BEFORE_START, output_field=DateTimeField()
        ),
    )
    return (
        Performance.objects.filter(
            house=house, ends_at__gte=now - rules.ADMITS_AFTER_END
        )
        .exclude(status__in=Performance.FREEING_STATUSES)
        .alias(doors=doors)
        .filter(doors__lte=now + SCAN_AHEAD)
        .select_related("production", "hall")
        .order_by("starts_at", "pk")
    )


def _admitting_tickets(*, house: House) -> QuerySet[Ticket]:
    return Ticket.objects.filter(
        house=house,
        state=Ticket.State.VALID,
        order__state__in=ADMITTING_ORDER_STATES,
    )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def checkin_package(
    *, house: House, performance: Performance, now: datetime | None = None
) -> dict:
    """Everything a scanner needs to check codes offline (JSON-ready).

    `keys`: the house's active Ed25519 public keys (raw 32 bytes, unpadded
    base64url) by key id; `tickets`: every ticket of the performance that admits,
    by id, with its code version; `admitted`: the tickets already scanned in (times
    in the house's time zone). A code admits offline when its signature verifies
    with `keys[key id]`, its ticket id and version are in `tickets`, and it is not
    in `admitted`.
    """
    tickets = _admitting_tickets(house=house).filter(performance=performance)
    rows = tickets.values_list(
        "pk",
        "version",
        "holder_name",
        "order__buyer_name",
        "tariff__name",
        "seat_label",
    )
    admissions = Scan.objects.filter(
        house=house,
        performance=performance,
        result=Scan.Result.ADMITTED,
        ticket__isnull=False,
    ).values_list("ticket_id", "scanned_at", "entrance")

    def iso(moment: datetime) -> str:
        return rules.local(house, moment).isoformat()

    return {
        "performance": {
            "id": performance.pk,
            "title": localize(performance.production.title),
            "starts_at": iso(performance.starts_at),
            "admits_from": iso(rules.admits_from(performance)),
            "admits_until": iso(rules.admits_until(performance)),
        },
        "keys": {key_id: _b64(raw) for key_id, raw in public_keys(house=house).items()},
        "tickets": {
            str(pk): {
                "v": version,
                "label": rules.ticket_label(tariff_name=tariff, seat_label=seat),
                "holder": holder or buyer,
            }
            for pk, version, holder, buyer, tariff, seat in rows
        },
        "admitted": {
            str(ticket_id): {"at": iso(at), "entrance": entrance}
            for ticket_id, at, entrance in admissions
        },
        "generated_at": iso(now or timezone.now()),
    }


def attendance(*, house: House, performance_ids: list[int]) -> dict[int, Attendance]:
    """Admitted and expected (tickets that admit) per performance, in two queries."""
    ids = list(performance_ids)
    admitted = dict(
        Scan.objects.filter(
            house=house, performance_id__in=ids, result=Scan.Result.ADMITTED
        )
        .values("performance_id")
        .annotate(n=Count("pk"))
        .values_list("performance_id", "n")
    )
    expected = dict(
        _admitting_tickets(house=house)
        .filter(performance_id__in=ids)
        .values("performance_id")
        .annotate(n=Count("pk"))
        .values_list("performance_id", "n")
    )
    return {
        pk: Attendance(admitted=admitted.get(pk, 0), expected=expected.get(pk, 0))
        for pk in ids
    }


def scan_conflicts(*, house: House, performance: Performance) -> list[Scan]:
    """The scans of a first-scan-wins dispute: offline admissions that lost to an
    earlier one, and the admissions that displaced a later one; per ticket in time
    order."""
    return list(
        Scan.objects.filter(house=house, performance=performance, conflict=True)
        .select_related("ticket__order", "ticket__tariff")
        .order_by("ticket_id", "scanned_at", "pk")
    )
