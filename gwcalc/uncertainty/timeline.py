"""Monte Carlo of a timeline: each sample's years as floats, summed into running totals."""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwcalc.engine.codegen import functions, generate_source
from gwcalc.engine.outputs import SERIES_NAMES
from gwcalc.timelines.compute import demand_due
from gwcalc.uncertainty.distributions import distribution_of
from gwcalc.uncertainty.sampling import (
    DEFAULT_SEED,
    Column,
    Sampler,
    Summary,
    check_samples,
    chunks,
    computable,
    summarize,
    use_arrays,
)
from gwcalc.uncertainty.summary import probability_error

if TYPE_CHECKING:
    from gwcalc.engine.graph import Factor
    from gwcalc.sets.figures import Parameter
    from gwcalc.timelines.compute import ComputedTimeline
    from gwcalc.uncertainty.arrays import YearSummaries


@dataclass(frozen=True)
class YearUncertainty:
    """One year over the samples: each series summarised (amounts in the timeline's unit), and
    the share of samples in which cumulative supply covers cumulative demand (None before any
    demand falls due: with nothing due, nothing is covered)."""

    year: int
    summaries: dict[str, Summary]  # keyed by SERIES_NAMES
    p_covered: float | None  # None: no demand due by this year
    # Monte Carlo standard error √(p(1−p)/(n−1)) (summary.probability_error); None also with
    # one sample (no spread to estimate it from)
    p_covered_error: float | None

    @property
    def demand_due(self) -> bool:
        return self.p_covered is not None


@dataclass(frozen=True)
class TimelineUncertainty:
    """A timeline over N samples of its set's ranges."""

    samples: int
    seed: int
    varied: tuple[str, ...]  # the figures that had a range
    years: tuple[YearUncertainty, ...]

    def year(self, year: int) -> YearUncertainty:
        return next(y for y in self.years if y.year == year)


class _Ranges:
    """The ratio columns a timeline reads, each registered once: years of a figure whose ranges
    are alike relative to their values share one column (one draw per sample for all of them),
    drawn by the one Sampler as ratios to the value of the first year that registered it."""

    def __init__(self) -> None:
        self.index: dict[tuple[object, ...], int] = {}  # column key -> its position
        self.columns: list[Column] = []
        self.varied: dict[str, None] = {}

    def key(self, param: Parameter) -> tuple[object, ...] | None:
        """The column of a figure as it stands in one year (None: it has no range)."""
        dist = distribution_of(param)
        if dist is None or dist.point is not None or param.value == 0:
            return None
        r, v = dist.range, param.value
        driver = f"group:{param.group}" if param.group else f"parameter:{param.name}"
        relative = (r.low / v, r.high / v, dist.minimum / v, dist.maximum / v)
        key = (driver, r.distribution, r.credibility, *(round(x, 12) for x in relative))
        if key not in self.index:
            self.index[key] = len(self.columns)
            self.columns.append(Column(param.name, v, dist, driver, relative=True))
        self.varied[param.name] = None
        return key


Signature = tuple[tuple[int, int], ...]  # (column, exponent) of each ranged factor


@dataclass
class _Terms:
    """Every amount of the timeline as value × Π ratio^exponent, grouped by (year, side) and
    by the ranged factors they share (amounts of one signature are added before sampling)."""

    supply: dict[int, dict[Signature, float]]
    demand: dict[int, dict[Signature, float]]


def _signature(
    ranges: _Ranges, factors: Sequence[Factor], param_of: Callable[[str], Parameter]
) -> Signature:
    """The ranged factors of an amount, each as (column, exponent), in a fixed order (that of
    their keys' text: a product's order fixes its last bit)."""
    found = []
    for f in factors:
        key = ranges.key(param_of(f.parameter))
        if key is not None:
            found.append((key, f.exponent))
    return tuple((ranges.index[key], e) for key, e in sorted(found, key=repr))


