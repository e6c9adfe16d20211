"""The public Python API for notebooks and scripts: load sets, convert, gap and diff."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gwcalc.assumptions import AssumptionSet, resolve_set
from gwcalc.assumptions import load_set as _load_file
from gwcalc.engine import DEFAULT_GAP_UNIT, Gap, Plan, compile_gap, compile_outputs, compute_gap
from gwcalc.model import Conversion, related_units
from gwcalc.model import convert as _convert
from gwcalc.report import (
    chain_text,
    convert_document,
    diff_document,
    gap_document,
    output_text,
)
from gwcalc.units import Quantity, format_quantity, parse_quantity, parse_unit

if TYPE_CHECKING:
    from gwcalc.diff import SetDiff
    from gwcalc.stream import StreamConverter

__all__ = [
    "AssumptionSet",
    "ConvertResult",
    "DiffResult",
    "GapResult",
    "Plan",
    "compile_gap",
    "compile_outputs",
    "convert",
    "converter",
    "diff",
    "gap",
    "load_set",
]

Overrides = Mapping[str, "Quantity | str"] | Iterable[tuple[str, "Quantity | str"]]


def _quantity(value: Quantity | str) -> Quantity:
    return parse_quantity(value) if isinstance(value, str) else value


# Each function returns a plain result object: str() shows it as the CLI would, .to_dict() is
# the document the matching command prints with --json, key for key. Quantities are pint
# Quantities of gwcalc's one registry (gwcalc.units.ureg); errors raise GwcalcError subclasses.


def load_set(
    name_or_path: str | Path,
    overrides: Overrides | None = None,
    assumptions_dir: str | Path | None = None,
) -> AssumptionSet:
    """A set by name ('seed-2025', searched as the CLI searches) or path to a .toml file,
    with some parameters overridden: {'gpus_per_gw': '400k gpu/GW'} or [(name, Quantity)]."""
    user_dir = Path(assumptions_dir) if assumptions_dir is not None else None
    if isinstance(name_or_path, Path):
        aset = _load_file(name_or_path.expanduser())
    else:
        aset = resolve_set(name_or_path, user_dir)
    if not overrides:
        return aset
    pairs = overrides.items() if isinstance(overrides, Mapping) else overrides
    return aset.with_overrides((name, _quantity(q)) for name, q in pairs)


def _set(aset: AssumptionSet | str | None) -> AssumptionSet:
    if isinstance(aset, AssumptionSet):
        return aset
    return resolve_set(aset)


@dataclass(frozen=True)
class ConvertResult:
    """A quantity converted into one or more units through a set's rates."""

    aset: AssumptionSet
    input: Quantity
    conversions: tuple[Conversion, ...]

    @property
    def results(self) -> tuple[Quantity, ...]:
        return tuple(c.result for c in self.conversions)

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc convert --json`."""
        return convert_document(self.aset, self.input, list(self.conversions))

    def __str__(self) -> str:
        return "\n".join(
            chain_text(self.input, c.steps, self.aset, c.result) for c in self.conversions
        )

    def __repr__(self) -> str:
        results = ", ".join(format_quantity(q) for q in self.results)
        return f"<ConvertResult {format_quantity(self.input)} -> {results} ({self.aset.label})>"


def convert(
    quantity: Quantity | str,
    to: str | Any | Sequence[str | Any] | None = None,
    aset: AssumptionSet | str | None = None,
) -> ConvertResult:
    """Convert a quantity ('6 GW' or a Quantity) into a unit or a list of units (default:
    every unit the set's rates reach) through a set (default: the default set)."""
    chosen = _set(aset)
    q = _quantity(quantity)
    if to is None:
        units = related_units(q, chosen)
    else:
        targets = [to] if isinstance(to, str) or not isinstance(to, Sequence) else list(to)
        units = [parse_unit(t) if isinstance(t, str) else t for t in targets]
    return ConvertResult(chosen, q, tuple(_convert(q, u, chosen) for u in units))


def converter(
    to: str | Sequence[str] | None = None, aset: AssumptionSet | str | None = None
) -> StreamConverter:
    """Many quantities into the same units (default: every unit the set's rates reach) through
    one set: .convert('6 GW') gives each result as floats, equal to convert()'s to the last bit,
    planning each input unit once (`gwcalc convert -` runs on it); .result(text) is convert()."""
    from gwcalc.stream import StreamConverter

    targets = [to] if isinstance(to, str) else list(to or [])
    return StreamConverter(_set(aset), targets)


@dataclass(frozen=True)
class GapResult:
    """A year of supply against contracted demand: result["gap"] is a Quantity."""

    gap: Gap

    @property
    def aset(self) -> AssumptionSet:
        return self.gap.plan.aset

    @property
    def plan(self) -> Plan:
        """The compiled evaluator behind the result (for many evaluations)."""
        return self.gap.plan

    def __getitem__(self, name: str) -> Quantity:
        return self.gap[name]

    @property
    def outputs(self) -> dict[str, Quantity]:
        return {o.name: o.quantity for o in self.gap.shown}

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc gap --json`."""
        return gap_document(self.gap)

    def __str__(self) -> str:
        lines = [f"Supply vs contracted demand — {self.aset.label}"]
        width = max(len(o.output.label) for o in self.gap.shown)
        lines += [f"  {o.output.label:<{width}}  {output_text(o)}" for o in self.gap.shown]
        return "\n".join(lines)

    def __repr__(self) -> str:
        values = ", ".join(f"{o.name}={output_text(o)}" for o in self.gap.shown)
        return f"<GapResult {self.aset.label}: {values}>"


def gap(
    aset: AssumptionSet | str | None = None,
    unit: str = DEFAULT_GAP_UNIT,
    demand: Quantity | str | None = None,
) -> GapResult:
    """A year of supply against demand (the set's contracted_spend, or `demand`) in `unit`."""
    given = _quantity(demand) if demand is not None else None
    return GapResult(compute_gap(_set(aset), unit, given))


@dataclass(frozen=True)
class DiffResult:
    """Two sets compared: changed parameters, changed outputs, and what moved each."""

    result: SetDiff

    @property
    def differs(self) -> bool:
        return self.result.differs

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc diff --json`."""
        return diff_document(self.result)

    def __str__(self) -> str:
        r = self.result
        lines = [f"{r.before.label} -> {r.after.label}"]
        for o in r.output_changes:
            pct = "" if o.change_pct is None else f" ({o.change_pct:+.1f}%)"
            lines.append(
                f"  {o.name}: {format_quantity(o.before)} -> {format_quantity(o.after)}{pct}"
            )
            lines += [f"    {s.label}: {format_quantity(s.delta, 3)}" for s in o.attribution]
        return "\n".join(lines)

    def __repr__(self) -> str:
        r = self.result
        return f"<DiffResult {r.before.label} -> {r.after.label}, differs={r.differs}>"


def diff(
    a: AssumptionSet | str,
    b: AssumptionSet | str,
    unit: str = DEFAULT_GAP_UNIT,
    conversions: Iterable[tuple[Quantity | str, str | Any]] = (),
) -> DiffResult:
    """Compare set a (before) with set b (after) on the gap's outputs and any conversions
    [(quantity, unit)]; each output's change is split among the parameters that moved it."""
    from gwcalc.diff import diff_sets  # imported only when diffing: gap and convert skip it

    pairs = [(_quantity(q), parse_unit(u) if isinstance(u, str) else u) for q, u in conversions]
    return DiffResult(diff_sets(_set(a), _set(b), unit, pairs))
