"""Patterns for the API's text input, shared by input schemas and path parameters,
and how the API writes amounts.

PostgreSQL text cannot hold a NUL byte: input with one would fail in the database
(a 500). Declaring the patterns refuses such input as invalid (400 problem) before
any query, and documents the shape in the OpenAPI schema.
"""

from decimal import Decimal

TEXT = r"^[^\x00]*$"  # any text without a NUL byte
SLUG = r"^[-a-zA-Z0-9_]+$"
BASKET_REF = r"^[-a-zA-Z0-9_]{1,64}$"  # a basket token (token_urlsafe)
ORDER_CODE = r"^[a-zA-Z0-9]{1,20}$"


def money(amount: Decimal) -> str:
    """An amount as the API writes it: "12.50" (euros, two decimals)."""
    return f"{amount:.2f}"
