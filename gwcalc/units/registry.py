"""The one unit registry (gwcalc.units.definitions), and parsing and formatting of quantities."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple, TypeAlias, cast

import pint
from pint.facets.plain import PlainQuantity, PlainUnit

from gwcalc.errors import QuantityError, UnitError
from gwcalc.units.definitions import build_registry
from gwcalc.units.grammar import UNIT_HINT, Factors, read_quantity, read_unit

ureg: pint.UnitRegistry[float] = build_registry()
# str(q) and f"{q}" use the short names ('36.5 GW_IT', 'gpu / GW_IT', not 'gigawatt_it'),
# which parse_quantity reads back except for powers ('GW_IT / yr ** 2'); format_quantity is
# the CLI's own text (6.75M, powers written out as 'GW_IT/yr/yr').
ureg.formatter.default_format = "~"
Q_ = ureg.Quantity
# For type hints: a quantity and a unit of ureg. At run time each is a ureg.Quantity or
# ureg.Unit, subclasses of pint's plain ones, which are what pint's own hints return
# (q.units, u ** 2, q.to_reduced_units()); gwcalc's magnitudes are floats.
Quantity: TypeAlias = "PlainQuantity[float]"
Unit: TypeAlias = PlainUnit

TIME = "[time]"


class Kind(NamedTuple):
    """One thing gwcalc counts, each its own pint dimension."""

    dimension: str  # pint's name, e.g. "[it_power]"
    display_unit: str  # the unit results are shown in
    label: str  # what a reader should call it


KINDS: dict[str, Kind] = {
    k.dimension: k
    for k in (
        Kind("[wafer]", "wafer", "CoWoS wafers"),
        Kind("[gpu_package]", "gpu", "GPU packages"),
        Kind("[die]", "die", "compute dies"),
        Kind("[it_power]", "GW", "IT power"),
        Kind("[facility_power]", "GW_facility", "facility power"),
        Kind("[hardware_money]", "USD", "hardware-only dollars"),
        Kind("[all_in_money]", "USD_all_in", "all-in dollars"),
        Kind("[contract_money]", "USD_contract", "contract dollars"),
        Kind("[equity_money]", "USD_equity", "investment dollars"),
        Kind("[revenue_money]", "USD_revenue", "revenue dollars"),
        Kind("[nominal_money]", "USD_nominal", "nominal dollars (kinds met)"),
    )
}

_SCALE_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_POWER = re.compile(r"([^*/]+)\*\*([0-9]+)")


def parse_quantity(text: str) -> Quantity:
    """Parse what a user would write ('6 GW', '$20B', '500k gpu/GW') into a Quantity.

    The text must fit gwcalc's grammar (gwcalc.units.grammar) before pint sees any of it; a bare
    number has no unit at all (ureg.dimensionless), '50%' is 50 percent."""
    parsed = read_quantity(text)
    if not math.isfinite(parsed.value):
        raise QuantityError(
            f"{text.strip()!r} is not a finite number", "write an ordinary number, e.g. '6 GW'"
        )
    if not parsed.factors:
        return Q_(parsed.value)
    return Q_(parsed.value, _units(parsed.factors, text, QuantityError))


def parse_unit(text: str) -> Unit:
    """Parse a unit ('gpu', 'GW/year', '$', '1/GW') into pint Units, by gwcalc's grammar."""
    factors = read_unit(text)
    if not factors:
        return ureg.dimensionless
    return _units(factors, text, UnitError)


def is_unit_name(name: str) -> bool:
    """Whether the registry knows a unit by this name as written ('GW', '$'; not 'gw')."""
    return _canonical(name) is not None


def unknown_unit(
    name: str, text: str, error: type[QuantityError | UnitError], chips: Sequence[str] = ()
) -> QuantityError | UnitError:
    """The error for a name that is no unit (nor one of the chips, which the hint lists)."""
    message = (
        f"cannot read {text.strip()!r}: unknown unit {name!r}"
        if error is QuantityError
        else f"unknown unit {name!r} in {text.strip()!r}"
    )
    return error(message, _unit_hint(name, chips))


def _units(factors: Factors, text: str, error: type[QuantityError | UnitError]) -> Unit:
    """The Units the factors name: every name must be one the registry knows."""
    for name, _, _ in factors:
        if _canonical(name) is None:
            raise unknown_unit(name, text, error)
    units = _product(tuple((name, exponent) for name, _, exponent in factors))
    if units is None:
        raise error(
            f"cannot read {text.strip()!r}: its units cancel out",
            "write a plain number without units, e.g. '0.5' or '50%'",
        )
    return units


@lru_cache(maxsize=512)
def _canonical(name: str) -> str | None:
    """The registry's name for a unit as written ('GW' -> 'gigawatt_it'), None if unknown."""
    found = ureg.parse_unit_name("USD" if name == "$" else name)
    if not found:
        return None
    prefix, unit, _ = found[0]
    return prefix + unit


@lru_cache(maxsize=1024)
def _product(factors: tuple[tuple[str, int], ...]) -> Unit | None:
    """The Units of known names with exponents; None if they cancel out (gpu/gpu)."""
    exponents: dict[str, int] = {}
    for name, exponent in factors:
        canonical = _canonical(name)
        assert canonical is not None  # checked by _units
        exponents[canonical] = exponents.get(canonical, 0) + exponent
    units = ureg.dimensionless
    for canonical, exponent in exponents.items():
        units = units * ureg.Unit(canonical) ** exponent
    return None if units == ureg.dimensionless else units


