"""A house's sales settings: changed through one validated service, or the command."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from podium.core.models import AuditEntry
from podium.sales.errors import SalesError
from podium.sales.models import SalesSettings
from podium.sales.services.pricing import sales_settings_get, sales_settings_update


def test_settings_change_with_the_iban_compacted_and_the_key_kept_out_of_the_log(
    scoped,
):
    row = sales_settings_update(
        house=scoped,
        actor=None,
        bank_account_iban="BE68 5390 0754 7034",
        mollie_api_key="test_abcdefghijklmnopqrstuvwxyz12",
        fee_per_ticket=Decimal("1.25"),
    )

    stored = SalesSettings.objects.get(pk=row.pk)
    assert (stored.bank_account_iban, stored.fee_per_ticket) == (
        "BE68539007547034",
        Decimal("1.25"),
    )
    entry = AuditEntry.objects.get(action="podium.sales.settings.changed")
    assert entry.data["mollie_api_key"] == "(set)"
    assert "test_abc" not in str(entry.data)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"bank_account_iban": "BE68 5390 0754 7035"}, "bank_account_iban", "IBAN"),
        ({"hold_minutes": 0}, "hold_minutes", "greater than or equal to 1"),
        ({"fee_vat_rate": "7.00"}, "fee_vat_rate", "not a valid choice"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(scoped, fields, field, message):
    with pytest.raises(SalesError) as refused:
        sales_settings_update(house=scoped, actor=None, **fields)

    assert refused.value.field == field
    assert message in str(refused.value)
    assert sales_settings_get(house=scoped).hold_minutes == 15


def test_unknown_settings_are_refused(scoped):
    with pytest.raises(SalesError, match="Unknown sales settings: house_id"):
        sales_settings_update(house=scoped, actor=None, house_id=99)


def test_the_command_sets_and_shows(house, db):
    out = StringIO()
    call_command(
        "sales_settings",
        "--house",
        house.slug,
        "--set",
        "bank_account_iban=BE68539007547034",
        "--set",
        "mollie_api_key=test_abcdefghijklmnopqrstuvwxyz12",
        stdout=out,
    )

    assert "bank_account_iban: BE68539007547034" in out.getvalue()
    assert "mollie_api_key: (set)" in out.getvalue()
    with pytest.raises(CommandError, match="as name=value"):
        call_command("sales_settings", "--house", house.slug, "--set", "hold_minutes")
    with pytest.raises(CommandError, match="must be an integer"):
        call_command("sales_settings", "--house", house.slug, "--set", "hold_minutes=x")
