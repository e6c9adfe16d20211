"""One economics run: the set chosen, its per-GW model (in a year, or each figure's own value)
and the revenue gap by year over its timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwcalc.economics.by_year import ByYear, revenue_gap_by_year
from gwcalc.economics.default_set import ECONOMICS_INPUTS as ECONOMICS_INPUTS
from gwcalc.economics.default_set import default_economics_set as default_economics_set
from gwcalc.economics.default_set import newest_with_inputs as newest_with_inputs
from gwcalc.economics.inputs import MARKET_INPUTS, check_present, per_gw_inputs
from gwcalc.economics.model import PER_GW_INPUTS, per_gw
from gwcalc.errors import ParameterError

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet

# what else the run reads: the rates that turn deals into GW of demand
DEMAND_FIGURES = ("contract_rate_per_gw_year",)


@dataclass(frozen=True)
class EconomicsReport:
    """The per-GW inputs and outputs (floats in their canonical units), and the revenue gap by
    year; `year` is the year whose figures the per-GW model used (None: each one's value)."""

    aset: AssumptionSet
    year: int | None
    inputs: Mapping[str, float]
    outputs: Mapping[str, float]
    by_year: ByYear

    @property
    def demand(self) -> dict[int, float]:
        """The timeline's demand (GW of IT, every buyer) by year."""
        return {year: row["demand_gw"] for year, row in self.by_year.rows.items()}


def figures_used(aset: AssumptionSet) -> tuple[str, ...]:
    """The figures a run reads (an override of any other would change nothing): the model's,
    the demand's rates, and any of them set for one year (NAME.YEAR)."""
    figures = (*ECONOMICS_INPUTS, *DEMAND_FIGURES)
    return (*figures, *(o for o in aset.overrides if o.partition(".")[0] in figures))


def check_year(aset: AssumptionSet, year: int | None) -> None:
    if year is None or aset.timeline is None or year in aset.timeline.years:
        return
    years = aset.timeline.years
    raise ParameterError(
        f"year {year} is outside {aset.label}'s timeline ({years[0]}–{years[-1]})",
        f"give a year from {years[0]} to {years[-1]}",
    )


def compute_economics(aset: AssumptionSet, year: int | None = None) -> EconomicsReport:
    """The per-GW model with the figures of `year` (None: each figure's own value) and the
    revenue gap in every year of the set's timeline."""
    check_present(aset, (*PER_GW_INPUTS, *MARKET_INPUTS))
    check_year(aset, year)
    inputs = per_gw_inputs(aset, year)
    outputs = per_gw(inputs)
    return EconomicsReport(aset, year, inputs, outputs, revenue_gap_by_year(aset))
