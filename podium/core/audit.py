from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from .models import AuditEntry


def actor_user(actor):
    """The staff user behind `actor`, or None (anonymous, an API key, the system)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def actor_label(actor) -> str:
    """A readable name for who acted: the user's name or the key's label."""
    user = actor_user(actor)
    label = user.get_username() if user else getattr(actor, "audit_label", "")
    return label[:150]


def audit_log(
    *,
    action: str,
    obj: models.Model,
    actor: AbstractBaseUser | object | None,
    data: dict | None = None,
) -> AuditEntry:
    """Record `action` (e.g. "podium.catalog.production.created") on `obj`.

    `actor` is a staff user, anything with an `audit_label` (an API key), or None
    for the system itself.
    """
    return AuditEntry.objects.create(
        action=action,
        actor=actor_user(actor),
        actor_label=actor_label(actor),
        house_id=getattr(obj, "house_id", None),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )
