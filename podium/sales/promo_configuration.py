"""Promo codes in the office: the list with uses and revenue, and creating, changing
and deactivating a code (its rules are in `promo.py`)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance, Production
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.core.money import quantize
from podium.tenancy.models import House

from .errors import SalesError, SalesErrorCode
from .models import Order, PromoCode, Tariff
from .promo import HUNDRED, ZERO, promo_code_find, promo_code_normalise

# Orders whose money the house keeps (or may still get): the revenue of a code.
REVENUE_STATES = (Order.State.PAID, Order.State.PARTIALLY_REFUNDED)
FIELDS = frozenset(
    {
        "code",
        "description",
        "kind",
        "value",
        "valid_from",
        "valid_until",
        "max_uses",
        "max_per_order",
        "is_active",
    }
)
SCOPES = ("productions", "performances", "tariffs")


def promo_code_list(*, house: House) -> QuerySet[PromoCode]:
    """The house's codes with their paid orders and revenue (`paid_orders`,
    `revenue`: the totals of paid orders that carry the code)."""
    paid = Q(orders__state__in=REVENUE_STATES)
    return PromoCode.objects.filter(house_id=house.pk).annotate(
        paid_orders=Count("orders", filter=paid, distinct=True),
        revenue=Sum("orders__total", filter=paid),
    )


def promo_code_get(*, house: House, pk: int) -> PromoCode:
    promo = promo_code_list(house=house).filter(pk=pk).first()
    if promo is None:
        raise NotFound(_("Promo code not found."))
    return promo


def _scoped(house: House, scope: dict) -> dict:
    """The scope's objects, each checked to be the house's own."""
    checked = {}
    for name in SCOPES:
        objects = list(scope.get(name) or [])
        if any(obj.house_id != house.pk for obj in objects):
            raise SalesError(
                _("This belongs to another house."),
                code=SalesErrorCode.INVALID,
                field=name,
            )
        checked[name] = objects
    return checked


def _validated(house: House, promo: PromoCode) -> None:
    promo.code = promo_code_normalise(promo.code)
    clash = promo_code_find(house=house, code=promo.code)
    if clash is not None and clash.pk != promo.pk:
        raise SalesError(
            _("The code %(code)s exists already."),
            code=SalesErrorCode.INVALID,
            field="code",
            params={"code": promo.code},
        )
    if promo.kind == PromoCode.Kind.PERCENT and promo.value > HUNDRED:
        raise SalesError(
            _("A percentage is at most 100."),
            code=SalesErrorCode.INVALID,
            field="value",
        )
    if promo.kind == PromoCode.Kind.UNLOCK:
        promo.value = ZERO
    if promo.max_uses is not None and promo.max_uses < promo.uses:
        raise SalesError(
            _("This code was used %(uses)s times already."),
            code=SalesErrorCode.INVALID,
            field="max_uses",
            params={"uses": promo.uses},
        )
    if promo.valid_from and promo.valid_until and promo.valid_from >= promo.valid_until:
        raise SalesError(
            _("A code must stop being valid after it starts."),
            code=SalesErrorCode.INVALID,
            field="valid_until",
        )
    try:
        promo.full_clean(exclude=["house", "uses"], validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise SalesError(
            messages[0],
            code=SalesErrorCode.INVALID,
            field=None if field == "__all__" else field,
        ) from error


def _audit_data(promo: PromoCode) -> dict:
    data = {name: str(getattr(promo, name)) for name in sorted(FIELDS)}
    for name in SCOPES:
        data[name] = sorted(getattr(promo, name).values_list("pk", flat=True))
    return data


def _write(house: House, promo: PromoCode, fields: dict) -> dict:
    unknown = set(fields) - FIELDS - set(SCOPES)
    if unknown:
        raise SalesError(
            _("Unknown fields: %(names)s."),
            code=SalesErrorCode.INVALID,
            params={"names": ", ".join(sorted(unknown))},
        )
    scope = _scoped(house, {n: fields.pop(n) for n in SCOPES if n in fields})
    for name, value in fields.items():
        setattr(promo, name, value)
    if promo.value is not None:
        promo.value = quantize(promo.value)
    _validated(house, promo)
    return scope


@transaction.atomic
def promo_code_create(*, house: House, actor, **fields) -> PromoCode:
    """A new code of the house; every value is checked before saving."""
    promo = PromoCode(house=house)
    scope = _write(house, promo, dict(fields))
    promo.save()
    for name, objects in scope.items():
        getattr(promo, name).set(objects)
    audit_log(
        action="podium.sales.promo_code.created",
        obj=promo,
        actor=actor,
        data=_audit_data(promo),
    )
    return promo


@transaction.atomic
def promo_code_update(*, house: House, actor, promo: PromoCode, **fields) -> PromoCode:
    """Change a code (its uses stay as counted); baskets pick up the change when they
    are priced again, orders already placed keep their prices."""
    if promo.house_id != house.pk:
        raise NotFound(_("Promo code not found."))
    promo = PromoCode.objects.select_for_update().get(pk=promo.pk, house_id=house.pk)
    before = _audit_data(promo)
    scope = _write(house, promo, dict(fields))
    promo.save()
    for name, objects in scope.items():
        getattr(promo, name).set(objects)
    after = _audit_data(promo)
    audit_log(
        action="podium.sales.promo_code.changed",
        obj=promo,
        actor=actor,
        data={
            "before": {k: v for k, v in before.items() if after[k] != v},
            "after": {k: v for k, v in after.items() if before[k] != v},
        },
    )
    return promo


def promo_code_deactivate(*, house: House, actor, promo: PromoCode) -> PromoCode:
    """Stop a code: it is refused from now on (orders placed keep their prices)."""
    return promo_code_update(house=house, actor=actor, promo=promo, is_active=False)


@dataclass(frozen=True)
class ScopeChoices:
    productions: QuerySet
    performances: QuerySet
    tariffs: QuerySet


def promo_scope_choices(
    *, house: House, promo: PromoCode | None = None
) -> ScopeChoices:
    """What a code's scope may name: the house's productions, its coming performances
    and active tariffs, plus whatever `promo` names already."""

    def current(name):
        return Q(pk__in=getattr(promo, name).values("pk")) if promo else Q(pk__in=[])

    coming = Q(ends_at__gte=timezone.now())
    return ScopeChoices(
        Production.objects.filter(house_id=house.pk).order_by("pk"),
        Performance.objects.filter(house_id=house.pk)
        .filter(coming | current("performances"))
        .select_related("production")
        .order_by("starts_at", "pk"),
        Tariff.objects.filter(house_id=house.pk)
        .filter(Q(is_active=True) | current("tariffs"))
        .select_related("production", "performance", "category")
        .order_by("production_id", "performance_id", "pk"),
    )
