"""Monte Carlo of a timeline: each sample's years as floats, summed into running totals."""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwcalc.engine.outputs import SERIES_NAMES
from gwcalc.errors import GwcalcError
from gwcalc.uncertainty.distributions import distribution_of
from gwcalc.uncertainty.sampling import (
    CHUNK,
    DEFAULT_SEED,
    Summary,
    check_samples,
    check_seed,
    summarize,
)

if TYPE_CHECKING:
    from gwcalc.engine.graph import Factor
    from gwcalc.sets.figures import Parameter
    from gwcalc.timelines.compute import ComputedTimeline
    from gwcalc.uncertainty.distributions import Distribution

SERIES = SERIES_NAMES  # each year's sampled series: the timeline's own


@dataclass(frozen=True)
class YearUncertainty:
    """One year over the samples: each series summarised (amounts in the timeline's unit), and
    the share of samples in which cumulative supply covers cumulative demand."""

    year: int
    summaries: dict[str, Summary]  # keyed by SERIES
    p_covered: float
    p_covered_error: float  # Monte Carlo standard error, √(p(1−p)/n)


@dataclass(frozen=True)
class TimelineUncertainty:
    """A timeline over N samples of its set's ranges."""

    samples: int
    seed: int
    varied: tuple[str, ...]  # the figures that had a range
    years: tuple[YearUncertainty, ...]

    def year(self, year: int) -> YearUncertainty:
        return next(y for y in self.years if y.year == year)


@dataclass(frozen=True)
class _Column:
    """A figure's draws as ratios to its value: one driver's uniforms through a distribution."""

    driver: str
    distribution: Distribution
    value: float


class _Columns:
    """The ratio columns a timeline reads, each registered once: years of a figure whose ranges
    are alike relative to their values share one column (one draw per sample for all of them)."""

    def __init__(self) -> None:
        self.columns: dict[tuple[object, ...], _Column] = {}
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
        if key not in self.columns:
            self.columns[key] = _Column(driver, dist, v)
        self.varied[param.name] = None
        return key

    def draw(self, streams: dict[str, random.Random], n: int) -> dict[object, list[float]]:
        """The next n ratios of every column: each driver's uniforms are drawn once and shared
        by its columns (so a figure's years, and a group's figures, move together)."""
        uniforms = {
            driver: [streams[driver].random() or 0.5 for _ in range(n)]
            for driver in dict.fromkeys(c.driver for c in self.columns.values())
        }
        out: dict[object, list[float]] = {}
        for key, c in self.columns.items():
            value = c.value
            out[key] = [x / value for x in c.distribution.from_uniforms(uniforms[c.driver])]
        return out


Signature = tuple[tuple[object, int], ...]  # (column key, exponent) of each ranged factor


@dataclass
class _Terms:
    """Every amount of the timeline as value × Π ratio^exponent, grouped by (year, side) and
    by the ranged factors they share (amounts of one signature are added before sampling)."""

    supply: dict[int, dict[Signature, float]]
    demand: dict[int, dict[Signature, float]]


def _signature(
    columns: _Columns, factors: Sequence[Factor], param_of: Callable[[str], Parameter]
) -> Signature:
    """The ranged factors of an amount, each as (column key, exponent), in a fixed order."""
    found = []
    for f in factors:
        key = columns.key(param_of(f.parameter))
        if key is not None:
            found.append((key, f.exponent))
    return tuple(sorted(found, key=repr))


def _terms(result: ComputedTimeline, columns: _Columns) -> _Terms:
    years = [row.year for row in result.rows]
    terms = _Terms({y: {} for y in years}, {y: {} for y in years})
    for part in result.supply_parts:
        sig = _signature(columns, part.plan.factors, part.rates.parameters.__getitem__)
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

            sig = _signature(columns, chain, param_of)
            group = terms.demand[year]
            group[sig] = group.get(sig, 0.0) + amount
    return terms


