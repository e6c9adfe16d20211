"""Two timelines compared: which input moved the cumulative gap in a year, and the catch-up year."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gwcalc.errors import ParameterError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.timelines.compute import ComputedTimeline, YearRow, compute_timeline
from gwcalc.timelines.inputs import ChangedInput, changed_inputs
from gwcalc.timelines.shapley import EXACT_LIMIT, SAMPLED_ORDERS, SEED
from gwcalc.timelines.sharing import attribute
from gwcalc.timelines.terms import Mixer, canonical
from gwcalc.timelines.views import time_axis_of
from gwcalc.units import DEFAULT_UNIT


@dataclass(frozen=True)
class TimelineDiff:
    """A's and B's timelines over their common years, the gap in one year and what moved it."""

    before: ComputedTimeline
    after: ComputedTimeline
    year: int
    parts: tuple[tuple[ChangedInput, float], ...]  # each input's part of the gap's change in `year`
    # A's catch-up year with that input from B (or ALONE_NOT_POSSIBLE: it needs others of B's)
    catch_up: tuple[tuple[ChangedInput, int | str | None], ...]
    method: str = ""  # how the parts were found (METHOD, or METHOD + NOT_EXACT)

    def row(self, result: ComputedTimeline) -> YearRow:
        return next(r for r in result.rows if r.year == self.year)

    @property
    def gap_change(self) -> float:
        return float(self.row(self.after).gap - self.row(self.before).gap)

    @property
    def differs(self) -> bool:
        return bool(self.parts)


def diff_timelines(
    a: AssumptionSet,
    b: AssumptionSet,
    unit: str = DEFAULT_UNIT,
    year: int | None = None,
    statuses: Sequence[str] | None = None,
) -> TimelineDiff:
    """Compare a's and b's timelines over their common years; split the change of the
    cumulative gap in `year` (default: the last common year) among the inputs that differ."""
    ta, tb = time_axis_of(a), time_axis_of(b)
    first, last = max(ta.start, tb.start), min(ta.end, tb.end)
    if first > last:
        raise ParameterError(
            f"{a.label} ({ta.start}–{ta.end}) and {b.label} ({tb.start}–{tb.end}) share no year"
        )
    year = last if year is None else year
    if not first <= year <= last:
        raise ParameterError(
            f"{year} is not a year both timelines cover", f"choose from {first} to {last}"
        )

    scopes = [time_axis_of(s).demand_buyers for s in (a, b)]
    if scopes[0] != scopes[1]:
        raise ParameterError(
            f"{a.label} and {b.label} count demand at different scopes (demand_buyers "
            f"{scopes[0]!r} and {scopes[1]!r}): one counts every buyer's plans, the other the "
            "buyers its deals name, so their gaps are not like for like",
            "compare two sets whose demand counts the same buyers",
        )
    before = compute_timeline(a, unit, first, last, statuses)
    after = compute_timeline(b, unit, first, last, statuses)
    return _attributed(before, after, year, statuses)


def _attributed(
    before: ComputedTimeline, after: ComputedTimeline, year: int, statuses: Sequence[str] | None
) -> TimelineDiff:
    """Share the gap's change out among the inputs that differ (timelines.terms, .sharing)."""

    a, b = before.aset, after.aset
    inputs = canonical(changed_inputs(a, b, statuses is None))
    years = range(before.rows[0].year, before.rows[-1].year + 1)
    counted = before.counted_statuses if statuses is not None else None
    mixer = Mixer(before, after, inputs, counted)
    base = tuple(r.supply for r in before.rows), tuple(r.demand for r in before.rows)
    found, exact, catch_up = attribute(mixer, years.index(year), base) if inputs else ([], True, [])
    parts = tuple(found)
    gap_before, gap_after = (next(r.gap for r in t.rows if r.year == year) for t in (before, after))
    residual = gap_after - gap_before - math.fsum(part for _, part in parts)
    if abs(residual) > 1e-9 * max(1.0, abs(gap_after), abs(gap_before)):
        parts += ((ChangedInput("other", "(not split)"), residual),)  # the parts still add up
    method = METHOD if exact else METHOD + NOT_EXACT
    return TimelineDiff(before, after, year, parts, tuple(catch_up), method)


METHOD = (
    "Shapley values: each input's part is its mean effect over every order in which A takes "
    "B's inputs, so no order of the inputs counts; the gap is split into terms (each chip's "
    "supply, each deal's demand), each shared out exactly over the few inputs it depends on "
    "(the parts add up to the change)"
)
NOT_EXACT = (
    f"; a term with more than {EXACT_LIMIT} inputs takes the changed deals up its chain of "
    "links as one input, whose part its deals share equally, and any term still that large is "
    f"shared out over {SAMPLED_ORDERS} random orders (seed {SEED}), the same on every run"
)
