"""diff --timeline's parts the slow way, as a test oracle (not in the package): a whole
timeline per coalition of the changed inputs, and each input's exact Shapley value over them.

This is what the package's split into per-chip and per-deal terms must equal (Shapley values
are linear in the game); it costs 2^n timelines for n changed inputs, so keep n small."""

from __future__ import annotations

import math
from collections.abc import Sequence

from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.timelines.compute import ComputedTimeline, compute_timeline
from gwcalc.timelines.inputs import ChangedInput, changed_inputs, hybrid
from gwcalc.timelines.terms import canonical
from gwcalc.timelines.views import time_axis_of
from gwcalc.units import DEFAULT_UNIT


def whole_timeline_parts(
    a: AssumptionSet,
    b: AssumptionSet,
    year: int | None = None,
    statuses: Sequence[str] | None = None,
    unit: str = DEFAULT_UNIT,
) -> tuple[dict[ChangedInput, float], list[ComputedTimeline]]:
    """(each changed input's exact Shapley value of the cumulative gap in `year`, every
    coalition's timeline). A coalition's timeline is A with those of B's inputs (`hybrid`);
    one that cannot be computed raises its GwcalcError."""
    ta, tb = time_axis_of(a), time_axis_of(b)
    first, last = max(ta.start, tb.start), min(ta.end, tb.end)
    year = last if year is None else year
    players = canonical(changed_inputs(a, b, statuses is None))
    n = len(players)
    timelines = [
        compute_timeline(
            hybrid(a, b, [p for i, p in enumerate(players) if mask >> i & 1]),
            unit,
            first,
            last,
            statuses,
        )
        for mask in range(1 << n)
    ]
    gaps = [next(r.gap for r in t.rows if r.year == year) for t in timelines]
    parts = {}
    for i, player in enumerate(players):
        bit, steps = 1 << i, []
        for mask in range(1 << n):
            if not mask & bit:
                size = mask.bit_count()  # |S|! (n − |S| − 1)! / n!
                weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
                steps.append(weight * (gaps[mask | bit] - gaps[mask]))
        parts[player] = math.fsum(steps)
    return parts, timelines
