"""diff --timeline's parts are Shapley values: the order of the inputs (in a file, or in the
code that finds them) moves no part, and the parts add up to the gap's change."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwcalc.sets.read import parse_set
from gwcalc.timelines.diff import TimelineDiff, diff_timelines
from gwcalc.timelines.shapley import EXACT_LIMIT, shapley
from tests import tiny_sets
from tests.helpers import invoke, json_output
from tests.tiny_sets import FIGURES, deal, tiny_set

PARAMS = FIGURES  # name: (value, unit)
DEALS = {  # name: (size, status, same_capacity_as)
    "chips": ("4 GW", "contract", None),
    "cloud": ("$80B", "contract", "chips"),
    "hosted": ("2 GW", "contract", "cloud"),
    "loi": ("$60B", "letter-of-intent", None),
}


def deal_of(name: str, size: str, status: str, same: str | None) -> dict[str, object]:
    linked = {"same_capacity_as": same} if same else {}
    return deal(name, size, "2026-H2", "2029", status=status, **linked)


def set_text(
    values: dict[str, float],
    deals: dict[str, tuple[str, str, str | None]],
    order: list[int] | None = None,
    deal_order: list[int] | None = None,
    counted: tuple[str, ...] = ("contract",),
) -> str:
    names = list(PARAMS)
    names = [names[i] for i in order] if order else names
    deal_names = list(deals)
    deal_names = [deal_names[i] for i in deal_order] if deal_order else deal_names
    data = tiny_set(
        title="shapley",
        parameters={n: {"value": values[n]} for n in names},
        timeline={"start": 2025, "end": 2030, "counted_statuses": list(counted)},
        deals=[deal_of(n, *deals[n]) for n in deal_names],
    )
    data["parameters"] = {n: data["parameters"][n] for n in names}  # the tables in this order
    return tiny_sets.set_text(data)


def parts_of(result: TimelineDiff) -> dict[str, float]:
    return {item.label: part for item, part in result.parts}


def test_shapley_of_a_product_is_known_in_closed_form() -> None:
    """v = a × b, a: 2 → 4 and b: 3 → 5: φ_a = ((12 − 6) + (20 − 10)) / 2 = 8, φ_b = 6."""
    a, b = {"a": 2.0, "b": 3.0}, {"a": 4.0, "b": 5.0}

    def value(chosen: frozenset[str]) -> float:
        pick = {k: (b if k in chosen else a)[k] for k in a}
        return pick["a"] * pick["b"]

    parts, exact = shapley(["a", "b"], value)
    assert exact and parts == {"a": 8.0, "b": 6.0}
    assert shapley(["b", "a"], value)[0] == parts


def test_sampled_shapley_above_the_limit_still_adds_up_and_is_fixed() -> None:
    players = [f"p{i}" for i in range(EXACT_LIMIT + 2)]
    weights = {p: i + 1.0 for i, p in enumerate(players)}

    def value(chosen: frozenset[str]) -> float:  # additive plus one interaction
        extra = 10.0 if {"p0", "p1"} <= chosen else 0.0
        return sum(weights[p] for p in chosen) + extra

    parts, exact = shapley(players, value)
    assert not exact
    assert math.fsum(parts.values()) == pytest.approx(value(frozenset(players)), rel=1e-12)
    assert parts["p5"] == pytest.approx(weights["p5"], rel=1e-12)  # additive: exact anyway
    assert parts["p0"] + parts["p1"] == pytest.approx(1 + 2 + 10, rel=1e-12)
    assert shapley(players, value)[0] == parts  # a fixed seed: the same parts every run


def test_supply_as_a_product_has_the_closed_form_parts() -> None:
    """Supply per year = wafers × share × 10 ÷ 500k: 10 GW/yr. B doubles the wafers and takes
    share 0.75: 30 GW/yr. Over six years: φ_wafers = (10 + 15) / 2 × 6 = 75 GW of supply,
    φ_share = (5 + 10) / 2 × 6 = 45: the gap falls by 75 and 45."""
    base = {n: v for n, (v, _) in PARAMS.items()}
    a = parse_set(set_text(base, DEALS))
    b = parse_set(
        set_text(
            base | {"cowos_wafers_per_year": 2e6, "vendor_share": 0.75},
            DEALS,
            [6, 5, 4, 3, 2, 1, 0],
        )
    )
    result = diff_timelines(a, b)
    assert parts_of(result) == {
        "cowos_wafers_per_year": pytest.approx(-75, rel=1e-12),
        "vendor_share": pytest.approx(-45, rel=1e-12),
    }
    assert result.gap_change == pytest.approx(-120, rel=1e-12)
    assert "Shapley" in result.method and "random orders" not in result.method


def test_swapping_two_tables_of_a_file_moves_no_part() -> None:
    """The issue's case: the same two files, two tables swapped, gave cowos 54.0 / gpus_per_gw
    13.5 one way and 27.0 / 40.5 the other."""
    base = {n: v for n, (v, _) in PARAMS.items()}
    changed = base | {"cowos_wafers_per_year": 3e6, "gpus_per_gw": 2.5e5}
    swap = [4, 1, 2, 3, 0, 5, 6]  # gpus_per_gw's table first, cowos_wafers_per_year's fifth
    forward = diff_timelines(parse_set(set_text(base, DEALS)), parse_set(set_text(changed, DEALS)))
    swapped = diff_timelines(
        parse_set(set_text(base, DEALS, swap)), parse_set(set_text(changed, DEALS, swap))
    )
    assert parts_of(forward) == parts_of(swapped)
    assert set(parts_of(forward)) == {"cowos_wafers_per_year", "gpus_per_gw"}
    total = math.fsum(parts_of(forward).values())
    assert total == pytest.approx(forward.gap_change, rel=1e-9, abs=1e-9)


FACTOR = st.sampled_from([0.25, 0.5, 1.0, 1.0, 2.0, 3.0])


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["cowos_wafers_per_year", "vendor_share", "gpus_per_wafer",
                                     "gpus_per_gw", "hardware_cost_per_gw"]), FACTOR),
    st.permutations(range(len(PARAMS))),
    st.permutations(range(len(DEALS))),
    st.sets(st.sampled_from(sorted(DEALS))),
    st.booleans(),
    st.sampled_from(range(2025, 2031)),
)  # fmt: skip
def test_no_order_of_the_inputs_moves_a_part(
    factors: dict[str, float],
    order: list[int],
    deal_order: list[int],
    edited: set[str],
    count_lois: bool,
    year: int,
) -> None:
    """Permuting the tables and deals of either file (so the inputs are found in another
    order) leaves every part unchanged, and the parts add up to the gap's change."""
    base = {n: v for n, (v, _) in PARAMS.items()}
    values = base | {n: min(base[n] * f, 1.0) if n == "vendor_share" else base[n] * f
                     for n, f in factors.items()}  # fmt: skip
    deals = dict(DEALS)
    for name in edited:  # a larger deal, its status flipped (a chain's middle link, say)
        size, status, same = deals[name]
        flipped = "letter-of-intent" if status == "contract" else "contract"
        deals[name] = (size.replace("4", "5").replace("8", "9"), flipped, same)
    counted = ("contract", "letter-of-intent") if count_lois else ("contract",)
    a = parse_set(set_text(base, DEALS))
    plain = diff_timelines(a, parse_set(set_text(values, deals, counted=counted)), year=year)
    moved_a = parse_set(set_text(base, DEALS, order[::-1], deal_order[::-1]))
    moved_b = parse_set(set_text(values, deals, order, deal_order, counted))
    moved = diff_timelines(moved_a, moved_b, year=year)
    assert parts_of(moved) == parts_of(plain)
    assert moved.gap_change == pytest.approx(plain.gap_change, rel=1e-12, abs=1e-12)
    assert "other" not in {item.kind for item, _ in plain.parts}
    total = math.fsum(parts_of(plain).values())
    scale = max(1.0, abs(plain.row(plain.before).gap), abs(plain.row(plain.after).gap))
    assert total == pytest.approx(plain.gap_change, rel=1e-9, abs=1e-9 * scale)


