"""Capacity: claiming and releasing places with conditional writes the database checks.

A claim is one `UPDATE … SET used = used + n WHERE used + n <= size` per quota, in
primary-key order; a row count of zero means sold out and the caller's transaction
rolls back whatever it claimed before. Nothing is ever read, then written.

`claim` and `release` are the only entry points. What they claim is decided by a
small registry of claimers keyed by kind: general-admission quotas ("quota") now; the
seating app registers a seat claimer next to it.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.tenancy.models import House

from ..errors import SalesError, SalesErrorCode, SoldOut
from ..models import Hold, PriceCategory, Quota


class Claimer(Protocol):
    """Takes and gives back places of one kind; runs inside the caller's transaction."""

    def claim(
        self, *, performance: Performance, category: PriceCategory, quantity: int
    ) -> list[int]: ...

    def release(self, *, ids: list[int], quantity: int) -> None: ...


class SeatClaimer(Protocol):
    """Takes chosen seats (the seating app): held, then sold, then maybe free again."""

    def required(self, *, performance: Performance) -> bool: ...

    def claim_seats(
        self, *, performance: Performance, category: PriceCategory, ids: list[int]
    ) -> list[int]: ...

    def sell(self, *, ids: list[int]) -> None: ...

    def release(self, *, ids: list[int], quantity: int) -> None: ...

    def labels(self, *, ids: list[int], language: str) -> dict[int, str]: ...

    def free_by_category(
        self, *, performance_ids: list[int], also_free: set[int]
    ) -> dict[int, dict[int, int]]: ...


_claimers: dict[str, Claimer] = {}


def claimer_register(kind: str, claimer: Claimer) -> Claimer:
    """Plug a claimer in (the seating app registers "seat")."""
    _claimers[kind] = claimer
    return claimer


def _claimer(kind: str) -> Claimer:
    try:
        return _claimers[kind]
    except KeyError:
        raise ValueError(f"no claimer registered for {kind!r}") from None


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside a transaction")


