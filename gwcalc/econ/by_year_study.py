"""The revenue gap by year as outputs to study (sensitivity, explain): each by-year output by
name, the figures and years it reads, and its value in a year with figures moved to values of
their own (a figure given by year moves in every year at once)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from gwcalc.econ.by_year_model import YearInputs, by_year_values
from gwcalc.econ.inputs import (
    MARKET_INPUTS,
    price_per_it_energy,
    to_canonical,
    to_facility_price,
)
from gwcalc.econ.model import BY_YEAR_OUTPUTS, PER_GW_INPUTS, EconOutput
from gwcalc.econ.outputs_graph import inputs_of
from gwcalc.econ.outputs_graph import steps_of as outputs_steps
from gwcalc.errors import ParameterError

if TYPE_CHECKING:
    from gwcalc.econ.by_year import ByYear
    from gwcalc.engine.graph import Factor
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.figures import Parameter

# the by-year outputs sensitivity and explain study (demand_gw, installed_gw and ai_revenue are
# steps on the way, or a figure of the set)
STUDIED = (
    "ai_capex", "depreciation", "revenue_needed", "revenue_needed_sequoia", "revenue_gap",
    "revenue_gap_sequoia", "revenue_covered", "revenue_covered_sequoia",
)  # fmt: skip
INPUTS = (*PER_GW_INPUTS, *MARKET_INPUTS)
WANTED = {i.name: i for i in INPUTS}
# the figures read in each year of the depreciation window (the others in the year alone)
WINDOW_FIGURES = ("all_in_cost_per_gw", "hardware_cost_per_gw")
Moves = Mapping[str, Mapping[int, float]]  # a figure's value in each year, in its own unit


def is_by_year_output(name: str) -> bool:
    return name in STUDIED


def by_year_output(name: str) -> EconOutput:
    """The by-year output of that name, or an error listing them."""
    for out in BY_YEAR_OUTPUTS:
        if out.name == name and name in STUDIED:
            return out
    raise ParameterError(
        f"no by-year economics output named {name!r}", "by-year outputs: " + ", ".join(STUDIED)
    )


def steps_of(name: str) -> tuple[EconOutput, ...]:
    """The by-year outputs computed on the way to `name` (itself last), in show order."""
    return outputs_steps(name, BY_YEAR_OUTPUTS)


def inputs_read(name: str) -> tuple[str, ...]:
    """The economics figures an output reads (through the per-GW opex too), in model order;
    the timeline's demand figures come on top (demand_figures)."""
    read = {d for out in steps_of(name) for d in out.depends}
    if "opex_per_gw_year" in read:
        read.update(inputs_of("opex_per_gw_year"))
    return tuple(i.name for i in INPUTS if i.name in read)


def reads_window(name: str) -> bool:
    """Whether the output reads earlier years (the depreciation and installed GW do)."""
    return any(o.name in ("depreciation", "installed_gw") for o in steps_of(name))


class DemandTerm(NamedTuple):
    """A counted deal's GW in a year, and the figures (with exponents) that turned it into GW."""

    year: int
    gw: float
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class ByYearStudy:
    """A set's revenue gap by year, and what it takes to evaluate it again with figures moved:
    each year's figures as floats (power_price as the set gives it), the demand's terms."""

    aset: AssumptionSet
    by_year: ByYear
    values: Mapping[int, Mapping[str, float]]  # canonical, power_price per the set's kWh
    terms: tuple[DemandTerm, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self.by_year.rows)

    def demand_names(self) -> tuple[str, ...]:
        """The set's figures the timeline's demand reads (a chip's figures aside)."""
        found = (n for n, _ in self.by_year.demand_figures if n in self.aset.parameters)
        return tuple(dict.fromkeys(found))

    def window(self, output: str, year: int) -> tuple[int, ...]:
        """The years whose figures and demand the output reads in `year`: those whose capex
        its depreciation still counts (the longer of the year's two lives), or `year` alone."""
        if not reads_window(output):
            return (year,)
        v = self.values[year]
        life = max(v["it_life"], v["facility_life"])
        return tuple(y for y in self.years if y <= year and year - y < life)

    def figures_used(self, output: str, year: int) -> tuple[tuple[str, int], ...]:
        """Each (figure, year) the output reads in `year`, in model order, then the demand's."""
        window = self.window(output, year)
        read = [
            (name, y)
            for name in inputs_read(output)
            for y in (window if name in WINDOW_FIGURES else (year,))
        ]
        if any(o.name == "demand_gw" for o in steps_of(output)):
            read += [f for f in self.by_year.demand_figures if f[1] in window]
        return tuple(dict.fromkeys(f for f in read if f[0] in self.aset.parameters))

    def parameter(self, name: str, year: int) -> Parameter:
        return self.aset.parameters[name].at(year)

    def inputs(self, year: int, moves: Moves | None = None) -> dict[int, YearInputs]:
        """Each year's inputs up to `year`, with the figures in `moves` at their values."""
        moves = moves or {}
        per_it = price_per_it_energy(self.aset)
        out: dict[int, YearInputs] = {}
        for y in (y for y in self.years if y <= year):
            values = dict(self.values[y])
            for name, by_year in moves.items():
                if name in WANTED and y in by_year:
                    values[name] = to_canonical(self.parameter(name, y), WANTED[name], by_year[y])
            per_gw = to_facility_price({i.name: values[i.name] for i in PER_GW_INPUTS}, per_it)
            market = {i.name: values[i.name] for i in MARKET_INPUTS}
            out[y] = YearInputs(self._demand(y, moves), per_gw, market)
        return out

    def _demand(self, year: int, moves: Moves) -> float:
        """The year's demand (GW of IT) with the moved figures in the chains that made it."""
        demand = self.by_year.rows[year]["demand_gw"]
        for term in (t for t in self.terms if t.year == year):
            scale = 1.0
            for f in term.factors:
                if f.parameter in moves and year in moves[f.parameter]:
                    ratio = moves[f.parameter][year] / self.parameter(f.parameter, year).value
                    scale *= ratio**f.exponent
            demand += term.gw * (scale - 1.0)
        return demand

    def value(self, output: str, year: int, moves: Moves | None = None) -> float:
        """The output in `year` with the figures in `moves` at their values."""
        return by_year_values(self.inputs(year, moves))[year][output]


def check_year(study: ByYearStudy, output: str, year: int | None) -> int:
    """The year asked for, one of the set's timeline years (a by-year output needs one)."""
    years = study.years
    hint = f"give a year from {years[0]} to {years[-1]}"
    if year is None:
        raise ParameterError(
            f"{output} is an output of the revenue gap by year: it needs a year of "
            f"{study.aset.label}'s timeline ({', '.join(map(str, years))})",
            hint,
        )
    if year not in years:
        raise ParameterError(
            f"year {year} is outside {study.aset.label}'s timeline ({years[0]}–{years[-1]})",
            hint,
        )
    return year
