"""Two sets' per-GW economics over N samples, as `diff --samples` shows the gap's: each output's
p5/p50/p95 in A, in B and of B − A taken sample by sample (a figure ranged in both sets gets the
same draws in both: the sampler seeds each figure's stream by its name); drawn by
gwcalc.uncertainty.economics.econ_diff_uncertainty."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gwcalc.uncertainty.sampling import Summary, percentile, summarize
from gwcalc.uncertainty.summary import ERRORS_FROM

if TYPE_CHECKING:
    from gwcalc.econ.model import EconOutput

PERCENTILES = (5.0, 50.0, 95.0)
Probability = tuple[float, float | None]  # a share of samples, its standard error (None: n < 2)


@dataclass(frozen=True)
class EconDiffUncertainty:
    """Each per-GW output's samples summarised in A, in B and of B − A (per sample)."""

    samples: int
    seed: int
    varied: tuple[str, ...]  # the figures with a range in A or in B
    before: Mapping[str, Summary]
    after: Mapping[str, Summary]
    change: Mapping[str, Summary]
    outputs: Mapping[str, EconOutput]  # each output by name: its label, unit, percent
    years: Mapping[int, YearSamples] = field(default_factory=dict)  # the revenue gap by year


@dataclass(frozen=True)
class YearSamples:
    """One year's revenue gaps (both bases) in A, in B and of B − A, and the probability that
    AI revenue covers the revenue needed in A and in B ((p, its standard error), each basis)."""

    before: Mapping[str, Summary]
    after: Mapping[str, Summary]
    change: Mapping[str, Summary]
    covers: tuple[Probability, Probability]  # A, B
    covers_sequoia: tuple[Probability, Probability]  # A, B


YEAR_OUTPUTS = ("revenue_gap", "revenue_gap_sequoia")


def compared(xs: Sequence[float], ys: Sequence[float]) -> tuple[Summary, Summary, Summary]:
    """A's samples, B's and B − A's (sample by sample), summarised."""
    change = [sample_change(x, y) for x, y in zip(xs, ys, strict=True)]
    return summarize_infinite(xs), summarize_infinite(ys), summarize_infinite(change)


def sample_change(a: float, b: float) -> float:
    """B − A of one sample: 0 when both are the same infinity (a payback that never comes in
    either), else the difference (±∞ when one of them is infinite)."""
    return 0.0 if a == b else b - a


def _ordered_percentile(ordered: Sequence[float], q: float) -> float:
    """percentile, where a neighbour that is infinite makes the percentile that infinity
    (interpolating towards −∞ would be −∞ + ∞)."""
    position = (len(ordered) - 1) * q / 100
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    low, high = ordered[below], ordered[above]
    if position == below or low == high:
        return low
    if math.isinf(low) or math.isinf(high):
        return low if math.isinf(low) else high
    return percentile(ordered, q)


def summarize_infinite(values: Sequence[float]) -> Summary:
    """summarize, for samples that may be ±∞: the percentiles of the sorted values (an
    infinite neighbour makes a percentile infinite), the mean and the errors ∞ (not known)."""
    if all(math.isfinite(v) for v in values):
        return summarize(values)
    ordered = sorted(values)
    p5, p50, p95 = (_ordered_percentile(ordered, q) for q in PERCENTILES)
    mean = sum(ordered) / len(ordered)  # ±∞ (NaN when both ends are infinite)
    unknown = None if len(ordered) < ERRORS_FROM else (math.nan, math.nan, math.nan)
    return Summary(p5, p50, p95, mean, unknown)
