"""Capacity: claiming and releasing places with conditional writes the database checks.

A claim is one `UPDATE … SET used = used + n WHERE used + n <= size` per quota, in
primary-key order; a row count of zero means sold out and the caller's transaction
rolls back whatever it claimed before. Nothing is ever read, then written.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import audit_log
from podium.tenancy.models import House

from ..errors import SalesError, SalesErrorCode, SoldOut
from ..models import Hold, PriceCategory, Quota


def quotas_covering(*, performance: Performance, category: PriceCategory) -> list[int]:
    """Ids of the quotas a sale of `category` consumes (an empty category list = all)."""
    return list(
        Quota.objects.filter(house_id=performance.house_id, performance=performance)
        .filter(Q(categories__isnull=True) | Q(categories=category))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def claim(
    *, performance: Performance, category: PriceCategory, quantity: int
) -> list[int]:
    """Take `quantity` places from every covering quota, or raise SoldOut."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim must run inside a transaction")
    quota_ids = quotas_covering(performance=performance, category=category)
    if not quota_ids:
        raise SalesError(
            _("No places are for sale in this category."),
            code=SalesErrorCode.NOT_ON_SALE,
        )
    for quota_id in quota_ids:
        taken = Quota.objects.filter(
            pk=quota_id, used__lte=F("size") - quantity
        ).update(used=F("used") + quantity)
        if taken != 1:
            raise SoldOut(_("Sold out: not enough places are left."))
    return quota_ids


def release(*, quota_ids: list[int], quantity: int) -> None:
    for quota_id in sorted(quota_ids):
        Quota.objects.filter(pk=quota_id, used__gte=quantity).update(
            used=F("used") - quantity
        )


def release_expired_holds(
    *, performance: Performance | None = None, now: datetime | None = None
) -> int:
    """Give the places of expired holds back; each hold is released exactly once."""
    now = now or timezone.now()
    expired = Hold.objects.filter(state=Hold.State.HELD, expires_at__lte=now)
    if performance is not None:
        expired = expired.filter(house_id=performance.house_id, performance=performance)
    released = 0
    for hold in expired.order_by("pk"):
        with transaction.atomic():
            flipped = Hold.objects.filter(pk=hold.pk, state=Hold.State.HELD).update(
                state=Hold.State.RELEASED
            )
            if flipped == 1:
                release(quota_ids=hold.quota_ids, quantity=hold.quantity)
                released += 1
    return released


@transaction.atomic
def quota_create(
    *,
    house: House,
    actor,
    performance: Performance,
    name: str,
    size: int,
    categories=(),
) -> Quota:
    if performance.house_id != house.pk:
        raise SalesError(
            _("This performance belongs to another house."), code=SalesErrorCode.INVALID
        )
    quota = Quota.objects.create(
        house=house, performance=performance, name=name, size=size
    )
    quota.categories.set(categories)
    audit_log(
        action="podium.sales.quota.created",
        obj=quota,
        actor=actor,
        data={"name": name, "size": size},
    )
    return quota


@transaction.atomic
def quota_update(
    *,
    house: House,
    actor,
    quota: Quota,
    size: int | None = None,
    name: str | None = None,
) -> Quota:
    if quota.house_id != house.pk:
        raise SalesError(
            _("This quota belongs to another house."), code=SalesErrorCode.INVALID
        )
    if size is not None:
        changed = Quota.objects.filter(pk=quota.pk, used__lte=size).update(size=size)
        if changed != 1:
            raise SalesError(
                _("The size cannot go below the %(used)s places already sold or held."),
                code=SalesErrorCode.INVALID,
                params={"used": quota.used},
                field="size",
            )
    if name is not None:
        Quota.objects.filter(pk=quota.pk).update(name=name)
    quota.refresh_from_db()
    audit_log(
        action="podium.sales.quota.changed",
        obj=quota,
        actor=actor,
        data={"size": quota.size},
    )
    return quota