_COMMON_UNITS = [
    "wafer",
    "gpu",
    "die",
    "W",
    "kW",
    "MW",
    "GW",
    "TW",
    "W_facility",
    "MW_facility",
    "GW_facility",
    "Wh",
    "GWh",
    "TWh",
    "USD",
    "USD_all_in",
    "USD_contract",
    "USD_equity",
    "USD_revenue",
    "s",
    "min",
    "h",
    "day",
    "week",
    "month",
    "quarter",
    "year",
]


def _unit_hint(name: str, chips: Sequence[str] = ()) -> str:
    """UNIT_HINT, led by 'did you mean …?' when the name is close to one gwcalc knows, and by
    the chips that are units in this conversion (the set's catalogue), if any."""
    import difflib

    known = [*chips, *_COMMON_UNITS]
    by_case = [u for u in known if u.lower() == name.lower()]
    lowered = {u.lower(): u for u in reversed(known)}
    close = by_case or [
        lowered[c] for c in difflib.get_close_matches(name.lower(), list(lowered), n=2, cutoff=0.75)
    ]
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    if chips:
        hint += f"the set's chips are units too (any case): {', '.join(chips)}; "
    return hint + UNIT_HINT


@lru_cache(maxsize=1024)
def unit_text(units: Unit) -> str:
    """A unit as a short string that parse_unit reads back: 'gpu/GW_IT', 'wafer/yr'. Powers
    are written out, as gwcalc reads none: 'GW_IT/yr/yr', not 'GW_IT/yr**2'."""
    text = f"{units:~C}"
    if "**" in text:
        top, *bottom = text.split("/")
        parts = [_POWER.sub(lambda m: "*".join([m[1]] * int(m[2])), top)]
        parts += [_POWER.sub(lambda m: "/".join([m[1]] * int(m[2])), b) for b in bottom]
        text = "/".join(parts)
    return text or "dimensionless"


def dimensions(q_or_units: Quantity | Unit) -> dict[str, int]:
    """A quantity's or unit's dimensions as {'[gpu_package]': 1, '[it_power]': -1}."""
    dims = q_or_units.dimensionality
    # pint types an exponent as any number (complex too); gwcalc's are whole: it reads no root
    return {str(k): int(cast("float", v)) for k, v in dims.items() if v}


def describe_dimensions(dims: dict[str, int]) -> str:
    """'GPU packages per IT power' style text for error messages."""
    if not dims:
        return "a plain number"
    if dims == {TIME: -1}:
        return "per unit of time"

    def name(dim: str, exponent: int) -> str:
        label = KINDS[dim].label if dim in KINDS else dim.strip("[]")
        return label if abs(exponent) == 1 else f"({label})^{abs(exponent)}"

    # kinds first, in KINDS' order, then time and the rest: the same text however pint ordered
    # them (its cache keeps the order of whichever equal dimensions it met first)
    order = list(KINDS)
    ordered = sorted(dims.items(), key=lambda i: (order.index(i[0]) if i[0] in KINDS else 99, i[0]))
    top = [name(d, e) for d, e in ordered if e > 0]
    bottom = [name(d, e) for d, e in ordered if e < 0]
    text = " × ".join(top) or "1"
    if bottom:
        text += " per " + " per ".join(bottom)
    return text


def format_number(value: float, sig: int = 4) -> str:
    """A number for people, in a form gwcalc's grammar reads back as the number shown: 6.75M,
    13.5, 1T, 2.5e+20 (no suffix on a number written with an exponent: not 2.5e+08T)."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    rounded = _rounded(value, sig)  # the suffix is chosen after rounding: 1M, not 1000k
    for scale, suffix in _SCALE_SUFFIXES:
        if abs(rounded) >= scale:
            scaled = f"{rounded / scale:.{sig}g}"
            return f"{rounded:.{sig}g}" if "e" in scaled else scaled + suffix
    return f"{rounded:.{sig}g}"


def _rounded(value: float, sig: int) -> float:
    """The value to sig significant digits; toward zero where rounding away from it would pass
    the largest float (1.7976931e308 is 1.797e+308: 1.798e+308 would read back as inf)."""
    rounded = float(f"{value:.{sig - 1}e}")
    if math.isinf(rounded):
        from decimal import ROUND_DOWN, Context, Decimal

        rounded = float(Context(prec=sig, rounding=ROUND_DOWN).plus(Decimal(value)))
    return rounded


def format_points(points: float, decimals: int = 1, sign: bool = False) -> str:
    """A number of percent as tables show it, '27.0%' ('+22.1%' with sign); beyond a million
    percent as format_number writes it ('3.5M%', '2e+300%'): never hundreds of digits."""
    if abs(points) < 1e6:
        return f"{points:{'+' if sign else ''}.{decimals}f}%"
    return ("+" if sign and points > 0 else "") + format_number(points) + "%"


def format_percent(ratio: float, decimals: int = 1, sign: bool = False) -> str:
    """A ratio in percent, as tables show it: 0.27 is '27.0%' (see format_points)."""
    return format_points(ratio * 100, decimals, sign)


def format_quantity(q: Quantity, sig: int = 4) -> str:
    """A quantity for people, in a form parse_quantity reads back: '13.5 GW_IT/yr', '6.75M gpu',
    '2 /GW_IT' (a number is never followed by another: not '2 1/GW_IT')."""
    return format_value(float(q.magnitude), unit_text(q.units), sig)


def unit_label(units: Unit) -> str:
    """A unit as tables print it after a number: 'GW_IT', 'gpu/yr'."""
    return format_quantity(Q_(1.0, units)).split(" ", 1)[1]


def format_value(value: float, unit: str, sig: int = 4) -> str:
    """A magnitude and its unit text (from unit_text) as format_quantity shows them."""
    number = format_number(value, sig)
    if unit in ("dimensionless", ""):
        return number
    return f"{number} {unit[1:]}" if unit.startswith("1/") else f"{number} {unit}"
