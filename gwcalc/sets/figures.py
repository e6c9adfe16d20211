"""A set's figures in memory: a source, a value by year, a parameter and the checks of its
value and unit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from gwcalc.errors import (
    ParameterError,
)
from gwcalc.sets.ranges import (
    Range,
    check_in_spec,
    out_of_spec,
    spec_unit,
    validate_range,
)
from gwcalc.sets.ranges import parse_unit_or_dimensionless as parse_unit_or_dimensionless
from gwcalc.sets.specs import SPECS
from gwcalc.units.floats import BEYOND, SIZES, float_fault
from gwcalc.units.registry import (
    Q_,
    Quantity,
    describe_dimensions,
    dimensions,
    unit_text,
)

if TYPE_CHECKING:
    pass

OVERRIDE_SOURCE = "override for this run"


@dataclass(frozen=True)
class Source:
    """Where a figure comes from."""

    title: str
    url: str | None = None
    date: str | None = None  # ISO date, or a year-month such as "2025-10"
    publisher: str | None = None  # the outlet or publisher, e.g. "Reuters", "Epoch AI"

    def to_dict(self) -> dict[str, str]:
        out = {"title": self.title}
        if self.publisher:
            out["publisher"] = self.publisher
        if self.url:
            out["url"] = self.url
        if self.date:
            out["date"] = self.date
        return out

    def cite(self) -> str:
        parts = [f"{self.publisher}: {self.title}" if self.publisher else self.title]
        if self.date:
            parts.append(self.date)
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)


@dataclass(frozen=True)
class YearValue:
    """One year's value of a parameter that changes over time (format 2)."""

    year: int
    value: float
    source: Source | None = None  # None: the parameter's own source
    note: str | None = None
    implied: bool = False
    range: Range | None = None  # the year's own range (None: the parameter's, scaled)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value}
        if self.range is not None:
            out.update(self.range.to_dict())
        if self.implied:
            out["implied"] = True
        if self.note:
            out["note"] = self.note
        if self.source is not None:
            out["source"] = self.source.to_dict()
        return out


@dataclass(frozen=True)
class Parameter:
    """One figure: a value with its unit, a source and an optional note."""

    name: str
    value: float
    unit: str
    source: Source
    note: str | None = None
    implied: bool = False  # no source states the figure: the note gives the reasoning
    by_year: tuple[YearValue, ...] = ()  # values by year (format 2); `value` is the one-year view
    range: Range | None = None  # low and high in the figure's unit, read as a distribution
    group: str | None = None  # figures of one group are sampled from one shared draw

    @cached_property
    def quantity(self) -> Quantity:
        return Q_(self.value, parse_unit_or_dimensionless(self.unit))

    def valid_bounds(self) -> tuple[float, float]:
        """The lowest and highest value the figure may take, in its own unit (a figure gwcalc
        does not know by name: from 0, unbounded above)."""
        spec = SPECS.get(self.name)
        if spec is None:
            return 0.0, math.inf
        per_spec_unit = float(
            Q_(1.0, spec_unit(spec, self.quantity)).to(self.quantity.units).magnitude
        )
        top = spec.maximum * per_spec_unit if spec.maximum is not None else math.inf
        return spec.minimum * per_spec_unit, top

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "unit": self.unit}
        if self.range is not None:  # absent fields stay absent: a set's hash does not change
            out.update(self.range.to_dict())
        if self.group is not None:
            out["group"] = self.group
        if self.implied:
            out["implied"] = True
        if self.note:
            out["note"] = self.note
        out["source"] = self.source.to_dict()
        if self.by_year:
            out["by_year"] = {str(y.year): y.to_dict() for y in self.by_year}
        return out

    def at(self, year: int) -> Parameter:
        """The parameter as it stands in a year: its value of that year, if it has one, with
        the year's own range, or else the parameter's range scaled to the year's value (the
        same relative spread, kept within the figure's valid range)."""
        found = next((y for y in self.by_year if y.year == year), None)
        if found is None:
            return self
        span = found.range if found.range is not None else self.scaled_range(found.value)
        return Parameter(
            self.name,
            found.value,
            self.unit,
            found.source or self.source,
            found.note or self.note,
            found.implied,
            range=span,
            group=self.group if span is not None else None,
        )

    def scaled_range(self, value: float) -> Range | None:
        """The parameter's range moved to another value by the ratio value / self.value."""
        r = self.range
        if r is None or self.value == 0 or value == self.value:
            return r
        ratio = value / self.value
        bottom, top = self.valid_bounds()
        low, high = max(r.low * ratio, bottom), min(r.high * ratio, top)
        low, high = min(low, value), max(high, value)
        return r._replace(low=low, high=high)


FIGURE_RANGE_HINT = f"write a figure {SIZES}"


def validate_parameter(param: Parameter) -> None:
    """Check a parameter's value is finite and in range, and its unit fits its name."""

    def fail(message: str, hint: str | None = None) -> None:
        raise ParameterError(f"{param.name}: {message}", hint)

    if not math.isfinite(param.value):
        fail(f"value {param.value} is not a finite number")
    fault = float_fault(param.value)
    if fault is not None:  # the one range test: gwcalc could neither compute with it nor show it
        said = f"out of range: it is {fault}" if fault == BEYOND else fault
        fail(f"value {param.value!r} is {said}", FIGURE_RANGE_HINT)
    spec = SPECS.get(param.name)
    if spec is None:
        if param.value <= 0:
            fail(
                f"value {param.value:g} must be greater than zero",
                "a figure gwcalc does not know by name is a rate or an amount: give it a "
                "positive value",
            )
        validate_range(param)
        return
    got = dimensions(param.quantity)
    wanted = [dimensions(Q_(1.0, parse_unit_or_dimensionless(u))) for u in spec.units]
    if got not in wanted:
        fail(
            f"unit {param.unit!r} is {describe_dimensions(got)}, but {param.name} must be "
            + " or ".join(
                f"{describe_dimensions(w)} (e.g. {unit_text(parse_unit_or_dimensionless(u))})"
                for w, u in zip(wanted, spec.units, strict=True)
            ),
            f"{param.name} is the {spec.meaning}",
        )
    spec_unit = parse_unit_or_dimensionless(spec.units[wanted.index(got)])
    magnitude = param.quantity.to(spec_unit).magnitude
    if not check_in_spec(spec, magnitude):
        fail(out_of_spec("value", magnitude, spec, spec_unit, param.quantity.units), spec.meaning)
    validate_range(param)
