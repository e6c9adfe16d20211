"""Natural logs of quantities in base units, exact even where the base-unit value itself would
underflow or overflow a float."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from gwcalc.errors import DimensionError, GwcalcError
from gwcalc.floats import BEYOND, float_fault
from gwcalc.units import Q_

LN_MAX_FLOAT = math.log(1.7976931348623157e308)


@cache
def _log_unit_factor(units: Any) -> float:
    """ln of how many base units one of these units is (e.g. ln 1e9 for GW)."""
    return math.log(float(Q_(1.0, units).to_base_units().magnitude))


def log_base_magnitude(quantity: Any, name: str) -> float:
    """ln of the quantity's magnitude in base units; refuses values no log exists for."""
    value = float(quantity.magnitude)
    if not math.isfinite(value) or value <= 0:
        raise GwcalcError(
            f"{name} is {value:g}: only a positive, finite figure can be compared in ratios",
            f"give {name} a value greater than zero",
        )
    return math.log(value) + _log_unit_factor(quantity.units)


def expm1_or_inf(log_ratio: float) -> float:
    """exp(log_ratio) − 1, as +inf where that is beyond the range of a float."""
    return math.expm1(log_ratio) if log_ratio < LN_MAX_FLOAT else math.inf


def check_normal(quantity: Any, what: str, zero_ok: bool = False, hint: str | None = None) -> None:
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
