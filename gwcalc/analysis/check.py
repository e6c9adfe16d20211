"""Validate a set beyond loading it: sources, and over-determined rates whose paths disagree."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from gwcalc.engine.graph import Step, edges
from gwcalc.errors import GwcalcError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import OVERRIDE_SOURCE
from gwcalc.sets.flows import Flow
from gwcalc.sets.ids import ascii_id, id_clashes
from gwcalc.sets.specs import SPECS
from gwcalc.sets.time_axis import Deal, Period
from gwcalc.units.logs import expm1_or_inf, log_base_magnitude
from gwcalc.units.registry import KINDS

DEFAULT_TOLERANCE = 0.01  # 1%: sources round their figures


@dataclass(frozen=True)
class PathPair:
    """Two chains of rates between the same two kinds, and how far apart they land."""

    from_kind: str
    to_kind: str
    direct: tuple[Step, ...]
    other: tuple[Step, ...]
    direct_log: float  # ln of the base-unit factor along each path (no overflow at any size)
    other_log: float

    @property
    def log_ratio(self) -> float:
        return self.other_log - self.direct_log

    @property
    def difference(self) -> float:
        """other ÷ direct − 1 (e.g. 0.14 = the longer path gives 14% more); +inf beyond floats."""
        return expm1_or_inf(self.log_ratio)


@dataclass(frozen=True)
class Finding:
    """One line of a check report."""

    level: str  # "error", "warning" or "ok"
    parameters: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class CheckReport:
    aset: AssumptionSet
    findings: tuple[Finding, ...]
    path_pairs: tuple[PathPair, ...]
    tolerance: float

    @property
    def clean(self) -> bool:
        return not any(f.level == "error" for f in self.findings)


@dataclass(frozen=True)
class _Rate:
    """A rate parameter as an edge of the graph of kinds: bottom × rate -> top."""

    name: str
    bottom: str
    top: str


def _rates(aset: AssumptionSet) -> list[_Rate]:
    graph = edges(aset)
    rates = [_Rate(name, kind, top) for kind in KINDS for top, name, e in graph[kind] if e == 1]
    return sorted(rates, key=lambda r: r.name)


Walk = list[tuple[_Rate, str, str]]  # (rate, from kind, to kind), each step's end the next's start


def _spanning_forest(rates: list[_Rate]) -> tuple[dict[str, tuple[str, _Rate] | None], list[_Rate]]:
    """Breadth-first spanning forest (kinds in KINDS order, rates by name): each kind's parent
    link, and the rates left out of it, each of which closes one independent cycle."""
    adjacent: dict[str, list[tuple[str, _Rate]]] = {k: [] for k in KINDS}
    for rate in rates:  # sorted by name
        adjacent[rate.bottom].append((rate.top, rate))
        adjacent[rate.top].append((rate.bottom, rate))
    parent: dict[str, tuple[str, _Rate] | None] = {}
    used: set[str] = set()
    for root in KINDS:
        if root in parent:
            continue
        parent[root] = None
        queue = deque([root])
        while queue:
            kind = queue.popleft()
            for other, rate in adjacent[kind]:
                if other not in parent:
                    parent[other] = (kind, rate)
                    used.add(rate.name)
                    queue.append(other)
    return parent, [r for r in rates if r.name not in used]


def _tree_walk(parent: dict[str, tuple[str, _Rate] | None], start: str, goal: str) -> Walk:
    """The path through the forest from start to goal (both in one tree)."""

    def up(kind: str) -> list[tuple[str, str, _Rate]]:
        """(kind, the kind above it, the rate between) from kind up to its tree's root."""
        links = []
        while (link := parent[kind]) is not None:
            links.append((kind, *link))
            kind = link[0]
        return links

    rise, fall = up(start), up(goal)
    goal_side = {goal, *(above for _, above, _ in fall)}
    walk: Walk = []
    for kind, above, rate in rise:
        if kind in goal_side:
            break
        walk.append((rate, kind, above))
    meet = walk[-1][2] if walk else start  # the kinds' lowest common ancestor
    down: Walk = []
    for kind, above, rate in fall:
        if kind == meet:
            break
        down.append((rate, above, kind))
    return walk + down[::-1]


