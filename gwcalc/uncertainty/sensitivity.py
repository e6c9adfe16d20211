"""One-at-a-time swings (a tornado) and variance shares of a gap output over a set's ranges."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwcalc.engine.plan import OutputPlan, Plan
from gwcalc.errors import RUN_RANGE, GwcalcError, ParameterError
from gwcalc.report.documents import (
    envelope,
    output_text,
    quantity_json,
    range_json,
    set_json,
)
from gwcalc.uncertainty.distributions import distribution_of
from gwcalc.uncertainty.sampling import DEFAULT_SEED, Sampler, check_samples
from gwcalc.units.registry import Q_, Quantity

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.distributions import Distribution

BINS = 50  # bins of the given-data estimate of a first-order variance share
# Sampled shares need 2 samples in each bin: with fewer, every bin is one sample, its mean that
# sample itself, and every share that moves comes out 100%.
SHARES_FROM = 2 * BINS


@dataclass(frozen=True)
class Effect:
    """One ranged parameter: the output at its low and at its high (the rest at their values)
    and its share of the output's variance."""

    name: str
    low: Quantity
    high: Quantity
    range_text: str  # e.g. 'lognormal 90%'
    output_at_low: float  # magnitudes in the output's unit
    output_at_high: float
    variance_share: float

    @property
    def swing(self) -> float:
        return self.output_at_high - self.output_at_low


