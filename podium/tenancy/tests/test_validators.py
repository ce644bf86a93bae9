import pytest
from django.core.exceptions import ValidationError

from podium.tenancy.tests.factories import HouseFactory
from podium.tenancy.validators import (
    normalize_enterprise_number,
    validate_enterprise_number,
    validate_hex_colour,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("BE0403170701", "BE0403.170.701"),
        ("BE0403.170.701", "BE0403.170.701"),
        ("be 0403 170 701", "BE0403.170.701"),
        ("0403-170-701", "BE0403.170.701"),
        ("403170701", "BE0403.170.701"),  # the old nine-digit form
        ("1000000021", "BE1000.000.021"),  # the new series starting with 1
    ],
)
def test_valid_enterprise_number_is_formatted_as_be0123_456_789(value, expected):
    assert normalize_enterprise_number(value) == expected
    validate_enterprise_number(value)  # does not raise


@pytest.mark.parametrize(
    "value",
    [
        "BE0403170702",  # wrong check digits
        "BE1000000022",  # wrong check digits, new series
        "BE2000000042",  # must start with 0 or 1
        "BE04031707",  # eight digits
        "NL0403170701",
        "BE0403170701X",
        "",
    ],
)
def test_invalid_enterprise_number_is_refused(value):
    with pytest.raises(ValidationError) as raised:
        validate_enterprise_number(value)

    assert raised.value.code == "invalid_vat"


@pytest.mark.parametrize("value", ["#7a1f5c", "#FFFFFF", "#000000"])
def test_hex_colour_accepts_hash_and_six_hex_digits(value):
    validate_hex_colour(value)


@pytest.mark.parametrize(
    "value", ["7a1f5c", "#7a1f5", "#7a1f5cc", "#gggggg", "#7a1f5c\n", "red", ""]
)
def test_hex_colour_refuses_anything_else(value):
    with pytest.raises(ValidationError) as raised:
        validate_hex_colour(value)

    assert raised.value.code == "invalid_colour"


@pytest.mark.django_db
def test_house_full_clean_stores_the_enterprise_number_in_canonical_form(cluster):
    house = HouseFactory.build(cluster=cluster, enterprise_number="0403 170 701")

    house.full_clean()

    assert house.enterprise_number == "BE0403.170.701"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("enterprise_number", "BE0403170702"), ("brand_colour", "#7a1f5")],
)
def test_house_full_clean_refuses_an_invalid_number_or_colour(cluster, field, value):
    house = HouseFactory.build(cluster=cluster, **{field: value})

    with pytest.raises(ValidationError) as raised:
        house.full_clean()

    assert list(raised.value.message_dict) == [field]
    assert getattr(house, field) == value
