"""A house's privacy settings and what it may read of a customer's consents (GDPR).

The retention itself (which customers to anonymise) needs the orders and so lives
in `podium.sales.customer_data.customers_retention_apply`.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from podium.core.audit import audit_log
from podium.tenancy.models import House

from .errors import CustomerError, CustomerErrorCode
from .models import Consent, Customer, PrivacySettings

RETENTION_MIN, RETENTION_MAX = 1, 30


def privacy_settings_get(*, house: House) -> PrivacySettings:
    """The house's settings; an unsaved default (keep customers) when none exist."""
    found = PrivacySettings.objects.filter(house=house).first()
    return found or PrivacySettings(house=house)


@transaction.atomic
def privacy_settings_update(
    *, house: House, actor, customer_retention_years: int | None
) -> PrivacySettings:
    """Set how many years of inactivity the house keeps a customer (None: keep)."""
    years = customer_retention_years
    if years is not None and not RETENTION_MIN <= years <= RETENTION_MAX:
        raise CustomerError(
            _("Choose between %(min)s and %(max)s years, or leave it empty."),
            code=CustomerErrorCode.INVALID,
            field="customer_retention_years",
            params={"min": RETENTION_MIN, "max": RETENTION_MAX},
        )
    row, _created = PrivacySettings.objects.select_for_update().get_or_create(
        house=house
    )
    if row.customer_retention_years != years:
        audit_log(
            action="podium.customers.privacy.changed",
            obj=row,
            actor=actor,
            data={"customer_retention_years": [row.customer_retention_years, years]},
        )
        row.customer_retention_years = years
        row.save()
    return row


def consent_history(*, house: House, customer: Customer) -> QuerySet[Consent]:
    """Every consent row of `customer` for `house` (never another house's), newest
    first: the current choice per purpose is the first row of that purpose."""
    return Consent.objects.filter(house=house, customer=customer).order_by("-at", "-pk")


def consents_of_house(
    *, house: House, customer: Customer
) -> list[tuple[str, Consent | None]]:
    """[(purpose label, latest row or None)] for `house`, one per purpose; None
    means never given."""
    current: dict[str, Consent | None] = dict.fromkeys(Consent.Purpose.values)
    for consent in consent_history(house=house, customer=customer):
        if current[consent.purpose] is None:
            current[consent.purpose] = consent
    return [(Consent.Purpose(purpose).label, row) for purpose, row in current.items()]
