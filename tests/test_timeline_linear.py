"""diff --timeline's parts from per-chip and per-deal terms equal the whole-timeline Shapley
values (tests/timeline_oracle.py: a timeline per coalition of the changed inputs) on small
random sets with random deal changes: resized, restated, relinked, dropped or added deals,
flipped statuses, changed rates and counted statuses."""

from __future__ import annotations

import math
import random
from typing import Any
from unittest.mock import patch

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gwcalc.errors import GwcalcError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.read import parse_set
from gwcalc.timelines.compute import compute_timeline
from gwcalc.timelines.diff import NOT_EXACT, TimelineDiff, diff_timelines
from gwcalc.timelines.inputs import LINKED, ChangedInput, changed_inputs
from gwcalc.timelines.links import Links
from gwcalc.timelines.terms import Mixer, Term, canonical
from tests import tiny_sets
from tests.timeline_oracle import whole_timeline_parts
from tests.tiny_sets import FIGURES, deal, tiny_set

SIZES = ("4 GW", "2 GW", "$80B", "$60B", "1.5 GW", "$30B")
STATUSES = ("contract", "letter-of-intent", "announced")
STARTS = ("2025", "2026-H2", "2027", "2028-H1")
EDITS = ("same", "same", "resize", "status", "relink", "unlink", "remove", "start")
MAX_PLAYERS = 7  # 2^7 whole timelines per example at most


