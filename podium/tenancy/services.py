"""API keys: create one for a house (the secret is shown once) and authenticate a key.

A key reads `pk_<prefix>_<secret>`. Only the SHA-256 of the secret is stored; the
prefix finds the row, and the hashes are compared in constant time.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.core.audit import audit_log
from podium.core.errors import DomainError

from .models import ApiKey, House
from .permissions import Action, require

KEY_PREFIX = "pk"
# Write `last_used_at` at most this often per key, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_DUMMY_HASH = hashlib.sha256(b"no such key").hexdigest()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_create(
    *, house: House, actor, name: str, scopes: list[str]
) -> tuple[ApiKey, str]:
    """A new key for `house`; returns the key row and the full key (shown only once).

    `actor` None is the system (a management command); a user needs STAFF_MANAGE.
    Every scope must be an Action value.
    """
    if actor is not None:
        require(actor, Action.STAFF_MANAGE, house)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the key a name."), code="invalid", field="name")
    unknown = sorted(set(scopes) - set(Action.values))
    if unknown or not scopes:
        raise DomainError(
            _("Unknown scopes: %(scopes)s."),
            code="invalid",
            field="scopes",
            params={"scopes": ", ".join(unknown) or "-"},
        )
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            house=house,
            name=name[:100],
            prefix=secrets.token_hex(5),
            secret_hash=_hash(secret),
            scopes=sorted(set(scopes)),
        )
        audit_log(
            action="podium.tenancy.api_key.created",
            obj=key,
            actor=actor,
            data={"name": key.name, "prefix": key.prefix, "scopes": key.scopes},
        )
    return key, f"{KEY_PREFIX}_{key.prefix}_{secret}"


def api_key_authenticate(raw: str) -> ApiKey | None:
    """The active key of an active house that `raw` (pk_<prefix>_<secret>) names, or None."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    key = (
        ApiKey.objects.filter(prefix=parts[1], is_active=True, house__is_active=True)
        .select_related("house", "house__cluster")
        .first()
    )
    # Compare a hash even when no key matched, so the answer takes as long.
    matches = hmac.compare_digest(
        key.secret_hash if key else _DUMMY_HASH, _hash(parts[2])
    )
    if key is None or not matches:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
