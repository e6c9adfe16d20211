"""Properties of flows over any set of them (tests/strategies.py flow_set_texts): money is
conserved, round-trip shares lie in [0, 1], every loop is a simple cycle listed once whose amount
is at most each edge on it, and the loops are exactly the cycles of the graph."""

from __future__ import annotations

import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from gwcalc.errors import AssumptionFileError, ParameterError
from gwcalc.money.compute import FlowsReport, compute_flows
from gwcalc.money.loops import edges, find_loops
from gwcalc.sets.read import parse_set
from gwcalc.sets.specs import FLOW_STATUSES, FLOW_UNITS
from gwcalc.units.registry import Q_, dimensions, parse_unit
from tests.strategies import FLOW_UNIT_TEXT, KIND_UNITS, flow_set_texts
from tests.tiny_sets import set_text, tiny_set


def _report(text: str, **kwargs: object) -> FlowsReport | None:
    """The set's flows computed, or None when the run is refused (nothing would count)."""
    try:
        return compute_flows(parse_set(text), **kwargs)  # type: ignore[arg-type]
    except ParameterError as exc:
        assert "counts" in exc.message or "falls in" in exc.message, exc.message
        return None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


ALL_STATUSES = list(FLOW_STATUSES)


@given(flow_set_texts())
def test_money_is_conserved(text: str) -> None:
    """What leaves one party arrives at another: Σ out = Σ in = Σ of the counted flows."""
    report = _report(text, statuses=ALL_STATUSES)
    assert report is not None  # every status counts, so every flow does
    flows = math.fsum(c.nominal for c in report.counted)
    assert _close(math.fsum(b.total_in for b in report.parties), flows)
    assert _close(math.fsum(b.total_out for b in report.parties), flows)
    assert abs(math.fsum(b.net for b in report.parties)) <= 1e-9 * flows


@given(flow_set_texts(), st.lists(st.sampled_from(FLOW_STATUSES), min_size=1, unique=True))
def test_round_trip_shares_lie_in_0_1_and_parts_add_up(text: str, statuses: list[str]) -> None:
    report = _report(text, statuses=statuses)
    if report is None:
        return
    for r in report.round_trips:
        assert r.gross > 0 and 0.0 <= r.share <= 1.0
        assert r.part <= r.gross and r.part <= r.sent_total and r.net_external >= 0
        assert _close(r.part + r.net_external, r.gross)
    for s in report.sellers:
        rows = [r for r in report.round_trips if r.seller == s.seller]
        assert 0.0 <= s.share <= 1.0 and s.buyers == len(rows)
        assert _close(s.gross, math.fsum(r.gross for r in rows))
        assert _close(s.part, math.fsum(r.part for r in rows))


@given(flow_set_texts(max_parties=5, max_flows=16))
def test_loops_are_the_simple_cycles_each_once_at_most_each_edge(text: str) -> None:
    report = _report(text, statuses=ALL_STATUSES)
    assert report is not None
    graph = edges(report.counted)
    loops = find_loops(graph)
    keys = [loop.parties for loop in loops]
    assert len(keys) == len(set(keys))  # listed once: each from its first party, no rotation
    for loop in loops:
        parties = loop.parties
        assert len(set(parties)) == len(parties) and parties[0] == min(parties)
        for edge, nxt in zip(loop.edges, [*parties[1:], parties[0]], strict=True):
            assert graph[edge.payer, edge.payee] == edge and edge.payee == nxt
            assert loop.amount <= edge.amount
    # every simple cycle of the graph that moved money (a warrant out of the money is an edge
    # of 0: no loop through it), found the slow way: each ordering of each set of parties
    names = sorted({p for pair in graph for p in pair})
    brute = set()
    for size in range(2, len(names) + 1):
        for combo in itertools.combinations(names, size):
            first, rest = combo[0], combo[1:]
            for order in itertools.permutations(rest):
                cycle = (first, *order)
                pairs = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
                if all(pair in graph and graph[pair].amount > 0 for pair in pairs):
                    brute.add(cycle)
    assert set(keys) == brute


@given(flow_set_texts(max_parties=4, max_flows=8), st.data())
def test_a_party_sees_every_loop_through_it(text: str, data: st.DataObject) -> None:
    everyone = _report(text, statuses=ALL_STATUSES)
    assert everyone is not None
    parties = sorted({b.party for b in everyone.parties})
    party = data.draw(st.sampled_from(parties))
    mine = _report(text, statuses=ALL_STATUSES, party=party)
    assert mine is not None
    through = {loop.parties for loop in everyone.loops if party in loop.parties}
    assert {loop.parties for loop in mine.loops} == through
    assert all(party in (r.seller, r.buyer) for r in mine.round_trips)
    assert [b.party for b in mine.parties] == [party]


@given(flow_set_texts(max_flows=6))
def test_the_years_of_a_flow_add_up_to_the_flow(text: str) -> None:
    """Spread over its half-years, a flow's parts in each year sum to the whole of it."""
    aset = parse_set(text)
    whole = compute_flows(aset, statuses=ALL_STATUSES)
    assert aset.timeline is not None
    years = sorted({y for f in aset.timeline.flows for y in f.year_shares()})
    by_year: dict[str, float] = {}
    for year in years:
        for c in compute_flows(aset, year=year, statuses=ALL_STATUSES).counted:
            by_year[c.flow.name] = by_year.get(c.flow.name, 0.0) + c.amount
    for c in whole.counted:
        assert math.isclose(by_year[c.flow.name], c.amount, rel_tol=1e-9)


@given(
    st.sampled_from(sorted(FLOW_UNIT_TEXT)),
    st.sampled_from([u for units in KIND_UNITS.values() for u in units]),
    st.floats(-1e15, 1e15, allow_nan=False),
)
def test_an_amount_is_read_only_in_its_kinds_dollars_and_positive(
    kind: str, unit: str, value: float
) -> None:
    """Any unit of any kind, any sign: read when the unit is one of the kind's dollars and the
    amount positive, otherwise refused naming the flow and its amount (never another error)."""
    number = f"{value:.6g}"
    amount = f"{number} {unit}" if unit != "$" else f"{'-' * (value < 0)}${abs(value):.6g}"
    entry = {"name": "x", "from": "A", "to": "B", "kind": kind, "amount": amount,
             "start": "2026", "status": "closed", "status_date": "2026",
             "source": {"title": "t"}}  # fmt: skip
    if kind == "warrant":
        return  # a warrant has no amount (tested in test_flows.py)
    fits = any(
        dimensions(Q_(1.0, parse_unit(unit))) == dimensions(Q_(1.0, parse_unit(u)))
        for u in FLOW_UNITS[kind]
    )
    text = set_text(tiny_set(flows=[entry]))
    if fits and float(number) > 0:
        aset = parse_set(text)
        assert aset.timeline is not None and aset.timeline.flows[0].amount_text == amount
        return
    try:
        parse_set(text)
    except AssumptionFileError as exc:
        assert "flow 'x': amount" in exc.message and exc.key == "flows[1].amount"
    else:
        raise AssertionError(f"{amount} read as a {kind}")
