"""Ranges of figures as probability distributions: quantiles, and samples from uniform draws."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from gwcalc.sets.ranges import BOUNDED, Range, check_credibility

if TYPE_CHECKING:
    from statistics import NormalDist

    from gwcalc.sets.figures import Parameter

_PERT_GRID = 2048  # points of a PERT's tabulated distribution function
_EDGE = 1e-12  # probabilities kept this far inside (0, 1), so no quantile is infinite
_THIN = 1e-9  # a tail beyond a figure's valid range thinner than this is not cut off


@dataclass(frozen=True)
class Distribution:
    """A range read as a distribution, truncated to [minimum, maximum] (a figure's valid range;
    a normal or lognormal tail beyond it is cut off, not piled up at the edge)."""

    range: Range
    mode: float  # the figure's value
    minimum: float = -math.inf
    maximum: float = math.inf

    @cached_property
    def _z(self) -> float:
        """The standard normal's quantile at the interval's upper end (1.645 for 90%)."""
        from statistics import NormalDist  # imported by sampling only, not by every command

        return NormalDist().inv_cdf(0.5 + self.range.credibility / 200)

    @cached_property
    def _normal(self) -> NormalDist:
        """For lognormal: the distribution of ln x; for normal: of x."""
        from statistics import NormalDist

        r = self.range
        if r.distribution == "lognormal":
            lo, hi = math.log(r.low), math.log(r.high)
        else:
            lo, hi = r.low, r.high
        return NormalDist((lo + hi) / 2, (hi - lo) / (2 * self._z))

    @cached_property
    def point(self) -> float | None:
        """The one value a range that is a point takes: low = high, or ends so close that the
        spread of a normal or lognormal rounds to zero (None for a real range)."""
        r = self.range
        if r.width_zero:
            return r.low
        if r.distribution in BOUNDED or self._normal.stdev > 0:
            return None
        mean = self._normal.mean
        return math.exp(mean) if r.distribution == "lognormal" else mean

    @cached_property
    def _window(self) -> tuple[float, float] | None:
        """(F(minimum), F(maximum)) of the untruncated distribution, or None when the tails
        beyond the valid range are too thin to matter (below 1e-9: about one sample in a
        billion would land there)."""
        if self.range.distribution in BOUNDED or self.point is not None:
            return None
        lo, hi = self.minimum, self.maximum
        if self.range.distribution == "lognormal":
            lo = math.log(lo) if lo > 0 else -math.inf
            hi = math.log(hi) if hi < math.inf else math.inf
        f_lo = self._normal.cdf(lo) if lo > -math.inf else 0.0
        f_hi = self._normal.cdf(hi) if hi < math.inf else 1.0
        if f_lo < _THIN and f_hi > 1 - _THIN:
            return None
        return f_lo, f_hi

    def quantile(self, p: float) -> float:
        """The value below which a fraction p of the (truncated) distribution lies: what
        from_uniforms gives for the draw p (kept strictly inside (0, 1))."""
        return self.from_uniforms([min(max(p, _EDGE), 1 - _EDGE)])[0]

    @cached_property
    def _span(self) -> tuple[float, float]:
        """(start, width) of the probabilities a draw in (0, 1) maps onto: (0, 1) untruncated,
        else the window (kept strictly inside (0, 1), where the normal quantile exists)."""
        if self._window is None:
            return 0.0, 1.0
        lo, hi = max(self._window[0], _EDGE), min(self._window[1], 1 - _EDGE)
        return lo, max(hi - lo, 0.0)

    def from_uniforms(self, us: Sequence[float]) -> list[float]:
        """Samples from uniform draws in (0, 1), one each: the draw's quantile (so parameters
        fed the same draws move together, in rank)."""
        r = self.range
        if self.point is not None:
            return [self.point] * len(us)
        if r.distribution in ("lognormal", "normal"):
            inv, mu, sigma = _inverse_normal(), self._normal.mean, self._normal.stdev
            start, width = self._span
            if (start, width) != (0.0, 1.0):
                us = [start + u * width for u in us]
            if r.distribution == "normal":
                return [inv(u, mu, sigma) for u in us]
            exp = math.exp
            return [exp(inv(u, mu, sigma)) for u in us]
        low, high = r.low, r.high
        if r.distribution == "uniform":
            return [low + u * (high - low) for u in us]
        if r.distribution == "triangular":
            mode = self.mode
            return [_triangular(u, low, mode, high) for u in us]
        return self._pert_quantiles(us)

    def draw(self, uniform: Callable[[], float], n: int) -> list[float]:
        """n samples, each from one call of uniform() (a float in [0, 1); 0 is read as ½):
        the same samples as from_uniforms over those draws, without the list of draws."""
        r = self.range
        if self.point is None and self._window is None and r.distribution == "lognormal":
            inv, exp = _inverse_normal(), math.exp
            mu, sigma = self._normal.mean, self._normal.stdev
            return [exp(inv(uniform() or 0.5, mu, sigma)) for _ in range(n)]
        return self.from_uniforms([uniform() or 0.5 for _ in range(n)])

    @cached_property
    def _pert_table(self) -> tuple[list[float], list[float]]:
        """(cumulative probabilities, x) on a grid: the PERT's Beta(α, β) distribution function,
        integrated once (α, β ≥ 1, so the density is bounded), inverted by interpolation."""
        r = self.range
        span = r.high - r.low
        alpha = 1 + 4 * (self.mode - r.low) / span
        beta = 1 + 4 * (r.high - self.mode) / span
        log_norm = math.lgamma(alpha + beta) - math.lgamma(alpha) - math.lgamma(beta)

        def density(t: float) -> float:
            if t <= 0 or t >= 1:
                edge = alpha if t <= 0 else beta
                return math.exp(log_norm) if edge == 1 else 0.0
            return math.exp(log_norm + (alpha - 1) * math.log(t) + (beta - 1) * math.log1p(-t))

        ts = [i / _PERT_GRID for i in range(_PERT_GRID + 1)]
        dens = [density(t) for t in ts]
        cum = [0.0]
        for i in range(_PERT_GRID):
            cum.append(cum[-1] + (dens[i] + dens[i + 1]) / (2 * _PERT_GRID))
        total = cum[-1]
        return [c / total for c in cum], [r.low + t * span for t in ts]

    def _pert_quantiles(self, ps: Sequence[float]) -> list[float]:
        """The PERT's quantiles at many probabilities: each interpolated in the tabulated
        distribution function (one loop, no call per value: sampling's inner loop)."""
        cum, xs = self._pert_table
        last, search = len(cum) - 1, bisect_left
        out: list[float] = []
        append = out.append
        for p in ps:
            i = search(cum, p)
            i = 1 if i < 1 else last if i > last else i
            c0, c1, x0 = cum[i - 1], cum[i], xs[i - 1]
            append(x0 + (p - c0) / (c1 - c0) * (xs[i] - x0) if c1 > c0 else x0)
        return out

    @property
    def normal_parameters(self) -> tuple[float, float]:
        """(μ, σ) of the normal (of ln x for a lognormal) that from_uniforms takes quantiles of."""
        return self._normal.mean, self._normal.stdev

    @property
    def span(self) -> tuple[float, float]:
        """(start, width) of the probabilities a draw maps onto: (0, 1) untruncated."""
        return self._span

    @property
    def pert_table(self) -> tuple[list[float], list[float]]:
        """A PERT's tabulated distribution function: (cumulative probabilities, x)."""
        return self._pert_table

    @property
    def log_sigma(self) -> float | None:
        """σ of ln x for an untruncated lognormal (None for other distributions)."""
        if self.range.distribution != "lognormal" or self._window is not None:
            return None
        return 0.0 if self.point is not None else self._normal.stdev


def _inverse_normal() -> Callable[[float, float, float], float]:
    """(p, mu, sigma) -> the normal quantile, for p strictly inside (0, 1): the C function
    behind statistics.NormalDist.inv_cdf when CPython has it (the public method spends as long
    again checking p, which every caller here has kept inside (0, 1)), else the method."""
    try:
        # CPython's accelerator module of statistics, typed here
        from _statistics import _normal_dist_inv_cdf  # type: ignore[import-not-found]  # no stubs

        inverse: Callable[[float, float, float], float] = _normal_dist_inv_cdf
        return inverse
    except ImportError:  # another Python: the public, checked method
        from statistics import NormalDist

        return lambda p, mu, sigma: NormalDist(mu, sigma).inv_cdf(p)


def _triangular(p: float, low: float, mode: float, high: float) -> float:
    span = high - low
    if p * span < mode - low:
        return low + math.sqrt(p * span * (mode - low))
    return high - math.sqrt((1 - p) * span * (high - mode))


def distribution_of(param: Parameter) -> Distribution | None:
    """A figure's range as a distribution, truncated to the figure's valid range (None when it
    has no range)."""
    if param.range is None:
        return None
    check_credibility(param.name, param.range)  # a range built in Python was never loaded
    return Distribution(param.range, param.value, *param.valid_bounds())