def _terms(result: ComputedTimeline, ranges: _Ranges) -> _Terms:
    years = [row.year for row in result.rows]
    terms = _Terms({y: {} for y in years}, {y: {} for y in years})
    for part in result.supply_parts:
        sig = _signature(ranges, part.plan.factors, part.rates.parameters.__getitem__)
        group = terms.supply[part.year]
        group[sig] = group.get(sig, 0.0) + part.amount
    timeline_years = set(result.timeline.years)
    params = result.aset.parameters
    for view in result.deals:
        if not view.counted:
            continue
        for (year, amount), chain in zip(view.schedule, view.factors, strict=True):
            if year not in terms.demand:
                continue

            def param_of(name: str, year: int = year) -> Parameter:
                return params[name].at(year) if year in timeline_years else params[name]

            sig = _signature(ranges, chain, param_of)
            group = terms.demand[year]
            group[sig] = group.get(sig, 0.0) + amount
    return terms


def _sources(terms: _Terms, years: Sequence[int], columns: int) -> list[str]:
    """Each year's supply and demand as two formulas of the ratio columns, as the one float
    evaluator's source (a function per year, so only one year's amounts are held at a time): each
    the sum over signatures of value × Π ratio^exponent (values are our own floats, written with
    repr, which reads back exactly)."""
    out = []
    for y in years:
        formulas = [
            tuple((value, sig) for sig, value in groups.items())
            for groups in (terms.supply[y], terms.demand[y])
        ]
        out.append(generate_source(formulas, columns))
    return out


def _by_floats(
    sampler: Sampler, sources: Sequence[str], years: Sequence[int], n: int
) -> YearSummaries:
    """The timeline's Monte Carlo as floats, CHUNK samples at a time (every series stored, then
    summarised): arrays.timeline_summaries's result."""
    evaluators = [functions(source)[1] for source in sources]
    stores = {(y, s): array("d") for y in years for s in SERIES_NAMES}
    covered = dict.fromkeys(years, 0)
    for count in chunks(n):
        columns = sampler.columns(count)
        total_supply, total_demand = [0.0] * count, [0.0] * count
        for y, evaluate in zip(years, evaluators, strict=True):
            supply, demand = evaluate(columns, count)
            total_supply = [a + b for a, b in zip(total_supply, supply, strict=True)]
            total_demand = [a + b for a, b in zip(total_demand, demand, strict=True)]
            gap = [d - s for d, s in zip(total_demand, total_supply, strict=True)]
            covered[y] += sum(1 for g, d in zip(gap, total_demand, strict=True) if g <= 0 and d > 0)
            for name, values in zip(
                SERIES_NAMES, (supply, demand, total_supply, total_demand, gap), strict=True
            ):
                stores[y, name].extend(values)
        if not all(map(math.isfinite, gap)):  # the running sums carry any inf or nan
            raise OverflowError
    return {y: ({s: summarize(stores[y, s]) for s in SERIES_NAMES}, covered[y]) for y in years}


def timeline_uncertainty(
    result: ComputedTimeline, n: int, seed: int = DEFAULT_SEED
) -> TimelineUncertainty:
    """Monte Carlo of a timeline over its set's ranges: n samples (seeded), each year's supply
    and demand evaluated as floats from the planned amounts (with numpy from ARRAYS_FROM
    samples × years on: the same floats), running sums taken sample by sample, and the share
    of samples covered in each year."""
    check_samples(n)
    ranges = _Ranges()
    terms = _terms(result, ranges)
    sampler = Sampler.of_columns(ranges.columns, seed)
    years = [row.year for row in result.rows]
    sources = _sources(terms, years, len(ranges.columns))
    with computable():
        if use_arrays(n * len(years)):
            from gwcalc.uncertainty.arrays import timeline_summaries

            drawn = timeline_summaries(sampler, sources, years, n)
        else:
            drawn = _by_floats(sampler, sources, years, n)
    out = []
    for row in result.rows:
        summaries, covered = drawn[row.year]
        if not demand_due(row):  # zero in every sample too: each amount is value × ratios
            out.append(YearUncertainty(row.year, summaries, None, None))
            continue
        p = covered / n
        out.append(YearUncertainty(row.year, summaries, p, probability_error(p, n)))
    return TimelineUncertainty(n, seed, tuple(ranges.varied), tuple(out))