def test_a_chain_whose_head_stops_counting() -> None:
    """B makes the head of chips ← cloud ← hosted a letter of intent: cloud ($100B = 5 GW)
    counts in its place, hosted (restating cloud) still does not: the gap grows by 1 GW, all
    of it the head's change."""
    base = {n: v for n, (v, _) in PARAMS.items()}
    deals_a = dict(DEALS) | {"cloud": ("$100B", "contract", "chips")}
    deals_b = deals_a | {"chips": ("4 GW", "letter-of-intent", None)}
    result = diff_timelines(parse_set(set_text(base, deals_a)), parse_set(set_text(base, deals_b)))
    assert result.row(result.before).cumulative_demand == pytest.approx(4, rel=1e-12)
    assert result.row(result.after).cumulative_demand == pytest.approx(5, rel=1e-12)
    assert parts_of(result) == {"deal chips": pytest.approx(1, rel=1e-12)}


def test_a_term_with_many_inputs_is_sampled_and_says_so() -> None:
    """A chain of 14 linked deals, each resized in B: the last deal's term has 14 inputs (its
    own and those up its chain), more than the exact limit; the parts still add up."""
    base = {n: v for n, (v, _) in PARAMS.items()}
    names = [f"d{i:02d}" for i in range(EXACT_LIMIT + 2)]

    def chain(size: str, status_of_head: str) -> dict[str, tuple[str, str, str | None]]:
        deals: dict[str, tuple[str, str, str | None]] = {names[0]: (size, status_of_head, None)}
        deals |= {n: (size, "contract", p) for p, n in itertools.pairwise(names)}
        return deals

    a = parse_set(set_text(base, chain("1 GW", "contract")))
    b = parse_set(set_text(base, chain("2 GW", "letter-of-intent")))
    result = diff_timelines(a, b)
    assert "random orders" in result.method
    assert "other" not in {item.kind for item, _ in result.parts}
    total = math.fsum(parts_of(result).values())
    assert total == pytest.approx(result.gap_change, rel=1e-9)
    assert result.gap_change == pytest.approx(1, rel=1e-12)  # 1 GW (d00) → 2 GW (d01)
    assert diff_timelines(a, b).parts == result.parts  # a fixed seed


