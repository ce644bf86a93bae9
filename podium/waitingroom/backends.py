"""Where a waiting room's queue lives: the database (embedded default) or Redis.

Both keep the same small interface; `backend()` picks Redis when
``settings.REDIS_URL`` is set (the production profile), else the database. The room's
configuration is always in the database; what a backend keeps is the queue, the
admissions and the admission step's state (when it last admitted, and the fraction
of a visitor it may still admit).

Order in the queue: an entry's `sort_key` is a random number in [0, 1) when it joins
before the on-sale moment plus one minute, else 1 + a sequence that only grows. The
place is the number of waiting entries with a smaller key, plus one.
"""

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from .models import WaitingEntry, WaitingRoom

_random = random.SystemRandom()


@dataclass(frozen=True)
class Place:
    """A visitor's entry: their place (0 once admitted) and admission window."""

    entry_id: int
    position: int
    admitted_at: datetime | None = None
    expires_at: datetime | None = None

    @property
    def admitted(self) -> bool:
        return self.admitted_at is not None


def early_key() -> float:
    """A fair random place among everyone who came early: [0, 1)."""
    return _random.random()


MAX_STEP_SECONDS = 60.0


def allowance_due(
    *,
    opens_at: datetime,
    stepped_at: datetime | None,
    allowance: float,
    now: datetime,
    rate: float,
    paused: bool,
) -> tuple[int, float, datetime | None]:
    """(visitors to admit now, fraction carried, new stepped_at) for one step.

    Nothing before the on-sale moment; while paused the clock moves on without
    adding to the allowance, so resuming does not admit a burst. A step credits at
    most MAX_STEP_SECONDS, so a room nobody stepped for a while (no poll, no beat)
    does not let everyone in at once either.
    """
    if now <= opens_at:
        return 0, 0.0, stepped_at
    start = max(stepped_at or opens_at, opens_at)
    if paused:
        return 0, allowance, now
    elapsed = min(max(0.0, (now - start).total_seconds()), MAX_STEP_SECONDS)
    total = allowance + rate * elapsed / 60.0
    whole = math.floor(total)
    return whole, total - whole, max(now, start)


class DatabaseBackend:
    """Rows of WaitingEntry; the step locks the room row (SQLite: the write lock)."""

    name = "database"

    def join(self, room: WaitingRoom, *, session_hash: str, email: str, now) -> int:
        found = self._existing(room, session_hash, email)
        if found is not None:
            return found
        early = now < room.random_until()
        try:
            with transaction.atomic():
                entry = WaitingEntry.objects.create(
                    house_id=room.house_id,
                    room=room,
                    session_hash=session_hash,
                    email=email,
                    # Later arrivals: 1 + their id, set in the same transaction so
                    # nobody sees this placeholder (which would sort last anyway).
                    sort_key=early_key() if early else 1e18,
                    joined_at=now,
                )
                if not early:
                    WaitingEntry.objects.filter(pk=entry.pk).update(
                        sort_key=1.0 + entry.pk
                    )
        except IntegrityError:
            # The same session or e-mail joined at the same moment: theirs wins.
            found = self._existing(room, session_hash, email)
            if found is None:
                raise
            return found
        return entry.pk

    def _existing(self, room, session_hash: str, email: str) -> int | None:
        match = Q(session_hash=session_hash)
        if email:
            match |= Q(email=email)
        rows = dict(
            WaitingEntry.objects.filter(room=room)
            .filter(match)
            .values_list("session_hash", "pk")
        )
        if session_hash in rows:
            return rows[session_hash]
        return next(iter(rows.values()), None)

    def place(self, room: WaitingRoom, entry_id: int) -> Place | None:
        entry = WaitingEntry.objects.filter(room=room, pk=entry_id).first()
        if entry is None:
            return None
        if entry.admitted_at is not None:
            return Place(entry.pk, 0, entry.admitted_at, entry.expires_at)
        ahead = (
            self._waiting(room)
            .filter(
                Q(sort_key__lt=entry.sort_key)
                | Q(sort_key=entry.sort_key, pk__lt=entry.pk)
            )
            .count()
        )
        return Place(entry.pk, ahead + 1)

    def _waiting(self, room):
        return WaitingEntry.objects.filter(room=room, admitted_at__isnull=True)

    def step(self, room: WaitingRoom, *, now, rate: float) -> int:
        with transaction.atomic():
            # Another poll stepping right now: skip, the next poll catches up
            # (PostgreSQL; SQLite serialises writers anyway).
            locked = (
                WaitingRoom.objects.select_for_update(skip_locked=True)
                .filter(pk=room.pk, house_id=room.house_id)
                .first()
            )
            if locked is None:
                return 0
            whole, carried, stepped_at = allowance_due(
                opens_at=locked.opens_at,
                stepped_at=locked.stepped_at,
                allowance=locked.allowance,
                now=now,
                rate=rate,
                paused=locked.paused,
            )
            admitted = self._admit(locked, whole, now) if whole else 0
            WaitingRoom.objects.filter(pk=locked.pk).update(
                stepped_at=stepped_at, allowance=carried
            )
        return admitted

    def admit(self, room: WaitingRoom, *, count: int, now) -> int:
        with transaction.atomic():
            locked = WaitingRoom.objects.select_for_update().get(
                pk=room.pk, house_id=room.house_id
            )
            return self._admit(locked, count, now)

    def _admit(self, room: WaitingRoom, count: int, now) -> int:
        ids = list(
            self._waiting(room)
            .order_by("sort_key", "pk")
            .values_list("pk", flat=True)[:count]
        )
        return WaitingEntry.objects.filter(pk__in=ids, admitted_at__isnull=True).update(
            admitted_at=now, expires_at=now + timedelta(minutes=room.admission_minutes)
        )

    def forget(self, room: WaitingRoom, entry_id: int, *, session_hash: str) -> None:
        """Drop an entry whose admission expired, so that its visitor may queue
        again (at the back)."""
        WaitingEntry.objects.filter(room=room, pk=entry_id).delete()

    def waiting(self, room: WaitingRoom) -> int:
        return self._waiting(room).count()

    def admitted_since(self, room: WaitingRoom, since) -> int:
        return WaitingEntry.objects.filter(room=room, admitted_at__gte=since).count()

    def positions(self, room: WaitingRoom) -> list[int]:
        """The waiting entries' ids in queue order (tests and diagnostics)."""
        return list(
            self._waiting(room).order_by("sort_key", "pk").values_list("pk", flat=True)
        )


