"""The revenue gap by year on floats: each year's inputs and the outputs of BY_YEAR_OUTPUTS
(gwcalc.econ.by_year reads them from a set and its timeline)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from gwcalc.econ.model import per_gw, sequoia_revenue_needed
from gwcalc.money.nominal import nominal_dollars

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
