"""Monte Carlo over ranges: the one sampler (seeded columns for plans and timelines), summaries."""

from __future__ import annotations

import random
import sys
from array import array
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gwcalc.errors import GwcalcError, ParameterError
from gwcalc.uncertainty.distributions import distribution_of
from gwcalc.uncertainty.summary import PERCENTILES as PERCENTILES  # re-exported: the
from gwcalc.uncertainty.summary import Summary as Summary  # summaries' home before they
from gwcalc.uncertainty.summary import percentile as percentile  # moved to summary.py
from gwcalc.uncertainty.summary import percentile_error as percentile_error
from gwcalc.uncertainty.summary import probability as probability
from gwcalc.uncertainty.summary import summarize as summarize
from gwcalc.units.registry import Q_, Quantity, Unit

if TYPE_CHECKING:
    from gwcalc.engine.graph import Conversion
    from gwcalc.uncertainty.arrays import Floats

    Samples = Sequence[float] | Floats  # one output's samples: floats, or a numpy array
    from gwcalc.engine.plan import Plan
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.distributions import Distribution

DEFAULT_SEED = 20261202
MAX_SAMPLES = 1_000_000
CHUNK = 65_536  # samples evaluated at a time: memory stays bounded whatever N is
GIVEN = "given_quantity"  # the figure a quantity typed as a range becomes (ranged_input)
# From this many evaluations on (samples, or samples × years of a timeline), draws, evaluations
# and summaries run on numpy arrays (the same numbers, uncertainty.arrays); fewer are done as
# floats, no slower than numpy's import (~0.1 s; issue 19: numpy may cost no command 5%).
ARRAYS_FROM = 100_000


def use_arrays(n: int) -> bool:
    """Whether n evaluations (samples, or samples × years) are taken with numpy
    (uncertainty.arrays): from ARRAYS_FROM on, when numpy can be imported. The program hides
    numpy from pint at start-up (gwcalc.__main__), so pint keeps plain floats; pint is imported
    first here, and then numpy is let through."""
    if n < ARRAYS_FROM:
        return False
    import gwcalc.units.registry

    if "numpy" in sys.modules and sys.modules["numpy"] is None:
        del sys.modules["numpy"]
    try:
        import gwcalc.uncertainty.arrays  # noqa: F401  (imports numpy)
    except ImportError:  # numpy is not installed: floats
        return False
    return True


@contextmanager
def computable() -> Iterator[None]:
    """A sample beyond a float (a zero divisor, an overflow) as the one error it is to users."""
    try:
        yield
    except (ZeroDivisionError, OverflowError) as exc:
        raise GwcalcError(
            "a sample is beyond what can be computed (a divisor drew zero, or a value overflowed)",
            "narrow the ranges that reach zero or extreme values",
        ) from exc


def check_samples(n: int) -> int:
    """A number of samples gwcalc takes: 1 to MAX_SAMPLES."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SAMPLES:
        raise ParameterError(
            f"{n!r} samples: the number of samples must be a whole number from 1 to "
            f"{MAX_SAMPLES:,}",
            "10,000 gives percentiles to about 1%; 1,000,000 take about a second for gap, "
            "a few for timeline",
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

    def arrays(self, n: int) -> list[Floats | float]:
        """columns(n) as numpy arrays, the same values (a float for a column that does not
        vary); needs use_arrays."""
        from gwcalc.uncertainty.arrays import column, uniforms

        shared = {d: uniforms(self._streams[d], n) for d in self._shared}
        out: list[Floats | float] = []
        for i in self.inputs:
            if i.distribution is None:
                out.append(i.constant)
                continue
            draws = shared.get(i.driver)
            values = column(
                i.distribution, uniforms(self._streams[i.driver], n) if draws is None else draws
            )
            if i.factor != 1.0:
                values = values * i.factor
            if i.relative:
                values = values / i.constant
            out.append(values)
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


def sample_outputs(plan: Plan, sampler: Sampler, n: int) -> Sequence[Samples]:
    """n evaluations of every output of a plan (its sampler's columns): with numpy at once
    (use_arrays), else as floats in chunks of CHUNK; the same values either way."""
    if use_arrays(n):
        from gwcalc.uncertainty.arrays import plan_outputs

        with computable():
            return plan_outputs(plan, sampler, n)
    outputs = [array("d") for _ in plan.outputs]
    for count in chunks(n):
        with computable():
            results = plan.evaluate_columns(sampler.columns(count))
        for store, values in zip(outputs, results, strict=True):
            store.extend(values)
    return outputs


def summarize_samples(values: Samples) -> Summary:
    """summarize, by selection for samples held in a numpy array (sample_outputs's with
    use_arrays): the same summary."""
    if isinstance(values, Sequence):  # numpy's arrays are not Sequences
        return summarize(values)
    from gwcalc.uncertainty.arrays import summarize_array

    return summarize_array(values)


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
        o.name: summarize_samples(v)
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

    def of(values: Mapping[str, Samples]) -> Uncertainty:
        summaries = {k: summarize_samples(values[k]) for k in shown}
        return Uncertainty(n, seed, varied, summaries, units)

    a_in_units = {name: _times(a_at[name], ratio[name]) for name in shown}
    changes = {name: _minus(b_at[name], a_in_units[name]) for name in shown}
    return DiffUncertainty(of(a_in_units), of(b_at), of(changes))


def _times(values: Samples, factor: float) -> Samples:
    """Each sample times factor (numpy's arrays element by element: the same floats)."""
    if isinstance(values, Sequence):
        return [v * factor for v in values]
    return values * factor


def _minus(values: Samples, others: Samples) -> Samples:
    """Each sample minus the other's of the same draw."""
    if isinstance(values, Sequence) and isinstance(others, Sequence):
        return [v - o for v, o in zip(values, others, strict=True)]
    return values - others  # type: ignore[operator]  # numpy arrays (use_arrays)
