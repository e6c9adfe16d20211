"""The economics model over N samples of a set's ranges: p5/p50/p95 of each per-GW output and
of the revenue gap by year, the probability that AI revenue covers the revenue needed each year,
and that a GW pays back within the IT hardware's life.

Each figure's draws are shared across the years (one driver per parameter or group, as every
sampler in gwcalc), each year's value scaled from its own range. The timeline's demand is held
at its central value: demand given in GW keeps its GW, demand given in all-in dollars (owners'
capex plans) keeps its dollars, its GW moving with the sampled all-in cost per GW."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from gwcalc.econ.by_year_model import YearInputs, by_year_values
from gwcalc.econ.inputs import (
    MARKET_INPUTS,
    check_present,
    price_per_it_energy,
    to_canonical,
    to_facility_price,
)
from gwcalc.econ.model import BY_YEAR_OUTPUTS, PER_GW_INPUTS, PER_GW_OUTPUTS, EconInput, per_gw
from gwcalc.errors import GwcalcError
from gwcalc.uncertainty.econ_columns import econ_column
from gwcalc.uncertainty.econ_diff import (
    YEAR_OUTPUTS,
    EconDiffUncertainty,
    Probability,
    YearSamples,
    compared,
)
from gwcalc.uncertainty.sampling import (
    DEFAULT_SEED,
    Sampler,
    Summary,
    check_samples,
    chunks,
    percentile,
    probability,
    summarize,
)
from gwcalc.uncertainty.summary import percentile_errors

if TYPE_CHECKING:
    from gwcalc.econ.by_year import ByYear
    from gwcalc.sets.assumption_set import AssumptionSet

DEMAND_CAVEAT = (
    "samples hold the timeline's demand at its central value: GW given as GW, and capex plans' "
    "dollars (their GW move with the sampled all-in cost per GW); deal sizes are not sampled"
)
Key = tuple[str, int | None]  # a figure in a year (None: its own value)


@dataclass(frozen=True)
class EconUncertainty:
    """The economics over `samples` draws: summaries per output (per GW and per year), the
    probability (and its standard error) that a GW pays back within it_life, and that AI
    revenue covers the revenue needed in each year (depreciation basis, and Sequoia's)."""

    samples: int
    seed: int
    varied: tuple[str, ...]
    per_gw: Mapping[str, Summary]
    payback_within_life: Probability
    by_year: Mapping[int, Mapping[str, Summary]]
    covers: Mapping[int, Probability]
    covers_sequoia: Mapping[int, Probability]
    caveats: tuple[str, ...] = (DEMAND_CAVEAT,)
    inputs: Mapping[str, Summary] = field(default_factory=dict)  # per-GW inputs drawn


def summarize_never(values: Sequence[float]) -> Summary:
    """summarize, for an output that may be +∞ ('never': a payback, a break-even above any
    price): the percentiles of the sorted values, +∞ where they reach the never samples."""
    if all(math.isfinite(v) for v in values):
        return summarize(values)
    ordered = sorted(values)
    p5, p50, p95 = (percentile(ordered, q) for q in (5.0, 50.0, 95.0))
    return Summary(p5, p50, p95, math.inf, percentile_errors(ordered))


def _keys(years: Iterable[int | None]) -> list[tuple[EconInput, int | None]]:
    per_year = [(i, y) for y in years for i in PER_GW_INPUTS]
    return per_year + [(i, y) for y in years if y is not None for i in MARKET_INPUTS]


def _draw(
    aset: AssumptionSet, keys: Sequence[tuple[EconInput, int | None]], n: int, seed: int
) -> tuple[dict[Key, list[float]], tuple[str, ...]]:
    """n draws of every (figure, year) column, and the figures that vary."""
    columns = [econ_column(aset, wanted, year) for wanted, year in keys]
    sampler = Sampler.of_columns(columns, seed)
    drawn: dict[Key, list[float]] = {(w.name, y): [] for w, y in keys}
    for count in chunks(n):
        for (wanted, year), values in zip(keys, sampler.columns(count), strict=True):
            drawn[wanted.name, year].extend(values)
    varied = {c.name.partition("@")[0] for c in columns if c.distribution is not None}
    return drawn, tuple(sorted(varied))


class _Drawn(NamedTuple):
    """The draws of every (figure, year), and whether power_price is per IT kWh (÷ pue)."""

    values: Mapping[Key, Sequence[float]]
    per_it_energy: bool

    def sample(self, year: int | None, i: int) -> dict[str, float]:
        """The i-th draw of the per-GW inputs in `year`, power_price per facility kWh."""
        values = {w.name: self.values[w.name, year][i] for w in PER_GW_INPUTS}
        return to_facility_price(values, self.per_it_energy)


class PerGwDraws(NamedTuple):
    """Every sample of the per-GW model: its outputs and its inputs, sample by sample."""

    outputs: Mapping[str, Sequence[float]]
    inputs: Mapping[str, Sequence[float]]


def _per_gw_draws(drawn: _Drawn, year: int | None, n: int) -> PerGwDraws:
    outputs: dict[str, list[float]] = {o.name: [] for o in PER_GW_OUTPUTS}
    inputs: dict[str, list[float]] = {i.name: [] for i in PER_GW_INPUTS}
    for i in range(n):
        sample = drawn.sample(year, i)
        for name, value in per_gw(sample).items():
            outputs[name].append(value)
        for name, value in sample.items():
            inputs[name].append(value)
    return PerGwDraws(outputs, inputs)


def _per_gw_samples(
    drawn: _Drawn, year: int | None, n: int
) -> tuple[dict[str, Summary], Probability, dict[str, Summary]]:
    """The per-GW outputs' summaries, P(payback within it_life) and the inputs' summaries."""
    draws = _per_gw_draws(drawn, year, n)
    paybacks, lives = draws.outputs["payback_years"], draws.inputs["it_life"]
    within = [p <= life for p, life in zip(paybacks, lives, strict=True)]
    summaries = {k: summarize_never(v) for k, v in draws.outputs.items()}
    return summaries, probability(within), {k: summarize(v) for k, v in draws.inputs.items()}


def per_gw_draws(
    aset: AssumptionSet,
    n: int,
    seed: int = DEFAULT_SEED,
    year: int | None = None,
    by_year: ByYear | None = None,
) -> tuple[PerGwDraws, YearDraws | None, tuple[str, ...]]:
    """The per-GW model over n samples of the set's ranges (the draws economics_uncertainty
    summarises; the same seed gives a figure the same draws in any set), with `by_year` (the
    set's revenue gap by year: its timeline's demand) the revenue gap by year too, and the
    figures that vary."""
    check_samples(n)
    years = sorted(by_year.rows) if by_year is not None else []
    check_present(aset, (*PER_GW_INPUTS, *(MARKET_INPUTS if years else ())))
    values, varied = _draw(aset, _keys([year, *years]), n, seed)
    drawn = _Drawn(values, price_per_it_energy(aset))
    try:
        per_gw_ = _per_gw_draws(drawn, year, n)
        if by_year is None:
            return per_gw_, None, varied
        demand = {y: row["demand_gw"] for y, row in by_year.rows.items()}
        split = _split(aset, demand, by_year.plan_capex)
        return per_gw_, _by_year_draws(drawn, split, n), varied
    except GwcalcError as exc:
        raise _refused(exc) from exc


def _refused(exc: GwcalcError) -> GwcalcError:
    return GwcalcError(
        f"a sample of the set's ranges is one the model refuses: {exc.message}",
        "narrow the ranges that reach it (the figures' low and high)",
    )


def _market(drawn: _Drawn, year: int, i: int) -> dict[str, float]:
    return {w.name: drawn.values[w.name, year][i] for w in MARKET_INPUTS}


class _Demand(NamedTuple):
    """Each year's demand in GW given as GW, and in all-in dollars (capex plans × AI share)."""

    gw: Mapping[int, float]
    dollars: Mapping[int, float]

    def at(self, year: int, all_in_cost_per_gw: float) -> float:
        return self.gw[year] + self.dollars[year] / all_in_cost_per_gw


def _split(
    aset: AssumptionSet, demand: Mapping[int, float], plan_capex: Mapping[int, float]
) -> _Demand:
    wanted = next(i for i in PER_GW_INPUTS if i.name == "all_in_cost_per_gw")
    param = aset.parameters[wanted.name]
    dollars = {y: plan_capex.get(y, 0.0) for y in demand}
    gw = {y: g - dollars[y] / to_canonical(param.at(y), wanted) for y, g in demand.items()}
    return _Demand(gw, dollars)


class YearDraws(NamedTuple):
    """Every sample of the revenue gap by year: each year's outputs, and whether AI revenue
    covers the revenue needed (depreciation basis, and Sequoia's), sample by sample."""

    values: Mapping[int, Mapping[str, Sequence[float]]]
    covers: Mapping[int, Sequence[bool]]
    covers_sequoia: Mapping[int, Sequence[bool]]


def _year_sample(drawn: _Drawn, demand: _Demand, i: int) -> dict[int, YearInputs]:
    """The i-th sample's inputs of each year (its demand's GW move with its all-in cost)."""
    inputs = {}
    for y in sorted(demand.gw):
        per_gw_sample = drawn.sample(y, i)
        gw = demand.at(y, per_gw_sample["all_in_cost_per_gw"])
        inputs[y] = YearInputs(gw, per_gw_sample, _market(drawn, y, i))
    return inputs


def draw_years(
    aset: AssumptionSet,
    demand: Mapping[int, float],
    plan_capex: Mapping[int, float],
    n: int,
    seed: int = DEFAULT_SEED,
) -> tuple[Mapping[Key, Sequence[float]], Callable[[int], dict[int, YearInputs]]]:
    """The draws of the revenue gap by year as economics_uncertainty makes them, for the years
    of `demand` (GW of IT, of which `plan_capex` in all-in dollars): each (figure, year)'s n
    draws, and the i-th sample's inputs of each year."""
    values, _ = _draw(aset, _keys(sorted(demand)), n, seed)
    drawn = _Drawn(values, price_per_it_energy(aset))
    return values, partial(_year_sample, drawn, _split(aset, demand, plan_capex))


def _by_year_draws(drawn: _Drawn, demand: _Demand, n: int) -> YearDraws:
    years = sorted(demand.gw)
    values: dict[int, dict[str, list[float]]] = {
        y: {o.name: [] for o in BY_YEAR_OUTPUTS} for y in years
    }
    covers: dict[int, list[bool]] = {y: [] for y in years}
    sequoia: dict[int, list[bool]] = {y: [] for y in years}
    for i in range(n):
        for year, row in by_year_values(_year_sample(drawn, demand, i)).items():
            for name, value in row.items():
                values[year][name].append(value)
            covers[year].append(row["ai_revenue"] >= row["revenue_needed"])
            sequoia[year].append(row["ai_revenue"] >= row["revenue_needed_sequoia"])
    return YearDraws(values, covers, sequoia)


def _by_year_samples(
    drawn: _Drawn, demand: _Demand, n: int
) -> tuple[dict[int, dict[str, Summary]], dict[int, Probability], dict[int, Probability]]:
    d = _by_year_draws(drawn, demand, n)
    summaries = {y: {k: summarize_never(v) for k, v in d.values[y].items()} for y in d.values}
    return (
        summaries,
        {y: probability(f) for y, f in d.covers.items()},
        {y: probability(f) for y, f in d.covers_sequoia.items()},
    )


def economics_uncertainty(
    aset: AssumptionSet,
    n: int,
    seed: int = DEFAULT_SEED,
    year: int | None = None,
    demand: Mapping[int, float] | None = None,
    plan_capex: Mapping[int, float] | None = None,
) -> EconUncertainty:
    """The per-GW outputs (figures of `year`, None: their own values) and, given the timeline's
    demand by year (GW of IT, every buyer; of which `plan_capex`, each year's AI capex given in
    all-in dollars, keeps its dollars), the revenue gap by year, over n samples."""
    check_samples(n)
    check_present(aset, PER_GW_INPUTS if demand is None else (*PER_GW_INPUTS, *MARKET_INPUTS))
    years = sorted(demand) if demand else []
    values, varied = _draw(aset, _keys([year, *years]), n, seed)
    drawn = _Drawn(values, price_per_it_energy(aset))
    try:
        summaries, within, inputs = _per_gw_samples(drawn, year, n)
        split = _split(aset, demand or {}, plan_capex or {})
        by_year, covers, sequoia = _by_year_samples(drawn, split, n)
    except GwcalcError as exc:
        raise _refused(exc) from exc
    return EconUncertainty(
        n, seed, varied, summaries, within, by_year, covers, sequoia, (DEMAND_CAVEAT,), inputs
    )


def econ_diff_uncertainty(
    a: AssumptionSet,
    b: AssumptionSet,
    n: int,
    seed: int = DEFAULT_SEED,
    by_year: tuple[ByYear, ByYear] | None = None,
) -> EconDiffUncertainty:
    """The per-GW model over n samples of A's ranges and of B's (each figure's own value, as
    diff compares them), and B − A sample by sample; given each set's revenue gap by year
    (their timeline years alike), each year's revenue gaps and P(revenue covers) too."""
    years_a, years_b = by_year if by_year is not None else (None, None)
    drawn_a, by_year_a, varied_a = per_gw_draws(a, n, seed, None, years_a)
    drawn_b, by_year_b, varied_b = per_gw_draws(b, n, seed, None, years_b)
    before, after, change = {}, {}, {}
    for out in PER_GW_OUTPUTS:
        xs, ys = drawn_a.outputs[out.name], drawn_b.outputs[out.name]
        before[out.name], after[out.name], change[out.name] = compared(xs, ys)
    varied = tuple(dict.fromkeys((*varied_a, *varied_b)))
    outputs = {out.name: out for out in (*PER_GW_OUTPUTS, *BY_YEAR_OUTPUTS)}
    years = _years_compared(by_year_a, by_year_b) if by_year_a and by_year_b else {}
    return EconDiffUncertainty(n, seed, varied, before, after, change, outputs, years)


def _years_compared(a: YearDraws, b: YearDraws) -> dict[int, YearSamples]:
    found = {}
    for year in a.values:
        before, after, change = {}, {}, {}
        for name in YEAR_OUTPUTS:
            xs, ys = a.values[year][name], b.values[year][name]
            before[name], after[name], change[name] = compared(xs, ys)
        covers = probability(a.covers[year]), probability(b.covers[year])
        sequoia = probability(a.covers_sequoia[year]), probability(b.covers_sequoia[year])
        found[year] = YearSamples(before, after, change, covers, sequoia)
    return found
