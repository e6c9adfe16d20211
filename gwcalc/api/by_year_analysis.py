"""sensitivity and explain of the revenue gap by year (`api.by_year_sensitivity` and
`api.by_year_explain`): an output of the market's revenue gap in one year of the set's timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.api.econ_analysis import chosen_set, year_of
from gwcalc.econ.by_year import by_year_study
from gwcalc.econ.by_year_study import ByYearStudy, by_year_output, check_year
from gwcalc.sets.overrides import check_used

if TYPE_CHECKING:
    from gwcalc.analysis.by_year_explain import ByYearExplanation
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.by_year_sensitivity import ByYearSensitivity


def _study(
    aset: AssumptionSet | str | None, output: str, year: int | str | None
) -> tuple[ByYearStudy, int]:
    by_year_output(output)
    study = by_year_study(chosen_set(aset))
    return study, check_year(study, output, year_of(year))


def _check_used(study: ByYearStudy, output: str, year: int) -> None:
    """Refuse an override of a figure (or of a year of one) the output does not read."""
    read = study.figures_used(output, year)
    names = dict.fromkeys(name for name, _ in read)
    one_year = (f"{name}.{y}" for name, y in read)
    check_used(study.aset, (*names, *one_year), f"the by-year output {output} in {year}")


def by_year_sensitivity(
    aset: AssumptionSet | str | None = None,
    output: str = "revenue_gap",
    year: int | str | None = None,
    samples: int = 20_000,
    seed: int | None = None,
) -> ByYearSensitivity:
    """Each ranged figure's effect on one output of the market's revenue gap by year (of
    `aset`, default the newest market-2026 with the economics figures) in `year`, one of the
    set's timeline years: the output at the figure's low and high (the rest at their values;
    a figure given by year moves in every year), and its first-order share of the output's
    variance from `samples` seeded samples (the draws of the economics' samples)."""
    from gwcalc.uncertainty.by_year_sensitivity import by_year_sensitivity as _sensitivity
    from gwcalc.uncertainty.sampling import DEFAULT_SEED

    study, chosen = _study(aset, output, year)
    result = _sensitivity(study, output, chosen, samples, DEFAULT_SEED if seed is None else seed)
    _check_used(study, output, chosen)
    return result


def by_year_explain(
    output: str, aset: AssumptionSet | str | None = None, year: int | str | None = None
) -> ByYearExplanation:
    """Every step behind one output of the revenue gap by year in `year`: each figure it reads
    (in each year it reads it: value, unit, range, source, implied), then each output on the
    way, its formula with that year's values put in; .to_dict() is `gwcalc explain --json`."""
    from gwcalc.analysis.by_year_explain import by_year_explain as _explain

    study, chosen = _study(aset, output, year)
    result = _explain(study, output, chosen)
    _check_used(study, output, chosen)
    return result
