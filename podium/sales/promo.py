"""Promo codes: a percentage or an amount off, or hidden tariffs unlocked.

The rules, in one place for every interface (shop, API, office):

- A code belongs to a house, is stored upper-case and matched case-insensitively.
- Its scope narrows per non-empty list: productions, performances, tariffs (a line is
  in scope when it matches every list that is not empty); all empty: the whole house.
- A basket carries at most one code (`Basket.promo_code`). A percent or amount code
  lowers `Hold.unit_price` (and marks `Hold.promo_code`) of each line in scope, never
  below zero and rounded to the cent; lines that already carry a price of their own
  (a subscription's share) are left alone. Lines added later are priced too; removing
  the code gives every line its tariff's price back. `max_per_order` caps the tickets
  that get the discount: a line that crosses the cap is split in two.
- An unlock code lets the visitor see and buy the hidden tariffs (`requires_code`) in
  its scope. Online and over the API such tariffs are sold only with such a code;
  staff channels (desk, phone, e-mail) sell them without one. Removing the code lets
  go of the lines it unlocked.
- At placement one conditional UPDATE counts the use (`uses < max_uses`, still active
  and valid); when it changes no row the whole placement rolls back with a clear
  refusal. An idempotent retry returns the first order and counts nothing. A use is
  given back when an order that was never paid expires or is cancelled; a cancelled
  paid order keeps its use (the code did its work).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.core.money import quantize
from podium.tenancy.models import House

from . import hooks
from .errors import SalesError, SalesErrorCode
from .models import Basket, Hold, Order, PromoCode, Tariff
from .services.inventory import release, seats_release
from .services.pricing import STAFF_CHANNELS

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def promo_code_normalise(code: str) -> str:
    """What a visitor typed, as stored: no surrounding or inner spaces, upper-case."""
    return "".join((code or "").split()).upper()


def discounted_price(*, price: Decimal, kind: str, value: Decimal) -> Decimal:
    """One ticket's price with the code: between 0 and `price`, in whole cents."""
    price = quantize(price)
    if kind == PromoCode.Kind.PERCENT:
        reduced = quantize(price * (HUNDRED - Decimal(value)) / HUNDRED)
    elif kind == PromoCode.Kind.AMOUNT:
        reduced = price - quantize(value)
    else:
        reduced = price
    return min(max(reduced, ZERO), price)


# ------------------------------------------------------------------------ scope


@dataclass(frozen=True)
class Scope:
    """The ids a code is limited to; an empty set does not limit."""

    productions: frozenset[int]
    performances: frozenset[int]
    tariffs: frozenset[int]

    def covers(self, *, production_id: int, performance_id: int, tariff_id) -> bool:
        return (
            (not self.productions or production_id in self.productions)
            and (not self.performances or performance_id in self.performances)
            and (not self.tariffs or tariff_id in self.tariffs)
        )


def promo_scope(promo: PromoCode) -> Scope:
    return Scope(
        frozenset(promo.productions.values_list("pk", flat=True)),
        frozenset(promo.performances.values_list("pk", flat=True)),
        frozenset(promo.tariffs.values_list("pk", flat=True)),
    )


def _refusal(promo: PromoCode | None, now: datetime) -> SalesError | None:
    """Why `promo` cannot be used at `now`, or None when it can (its uses aside)."""
    if promo is None:
        return SalesError(
            _("This code is not known. Check it and try again."),
            code=SalesErrorCode.PROMO_CODE_UNKNOWN,
            field="code",
        )
    if not promo.is_active:
        return SalesError(
            _("This code is no longer valid."),
            code=SalesErrorCode.PROMO_CODE_EXPIRED,
            field="code",
        )
    if promo.valid_from and now < promo.valid_from:
        return SalesError(
            _("This code is not valid yet."),
            code=SalesErrorCode.PROMO_CODE_NOT_YET_VALID,
            field="code",
        )
    if promo.valid_until and now >= promo.valid_until:
        return SalesError(
            _("This code has expired."),
            code=SalesErrorCode.PROMO_CODE_EXPIRED,
            field="code",
        )
    return None