# Join in one atomic script: an entry already held by this session or e-mail wins.
# KEYS: sessions, emails, waiting, late sequence, ids. ARGV: session hash, e-mail,
# early ("1"/"0"), early key, joined (epoch), entry key prefix, seconds to keep.
_JOIN = """
local found = redis.call('HGET', KEYS[1], ARGV[1])
if found then return tonumber(found) end
if ARGV[2] ~= '' then
  found = redis.call('HGET', KEYS[2], ARGV[2])
  if found then
    redis.call('HSET', KEYS[1], ARGV[1], found)
    return tonumber(found)
  end
end
local id = redis.call('INCR', KEYS[5])
local key = ARGV[4]
if ARGV[3] ~= '1' then key = 1 + redis.call('INCR', KEYS[4]) end
redis.call('HSET', KEYS[1], ARGV[1], id)
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], id) end
redis.call('ZADD', KEYS[3], key, id)
redis.call('HSET', ARGV[6] .. id, 'key', key, 'joined', ARGV[5], 'email', ARGV[2])
for i = 1, 5 do redis.call('EXPIRE', KEYS[i], ARGV[7]) end
redis.call('EXPIRE', ARGV[6] .. id, ARGV[7])
return id
"""

# Admit the next ARGV[1] waiting entries. KEYS: waiting, admitted. ARGV: count,
# admitted (epoch), expires (epoch), entry key prefix, seconds to keep.
_ADMIT = """
local popped = redis.call('ZPOPMIN', KEYS[1], ARGV[1])
local n = 0
for i = 1, #popped, 2 do
  redis.call('ZADD', KEYS[2], ARGV[2], popped[i])
  redis.call('HSET', ARGV[4] .. popped[i], 'admitted', ARGV[2], 'expires', ARGV[3])
  redis.call('EXPIRE', ARGV[4] .. popped[i], ARGV[5])
  n = n + 1
end
if n > 0 then redis.call('EXPIRE', KEYS[2], ARGV[5]) end
return n
"""

# A room's keys live this long after its last join, admission or step: long after
# any on-sale, and then Redis forgets them by itself.
KEEP_SECONDS = 7 * 24 * 3600

_clients: dict[str, object] = {}


def redis_client(url: str):
    import redis

    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url, decode_responses=True, socket_connect_timeout=2, socket_timeout=5
        )
    return _clients[url]


def _epoch(moment: datetime) -> float:
    return moment.timestamp()


def _moment(value: str | None, tz) -> datetime | None:
    if value in (None, ""):
        return None
    return datetime.fromtimestamp(float(value), tz=tz)


