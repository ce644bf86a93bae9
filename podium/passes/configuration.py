"""Configuring season subscriptions: the types a house sells, their tariffs, their
price steps, and the capacity kept for them per performance.

    subscription_type_create       a fixed series or a free choice over performances
    subscription_type_update       its name, window, maximum, performances, prices and
                                   whether it is on sale (the kind stays)
    subscription_tariff_create     a tariff of a type ("-26": a factor or own price)
    subscription_price_steps_set   the stepped prices of a free choice
    subscription_capacity_set      per performance of a type, the size of the quota
                                   kept for subscriptions (the sales quota services;
                                   never below what is used)

Every service checks that what it is given is the house's own, validates the row
(`full_clean`) and writes an audit entry.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.core.i18n import localize
from podium.core.money import quantize
from podium.sales.errors import SalesError
from podium.sales.models import Quota
from podium.sales.services.inventory import quota_create, quota_update
from podium.tenancy.models import House

from . import seats as seating
from .errors import PassesError, PassesErrorCode
from .models import SubscriptionPriceStep, SubscriptionTariff, SubscriptionType

# What a type's update may change; the kind stays what it was created as.
UPDATABLE = (
    "name",
    "description",
    "min_choices",
    "max_choices",
    "price",
    "discount_percent",
    "same_seat",
    "sales_from",
    "sales_until",
    "max_per_customer",
    "is_active",
)
KEPT_QUOTA_NAME = pgettext_lazy("quota name", "Subscriptions")


def _refuse(message, code=PassesErrorCode.INVALID, field=None, **params):
    return PassesError(message, code=code, field=field, params=params)


def _full_clean(obj) -> None:
    try:
        obj.full_clean(exclude=["house", "type"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise _refuse(
            messages[0], field=None if field == "__all__" else field
        ) from error


def _own(type_: SubscriptionType, house: House) -> None:
    if type_.house_id != house.pk:
        raise NotFound(_("Subscription type not found."))


def _check_performances(type_: SubscriptionType, house, performances) -> None:
    """All of the house, at least one, enough for the minimum, one plan if same
    seat."""
    if any(p.house_id != house.pk for p in performances):
        raise NotFound(_("Performance not found."))
    if not performances:
        raise _refuse(
            _("Choose the performances of the subscription."), field="performances"
        )
    count = len(performances)
    if type_.kind == SubscriptionType.Kind.CHOICE and type_.min_choices > count:
        raise _refuse(
            _("At least %(min)s must be chosen, but the list has %(count)s."),
            field="min_choices",
            min=type_.min_choices,
            count=count,
        )
    if type_.same_seat:
        seating.common_plan(performances=performances)


def _check_steps(type_: SubscriptionType, steps: Mapping[int, Decimal]) -> None:
    if type_.kind != SubscriptionType.Kind.CHOICE or type_.discount_percent is not None:
        raise _refuse(
            _("Only a free choice without a discount is priced by steps."),
            field="steps",
        )
    if steps and (min(steps) != 1 or any(price < 0 for price in steps.values())):
        raise _refuse(
            _("The steps start at the first performance and are never negative."),
            field="steps",
        )


def _steps_replace(house, type_, steps: Mapping[int, Decimal]) -> list:
    SubscriptionPriceStep.objects.filter(house=house, type=type_).delete()
    return SubscriptionPriceStep.objects.bulk_create(
        SubscriptionPriceStep(house=house, type=type_, count=count, price=quantize(p))
        for count, p in sorted(steps.items())
    )


def _steps_data(steps: Mapping[int, Decimal]) -> dict:
    return {str(count): str(quantize(price)) for count, price in sorted(steps.items())}


@transaction.atomic
def subscription_type_create(
    *,
    house: House,
    actor,
    name: dict,
    kind: str,
    performances: Sequence[Performance],
    steps: Mapping[int, Decimal] | None = None,
    **fields,
) -> SubscriptionType:
    """A subscription type of the house over `performances` (all of the house);
    `steps` (a free choice without a discount) sets its stepped prices at once."""
    performances = list(performances)
    type_ = SubscriptionType(house=house, name=name, kind=kind, **fields)
    if any(p.house_id != house.pk for p in performances):
        raise NotFound(_("Performance not found."))
    _full_clean(type_)
    _check_performances(type_, house, performances)
    if steps is not None:
        _check_steps(type_, steps)
    type_.save()
    type_.performances.set(performances)
    data = {"name": name, "kind": kind, "performances": [p.pk for p in performances]}
    if steps is not None:
        _steps_replace(house, type_, steps)
        data["steps"] = _steps_data(steps)
    audit_log(
        action="podium.passes.subscription_type.created",
        obj=type_,
        actor=actor,
        data=data,
    )
    return type_


def _snapshot(type_: SubscriptionType) -> dict:
    data = {name: getattr(type_, name) for name in UPDATABLE}
    for name in ("price", "discount_percent", "sales_from", "sales_until"):
        data[name] = None if data[name] is None else str(data[name])
    return data


@transaction.atomic
def subscription_type_update(
    *,
    house: House,
    actor,
    type: SubscriptionType,
    performances: Sequence[Performance] | None = None,
    steps: Mapping[int, Decimal] | None = None,
    **fields,
) -> SubscriptionType:
    """Change a type: any of UPDATABLE, its performances, its price steps.

    A free choice given a discount loses its steps; one without a discount must
    keep (or be given) steps. Subscriptions already sold keep their tickets and
    prices.
    """
    _own(type, house)
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"cannot update {sorted(unknown)}")
    type_ = SubscriptionType.objects.select_for_update().get(pk=type.pk, house=house)
    before = _snapshot(type_)
    before_performances = sorted(type_.performances.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(type_, name, value)
    _full_clean(type_)
    performances = (
        list(type_.performances.all()) if performances is None else list(performances)
    )
    _check_performances(type_, house, performances)
    is_choice = type_.kind == SubscriptionType.Kind.CHOICE
    if steps is not None:
        _check_steps(type_, steps)
    has_steps = (
        bool(steps) if steps is not None else type_.steps.filter(house=house).exists()
    )
    if is_choice and type_.discount_percent is None and not has_steps:
        raise _refuse(
            _("Give a discount per ticket or the price steps."), field="steps"
        )
    type_.save()
    type_.performances.set(performances)
    if steps is not None or type_.discount_percent is not None or not is_choice:
        _steps_replace(house, type_, steps or {})
    after = _snapshot(type_)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    performance_ids = sorted(p.pk for p in performances)
    if performance_ids != before_performances:
        changed["performances"] = [before_performances, performance_ids]
    if steps is not None:
        changed["steps"] = _steps_data(steps)
    audit_log(
        action="podium.passes.subscription_type.changed",
        obj=type_,
        actor=actor,
        data=changed,
    )
    return type_


@transaction.atomic
def subscription_tariff_create(
    *, house: House, actor, type: SubscriptionType, name: dict, **fields
) -> SubscriptionTariff:
    """A tariff of the type ("Abonnement -26": a factor, or its own series price)."""
    _own(type, house)
    tariff = SubscriptionTariff(house=house, type=type, name=name, **fields)
    _full_clean(tariff)
    if tariff.price is not None and type.kind != SubscriptionType.Kind.FIXED:
        raise _refuse(
            _("Only a fixed series has a price of its own per tariff."),
            field="price",
        )
    tariff.save()
    audit_log(
        action="podium.passes.subscription_tariff.created",
        obj=tariff,
        actor=actor,
        data={"name": name, "factor": str(tariff.factor), "price": str(tariff.price)},
    )
    return tariff


@transaction.atomic
def subscription_price_steps_set(
    *, house: House, actor, type: SubscriptionType, steps: dict[int, Decimal]
) -> list[SubscriptionPriceStep]:
    """Replace the price steps of a free choice: {from count: price per ticket}."""
    _own(type, house)
    _check_steps(type, steps)
    created = _steps_replace(house, type, steps)
    audit_log(
        action="podium.passes.subscription_type.steps_changed",
        obj=type,
        actor=actor,
        data=_steps_data(steps),
    )
    return created


def kept_quotas(*, house: House, performances: Sequence[Performance]) -> dict:
    """Performance id → its (first) quota kept for subscriptions, where it has one."""
    found: dict[int, Quota] = {}
    for quota in Quota.objects.filter(
        house=house,
        performance__in=[p.pk for p in performances],
        for_subscriptions=True,
    ).order_by("pk"):
        found.setdefault(quota.performance_id, quota)
    return found


@transaction.atomic
def subscription_capacity_set(
    *, house: House, actor, type: SubscriptionType, sizes: Mapping[int, int]
) -> dict[int, Quota]:
    """Size the capacity kept for subscriptions: {performance id: places}.

    Only performances of the type; a performance without a kept quota gets one
    (covering every category) when its size is above zero; an existing one is
    resized, never below the places already sold or held through it.
    """
    _own(type, house)
    performances = {p.pk: p for p in type.performances.filter(house=house)}
    if not set(sizes) <= set(performances):
        raise NotFound(_("Performance not found."))
    existing = kept_quotas(house=house, performances=list(performances.values()))
    result = {}
    for performance_id in sorted(sizes):  # primary-key order, like a claim
        size, quota = sizes[performance_id], existing.get(performance_id)
        performance = performances[performance_id]
        if quota is not None and quota.size != size:
            try:
                quota = quota_update(house=house, actor=actor, quota=quota, size=size)
            except SalesError as error:
                raise _refuse(
                    _("%(performance)s: %(reason)s"),
                    field="sizes",
                    performance=_performance_name(performance),
                    reason=str(error),
                ) from error
        elif quota is None and size > 0:
            quota = quota_create(
                house=house,
                actor=actor,
                performance=performance,
                name=str(KEPT_QUOTA_NAME),
                size=size,
                for_subscriptions=True,
            )
        if quota is not None:
            result[performance_id] = quota
    audit_log(
        action="podium.passes.subscription_type.capacity_changed",
        obj=type,
        actor=actor,
        data={str(pk): size for pk, size in sorted(sizes.items())},
    )
    return result


def _performance_name(performance: Performance) -> str:
    moment = date_format(
        timezone.localtime(performance.starts_at), "SHORT_DATETIME_FORMAT"
    )
    return gettext("%(title)s on %(moment)s") % {
        "title": localize(performance.production.title),
        "moment": moment,
    }
