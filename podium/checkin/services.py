"""Scanning tickets at the door: online scans, and offline scans synced later.

Every scan is recorded, admitted or refused. The database decides that a ticket
admits once: at most one admitted scan per ticket (a partial unique constraint), so
twenty scanners racing for one ticket admit it once, without a read-then-write.

Offline scanners validate codes themselves (see `selectors.checkin_package`) and send
their scans later. The server checks every code again, and the first scan wins: the
admission with the earliest `scanned_at` holds the ticket; a later offline admission
of the same ticket is refused and marked as a conflict (and so is an admission that
an earlier offline one displaced). A re-sent scan (same device and client id) answers
what was stored the first time and changes nothing.
"""

from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import actor_label, actor_user, audit_log
from podium.core.errors import NotFound
from podium.sales.models import Ticket
from podium.sales.services.tickets import TicketCheck, ticket_verify
from podium.tenancy.models import House

from . import rules
from .errors import CheckinError, CheckinErrorCode, ScanReason
from .models import Scan

MAX_SYNC_SCANS = 500
MAX_CLOCK_AHEAD = timedelta(minutes=5)  # a scanner's clock may run a little fast
MAX_SCAN_AGE = timedelta(days=7)
# An admission raced away while we looked: look again. Each failed attempt means
# another device's admission went in (it admits once), so with ten devices syncing
# one ticket at once a device may lose nine times; CI saw it lose three.
ADMIT_ATTEMPTS = 12

ADMITTED, REFUSED = Scan.Result.ADMITTED, Scan.Result.REFUSED


@dataclass(frozen=True)
class ScanOutcome:
    """What the door shows: admitted or not, why, and whose ticket it is."""

    admitted: bool
    reason: str
    message: str
    ticket_id: int | None = None
    ticket_label: str = ""
    holder: str = ""
    first_scanned_at: datetime | None = None  # already_scanned: the admission
    first_entrance: str = ""
    scan_id: int | None = None


@dataclass(frozen=True)
class OfflineScan:
    """One scan a device made offline; `client_id` is the device's own id of it."""

    client_id: str
    payload: str
    entrance: str
    scanned_at: datetime  # aware
    admitted_offline: bool


@dataclass(frozen=True)
class SyncOutcome:
    client_id: str
    outcome: ScanOutcome
    conflict: bool


@dataclass(frozen=True)
class _Door:
    """Where and by whom a scan is made: what every recorded scan repeats."""

    house: House
    performance: Performance
    actor: object
    device: str = ""
    entrance: str = ""
    client_id: str = ""
    offline: bool = False

    @classmethod
    def of(cls, *, house, performance, actor, device="", entrance=""):
        if performance.house_id != house.pk:
            raise NotFound(_("Performance not found."))
        return cls(house, performance, actor, device[:64], entrance.strip()[:40])


def _single_write():
    """An online scan writes one row: in autocommit mode that INSERT is its own
    transaction (no BEGIN/COMMIT round trips at the door). Inside a caller's
    transaction a savepoint keeps a unique-index refusal from spoiling it."""
    if transaction.get_connection().in_atomic_block:
        return transaction.atomic()
    return nullcontext()


def scan_ticket(
    *,
    house: House,
    actor,
    performance: Performance,
    payload: str,
    entrance: str = "",
    device: str = "",
    now: datetime | None = None,
) -> ScanOutcome:
    """Scan `payload` at the door of `performance` now: admit once, or say why not.

    Reasons: valid, already_scanned (with the first admission's time and entrance),
    other_performance, not_yet_valid, ended, or the ticket's own (malformed,
    bad_signature, unknown_key, other_house, not_found, reissued, cancelled,
    refunded, exchanged, unpaid). Every scan is recorded.
    """
    door = _Door.of(
        house=house,
        performance=performance,
        actor=actor,
        device=device,
        entrance=entrance,
    )
    at = now or timezone.now()
    # Reads first, then one short transaction per write: the unique index on
    # admitted scans decides between racing scanners, not a lock held meanwhile.
    check = ticket_verify(house=house, payload=payload)
    refusal = _refusal(door, check, at)
    if refusal is not None:
        with _single_write():
            scan = _record(door, ticket=check.ticket, at=at, reason=refusal)
        return _outcome(door, scan)
    return _admit_now(door, check.ticket, at)


