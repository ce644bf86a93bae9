import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.be import vat as be_vat
from stdnum.exceptions import ValidationError as StdnumError

# \Z, not $: "$" also matches before a trailing newline.
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")


def normalize_enterprise_number(value: str) -> str:
    """A Belgian VAT / enterprise number as 'BE0123.456.789', or ValidationError."""
    try:
        digits = be_vat.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("%(value)s is not a valid Belgian enterprise or VAT number."),
            code="invalid_vat",
            params={"value": value},
        ) from error
    return f"BE{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def validate_enterprise_number(value: str) -> None:
    normalize_enterprise_number(value)


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, e.g. #7a1f5c."),
            code="invalid_colour",
        )
