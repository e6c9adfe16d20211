"""Two sets' per-GW economics compared: each output before and after, and which input moved it.

Attribution method (exact, stated in the output): the economics outputs are not products of the
figures (margin = revenue − cost, payback = capex ÷ (revenue − opex)), so LMDI does not apply;
each output's change is split by Shapley values over the model's inputs that changed: an input's
part is its marginal effect averaged over every order in which the changes could be made, from
the model evaluated on each mix of A's and B's figures (2^k evaluations for k changed inputs,
k ≤ 11: every coalition, exact). The parts add up to the change. Where a mix would put hardware
above the all-in capex (not a GW the model reads), the two capex figures move together as one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gwcalc.econ.inputs import per_gw_inputs
from gwcalc.econ.model import PER_GW_OUTPUTS, EconOutput, per_gw
from gwcalc.econ.outputs_graph import INPUT_NAMES, missing_inputs
from gwcalc.report.documents import attribution_item
from gwcalc.report.econ_rows import value_json, value_text
from gwcalc.timelines.shapley import shapley

if TYPE_CHECKING:
    from gwcalc.analysis.econ_diff_years import EconYearsDiff
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.econ_diff import EconDiffUncertainty

METHOD = (
    "Shapley values over the changed inputs of the per-GW model, exact (the model at every mix "
    "of A's and B's figures), as its outputs are not products of the figures; the parts add "
    "up to the change"
)
REL_TOL = 1e-12
CAPEX = ("all_in_cost_per_gw", "hardware_cost_per_gw")

Player = tuple[str, ...]  # the inputs that change together (one, or the two capex figures)


@dataclass(frozen=True)
class EconPart:
    """How much of an output's change one input (or inputs moving together) explains."""

    inputs: Player
    delta: float  # in the output's unit
    share: float | None  # of the change (None when the change is zero)

    @property
    def label(self) -> str:
        return " + ".join(self.inputs)


@dataclass(frozen=True)
class EconOutputChange:
    """One economics output in A and in B, and the parts of its change."""

    output: EconOutput
    before: float
    after: float
    parts: tuple[EconPart, ...]
    unsplit: str | None = None  # why the change is not split (an infinite payback)

    @property
    def delta(self) -> float:
        """B − A (NaN when both are the same infinity: never in both)."""
        return self.after - self.before

    @property
    def change_pct(self) -> float | None:
        if not math.isfinite(self.before) or not math.isfinite(self.after) or self.before == 0:
            return None
        return (self.after / self.before - 1) * 100


@dataclass(frozen=True)
class EconDiff:
    """The economics of A and B per GW (compared when both have the model's figures; else a
    note saying which set lacks them)."""

    compared: bool
    note: str | None = None
    changed: tuple[Player, ...] = ()  # the inputs that differ, as the attribution's players
    outputs: tuple[EconOutputChange, ...] = field(default=())
    method: str = METHOD
    years: EconYearsDiff | None = None  # the revenue gap by year (None: not compared at all)
    samples: EconDiffUncertainty | None = None  # with diff --samples: A, B and B − A

    @property
    def differs(self) -> bool:
        """Whether an input of the per-GW model differs (else every output is the same)."""
        return bool(self.changed)

    def lines(self) -> list[str]:
        """As str() of a diff shows it: each output A -> B, and its parts."""
        if not self.compared:
            return [f"  {self.note}"]
        lines = ["  economics per GW of IT power:"]
        for o in self.outputs:
            text = o.output
            lines.append(
                f"  {text.name}: {value_text(text, o.before)} -> {value_text(text, o.after)}"
            )
            lines += [f"    {p.label}: {value_text(text, p.delta)}" for p in o.parts]
        return lines

    def to_dict(self) -> dict[str, Any]:
        """diff --json's "economics" object."""
        if not self.compared:
            return {"compared": False, "note": self.note}
        doc = {
            "compared": True,
            "differs": self.differs,
            "basis": "per GW of IT power, one year at steady state (each figure's own value)",
            "method": "shapley",
            "method_text": self.method,
            "changed_inputs": [list(p) for p in self.changed],
            "outputs": {o.output.name: output_json(o) for o in self.outputs},
            "by_year": self.years.to_dict() if self.years is not None else None,
        }
        if self.samples is not None:
            from gwcalc.report.diff_samples import econ_samples_json

            doc["uncertainty"] = econ_samples_json(self.samples)
        return doc


def _kind(inputs: Player) -> str:
    """'demand' for the timeline's demand (the revenue gap by year), else 'parameter'."""
    return "demand" if inputs == ("demand",) else "parameter"


