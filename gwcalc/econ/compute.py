"""One economics run: the set chosen, its per-GW model (in a year, or each figure's own value)
and the revenue gap by year over its timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwcalc.econ.by_year import ByYear, revenue_gap_by_year
from gwcalc.econ.default_set import ECONOMICS_INPUTS as ECONOMICS_INPUTS
from gwcalc.econ.default_set import default_economics_set as default_economics_set
from gwcalc.econ.default_set import newest_with_inputs as newest_with_inputs
from gwcalc.econ.inputs import (
    IT_PRICE_NOTE,
    MARKET_INPUTS,
    check_present,
    per_gw_inputs,
    price_per_it_energy,
)
from gwcalc.econ.model import PER_GW_INPUTS, figures_text, per_gw
from gwcalc.errors import ParameterError

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet

# the figures the revenue gap by year reads in each year (the others only the per-GW block)
BY_YEAR_FIGURES = (
    "all_in_cost_per_gw", "hardware_cost_per_gw", "it_life", "facility_life", "pue",
    "power_price", "other_opex_per_gw_year", "end_user_margin", "ai_revenue",
)  # fmt: skip


@dataclass(frozen=True)
class EconomicsReport:
    """The per-GW inputs and outputs (floats in their canonical units), and the revenue gap by
    year; `year` is the year whose figures the per-GW model used (None: each one's own value,
    when the set's figures match none of its years), `shown` the years of the revenue gap
    shown (--year: that one), `notes` what the run says of its inputs (a power price read
    per IT kWh)."""

    aset: AssumptionSet
    year: int | None
    inputs: Mapping[str, float]
    outputs: Mapping[str, float]
    by_year: ByYear
    shown: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def demand(self) -> dict[int, float]:
        """The timeline's demand (GW of IT, every buyer) by year."""
        return {year: row["demand_gw"] for year, row in self.by_year.rows.items()}

    @property
    def caveats(self) -> tuple[str, ...]:
        """The by-year caveats and the notes on the inputs."""
        return (*self.by_year.caveats, *self.notes)


def figures_used(report: EconomicsReport) -> tuple[str, ...]:
    """The figures a run reads (an override of any other would change nothing): each figure
    of the per-GW block (in its year), each the revenue gap reads in the years up to the last
    shown, and the demand's rates; a one-year override (NAME.YEAR) counts only if that year
    of the figure is read."""
    last = max(report.shown, default=0)
    years = [y for y in report.by_year.rows if y <= last]
    read = {(name, report.year) for name in ECONOMICS_INPUTS if name not in MARKET_NAMES}
    read |= {(name, y) for y in years for name in BY_YEAR_FIGURES}
    read |= {(name, y) for name, y in report.by_year.demand_figures if y <= last}
    names = dict.fromkeys(name for name, _ in sorted(read, key=str))
    one_year = [
        o for o in report.aset.overrides
        if "." in o and o.partition(".")[2].isdigit()
        and (o.partition(".")[0], int(o.partition(".")[2])) in read
    ]  # fmt: skip
    return (*names, *one_year)


MARKET_NAMES = tuple(i.name for i in MARKET_INPUTS)


def check_one_year(report: EconomicsReport) -> None:
    """Refuse a one-year override (NAME.YEAR) of a year of that figure the run does not read,
    saying which years of it it reads."""
    used = set(figures_used(report))
    for o in report.aset.overrides:
        name, _, year = o.partition(".")
        if not year.isdigit() or o in used or name not in used:
            continue
        block = f"the per-GW block reads {figures_text(report.year)}"
        gap = "the revenue gap reads " + (
            f"{name} in {min(report.by_year.rows)}–{max(report.shown)}"
            if name in BY_YEAR_FIGURES
            else f"no {name}"
        )
        raise ParameterError(
            f"{o}: not used by the economics, so overriding it would change nothing ({block}; "
            f"{gap})",
            f"override {name}.{report.year or 'YEAR'}, or give --year {year} for the per-GW "
            f"block's figures of {year}",
        )


def check_year(aset: AssumptionSet, year: int | None) -> None:
    if year is None or aset.timeline is None or year in aset.timeline.years:
        return
    years = aset.timeline.years
    raise ParameterError(
        f"year {year} is outside {aset.label}'s timeline ({years[0]}–{years[-1]})",
        f"give a year from {years[0]} to {years[-1]}",
    )


def figures_year(aset: AssumptionSet) -> int | None:
    """The year whose figures the per-GW block uses by default: the first of the timeline's
    years in which every per-GW figure given by year has its own value (the one-year view's
    year, 2026 in market-2026); None if no year matches. Ask the set as read, before
    overrides: an override of that year moves the block, not the year."""
    if aset.timeline is None:
        return None
    params = [aset.parameters[i.name] for i in PER_GW_INPUTS if i.name in aset.parameters]
    for year in aset.timeline.years:
        if all(p.at(year).value == p.value for p in params):
            return year
    return None


def compute_economics(
    aset: AssumptionSet, year: int | None = None, default_year: int | None = None
) -> EconomicsReport:
    """The per-GW model with the figures of `year` (default: `default_year`, else
    figures_year of the set) and the revenue gap in every year of the set's timeline (shown:
    `year` only, if given)."""
    check_present(aset, (*PER_GW_INPUTS, *MARKET_INPUTS))
    check_year(aset, year)
    figures = year if year is not None else default_year or figures_year(aset)
    inputs = per_gw_inputs(aset, figures)
    outputs = per_gw(inputs)
    by_year = revenue_gap_by_year(aset)
    shown = (year,) if year is not None else tuple(by_year.rows)
    notes: tuple[str, ...] = ()
    if price_per_it_energy(aset):
        notes = (IT_PRICE_NOTE.format(unit=aset.parameters["power_price"].unit),)
    return EconomicsReport(aset, figures, inputs, outputs, by_year, shown, notes)