@st.composite
def deal_sets(draw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A's deals (each may restate an earlier one) and B's: each of A's edited or not (B may
    link a deal to a later one, so a mix of A's and B's links can loop), and maybe one more."""
    count = draw(st.integers(1, 5))
    a_deals = []
    for i in range(count):
        fields: dict[str, Any] = {"status": draw(st.sampled_from(STATUSES))}
        if i and draw(st.booleans()):
            fields["same_capacity_as"] = f"d{draw(st.integers(0, i - 1))}"
        start = draw(st.sampled_from(STARTS))
        a_deals.append(deal(f"d{i}", draw(st.sampled_from(SIZES)), start, "2029", **fields))
    b_deals = []
    for i, d in enumerate(a_deals):
        edit = draw(st.sampled_from(EDITS))
        changed = dict(d)
        if edit == "resize":
            changed["size"] = draw(st.sampled_from([s for s in SIZES if s != d["size"]]))
        elif edit == "status":
            changed["status"] = draw(st.sampled_from([s for s in STATUSES if s != d["status"]]))
        elif edit == "relink" and count > 1:
            changed["same_capacity_as"] = (
                f"d{draw(st.sampled_from([j for j in range(count) if j != i]))}"
            )
        elif edit == "unlink":
            changed.pop("same_capacity_as", None)
        elif edit == "start":
            changed["start"] = draw(st.sampled_from([s for s in STARTS if s != d["start"]]))
        if edit != "remove":
            b_deals.append(changed)
    if draw(st.booleans()):
        link = (
            {"same_capacity_as": f"d{draw(st.integers(0, count - 1))}"}
            if draw(st.booleans())
            else {}
        )
        b_deals.append(deal("new", draw(st.sampled_from(SIZES)), "2026", "2028", **link))
    return a_deals, b_deals  # fmt: skip


def set_of(
    deals: list[dict[str, Any]], values: dict[str, float], counted: list[str]
) -> AssumptionSet:
    data = tiny_set(
        title="linear",
        parameters={n: {"value": v} for n, v in values.items()},
        timeline={"start": 2025, "end": 2030, "counted_statuses": counted},
        deals=deals,
    )
    return parse_set(tiny_sets.set_text(data))


RATES = st.dictionaries(
    st.sampled_from(["hardware_cost_per_gw", "cowos_wafers_per_year", "gpus_per_gw"]),
    st.sampled_from([0.5, 2.0, 3.0]),
    max_size=2,
)


@settings(max_examples=40, deadline=None)
@given(deal_sets(), RATES, st.booleans(), st.sampled_from(range(2025, 2031)), st.booleans())
def test_terms_equal_the_whole_timeline_shapley_values(
    deals: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    factors: dict[str, float],
    count_lois: bool,
    year: int,
    given_statuses: bool,
) -> None:
    base = {n: v for n, (v, _) in FIGURES.items()}
    try:
        a = set_of(deals[0], base, ["contract"])
        counted = ["contract", "letter-of-intent"] if count_lois else ["contract"]
        b = set_of(deals[1], base | {n: base[n] * f for n, f in factors.items()}, counted)
    except GwcalcError:  # B's links loop: no such set
        assume(False)
        raise
    statuses = ("contract", "announced") if given_statuses else None
    try:
        expected, timelines = whole_timeline_parts(a, b, year, statuses)
    except GwcalcError:  # a mix of A's and B's inputs that is no set (links that loop)
        assume(False)
        raise
    assume(len(expected) <= MAX_PLAYERS)
    found = diff_timelines(a, b, year=year, statuses=statuses)
    assert NOT_EXACT not in found.method
    parts = dict(found.parts)
    assert set(parts) == set(expected)
    at_year = [next(r for r in t.rows if r.year == year) for t in timelines]
    scale = max([1.0, *(abs(r.cumulative_demand) for r in at_year),
                 *(abs(r.cumulative_supply) for r in at_year)])  # fmt: skip
    for item, part in expected.items():
        assert math.isclose(parts[item], part, rel_tol=1e-12, abs_tol=1e-12 * scale), item
    # the parts add up to the change as diff --timeline promises (no residual left over)
    assert abs(math.fsum(parts.values()) - found.gap_change) <= 1e-9 * scale


def _by_walks(a: AssumptionSet, b: AssumptionSet, year: int, slow: bool) -> TimelineDiff:
    """diff --timeline, its chains walked in remembered jumps, or (slow) each walk whole."""
    if not slow:
        return diff_timelines(a, b, year=year)
    with patch("gwcalc.timelines.links.acyclic", return_value=False):
        return diff_timelines(a, b, year=year)


@settings(max_examples=40, deadline=None)
@given(deal_sets(), st.booleans(), st.sampled_from(range(2025, 2031)))
def test_remembered_walks_give_the_same_parts_to_the_bit(
    deals: tuple[list[dict[str, Any]], list[dict[str, Any]]], count_lois: bool, year: int
) -> None:
    """The walks up same_capacity_as chains in jumps (links.py) give exactly the parts and
    catch-up years of walking every chain whole from each deal, as diff --timeline did."""
    base = {n: v for n, (v, _) in FIGURES.items()}
    counted = ["contract", "letter-of-intent"] if count_lois else ["contract"]
    try:
        a, b = set_of(deals[0], base, ["contract"]), set_of(deals[1], base, counted)
        slow = _by_walks(a, b, year, slow=True)
    except GwcalcError:  # B's links loop, or B has no input that differs
        assume(False)
        raise
    fast = _by_walks(a, b, year, slow=False)
    assert (fast.parts, fast.catch_up, fast.method) == (slow.parts, slow.catch_up, slow.method)


def chain_text(count: int, changed: bool) -> str:
    """`count` deals, each restating the one before (one chain), sizes alternating GW and
    dollars, statuses cycling; B resizes every fourth and counts letters of intent too."""
    deals = []
    for i in range(count):
        size = f"{1 + i % 5} GW" if i % 2 else f"${10 + i % 9}B"
        if changed and i % 4 == 1:
            size = "9 GW" if "GW" in size else "$25B"
        link = {"same_capacity_as": f"d{i - 1:03d}"} if i else {}
        status = STATUSES[i % 3] if i % 11 else "announced"
        deals.append(deal(f"d{i:03d}", size, STARTS[i % 4], "2029", status=status, **link))
    counted = ["contract", "letter-of-intent"] if changed else ["contract"]
    base = {n: v for n, (v, _) in FIGURES.items()}
    base["hardware_cost_per_gw"] *= 1.1 if changed else 1.0
    data = tiny_set(
        title="chain",
        parameters={n: {"value": v} for n, v in base.items()},
        timeline={"start": 2025, "end": 2030, "counted_statuses": counted},
        deals=deals,
    )
    return tiny_sets.set_text(data)


def test_a_long_chain_gives_the_same_parts_walked_in_jumps() -> None:
    """One chain of 60 deals (so terms whose changed deals up the chain are grouped, and terms
    shared out exactly): the parts and catch-up years to the bit, walked either way."""
    a, b = parse_set(chain_text(60, False)), parse_set(chain_text(60, True))
    fast, slow = _by_walks(a, b, 2030, slow=False), _by_walks(a, b, 2030, slow=True)
    assert (fast.parts, fast.catch_up, fast.method) == (slow.parts, slow.catch_up, slow.method)
    assert NOT_EXACT in fast.method and fast.gap_change != 0


def test_links_that_loop_only_when_mixed_are_found() -> None:
    """A: x restates y; B: y restates x. Neither set loops, a mix of them does: every walk
    is then made whole (which reports a loop)."""
    x, y = deal("x", "1 GW", "2026", "2027"), deal("y", "1 GW", "2026", "2027")
    a = {"x": x | {"same_capacity_as": "y"}, "y": y}
    b = {"x": x, "y": y | {"same_capacity_as": "x"}}
    deals = []
    for side in (a, b):
        timeline = parse_set(tiny_sets.tiny_text(*side.values())).timeline
        assert timeline is not None
        deals.append({d.name: d for d in timeline.deals})
    assert not Links(deals[0], deals[1], {"x", "y"}).acyclic
    assert Links(deals[0], deals[0], set()).acyclic


@st.composite
def chain_sets(draw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    """Long chains (each deal restating one a few before it, most the one just before), random
    statuses, and a B that resizes, re-statuses or relinks some deals: walks that stop at a
    deal counted whatever the statuses, and changed deals beyond it, which move nothing."""
    count = draw(st.integers(6, 30))
    a_deals = []
    for i in range(count):
        fields: dict[str, Any] = {"status": draw(st.sampled_from(STATUSES))}
        if i and draw(st.integers(0, 5)):
            fields["same_capacity_as"] = f"d{i - draw(st.integers(1, min(i, 3))):02d}"
        size = draw(st.sampled_from(SIZES))
        a_deals.append(deal(f"d{i:02d}", size, draw(st.sampled_from(STARTS)), "2029", **fields))
    b_deals = []
    for i, d in enumerate(a_deals):
        edit = draw(st.sampled_from(("same", "same", "same", "resize", "status", "relink")))
        changed = dict(d)
        if edit == "resize":
            changed["size"] = draw(st.sampled_from([s for s in SIZES if s != d["size"]]))
        elif edit == "status":
            changed["status"] = draw(st.sampled_from([s for s in STATUSES if s != d["status"]]))
        elif edit == "relink" and i:
            changed["same_capacity_as"] = f"d{draw(st.integers(0, i - 1)):02d}"
        b_deals.append(changed)
    return a_deals, b_deals, draw(st.booleans())


@settings(max_examples=30, deadline=None)
@given(chain_sets(), st.sampled_from(range(2025, 2031)))
def test_deals_no_walk_reaches_change_no_part_to_the_bit(
    sets: tuple[list[dict[str, Any]], list[dict[str, Any]], bool], year: int
) -> None:
    """A changed deal up a chain beyond a deal counted whatever the statuses is left out of
    the term's coalitions and of its catch-up year (it never moves the term): the parts,
    catch-up years and method are those of every coalition walked whole, to the bit."""
    base = {n: v for n, (v, _) in FIGURES.items()}
    counted = ["contract", "letter-of-intent"] if sets[2] else ["contract"]
    try:
        a, b = set_of(sets[0], base, ["contract"]), set_of(sets[1], base, counted)
        slow = _by_walks(a, b, year, slow=True)
    except GwcalcError:  # B has no input that differs
        assume(False)
        raise
    fast = _by_walks(a, b, year, slow=False)
    assert repr((fast.parts, fast.catch_up, fast.method)) == repr(
        (slow.parts, slow.catch_up, slow.method)
    )


def _outcome(term: Term, chosen: frozenset[ChangedInput]) -> object:
    """A term's value (its bits) with the chosen inputs from B, or the error it raises."""
    try:
        return repr(term.evaluate(chosen))
    except GwcalcError as exc:
        return type(exc)