def _step(rate: _Rate, start: str, end: str) -> Step:
    return Step(rate.name, "×" if start == rate.bottom else "÷", start, end)


def _pair(aset: AssumptionSet, cycle: Walk) -> PathPair:
    """A cycle as two paths: its first rate (by the kinds it links, then name) against the rest."""
    order = list(KINDS)

    def key(i: int) -> tuple[int, int, str]:
        rate = cycle[i][0]
        ends = sorted((order.index(rate.bottom), order.index(rate.top)))
        return ends[0], ends[1], rate.name

    j = min(range(len(cycle)), key=key)
    rate, a, b = cycle[j]
    start, goal = (a, b) if order.index(a) < order.index(b) else (b, a)
    rest = cycle[j + 1 :] + cycle[:j]  # walks from b back round to a
    if start == a:  # rest runs goal -> start: turn it round
        rest = [(r, end, begin) for r, begin, end in reversed(rest)]
    direct = (_step(rate, start, goal),)
    other = tuple(_step(r, begin, end) for r, begin, end in rest)
    return PathPair(start, goal, direct, other, _log(aset, direct), _log(aset, other))


def _log(aset: AssumptionSet, steps: tuple[Step, ...]) -> float:
    logs = [s.exponent * log_base_magnitude(aset.quantity(s.parameter), s.parameter) for s in steps]
    return math.fsum(logs)


def over_determined(aset: AssumptionSet) -> list[PathPair]:
    """One pair of paths per independent cycle of rates: each rate outside a spanning forest
    of the kinds closes one cycle with the forest. Time is polynomial in the number of rates."""
    parent, extra = _spanning_forest(_rates(aset))
    pairs = []
    for rate in extra:
        cycle: Walk = [(rate, rate.top, rate.bottom), *_tree_walk(parent, rate.bottom, rate.top)]
        pairs.append(_pair(aset, cycle))
    return sorted(
        pairs,
        key=lambda p: (len(p.direct) + len(p.other), [s.parameter for s in p.direct + p.other]),
    )


def _differ(pair: PathPair) -> str:
    """'differ by -14.19%', or by a factor of a power of ten when that is too many percent."""
    if abs(pair.log_ratio) <= math.log(100):
        return f"differ by {pair.difference:+.2%}"
    return f"differ by a factor of 10^{pair.log_ratio / math.log(10):+.1f}"


def check_set(aset: AssumptionSet, tolerance: float = DEFAULT_TOLERANCE) -> CheckReport:
    """Findings for a set that loaded (units, ranges and titles are checked on load)."""
    if not (math.isfinite(tolerance) and 0 <= tolerance < 1):
        raise GwcalcError(
            f"a tolerance is a fraction from 0 up to (not including) 1, not {tolerance}"
        )
    findings: list[Finding] = []
    prices = _share_prices(aset)
    for name, param in aset.parameters.items():
        if not param.source.date and param.source.title != OVERRIDE_SOURCE:
            findings.append(Finding("warning", (name,), "source has no date"))
        if name in prices:
            findings.append(Finding("ok", (name,), f"the share price of {prices[name]}"))
        elif name not in SPECS:
            findings.append(
                Finding(
                    "warning", (name,), "not a parameter gwcalc knows: only its unit is checked"
                )
            )
    findings += _flow_findings(aset) + _id_findings(aset)
    pairs = over_determined(aset)
    for pair in pairs:
        names = tuple(s.parameter for s in (*pair.direct, *pair.other))
        a = " ".join(f"{s.operation} {s.parameter}" for s in pair.direct)
        b = " ".join(f"{s.operation} {s.parameter}" for s in pair.other)
        route = f"{KINDS[pair.from_kind].label} → {KINDS[pair.to_kind].label}"
        text = f"{route}: [{a}] and [{b}] {_differ(pair)}"
        if not abs(pair.difference) <= tolerance:
            findings.append(Finding("error", names, text + f" (tolerance {tolerance:.2%})"))
        else:
            findings.append(Finding("ok", names, text + f" (within {tolerance:.2%})"))
    if not findings:
        findings.append(
            Finding("ok", (), "every figure has a dated source; no rate is over-determined")
        )
    return CheckReport(aset, tuple(findings), tuple(pairs), tolerance)