def test_links_that_loop_only_in_a_mixed_set_leave_the_change_unsplit() -> None:
    """A: x restates y; B: y restates x. Taking y from B alone makes a loop: that term gives
    no parts, and its change is shown as not split (the parts still add up)."""
    base = {n: v for n, (v, _) in PARAMS.items()}
    deals_a = {"x": ("1 GW", "contract", "y"), "y": ("3 GW", "contract", None)}
    deals_b = {"x": ("1 GW", "contract", None), "y": ("3 GW", "contract", "x")}
    result = diff_timelines(parse_set(set_text(base, deals_a)), parse_set(set_text(base, deals_b)))
    total = math.fsum(parts_of(result).values())
    assert total == pytest.approx(result.gap_change, rel=1e-9, abs=1e-12)
    assert result.gap_change == pytest.approx(-2, rel=1e-12)


def test_the_cli_gives_the_same_parts_for_files_with_tables_swapped(tmp_path: Path) -> None:
    base = {n: v for n, (v, _) in PARAMS.items()}
    changed = base | {"cowos_wafers_per_year": 3e6, "gpus_per_gw": 2.5e5}
    swap = [4, 1, 2, 3, 0, 5, 6]
    docs = []
    for order in (None, swap):
        a, b = tmp_path / f"a{bool(order)}.toml", tmp_path / f"b{bool(order)}.toml"
        a.write_text(set_text(base, DEALS, order), encoding="utf-8")
        b.write_text(set_text(changed, DEALS, order), encoding="utf-8")
        result = invoke("diff", str(a), str(b), "--timeline", "--json")
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        docs.append(json_output(result))
    assert docs[0]["attribution"] == docs[1]["attribution"]
    assert docs[0]["before"]["sha256"] == docs[1]["before"]["sha256"]  # the same content
    assert docs[0]["method"] == "shapley" and "Shapley" in docs[0]["method_text"]


def _outcome(players: list[str], value: Any, null: frozenset[str]) -> object:
    """Each part's bits (float.hex), or the error fsum raised."""
    try:
        parts, exact = shapley(players, value, null)
    except (ValueError, OverflowError) as exc:
        return type(exc)
    return exact, [(p, parts[p].hex()) for p in players]


VALUES = st.floats(-1e12, 1e12) | st.sampled_from([0.0, 0.1, 1.0, 1e308, -1e308, math.nan])


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_null_players_given_change_no_part_to_the_bit(data: st.DataObject) -> None:
    """Players named null (the value never depends on them) are left out of the coalitions:
    every part is the one of all 2^n coalitions to the bit (math.fsum is correctly rounded,
    so the order of the steps does not matter); past 1e300 or at NaN, all are taken."""
    players = [f"p{i}" for i in range(data.draw(st.integers(1, 8)))]
    null = frozenset(data.draw(st.sets(st.sampled_from(players))))
    live = [p for p in players if p not in null]
    table = data.draw(st.lists(VALUES, min_size=1 << len(live), max_size=1 << len(live)))

    def value(chosen: frozenset[str]) -> float:
        return table[sum(1 << i for i, p in enumerate(live) if p in chosen)]

    assert _outcome(players, value, null) == _outcome(players, value, frozenset())


def test_a_null_player_of_a_product_has_no_part() -> None:
    """v = a × b with c null, a: 2 → 4, b: 3 → 5: φ_a = 8, φ_b = 6 as without c, φ_c = 0."""
    a, b = {"a": 2.0, "b": 3.0}, {"a": 4.0, "b": 5.0}

    def value(chosen: frozenset[str]) -> float:
        pick = {k: (b if k in chosen else a)[k] for k in a}
        return pick["a"] * pick["b"]

    parts, exact = shapley(["a", "b", "c"], value, frozenset({"c"}))
    assert exact and parts == {"a": 8.0, "b": 6.0, "c": 0.0}