def _admit_now(door: _Door, ticket: Ticket, at: datetime) -> ScanOutcome:
    for _attempt in range(ADMIT_ATTEMPTS):
        # A ticket shown twice is the common refusal: one indexed read answers it
        # without a failing insert. A race past this read is settled by the index.
        first = _admission(door, ticket)
        if first is not None:
            with _single_write():
                scan = _record(
                    door, ticket=ticket, at=at, reason=ScanReason.ALREADY_SCANNED
                )
            return _outcome(door, scan, first=first)
        try:
            with _single_write():
                scan = _record(
                    door, ticket=ticket, at=at, reason=ScanReason.VALID, admitted=True
                )
            return _outcome(door, scan)
        except IntegrityError:
            pass  # admitted by an earlier scan (committed: the index waited for it)
        with _single_write():
            first = _admission(door, ticket)
            if first is not None:
                scan = _record(
                    door, ticket=ticket, at=at, reason=ScanReason.ALREADY_SCANNED
                )
                return _outcome(door, scan, first=first)
    raise CheckinError(_("The scanner is busy: scan again."), code="busy")


def scans_sync(
    *,
    house: House,
    actor,
    performance: Performance,
    device: str,
    scans: list[OfflineScan],
    now: datetime | None = None,
) -> list[SyncOutcome]:
    """Record what `device` scanned offline; answers one outcome per scan, in order.

    Processed in `scanned_at` order. Codes are checked again (a forged code the
    device admitted is refused now), the earliest admission of a ticket wins, and a
    scan sent again answers what was stored the first time.
    """
    if len(scans) > MAX_SYNC_SCANS:
        raise CheckinError(
            _("Send at most %(max)s scans at a time."),
            code=CheckinErrorCode.TOO_MANY_SCANS,
            params={"max": MAX_SYNC_SCANS},
        )
    door = _Door.of(house=house, performance=performance, actor=actor, device=device)
    now = now or timezone.now()
    order = sorted(range(len(scans)), key=lambda i: _sort_key(scans[i]))
    results: dict[int, SyncOutcome] = {}
    for index in order:
        results[index] = _sync_one(door, scans[index], now)
    return [results[index] for index in range(len(scans))]


def _sort_key(item: OfflineScan) -> tuple:
    moment = item.scanned_at
    return (0, datetime.min) if not _aware(moment) else (1, moment)


def _aware(moment) -> bool:
    return isinstance(moment, datetime) and timezone.is_aware(moment)


def _sync_one(door: _Door, item: OfflineScan, now: datetime) -> SyncOutcome:
    at = item.scanned_at
    if not _aware(at) or not (now - MAX_SCAN_AGE <= at <= now + MAX_CLOCK_AHEAD):
        reason = ScanReason.INVALID_TIME
        return SyncOutcome(
            item.client_id,
            ScanOutcome(False, str(reason), rules.reason_message(reason)),
            False,
        )
    door = replace(
        door,
        entrance=(item.entrance or "").strip()[:40],
        client_id=(item.client_id or "").strip()[:64],
        offline=True,
    )
    try:
        with transaction.atomic(durable=True):
            return _sync_in_transaction(door, item)
    except IntegrityError:
        # The same scan sent twice at the same moment: the other request stored it.
        stored = _stored(door)
        if stored is None:
            raise
        return _sync_result(door, stored)


def _sync_in_transaction(door: _Door, item: OfflineScan) -> SyncOutcome:
    stored = _stored(door)
    if stored is not None:
        return _sync_result(door, stored)
    check = ticket_verify(house=door.house, payload=item.payload)
    refusal = _refusal(door, check, item.scanned_at)
    if refusal is not None:
        scan = _record(door, ticket=check.ticket, at=item.scanned_at, reason=refusal)
        return SyncOutcome(scan.client_id, _outcome(door, scan), False)
    scan, first = _settle(door, check.ticket, item.scanned_at, item.admitted_offline)
    return SyncOutcome(scan.client_id, _outcome(door, scan, first=first), scan.conflict)