YearFunction = Callable[[dict[object, list[float]], int], list[float]]


def _compile(groups: dict[Signature, float]) -> YearFunction:
    """One year's amounts as a generated float function of its ratio columns: the sum over
    signatures of value × Π ratio^exponent, one pass over the samples (values are our own
    floats, written with repr, which reads back exactly)."""
    keys = list(dict.fromkeys(key for sig in groups for key, _ in sig))
    if not keys:
        total = 0.0
        for value in groups.values():
            total += value
        return lambda ratios, n: [total] * n
    index = {key: i for i, key in enumerate(keys)}
    terms = []
    for sig, value in groups.items():
        term = repr(value)
        for key, exponent in sig:
            x = f"x{index[key]}"
            term += (
                f" * {x}"
                if exponent == 1
                else f" / {x}"
                if exponent == -1
                else (f" * {x} ** {exponent}")
            )
        terms.append(term)
    names = [f"x{i}" for i in range(len(keys))]
    loop = (
        f"{names[0]} in a0"
        if len(keys) == 1
        else f"{', '.join(names)} in zip(" + ", ".join(f"a{i}" for i in range(len(keys))) + ")"
    )
    args = ", ".join(f"a{i}" for i in range(len(keys)))
    body: Callable[..., list[float]] = eval(f"lambda {args}: [{' + '.join(terms)} for {loop}]")
    return lambda ratios, n: body(*(ratios[key] for key in keys))


def _chunks(n: int) -> Iterator[int]:
    done = 0
    while done < n:
        count = min(CHUNK, n - done)
        yield count
        done += count


def timeline_uncertainty(
    result: ComputedTimeline, n: int, seed: int = DEFAULT_SEED
) -> TimelineUncertainty:
    """Monte Carlo of a timeline over its set's ranges: n samples (seeded), each year's supply
    and demand evaluated as floats from the planned amounts, running sums taken sample by
    sample, and the share of samples covered in each year."""
    check_samples(n)
    check_seed(seed)
    columns = _Columns()
    terms = _terms(result, columns)
    drivers = dict.fromkeys(c.driver for c in columns.columns.values())
    streams = {d: random.Random(f"{seed}/{d}") for d in drivers}
    years = [row.year for row in result.rows]
    supply_of = {y: _compile(terms.supply[y]) for y in years}
    demand_of = {y: _compile(terms.demand[y]) for y in years}
    stores = {(y, s): array("d") for y in years for s in SERIES}
    covered = dict.fromkeys(years, 0)
    try:
        for count in _chunks(n):
            ratios = columns.draw(streams, count)
            total_supply, total_demand = [0.0] * count, [0.0] * count
            for y in years:
                supply = supply_of[y](ratios, count)
                demand = demand_of[y](ratios, count)
                total_supply = [a + b for a, b in zip(total_supply, supply, strict=True)]
                total_demand = [a + b for a, b in zip(total_demand, demand, strict=True)]
                gap = [d - s for d, s in zip(total_demand, total_supply, strict=True)]
                covered[y] += sum(1 for g in gap if g <= 0)
                for name, values in zip(
                    SERIES, (supply, demand, total_supply, total_demand, gap), strict=True
                ):
                    stores[y, name].extend(values)
            if not all(map(math.isfinite, gap)):  # the running sums carry any inf or nan
                raise OverflowError
    except (ZeroDivisionError, OverflowError) as exc:
        raise GwcalcError(
            "a sample is beyond what can be computed (a divisor drew zero, or a value overflowed)",
            "narrow the ranges that reach zero or extreme values",
        ) from exc
    out = []
    for y in years:
        p = covered[y] / n
        summaries = {name: summarize(stores[y, name]) for name in SERIES}
        out.append(YearUncertainty(y, summaries, p, (p * (1 - p) / n) ** 0.5))
    return TimelineUncertainty(n, seed, tuple(columns.varied), tuple(out))
