"""The one unit registry (from gwcalc/units.txt), and parsing and formatting of quantities."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import pint

from gwcalc.errors import QuantityError, UnitError

ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(
    str(Path(__file__).with_name("units.txt")),
    cache_folder=None,
    autoconvert_offset_to_baseunit=False,
)
Q_ = ureg.Quantity
Quantity: TypeAlias = "pint.Quantity[Any]"  # for type hints: pint's generics are loose

TIME = "[time]"


@dataclass(frozen=True)
class Kind:
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
    )
}

MAX_INPUT_CHARS = 200
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
# A scale word right after a number: 500k, 3.2M, 20B, 1.4T, 20bn. "6 MW" is a prefix, not a
# scale: the letter must not be followed by another letter.
_SCALED = re.compile(rf"(?<![\w.])({_NUMBER})\s*(k|K|M|B|bn|T|tn)(?![A-Za-z_])")
_SCALES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "bn": 1e9, "T": 1e12, "tn": 1e12}
_NUMBER_TOKEN = re.compile(rf"(?<![A-Za-z_]){_NUMBER}")
_DOLLAR = re.compile(rf"\$\s*({_NUMBER})")
_SCALE_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))

UNIT_HINT = (
    "known units: wafer; gpu (a package); die; W, kW, MW, GW, TW (IT power); W_facility, "
    "MW_facility, GW_facility (facility power); Wh, GWh, TWh; USD or $ (hardware-only dollars); "
    "USD_all_in (all-in dollars); s, h, day, week, month, quarter, year; %. "
    "Numbers may carry k, M, B (billion) or T (trillion): '500k gpu/GW', '$20B'"
)


def _expand_scales(text: str) -> str:
    text = _SCALED.sub(lambda m: repr(float(m.group(1)) * _SCALES[m.group(2)]), text)
    return _DOLLAR.sub(lambda m: f"{m.group(1)} USD ", text)


def _check_text(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise QuantityError(f"empty {what}", "write a number with a unit, e.g. '6 GW'")
    if len(text) > MAX_INPUT_CHARS:
        raise QuantityError(f"{what} is longer than {MAX_INPUT_CHARS} characters")
    if "**" in text or "^" in text:
        raise QuantityError(
            f"{what} {text!r} uses a power ('**' or '^'), which gwcalc does not accept",
            "write units as products and ratios, e.g. 'gpu/GW'",
        )
    return text


def parse_quantity(text: str) -> Any:
    """Parse what a user would write ('6 GW', '$20B', '500k gpu/GW') into a Quantity."""
    text = _check_text(text, "quantity")
    if "$" in text and not _DOLLAR.search(text):
        raise QuantityError(f"cannot read {text!r}: '$' must come before a number, as in '$20B'")
    expanded = _expand_scales(text)
    numbers = list(_NUMBER_TOKEN.finditer(expanded))
    for first, second in itertools.pairwise(numbers):
        per_unit = second.group() == "1" and expanded[second.end() :].startswith("/")  # 1/GW
        if not expanded[first.end() : second.start()].strip() and not per_unit:
            raise QuantityError(
                f"cannot read {text!r}: two numbers side by side",
                "write one number (no thousands separators), e.g. '1000 GW' or '1k GW'",
            )
    try:
        q = ureg.parse_expression(expanded)
    except pint.UndefinedUnitError as exc:
        name = _undefined_name(exc)
        raise QuantityError(
            f"cannot read {text!r}: unknown unit {name!r}", _unit_hint(name)
        ) from exc
    except pint.DimensionalityError as exc:
        raise QuantityError(f"cannot read {text!r}: it adds quantities of different units") from exc
    except Exception as exc:  # pint's tokenizer raises many types on arbitrary text
        raise QuantityError(
            f"cannot read {text!r} as a quantity", "write a number and a unit, e.g. '6 GW'"
        ) from exc
    if not isinstance(q, pint.Quantity):  # a bare number parses to int or float
        q = Q_(q)
    magnitude = q.magnitude
    if not isinstance(magnitude, int | float) or isinstance(magnitude, bool):
        raise QuantityError(f"cannot read {text!r} as a single number with a unit")
    if not math.isfinite(magnitude):
        raise QuantityError(
            f"{text!r} is not a finite number", "write an ordinary number, e.g. '6 GW'"
        )
    return Q_(float(magnitude), q.units)


def parse_unit(text: str) -> Any:
    """Parse a unit ('gpu', 'GW/year', '$') into pint Units."""
    text = _check_text(text, "unit")
    expanded = re.sub(r"\$", " USD ", text).strip()
    try:
        units = ureg.parse_units(expanded)
    except pint.UndefinedUnitError as exc:
        name = _undefined_name(exc)
        raise UnitError(f"unknown unit {name!r} in {text!r}", _unit_hint(name)) from exc
    except Exception as exc:
        raise UnitError(f"cannot read {text!r} as a unit", UNIT_HINT) from exc
    return units


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
    "s",
    "min",
    "h",
    "day",
    "week",
    "month",
    "quarter",
    "year",
]


def _unit_hint(name: str) -> str:
    """UNIT_HINT, led by 'did you mean …?' when the name is close to one gwcalc knows."""
    import difflib

    by_case = [u for u in _COMMON_UNITS if u.lower() == name.lower()]
    close = by_case or difflib.get_close_matches(name, _COMMON_UNITS, n=2, cutoff=0.75)
    if close:
        return f"did you mean {' or '.join(close)}? " + UNIT_HINT
    return UNIT_HINT


def _undefined_name(exc: pint.UndefinedUnitError) -> str:
    names = exc.unit_names
    if isinstance(names, tuple | list):
        return ", ".join(str(n) for n in names)
    return str(names)


def unit_text(units: Any) -> str:
    """A unit as a short string that parse_unit reads back: 'gpu/GW_IT', 'wafer/yr'."""
    text = f"{units:~C}"
    return text or "dimensionless"


def dimensions(q_or_units: Any) -> dict[str, int]:
    """A quantity's or unit's dimensions as {'[gpu_package]': 1, '[it_power]': -1}."""
    dims = q_or_units.dimensionality
    return {str(k): int(v) for k, v in dims.items() if v}


def describe_dimensions(dims: dict[str, int]) -> str:
    """'GPU packages per IT power' style text for error messages."""
    if not dims:
        return "a plain number"
    if dims == {TIME: -1}:
        return "per unit of time"

    def name(dim: str, exponent: int) -> str:
        label = KINDS[dim].label if dim in KINDS else dim.strip("[]")
        return label if abs(exponent) == 1 else f"({label})^{abs(exponent)}"

    top = [name(d, e) for d, e in dims.items() if e > 0]
    bottom = [name(d, e) for d, e in dims.items() if e < 0]
    text = " × ".join(top) or "1"
    if bottom:
        text += " per " + " per ".join(bottom)
    return text


def format_number(value: float, sig: int = 4) -> str:
    """A number for people, in a form parse_quantity reads back: 6.75M, 13.5, 1T."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    for scale, suffix in _SCALE_SUFFIXES:
        if abs(value) >= scale:
            return f"{value / scale:.{sig}g}{suffix}"
    return f"{value:.{sig}g}"


def format_quantity(q: Any, sig: int = 4) -> str:
    """A quantity for people: '13.5 GW_IT/yr', '6.75M gpu'."""
    unit = unit_text(q.units)
    number = format_number(float(q.magnitude), sig)
    return number if unit == "dimensionless" else f"{number} {unit}"