class RedisBackend:
    """Per room: a sorted set of waiting entry ids (score: sort key), ZPOPMIN to
    admit, hashes from session and e-mail to entry, a hash per entry, a sorted set
    of admissions by time, counters; the step runs under a short Redis lock."""

    name = "redis"
    PREFIX = "podium:waitingroom"

    def __init__(self, client):
        self.client = client
        self._join = client.register_script(_JOIN)
        self._admit_script = client.register_script(_ADMIT)

    def _key(self, room: WaitingRoom, name: str) -> str:
        return f"{self.PREFIX}:{room.pk}:{name}"

    def join(self, room: WaitingRoom, *, session_hash: str, email: str, now) -> int:
        early = now < room.random_until()
        return int(
            self._join(
                keys=[
                    self._key(room, "sessions"),
                    self._key(room, "emails"),
                    self._key(room, "waiting"),
                    self._key(room, "sequence"),
                    self._key(room, "ids"),
                ],
                args=[
                    session_hash,
                    email,
                    "1" if early else "0",
                    repr(early_key()),
                    repr(_epoch(now)),
                    self._key(room, "entry:"),
                    KEEP_SECONDS,
                ],
            )
        )

    def place(self, room: WaitingRoom, entry_id: int) -> Place | None:
        key = self._key(room, f"entry:{entry_id}")
        joined, admitted, expires = self.client.hmget(
            key, "joined", "admitted", "expires"
        )
        if joined is None:
            return None
        tz = room.opens_at.tzinfo
        if admitted:
            return Place(entry_id, 0, _moment(admitted, tz), _moment(expires, tz))
        rank = self.client.zrank(self._key(room, "waiting"), entry_id)
        if rank is None:
            return None
        return Place(entry_id, rank + 1)

    def step(self, room: WaitingRoom, *, now, rate: float) -> int:
        lock = self.client.lock(self._key(room, "lock"), timeout=10)
        if not lock.acquire(blocking=False):
            return 0  # another worker is admitting right now; the next poll catches up
        try:
            stepped, allowance = self.client.hmget(
                self._key(room, "state"), "stepped_at", "allowance"
            )
            whole, carried, stepped_at = allowance_due(
                opens_at=room.opens_at,
                stepped_at=_moment(stepped, room.opens_at.tzinfo),
                allowance=float(allowance or 0.0),
                now=now,
                rate=rate,
                paused=room.paused,
            )
            admitted = self._admit(room, whole, now) if whole else 0
            self.client.hset(
                self._key(room, "state"),
                mapping={
                    "stepped_at": repr(_epoch(stepped_at)) if stepped_at else "",
                    "allowance": repr(carried),
                },
            )
            self.client.expire(self._key(room, "state"), KEEP_SECONDS)
        finally:
            try:
                lock.release()
            except Exception:  # noqa: S110 - expired lock: nothing left to release
                pass
        return admitted

    def admit(self, room: WaitingRoom, *, count: int, now) -> int:
        return self._admit(room, count, now)

    def _admit(self, room: WaitingRoom, count: int, now) -> int:
        if count <= 0:
            return 0
        expires = now + timedelta(minutes=room.admission_minutes)
        return int(
            self._admit_script(
                keys=[self._key(room, "waiting"), self._key(room, "admitted")],
                args=[
                    count,
                    repr(_epoch(now)),
                    repr(_epoch(expires)),
                    self._key(room, "entry:"),
                    KEEP_SECONDS,
                ],
            )
        )

    def forget(self, room: WaitingRoom, entry_id: int, *, session_hash: str) -> None:
        entry = self._key(room, f"entry:{entry_id}")
        email = self.client.hget(entry, "email")
        pipe = self.client.pipeline(transaction=True)
        pipe.hdel(self._key(room, "sessions"), session_hash)
        if email:
            pipe.hdel(self._key(room, "emails"), email)
        pipe.zrem(self._key(room, "waiting"), entry_id)
        pipe.delete(entry)
        pipe.execute()

    def waiting(self, room: WaitingRoom) -> int:
        return int(self.client.zcard(self._key(room, "waiting")))

    def admitted_since(self, room: WaitingRoom, since) -> int:
        return int(
            self.client.zcount(self._key(room, "admitted"), _epoch(since), "+inf")
        )

    def positions(self, room: WaitingRoom) -> list[int]:
        return [int(m) for m in self.client.zrange(self._key(room, "waiting"), 0, -1)]


def backend() -> DatabaseBackend | RedisBackend:
    """Redis in the production profile (REDIS_URL set), else the database."""
    url = getattr(settings, "REDIS_URL", "")
    if url:
        return RedisBackend(redis_client(url))
    return DatabaseBackend()
