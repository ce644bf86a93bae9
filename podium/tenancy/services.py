"""Staff roles and API keys: grant and revoke roles, create, revoke and authenticate keys.

Every change of who may do what writes an audit entry that the house's log shows
(a cluster-wide role: one entry in the log of each house of the cluster).

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
from podium.core.errors import DomainError, PermissionDenied

from .models import ApiKey, Cluster, House, StaffRole
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


def _may_manage_staff(actor, house: House | None) -> None:
    # None is the system; a platform operator (superuser) works in Django admin.
    if actor is None or getattr(actor, "is_superuser", False):
        return
    if house is None:
        raise PermissionDenied(_("Only the platform manages cluster-wide roles."))
    require(actor, Action.STAFF_MANAGE, house)


def _houses_of_role(role: StaffRole) -> list[int]:
    if role.house_id:
        return [role.house_id]
    return list(
        House.objects.filter(cluster_id=role.cluster_id).values_list("pk", flat=True)
    )


def staff_role_log(action: str, role: StaffRole, actor) -> None:
    data = {
        "user": role.user.get_username(),
        "role": role.role,
        "cluster": role.cluster_id,
    }
    for house_id in _houses_of_role(role):
        audit_log(action=action, obj=role, actor=actor, data=data, house_id=house_id)


def staff_role_grant(
    *,
    user,
    role: str,
    actor,
    house: House | None = None,
    cluster: Cluster | None = None,
) -> StaffRole:
    """Give `user` `role` in `house` (or, for a coordinator, across `cluster`).

    Idempotent. `actor` None is the system; a platform operator (superuser) may
    always; other staff need STAFF_MANAGE in the house (cluster roles: platform only).
    """
    _may_manage_staff(actor, house)
    with transaction.atomic():
        staff_role, created = StaffRole.objects.get_or_create(
            user=user, role=role, house=house, cluster=cluster
        )
        if created:
            staff_role_log("podium.tenancy.staff_role.granted", staff_role, actor)
    return staff_role


def staff_role_revoke(*, staff_role: StaffRole, actor) -> None:
    """Take the role away; `actor` as for `staff_role_grant`."""
    _may_manage_staff(actor, staff_role.house)
    with transaction.atomic():
        staff_role_log("podium.tenancy.staff_role.revoked", staff_role, actor)
        staff_role.delete()


def staff_role_logged_change(*, staff_role: StaffRole, actor, before: dict) -> None:
    """Audit a role row changed in place (the platform's admin page); `before` holds
    the old user, role, house and cluster ids."""
    after = {
        "user": staff_role.user_id,
        "role": staff_role.role,
        "house": staff_role.house_id,
        "cluster": staff_role.cluster_id,
    }
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if not changed:
        return
    houses = set(_houses_of_role(staff_role))
    if before.get("house"):
        houses.add(before["house"])
    for house_id in sorted(houses):
        audit_log(
            action="podium.tenancy.staff_role.changed",
            obj=staff_role,
            actor=actor,
            data={"user": staff_role.user.get_username(), "changed": changed},
            house_id=house_id,
        )


def api_key_revoke(*, key: ApiKey, actor) -> ApiKey:
    """Switch a key off for good (it stays listed, and in the log)."""
    if actor is not None:
        require(actor, Action.STAFF_MANAGE, key.house)
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.is_active:
            key.is_active = False
            key.save(update_fields=["is_active", "updated_at"])
            audit_log(
                action="podium.tenancy.api_key.revoked",
                obj=key,
                actor=actor,
                data={"name": key.name, "prefix": key.prefix},
            )
    return key