def _used_up() -> SalesError:
    return SalesError(
        _("This code has been used up. Remove it to order at the normal price."),
        code=SalesErrorCode.PROMO_CODE_USED_UP,
        field="code",
    )


def promo_code_find(*, house: House, code: str) -> PromoCode | None:
    """The house's code, matched case-insensitively, or None."""
    code = promo_code_normalise(code)
    if not code:
        return None
    return (
        PromoCode.objects.filter(house_id=house.pk)
        .annotate(upper=Upper("code"))
        .filter(upper=code)
        .first()
    )


def promo_code_usable(
    *, house: House, code: str, now: datetime | None = None
) -> PromoCode:
    """The house's code if it may be used now, else a clear SalesError."""
    promo = promo_code_find(house=house, code=code)
    refusal = _refusal(promo, now or timezone.now())
    if refusal is not None:
        raise refusal
    if promo.max_uses is not None and promo.uses >= promo.max_uses:
        raise _used_up()
    return promo


def unlocked_tariff_ids(
    *,
    promo: PromoCode | None,
    tariffs: Iterable[Tariff],
    performance: Performance | None = None,
    now: datetime | None = None,
) -> frozenset[int]:
    """Which of these hidden tariffs `promo` unlocks now, for `performance` (none when
    it is not an unlock code, not valid now, or used up). Without a performance: a
    production's tariff counts when the code is for any of its performances."""
    if promo is None or promo.kind != PromoCode.Kind.UNLOCK:
        return frozenset()
    if _refusal(promo, now or timezone.now()) is not None:
        return frozenset()
    if promo.max_uses is not None and promo.uses >= promo.max_uses:
        return frozenset()
    scope = promo_scope(promo)
    return frozenset(
        tariff.pk
        for tariff in tariffs
        if tariff.requires_code
        and tariff.house_id == promo.house_id
        and (
            scope.covers(
                production_id=performance.production_id,
                performance_id=performance.pk,
                tariff_id=tariff.pk,
            )
            if performance is not None
            else _tariff_in_scope(scope, tariff)
        )
    )


def _tariff_in_scope(scope: Scope, tariff: Tariff) -> bool:
    if scope.productions and tariff.production_id not in scope.productions:
        return False
    if scope.tariffs and tariff.pk not in scope.tariffs:
        return False
    if not scope.performances:
        return True
    if tariff.performance_id is not None:
        return tariff.performance_id in scope.performances
    return Performance.objects.filter(
        pk__in=scope.performances, production_id=tariff.production_id
    ).exists()


def basket_unlocked_tariff_ids(
    *,
    basket: Basket | None,
    tariffs: Iterable[Tariff],
    performance: Performance,
    now: datetime | None = None,
) -> frozenset[int]:
    """The restricted tariffs among `tariffs` the basket may sell now: the hidden
    ones its promo code unlocks, and those a right it carries opens (a friends
    pass opens member tariffs: see hooks.on_tariff_unlock)."""
    if basket is None:
        return frozenset()
    tariffs = list(tariffs)
    unlocked: set[int] = set()
    for callback in hooks.tariff_unlock_callbacks():
        unlocked |= callback(
            basket=basket, tariffs=tariffs, performance=performance, now=now
        )
    if basket.promo_code_id is not None:
        promo = PromoCode.objects.filter(pk=basket.promo_code_id).first()
        unlocked |= unlocked_tariff_ids(
            promo=promo, tariffs=tariffs, performance=performance, now=now
        )
    return frozenset(unlocked)


def promo_unlock_tariff_list(*, promo: PromoCode) -> list[int]:
    """The ids of the house's active hidden tariffs an unlock code opens (the API
    tells a partner which tariffs it may now hold)."""
    if promo.kind != PromoCode.Kind.UNLOCK:
        return []
    tariffs = Tariff.objects.filter(
        house_id=promo.house_id, requires_code=True, is_active=True
    ).order_by("pk")
    return sorted(unlocked_tariff_ids(promo=promo, tariffs=tariffs))


