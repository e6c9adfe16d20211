"""The market's revenue gap year by year: the AI capex the timeline's demand stands for, its
depreciation, and the revenue end users would need to pay for it (Sequoia's way, and on a
depreciation basis), against the market's AI revenue.

The demand must count every buyer (a timeline with demand_buyers = "all"): the AI revenue is the
whole market's, and one buyer's capex against it would compare unlike scopes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from gwcalc.econ.by_year_model import ENERGY_CAVEAT, FLOOR_CAVEAT
from gwcalc.econ.by_year_model import YearInputs as YearInputs
from gwcalc.econ.by_year_model import by_year_values as by_year_values
from gwcalc.econ.by_year_study import INPUTS, ByYearStudy, DemandTerm
from gwcalc.econ.inputs import MARKET_INPUTS, check_present, convert_inputs, per_gw_inputs
from gwcalc.econ.model import BY_YEAR_OUTPUTS as BY_YEAR_OUTPUTS
from gwcalc.errors import ParameterError

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.timelines.compute import ComputedTimeline


class ByYear(NamedTuple):
    """The revenue gap year by year: each year's outputs (BY_YEAR_OUTPUTS), the years whose
    depreciation is a floor, the caveats, and each year's AI capex of the demand given in
    all-in dollars (owners' capex plans: their dollars × AI share; its GW move with the all-in
    cost per GW, its dollars do not)."""

    rows: Mapping[int, Mapping[str, float]]
    floor_years: tuple[int, ...]
    caveats: tuple[str, ...]
    plan_capex: Mapping[int, float] = {}
    demand_figures: tuple[tuple[str, int], ...] = ()  # the set's figures the demand reads


def check_market_scope(aset: AssumptionSet) -> None:
    """Refuse a set whose timeline's demand is not every buyer's."""
    timeline = aset.timeline
    if timeline is None:
        raise ParameterError(
            f"assumption set {aset.label!r} has no timeline: the revenue gap by year needs the "
            "market's demand year by year",
            'use a set of format 2 whose [timeline] has demand_buyers = "all"',
        )
    if timeline.demand_buyers != "all":
        raise ParameterError(
            f"assumption set {aset.label!r}: its timeline's demand counts only the buyers it "
            f"lists (demand_buyers = {timeline.demand_buyers!r}), but ai_revenue is the whole "
            "market's: revenue of every buyer against some buyers' capex compares unlike scopes",
            'use a set whose [timeline] has demand_buyers = "all" (market-2026)',
        )


def year_inputs(aset: AssumptionSet, demand: Mapping[int, float]) -> dict[int, YearInputs]:
    """Each year's floats from the set (each figure's value in that year), pint once per year."""
    return {
        year: YearInputs(gw, per_gw_inputs(aset, year), convert_inputs(aset, MARKET_INPUTS, year))
        for year, gw in demand.items()
    }


def floor_years(years: Mapping[int, YearInputs]) -> tuple[int, ...]:
    """The years whose depreciation window reaches back before the set's first year."""
    first = min(years)
    return tuple(
        y for y, d in sorted(years.items())
        if y - first + 1 < max(d.per_gw["it_life"], d.per_gw["facility_life"])
    )  # fmt: skip


def plan_capex(timeline: ComputedTimeline, years: Mapping[int, YearInputs]) -> dict[int, float]:
    """Each year's AI capex of the counted demand converted from all-in dollars (a deal's GW
    that year ÷ all_in_cost_per_gw in its chain): those GW × the year's all-in cost per GW,
    which gives back the plan's dollars × AI share."""
    out = dict.fromkeys(years, 0.0)
    for view in timeline.deals:
        if not view.counted:
            continue
        for (year, gw), chain in zip(view.schedule, view.factors, strict=True):
            if year in years and any(
                f.parameter == "all_in_cost_per_gw" and f.exponent == -1 for f in chain
            ):
                out[year] += gw * years[year].per_gw["all_in_cost_per_gw"]
    return out


def demand_figures(timeline: ComputedTimeline) -> tuple[tuple[str, int], ...]:
    """The set's figures (and their years) that turn the counted deals into GW of demand."""
    found = {
        (f.parameter, year)
        for view in timeline.deals
        if view.counted
        for (year, _), chain in zip(view.schedule, view.factors, strict=True)
        for f in chain
        if f.parameter
    }
    return tuple(sorted(found))


def revenue_gap_by_year(aset: AssumptionSet, timeline: ComputedTimeline | None = None) -> ByYear:
    """The revenue gap in each of the set's timeline years (demand in GW of IT, every buyer),
    of the set's timeline in GW (computed here unless given)."""
    from gwcalc.timelines.compute import compute_timeline

    check_market_scope(aset)
    timeline = timeline or compute_timeline(aset, "GW")
    years = year_inputs(aset, {row.year: row.demand for row in timeline.rows})
    caveats = (FLOOR_CAVEAT, ENERGY_CAVEAT)
    return ByYear(
        by_year_values(years),
        floor_years(years),
        caveats,
        plan_capex(timeline, years),
        demand_figures(timeline),
    )


def by_year_study(aset: AssumptionSet) -> ByYearStudy:
    """The set's revenue gap by year, ready to study (a set without the figures is refused)."""
    from gwcalc.timelines.compute import compute_timeline

    check_market_scope(aset)
    check_present(aset, INPUTS)
    timeline = compute_timeline(aset, "GW")
    terms = tuple(
        DemandTerm(year, gw, chain)
        for view in timeline.deals
        if view.counted
        for (year, gw), chain in zip(view.schedule, view.factors, strict=True)
        if any(f.parameter in aset.parameters for f in chain)
    )
    by_year = revenue_gap_by_year(aset, timeline)
    values = {y: convert_inputs(aset, INPUTS, y) for y in by_year.rows}
    return ByYearStudy(aset, by_year, values, terms)
