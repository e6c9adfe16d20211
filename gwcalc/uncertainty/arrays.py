"""Sampling many at once with numpy: the same draws, values and summaries as the float path.

Imported only by the sampling code, for many samples (sampling.use_arrays). Every value is the
float the float path computes: the same uniform draws (numpy's MT19937 is Python's generator),
the same quantile formulas as element-wise operations in the same order (logarithms, exponentials
and powers through Python's own math, numpy's may differ in the last bit), the same evaluator
source; percentiles read the same order statistics, selected (np.partition) rather than sorted.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from gwcalc.engine.codegen import whole_columns
from gwcalc.engine.outputs import SERIES_NAMES
from gwcalc.uncertainty.summary import Summary, ranks, summarize, summary_of

if TYPE_CHECKING:
    from gwcalc.engine.plan import Plan
    from gwcalc.uncertainty.distributions import Distribution
    from gwcalc.uncertainty.sampling import Sampler

Floats = NDArray[np.float64]
Column = Floats | float  # a float: an input that does not vary


def uniforms(stream: random.Random, n: int) -> Floats:
    """The next n draws of a stream, as `[stream.random() or 0.5 for _ in range(n)]` gives
    them: numpy's MT19937 is the generator behind Python's random (its 624 words of state, two
    32-bit outputs per float, combined alike), so it carries on from the stream's state, and
    the stream then carries on from where numpy stopped."""
    version, words, gauss = stream.getstate()
    bits = np.random.MT19937()
    key = np.array(words[:-1], dtype=np.uint32)
    bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": words[-1]}}
    drawn = np.random.Generator(bits).random(n)
    state = bits.state["state"]
    stream.setstate((version, (*state["key"].tolist(), int(state["pos"])), gauss))
    drawn[drawn == 0.0] = 0.5
    return drawn


def each(function: Callable[[float], float], xs: Floats) -> Floats:
    """function (Python's math: libm, as the float path) applied to every element."""
    return np.fromiter(map(function, xs.tolist()), dtype=np.float64, count=len(xs))


@cache
def libm_alike() -> bool:
    """Whether numpy's exp and log give libm's floats, as Python's math.exp and math.log do:
    numpy calls libm for float64 unless it has its own SIMD code for the processor (AVX-512),
    which can differ in the last bit. Checked once, on 8,192 values across the ranges used."""
    xs = np.linspace(-40.0, 40.0, 4096) + np.linspace(0.0, 1e-3, 4096) ** 2
    ps = np.geomspace(1e-12, 1.0, 4096)
    return bool(
        np.array_equal(np.exp(xs), each(math.exp, xs))
        and np.array_equal(np.log(ps), each(math.log, ps))
    )


def exp(xs: Floats) -> Floats:
    """math.exp of each element (numpy's own when it is libm's: libm_alike)."""
    if libm_alike():
        with np.errstate(over="raise"):
            try:
                return np.exp(xs)
            except FloatingPointError:
                pass  # math.exp raises OverflowError, as the float path does
    return each(math.exp, xs)


def log(xs: Floats) -> Floats:
    """math.log of each element, all positive (numpy's own when it is libm's)."""
    return np.log(xs) if libm_alike() else each(math.log, xs)


def _horner(coefficients: Sequence[float], r: Floats) -> Floats:
    """((c0·r + c1)·r + c2)·r + … : the polynomial, evaluated in the order CPython's is."""
    out = coefficients[0] * r + coefficients[1]
    for c in coefficients[2:]:
        out = out * r + c
    return out


# statistics.NormalDist.inv_cdf's coefficients (Wichura's AS241), highest power first
_CENTRAL = (
    (2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
     4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
     1.3314166789178437745e2, 3.3871328727963666080e0),
    (5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
     2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
     4.2313330701600911252e1, 1.0),
)  # fmt: skip
_NEAR = (
    (7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
     1.27045825245236838258e0, 3.64784832476320460504e0, 5.76949722146069140550e0,
     4.63033784615654529590e0, 1.42343711074968357734e0),
    (1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
     1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0,
     2.05319162663775882187e0, 1.0),
)  # fmt: skip
_FAR = (
    (2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
     2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e0,
     5.46378491116411436990e0, 6.65790464350110377720e0),
    (2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
     7.86869131145613259100e-4, 1.48753612908506148525e-2, 1.36929880922735805310e-1,
     5.99832206555887937690e-1, 1.0),
)  # fmt: skip


def inverse_normal(p: Floats, mu: float, sigma: float) -> Floats:
    """The normal quantiles at p (strictly inside (0, 1)): statistics.NormalDist.inv_cdf's
    algorithm step by step, so each is the float CPython gives."""
    q = p - 0.5
    x = np.empty_like(p)
    central = np.abs(q) <= 0.425
    qc = q[central]
    r = 0.180625 - qc * qc
    x[central] = _horner(_CENTRAL[0], r) * qc / _horner(_CENTRAL[1], r)
    tail = ~central
    qt, pt = q[tail], p[tail]
    r = np.sqrt(-log(np.where(qt <= 0.0, pt, 1.0 - pt)))
    xt = np.empty_like(r)
    for rows, shift, (num, den) in ((r <= 5.0, 1.6, _NEAR), (r > 5.0, 5.0, _FAR)):
        s = r[rows] - shift
        xt[rows] = _horner(num, s) / _horner(den, s)
    x[tail] = np.where(qt < 0.0, -xt, xt)
    return mu + (x * sigma)


def column(dist: Distribution, us: Floats) -> Floats:
    """Distribution.from_uniforms over an array of draws: the same floats."""
    r = dist.range
    if dist.point is not None:
        return np.full(len(us), dist.point)
    if r.distribution in ("lognormal", "normal"):
        mu, sigma = dist.normal_parameters
        start, width = dist.span
        if (start, width) != (0.0, 1.0):
            us = start + us * width
        xs = inverse_normal(us, mu, sigma)
        return xs if r.distribution == "normal" else exp(xs)
    low, high = r.low, r.high
    if r.distribution == "uniform":
        return low + us * (high - low)
    if r.distribution == "triangular":
        span, mode = high - low, dist.mode
        lower = us * span < mode - low
        with np.errstate(invalid="ignore"):  # each branch is kept only where its root is real
            rising = low + np.sqrt(us * span * (mode - low))
            falling = high - np.sqrt((1 - us) * span * (high - mode))
        return np.where(lower, rising, falling)
    cum, xs = (np.array(t) for t in dist.pert_table)
    i = np.clip(bisect_left(cum, us), 1, len(cum) - 1)
    c0, c1, x0 = cum[i - 1], cum[i], xs[i - 1]
    with np.errstate(divide="ignore", invalid="ignore"):  # kept only where c1 > c0
        inside = x0 + (us - c0) / (c1 - c0) * (xs[i] - x0)
    return np.where(c1 > c0, inside, x0)


GUIDE = 1 << 16  # buckets of bisect_left's guide (a power of two: k / GUIDE is exact)


def bisect_left(table: Floats, xs: Floats) -> NDArray[np.intp]:
    """bisect.bisect_left(table, x) for each x in [0, 1) (the table rising): each x starts at
    its bucket's guide, the first entry ≥ k / GUIDE for x in [k / GUIDE, (k + 1) / GUIDE), and
    steps up while the entry is below x (the answer lies between the guides of k and k + 1:
    a step or none for a PERT's table, far quicker than a binary search per value)."""
    guide = np.searchsorted(table, np.arange(GUIDE + 1) / GUIDE, side="left")
    i = guide[(xs * GUIDE).astype(np.intp)]
    last = len(table) - 1
    rows = np.nonzero((i <= last) & (table[np.minimum(i, last)] < xs))[0]
    while rows.size:
        i[rows] += 1
        rows = rows[(i[rows] <= last) & (table[np.minimum(i[rows], last)] < xs[rows])]
    return i


def power(x: Any, exponent: int) -> Any:  # noqa: ANN401 (an array or a float, as evaluate's inputs)
    """x ** exponent as the float path computes it (Python's pow, element by element)."""
    if isinstance(x, np.ndarray):
        return np.fromiter((v**exponent for v in x.tolist()), dtype=np.float64, count=len(x))
    return x**exponent


def evaluate(source: str, columns: Sequence[Column], n: int) -> list[Floats]:
    """A formulas' source (engine.codegen) evaluated over whole columns: one array per formula
    (non-finite values as numpy leaves them: x / 0 is ±inf or nan, where Python raises)."""
    with np.errstate(all="ignore"):
        values = whole_columns(source, power)(columns)  # type: ignore[arg-type]  # arrays
    return [v if isinstance(v, np.ndarray) else np.full(n, v) for v in values]


def plan_outputs(plan: Plan, sampler: Sampler, n: int) -> list[Floats]:
    """sampling.sample_outputs at once: every output of a plan over n samples. A value beyond a
    float (a zero divisor, an overflow) is left to the float path, which raises or keeps it as
    it always has."""
    columns = sampler.arrays(n)
    outputs = evaluate(plan.source, columns, n)
    if all(np.isfinite(o).all() for o in outputs):
        return outputs
    lists = [c.tolist() if isinstance(c, np.ndarray) else [c] * n for c in columns]
    return [np.array(o) for o in plan.evaluate_columns(lists)]


def exact_sum(values: Floats) -> float:
    """math.fsum(values) (the exact sum, rounded once), a few passes over the array instead of
    a loop in Python: each pass splits every value into a high part, a multiple of one unit so
    coarse that any sum of them is exact (Rump, Ogita and Oishi's error-free extraction), and
    the exact remainder; the passes' exact sums then go through math.fsum. Values too large,
    too small or too many passes: math.fsum itself."""
    n, rest = len(values), values
    sums: list[float] = []
    bits = math.ceil(math.log2(n + 2)) + 1  # headroom: n high parts never reach the unit's 2⁵³
    for _ in range(8):
        top = float(np.max(np.abs(rest))) if n else 0.0
        if top == 0.0:
            total = math.fsum(sums)
            if total != 0.0:
                return total
            break  # an exact zero: math.fsum says which sign
        exponent = math.frexp(top)[1] + bits
        if not -900 < exponent < 1000:
            break
        sigma = math.ldexp(1.0, exponent)
        high = (sigma + rest) - sigma
        sums.append(float(np.sum(high)))
        rest = rest - high
    return math.fsum(np.ascontiguousarray(values).data)


class _Selected:
    """The order statistics summary_of reads, picked out of unsorted samples."""

    def __init__(self, picks: dict[int, float], n: int) -> None:
        self.picks, self.n = picks, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> float:
        return self.picks[i if i >= 0 else self.n + i]


def summarize_array(values: Floats) -> Summary:
    """summarize(values), by selecting the few order statistics it reads (summary.ranks) instead
    of sorting them all. Where selection could differ from a sort, the sort: values beyond a
    float, and a zero among those read (a stable sort keeps 0.0 and −0.0 in their order)."""
    n = len(values)
    if not np.isfinite(values).all():
        return summarize(values.tolist())
    kth = ranks(n)
    part = np.partition(values, kth)
    picks = {k: float(part[k]) for k in kth}
    if picks[0] == picks[n - 1]:  # all alike: a stable sort leaves the first one first
        picks = dict.fromkeys(kth, float(values[0]))
    elif 0.0 in picks.values():
        return summarize(values.tolist())
    return summary_of(_Selected(picks, n), lambda: exact_sum(values))


YearSummaries = dict[int, tuple[dict[str, Summary], int]]  # year -> (series, samples covered)


def timeline_summaries(
    sampler: Sampler, sources: Sequence[str], years: Sequence[int], n: int
) -> YearSummaries:
    """The timeline's Monte Carlo a year at a time over all n samples (one year's series held at
    once): supply and demand, running totals, gap, each summarised, and the samples where
    cumulative supply covers cumulative demand. A value beyond a float raises OverflowError."""
    columns = sampler.arrays(n)
    total_supply, total_demand = np.zeros(n), np.zeros(n)
    out: YearSummaries = {}
    for year, source in zip(years, sources, strict=True):
        supply, demand = evaluate(source, columns, n)
        total_supply = total_supply + supply
        total_demand = total_demand + demand
        gap = total_demand - total_supply
        if not np.isfinite(gap).all():  # running sums carry any inf or nan
            raise OverflowError
        covered = int(np.count_nonzero((gap <= 0) & (total_demand > 0)))
        series = (supply, demand, total_supply, total_demand, gap)
        summaries = {name: summarize_array(s) for name, s in zip(SERIES_NAMES, series, strict=True)}
        out[year] = summaries, covered
    return out
