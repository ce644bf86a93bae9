"""Belgian structured communication (gestructureerde mededeling, OGM/VCS).

Twelve digits: a ten-digit number and two check digits, the number modulo 97 (97 when
the remainder is 0). Written `+++123/4567/89002+++` (or with `***`). Banks carry it in a
CODA record as type 101 followed by the twelve digits.
"""

import re

_DIGITS = re.compile(r"\d{12}")
# Within free text: twelve digits, optionally framed by +++ or *** and grouped 3/4/5.
_IN_TEXT = re.compile(
    r"(?<!\d)(?:[+*]{3}\s*)?(\d{3})[\s/.-]*(\d{4})[\s/.-]*(\d{5})(?:\s*[+*]{3})?(?!\d)"
)


def check_digits(number: int) -> int:
    remainder = number % 97
    return remainder or 97


def ogm_from_number(number: int) -> str:
    """The structured communication for `number` (0 ≤ number < 10¹⁰)."""
    if not 0 <= number < 10**10:
        raise ValueError("A structured communication holds a number of 10 digits.")
    return ogm_format(f"{number:010d}{check_digits(number):02d}")


def ogm_format(digits: str) -> str:
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def ogm_parse(value: str) -> str | None:
    """The 12 digits of a valid structured communication written in any usual way.

    Accepts `+++123/4567/89002+++`, `***123/4567/89002***`, `123/4567/89002`,
    `123 4567 89002` and `123456789002`; None when it is not one or the check fails.
    """
    stripped = value.strip()
    if stripped[:3] in ("+++", "***"):
        if stripped[-3:] != stripped[:3] or len(stripped) < 6:
            return None
        stripped = stripped[3:-3]
    digits = re.sub(r"[\s/.]", "", stripped)
    if not _DIGITS.fullmatch(digits):
        return None
    return digits if _valid_digits(digits) else None


def ogm_validate(value: str) -> bool:
    return ogm_parse(value) is not None


def ogm_find(text: str) -> str | None:
    """The first valid structured communication inside free text (a CSV column)."""
    exact = ogm_parse(text)
    if exact:
        return exact
    for match in _IN_TEXT.finditer(text):
        digits = "".join(match.groups())
        if _valid_digits(digits):
            return digits
    return None


def _valid_digits(digits: str) -> bool:
    return check_digits(int(digits[:10])) == int(digits[10:])
