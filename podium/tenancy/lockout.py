"""Log-in lock-out: too many failed log-ins for one username, or from one address.

Counters live in Django's cache (Redis in production, local memory in the embedded
default): `PODIUM_LOGIN_MAX_FAILURES` failures for a username (or
`PODIUM_LOGIN_MAX_FAILURES_PER_IP` from one address) within
`PODIUM_LOGIN_WINDOW_SECONDS` lock further attempts for `PODIUM_LOGIN_LOCK_SECONDS`.
A successful log-in clears the username's counter; the address counter runs out on
its own (a box office shares one address among its staff, so its limit is higher).
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from podium.core.audit import audit_log
from podium.core.counters import count_in_window
from podium.core.models import AuditEntry

_PREFIX = "podium:login"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _key(kind: str, part: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{_PREFIX}:{kind}:{part}:{digest}"


def _subjects(username: str, ip: str | None) -> list[tuple[str, str, int]]:
    subjects = [("user", username, _setting("PODIUM_LOGIN_MAX_FAILURES", 5))]
    if ip:
        subjects.append(("ip", ip, _setting("PODIUM_LOGIN_MAX_FAILURES_PER_IP", 20)))
    return subjects


def login_locked(*, username: str, ip: str | None) -> bool:
    """Are log-ins for `username`, or from `ip`, refused for now?"""
    return any(
        cache.get(_key("lock", part, value))
        for part, value, _limit in _subjects(username, ip)
    )


def login_failed(*, username: str, ip: str | None) -> bool:
    """Count one failed attempt; True when this attempt locked the username or ip."""
    window = _setting("PODIUM_LOGIN_WINDOW_SECONDS", 15 * 60)
    lock_seconds = _setting("PODIUM_LOGIN_LOCK_SECONDS", 15 * 60)
    locked_now = False
    for part, value, limit in _subjects(username, ip):
        key = _key("fail", part, value)
        count = count_in_window(key, window=window)
        if count >= limit and cache.add(
            _key("lock", part, value), True, timeout=lock_seconds
        ):
            cache.delete(key)
            locked_now = True
            _audit_lock(part=part, username=username, ip=ip, failures=count)
    return locked_now


def login_succeeded(*, username: str) -> None:
    cache.delete(_key("fail", "user", username))


def login_unlock(*, username: str) -> None:
    """Lift a username's lock (its owner chose a new password through the mail)."""
    cache.delete_many([_key("fail", "user", username), _key("lock", "user", username)])


def _audit_lock(*, part: str, username: str, ip: str | None, failures: int) -> None:
    data = {
        "locked": part,
        "username": username[:150],
        "ip": ip or "",
        "failures": failures,
    }
    user = get_user_model().objects.filter(username=username.strip()).first()
    action = "podium.tenancy.login.locked"
    if user is not None:
        audit_log(action=action, obj=user, actor=None, data=data)
    else:
        # An unknown username: there is no row to point at, but the attempt counts.
        model = get_user_model()._meta.label_lower
        AuditEntry.objects.create(
            action=action, object_type=model, object_id="", data=data
        )