# ---------------------------------------------------------------------- pricing


def _held(basket: Basket) -> list[Hold]:
    return list(
        Hold.objects.filter(basket=basket, state=Hold.State.HELD)
        .select_related("tariff", "performance")
        .order_by("pk")
    )


def _own_price(hold: Hold) -> bool:
    """A line priced by someone else (a subscription's share): codes leave it."""
    return hold.unit_price is not None and hold.promo_code_id is None


def _split(hold: Hold, keep: int) -> Hold:
    """Cut `hold` after `keep` places; the rest becomes a new line, at full price."""
    rest = Hold.objects.create(
        house_id=hold.house_id,
        basket_id=hold.basket_id,
        performance_id=hold.performance_id,
        tariff_id=hold.tariff_id,
        quantity=hold.quantity - keep,
        quota_ids=hold.quota_ids,
        seat_ids=hold.seat_ids[keep:],
        expires_at=hold.expires_at,
    )
    hold.quantity = keep
    hold.seat_ids = hold.seat_ids[:keep]
    return rest


def basket_reprice(*, basket: Basket, now: datetime | None = None) -> int:
    """Price every held line by the basket's code (or by its tariff without one).

    Runs inside the caller's transaction, with the basket's row locked. Returns how
    many tickets got a discount.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("basket_reprice must run inside a transaction")
    holds = _held(basket)
    changed = {h.pk: h for h in holds if h.promo_code_id is not None}
    for hold in changed.values():
        hold.unit_price, hold.promo_code_id = None, None
    promo = basket.promo_code if basket.promo_code_id else None
    discounting = promo is not None and promo.kind != PromoCode.Kind.UNLOCK
    left = promo.max_per_order if discounting else 0
    discounted = 0
    scope = promo_scope(promo) if discounting else None
    for hold in holds if discounting else []:
        if _own_price(hold) or not scope.covers(
            production_id=hold.performance.production_id,
            performance_id=hold.performance_id,
            tariff_id=hold.tariff_id,
        ):
            continue
        if left is not None and left <= 0:
            break
        if left is not None and hold.quantity > left:
            _split(hold, left)
        hold.unit_price = discounted_price(
            price=hold.tariff.price, kind=promo.kind, value=promo.value
        )
        hold.promo_code_id = promo.pk
        changed[hold.pk] = hold
        discounted += hold.quantity
        left = None if left is None else left - hold.quantity
    Hold.objects.bulk_update(
        changed.values(), ["unit_price", "promo_code", "quantity", "seat_ids"]
    )
    return discounted


def _applies(promo: PromoCode, basket: Basket, holds: list[Hold]) -> bool:
    """Does the code do anything for what the basket holds?"""
    if promo.kind == PromoCode.Kind.UNLOCK:
        return True  # it opens tariffs to choose from; nothing needs to be held yet
    scope = promo_scope(promo)
    return any(
        not _own_price(hold)
        and scope.covers(
            production_id=hold.performance.production_id,
            performance_id=hold.performance_id,
            tariff_id=hold.tariff_id,
        )
        for hold in holds
    )


@transaction.atomic
def basket_apply_code(
    *,
    house: House,
    actor,
    basket: Basket,
    code: str,
    now: datetime | None = None,
) -> PromoCode:
    """Attach the code to the basket and price its lines, or raise a clear error:
    unknown, not yet valid, expired, used up, nothing in the basket it is for, or
    another code already applied. Applying the same code again changes nothing."""
    now = now or timezone.now()
    if basket.house_id != house.pk:
        raise NotFound(_("Basket not found."))
    basket = Basket.objects.select_for_update().get(pk=basket.pk, house_id=house.pk)
    promo = promo_code_usable(house=house, code=code, now=now)
    if basket.promo_code_id not in (None, promo.pk):
        raise SalesError(
            _("Another code is already applied. Remove it first."),
            code=SalesErrorCode.PROMO_CODE_OTHER_APPLIED,
            field="code",
        )
    if not _applies(promo, basket, _held(basket)):
        raise SalesError(
            _("This code is not valid for anything in your basket."),
            code=SalesErrorCode.PROMO_CODE_NOT_APPLICABLE,
            field="code",
        )
    first = basket.promo_code_id is None
    basket.promo_code = promo
    basket.save(update_fields=["promo_code", "updated_at"])
    discounted = basket_reprice(basket=basket, now=now)
    if first:
        audit_log(
            action="podium.sales.promo_code.applied",
            obj=basket,
            actor=actor,
            data={"code": promo.code, "tickets": discounted},
        )
    return promo


@transaction.atomic
def basket_remove_code(*, house: House, actor, basket: Basket) -> int:
    """Take the code off: every line gets its tariff's price back, and lines of hidden
    tariffs it unlocked (online) are let go. Returns how many lines were let go."""
    if basket.house_id != house.pk:
        raise NotFound(_("Basket not found."))
    basket = Basket.objects.select_for_update().get(pk=basket.pk, house_id=house.pk)
    if basket.promo_code_id is None:
        return 0
    code = basket.promo_code.code
    let_go = 0
    if basket.channel not in STAFF_CHANNELS:
        for hold in _held(basket):
            if hold.tariff.requires_code and _release(hold):
                let_go += 1
    basket.promo_code = None
    basket.save(update_fields=["promo_code", "updated_at"])
    basket_reprice(basket=basket)
    audit_log(
        action="podium.sales.promo_code.removed",
        obj=basket,
        actor=actor,
        data={"code": code, "lines_released": let_go},
    )
    return let_go


def _release(hold: Hold) -> bool:
    if (
        Hold.objects.filter(pk=hold.pk, state=Hold.State.HELD).update(
            state=Hold.State.RELEASED
        )
        != 1
    ):
        return False
    release(quota_ids=hold.quota_ids, quantity=hold.quantity)
    seats_release(seat_ids=hold.seat_ids)
    return True


# -------------------------------------------------------------------- placement


def promo_code_claim(
    *, order: Order, basket: Basket, holds: list[Hold], now: datetime
) -> PromoCode | None:
    """Count one use of the basket's code for `order`, inside the placement.

    A code that changes no price and unlocks no line is not counted nor recorded.
    One conditional UPDATE decides; no row changed: a clear refusal (the caller's
    transaction rolls back). Lines of hidden tariffs sold online need the code.
    """
    promo = basket.promo_code if basket.promo_code_id else None
    online = basket.channel not in STAFF_CHANNELS
    hidden = [h for h in holds if h.tariff.requires_code] if online else []
    unlocking = promo is not None and promo.kind == PromoCode.Kind.UNLOCK
    scope = promo_scope(promo) if unlocking and hidden else None
    if hidden and not (
        scope is not None
        and all(
            scope.covers(
                production_id=hold.performance.production_id,
                performance_id=hold.performance_id,
                tariff_id=hold.tariff_id,
            )
            for hold in hidden
        )
    ):
        raise SalesError(
            _("This tariff is only sold with a promo code."),
            code=SalesErrorCode.TARIFF_UNAVAILABLE,
        )
    if promo is None or not (hidden or any(h.promo_code_id for h in holds)):
        return None
    claimed = (
        PromoCode.objects.filter(pk=promo.pk, house_id=order.house_id, is_active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=now))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .filter(Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")))
        .update(uses=F("uses") + 1)
    )
    if claimed != 1:
        promo.refresh_from_db()
        raise _refusal(promo, now) or _used_up()
    order.promo_code = promo
    order.save(update_fields=["promo_code"])
    audit_log(
        action="podium.sales.promo_code.used",
        obj=promo,
        actor=None,
        data={"order": order.code, "code": promo.code},
    )
    return promo


def promo_code_give_back(*, order: Order, from_state: str) -> None:
    """An order that was never paid lets go of its use (expired, cancelled)."""
    if order.promo_code_id and from_state == Order.State.PENDING:
        PromoCode.objects.filter(pk=order.promo_code_id, uses__gt=0).update(
            uses=F("uses") - 1
        )
