"""Natural logs of quantities in base units, exact even where the base-unit value itself would
underflow or overflow a float."""

from __future__ import annotations

import math
from functools import cache

from gwcalc.errors import GwcalcError
from gwcalc.units.registry import Q_, Quantity, Unit

LN_MAX_FLOAT = math.log(1.7976931348623157e308)


@cache
def _log_unit_factor(units: Unit) -> float:
    """ln of how many base units one of these units is (e.g. ln 1e9 for GW)."""
    return math.log(float(Q_(1.0, units).to_base_units().magnitude))


def log_base_magnitude(quantity: Quantity, name: str) -> float:
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
