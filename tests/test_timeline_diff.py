"""diff --timeline: parts of the cumulative gap's change add up to it, and the catch-up year."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.sets.find import resolve_set
from gwcalc.timelines.compute import compute_timeline
from gwcalc.timelines.diff import diff_timelines
from gwcalc.timelines.inputs import ChangedInput, hybrid
from gwcalc.units.registry import Q_
from tests.helpers import assert_user_error, invoke, json_output, quantity
from tests.tiny_sets import market_text

FACTORS = st.floats(0.2, 5.0)


@settings(max_examples=12)  # each example runs two timelines and the Shapley terms
@given(FACTORS, FACTORS, FACTORS, st.sampled_from(range(2025, 2031)))
def test_parts_add_up_to_the_change_of_the_gap(
    wafers: float, share: float, cost: float, year: int
) -> None:
    a = resolve_set("independent-2026")
    b = a.with_overrides(
        [
            ("cowos_wafers_per_year", a.quantity("cowos_wafers_per_year") * wafers),
            ("gpus_per_gw", a.quantity("gpus_per_gw") * share),
            ("all_in_cost_per_gw", a.quantity("all_in_cost_per_gw") * cost),
        ]
    )
    result = diff_timelines(a, b, year=year)
    total = math.fsum(part for _, part in result.parts)
    assert total == pytest.approx(result.gap_change, rel=1e-9, abs=1e-9)
    labels = {item.label for item, _ in result.parts}
    assert labels <= {"cowos_wafers_per_year", "gpus_per_gw", "all_in_cost_per_gw"}
    # gpus_per_gw is not on any chain of a set with a mix (each chip has its own power)
    parts = dict((item.label, part) for item, part in result.parts)
    assert parts.get("gpus_per_gw", 0.0) == 0.0


def test_one_changed_input_explains_all_of_the_change() -> None:
    a = resolve_set("independent-2026")
    b = a.with_overrides([("cowos_wafers_per_year", Q_(500e3, "wafer/year"))])
    result = diff_timelines(a, b)
    ((item, part),) = result.parts
    assert item == ChangedInput("parameter", "cowos_wafers_per_year")
    assert part == pytest.approx(result.gap_change, rel=1e-12)
    # an override holds the figure in every year: 500k a year, through each year's mix
    assert result.after.rows[0].supply < result.before.rows[0].supply


def test_the_same_set_has_no_parts_and_exit_code_0() -> None:
    result = diff_timelines(resolve_set("seed-2025"), resolve_set("seed-2025"))
    assert result.parts == () and not result.differs and result.gap_change == 0
    same = invoke("diff", "seed-2025", "seed-2025", "--timeline", "--exit-code")
    assert same.exit_code == 0, same.stderr
    differ = invoke("diff", "seed-2025", "independent-2026", "--timeline", "--exit-code")
    assert differ.exit_code == 1, differ.stderr


def test_a_deal_of_b_alone_moves_the_catch_up_year() -> None:
    a = resolve_set("seed-2025")
    assert a.timeline is not None
    huge = a.timeline.deals[0]._replace(name="Huge", size_text="200 GW")
    b = replace(a, timeline=a.timeline._replace(deals=(*a.timeline.deals, huge)))
    result = diff_timelines(a, b)
    # covered from 2026: 2025 has no demand due (nothing to cover)
    assert result.before.covered_in == 2026 and result.after.covered_in is None
    assert dict((i.label, y) for i, y in result.catch_up) == {"deal Huge": None}
    assert dict((i.label, p) for i, p in result.parts) == {
        "deal Huge": pytest.approx(result.gap_change, rel=1e-12)
    }


def test_hybrid_with_every_input_is_b() -> None:
    a, b = resolve_set("seed-2025"), resolve_set("independent-2026")
    result = diff_timelines(a, b)
    everything = [item for item, _ in result.parts]
    mixed = compute_timeline(hybrid(a, b, everything), first=2025, last=2030)
    assert [r.gap for r in mixed.rows] == pytest.approx([r.gap for r in result.after.rows])
    assert math.fsum(p for _, p in result.parts) == pytest.approx(result.gap_change, rel=1e-9)


def test_timeline_diff_json_and_table() -> None:
    doc = json_output(
        invoke("diff", "seed-2025", "independent-2026", "--timeline", "--year", "2028", "--json")
    )
    assert doc["year"] == 2028 and doc["differs"] is True
    gap = doc["gap"]
    delta = quantity(gap["after"]) - quantity(gap["before"])
    assert quantity(gap["delta"]).magnitude == pytest.approx(delta.magnitude)
    parts = math.fsum(p["delta"]["value"] for p in doc["attribution"])
    assert parts == pytest.approx(gap["delta"]["value"], rel=1e-9)
    # OpenAI's deals against every buyer's chips: no catch-up claim (issue 17)
    assert doc["matched"] is False and doc["catch_up"] == []
    assert doc["covered_in"] == {"before": None, "after": None}
    assert doc == api.timeline_diff("seed-2025", "independent-2026", year=2028).to_dict()
    table = invoke("diff", "seed-2025", "independent-2026", "--timeline")
    assert table.exit_code == 0 and table.stderr == ""
    assert "What moved the gap by 2030" in table.stdout and "Parts add up" in table.stdout
    assert "No catch-up year" in table.stdout and "catches up in" not in table.stdout


def test_timeline_diff_of_two_like_for_like_markets_names_the_catch_up(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(market_text(), encoding="utf-8")  # 6 GW of demand a year against 10 of supply
    b.write_text(market_text({"value": 5e9}), encoding="utf-8")  # X's $50B buys 10 GW a year
    doc = json_output(invoke("diff", str(a), str(b), "--timeline", "--json"))
    assert doc["matched"] is True
    assert doc["covered_in"] == {"before": 2025, "after": None}  # 15 GW a year against 10
    assert doc["catch_up"] == [
        {
            "inputs": ["all_in_cost_per_gw"],
            "ids": ["all_in_cost_per_gw"],
            "kind": "parameter",
            "covered_in": None,
        }
    ]
    table = invoke("diff", str(a), str(b), "--timeline").stdout
    assert "supply catches up in" in table and "A catches up in 2025, B in no year" in table


@pytest.mark.parametrize(
    ("args", "fragments", "code"),
    [
        (("seed-2025", "independent-2026", "--year", "2028"), ("--year needs --timeline",), 2),
        (("seed-2025@2", "independent-2026", "--timeline"), ("no time axis",), 1),
        (("seed-2025", "independent-2026", "--timeline", "--year", "2040"), ("2025 to 2030",), 1),
        (("seed-2025", "--timeline", "--convert", "6 GW", "--to", "gpu"), ("--convert",), 2),
    ],
)
def test_timeline_diff_errors(args: tuple[str, ...], fragments: tuple[str, ...], code: int) -> None:
    assert_user_error(invoke("diff", *args), *fragments, code=code)