def output_json(o: EconOutputChange) -> dict[str, Any]:
    out = o.output
    doc: dict[str, Any] = {
        "label": out.label,
        "before": value_json(out, o.before),
        "after": value_json(out, o.after),
        "delta": value_json(out, o.delta),
        "change_pct": o.change_pct,
        "attribution": [
            attribution_item(p.inputs, _kind(p.inputs), value_json(out, p.delta), p.share)
            for p in o.parts
        ],
    }
    if o.unsplit:
        doc["not_split"] = o.unsplit
    return doc


def players_of(a: dict[str, float], b: dict[str, float]) -> tuple[Player, ...]:
    """The inputs that differ; the two capex figures as one when a mix of them would put
    hardware above all-in."""
    changed = [n for n in INPUT_NAMES if not _same(a[n], b[n])]
    all_in, hardware = CAPEX
    mixed_badly = b[hardware] > a[all_in] or a[hardware] > b[all_in]
    if all_in in changed and hardware in changed and mixed_badly:
        rest = [(n,) for n in changed if n not in CAPEX]
        return ((all_in, hardware), *rest)
    return tuple((n,) for n in changed)


def _same(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=REL_TOL, abs_tol=0.0)


def _settled(parts: dict[Player, float], total: float) -> dict[Player, float]:
    """The parts, with the rounding left between their sum and the total given to the largest
    part that can take it, so that they add up (as math.fsum adds) to the change exactly."""
    settled = dict(parts)
    for player in sorted(settled, key=lambda p: -abs(settled[p])):
        for _ in range(4):
            residual = total - math.fsum(settled.values())
            if residual == 0.0:
                return settled
            settled[player] += residual
        for _ in range(8):  # a residual that overshoots: a step of one unit in the last place
            residual = total - math.fsum(settled.values())
            if residual == 0.0:
                return settled
            settled[player] = math.nextafter(settled[player], math.copysign(math.inf, residual))
    return settled


def split_change(
    out: EconOutput, players: tuple[Player, ...], value: Callable[[frozenset[Player]], float]
) -> EconOutputChange:
    """One output's change, split by Shapley values (not split where a mix is infinite)."""
    before, after = value(frozenset()), value(frozenset(players))
    total = after - before if math.isfinite(before) and math.isfinite(after) else math.nan
    if math.isnan(total) or abs(total) <= REL_TOL * abs(before) or not players:
        unsplit = None
        if math.isnan(total) and before != after:
            unsplit = "not split: infinite in A or B (never pays back)"
        return EconOutputChange(out, before, after, (), unsplit)
    parts, _exact = shapley(players, value)
    if not all(math.isfinite(v) for v in parts.values()):
        why = "not split: infinite (never pays back) for a mix of A's and B's figures"
        return EconOutputChange(out, before, after, (), why)
    settled = _settled(parts, total)
    shown = [EconPart(p, v, v / total) for p, v in settled.items() if v != 0.0]
    shown.sort(key=lambda p: -abs(p.delta))
    return EconOutputChange(out, before, after, tuple(shown))


def econ_diff(a: AssumptionSet, b: AssumptionSet) -> EconDiff | None:
    """A's and B's economics per GW and what moved each output; None when neither set has the
    model's figures, a note when only one has them."""
    missing = missing_inputs(a), missing_inputs(b)
    if missing[0] and missing[1]:
        return None
    if missing[0] or missing[1]:
        side, other, lacks = ("B", "A", missing[0]) if missing[0] else ("A", "B", missing[1])
        note = (
            f"economics not compared: only {side} has the economics model's figures "
            f"({other} has no {', '.join(lacks)})"
        )
        return EconDiff(False, note)
    players, changes = compare_inputs(per_gw_inputs(a), per_gw_inputs(b))
    return EconDiff(True, None, players, changes)


def compare_inputs(
    before: dict[str, float], after: dict[str, float]
) -> tuple[tuple[Player, ...], tuple[EconOutputChange, ...]]:
    """The model's inputs that differ (as players) and every output's change split among them,
    from two sets of inputs in the model's units."""
    players = players_of(before, after)
    seen: dict[frozenset[Player], dict[str, float]] = {}

    def outputs(chosen: frozenset[Player]) -> dict[str, float]:
        if chosen not in seen:
            moved = {n for p in chosen for n in p}
            mix = {n: after[n] if n in moved else before[n] for n in INPUT_NAMES}
            seen[chosen] = per_gw(mix)
        return seen[chosen]

    def value_of(name: str) -> Callable[[frozenset[Player]], float]:
        return lambda chosen: outputs(chosen)[name]

    return players, tuple(split_change(out, players, value_of(out.name)) for out in PER_GW_OUTPUTS)
