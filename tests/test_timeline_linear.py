"""diff --timeline's parts from per-chip and per-deal terms equal the whole-timeline Shapley
values (tests/timeline_oracle.py: a timeline per coalition of the changed inputs) on small
random sets with random deal changes: resized, restated, relinked, dropped or added deals,
flipped statuses, changed rates and counted statuses."""

from __future__ import annotations

import math
from typing import Any
from unittest.mock import patch

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gwcalc.errors import GwcalcError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.read import parse_set
from gwcalc.timelines.diff import NOT_EXACT, TimelineDiff, diff_timelines
from gwcalc.timelines.links import Links
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
