"""The one range test of a float gwcalc computes with or prints: finite, and zero or normal,
with room to spare at the top; and the checks built on it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from gwcalc.errors import DimensionError, GwcalcError

if TYPE_CHECKING:
    from gwcalc.units.registry import Quantity

# Below this a float keeps too few digits (a subnormal: 1e-320 holds 4 of them).
SMALLEST = sys.float_info.min
# A thousandth of the largest float: a ratio in percent (× 100) and a figure rounded up to its
# printed digits stay floats, so that everything printed reads back as the number it shows.
LARGEST = sys.float_info.max / 1e3

# The words for a value above LARGEST (∞ and NaN too): the limit is gwcalc's, not the float's
BEYOND = (
    f"beyond the range of a floating-point number as gwcalc uses one (above about "
    f"{LARGEST:.2g}: a thousandth of the largest float, {sys.float_info.max:.2g}, so that a "
    "percentage and a rounded figure stay floats)"
).replace("e+", "e")
# The sizes a figure may have, in words for hints (zero, or from SMALLEST to LARGEST)
SIZES = f"from about {SMALLEST:.2g} to {LARGEST:.2g} in size (or 0)".replace("e+", "e")


def float_fault(value: float) -> str | None:
    """None for a number gwcalc can compute with and print (zero included); else why not, as
    words that follow 'is': beyond the range (inf, NaN, above LARGEST), or too small."""
    size = abs(value)
    if not size <= LARGEST:  # NaN compares false too
        return BEYOND
    if 0 < size < SMALLEST:
        return (
            f"too small to compute with ({value:.3g}: below about 2.2e-308, a float keeps too "
            "few digits)"
        )
    return None


def check_normal(
    quantity: Quantity, what: str, zero_ok: bool = False, hint: str | None = None
) -> None:
    """Refuse a magnitude a float holds only with lost digits (subnormal, below about 2.2e-308),
    and zero unless zero_ok: either means a figure underflowed and would print wrong."""
    value = abs(float(quantity.magnitude))
    if value == 0 and not zero_ok:
        raise DimensionError(
            f"{what} is zero (or too small to compute with)",
            "use figures whose product stays above about 1e-300",
        )
    fault = float_fault(value)
    if fault is not None and fault != BEYOND:
        raise DimensionError(
            f"{what} is {fault}", hint or "use a larger figure, or a unit with a smaller prefix"
        )


def finite(value: float, what: str) -> float:
    """The value, or a clean error where it is beyond the range of a float (never NaN or inf
    in a result, which JSON cannot carry)."""
    if float_fault(value) == BEYOND:
        raise GwcalcError(
            f"{what} is {BEYOND}",
            "compare figures that differ by less",
        )
    return value
