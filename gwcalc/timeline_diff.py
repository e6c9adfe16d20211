"""Two timelines compared: which input moved the cumulative gap in a year, and the catch-up year."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from gwcalc.assumptions import AssumptionSet, Parameter
from gwcalc.errors import ParameterError
from gwcalc.shapley import EXACT_LIMIT, SAMPLED_ORDERS, SEED
from gwcalc.timeline import TimelineResult, compute_timeline
from gwcalc.timeline_data import Chip, Deal, Timeline


class Input(NamedTuple):
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
    method: str = ""  # how the parts were found (METHOD, or METHOD + SAMPLED)

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
    """What a deal's timeline depends on (its sources and notes aside)."""
    if deal is None:
        return None
    shares = dict(deal.shares) if deal.phasing == "shares" else None
    fields = (deal.status, deal.size_text, deal.start, deal.end, deal.phasing)
    return (*fields, shares, deal.same_capacity_as)


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
    deals_a, deals_b = {d.name: d for d in ta.deals}, {d.name: d for d in tb.deals}
    out += [
        Input("deal", n)
        for n in {**deals_a, **deals_b}
        if _deal_numbers(deals_a.get(n)) != _deal_numbers(deals_b.get(n))
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
    b_deals = {d.name: d for d in tb.deals} if any(i.kind == "deal" for i in inputs) else {}
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
            deals[item.name] = b_deals.get(item.name)
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

    before = compute_timeline(a, unit, first, last, statuses)
    after = compute_timeline(b, unit, first, last, statuses)
    return _attributed(before, after, year, statuses)


def _attributed(
    before: TimelineResult, after: TimelineResult, year: int, statuses: Sequence[str] | None
) -> TimelineDiff:
    """Share the gap's change out among the inputs that differ (gwcalc.timeline_terms)."""
    from gwcalc.timeline_terms import Mixer, attribute, canonical

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
        parts += ((Input("other", "(not split)"), residual),)  # the parts still add up
    method = METHOD if exact else METHOD + SAMPLED
    return TimelineDiff(before, after, year, parts, tuple(catch_up), method)


METHOD = (
    "Shapley values: each input's part is its mean effect over every order in which A takes "
    "B's inputs, so no order of the inputs counts; the gap is split into terms (each chip's "
    "supply, each deal's demand), each shared out exactly over the few inputs it depends on "
    "(the parts add up exactly)"
)
SAMPLED = (
    f"; a term with more than {EXACT_LIMIT} inputs is shared out over {SAMPLED_ORDERS} "
    f"random orders (seed {SEED}), the same on every run"
)


ALONE_NOT_POSSIBLE = "needs other inputs of B"
ORDER = ("parameter", "chip", "mix", "statuses", "deal", "other")  # rates before what they convert