def _settle(
    door: _Door, ticket: Ticket, at: datetime, admitted_offline: bool
) -> tuple[Scan, Scan | None]:
    """Record an offline scan of a valid ticket: the earliest admission wins."""
    for _attempt in range(ADMIT_ATTEMPTS):
        first = _admission(door, ticket, lock=True)
        if first is not None and (first.scanned_at <= at or not admitted_offline):
            scan = _record(
                door,
                ticket=ticket,
                at=at,
                reason=ScanReason.ALREADY_SCANNED,
                conflict=admitted_offline,
            )
            return scan, first
        if not admitted_offline:
            reason = ScanReason.REFUSED_OFFLINE
            return _record(door, ticket=ticket, at=at, reason=reason), None
        try:
            with transaction.atomic():
                return _admit_earlier(door, ticket, at, displaced=first), None
        except IntegrityError:
            if door.client_id and _stored(door) is not None:
                raise
    raise CheckinError(_("The scanner is busy: sync again."), code="busy")


def _admit_earlier(
    door: _Door, ticket: Ticket, at: datetime, *, displaced: Scan | None
) -> Scan:
    """Admit at `at`; a later admission (locked by the caller) gives way first."""
    if displaced is not None:
        displaced.result = REFUSED
        displaced.reason = ScanReason.ALREADY_SCANNED
        displaced.conflict = True
        displaced.save(update_fields=["result", "reason", "conflict", "updated_at"])
    scan = _record(
        door,
        ticket=ticket,
        at=at,
        reason=ScanReason.VALID,
        admitted=True,
        conflict=displaced is not None,
    )
    if displaced is not None:
        audit_log(
            action="podium.checkin.scan.displaced",
            obj=displaced,
            actor=door.actor,
            data={"ticket": ticket.pk, "by": scan.pk, "device": door.device},
        )
    return scan


# --------------------------------------------------------------------- helpers


def _refusal(door: _Door, check: TicketCheck, at: datetime) -> str | None:
    if not check.valid:
        return check.reason
    if check.ticket.performance_id != door.performance.pk:
        return ScanReason.OTHER_PERFORMANCE
    return rules.window_refusal(door.performance, at)


def _record(
    door: _Door,
    *,
    ticket: Ticket | None,
    at: datetime,
    reason: str,
    admitted: bool = False,
    conflict: bool = False,
) -> Scan:
    return Scan.objects.create(
        house=door.house,
        performance=door.performance,
        ticket=ticket,
        entrance=door.entrance,
        device=door.device,
        client_id=door.client_id,
        scanned_at=at,
        result=ADMITTED if admitted else REFUSED,
        reason=str(reason),
        offline=door.offline,
        conflict=conflict,
        actor=actor_user(door.actor),
        actor_label=actor_label(door.actor),
    )


def _admission(door: _Door, ticket: Ticket, *, lock: bool = False) -> Scan | None:
    admissions = Scan.objects.filter(house=door.house, ticket=ticket, result=ADMITTED)
    if lock:
        admissions = admissions.select_for_update()
    # At most one row (a unique index): no ordering needed.
    return next(iter(admissions.order_by()[:1]), None)


def _stored(door: _Door) -> Scan | None:
    if not door.client_id:
        return None
    return (
        Scan.objects.filter(
            house=door.house, device=door.device, client_id=door.client_id
        )
        .select_related(
            "ticket__order", "ticket__tariff", "ticket__performance__production"
        )
        .first()
    )


def _sync_result(door: _Door, stored: Scan) -> SyncOutcome:
    first = None
    if stored.reason == ScanReason.ALREADY_SCANNED and stored.ticket is not None:
        first = _admission(door, stored.ticket)
    return SyncOutcome(
        stored.client_id, _outcome(door, stored, first=first), stored.conflict
    )


def _outcome(door: _Door, scan: Scan, *, first: Scan | None = None) -> ScanOutcome:
    ticket = scan.ticket
    return ScanOutcome(
        admitted=scan.admitted,
        reason=scan.reason,
        message=_message(door.house, scan.reason, ticket, first),
        ticket_id=ticket.pk if ticket else None,
        ticket_label=rules.ticket_label_of(ticket) if ticket else "",
        holder=rules.holder_of(ticket) if ticket else "",
        first_scanned_at=first.scanned_at if first else None,
        first_entrance=first.entrance if first else "",
        scan_id=scan.pk,
    )


def _message(house: House, reason: str, ticket: Ticket | None, first) -> str:
    if reason == ScanReason.ALREADY_SCANNED and first is not None:
        return rules.already_scanned_message(
            house=house, at=first.scanned_at, entrance=first.entrance
        )
    if reason == ScanReason.OTHER_PERFORMANCE and ticket is not None:
        return rules.other_performance_message(
            house=house, performance=ticket.performance
        )
    return rules.reason_message(reason)
