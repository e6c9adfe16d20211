"""The one place gwcalc compares dollars of different kinds: as nominal dollars, explicitly.

Investment, revenue, contract and hardware dollars are different kinds (pint refuses to mix
them). A round trip asks how much of what B paid S was money S had sent B, which compares money
sent (investment dollars) with money paid (revenue, contract or hardware dollars) dollar for
dollar. That comparison is made here and only here, on magnitudes, never through pint."""

from __future__ import annotations

import math
from collections.abc import Iterable

from gwcalc.errors import DimensionError
from gwcalc.units.floats import BEYOND, float_fault
from gwcalc.units.registry import Q_

# the kinds of dollars a flow may be in, each counted dollar for dollar as a nominal dollar
NOMINAL_UNITS = ("USD_equity", "USD_revenue", "USD_contract", "USD", "USD_all_in")


def nominal_dollars(amount: float, unit: str) -> float:
    """An amount in one kind of dollars (a unit of NOMINAL_UNITS, or a multiple such as
    'GUSD_equity') as nominal dollars: its value in that kind's dollars."""
    if unit in NOMINAL_UNITS:  # each kind's own dollars: a nominal dollar each
        return amount
    base = next((u for u in NOMINAL_UNITS if Q_(1.0, unit).is_compatible_with(u)), None)
    if base is None:
        raise DimensionError(f"{unit} is no kind of dollars", "flows are in dollars")
    return float(Q_(amount, unit).to(base).magnitude)


def money_sum(values: Iterable[float]) -> float:
    """A sum of amounts of money that stays a float: beyond the largest (1e308 twice, or a
    share price of 1e300 on 160M shares) is an error saying so, never an internal one."""
    try:
        result = math.fsum(values)
    except OverflowError:
        result = math.inf
    if float_fault(result) == BEYOND:
        raise DimensionError(
            f"a sum of the flows' money is {BEYOND}",
            "an amount or a share price is too large: check the flows' amounts and overrides",
        )
    return result
