"""Scanning at the door over the API with a house's key (scope checkin.scan).

Online scans, offline scans synced later, the offline package (public keys and the
tickets that admit) and attendance. A refused ticket is an answer (200 with
`admitted: false` and a `reason`), not an error.
"""

from datetime import datetime

from ninja import Field, Router, Schema

from podium.checkin import selectors, services
from podium.tenancy.permissions import Action

from .auth import api_key_auth, house_for
from .fields import TEXT

router = Router(tags=["checkin"], auth=api_key_auth)

REASONS = (
    "valid, already_scanned, other_performance, not_yet_valid, ended, malformed, "
    "unknown_key, bad_signature, other_house, not_found, reissued, cancelled, "
    "refunded, exchanged, unpaid; on sync also refused_offline and invalid_time."
)


class ScanOutcomeOut(Schema):
    admitted: bool
    reason: str = Field(description=REASONS)
    message: str
    ticket_id: int | None
    ticket_label: str
    holder: str
    first_scanned_at: datetime | None = Field(
        description="already_scanned: when the ticket was admitted."
    )
    first_entrance: str


class ScanIn(Schema):
    performance_id: int
    code: str = Field(
        description="The code in the ticket's QR.", max_length=2000, pattern=TEXT
    )
    entrance: str = Field("", max_length=40, pattern=TEXT)
    device: str = Field("", max_length=64, pattern=TEXT)


class OfflineScanIn(Schema):
    client_id: str = Field(
        max_length=64,
        pattern=TEXT,
        description="The device's own id of the scan: sent again, "
        "it answers the stored outcome.",
    )
    code: str = Field(max_length=2000, pattern=TEXT)
    entrance: str = Field("", max_length=40, pattern=TEXT)
    scanned_at: datetime = Field(description="When the device scanned (with offset).")
    admitted_offline: bool = Field(description="Did the device let the holder in?")


class SyncIn(Schema):
    performance_id: int
    device: str = Field(max_length=64, pattern=TEXT)
    scans: list[OfflineScanIn]


class SyncResultOut(ScanOutcomeOut):
    client_id: str
    conflict: bool = Field(
        description="An offline admission that lost to an earlier one, or that "
        "displaced a later one."
    )


class SyncOut(Schema):
    results: list[SyncResultOut]


class AttendanceOut(Schema):
    admitted: int
    expected: int = Field(description="Tickets that admit.")


def _performance(request, pk: int):
    house = house_for(request, Action.CHECKIN_SCAN)
    return house, selectors.scan_performance_get(house=house, pk=pk)


@router.post("/checkin/scan", response=ScanOutcomeOut, summary="Scan a ticket")
def scan_api(request, data: ScanIn):
    """Admit a ticket once at the door; always 200, `reason` says why not."""
    house, performance = _performance(request, data.performance_id)
    return services.scan_ticket(
        house=house,
        actor=request.api_key,
        performance=performance,
        payload=data.code,
        entrance=data.entrance,
        device=data.device,
    )


@router.post("/checkin/sync", response=SyncOut, summary="Sync offline scans")
def sync_api(request, data: SyncIn):
    """Record a device's offline scans (at most 500); one result per scan, in the
    order sent. The earliest admission of a ticket wins; `conflict` marks a dispute."""
    house, performance = _performance(request, data.performance_id)
    results = services.scans_sync(
        house=house,
        actor=request.api_key,
        performance=performance,
        device=data.device,
        scans=[
            services.OfflineScan(
                client_id=scan.client_id,
                payload=scan.code,
                entrance=scan.entrance,
                scanned_at=scan.scanned_at,
                admitted_offline=scan.admitted_offline,
            )
            for scan in data.scans
        ],
    )
    return {
        "results": [
            {**vars(r.outcome), "client_id": r.client_id, "conflict": r.conflict}
            for r in results
        ]
    }


@router.get(
    "/checkin/performances/{performance_id}/package",
    response=dict,
    summary="The offline check-in package",
)
def package_api(request, performance_id: int):
    """Public keys (raw Ed25519, base64url) and the tickets that admit, to check
    codes without a network; see the scanner's format in the description of
    `keys`, `tickets` and `admitted`."""
    house, performance = _performance(request, performance_id)
    return selectors.checkin_package(house=house, performance=performance)


@router.get(
    "/checkin/performances/{performance_id}/attendance",
    response=AttendanceOut,
    summary="Admitted and expected",
)
def attendance_api(request, performance_id: int):
    house, performance = _performance(request, performance_id)
    return selectors.attendance(house=house, performance_ids=[performance.pk])[
        performance.pk
    ]