def quotas_covering(
    *,
    performance: Performance,
    category: PriceCategory,
    for_subscriptions: bool = False,
) -> list[int]:
    """Ids of the quotas a sale of `category` consumes (an empty category list = all):
    the ordinary quotas, or with `for_subscriptions` those kept for subscriptions."""
    return list(
        Quota.objects.filter(
            house_id=performance.house_id,
            performance=performance,
            for_subscriptions=for_subscriptions,
        )
        .filter(Q(categories__isnull=True) | Q(categories=category))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


class QuotaClaimer:
    """General admission: a count per quota, nested quotas all consumed."""

    def claim(
        self, *, performance: Performance, category: PriceCategory, quantity: int
    ) -> list[int]:
        quota_ids = quotas_covering(performance=performance, category=category)
        if not quota_ids:
            raise SalesError(
                _("No places are for sale in this category."),
                code=SalesErrorCode.NOT_ON_SALE,
            )
        _take(quota_ids, quantity)
        return quota_ids

    def release(self, *, ids: list[int], quantity: int) -> None:
        for quota_id in sorted(set(ids)):
            Quota.objects.filter(pk=quota_id, used__gte=quantity).update(
                used=F("used") - quantity
            )


def _take(quota_ids: list[int], quantity: int) -> None:
    """One conditional UPDATE per quota, in the given (primary-key) order."""
    for quota_id in quota_ids:
        taken = Quota.objects.filter(
            pk=quota_id, used__lte=F("size") - quantity
        ).update(used=F("used") + quantity)
        if taken != 1:
            raise SoldOut(_("Sold out: not enough places are left."))


class SubscriptionQuotaClaimer(QuotaClaimer):
    """Subscriptions: the quotas kept for them first, else the ordinary quotas.

    The kept quotas are tried in a savepoint, so a full one leaves nothing taken
    before the fallback. Either way the quotas are taken in primary-key order, kept
    ones before ordinary ones, so concurrent claimers lock rows in one order.
    """

    def claim(
        self, *, performance: Performance, category: PriceCategory, quantity: int
    ) -> list[int]:
        kept = quotas_covering(
            performance=performance, category=category, for_subscriptions=True
        )
        if kept:
            try:
                with transaction.atomic():
                    _take(kept, quantity)
                return kept
            except SoldOut:
                if not quotas_covering(performance=performance, category=category):
                    raise  # nothing to fall back on
        return super().claim(
            performance=performance, category=category, quantity=quantity
        )


claimer_register("quota", QuotaClaimer())
claimer_register("subscription", SubscriptionQuotaClaimer())


def claim(
    *,
    performance: Performance,
    category: PriceCategory,
    quantity: int,
    kind: str = "quota",
) -> list[int]:
    """Take `quantity` places of `category`; returns what was claimed, or SoldOut.

    Must run inside the caller's transaction: when a later quota is full, the
    transaction rolls back the earlier increments.
    """
    _require_transaction("claim")
    if quantity < 1:
        raise SalesError(_("Choose at least one ticket."), code=SalesErrorCode.INVALID)
    return _claimer(kind).claim(
        performance=performance, category=category, quantity=quantity
    )


def release(*, quota_ids: Iterable[int], quantity: int, kind: str = "quota") -> None:
    """Give `quantity` places back to each of `quota_ids` (never below zero)."""
    if quantity < 1:
        return
    _claimer(kind).release(ids=list(quota_ids), quantity=quantity)


def _seat_claimer() -> SeatClaimer | None:
    return _claimers.get("seat")


def sold_by_seat(*, performance: Performance) -> bool:
    """Is this performance sold by chosen seat (it has a seat plan)?"""
    claimer = _seat_claimer()
    return bool(claimer and claimer.required(performance=performance))


def seats_claim(
    *, performance: Performance, category: PriceCategory, seat_ids: list[int]
) -> list[int]:
    """Hold exactly these seats, or raise SoldOut when one is taken meanwhile."""
    _require_transaction("seats_claim")
    claimer = _seat_claimer()
    if claimer is None or not claimer.required(performance=performance):
        raise SalesError(
            _("This performance has no seat plan: choose a number of tickets."),
            code=SalesErrorCode.INVALID,
        )
    if not seat_ids or len(set(seat_ids)) != len(seat_ids):
        raise SalesError(_("Choose each seat once."), code=SalesErrorCode.INVALID)
    return claimer.claim_seats(performance=performance, category=category, ids=seat_ids)


def seats_sell(*, seat_ids: list[int]) -> None:
    if seat_ids:
        _claimer("seat").sell(ids=seat_ids)


def seats_release(*, seat_ids: list[int]) -> None:
    """Free seats of a released hold or ticket (each release happens once)."""
    if seat_ids:
        _claimer("seat").release(ids=seat_ids, quantity=len(seat_ids))


def seats_free_by_category(
    *, performance_ids: list[int], also_free: set[int] = frozenset()
) -> dict[int, dict[int, int]]:
    """Free seats per price category of each seated performance (none for the rest);
    `also_free`: seats whose hold expired and waits for the sweep."""
    claimer = _seat_claimer()
    if claimer is None or not performance_ids:
        return {}
    return claimer.free_by_category(
        performance_ids=performance_ids, also_free=set(also_free)
    )


def seat_labels(*, seat_ids: list[int], language: str) -> dict[int, str]:
    if not seat_ids:
        return {}
    return _claimer("seat").labels(ids=seat_ids, language=language)


def release_counted(*, places: Counter, kind: str = "quota") -> None:
    """Release many places at once: `places` maps a quota id to a count.

    One UPDATE per quota, in primary-key order, so two releases never deadlock.
    """
    for quota_id in sorted(places):
        release(quota_ids=[quota_id], quantity=places[quota_id], kind=kind)


def release_expired_holds(
    *, performance: Performance | None = None, now: datetime | None = None
) -> int:
    """Give the places of expired holds back; each hold is released exactly once.

    The flip HELD → RELEASED is conditional on the state, so of two sweeps (or a
    sweep and a lazy release) racing for a hold only one decrements its quotas.
    """
    now = now or timezone.now()
    expired = Hold.objects.filter(state=Hold.State.HELD, expires_at__lte=now)
    if performance is not None:
        expired = expired.filter(house_id=performance.house_id, performance=performance)
    released = 0
    for hold in expired.order_by("pk"):
        with transaction.atomic():
            flipped = Hold.objects.filter(
                pk=hold.pk, state=Hold.State.HELD, expires_at__lte=now
            ).update(state=Hold.State.RELEASED)
            if flipped != 1:
                continue
            release(quota_ids=hold.quota_ids, quantity=hold.quantity)
            seats_release(seat_ids=hold.seat_ids)
            audit_log(
                action="podium.sales.hold.expired",
                obj=hold,
                actor=None,
                data={"quantity": hold.quantity, "quota_ids": hold.quota_ids},
            )
            released += 1
    return released


def _check_categories(
    *, house: House, performance: Performance, categories
) -> list[PriceCategory]:
    categories = list(categories)
    for category in categories:
        if (
            category.house_id != house.pk
            or category.production_id != performance.production_id
        ):
            raise SalesError(
                _("This price category belongs to another production."),
                code=SalesErrorCode.INVALID,
                field="categories",
            )
    return categories


def _check_size(size: int) -> None:
    if size < 0:
        raise SalesError(
            _("A quota cannot be smaller than zero."),
            code=SalesErrorCode.INVALID,
            field="size",
        )


@transaction.atomic
def quota_create(
    *,
    house: House,
    actor,
    performance: Performance,
    name: str,
    size: int,
    categories: Iterable[PriceCategory] = (),
    for_subscriptions: bool = False,
) -> Quota:
    """A count of places for the performance; empty `categories` covers them all;
    `for_subscriptions`: kept for subscriptions, never sold as single tickets."""
    if performance.house_id != house.pk:
        raise NotFound(_("Performance not found."))
    _check_size(size)
    categories = _check_categories(
        house=house, performance=performance, categories=categories
    )
    quota = Quota.objects.create(
        house=house,
        performance=performance,
        name=name,
        size=size,
        for_subscriptions=for_subscriptions,
    )
    quota.categories.set(categories)
    audit_log(
        action="podium.sales.quota.created",
        obj=quota,
        actor=actor,
        data={
            "name": name,
            "size": size,
            "categories": [c.pk for c in categories],
            "for_subscriptions": for_subscriptions,
        },
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
    categories: Iterable[PriceCategory] | None = None,
) -> Quota:
    """Resize, rename or re-scope a quota; the size never drops below what is used."""
    if quota.house_id != house.pk:
        raise NotFound(_("Quota not found."))
    before = {"size": quota.size, "name": quota.name}
    if size is not None:
        _check_size(size)
        # Conditional, like a claim: a sale between our read and this write counts.
        changed = Quota.objects.filter(pk=quota.pk, used__lte=size).update(size=size)
        if changed != 1:
            quota.refresh_from_db()
            raise SalesError(
                _("The size cannot go below the %(used)s places already sold or held."),
                code=SalesErrorCode.INVALID,
                params={"used": quota.used},
                field="size",
            )
    if name is not None:
        Quota.objects.filter(pk=quota.pk).update(name=name)
    if categories is not None:
        quota.categories.set(
            _check_categories(
                house=house, performance=quota.performance, categories=categories
            )
        )
    quota.refresh_from_db()
    audit_log(
        action="podium.sales.quota.changed",
        obj=quota,
        actor=actor,
        data={"before": before, "after": {"size": quota.size, "name": quota.name}},
    )
    return quota