def _check_shortcuts(
    a: AssumptionSet, b: AssumptionSet, statuses: tuple[str, ...] | None, rng: Any
) -> list[Term]:
    """What the shortcuts rest on, checked on each term: a null player added to a coalition
    (all of them, or 64 drawn) changes no value nor error, and an input a term does not list
    among its movers, taken alone, gives the value of A's inputs."""
    before, after = compute_timeline(a, statuses=statuses), compute_timeline(b, statuses=statuses)
    inputs = canonical(changed_inputs(a, b, statuses is None))
    terms = Mixer(before, after, inputs, before.counted_statuses if statuses else None).terms()
    for term in terms:
        live = [p for p in term.players if p not in term.null]
        masks = range(1 << len(live)) if len(live) <= 6 else rng.sample(range(1 << len(live)), 64)
        for mask in masks if term.null else ():
            chosen = frozenset(p for i, p in enumerate(live) if mask >> i & 1)
            for player in term.null:
                assert _outcome(term, chosen | {player}) == _outcome(term, chosen)
        members = {m for p in term.players for m in term.members(p)}
        for item in members - set(term.movers()):
            assert _outcome(term, frozenset([item])) == _outcome(term, frozenset())
    return terms


@settings(max_examples=30, deadline=None)
@given(chain_sets(), st.booleans(), st.randoms(use_true_random=False))
def test_a_null_player_or_an_input_that_moves_nothing_alone_changes_no_value(
    sets: tuple[list[dict[str, Any]], list[dict[str, Any]], bool],
    given_statuses: bool,
    rng: Any,
) -> None:
    base = {n: v for n, (v, _) in FIGURES.items()}
    counted = ["contract", "letter-of-intent"] if sets[2] else ["contract"]
    a, b = set_of(sets[0], base, ["contract"]), set_of(sets[1], base, counted)
    _check_shortcuts(a, b, ("contract", "announced") if given_statuses else None, rng)


