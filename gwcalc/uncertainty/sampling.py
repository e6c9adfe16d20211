"""Monte Carlo over ranges: the one sampler (seeded columns for plans and timelines), summaries."""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gwcalc.errors import GwcalcError, ParameterError
from gwcalc.uncertainty.distributions import distribution_of
from gwcalc.units.floats import float_fault
from gwcalc.units.registry import Q_, Quantity, Unit

if TYPE_CHECKING:
    from gwcalc.engine.graph import Conversion
    from gwcalc.engine.plan import Plan
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.distributions import Distribution

DEFAULT_SEED = 20261202
MAX_SAMPLES = 1_000_000
CHUNK = 65_536  # samples evaluated at a time: memory stays bounded whatever N is
PERCENTILES = (5.0, 50.0, 95.0)
GIVEN = "given_quantity"  # the figure a quantity typed as a range becomes (ranged_input)


def check_samples(n: int) -> int:
    """A number of samples gwcalc takes: 1 to MAX_SAMPLES."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SAMPLES:
        raise ParameterError(
            f"{n!r} samples: the number of samples must be a whole number from 1 to "
            f"{MAX_SAMPLES:,}",
            "10,000 gives percentiles to about 1%; 100,000 take about a second for gap, "
            "several for timeline",
        )
    return n


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ParameterError(f"seed {seed!r} is not a whole number from 0 to 2**63 - 1")
    return seed


@dataclass(frozen=True)
class Column:
    """How one column of draws is made: a constant, or a distribution fed by a driver's uniform
    draws, times a factor (e.g. into a plan's unit); relative columns are ratios to the constant
    (each draw divided by it: the timeline scales its planned amounts by them)."""

    name: str
    constant: float
    distribution: Distribution | None = None
    driver: str = ""  # 'parameter:NAME' or 'group:NAME': the stream of uniform draws
    factor: float = 1.0
    relative: bool = False


class Sampler:
    """Draws columns, in order and reproducibly: each driver (a parameter, or a group of
    parameters that move together) has its own stream of uniform draws, seeded by
    (seed, driver name), and each sample of a column is its distribution's quantile at the
    draw (for a lognormal or normal: one shared standard-normal draw, Φ⁻¹(u)); columns of one
    driver share its draws. So the same seed gives the same draws for a parameter in any set,
    plan or timeline, and drawing in chunks gives the same columns as drawing at once."""

    def __init__(
        self,
        plan: Plan,
        distributions: Mapping[str, Distribution],
        groups: Mapping[str, str] | None = None,
        seed: int = DEFAULT_SEED,
        units: Mapping[str, Unit] | None = None,
    ) -> None:
        """A sampler of a plan's input columns. distributions: parameter name -> its range as a
        distribution, in the unit of `units[name]` (default: the plan's own unit); groups:
        parameter name -> group name."""
        check_seed(seed)
        groups, units = groups or {}, units or {}
        columns: list[Column] = []
        for name, planned, value in zip(
            plan.parameters, plan.parameter_units, plan.values(), strict=True
        ):
            dist = distributions.get(name)
            if dist is None or dist.point is not None:
                columns.append(Column(name, value))
                continue
            own = units.get(name, planned)
            factor = 1.0 if own == planned else float(Q_(1.0, own).to(planned).magnitude)
            driver = f"group:{groups[name]}" if name in groups else f"parameter:{name}"
            columns.append(Column(name, value, dist, driver, factor))
        self._start(columns, seed)

    @classmethod
    def of_columns(cls, columns: Sequence[Column], seed: int = DEFAULT_SEED) -> Sampler:
        """A sampler of any columns (e.g. a timeline's ratio columns), drawn in order."""
        sampler = cls.__new__(cls)
        sampler._start(columns, seed)
        return sampler

    def _start(self, columns: Sequence[Column], seed: int) -> None:
        self.seed = check_seed(seed)
        self.inputs = tuple(columns)
        drivers = [i.driver for i in self.inputs if i.distribution is not None]
        self._streams = {d: random.Random(f"{self.seed}/{d}") for d in dict.fromkeys(drivers)}
        self._shared = {d for d in drivers if drivers.count(d) > 1}  # groups with members

    @classmethod
    def for_set(cls, aset: AssumptionSet, plan: Plan, seed: int = DEFAULT_SEED) -> Sampler:
        """A sampler of the set's ranges (and groups) for a plan compiled from it."""
        dists: dict[str, Distribution] = {}
        groups: dict[str, str] = {}
        units: dict[str, Unit] = {}
        for name in plan.parameters:
            param = aset.parameters.get(name)
            dist = distribution_of(param) if param is not None else None
            if param is None or dist is None:
                continue
            dists[name], units[name] = dist, param.quantity.units
            if param.group is not None:
                groups[name] = param.group
        return cls(plan, dists, groups, seed, units)

    @property
    def varied(self) -> tuple[str, ...]:
        """The columns that vary from sample to sample, by name."""
        return tuple(i.name for i in self.inputs if i.distribution is not None)

    def columns(self, n: int) -> list[list[float]]:
        """The next n samples of every column (for a plan: plan.evaluate_columns's input)."""
        shared: dict[str, list[float]] = {}
        for driver in self._shared:
            uniform = self._streams[driver].random
            shared[driver] = [uniform() or 0.5 for _ in range(n)]
        out: list[list[float]] = []
        for i in self.inputs:
            if i.distribution is None:
                out.append([i.constant] * n)
                continue
            if i.driver in shared:
                column = i.distribution.from_uniforms(shared[i.driver])
            else:
                column = i.distribution.draw(self._streams[i.driver].random, n)
            if i.factor != 1.0:
                factor = i.factor
                column = [x * factor for x in column]
            if i.relative:
                value = i.constant
                column = [x / value for x in column]
            out.append(column)
        return out


def sample_columns(
    aset: AssumptionSet, plan: Plan, n: int, seed: int = DEFAULT_SEED
) -> list[list[float]]:
    """n samples of the plan's input columns from the set's ranges (seeded, reproducible)."""
    return Sampler.for_set(aset, plan, seed).columns(check_samples(n))


def chunks(n: int) -> Iterator[int]:
    """n samples as counts of at most CHUNK, in order."""
    done = 0
    while done < n:
        count = min(CHUNK, n - done)
        yield count
        done += count


def sample_outputs(plan: Plan, sampler: Sampler, n: int) -> list[array[float]]:
    """n evaluations of every output of a plan (its sampler's columns), in chunks of CHUNK."""
    outputs = [array("d") for _ in plan.outputs]
    for count in chunks(n):
        try:
            results = plan.evaluate_columns(sampler.columns(count))
        except (ZeroDivisionError, OverflowError) as exc:
            raise GwcalcError(
                "a sample is beyond what can be computed (a divisor drew zero, or a value "
                "overflowed)",
                "narrow the ranges that reach zero or extreme values",
            ) from exc
        for store, values in zip(outputs, results, strict=True):
            store.extend(values)
    return outputs


# ---------------------------------------------------------------- summaries


def percentile(ordered: Sequence[float], q: float) -> float:
    """The q-th percentile (0 to 100) of sorted values, interpolated linearly between order
    statistics (numpy's default, 'linear')."""
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q / 100
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    share = position - below
    low, high = ordered[below], ordered[above]
    return low if share == 0 or low == high else low + (high - low) * share


def percentile_error(ordered: Sequence[float], q: float) -> float:
    """Monte Carlo standard error of a sample percentile, distribution-free: half the spread
    between the order statistics one binomial standard deviation (√(n·p·(1−p)) ranks) either
    side of it."""
    n = len(ordered)
    p = q / 100
    spread = math.sqrt(n * p * (1 - p))
    low = ordered[max(0, math.floor(n * p - spread))]
    high = ordered[min(n - 1, math.ceil(n * p + spread))]
    return (high - low) / 2


def probability(flags: Sequence[bool]) -> tuple[float, float]:
    """(share of samples where an event holds, its Monte Carlo standard error √(p(1−p)/n)),
    e.g. the probability that supply covers demand by a year, from per-sample flags."""
    if not flags:
        raise ValueError("no samples")
    p = sum(flags) / len(flags)
    return p, math.sqrt(p * (1 - p) / len(flags))


@dataclass(frozen=True)
class Summary:
    """One output's samples summarised: percentiles, mean and their Monte Carlo errors."""

    p5: float
    p50: float
    p95: float
    mean: float
    errors: tuple[float, float, float]  # standard errors of p5, p50 and p95


def summarize(values: Sequence[float]) -> Summary:
    """p5, p50, p95, mean and the percentiles' standard errors of samples."""
    ordered = sorted(values)
    p5, p50, p95 = (percentile(ordered, q) for q in PERCENTILES)
    if ordered[0] == ordered[-1]:  # every sample alike: exactly that value
        return Summary(ordered[0], ordered[0], ordered[0], ordered[0], (0.0, 0.0, 0.0))
    mean = math.fsum(ordered) / len(ordered)
    errors = tuple(percentile_error(ordered, q) for q in PERCENTILES)
    for number in (p5, p50, p95, mean):
        fault = float_fault(number)
        if fault is not None:
            raise GwcalcError(
                f"a sampled output is {fault}",
                "narrow the ranges that reach zero or extreme values",
            )
    return Summary(p5, p50, p95, mean, (errors[0], errors[1], errors[2]))


@dataclass(frozen=True)
class Uncertainty:
    """A plan's outputs over N samples of a set's ranges: a summary per output."""

    samples: int
    seed: int
    varied: tuple[str, ...]  # the parameters that had a range
    summaries: Mapping[str, Summary]
    units: Mapping[str, Unit] = field(repr=False)  # each output's unit


def plan_uncertainty(
    aset: AssumptionSet,
    plan: Plan,
    n: int,
    seed: int = DEFAULT_SEED,
    names: Collection[str] | None = None,
) -> Uncertainty:
    """Monte Carlo of a plan's outputs (those named, default all) over the set's ranges
    (n samples, seeded)."""
    sampler = Sampler.for_set(aset, plan, seed)
    outputs = sample_outputs(plan, sampler, check_samples(n))
    summaries = {
        o.name: summarize(v)
        for o, v in zip(plan.outputs, outputs, strict=True)
        if names is None or o.name in names
    }
    units = {o.name: o.units for o in plan.outputs}
    return Uncertainty(n, seed, sampler.varied, summaries, units)


def conversion_uncertainty(
    aset: AssumptionSet,
    quantity: Quantity,
    conversions: Sequence[Conversion],
    n: int,
    seed: int = DEFAULT_SEED,
) -> Uncertainty:
    """Monte Carlo of conversions of one quantity (engine Conversions) over the set's
    ranges; each summary keyed by its result's unit text (as `convert --json` shows it). A
    quantity typed as a range is the set's figure GIVEN (ranged_input.with_given), sampled
    with the others."""
    from gwcalc.engine.outputs import Output, Product
    from gwcalc.engine.plan import compile_outputs
    from gwcalc.units.registry import unit_text

    outputs, starts, keys = [], {}, {}
    given = (GIVEN,) if GIVEN in aset.parameters else ()  # a quantity typed as a range
    for i, conv in enumerate(conversions):
        name = f"result{i}"
        outputs.append(Output(name, name, Product(given, unit_text(conv.result.units))))
        if not given:
            starts[name] = quantity
        keys[name] = unit_text(conv.result.units)
    plan = compile_outputs(aset, outputs, starts=starts)
    u = plan_uncertainty(aset, plan, n, seed)
    return Uncertainty(
        u.samples,
        u.seed,
        u.varied,
        {keys[k]: s for k, s in u.summaries.items()},
        {keys[k]: units for k, units in u.units.items()},
    )


@dataclass(frozen=True)
class DiffUncertainty:
    """Two sets' outputs over the same draws: A, B, and the change B − A sample by sample."""

    before: Uncertainty
    after: Uncertainty
    change: Uncertainty


def diff_uncertainty(
    before: Plan, after: Plan, n: int, seed: int = DEFAULT_SEED
) -> DiffUncertainty:
    """Monte Carlo of two plans' shown outputs with common random numbers: a parameter with a
    range in both sets gets the same draws in both, so B − A is the change the sets make."""
    check_samples(n)
    shown = [o.name for o in after.outputs if o.output.shown and o.name in before.names]
    samplers = Sampler.for_set(before.aset, before, seed), Sampler.for_set(after.aset, after, seed)
    a_values = sample_outputs(before, samplers[0], n)
    b_values = sample_outputs(after, samplers[1], n)
    a_at = {o.name: v for o, v in zip(before.outputs, a_values, strict=True)}
    b_at = {o.name: v for o, v in zip(after.outputs, b_values, strict=True)}
    units = {name: after[name].units for name in shown}
    ratio = {name: float(Q_(1.0, before[name].units).to(units[name]).magnitude) for name in shown}
    varied = tuple(dict.fromkeys((*samplers[0].varied, *samplers[1].varied)))

    def of(values: Mapping[str, Sequence[float]]) -> Uncertainty:
        return Uncertainty(n, seed, varied, {k: summarize(values[k]) for k in shown}, units)

    changes = {
        name: [b - a * ratio[name] for a, b in zip(a_at[name], b_at[name], strict=True)]
        for name in shown
    }
    a_in_units = {name: [a * ratio[name] for a in a_at[name]] for name in shown}
    return DiffUncertainty(of(a_in_units), of(b_at), of(changes))
