"""Samples summarised: percentiles by order statistics, their Monte Carlo errors, the mean."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from gwcalc.errors import GwcalcError
from gwcalc.units.floats import float_fault

PERCENTILES = (5.0, 50.0, 95.0)


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
    standard deviation (√(n·p·(1−p)) ranks) either side of the percentile."""
    p = q / 100
    spread = math.sqrt(n * p * (1 - p))
    return max(0, math.floor(n * p - spread)), min(n - 1, math.ceil(n * p + spread))


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
    return summary_of(ordered, lambda: math.fsum(ordered))


def summary_of(ordered: Ordered, total: Callable[[], float]) -> Summary:
    """summarize, from the samples' order statistics (ordered[i]: the i-th smallest, read only
    at ranks(len(ordered))) and their exact sum (math.fsum's, asked for only when needed)."""
    p5, p50, p95 = (percentile(ordered, q) for q in PERCENTILES)
    if ordered[0] == ordered[-1]:  # every sample alike: exactly that value
        return Summary(ordered[0], ordered[0], ordered[0], ordered[0], (0.0, 0.0, 0.0))
    mean = total() / len(ordered)
    errors = tuple(percentile_error(ordered, q) for q in PERCENTILES)
    for number in (p5, p50, p95, mean):
        fault = float_fault(number)
        if fault is not None:
            raise GwcalcError(
                f"a sampled output is {fault}",
                "narrow the ranges that reach zero or extreme values",
            )
    return Summary(p5, p50, p95, mean, (errors[0], errors[1], errors[2]))