@dataclass(frozen=True)
class Sensitivity:
    """A gap output's sensitivity to each ranged parameter, sorted by |swing|."""

    plan: Plan
    output: OutputPlan
    point: float  # the output at every parameter's value
    effects: tuple[Effect, ...]
    exact: bool  # shares of the variance of the log, exact (a product of independent figures)
    samples: int
    seed: int

    @property
    def method(self) -> str:
        if self.exact:
            return "exact: a product of independent figures, shares of the variance of its log"
        return "sampled: " + sampled_text(self.effects, self.samples, self.seed)

    def quantity(self, value: float) -> Quantity:
        return Q_(value, self.output.units)

    # what the renderers read (an economics output's sensitivity has the same)
    @property
    def aset(self) -> AssumptionSet:
        return self.plan.aset

    @property
    def label(self) -> str:
        return self.output.output.label

    def text(self, value: float) -> str:
        """A value of the output as the tables show it: '27.0%' for a share, else a quantity."""
        return output_text(self.output, value)

    @property
    def has_shares(self) -> bool:
        return True

    def _json(self, value: float) -> dict[str, Any]:
        return quantity_json(self.quantity(value))

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc sensitivity --json`."""
        q = self._json
        sampled = {} if self.exact else {"samples": self.samples, "seed": self.seed}
        return envelope(
            "sensitivity",
            assumptions=set_json(self.plan.aset),
            output=self.output.name,
            point=q(self.point),
            method="exact" if self.exact else "sampled",
            **sampled,
            parameters=[
                {
                    "name": e.name,
                    "range": range_json(self.plan.aset.parameters[e.name]),
                    "output_at_low": q(e.output_at_low),
                    "output_at_high": q(e.output_at_high),
                    "swing": q(e.swing),
                    "variance_share": e.variance_share,
                }
                for e in self.effects
            ],
        )


def sampled_text(effects: Sequence[Effect], samples: int, seed: int) -> str:
    """How sampled shares were found, and why they may not add up to 100%."""
    total = math.fsum(e.variance_share for e in effects)
    why = ""
    if total < 0.9:
        why = (
            " (below 100%: figures acting together, or an output so skewed that its "
            "variance is unstable: compare another --seed)"
        )
    elif total > 1.1:
        why = " (above 100%: figures of one group each show the whole group's share)"
    return f"first-order shares from {samples:,} samples (seed {seed}), together {total:.0%}{why}"


def _at(plan: Plan, index: int, name: str, value: Quantity) -> float:
    """The output (at index) with one parameter set to value, the rest at their values."""
    if name not in plan.parameters:
        return plan.evaluate(plan.values())[index]
    units = plan.parameter_units[plan.parameters.index(name)]
    return plan.evaluate(plan.vector({name: float(value.to(units).magnitude)}))[index]


def _exact_shares(plan: Plan, out: OutputPlan, ranged: list[str]) -> dict[str, float] | None:
    """eᵢ²·Var(ln Xᵢ) / Σ: shares of the variance of ln Y, exact for a product of independent
    figures of any distribution (each Var(ln Xᵢ) from its range's quantiles); None for other
    outputs, for figures of one group that move together, and for ranges reaching zero."""
    if not out.is_product:
        return None
    exponents: dict[str, float] = {}
    for f in out.factors:
        exponents[f.parameter] = exponents.get(f.parameter, 0) + f.exponent
    parts: dict[str, float] = {}
    groups: list[str] = []
    for name in ranged:
        param = plan.aset.parameters[name]
        dist = distribution_of(param)
        variance = log_variance(dist) if dist is not None else None
        if variance is None:
            return None
        if param.group is not None and exponents.get(name, 0) and variance:
            if param.group in groups:
                return None  # moving together: their shares do not separate
            groups.append(param.group)
        parts[name] = exponents.get(name, 0) ** 2 * variance
    total = math.fsum(parts.values())
    return {name: part / total if total else 0.0 for name, part in parts.items()}


LOG_GRID = 8192  # midpoints of (0, 1) at which a range's quantiles give Var(ln X)


def log_variance(dist: Distribution) -> float | None:
    """Var(ln X) of a range: σ² for an untruncated lognormal, else by the midpoint rule over
    its quantile function, ∫(ln Q(u))² du − (∫ln Q(u) du)² (None if the range reaches zero)."""
    sigma = dist.log_sigma
    if sigma is not None:
        return sigma * sigma
    values = dist.from_uniforms([(i + 0.5) / LOG_GRID for i in range(LOG_GRID)])
    if min(values) <= 0:
        return None
    logs = [math.log(v) for v in values]
    mean = math.fsum(logs) / LOG_GRID
    return math.fsum((x - mean) ** 2 for x in logs) / LOG_GRID


def _sampled_shares(
    plan: Plan, index: int, ranged: list[str], depends: tuple[str, ...], n: int, seed: int
) -> dict[str, float]:
    """First-order shares Var(E[Y | Xᵢ]) / Var(Y), from n samples: the samples sorted by each
    parameter's draws, in BINS bins of equal count; 0 for a parameter Y does not read."""
    try:
        columns = Sampler.for_set(plan.aset, plan, seed).columns(n)
        output = plan.evaluate_columns(columns)[index]
    except (ZeroDivisionError, OverflowError) as exc:
        raise GwcalcError(
            "a sample is beyond what can be computed (a divisor drew zero, or a value overflowed)",
            "narrow the ranges that reach zero or extreme values",
        ) from exc
    named = {name: columns[plan.parameters.index(name)] for name in ranged if name in depends}
    return given_data_shares(output, named, ranged)


def given_data_shares(
    output: Sequence[float], columns: Mapping[str, Sequence[float]], ranged: Sequence[str]
) -> dict[str, float]:
    """First-order shares Var(E[Y | Xᵢ]) / Var(Y) by the given-data estimate: the samples
    sorted by each parameter's draws (`columns`: those of the parameters Y reads), in BINS
    bins of equal count; 0 for a ranged parameter Y does not read (not in `columns`) and for
    one whose draws are all equal."""
    n = len(output)
    top = max((abs(y) for y in output), default=0.0)
    if 0 < top < math.inf:  # shares are ratios of variances: scaled to 1, no square overflows
        output = [y / top for y in output]
    mean = math.fsum(output) / n
    variance = math.fsum((y - mean) ** 2 for y in output) / n
    shares: dict[str, float] = {}
    # a draw that never varies (a range of equal ends) explains nothing: exactly 0, not the
    # estimate's noise of sorting by equal keys
    moving = [
        name for name in ranged if name in columns and min(columns[name]) < max(columns[name])
    ]
    for name in ranged:
        if len(moving) == 1 and name in moving and variance:
            shares[name] = 1.0  # the only figure that moves it: E[Y | X] is Y itself
            continue
        if name not in moving or not variance:
            shares[name] = 0.0
            continue
        column = columns[name]
        order = sorted(range(n), key=column.__getitem__)
        size = max(n // BINS, 1)
        between = 0.0
        for start in range(0, n, size):
            chunk = [output[i] for i in order[start : start + size]]
            between += len(chunk) * (math.fsum(chunk) / len(chunk) - mean) ** 2
        shares[name] = min(between / n / variance, 1.0)
    return shares


def _effect(plan: Plan, index: int, name: str, depends: tuple[str, ...], share: float) -> Effect:
    """One parameter's row: the output at its low and high (its point value where the output
    does not read the parameter: a swing of exactly zero)."""
    param = plan.aset.parameters[name]
    assert param.range is not None
    units = param.quantity.units
    low, high = Q_(param.range.low, units), Q_(param.range.high, units)
    point = plan.evaluate(plan.values())[index]
    at_low = _at(plan, index, name, low) if name in depends else point
    at_high = _at(plan, index, name, high) if name in depends else point
    return Effect(name, low, high, param.range.text(), at_low, at_high, share)


def sensitivity(
    plan: Plan, output: str = "coverage", samples: int = 20_000, seed: int = DEFAULT_SEED
) -> Sensitivity:
    """Every ranged parameter of the plan's set against one output: its low and high swings,
    and its share of the output's variance (of its log, exact, for a product of independent
    figures; else sampled)."""
    out = plan.output(output)
    index = plan.names.index(output)
    check_samples(samples)
    aset = plan.aset
    ranged = [n for n, p in aset.parameters.items() if p.range is not None]
    if not ranged:
        raise ParameterError(
            f"no parameter of {aset.label} has a range",
            f"give ranges in the set (low and high), or {RUN_RANGE}",
        )
    depends = plan.depends_on(output)
    shares = _exact_shares(plan, out, [n for n in ranged if n in depends])
    exact = shares is not None
    if shares is None:
        shares = _sampled_shares(plan, index, ranged, depends, samples, seed)
    effects = [_effect(plan, index, name, depends, shares.get(name, 0.0)) for name in ranged]
    effects.sort(key=lambda e: (-abs(e.swing), e.name))
    point = plan.evaluate(plan.values())[index]
    return Sensitivity(plan, out, point, tuple(effects), exact, samples, seed)
