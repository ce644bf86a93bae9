"""Configuring friends passes (vriendenpassen): the pass types a house sells.

    membership_type_create    a type with its price, validity and benefits, over
                              the house's productions (none chosen: all of them)
    membership_type_update    any of its settings; passes sold keep their validity

Every service checks that what it is given is the house's own, validates the row
(`full_clean`) and writes an audit entry.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Production
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.tenancy.models import House

from .errors import PassesError, PassesErrorCode
from .models import MembershipType

# What create and update may set (besides the productions).
SETTABLE = (
    "name",
    "description",
    "price",
    "vat_rate",
    "validity_months",
    "early_access_days",
    "max_tickets_per_performance",
    "sold_online",
    "is_active",
    "position",
)


def _refuse(message, field=None, **params):
    return PassesError(
        message, code=PassesErrorCode.INVALID, field=field, params=params
    )


def _full_clean(type_: MembershipType) -> None:
    try:
        type_.full_clean(exclude=["house"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise _refuse(
            messages[0], field=None if field == "__all__" else field
        ) from error


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(SETTABLE)
    if unknown:
        raise TypeError(f"cannot set {sorted(unknown)}")


def _check_productions(house: House, productions: Sequence[Production]) -> None:
    if any(p.house_id != house.pk for p in productions):
        raise NotFound(_("Production not found."))


def _snapshot(type_: MembershipType) -> dict:
    data = {name: getattr(type_, name) for name in SETTABLE}
    data["price"] = str(data["price"])
    return data


@transaction.atomic
def membership_type_create(
    *,
    house: House,
    actor,
    name: dict,
    productions: Sequence[Production] = (),
    **fields,
) -> MembershipType:
    """A friends pass type of the house; `productions` (the house's own) limit its
    member tariffs, none means every production."""
    _check_fields(fields)
    productions = list(productions)
    _check_productions(house, productions)
    type_ = MembershipType(house=house, name=name, **fields)
    _full_clean(type_)
    type_.save()
    type_.productions.set(productions)
    audit_log(
        action="podium.passes.membership_type.created",
        obj=type_,
        actor=actor,
        data={**_snapshot(type_), "productions": sorted(p.pk for p in productions)},
    )
    return type_


@transaction.atomic
def membership_type_update(
    *,
    house: House,
    actor,
    type: MembershipType,
    productions: Sequence[Production] | None = None,
    **fields,
) -> MembershipType:
    """Change a type's settings or productions. Passes already sold keep the
    validity they were given; the new benefits apply to them from now on."""
    if type.house_id != house.pk:
        raise NotFound(_("Friends pass type not found."))
    _check_fields(fields)
    type_ = MembershipType.objects.select_for_update().get(pk=type.pk, house=house)
    before = _snapshot(type_)
    before_productions = sorted(type_.productions.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(type_, name, value)
    _full_clean(type_)
    type_.save()
    changed = {k: [before[k], v] for k, v in _snapshot(type_).items() if before[k] != v}
    if productions is not None:
        productions = list(productions)
        _check_productions(house, productions)
        type_.productions.set(productions)
        after_productions = sorted(p.pk for p in productions)
        if after_productions != before_productions:
            changed["productions"] = [before_productions, after_productions]
    audit_log(
        action="podium.passes.membership_type.changed",
        obj=type_,
        actor=actor,
        data=changed,
    )
    return type_