def test_a_long_chain_leaves_out_deals_no_walk_reaches() -> None:
    """In chain_text's chain most deals restate a contract (counted whatever the statuses)
    within a few links: a term's players beyond it are null, and its catch-up year skips
    them; a group of linked deals is null only when no walk reaches one of them."""
    a, b = parse_set(chain_text(60, False)), parse_set(chain_text(60, True))
    terms = _check_shortcuts(a, b, None, random.Random(19))
    linked = [t for t in terms if t.groups]
    assert any(t.null for t in linked) and any(t.moved and not t.null for t in linked)
    assert sum(len(t.null) for t in terms) > len(terms)
    for term in terms:  # a null player is a deal up the chain, never the term's own inputs
        assert all(p.kind in ("deal", LINKED) and p.name != term.name[5:] for p in term.null)


def test_linked_deals_that_start_counting_move_the_terms_below_them() -> None:
    """One chain of 30 deals, announced (not counted) but the last; B makes every second one a
    contract. Every walk from a deal reaches the changed deals up its chain, so each group of
    them may move its term (none null), each of them alone moves the last deal's term (it then
    restates a counted deal), and the parts and catch-up years are those of every chain walked
    whole."""

    def deals(flip: bool) -> list[dict[str, Any]]:
        return [
            deal(f"d{i:02d}", "1 GW", "2026", "2029",
                 status="contract" if (flip and i % 2 == 0) or i == 29 else "announced",
                 **({"same_capacity_as": f"d{i - 1:02d}"} if i else {}))
            for i in range(30)
        ]  # fmt: skip

    base = {n: v for n, (v, _) in FIGURES.items()}
    a, b = set_of(deals(False), base, ["contract"]), set_of(deals(True), base, ["contract"])
    terms = _check_shortcuts(a, b, None, random.Random(19))
    linked = [t for t in terms if t.groups]
    assert linked and all(t.moved and not t.null for t in linked)
    fast, slow = _by_walks(a, b, 2030, slow=False), _by_walks(a, b, 2030, slow=True)
    assert repr((fast.parts, fast.catch_up)) == repr((slow.parts, slow.catch_up))
    last = next(t for t in terms if t.name == "deal d29")
    assert _outcome(last, frozenset([ChangedInput("deal", "d28")])) != _outcome(last, frozenset())
