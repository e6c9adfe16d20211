"""What differs between two sets' time axes: each input that differs (a parameter with all its
years, a chip's figures, the mix, a deal, which statuses count), and set A with some of them
taken from B (the coalitions whose timelines diff --timeline compares)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.sets.time_axis import Chip, Deal
from gwcalc.timelines.views import time_axis_of

if TYPE_CHECKING:
    from gwcalc.units.registry import Quantity

ALONE_NOT_POSSIBLE = "needs other inputs of B"
LINKED = "linked deals"  # a term's player standing for the deals up a long chain of links
ORDER = (
    "parameter",
    "chip",
    "mix",
    "statuses",
    "deal",
    LINKED,
    "other",
)  # rates before what they convert


class ChangedInput(NamedTuple):
    """One input that differs between two sets: a parameter (all its years), a chip's figures,
    the chip mix, a deal, or which statuses count."""

    kind: str  # "parameter", "chip", "mix", "deal" or "statuses"
    name: str

    @property
    def label(self) -> str:
        return self.name if self.kind == "parameter" else f"{self.kind} {self.name}".strip()


def _numbers(p: Parameter | None) -> tuple[Quantity, tuple[tuple[int, float], ...]] | None:
    if p is None:
        return None
    return (p.quantity, tuple((y.year, y.value) for y in p.by_year))


def _chip_numbers(chip: Chip) -> dict[str, Quantity]:
    return {k: p.quantity for k, p in chip.figures.items()}


def _deal_numbers(deal: Deal | None) -> tuple[object, ...] | None:
    """What a deal's timeline depends on (its sources and notes aside)."""
    if deal is None:
        return None
    shares = dict(deal.shares) if deal.phasing == "shares" else None
    fields = (deal.status, deal.size_text, deal.start, deal.end, deal.phasing)
    return (*fields, shares, deal.same_capacity_as)


# a deal's terms compared by `gwcalc diff` (name-matched), in the order they are shown
DEAL_FIELDS = ("kind", "buyer", "seller", "status", "size", "when", "phasing", "vendor", "chips")


def deal_terms(deal: Deal) -> dict[str, str]:
    """A deal's terms as text, field by field (DEAL_FIELDS): what diff compares and shows."""
    shares = ", ".join(f"{y} {v:g}" for y, v in sorted(deal.shares.items()))
    return {
        "kind": deal.kind,
        "buyer": deal.buyer,
        "seller": deal.seller,
        "status": deal.status,
        "size": deal.size_text,
        "when": f"{deal.start}–{deal.end}",
        "phasing": f"shares ({shares})" if deal.phasing == "shares" else deal.phasing,
        "vendor": deal.vendor or "—",
        "chips": ", ".join(deal.chips) or "—",
    }


class DealChange(NamedTuple):
    """A deal of either set that is not the same in both (matched by name): the fields that
    differ (every field for an added or removed deal), and its terms in A and in B."""

    name: str
    before: dict[str, str] | None
    after: dict[str, str] | None
    fields: tuple[str, ...]

    @property
    def change(self) -> str:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"


def deal_changes(a: AssumptionSet, b: AssumptionSet) -> tuple[DealChange, ...]:
    """The deals added, removed or changed from a to b (a's order, then b's additions); none
    when neither set has a time axis."""
    deals = [
        {d.name: deal_terms(d) for d in s.timeline.deals} if s.timeline is not None else {}
        for s in (a, b)
    ]
    out = []
    for name in dict.fromkeys([*deals[0], *deals[1]]):
        x, y = deals[0].get(name), deals[1].get(name)
        if x is None or y is None:
            out.append(DealChange(name, x, y, DEAL_FIELDS))
        elif fields := tuple(f for f in DEAL_FIELDS if x[f] != y[f]):
            out.append(DealChange(name, x, y, fields))
    return tuple(out)


def changed_inputs(a: AssumptionSet, b: AssumptionSet, statuses: bool = True) -> list[ChangedInput]:
    """Every input whose numbers differ between a and b (sources and notes aside)."""
    ta, tb = time_axis_of(a), time_axis_of(b)
    names = list(dict.fromkeys([*a.parameters, *b.parameters]))
    out = [
        ChangedInput("parameter", n)
        for n in names
        if _numbers(a.parameters.get(n)) != _numbers(b.parameters.get(n))
    ]
    out += [
        ChangedInput("chip", n)
        for n in ta.chips
        if n in tb.chips and _chip_numbers(ta.chips[n]) != _chip_numbers(tb.chips[n])
    ]
    if {y: m.shares for y, m in ta.mix.items()} != {y: m.shares for y, m in tb.mix.items()}:
        out.append(ChangedInput("mix", ""))
    deals_a, deals_b = {d.name: d for d in ta.deals}, {d.name: d for d in tb.deals}
    out += [
        ChangedInput("deal", n)
        for n in {**deals_a, **deals_b}
        if _deal_numbers(deals_a.get(n)) != _deal_numbers(deals_b.get(n))
    ]
    if statuses and ta.counted_statuses != tb.counted_statuses:
        out.append(ChangedInput("statuses", "counted"))
    return out


def hybrid(a: AssumptionSet, b: AssumptionSet, inputs: Sequence[ChangedInput]) -> AssumptionSet:
    """Set a with the given inputs taken from b (a chip only b has is added: unused, it changes
    nothing until b's mix names it)."""
    ta, tb = time_axis_of(a), time_axis_of(b)
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
