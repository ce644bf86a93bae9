"""Prices: the price list of a performance, VAT splits and service fees."""

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import iban

from podium.catalog.models import Performance, Production
from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.core.money import quantize
from podium.tenancy.models import House

from ..errors import SalesError, SalesErrorCode
from ..models import OrderFee, PriceCategory, SalesSettings, Tariff
from ..selectors import price_lists

ZERO = Decimal("0.00")
# Channels where staff sell; box-office-only tariffs are sold only there.
STAFF_CHANNELS = ("box_office", "phone", "email")


def sales_settings_get(*, house: House) -> SalesSettings:
    """The house's sales settings, created with the defaults on first use."""
    settings_row, _created = SalesSettings.objects.get_or_create(house=house)
    return settings_row


SETTINGS_FIELDS = frozenset(
    {
        "hold_minutes",
        "payment_minutes",
        "bank_transfer_days",
        "fee_per_ticket",
        "fee_per_order",
        "fee_vat_rate",
        "max_tickets_per_order",
        "bank_account_iban",
        "mollie_api_key",
    }
)
SECRET_SETTINGS = frozenset({"mollie_api_key"})


@transaction.atomic
def sales_settings_update(*, house: House, actor, **fields) -> SalesSettings:
    """Change the house's sales settings; every value is validated before saving."""
    unknown = set(fields) - SETTINGS_FIELDS
    if unknown:
        raise SalesError(
            _("Unknown sales settings: %(names)s."),
            code=SalesErrorCode.INVALID,
            params={"names": ", ".join(sorted(unknown))},
        )
    settings_row = sales_settings_get(house=house)
    if "bank_account_iban" in fields and fields["bank_account_iban"]:
        number = iban.compact(fields["bank_account_iban"])
        if not iban.is_valid(number, check_country=False):
            raise SalesError(
                _("%(value)s is not a valid IBAN."),
                code=SalesErrorCode.INVALID,
                field="bank_account_iban",
                params={"value": fields["bank_account_iban"]},
            )
        fields["bank_account_iban"] = number
    for name, value in fields.items():
        setattr(settings_row, name, value)
    try:
        settings_row.full_clean(exclude=["house"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise SalesError(
            messages[0], code=SalesErrorCode.INVALID, field=field
        ) from error
    settings_row.save()
    audit_log(
        action="podium.sales.settings.changed",
        obj=settings_row,
        actor=actor,
        data={
            name: ("(set)" if value else "") if name in SECRET_SETTINGS else str(value)
            for name, value in fields.items()
        },
    )
    return settings_row


def split_vat(gross: Decimal, rate: Decimal | str) -> tuple[Decimal, Decimal]:
    """(net, vat) of a price that includes VAT; the two always add up to `gross`."""
    gross = quantize(gross)
    net = quantize(gross / (Decimal(1) + Decimal(rate) / Decimal(100)))
    return net, gross - net


class FeeLine(NamedTuple):
    """One service fee: unpacks as (kind, amount, vat_rate, net, vat)."""

    kind: str
    amount: Decimal
    vat_rate: Decimal
    net: Decimal
    vat: Decimal


def order_fees(
    *, settings: SalesSettings, ticket_prices: list[Decimal]
) -> list[FeeLine]:
    """Service fees for an order of tickets at `ticket_prices`.

    The per-ticket fee counts paid tickets only: a free invitation carries no fee,
    and an order without any paid ticket carries no per-order fee either.
    """
    paid_count = sum(1 for price in ticket_prices if price > ZERO)
    if paid_count == 0:
        return []
    rate = Decimal(settings.fee_vat_rate)
    fees = []
    for kind, amount in (
        (OrderFee.Kind.PER_TICKET, settings.fee_per_ticket * paid_count),
        (OrderFee.Kind.PER_ORDER, settings.fee_per_order),
    ):
        if amount > ZERO:
            net, vat = split_vat(amount, rate)
            fees.append(FeeLine(kind, quantize(amount), rate, net, vat))
    return fees


def hold_unit_price(*, tariff_price: Decimal, unit_price: Decimal | None) -> Decimal:
    """What one place of a hold costs: its own price when it has one (a subscription
    spreads its total over its tickets), else its tariff's."""
    return quantize(tariff_price if unit_price is None else unit_price)


def price_list(*, performance: Performance) -> list[Tariff]:
    """The performance's own tariffs once it has any, else the production's."""
    return price_lists(performances=[performance])[performance.pk]


@transaction.atomic
def price_list_customize(
    *, house: House, actor, performance: Performance
) -> list[Tariff]:
    """Copy the production's price list onto the performance (copy on write).

    Idempotent: a performance that already has its own tariffs keeps them.
    """
    if performance.house_id != house.pk:
        raise NotFound(_("Performance not found."))
    if Tariff.objects.filter(house=house, performance=performance).exists():
        return price_list(performance=performance)
    copies = []
    for tariff in Tariff.objects.filter(
        house=house, production_id=performance.production_id, performance__isnull=True
    ):
        tariff.pk = None
        tariff.performance = performance
        copies.append(tariff)
    Tariff.objects.bulk_create(copies)
    audit_log(
        action="podium.sales.price_list.customized",
        obj=performance,
        actor=actor,
        data={"tariffs": len(copies)},
    )
    return price_list(performance=performance)


@transaction.atomic
def price_category_create(
    *, house: House, actor, production: Production, name: dict, position: int = 0
) -> PriceCategory:
    if production.house_id != house.pk:
        raise SalesError(
            _("This production belongs to another house."), code=SalesErrorCode.INVALID
        )
    category = PriceCategory.objects.create(
        house=house, production=production, name=name, position=position
    )
    audit_log(
        action="podium.sales.price_category.created",
        obj=category,
        actor=actor,
        data={"name": name},
    )
    return category


def _validated(tariff: Tariff) -> None:
    if tariff.production.house_id != tariff.house_id:
        raise SalesError(
            _("This production belongs to another house."),
            code=SalesErrorCode.INVALID,
            field="production",
        )
    if tariff.performance_id and (
        tariff.performance.production_id != tariff.production_id
        or tariff.performance.house_id != tariff.house_id
    ):
        raise SalesError(
            _("This performance belongs to another production."),
            code=SalesErrorCode.INVALID,
            field="performance",
        )
    if (
        tariff.category.house_id != tariff.house_id
        or tariff.category.production_id != tariff.production_id
    ):
        raise SalesError(
            _("This price category belongs to another production."),
            code=SalesErrorCode.INVALID,
            field="category",
        )
    try:
        tariff.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise SalesError(
            messages[0],
            code=SalesErrorCode.INVALID,
            field=None if field == "__all__" else field,
        ) from error
    if (
        tariff.available_from
        and tariff.available_until
        and tariff.available_from >= tariff.available_until
    ):
        raise SalesError(
            _("A tariff must stop being available after it starts."),
            code=SalesErrorCode.INVALID,
            field="available_until",
        )


@transaction.atomic
def tariff_create(
    *,
    house: House,
    actor,
    production: Production,
    category: PriceCategory,
    price: Decimal,
    performance: Performance | None = None,
    **fields,
) -> Tariff:
    """A tariff of the production's price list, or of one performance's own list."""
    tariff = Tariff(
        house=house,
        production=production,
        performance=performance,
        category=category,
        price=quantize(price),
        **fields,
    )
    _validated(tariff)
    tariff.save()
    audit_log(
        action="podium.sales.tariff.created",
        obj=tariff,
        actor=actor,
        data={
            "price": str(tariff.price),
            "kind": tariff.kind,
            "vat_rate": tariff.vat_rate,
        },
    )
    return tariff


@transaction.atomic
def tariff_update(*, house: House, actor, tariff: Tariff, **fields) -> Tariff:
    """Change a tariff's price, VAT rate or conditions; its links cannot change."""
    if tariff.house_id != house.pk:
        raise SalesError(
            _("This tariff belongs to another house."), code=SalesErrorCode.INVALID
        )
    fixed = {"house", "house_id", "production", "production_id", "performance"}
    if fixed & set(fields) or "performance_id" in fields:
        raise SalesError(
            _("A tariff cannot move to another production or performance."),
            code=SalesErrorCode.INVALID,
        )
    before = {name: str(getattr(tariff, name)) for name in fields}
    for name, value in fields.items():
        setattr(tariff, name, quantize(value) if name == "price" else value)
    _validated(tariff)
    tariff.save()
    audit_log(
        action="podium.sales.tariff.changed",
        obj=tariff,
        actor=actor,
        data={
            "before": before,
            "after": {name: str(getattr(tariff, name)) for name in fields},
        },
    )
    return tariff


class TariffAvailability(NamedTuple):
    """Whether a tariff may be sold now; `reason` is a stable code, `message` text."""

    available: bool
    reason: str = ""
    message: str = ""


def tariff_is_available(
    *,
    tariff: Tariff,
    channel: str,
    now: datetime | None = None,
    unlocked: Collection[int] = (),
) -> TariffAvailability:
    """May `tariff` be sold on `channel` at `now`? With the reason when not.

    A hidden tariff (`requires_code`) is sold online only when its id is among the
    `unlocked` ones (by the basket's promo code); staff channels sell it anyway. A
    member tariff is sold on every channel only when unlocked (by a friends pass:
    the member's, or the pass number typed at the desk).
    """
    now = now or timezone.now()
    if not tariff.is_active:
        return TariffAvailability(False, "inactive", _("This tariff is not on sale."))
    if tariff.kind == Tariff.Kind.MEMBER and tariff.pk not in unlocked:
        return TariffAvailability(
            False,
            "member_only",
            _("This tariff is only for holders of a friends pass."),
        )
    if (
        tariff.requires_code
        and channel not in STAFF_CHANNELS
        and tariff.pk not in unlocked
    ):
        return TariffAvailability(
            False, "code_required", _("This tariff is only sold with a promo code.")
        )
    if tariff.box_office_only and channel not in STAFF_CHANNELS:
        return TariffAvailability(
            False, "box_office_only", _("This tariff is only sold at the box office.")
        )
    if tariff.available_from and now < tariff.available_from:
        return TariffAvailability(
            False, "not_yet", _("This tariff is not available yet.")
        )
    if tariff.available_until and now >= tariff.available_until:
        return TariffAvailability(
            False, "ended", _("This tariff is no longer available.")
        )
    return TariffAvailability(True)
