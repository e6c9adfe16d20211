"""diff --timeline's terms shared out: each term's Shapley values over its own inputs (summed
into each input's part), and each input's catch-up year taken alone from B."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from gwcalc.errors import DimensionError, GwcalcError
from gwcalc.timelines.compute import YearRow, covered_in
from gwcalc.timelines.inputs import ALONE_NOT_POSSIBLE, ChangedInput
from gwcalc.timelines.shapley import shapley

if TYPE_CHECKING:  # types only: diff imports both, and this keeps the import graph shallow
    from gwcalc.timelines.terms import Mixer, Series, Term


class _Memo:
    """A term's values, each computed once: for the parts (a deal may borrow B's rates) and
    for the catch-up years (strict: a deal that needs B's rates cannot be had alone)."""

    def __init__(self, term: Term) -> None:
        self.term = term
        self.seen: dict[frozenset[ChangedInput], tuple[Series, bool]] = {}

    def found(self, chosen: frozenset[ChangedInput]) -> tuple[Series, bool]:
        if chosen not in self.seen:
            self.seen[chosen] = self.term.evaluate(chosen)
        return self.seen[chosen]

    def value(self, chosen: frozenset[ChangedInput]) -> Series:
        return self.found(chosen)[0]

    def strict(self, chosen: frozenset[ChangedInput]) -> Series:
        series, borrowed = self.found(chosen)
        if borrowed:
            raise DimensionError(f"{self.term.name} cannot be measured with A's rates")
        return series


def _scalar(
    value: Callable[[frozenset[ChangedInput]], Series], gap: Callable[[Series], float]
) -> Callable[[frozenset[ChangedInput]], float]:
    return lambda chosen: gap(value(chosen))


def attribute(
    mixer: Mixer, index: int, base: Series
) -> tuple[list[tuple[ChangedInput, float]], bool, list[tuple[ChangedInput, int | str | None]]]:
    """(each input's part of the change of the gap by the window's year `index`, exact?, each
    input's catch-up year alone). A term that cannot be evaluated with some of B's inputs (a
    deal in all-in dollars, and A has no all-in rate) gives no parts: its change is left over."""
    terms = [_Memo(t) for t in mixer.terms()]
    found: dict[ChangedInput, list[float]] = {i: [] for i in mixer.inputs}
    exact = True

    def gap(series: Series) -> float:
        supply, demand = series
        return math.fsum(demand[: index + 1]) - math.fsum(supply[: index + 1])

    for term in terms:
        try:
            parts, was_exact = shapley(term.term.players, _scalar(term.value, gap), term.term.null)
        except GwcalcError:
            continue
        exact = exact and was_exact and not term.term.groups
        for item, part in parts.items():
            if part == 0.0:  # adds nothing to any sum (math.fsum of zeros is 0.0)
                continue
            members = term.term.members(item)
            for member in members:  # a group's part shared equally among its deals
                found[member].append(part / len(members))
    parts_out = [(i, math.fsum(found[i])) for i in mixer.inputs]
    moving: dict[ChangedInput, list[_Memo]] = {i: [] for i in mixer.inputs}
    blocked: set[ChangedInput] = set()  # in a term that A's inputs cannot measure
    for term in terms:
        for item in term.term.movers():
            moving[item].append(term)
        try:
            term.strict(frozenset())
        except GwcalcError:
            blocked.update(m for p in term.term.players for m in term.term.members(p))
    return (
        parts_out,
        exact,
        [
            (i, ALONE_NOT_POSSIBLE if i in blocked else _alone(mixer, moving[i], base, i))
            for i in mixer.inputs
        ],
    )


def _alone(
    mixer: Mixer, terms: Sequence[_Memo], base: Series, item: ChangedInput
) -> int | str | None:
    """A's catch-up year with one input from B: A's years (`base`) plus the change of each term
    it may move (`terms`: in every other term it is in, it changes nothing), or why it cannot
    be had alone."""
    supply, demand = list(base[0]), list(base[1])
    for term in terms:
        try:
            (s1, d1), (s0, d0) = term.strict(frozenset({item})), term.strict(frozenset())
        except GwcalcError:
            return ALONE_NOT_POSSIBLE
        for now, was, into in ((s1, s0, supply), (d1, d0, demand)):
            if now is not was:  # the same series (zeros, or one cached schedule): no change
                for k, (x, y) in enumerate(zip(now, was, strict=True)):
                    into[k] += x - y
    sums_s, sums_d = list(itertools.accumulate(supply)), list(itertools.accumulate(demand))
    if not all(math.isfinite(v) for v in (*sums_s, *sums_d)):
        return ALONE_NOT_POSSIBLE
    rows = [
        YearRow(y, s, d, cs, cd)
        for y, s, d, cs, cd in zip(mixer.years, supply, demand, sums_s, sums_d, strict=True)
    ]
    return covered_in(rows)
