"""Reading an override: NAME=QUANTITY (parse_override), what its value may be, and how a bare
number is read: in the figure's own unit, as the set gives it (`cost_of_capital=9` for a figure
in % is 9 %, never 900 %; 0 < |x| ≤ 1 is ambiguous there), refused where that reading is
likely not what was meant, with the reading that would be accepted."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from gwcalc.errors import ParameterError
from gwcalc.sets.ranges import QuantityRange, parse_value
from gwcalc.units.floats import BEYOND, SIZES, float_fault
from gwcalc.units.registry import Q_, Quantity, Unit, format_value, unit_text, ureg

if TYPE_CHECKING:
    from gwcalc.sets.ranges import Given


def given_value(name: str, value: object) -> Given:
    """An override's value as a Quantity or QuantityRange: a plain int or float is a bare number
    (read in the figure's unit, as on the command line); any other type is refused."""
    if isinstance(value, QuantityRange):
        low, high = (given_value(name, end) for end in value)
        assert not isinstance(low, QuantityRange) and not isinstance(high, QuantityRange)
        return QuantityRange(low, high)
    if isinstance(value, ureg.Quantity):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ParameterError(
                f"{name}: {value!r} is not a finite number", "give an ordinary number, e.g. 0.5"
            )
        return Q_(float(value))
    raise ParameterError(
        f"{name}: an override is a number, a quantity or text, not {type(value).__name__} "
        f"({value!r})",
        f"for example {{'{name}': '50%'}}, a gwcalc Quantity, or a number alone (read in the "
        "figure's own unit, as a bare number on the command line)",
    )


def is_bare(q: Quantity) -> bool:
    """A number written without a unit ('9', not '9%')."""
    return q.units == ureg.dimensionless


def read_bare(name: str, magnitude: float, units: Unit) -> Quantity:
    """A bare number in the figure's own unit. For a figure in %, a number above 0 and at most
    1 in size reads as at most one percent, most likely a share meant as a ratio (1 as 100%):
    refused as ambiguous, with both readings."""
    if units == ureg.percent and 0 < abs(magnitude) <= 1:
        shown = format_value(magnitude, "")
        share = format_value(magnitude * 100, "")
        raise ParameterError(
            f"{name}: a bare number is read in the figure's own unit, %, so {shown} would be "
            f"{shown} % (not {share} %): ambiguous, and likely not what was meant",
            f"for a share of {shown} write {name}={share} (or {share}%); for {shown} percent "
            f"write {name}={shown}%",
        )
    return Q_(magnitude, units)


def check_size(name: str, typed: Quantity, value: float, units: Unit) -> None:
    """Refuse a value that a float cannot hold once converted into the figure's unit, naming it
    as typed ('1e305 USD_all_in/MW' is 1e311 USD_all_in/GW: beyond the range of a float)."""
    fault = float_fault(value)
    if fault != BEYOND or is_bare(typed) or typed.units == units:
        return  # not converted: the figure's checks name the value (or the range's end)
    as_typed = format_value(
        float(typed.magnitude), "" if is_bare(typed) else unit_text(typed.units)
    )
    where = f" (in {unit_text(units)})" if not is_bare(typed) and typed.units != units else ""
    raise ParameterError(
        f"{name}: {as_typed} is out of range{where}: it is {fault}", f"give {SIZES}"
    )


def meant_percent(given: Given) -> Given | None:
    """The value with each bare end read as a percentage ('89' as 89 %), or None if no end is
    bare: the reading offered when a bare number is out of range for a plain ratio."""
    ends = list(given) if isinstance(given, QuantityRange) else [given]
    if not any(is_bare(q) for q in ends):
        return None
    read = [Q_(float(q.magnitude), ureg.percent) if is_bare(q) else q for q in ends]
    return QuantityRange(read[0], read[1]) if len(read) == 2 else read[0]


def percent_hint(name: str, given: Given) -> str:
    """'vendor_share is a plain ratio: for 89 %, write vendor_share=89% (or 0.89)'."""
    ends = list(given) if isinstance(given, QuantityRange) else [given]
    pct = "..".join(format_value(float(q.magnitude), "") + "%" for q in ends)
    ratio = "..".join(format_value(float(q.magnitude) / 100, "") for q in ends)
    return f"{name} is a plain ratio: for {pct}, write {name}={pct} (or {name}={ratio})"


def parse_override(text: str) -> tuple[str, Given]:
    """'gpus_per_gw=400k gpu/GW' -> ('gpus_per_gw', Quantity); 'gpus_per_gw=330k..478k' ->
    ('gpus_per_gw', QuantityRange); NAME may be NAME.YEAR or CHIP.FIELD."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name or not value.strip():
        raise ParameterError(
            f"{text!r} is not NAME=QUANTITY", "for example: gpus_per_gw=400k gpu/GW"
        )
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)?", name, re.ASCII):
        raise ParameterError(
            f"{name!r} is not a parameter name",
            "write NAME, NAME.YEAR for one year (cowos_wafers_per_year.2027) or CHIP.FIELD for "
            "a chip's figure (GB300.it_power_per_package)",
        )
    if "=" in value:
        raise ParameterError(
            f"{text!r} has a second '=': NAME=QUANTITY takes one quantity",
            "for example: gpus_per_gw=400k gpu/GW",
        )
    return name, parse_value(value)
