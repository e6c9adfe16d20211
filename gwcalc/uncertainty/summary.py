"""Samples summarised: percentiles by order statistics, their Monte Carlo errors, the mean."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from gwcalc.errors import GwcalcError
from gwcalc.units.floats import float_fault

PERCENTILES = (5.0, 50.0, 95.0)
# A standard error is estimated from the samples' spread: one sample has none, so from 2 on
# (below, the API gives None and JSON null, never 0). The sample standard deviation of one value
# divides 0 by 0, and the order statistics either side of a percentile are then the one value.
ERRORS_FROM = 2
# From this many samples on, at least one sample is expected beyond p5 and one beyond p95 (one in
# twenty), and p5's error window (one binomial standard deviation of ranks either side) lies
# inside the samples; with fewer, p5 and p95 lie between the two lowest and the two highest
# samples, and their errors are read from windows moved inside the samples (rough).
PERCENTILES_FROM = 20


class Ordered(Protocol):
    """Samples in rising order, or the order statistics of them that are read (ranks)."""

    def __len__(self) -> int: ...

    def __getitem__(self, i: int, /) -> float: ...


def percentile(ordered: Ordered, q: float) -> float:
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


def _error_ranks(n: int, q: float) -> tuple[int, int]:
    """The order statistics (0-based) whose half spread is percentile_error: one binomial
    standard deviation (√(n·p·(1−p)) ranks) either side of the percentile; a window that runs
    past the first or last sample keeps its width (up to all n) and is moved inside, so few
    samples never read one order statistic twice (an error of 0 while the samples differ)."""
    p = q / 100
    spread = math.sqrt(n * p * (1 - p))
    low, high = math.floor(n * p - spread), math.ceil(n * p + spread)
    width = min(high - low, n - 1)
    low = min(max(0, low), n - 1 - width)
    return low, low + width


def percentile_error(ordered: Ordered, q: float) -> float:
    """Monte Carlo standard error of a sample percentile, distribution-free: half the spread
    between the order statistics one binomial standard deviation (√(n·p·(1−p)) ranks) either
    side of it."""
    low, high = _error_ranks(len(ordered), q)
    return (ordered[high] - ordered[low]) / 2


def ranks(n: int) -> tuple[int, ...]:
    """Every order statistic (0-based, rising) that summarize reads of n samples: the first and
    last, the two either side of each percentile, and the two of each percentile's error; so
    selecting these few (numpy's partition) summarises as sorting all n does."""
    wanted = {0, n - 1}
    for q in PERCENTILES:
        position = (n - 1) * q / 100
        below = math.floor(position)
        wanted.update((below, min(below + 1, n - 1), *_error_ranks(n, q)))
    return tuple(sorted(wanted))


def probability(flags: Sequence[bool]) -> tuple[float, float | None]:
    """(share of samples where an event holds, its Monte Carlo standard error), e.g. the
    probability that supply covers demand by a year, from per-sample flags."""
    if not flags:
        raise ValueError("no samples")
    p = sum(flags) / len(flags)
    return p, probability_error(p, len(flags))


def probability_error(p: float, n: int) -> float | None:
    """The Monte Carlo standard error of a share p of n samples: s/√n, s the sample standard
    deviation (divisor n − 1) of the samples' 0/1 flags, so √(p(1−p)/(n−1)); None below
    ERRORS_FROM samples (one flag has no spread to estimate it from)."""
    if n < ERRORS_FROM:
        return None
    return math.sqrt(p * (1 - p) / (n - 1))


@dataclass(frozen=True)
class Summary:
    """One output's samples summarised: percentiles, mean and their Monte Carlo errors."""

    p5: float
    p50: float
    p95: float
    mean: float
    # standard errors of p5, p50 and p95; None below ERRORS_FROM samples (no spread to read)
    errors: tuple[float, float, float] | None

    @property
    def standard_errors(self) -> tuple[float | None, float | None, float | None]:
        """The errors of p5, p50 and p95, each None where it is not known: errors None (fewer
        than 2 samples), or not finite (a percentile among samples that are infinite, such as
        a payback that never comes: ∞ − ∞, or ∞ − x, is no error)."""
        if self.errors is None:
            return None, None, None
        p5, p50, p95 = (e if math.isfinite(e) else None for e in self.errors)
        return p5, p50, p95

    @property
    def largest_error(self) -> float | None:
        """The largest of the three errors (as the tables show it), None if not known."""
        return None if self.errors is None else max(self.errors)


def percentile_errors(ordered: Ordered) -> tuple[float, float, float] | None:
    """percentile_error of p5, p50 and p95, or None below ERRORS_FROM samples."""
    if len(ordered) < ERRORS_FROM:
        return None
    p5, p50, p95 = (percentile_error(ordered, q) for q in PERCENTILES)
    return p5, p50, p95


def summarize(values: Sequence[float]) -> Summary:
    """p5, p50, p95, mean and the percentiles' standard errors of samples."""
    ordered = sorted(values)
    return summary_of(ordered, lambda: math.fsum(ordered))


def summary_of(ordered: Ordered, total: Callable[[], float]) -> Summary:
    """summarize, from the samples' order statistics (ordered[i]: the i-th smallest, read only
    at ranks(len(ordered))) and their exact sum (math.fsum's, asked for only when needed)."""
    p5, p50, p95 = (percentile(ordered, q) for q in PERCENTILES)
    if ordered[0] == ordered[-1]:  # every sample alike: exactly that value
        alike = None if len(ordered) < ERRORS_FROM else (0.0, 0.0, 0.0)
        return Summary(ordered[0], ordered[0], ordered[0], ordered[0], alike)
    mean = total() / len(ordered)
    for number in (p5, p50, p95, mean):
        fault = float_fault(number)
        if fault is not None:
            raise GwcalcError(
                f"a sampled output is {fault}",
                "narrow the ranges that reach zero or extreme values",
            )
    return Summary(p5, p50, p95, mean, percentile_errors(ordered))
