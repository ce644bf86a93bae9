"""The door: choose a performance and entrance, then scan on a phone.

The scanner page works offline: it downloads the performance's check-in package
(public keys and the tickets that admit), checks codes itself when the network is
gone, and sends its queued scans to `checkin_sync` when it is back. The server
decides: the first admission of a ticket wins, conflicts are reported.
"""

import json
from datetime import datetime

from django.http import JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from podium.checkin import selectors, services
from podium.checkin.services import OfflineScan
from podium.core.errors import DomainError
from podium.tenancy.permissions import Action

from .access import load, office_view
from .flow import render

MAX_BODY_BYTES = 512 * 1024


def _outcome_json(outcome) -> dict:
    first = outcome.first_scanned_at
    return {
        "admitted": outcome.admitted,
        "reason": outcome.reason,
        "message": outcome.message,
        "ticket_id": outcome.ticket_id,
        "ticket_label": outcome.ticket_label,
        "holder": outcome.holder,
        "first_scanned_at": first.isoformat() if first else None,
        "first_entrance": outcome.first_entrance,
    }


def _problem(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _json_body(request) -> dict | None:
    if len(request.body) > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _text(data: dict, key: str, limit: int) -> str:
    value = data.get(key, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


@office_view(Action.CHECKIN_SCAN)
def checkin_list(request):
    performances = list(selectors.performances_to_scan(house=request.house))
    counts = selectors.attendance(
        house=request.house, performance_ids=[p.pk for p in performances]
    )
    return render(
        request,
        "checkin_list",
        performances=[(p, counts.get(p.pk)) for p in performances],
    )


@office_view(Action.CHECKIN_SCAN)
def checkin_scanner(request, pk):
    performance = load(selectors.scan_performance_get, house=request.house, pk=pk)
    entrance = _text(request.GET, "entrance", 40)
    counts = selectors.attendance(house=request.house, performance_ids=[pk]).get(pk)
    return render(
        request,
        "checkin_scanner",
        performance=performance,
        entrance=entrance,
        attendance=counts,
        timezone=request.house.timezone,
    )


@office_view(Action.CHECKIN_SCAN)
@require_GET
def checkin_package(request, pk):
    performance = load(selectors.scan_performance_get, house=request.house, pk=pk)
    package = selectors.checkin_package(house=request.house, performance=performance)
    return JsonResponse(package, headers={"Cache-Control": "no-store"})


@office_view(Action.CHECKIN_SCAN)
@require_POST
def checkin_scan(request, pk):
    performance = load(selectors.scan_performance_get, house=request.house, pk=pk)
    data = _json_body(request)
    if data is None or not _text(data, "code", 2000):
        return _problem(_("Send a ticket code to scan."))
    outcome = services.scan_ticket(
        house=request.house,
        actor=request.user,
        performance=performance,
        payload=_text(data, "code", 2000),
        entrance=_text(data, "entrance", 40),
        device=_text(data, "device", 64),
    )
    return JsonResponse(_outcome_json(outcome))


def _offline_scans(items) -> list[OfflineScan] | None:
    if not isinstance(items, list):
        return None
    scans = []
    for item in items:
        if not isinstance(item, dict):
            return None
        moment = item.get("scanned_at")
        scanned_at = parse_datetime(moment) if isinstance(moment, str) else None
        if not isinstance(scanned_at, datetime) or scanned_at.tzinfo is None:
            return None
        scans.append(
            OfflineScan(
                client_id=_text(item, "client_id", 64),
                payload=_text(item, "code", 2000),
                entrance=_text(item, "entrance", 40),
                scanned_at=scanned_at,
                admitted_offline=item.get("admitted_offline") is True,
            )
        )
    return scans


@office_view(Action.CHECKIN_SCAN)
@require_POST
def checkin_sync(request, pk):
    performance = load(selectors.scan_performance_get, house=request.house, pk=pk)
    data = _json_body(request)
    scans = _offline_scans(data.get("scans")) if data is not None else None
    if scans is None:
        return _problem(_("The queued scans could not be read."))
    try:
        results = services.scans_sync(
            house=request.house,
            actor=request.user,
            performance=performance,
            device=_text(data, "device", 64),
            scans=scans,
        )
    except DomainError as error:
        return _problem(str(error))
    return JsonResponse(
        {
            "results": [
                {"client_id": r.client_id, "conflict": r.conflict}
                | _outcome_json(r.outcome)
                for r in results
            ]
        }
    )


@office_view(Action.CHECKIN_SCAN)
@require_GET
def checkin_attendance(request, pk):
    performance = load(selectors.scan_performance_get, house=request.house, pk=pk)
    counts = selectors.attendance(
        house=request.house, performance_ids=[performance.pk]
    ).get(performance.pk)
    return JsonResponse(
        {
            "admitted": counts.admitted if counts else 0,
            "expected": counts.expected if counts else 0,
        }
    )


def door_counts(house) -> list[dict]:
    """Tonight's performances at the door: who is in, of how many tickets."""
    performances = list(selectors.performances_to_scan(house=house))
    counts = selectors.attendance(
        house=house, performance_ids=[p.pk for p in performances]
    )
    return [
        {
            "performance": performance,
            "admitted": counts[performance.pk].admitted,
            "expected": counts[performance.pk].expected,
        }
        for performance in performances
    ]


@office_view(Action.OFFICE_VIEW)
@require_GET
def attendance_now(request):
    return JsonResponse(
        {
            "performances": [
                {
                    "id": row["performance"].pk,
                    "admitted": row["admitted"],
                    "expected": row["expected"],
                }
                for row in door_counts(request.house)
            ]
        },
        headers={"Cache-Control": "no-store"},
    )
