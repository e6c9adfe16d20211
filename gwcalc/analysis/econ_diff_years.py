"""Two sets' revenue gap by year compared: each year's revenue needed, AI revenue and gap in A
and B, and which figure (or the timeline's demand) moved each, by Shapley values as econ_diff.

The players are the economics figures that differ in any year (all the years of a figure move
together) and the timeline's demand (GW of IT a year, as one). The years' outputs read earlier
years (depreciation, installed GW), so each mix is the whole series evaluated again."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from gwcalc.analysis.econ_diff import (
    CAPEX,
    EconDiff,
    EconOutputChange,
    Player,
    econ_diff,
    output_json,
    players_of,
    split_change,
)
from gwcalc.econ.by_year import (
    BY_YEAR_OUTPUTS,
    YearInputs,
    by_year_values,
    check_market_scope,
    year_inputs,
)
from gwcalc.errors import GwcalcError
from gwcalc.timelines.shapley import EXACT_LIMIT

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet

SHOWN = ("revenue_needed", "revenue_needed_sequoia", "ai_revenue", "revenue_gap",
         "revenue_gap_sequoia")  # fmt: skip
DEMAND = "demand"  # the player standing for the timeline's demand (GW of IT each year)


@dataclass(frozen=True)
class YearChange:
    """One year's outputs in A and B, and the parts of each change."""

    year: int
    changes: tuple[EconOutputChange, ...]


@dataclass(frozen=True)
class EconYearsDiff:
    """The revenue gap by year in A and B (or a note saying why it is not compared)."""

    years: tuple[YearChange, ...] = ()
    players: tuple[Player, ...] = ()
    note: str | None = None

    @property
    def differs(self) -> bool:
        """Whether a figure of any year, or the timeline's demand, differs."""
        return bool(self.players)

    @property
    def exact(self) -> bool:
        return len(self.players) <= EXACT_LIMIT

    @property
    def method(self) -> str:
        how = "exact" if self.exact else "sampled over 256 seeded orders (more than 12 changed)"
        return (
            f"Shapley values over the changed figures and the timeline's demand, {how}; all the "
            "years of a figure move together"
        )

    def to_dict(self) -> dict[str, Any]:
        if self.note is not None:
            return {"compared": False, "note": self.note}
        return {
            "compared": True,
            "differs": self.differs,
            "method": "shapley",
            "method_text": self.method,
            "changed_inputs": [list(p) for p in self.players],
            "years": {
                str(y.year): {c.output.name: output_json(c) for c in y.changes} for y in self.years
            },
        }


def _inputs(aset: AssumptionSet) -> dict[int, YearInputs]:
    from gwcalc.timelines.compute import compute_timeline

    check_market_scope(aset)
    timeline = compute_timeline(aset, "GW")
    return year_inputs(aset, {row.year: row.demand for row in timeline.rows})


def _players_by_year(a: dict[int, YearInputs], b: dict[int, YearInputs]) -> tuple[Player, ...]:
    """The figures that differ in any year (the capex pair as one where a mix would put the
    hardware above all-in in some year), then the market's, then the timeline's demand."""
    from gwcalc.econ.outputs_graph import inputs_of

    # the per-GW figures the revenue gap reads: capex, the lives and the opex (not the price,
    # utilization or cost of capital, which a change of moves nothing here)
    read = {*inputs_of("opex_per_gw_year"), *CAPEX, "it_life", "facility_life"}
    singles: dict[Player, None] = {}
    grouped = False
    for year in sorted(a):
        for player in players_of(dict(a[year].per_gw), dict(b[year].per_gw)):
            if not set(player) & read:
                continue
            grouped = grouped or len(player) > 1
            if len(player) == 1:
                singles[player] = None
    figures = [p for p in singles if not grouped or p[0] not in CAPEX]
    found = [CAPEX, *figures] if grouped else figures
    market = [
        n for n in a[min(a)].market if any(a[y].market[n] != b[y].market[n] for y in sorted(a))
    ]
    moved = any(not math.isclose(a[y].demand, b[y].demand, rel_tol=1e-12) for y in a)
    return (*found, *((n,) for n in market), *([(DEMAND,)] if moved else []))


def _mix(
    a: dict[int, YearInputs], b: dict[int, YearInputs], chosen: frozenset[Player]
) -> dict[int, YearInputs]:
    moved = {n for p in chosen for n in p}
    out = {}
    for year, ya in a.items():
        yb = b[year]
        per_gw = {n: yb.per_gw[n] if n in moved else v for n, v in ya.per_gw.items()}
        market = {n: yb.market[n] if n in moved else v for n, v in ya.market.items()}
        out[year] = YearInputs(yb.demand if DEMAND in moved else ya.demand, per_gw, market)
    return out


def econ_years_diff(a: AssumptionSet, b: AssumptionSet) -> EconYearsDiff:
    """A's and B's revenue gap by year (their common timeline years) and what moved it; a note
    when either set cannot give it or their years differ."""
    try:
        ya = _inputs(a)
        yb = _inputs(b)
    except GwcalcError as exc:
        return EconYearsDiff(note=f"the revenue gap by year is not compared: {exc.message}")
    if sorted(ya) != sorted(yb):
        return EconYearsDiff(
            note=f"the revenue gap by year is not compared: A's timeline runs {min(ya)}–"
            f"{max(ya)}, B's {min(yb)}–{max(yb)}"
        )
    players = _players_by_year(ya, yb)
    seen: dict[frozenset[Player], dict[int, dict[str, float]]] = {}

    def rows(chosen: frozenset[Player]) -> dict[int, dict[str, float]]:
        if chosen not in seen:
            seen[chosen] = by_year_values(_mix(ya, yb, chosen))
        return seen[chosen]

    def value_of(year: int, name: str) -> Callable[[frozenset[Player]], float]:
        return lambda chosen: rows(chosen)[year][name]

    outputs = [o for o in BY_YEAR_OUTPUTS if o.name in SHOWN]
    years = tuple(
        YearChange(year, tuple(split_change(o, players, value_of(year, o.name)) for o in outputs))
        for year in sorted(ya)
    )
    return EconYearsDiff(years, players)


def diff_economics(a: AssumptionSet, b: AssumptionSet) -> EconDiff | None:
    """econ_diff, with the revenue gap by year when the per-GW economics are compared."""
    result = econ_diff(a, b)
    if result is None or not result.compared:
        return result
    return replace(result, years=econ_years_diff(a, b))
