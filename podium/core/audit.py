from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from .models import AuditEntry


def audit_log(
    *,
    action: str,
    obj: models.Model,
    actor: AbstractBaseUser | None,
    data: dict | None = None,
) -> AuditEntry:
    """Record `action` (e.g. "podium.catalog.production.created") on `obj`."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        actor=user,
        house_id=getattr(obj, "house_id", None),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )
