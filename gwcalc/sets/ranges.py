"""Ranges of figures: checking them, and reading a range given for one run ('LOW..HIGH')."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from gwcalc.errors import ParameterError
from gwcalc.sets.specs import SPECS, ParamSpec
from gwcalc.units.floats import SIZES, float_fault
from gwcalc.units.grammar import range_scale_refusal
from gwcalc.units.registry import (
    Q_,
    Quantity,
    Unit,
    dimensions,
    parse_quantity,
    parse_unit,
    unit_text,
    ureg,
)

if TYPE_CHECKING:
    from gwcalc.sets.figures import Parameter


class RangeError(ParameterError):
    """A figure's range that makes no sense; `field` names the key at fault (low, high…)."""

    def __init__(self, message: str, hint: str | None = None, field: str = "low") -> None:
        super().__init__(message, hint)
        self.field = field


DISTRIBUTIONS = ("lognormal", "normal", "uniform", "triangular", "pert")
BOUNDED = ("uniform", "triangular", "pert")  # low and high are the bounds; value is the mode
DEFAULT_DISTRIBUTION = "lognormal"
DEFAULT_CREDIBILITY = 90.0  # percent: low and high are p5 and p95
# percent: the central interval low..high may cover 1% to 99.9% (the normal quantile of its end
# is then 0.0125 to 3.29: finite, and far from both 0, which divides, and 1, which has none)
CREDIBILITY_BOUNDS = (1.0, 99.9)


class Range(NamedTuple):
    """A figure's range: low and high in its own unit, read as a distribution (a named tuple,
    not a dataclass: cheaper to define, on the path of every command).

    lognormal and normal: low and high are the ends of the central `credibility`% interval
    (90: p5 and p95), and the figure's value is not used. uniform: low and high are the
    bounds. triangular and pert: low and high are the bounds and the value is the mode."""

    low: float
    high: float
    distribution: str = DEFAULT_DISTRIBUTION
    credibility: float = DEFAULT_CREDIBILITY  # percent, within CREDIBILITY_BOUNDS

    @property
    def width_zero(self) -> bool:
        return self.low == self.high

    def to_dict(self) -> dict[str, float | str]:
        """The fields a set file holds (defaults left out, so a file's hash stays canonical)."""
        out: dict[str, float | str] = {"low": self.low, "high": self.high}
        if self.distribution != DEFAULT_DISTRIBUTION:
            out["distribution"] = self.distribution
        if self.credibility != DEFAULT_CREDIBILITY:
            out["credibility"] = self.credibility
        return out

    def text(self) -> str:
        """'lognormal 90%' or 'pert': how the range is read, for people."""
        if self.distribution in BOUNDED:
            return f"{self.distribution} bounds"
        return f"{self.distribution} {self.credibility:g}%"


@lru_cache(maxsize=256)
def parse_unit_or_dimensionless(text: str) -> Unit:
    """A parameter's unit text as pint Units ('' and '1' are a plain ratio)."""
    if text.strip() in ("", "1", "dimensionless"):
        return ureg.dimensionless
    return parse_unit(text)


class QuantityRange(NamedTuple):
    """A range given for one run, 'LOW..HIGH': the ends as quantities (read as a lognormal 90%
    interval, p5 to p95)."""

    low: Quantity
    high: Quantity


# What an override gives a figure for one run: a quantity, or a range of them.
Given: TypeAlias = "Quantity | QuantityRange"


def spec_unit(spec: ParamSpec, quantity: Quantity) -> Unit:
    """The unit of the spec's that has the quantity's dimension (the first one if none does)."""
    got = dimensions(quantity)
    for u in spec.units:
        units = parse_unit_or_dimensionless(u)
        if dimensions(Q_(1.0, units)) == got:
            return units
    return parse_unit_or_dimensionless(spec.units[0])


def check_in_spec(spec: ParamSpec, magnitude: float) -> bool:
    low_ok = magnitude >= spec.minimum if spec.minimum_inclusive else magnitude > spec.minimum
    return low_ok and (spec.maximum is None or magnitude <= spec.maximum)


def spec_text(spec: ParamSpec, scale: float = 1.0, unit: str = "") -> str:
    """'> 0 and ≤ 1'; in a figure's own unit where it differs from the spec's (scale: one of
    the spec's unit in it), '> 0 % and ≤ 100 %'."""
    after = f" {unit}" if unit else ""
    low = f"{'≥' if spec.minimum_inclusive else '>'} {spec.minimum * scale:g}{after}"
    high = f" and ≤ {spec.maximum * scale:g}{after}" if spec.maximum is not None else ""
    return low + high


def out_of_spec(
    what: str, magnitude: float, spec: ParamSpec, spec_units: Unit, own_units: Unit
) -> str:
    """'value 8 is out of range: it must be > 0 and ≤ 1', said in the figure's own unit where
    it differs from the spec's ('value 800 % is out of range: it must be > 0 % and ≤ 100 %'),
    so that a figure is named as it was written."""
    if own_units == spec_units:
        return f"{what} {magnitude:g} is out of range: it must be {spec_text(spec)}"
    scale = float(Q_(1.0, spec_units).to(own_units).magnitude)
    own = unit_text(own_units)
    return (
        f"{what} {magnitude * scale:g} {own} is out of range: it must be "
        f"{spec_text(spec, scale, own)}"
    )


def check_credibility(name: str, r: Range) -> None:
    """A credibility within CREDIBILITY_BOUNDS: checked on loading, and again before sampling (a
    range built in Python is not loaded)."""
    low, high = CREDIBILITY_BOUNDS
    if not low <= r.credibility <= high:  # NaN fails too
        c = r.credibility
        shown = f"{c:g}" if float(f"{c:g}") == c else repr(c)  # 99.99999999999999, not 100
        raise RangeError(
            f"{name}: credibility {shown} is not a percentage from {low:g} to {high:g}",
            "write e.g. credibility = 90 (low and high are then p5 and p95); beyond those bounds "
            "the spread it implies is not well defined",
            "credibility",
        )


def _check_kind(name: str, r: Range) -> None:
    """A distribution gwcalc knows, and a credibility that applies to it."""
    if r.distribution not in DISTRIBUTIONS:
        raise RangeError(
            f"{name}: unknown distribution {r.distribution!r}",
            "write one of " + ", ".join(DISTRIBUTIONS),
            "distribution",
        )
    check_credibility(name, r)
    if r.distribution in BOUNDED and r.credibility != 90:
        raise RangeError(
            f"{name}: credibility applies to lognormal and normal ranges; a "
            f"{r.distribution} range's low and high are its bounds",
            "drop credibility",
            "credibility",
        )


def validate_range(param: Parameter) -> None:
    """Check a figure's range: finite ends, low ≤ value ≤ high, both ends in the figure's valid
    range, a distribution gwcalc knows, a credibility in CREDIBILITY_BOUNDS (interval kinds)."""
    r = param.range
    if r is None:
        if param.group is not None:
            raise RangeError(
                f"{param.name}: 'group' needs a range",
                "give low and high, or drop the group",
                "group",
            )
        return
    for label, end in (("low", r.low), ("high", r.high)):
        if not math.isfinite(end):
            raise RangeError(f"{param.name}: {label} {end} is not a finite number", field=label)
        fault = float_fault(end)
        if fault is not None:  # the one range test, as for a figure's value
            hint = f"give each end {SIZES}"
            raise RangeError(f"{param.name}: {label} {end!r} is {fault}", hint, label)
    _check_kind(param.name, r)
    if not r.low <= param.value <= r.high:
        field = "low" if r.low > param.value else "high"
        raise RangeError(
            f"{param.name}: the range {r.low:g}..{r.high:g} does not hold the value "
            f"{param.value:g} (low ≤ value ≤ high)",
            "low and high are in the figure's own unit, around its value",
            field,
        )
    if r.distribution == "lognormal" and r.low <= 0:
        raise RangeError(
            f"{param.name}: a lognormal range needs low > 0 (low is {r.low:g})",
            'in a set\'s file, distribution = "normal" or "uniform" allows a range reaching zero',
        )
    spec = SPECS.get(param.name)
    if spec is None:  # a figure gwcalc does not know: positive, as its value must be
        if r.low <= 0:
            raise RangeError(f"{param.name}: low {r.low:g} must be greater than zero")
        return
    for label, end in (("low", r.low), ("high", r.high)):
        units = spec_unit(spec, param.quantity)
        magnitude = Q_(end, param.quantity.units).to(units).magnitude
        if not check_in_spec(spec, magnitude):
            said = out_of_spec(label, magnitude, spec, units, param.quantity.units)
            raise RangeError(f"{param.name}: {said}", spec.meaning, label)


def parse_value(text: str) -> Given:
    """A quantity ('400k gpu/GW'), or a range 'LOW..HIGH' ('330k..478k', '330 gpu/MW..478 gpu/MW')
    whose ends are read one by one, each as it would be alone: a bare number is in the figure's
    own unit (not the other end's), so the ends are compared once both are in that unit
    (gwcalc.overrides)."""
    if ".." not in text:
        single: Quantity = parse_quantity(text)
        return single
    low_text, _, high_text = text.partition("..")
    if not low_text.strip() or not high_text.strip():
        raise ParameterError(
            f"{text.strip()!r} is not a range LOW..HIGH",
            "for example: 330k..478k gpu/GW (p5 and p95, read as a lognormal)",
        )
    refusal = range_scale_refusal(low_text, high_text)
    if refusal is not None:
        raise refusal
    return QuantityRange(parse_quantity(low_text), parse_quantity(high_text))
