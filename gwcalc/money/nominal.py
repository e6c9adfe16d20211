"""The one place gwcalc compares dollars of different kinds: as nominal dollars, explicitly.

Investment, revenue, contract and hardware dollars are different kinds (pint refuses to mix
them). A round trip asks how much of what B paid S was money S had sent B, which compares money
sent (investment dollars) with money paid (revenue, contract or hardware dollars) dollar for
dollar. That comparison is made here and only here, on magnitudes, never through pint."""

from __future__ import annotations

from gwcalc.units.registry import Q_

# the kinds of dollars a flow may be in, each counted dollar for dollar as a nominal dollar
NOMINAL_UNITS = ("USD_equity", "USD_revenue", "USD_contract", "USD", "USD_all_in")
BASIS = "nominal dollars: money S sent B against money B paid S"


def nominal_dollars(amount: float, unit: str) -> float:
    """An amount in one kind of dollars (a unit of NOMINAL_UNITS, or a multiple such as
    'GUSD_equity') as nominal dollars: its value in that kind's dollars."""
    base = next(u for u in NOMINAL_UNITS if Q_(1.0, unit).is_compatible_with(u))
    return float(Q_(amount, unit).to(base).magnitude)
