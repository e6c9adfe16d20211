"""The market's revenue gap year by year: the AI capex the timeline's demand stands for, its
depreciation, and the revenue end users would need to pay for it (Sequoia's way, and on a
depreciation basis), against the market's AI revenue.

The demand must count every buyer (a timeline with demand_buyers = "all"): the AI revenue is the
whole market's, and one buyer's capex against it would compare unlike scopes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from gwcalc.econ.inputs import MARKET_INPUTS, convert_inputs, per_gw_inputs
from gwcalc.econ.model import BY_YEAR_OUTPUTS as BY_YEAR_OUTPUTS
from gwcalc.econ.model import per_gw, sequoia_revenue_needed
from gwcalc.errors import ParameterError
from gwcalc.money.nominal import nominal_dollars

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.timelines.compute import ComputedTimeline

FLOOR_CAVEAT = (
    "depreciation and installed GW count capex from the set's first year only (earlier capex is "
    "unknown and counts 0): in the first years they are floors, and so is the revenue needed"
)
ENERGY_CAVEAT = "energy is priced at full draw all year: an upper bound of the opex"


class YearInputs(NamedTuple):
    """One year's floats: the timeline's demand (GW of IT), the per-GW inputs and the
    market's (end_user_margin, ai_revenue)."""

    demand: float
    per_gw: Mapping[str, float]
    market: Mapping[str, float]


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


def _weight(age: int, life: float) -> float:
    """The share of a year's capex `age` years ago still counted, ÷ life: 1 ÷ life while it
    is within its life, the last (fractional) year's share of it, then 0."""
    return max(0.0, min(1.0, life - age)) / life


def _trailing(values: Sequence[float], index: int, life: float) -> float:
    """Σ over the last `life` years up to `index` of values × _weight (a depreciation)."""
    return sum(values[index - age] * _weight(age, life) for age in range(index + 1))


def by_year_values(years: Mapping[int, YearInputs]) -> dict[int, dict[str, float]]:
    """BY_YEAR_OUTPUTS for each year, on floats: the years in order, consecutive."""
    order = sorted(years)
    data = [years[y] for y in order]
    capex = [nominal_dollars(d.demand * d.per_gw["all_in_cost_per_gw"], "USD_all_in") for d in data]
    hardware = [nominal_dollars(d.demand * d.per_gw["hardware_cost_per_gw"], "USD") for d in data]
    facility = [c - h for c, h in zip(capex, hardware, strict=True)]
    demand = [d.demand for d in data]
    out: dict[int, dict[str, float]] = {}
    for i, (year, d) in enumerate(zip(order, data, strict=True)):
        it_life, facility_life = d.per_gw["it_life"], d.per_gw["facility_life"]
        depreciation = _trailing(hardware, i, it_life) + _trailing(facility, i, facility_life)
        installed = it_life * _trailing(demand, i, it_life)
        opex = per_gw(d.per_gw, upto="opex_per_gw_year")["opex_per_gw_year"]
        keep = 1 - d.market["end_user_margin"]
        needed = nominal_dollars((depreciation + installed * opex) / keep, "USD_all_in")
        # Sequoia's GPU spend ÷ its GPU share of the cost is the all-in capex: the share cancels
        sequoia = sequoia_revenue_needed(capex[i], 1.0, d.market["end_user_margin"])
        revenue = nominal_dollars(d.market["ai_revenue"], "USD_revenue")
        out[year] = {
            "demand_gw": d.demand,
            "ai_capex": capex[i],
            "depreciation": depreciation,
            "installed_gw": installed,
            "revenue_needed": needed,
            "revenue_needed_sequoia": sequoia,
            "ai_revenue": revenue,
            "revenue_gap": needed - revenue,
            "revenue_gap_sequoia": sequoia - revenue,
            "revenue_covered": revenue / needed if needed else float("inf"),
            "revenue_covered_sequoia": revenue / sequoia if sequoia else float("inf"),
        }
    return out


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


def revenue_gap_by_year(aset: AssumptionSet) -> ByYear:
    """The revenue gap in each of the set's timeline years (demand in GW of IT, every buyer)."""
    from gwcalc.timelines.compute import compute_timeline

    check_market_scope(aset)
    timeline = compute_timeline(aset, "GW")
    years = year_inputs(aset, {row.year: row.demand for row in timeline.rows})
    caveats = (FLOOR_CAVEAT, ENERGY_CAVEAT)
    return ByYear(
        by_year_values(years),
        floor_years(years),
        caveats,
        plan_capex(timeline, years),
        demand_figures(timeline),
    )
