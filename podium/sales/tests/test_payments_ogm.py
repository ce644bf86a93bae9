"""Belgian structured communication: generation, check digits, parsing."""

import pytest

from podium.sales.payments.ogm import (
    check_digits,
    ogm_find,
    ogm_format,
    ogm_from_number,
    ogm_parse,
    ogm_validate,
)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1234567890, "+++123/4567/89002+++"),  # 1234567890 mod 97 = 2
        (909337554, "+++090/9337/55493+++"),  # leading zero kept
        (1, "+++000/0000/00101+++"),
        (96, "+++000/0000/09696+++"),
        (97, "+++000/0000/09797+++"),  # remainder 0 → check digits 97
        (0, "+++000/0000/00097+++"),
        (9999999999, "+++999/9999/99948+++"),  # 9999999999 mod 97 = 48
    ],
)
def test_generation_known_examples(number, expected):
    assert ogm_from_number(number) == expected


def test_check_digits_are_97_when_the_remainder_is_zero():
    assert check_digits(97 * 123456) == 97
    assert check_digits(97 * 123456 + 1) == 1


@pytest.mark.parametrize("number", [-1, 10**10])
def test_generation_refuses_numbers_outside_ten_digits(number):
    with pytest.raises(ValueError):
        ogm_from_number(number)


@pytest.mark.parametrize(
    "written",
    [
        "+++123/4567/89002+++",
        "***123/4567/89002***",
        "123/4567/89002",
        "123 4567 89002",
        "123456789002",
        "  +++123/4567/89002+++ ",
        "+++ 123 / 4567 / 89002 +++",
    ],
)
def test_parse_accepts_the_usual_ways_of_writing(written):
    assert ogm_parse(written) == "123456789002"
    assert ogm_validate(written) is True


@pytest.mark.parametrize(
    "written",
    [
        "+++123/4567/89003+++",  # wrong check digits
        "+++123/4567/89000+++",  # 00 is never a check digit
        "+++123/4567/8900+++",  # 11 digits
        "+++123/4567/890021+++",  # 13 digits
        "+++123/4567/89002***",  # mismatched frames
        "12345678900A",
        "",
    ],
)
def test_parse_refuses_invalid_communications(written):
    assert ogm_parse(written) is None
    assert ogm_validate(written) is False


def test_format_round_trips_with_parse():
    assert ogm_format("090933755493") == "+++090/9337/55493+++"
    assert ogm_parse(ogm_format("090933755493")) == "090933755493"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bestelling +++090/9337/55493+++ bedankt", "090933755493"),
        ("ref 090/9337/55493", "090933755493"),
        ("ticketjes 090933755493!", "090933755493"),
        ("factuur 123456789003 en 090933755493", "090933755493"),  # first valid
        ("Lidgeld 2025", None),
        ("BE71096123456769", None),
    ],
)
def test_find_in_free_text(text, expected):
    assert ogm_find(text) == expected
