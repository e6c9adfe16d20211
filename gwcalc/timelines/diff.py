"""Two timelines compared: which input moved the cumulative gap in a year, and the catch-up year."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from gwcalc.errors import GwcalcError, ParameterError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.sets.time_axis import Chip, Deal, Timeline
from gwcalc.timelines.compute import TimelineResult, compute_timeline


@dataclass(frozen=True)
class Input:
    """One input that differs between two sets: a parameter (all its years), a chip's figures,
    the chip mix, a deal, or which statuses count."""

    kind: str  # "parameter", "chip", "mix", "deal" or "statuses"
    name: str

    @property
    def label(self) -> str:
        return self.name if self.kind == "parameter" else f"{self.kind} {self.name}".strip()


@dataclass(frozen=True)
class TimelineDiff:
    """A's and B's timelines over their common years, the gap in one year and what moved it."""

    before: TimelineResult
    after: TimelineResult
    year: int
    parts: tuple[tuple[Input, float], ...]  # each input's part of the gap's change in `year`
    # A's catch-up year with that input from B (or ALONE_NOT_POSSIBLE: it needs others of B's)
    catch_up: tuple[tuple[Input, int | str | None], ...]

    def row(self, result: TimelineResult) -> Any:
        return next(r for r in result.rows if r.year == self.year)

    @property
    def gap_change(self) -> float:
        return float(self.row(self.after).gap - self.row(self.before).gap)

    @property
    def differs(self) -> bool:
        return bool(self.parts)


def _numbers(p: Parameter | None) -> Any:
    if p is None:
        return None
    return (p.quantity, tuple((y.year, y.value) for y in p.by_year))


def _chip_numbers(chip: Chip) -> Any:
    return {k: p.quantity for k, p in chip.figures.items()}


def _deal_numbers(deal: Deal | None) -> Any:
    if deal is None:
        return None
    d = deal.to_dict()
    return {k: d.get(k) for k in ("status", "size", "start", "end", "phasing", "shares")} | {
        "same_capacity_as": deal.same_capacity_as
    }


def changed_inputs(a: AssumptionSet, b: AssumptionSet, statuses: bool = True) -> list[Input]:
    """Every input whose numbers differ between a and b (sources and notes aside)."""
    ta, tb = _timeline(a), _timeline(b)
    names = list(dict.fromkeys([*a.parameters, *b.parameters]))
    out = [
        Input("parameter", n)
        for n in names
        if _numbers(a.parameters.get(n)) != _numbers(b.parameters.get(n))
    ]
    out += [
        Input("chip", n)
        for n in ta.chips
        if n in tb.chips and _chip_numbers(ta.chips[n]) != _chip_numbers(tb.chips[n])
    ]
    if {y: m.shares for y, m in ta.mix.items()} != {y: m.shares for y, m in tb.mix.items()}:
        out.append(Input("mix", ""))
    deals = list(dict.fromkeys([d.name for d in ta.deals] + [d.name for d in tb.deals]))
    out += [
        Input("deal", n) for n in deals if _deal_numbers(ta.deal(n)) != _deal_numbers(tb.deal(n))
    ]
    if statuses and ta.counted_statuses != tb.counted_statuses:
        out.append(Input("statuses", "counted"))
    return out


def _timeline(aset: AssumptionSet) -> Timeline:
    if aset.timeline is None:
        raise ParameterError(
            f"assumption set {aset.label} has no time axis (a format {aset.format} file)",
            "compare sets with a [timeline], e.g. seed-2025 and independent-2026",
        )
    return aset.timeline


def hybrid(a: AssumptionSet, b: AssumptionSet, inputs: Sequence[Input]) -> AssumptionSet:
    """Set a with the given inputs taken from b (a chip only b has is added: unused, it changes
    nothing until b's mix names it)."""
    ta, tb = _timeline(a), _timeline(b)
    params = dict(a.parameters)
    chips = {**tb.chips, **ta.chips}
    mix, counted = ta.mix, ta.counted_statuses
    deals: dict[str, Deal | None] = {d.name: d for d in ta.deals}
    for item in inputs:
        if item.kind == "parameter":
            if item.name in b.parameters:
                params[item.name] = b.parameters[item.name]
            else:
                params.pop(item.name, None)
        elif item.kind == "chip":
            chips[item.name] = tb.chips[item.name]
        elif item.kind == "mix":
            mix = tb.mix
        elif item.kind == "deal":
            deals[item.name] = tb.deal(item.name)
        else:
            counted = tb.counted_statuses
    kept = tuple(d for d in deals.values() if d is not None)
    timeline = ta._replace(chips=chips, mix=mix, deals=kept, counted_statuses=counted)
    return replace(a, parameters=params, timeline=timeline)


def diff_timelines(
    a: AssumptionSet,
    b: AssumptionSet,
    unit: str = "GW",
    year: int | None = None,
    statuses: Sequence[str] | None = None,
) -> TimelineDiff:
    """Compare a's and b's timelines over their common years; split the change of the
    cumulative gap in `year` (default: the last common year) among the inputs that differ."""
    ta, tb = _timeline(a), _timeline(b)
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

    def run(aset: AssumptionSet) -> TimelineResult:
        return compute_timeline(aset, unit, first, last, statuses)

    def gap_in(result: TimelineResult) -> float:
        return next(r.gap for r in result.rows if r.year == year)

    before, after = run(a), run(b)
    inputs = changed_inputs(a, b, statuses is None)
    try:
        parts = _sequential_parts(
            inputs,
            lambda chosen: gap_in(run(hybrid(a, b, chosen))),
            lambda chosen: gap_in(run(hybrid(b, a, chosen))),
        )
    except GwcalcError:  # a mixed set that cannot be evaluated (e.g. a deal without its rate)
        parts = ()
    residual = gap_in(after) - gap_in(before) - sum(part for _, part in parts)
    if abs(residual) > 1e-9 * max(1.0, abs(gap_in(after)), abs(gap_in(before))):
        parts += ((Input("other", "(not split)"), residual),)  # the parts still add up
    catch_up = tuple((i, _covered_alone(run, hybrid(a, b, [i]))) for i in inputs)
    return TimelineDiff(before, after, year, parts, catch_up)


def _covered_alone(
    run: Callable[[AssumptionSet], TimelineResult], mixed: AssumptionSet
) -> int | str | None:
    """A's catch-up year with one input from B, or why it cannot be had alone."""
    try:
        return run(mixed).covered_in
    except GwcalcError:  # e.g. B's deal in all-in dollars, and A has no all-in rate
        return ALONE_NOT_POSSIBLE


ALONE_NOT_POSSIBLE = "needs other inputs of B"
ORDER = ("parameter", "chip", "mix", "statuses", "deal")  # rates before what they convert


def _sequential_parts(
    inputs: Sequence[Input],
    forward: Callable[[Sequence[Input]], float],
    backward: Callable[[Sequence[Input]], float],
) -> tuple[tuple[Input, float], ...]:
    """Each input's part of the change: A takes B's inputs one at a time (rates first, then
    deals), and B takes A's in the reverse order (deals first); each input's part is the mean
    of its step in the two passes, so the parts add up exactly to the change."""
    if not inputs:
        return ()
    ordered = sorted(inputs, key=lambda i: ORDER.index(i.kind))
    steps: dict[Input, list[float]] = {i: [] for i in ordered}
    for order, value, sign in ((ordered, forward, 1.0), (ordered[::-1], backward, -1.0)):
        chosen: list[Input] = []
        previous = value(chosen)
        for item in order:
            chosen.append(item)
            current = value(chosen)
            steps[item].append(sign * (current - previous))
            previous = current
    return tuple((i, (s[0] + s[1]) / 2) for i, s in steps.items())
