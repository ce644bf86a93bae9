"""Reservations: places kept for a customer without payment until a set moment.

A reservation is a basket with a name, a contact and a deadline. Its places are held
like any basket's; when the deadline passes, the periodic sweep gives them back by
itself. At the desk it is sold (paid) or released.
"""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import actor_user, audit_log
from podium.core.errors import NotFound
from podium.tenancy.models import House

from ..errors import SalesError, SalesErrorCode
from ..models import Basket, Hold, Order
from .baskets import basket_release

LONGEST = timedelta(days=60)


def _invalid(message, field=None, **params):
    return SalesError(message, code=SalesErrorCode.INVALID, field=field, params=params)


@transaction.atomic
def reservation_create(
    *,
    house: House,
    actor,
    performance: Performance,
    reserved_for: str,
    contact: str,
    until: datetime,
) -> Basket:
    """An empty reservation basket, kept until `until` (before the show starts)."""
    now = timezone.now()
    if not reserved_for.strip():
        raise _invalid(_("For whom are the places reserved?"), "reserved_for")
    if until <= now:
        raise _invalid(_("Keep a reservation until a moment still to come."), "until")
    if until > performance.starts_at:
        raise _invalid(_("A reservation ends before the performance starts."), "until")
    if until - now > LONGEST:
        raise _invalid(
            _("A reservation is kept for at most %(days)s days."),
            "until",
            days=LONGEST.days,
        )
    basket = Basket.objects.create(
        house=house,
        token=secrets.token_urlsafe(32),
        channel=Order.Channel.PHONE,
        expires_at=until,
        reserved_for=reserved_for.strip()[:200],
        contact=contact.strip()[:200],
        reserved_by=actor_user(actor),
    )
    audit_log(
        action="podium.sales.reservation.created",
        obj=basket,
        actor=actor,
        data={"for": basket.reserved_for, "until": until.isoformat()},
    )
    return basket


def reservation_list(*, house: House, now: datetime | None = None) -> QuerySet[Basket]:
    """The house's live reservations (still holding places), soonest deadline first."""
    now = now or timezone.now()
    holding = Hold.objects.filter(basket=OuterRef("pk"), state=Hold.State.HELD)
    return (
        Basket.objects.filter(house_id=house.pk, expires_at__gt=now)
        .exclude(reserved_for="")
        .filter(Exists(holding))
        .select_related("reserved_by")
        .prefetch_related("holds__performance__production", "holds__tariff")
        .order_by("expires_at", "pk")
    )


def reservation_get(*, house: House, pk: int) -> Basket:
    basket = reservation_list(house=house).filter(pk=pk).first()
    if basket is None:
        raise NotFound(_("This reservation does not exist (any more)."))
    return basket


@transaction.atomic
def reservation_release(*, house: House, actor, basket: Basket) -> int:
    """Give the reservation's places back now; returns how many lines were freed."""
    if basket.house_id != house.pk or not basket.reserved_for:
        raise NotFound(_("This reservation does not exist (any more)."))
    released = basket_release(house=house, actor=actor, basket=basket)
    audit_log(
        action="podium.sales.reservation.released",
        obj=basket,
        actor=actor,
        data={"lines": released},
    )
    return released
