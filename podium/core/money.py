"""Money: Decimal euros with two places, rounded half up. No float anywhere."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize(amount: Decimal | int | str) -> Decimal:
    if isinstance(amount, float):
        raise TypeError("Money is never a float; pass a Decimal, an int or a string.")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
