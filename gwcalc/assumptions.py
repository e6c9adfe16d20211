"""Assumption sets in memory: sources, parameters, validation of values, overrides, hashing."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwcalc.errors import (
    ParameterError,
)
from gwcalc.ranges import (
    Range,
    check_in_spec,
    parse_value,
    spec_text,
    spec_unit,
    validate_range,
)
from gwcalc.ranges import parse_unit_or_dimensionless as parse_unit_or_dimensionless
from gwcalc.schema import SPECS
from gwcalc.units import (
    Q_,
    Quantity,
    describe_dimensions,
    dimensions,
    unit_text,
)

if TYPE_CHECKING:
    from gwcalc.distributions import Distribution
    from gwcalc.timeline_data import Timeline

FORMAT = 1  # the oldest format, still read: no time axis
FORMATS = (1, 2)  # format 2 adds values by year, chips, the mix and deals (timeline_data)
DEFAULT_SET = "seed-2025"
ENV_DIR = "GWCALC_ASSUMPTIONS_DIR"
ENV_DEFAULT = "GWCALC_DEFAULT_SET"
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

    def distribution(self) -> Distribution | None:
        """The range as a distribution, truncated to the figure's valid range (None without)."""
        if self.range is None:
            return None
        from gwcalc.distributions import Distribution  # only sampling needs it

        return Distribution(self.range, self.value, *self.valid_bounds())

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


@dataclass(frozen=True)
class AssumptionSet:
    """A versioned, sourced set of parameters, as read from one TOML file."""

    id: str
    version: int
    date: str
    title: str
    parameters: Mapping[str, Parameter]
    description: str = ""
    extends: str | None = None
    changes: tuple[str, ...] = ()  # recorded in the file by `assumptions new`
    path: Path | None = field(default=None, compare=False)
    overrides: tuple[str, ...] = ()  # figures replaced for this run by --set
    # what each override did, in words ('every year set to 1.5M wafer/yr; was 675k–2.04M')
    override_effects: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    caveats: tuple[str, ...] = ()  # what is known to be wrong with the set, shown with results
    format: int = FORMAT
    timeline: Timeline | None = None  # format 2: years, chips, mix and deals

    def __contains__(self, name: object) -> bool:
        return name in self.parameters

    def quantity(self, name: str) -> Quantity:
        try:
            return self.parameters[name].quantity
        except KeyError:
            raise ParameterError(
                f"assumption set {self.id!r} has no parameter {name!r}",
                f"add it to the set's file, or override it for this run ({name}=QUANTITY)",
            ) from None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": self.format,
            "id": self.id,
            "version": self.version,
            "date": self.date,
            "title": self.title,
        }
        if self.description:
            out["description"] = self.description
        if self.extends:
            out["extends"] = self.extends
        if self.changes:
            out["changes"] = list(self.changes)
        if self.caveats:
            out["caveats"] = list(self.caveats)
        out["parameters"] = {n: p.to_dict() for n, p in self.parameters.items()}
        if self.timeline is not None:
            out.update(self.timeline.to_dict())
        return out

    def to_toml(self) -> str:
        import tomli_w

        data = self.to_dict()
        # Multi-line strings read better, but TOML folds CR LF inside them into LF.
        exact = "\\r" not in repr(data)  # repr shows a CR as backslash-r
        return tomli_w.dumps(data, multiline_strings=exact)

    @cached_property
    def sha256(self) -> str:
        """Hash of the set's canonical TOML (parameters sorted by name), so that overrides
        change it and formatting or the order of tables in the file do not."""
        import tomli_w

        data = self.to_dict()
        data["parameters"] = dict(sorted(data["parameters"].items()))
        return hashlib.sha256(tomli_w.dumps(data).encode()).hexdigest()

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"

    def with_overrides(self, overrides: Iterable[tuple[str, Any]]) -> AssumptionSet:
        """A copy with some figures replaced for this run: NAME (a parameter, or one added
        that gwcalc knows by name), NAME.YEAR (one year of a figure given by year) or
        CHIP.FIELD (a chip's figure); override_effects says what each did (gwcalc.overrides)."""
        from gwcalc.overrides import apply_overrides

        return apply_overrides(self, overrides)


def validate_parameter(param: Parameter) -> None:
    """Check a parameter's value is finite and in range, and its unit fits its name."""

    def fail(message: str, hint: str | None = None) -> None:
        raise ParameterError(f"{param.name}: {message}", hint)

    if not math.isfinite(param.value):
        fail(f"value {param.value} is not a finite number")
    spec = SPECS.get(param.name)
    if spec is None:
        if param.value <= 0:
            fail(f"value {param.value:g} must be greater than zero")
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
        fail(f"value {magnitude:g} is out of range: it must be {spec_text(spec)}", spec.meaning)
    validate_range(param)


def parse_override(text: str) -> tuple[str, Any]:
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
