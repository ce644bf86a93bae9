from decimal import Decimal

import pytest

from podium.core.money import quantize


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("0.005"), Decimal("0.01")),
        (Decimal("0.015"), Decimal("0.02")),
        (Decimal("2.675"), Decimal("2.68")),
        (Decimal("2.674"), Decimal("2.67")),
        (Decimal("-0.005"), Decimal("-0.01")),
        ("19.995", Decimal("20.00")),
        (3, Decimal("3.00")),
    ],
)
def test_quantize_rounds_to_cents_half_up(amount, expected):
    result = quantize(amount)

    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize("amount", [0.1, 2.675, 0.0])
def test_quantize_refuses_a_float(amount):
    with pytest.raises(TypeError, match="never a float"):
        quantize(amount)
