"""Reading customer details typed as one line, and normalising phone numbers.

"Jan Peeters, jan@example.be, 0470 12 34 56" in any order: the e-mail address is
the word with an @, the phone number the run of digits, and the rest is the name.
"""

import re
from typing import NamedTuple

EMAIL = re.compile(r"[^\s,;<>()]*@[^\s,;<>()]*")
# A digit, then digits and the usual separators, ending on a digit: at least 6 signs.
PHONE = re.compile(r"(?<![\w@])\+?\(?\d[\d ()./-]{4,}\d(?![\w@])")
PHONE_ALLOWED = re.compile(r"^\+?[\d ()./-]+$")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 8, 15


class CustomerLine(NamedTuple):
    name: str
    emails: list[str]
    phones: list[str]


def line_split(line: str) -> CustomerLine:
    """The name, the e-mail addresses and the phone numbers found in `line`."""
    emails = EMAIL.findall(line)
    rest = EMAIL.sub(",", line)
    phones = [match.strip() for match in PHONE.findall(rest)]
    rest = PHONE.sub(",", rest)
    words = " ".join(part.strip() for part in re.split(r"[,;\n\t]+", rest))
    return CustomerLine(" ".join(words.split()), emails, phones)


def phone_digits(phone: str) -> str:
    """The digits of `phone`, with a leading + kept: "0470 12 34 56" → "0470123456"."""
    phone = phone.strip()
    digits = re.sub(r"\D", "", phone)
    return f"+{digits}" if phone.startswith("+") and digits else digits


def phone_core(digits: str) -> str:
    """The subscriber part of a Belgian-style number, without 0, 32 or 0032 in front,
    so that "+32 470 12 34 56" and "0470 12 34 56" match one another."""
    digits = digits.lstrip("+")
    for prefix in ("0032", "32", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 6:
            return digits[len(prefix) :]
    return digits


def phone_plausible(phone: str) -> bool:
    digits = phone_digits(phone).lstrip("+")
    return bool(PHONE_ALLOWED.match(phone.strip())) and (
        MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS
    )
