"""The one-line parser: name, e-mail and phone in any order."""

import pytest

from podium.customers.errors import CustomerError
from podium.customers.lines import phone_core, phone_digits, phone_plausible
from podium.customers.services import customer_line_parse


@pytest.mark.parametrize(
    "line",
    [
        "Jan Peeters, jan@example.be, 0470 12 34 56",
        "jan@example.be, Jan Peeters, 0470 12 34 56",
        "0470 12 34 56; jan@example.be; Jan Peeters",
        "Jan Peeters jan@example.be 0470 12 34 56",
        "  0470 12 34 56 Jan   Peeters ,jan@example.be  ",
    ],
)
def test_every_order_of_the_fields_gives_the_same_customer(line):
    assert customer_line_parse(line) == {
        "name": "Jan Peeters",
        "email": "jan@example.be",
        "phone": "0470 12 34 56",
    }


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Céline Dubois", ("Céline Dubois", "", "")),
        ("An De Smet, an@example.be", ("An De Smet", "an@example.be", "")),
        ("Marc Claes +32 470/12.34.56", ("Marc Claes", "", "+32 470/12.34.56")),
        ("Lies 2B, 03 123 45 67", ("Lies 2B", "", "03 123 45 67")),
    ],
)
def test_missing_fields_stay_empty(line, expected):
    parsed = customer_line_parse(line)

    assert (parsed["name"], parsed["email"], parsed["phone"]) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "Give the customer's name"),
        ("jan@example.be, 0470 12 34 56", "Give the customer's name"),
        (" , ; ", "Give the customer's name"),
        ("Jan, jan@example.be, jan@work.example", "Give one e-mail address only."),
        ("Jan, 0470 12 34 56, 03 123 45 67", "Give one phone number only."),
    ],
)
def test_a_line_without_a_name_or_with_two_addresses_is_refused(line, message):
    with pytest.raises(CustomerError) as refused:
        customer_line_parse(line)

    assert str(refused.value).startswith(message)
    assert (refused.value.code, refused.value.field) == ("invalid", "line")


@pytest.mark.parametrize(
    ("phone", "digits", "core"),
    [
        ("0470 12 34 56", "0470123456", "470123456"),
        ("+32 470 12 34 56", "+32470123456", "470123456"),
        ("0032 470/12.34.56", "0032470123456", "470123456"),
        ("09 123 45 67", "091234567", "91234567"),
    ],
)
def test_phone_numbers_are_kept_as_digits(phone, digits, core):
    assert phone_digits(phone) == digits
    assert phone_core(digits) == core
    assert phone_plausible(phone)


@pytest.mark.parametrize("phone", ["12345", "0470 12 34 56 78 90 12 34", "bel me"])
def test_implausible_phone_numbers(phone):
    assert not phone_plausible(phone)