# a flow's status and its deal's agree when they are the same, or the flow closed its contract
_AGREEING = {("closed", "contract")}


def _share_prices(aset: AssumptionSet) -> dict[str, str]:
    """Each parameter a warrant values its shares at -> the warrants' names."""
    flows = aset.timeline.flows if aset.timeline is not None else ()
    out: dict[str, list[str]] = {}
    for flow in flows:
        if flow.warrant is not None:
            out.setdefault(flow.warrant.share_price, []).append(repr(flow.name))
    return {name: "warrant " + ", ".join(names) for name, names in out.items()}


def _flow_findings(aset: AssumptionSet) -> list[Finding]:
    """A flow whose source has no date, and a flow that disagrees with the deal it is: its
    status, its parties or its dates."""
    if aset.timeline is None:
        return []
    findings = []
    for flow in aset.timeline.flows:
        if not flow.source.date:
            findings.append(Finding("warning", (), f"flow {flow.name!r}: source has no date"))
        linked = aset.timeline.deal(flow.deal) if flow.deal is not None else None
        if linked is not None:
            findings += [Finding("warning", (), text) for text in _disagreements(flow, linked)]
    return findings


def _id_findings(aset: AssumptionSet) -> list[Finding]:
    """Two deals, flows, chips or parties whose names give one ASCII id (JSON's "id", and what
    --party, --flow and --buyer accept): an error, as the id would not say which is meant."""
    t = aset.timeline
    if t is None:
        return []
    parties = [n for d in t.deals for n in (d.buyer, d.seller, d.vendor or "") if n]
    parties += [n for f in t.flows for n in (f.payer, f.payee)]
    groups = {
        "deals": [d.name for d in t.deals],
        "flows": [f.name for f in t.flows],
        "chips": list(t.chips),
        "parties": parties,
    }
    return [
        Finding(
            "error",
            (),
            f"{what} {' and '.join(map(repr, names))} give one id {ascii_id(names[0])!r}",
        )
        for what, names_of in groups.items()
        for names in id_clashes(names_of)
    ]


def _disagreements(flow: Flow, deal: Deal) -> list[str]:
    """How a flow differs from the deal it is: status (a closed flow of a contracted deal
    agrees), parties (the same two, whichever pays), dates (_dates_differ)."""
    out = []
    head = f"flow {flow.name!r}"
    if not (deal.status == flow.status or (flow.status, deal.status) in _AGREEING):
        out.append(
            f"{head} is {flow.status} ({flow.status_date}), but its deal {deal.name!r} is "
            f"{deal.status}"
        )
    parties, named = {flow.payer, flow.payee}, {deal.buyer, deal.seller}
    if parties != named:
        out.append(
            f"{head} runs between {' and '.join(sorted(parties))}, but its deal {deal.name!r} "
            f"between {' and '.join(sorted(named))} (one party, two names?)"
        )
    when = _dates_differ(flow, deal)
    if when:
        span, deal_span = _span(flow.start, flow.last), _span(deal.start, deal.end)
        out.append(f"{head} runs {span}, but its deal {deal.name!r} {deal_span}: {when}")
    return out


def _dates_differ(flow: Flow, deal: Deal) -> str:
    """Why a flow's dates do not fit its deal's ('' when they fit): its money may not begin
    before the deal, nor end after it, or, for a contract with a term, after its end plus the
    term (a cloud's capacity arrives over the deal's dates; its dollars are paid over the
    term); a cloud deal with no term gives no end to check."""
    if flow.start.first_half() < deal.start.first_half():
        return "its money begins before the deal"
    if deal.term_years is not None:
        last = deal.end.last_half() + 2 * math.ceil(deal.term_years)
        beyond = "the deal's end and its term"
    elif deal.kind == "cloud":
        return ""
    else:
        last, beyond = deal.end.last_half(), "the deal"
    return f"its money runs beyond {beyond}" if flow.last.last_half() > last else ""


def _span(start: Period, end: Period) -> str:
    """'2026-H2–2030' ('2026' for one period)."""
    return str(start) if start == end else f"{start}–{end}"
