"""Waiting room writes: staff configure and pause a room; visitors join it; the
admission step lets the next visitors in.

Admission is lazy and idempotent: every poll (and the periodic task) runs
`waiting_room_step`, which admits what the rate allows since the last step.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from podium.core.audit import audit_log
from podium.tenancy.models import House

from .backends import Place, backend
from .errors import WaitingRoomClosed, WaitingRoomError
from .models import WaitingRoom
from .selectors import Rate, rate_in_use, wait_minutes
from .tokens import admission_token

CONFIG_FIELDS = (
    "name",
    "scope",
    "performance",
    "production",
    "opens_at",
    "closes_at",
    "rate_per_minute",
    "admission_minutes",
    "is_enabled",
)


@dataclass(frozen=True)
class Visit:
    """A visitor's view of their place: what the queue page and its poll show."""

    room: WaitingRoom
    place: Place
    waiting: int
    rate: Rate
    minutes: int | None  # about how long still; None while paused or admitted
    token: str | None  # the admission token, once admitted and still valid
    # Places are drawn by lot until a minute after the on-sale moment: until then a
    # number would only change as others join.
    drawing: bool = False

    @property
    def admitted(self) -> bool:
        return self.token is not None

    @property
    def expired(self) -> bool:
        return self.place.admitted and self.token is None

    @property
    def state(self) -> str:
        if self.admitted:
            return "admitted"
        if self.expired:
            return "expired"
        return "drawing" if self.drawing else "waiting"


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _save(room: WaitingRoom, data: dict) -> dict:
    changed = {}
    for name in CONFIG_FIELDS:
        if name in data and getattr(room, name) != data[name]:
            changed[name] = _plain(data[name])
            setattr(room, name, data[name])
    try:
        room.full_clean(exclude=["house"])
    except ValidationError as error:
        first_field, messages = next(iter(error.message_dict.items()))
        raise WaitingRoomError(
            messages[0], field=None if first_field == "__all__" else first_field
        ) from error
    room.save()
    return changed


def waiting_room_create(*, house: House, actor, **data) -> WaitingRoom:
    with transaction.atomic(durable=True):
        room = WaitingRoom(house=house)
        changed = _save(room, data)
        audit_log(
            action="podium.waitingroom.room.created",
            obj=room,
            actor=actor,
            data=changed,
        )
    return room


def waiting_room_update(
    *, house: House, actor, room: WaitingRoom, **data
) -> WaitingRoom:
    if room.house_id != house.pk:
        raise WaitingRoomError(_("This waiting room belongs to another house."))
    with transaction.atomic(durable=True):
        changed = _save(room, data)
        if changed:
            audit_log(
                action="podium.waitingroom.room.changed",
                obj=room,
                actor=actor,
                data=changed,
            )
    return room


def waiting_room_pause(
    *,
    house: House,
    actor,
    room: WaitingRoom,
    paused: bool,
    now: datetime | None = None,
) -> WaitingRoom:
    """Stop (or resume) admitting; waiting visitors keep their place.

    A last step under the old state first: pausing admits whom the time before it
    allowed, resuming starts the clock again (no burst for the paused time).
    """
    if room.house_id != house.pk:
        raise WaitingRoomError(_("This waiting room belongs to another house."))
    waiting_room_step(room=room, now=now or timezone.now())
    with transaction.atomic(durable=True):
        WaitingRoom.objects.filter(pk=room.pk, house=house).update(paused=paused)
        room.paused = paused
        audit_log(
            action="podium.waitingroom.room." + ("paused" if paused else "resumed"),
            obj=room,
            actor=actor,
            data={"paused": paused},
        )
    return room


def session_hash(session_key: str) -> str:
    """What a room keeps of a browser session: a keyed hash, never the key."""
    return salted_hmac(
        "podium.waitingroom.session", session_key, algorithm="sha256"
    ).hexdigest()


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def waiting_room_join(
    *,
    room: WaitingRoom,
    session_key: str,
    email: str = "",
    actor=None,
    now: datetime | None = None,
) -> int:
    """The visitor's entry id: a new place, or the one this session or e-mail holds.

    Before the on-sale moment and in its first minute the place is random among
    everyone else who came then; later arrivals queue in order behind them.
    """
    now = now or timezone.now()
    if not room.is_enabled or room.is_closed(now):
        raise WaitingRoomClosed(_("This waiting room is closed."))
    if not session_key:
        raise WaitingRoomError(_("Your browser must accept cookies to queue."))
    queue, hashed = backend(), session_hash(session_key)
    email = normalise_email(email)
    entry_id = queue.join(room, session_hash=hashed, email=email, now=now)
    place = queue.place(room, entry_id)
    if place is not None and place.admitted and place.expires_at <= now:
        # Their turn came and went: a new place at the back of the queue.
        queue.forget(room, entry_id, session_hash=hashed)
        entry_id = queue.join(room, session_hash=hashed, email=email, now=now)
    return entry_id


def waiting_room_step(*, room: WaitingRoom, now: datetime | None = None) -> int:
    """Admit whom the rate allows since the last step; how many were admitted."""
    now = now or timezone.now()
    if not room.is_enabled or room.is_closed(now):
        return 0
    rate = rate_in_use(room=room, now=now)
    return backend().step(room, now=now, rate=rate.per_minute)


def waiting_room_admit(
    *, house: House, actor, room: WaitingRoom, count: int, now: datetime | None = None
) -> int:
    """Let the next `count` visitors in at once, whatever the rate (staff)."""
    now = now or timezone.now()
    admitted = backend().admit(room, count=count, now=now)
    audit_log(
        action="podium.waitingroom.room.admitted",
        obj=room,
        actor=actor,
        data={"count": admitted},
        house_id=house.pk,
    )
    return admitted


def waiting_room_visit(
    *, room: WaitingRoom, entry_id: int, now: datetime | None = None
) -> Visit | None:
    """Run the admission step, then the visitor's place (None: no such entry)."""
    now = now or timezone.now()
    waiting_room_step(room=room, now=now)
    queue = backend()
    place = queue.place(room, entry_id)
    if place is None:
        return None
    rate = rate_in_use(room=room, now=now)
    token = None
    if place.admitted and place.expires_at and place.expires_at > now:
        token = admission_token(room=room, place=place)
    return Visit(
        room=room,
        place=place,
        waiting=queue.waiting(room),
        rate=rate,
        minutes=None
        if place.admitted
        else wait_minutes(room=room, position=place.position, rate=rate, now=now),
        token=token,
        drawing=not place.admitted and now < room.random_until(),
    )
