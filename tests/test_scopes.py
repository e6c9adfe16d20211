"""Comparisons at matched scopes (issue 17): a toy market whose every answer is known by hand,
a one-buyer demand against a whole market that must never be called covered, and a vendor
booked past its output, in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from gwcalc import api
from gwcalc.errors import ParameterError
from gwcalc.timelines.scopes import NO_VENDOR
from tests.helpers import assert_contract, assert_user_error, invoke, strict_json
from tests.tiny_sets import (
    MARKET_CHIPS,
    MARKET_DEALS,
    MARKET_PLANS,
    chip,
    deal,
    market,
    mix,
    parse_tiny,
    tiny_text,
)

PLANS, DEALS = MARKET_PLANS, MARKET_DEALS  # the toy market: see tests/tiny_sets.py


def test_each_scope_of_a_toy_market_is_the_answer_by_hand() -> None:
    aset = parse_tiny(*PLANS, *DEALS, **market(demand_buyers="all"))
    result = api.timeline(aset, buyer="X")
    m = result.scopes.market
    assert m.matched and m.why_not is None
    assert [y.demand for y in m.years] == pytest.approx([6.0] * 6)
    assert [y.supply for y in m.years] == pytest.approx([10.0] * 6)
    assert result.covered_in == 2025
    assert m.records == ("X capex", "Y GW")  # the deals restate what the plans pay for
    assert m.demand.buyers is None and m.supply.vendors == ("V1", "V2")
    v1, v2 = result.scopes.vendors
    assert (v1.name, v2.name) == ("V1", "V2")
    assert [y.share for y in v1.years][:3] == pytest.approx([0.0, 0.5, 12 / 18])
    assert [y.share for y in v2.years][:3] == pytest.approx([0.0, 10 / 8, 10 / 12])
    assert v1.booked_past == () and v2.booked_past == (2026,)
    assert [c.name for c in result.scopes.over_booked] == ["V2"]
    at_v1, at_none = result.scopes.buyer
    assert (at_v1.name, at_none.name) == ("V1", NO_VENDOR)
    assert [y.share for y in at_v1.years][:2] == pytest.approx([0.0, 0.5])
    assert [y.share for y in at_none.years][:2] == pytest.approx([0.1, 0.1])  # 1 of 10 GW
    assert not any(c.matched for c in (*result.scopes.vendors, *result.scopes.buyer))


def test_the_market_counts_owners_plans_and_says_why_a_deal_is_left_out() -> None:
    aset = parse_tiny(*PLANS, *DEALS, **market(demand_buyers="all"))
    views = {v.deal.name: v for v in api.timeline(aset).deals}
    assert views["X capex"].counted and views["Y GW"].counted
    assert not views["X–V1"].counted
    assert "owners' plans" in (views["X–V1"].reason or "")


def test_same_capacity_within_a_vendor_is_counted_once() -> None:
    again = deal("X–V1 again", "12 GW", "2026", "2027", buyer="X", seller="V1",
                 same_capacity_as="X–V1")  # fmt: skip
    aset = parse_tiny(*PLANS, *DEALS, again, **market(demand_buyers="all"))
    v1 = api.timeline(aset).scopes.vendors[0]
    assert v1.records == ("X–V1",)
    assert v1.years[1].share == pytest.approx(0.5)


# ---------------------------------------------------------------- one buyer against a market

FORMATS = ("table", "markdown", "csv", "jsonl", "quiet", "json")


def run(path: Path, fmt: str, *extra: str) -> Any:
    args = ["timeline", "-a", str(path), *extra]
    args += ["-q"] if fmt == "quiet" else ["--json"] if fmt == "json" else ["--format", fmt]
    result = invoke(*args, env={"COLUMNS": "100"})
    assert_contract(result)
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def one_buyer(tmp_path: Path) -> Path:
    """X's deals alone against every buyer's chips: demand_buyers is not 'all'."""
    path = tmp_path / "one-buyer.toml"
    path.write_text(tiny_text(*DEALS[:1], **market()), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_buyer_against_a_market_is_never_called_covered(one_buyer: Path, fmt: str) -> None:
    out = run(one_buyer, fmt).stdout
    lowered = out.lower()
    for claim in ("supply is ahead", "catches up", "covers cumulative demand", "covered_in 20"):
        assert claim not in lowered, out
    if fmt in ("json", "jsonl"):
        doc = strict_json(out)
        assert doc["covered_in"] is None and doc["verdict"]["covered_in"] is None
        assert doc["verdict"]["matched"] is False
        assert doc["verdict"]["demand_scope"]["buyers"] == ["X"]
        assert doc["verdict"]["supply_scope"]["buyers"] == "all"
    else:  # the verdict names both scopes in every format
        assert "buyer X" in out and "every buyer" in out, out


def test_one_buyer_with_samples_gives_no_probability_of_covered(one_buyer: Path) -> None:
    text = one_buyer.read_text(encoding="utf-8").replace(
        "[parameters.cowos_wafers_per_year]\n",
        "[parameters.cowos_wafers_per_year]\nlow = 9e5\nhigh = 1.1e6\n",
    )
    one_buyer.write_text(text, encoding="utf-8")
    doc = strict_json(run(one_buyer, "json", "--samples", "200").stdout)
    assert all(y["p_covered"] is None for y in doc["years"])
    table = run(one_buyer, "table", "--samples", "200").stdout
    assert "No P(covered): the two sides differ in scope" in table
    assert "P(covered)" not in table.replace("No P(covered)", "")
    quiet = run(one_buyer, "quiet", "--samples", "200").stdout
    assert "p_covered" not in quiet and "covered_in n/a" in quiet


def test_the_same_market_counting_every_buyer_is_called_covered(tmp_path: Path) -> None:
    path = tmp_path / "market.toml"
    path.write_text(tiny_text(*PLANS, *DEALS, **market(demand_buyers="all")), encoding="utf-8")
    assert "Supply is ahead every year" in run(path, "table").stdout
    assert "covered_in 2025" in run(path, "quiet").stdout
    assert strict_json(run(path, "json").stdout)["covered_in"] == 2025


# ---------------------------------------------------------------- a vendor booked past its output


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_vendor_booked_past_its_output_is_flagged_in_every_format(
    tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / "over.toml"
    path.write_text(tiny_text(*PLANS, *DEALS, **market(demand_buyers="all")), encoding="utf-8")
    out = run(path, fmt).stdout
    if fmt in ("json", "jsonl"):
        doc = strict_json(out)
        assert doc["comparisons"]["booked_past_output"] == [{"vendor": "V2", "years": [2026]}]
        v2 = doc["comparisons"]["vendors"][1]
        assert v2["years"][1]["share_of_supply"] == pytest.approx(1.25)
    elif fmt == "quiet":
        assert "booked_past 2026 V2" in out.splitlines()
    elif fmt == "csv":
        rows = [line.split(",") for line in out.splitlines()]
        header = rows[0]
        v2_2026 = next(r for r in rows if r[:3] == ["vendor", "V2", "2026"])
        assert v2_2026[header.index("booked_past_output")] == "true"
        assert float(v2_2026[header.index("share_of_supply")]) == pytest.approx(1.25)
    else:
        assert "125% !" in out and "Booked past its output: V2 in 2026" in out


def test_an_unknown_buyer_is_refused_with_the_nearest_name(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(tiny_text(*PLANS, *DEALS, **market(demand_buyers="all")), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path), "--buyer", "x"), "no buyer 'x'", "'X'")
    result = invoke("timeline", "-a", str(path), "--buyer", "X", "--status", "announced")
    assert_user_error(result, "none of X's records has a counted status")


def test_a_diff_of_sets_counting_different_buyers_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(tiny_text(*PLANS, *DEALS, **market(demand_buyers="all")), encoding="utf-8")
    b.write_text(tiny_text(*PLANS, *DEALS, **market()), encoding="utf-8")
    result = invoke("diff", str(a), str(b), "--timeline")
    assert_user_error(result, "count demand at different scopes")


def test_demand_buyers_must_be_all_or_listed(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(tiny_text(**market(demand_buyers="everyone")), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path)), "demand_buyers is 'everyone'")


def test_json_deals_name_their_vendor(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(tiny_text(*PLANS, *DEALS, **market(demand_buyers="all")), encoding="utf-8")
    doc = json.loads(run(path, "json").stdout)
    vendors = {d["name"]: d["vendor"] for d in doc["deals"]}
    assert vendors == {"X capex": None, "Y GW": None, "X–V1": "V1", "Y–cloud": "V2"}


# ---------------------------------------------------------------- a reviewer's findings


@pytest.mark.parametrize("unit", ["wafer", "gpu", "die", "USD"])
def test_claims_are_made_in_power_only_so_no_unit_changes_them(tmp_path: Path, unit: str) -> None:
    """In another unit demand converts at the set's average rates, not through the chips that
    make the supply: a verdict or a vendor's share would depend on the unit asked for."""
    path = tmp_path / "m.toml"
    path.write_text(tiny_text(*PLANS, *DEALS, **market(demand_buyers="all")), encoding="utf-8")
    for power in ("GW", "GW_facility"):
        assert "covered_in 2025" in run(path, "quiet", "--unit", power).stdout
    doc = strict_json(run(path, "json", "--unit", unit).stdout)
    assert doc["verdict"]["matched"] is False and doc["covered_in"] is None
    assert "comparisons are made in GW" in doc["verdict"]["why_not"]
    assert doc["comparisons"]["vendors"] == [] and doc["comparisons"]["booked_past_output"] == []
    refused = invoke("timeline", "-a", str(path), "--unit", unit, "--buyer", "X")
    assert_user_error(refused, "compared in power")


def test_a_counted_contract_the_set_cannot_measure_is_an_error_not_a_zero(tmp_path: Path) -> None:
    cloud = deal("X–cloud", "100B USD_contract", "2026", "2027", buyer="X", seller="C",
                 kind="cloud", vendor="V1", term_years=5)  # fmt: skip
    path = tmp_path / "norate.toml"
    path.write_text(tiny_text(*PLANS, cloud, **market(demand_buyers="all")), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path)), "X–cloud", "contract_rate_per_gw_year")


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"size": "600B USD_contract", "term_years": 5}, "a capex-plan's size is spending"),
        ({"size": "6 GW"}, "a capex-plan's size is spending"),
    ],
)
def test_a_plan_of_the_wrong_kind_is_refused(
    tmp_path: Path, changes: dict[str, Any], fragment: str
) -> None:
    plan = {**PLANS[0], **changes}
    path = tmp_path / "bad.toml"
    path.write_text(tiny_text(plan, PLANS[1], **market(demand_buyers="all")), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path)), fragment)


def test_a_gw_plan_in_dollars_and_an_ai_share_off_a_capex_plan_are_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.toml"
    dollars = {**PLANS[1], "size": "$30B"}
    path.write_text(tiny_text(PLANS[0], dollars, **market(demand_buyers="all")), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path)), "a gw-plan's size is power")
    scaled = {**DEALS[0], "ai_share": 0.1}
    path.write_text(tiny_text(*PLANS, scaled, **market(demand_buyers="all")), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path)), "ai_share scales a capex plan")


def test_every_buyer_needs_plans_and_plans_not_counted_are_said_so(tmp_path: Path) -> None:
    path = tmp_path / "noplans.toml"
    path.write_text(tiny_text(*DEALS, **market(demand_buyers="all")), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path)), "no deal is an owner's plan")
    announced = [{**p, "status": "announced"} for p in PLANS]
    path.write_text(tiny_text(*announced, *DEALS, **market(demand_buyers="all")), "utf-8")
    out = run(path, "table").stdout
    assert "No owner's plan has a counted status (contract)" in " ".join(out.split())


def test_float_rounding_is_not_a_shortfall() -> None:
    from gwcalc.timelines.compute import YearRow, covered_in

    rows = [YearRow(2025, 6.0, 6.0, 6.0, 6.0 + 8.9e-16), YearRow(2026, 1.0, 0.0, 7.0, 6.0)]
    assert covered_in(rows) == 2025


def test_a_vendor_with_no_supply_is_never_booked_past_and_says_so_everywhere(
    tmp_path: Path,
) -> None:
    nowhere = deal("X–W", "3 GW", "2026", "2026", buyer="X", seller="W")  # vendor W: no chips
    typo = deal("X–v1", "3 GW", "2026", "2026", buyer="X", seller="v1")
    unnamed = deal("X–cloud", "3 GW", "2026", "2026", buyer="X", seller="C", kind="cloud")
    path = tmp_path / "m.toml"
    sets = tiny_text(*PLANS, *DEALS, nowhere, typo, unnamed, **market(demand_buyers="all"))
    path.write_text(sets, encoding="utf-8")
    doc = strict_json(run(path, "json").stdout)
    w = next(c for c in doc["comparisons"]["vendors"] if c["name"] == "W")
    assert w["booked_past_output"] == []
    assert [b["vendor"] for b in doc["comparisons"]["booked_past_output"]] == ["V2"]
    assert doc["comparisons"]["vendors_without_supply"] == ["W", "v1 (did you mean V1?)"]
    rows = list(csv.DictReader(io.StringIO(run(path, "csv").stdout)))
    assert {r["booked_past_output"] for r in rows if r["name"] == "W"} == {"false"}
    assert {r["booked_past_output"] for r in rows if r["level"] == "market"} == {""}
    quiet = run(path, "quiet").stdout.splitlines()
    assert "booked_past 2026 V2" in quiet and "no_supply W" in quiet
    table = " ".join(run(path, "table").stdout.split())
    assert "No vendor named: X–cloud (counted, but in no vendor's book)" in table


def test_the_supply_of_a_set_without_a_mix_is_one_vendors_share() -> None:
    doc = strict_json(run_named("seed-2025", "json").stdout)
    assert doc["verdict"]["supply_scope"]["text"].startswith("one vendor's share of CoWoS")


def run_named(name: str, fmt: str) -> Any:
    result = invoke("timeline", "-a", name, "--json" if fmt == "json" else "-q")
    assert result.exit_code == 0, result.stderr
    return result


def test_the_api_refuses_inputs_that_would_read_wrongly() -> None:
    with pytest.raises(ParameterError, match="give a list of one or more deal statuses"):
        api.timeline(statuses="contract")  # would read as 'c', 'o', 'n', …
    with pytest.raises(ParameterError, match="give a list of one or more deal statuses"):
        api.timeline(statuses=[])
    with pytest.raises(TypeError, match="a set's name or a path"):
        api.timeline(aset=123)  # type: ignore[arg-type]


def test_help_shows_no_empty_range_and_diff_names_both_scopes() -> None:
    assert "x<=None" not in invoke("timeline", "--help").stdout
    out = " ".join(invoke("diff", "market-2026", "--set", "all_in_cost_per_gw=60B",
                          "--timeline").stdout.split())  # fmt: skip
    assert "A: demand counts owners' plans (every buyer; any vendor); supply counts chips" in out
    doc = strict_json(invoke("diff", "market-2026", "--set", "all_in_cost_per_gw=60B",
                             "--timeline", "--json").stdout)  # fmt: skip
    assert doc["scopes"]["after"]["demand_scope"]["buyers"] == "all"


def test_gap_says_its_coverage_is_not_a_like_for_like_verdict() -> None:
    out = " ".join(invoke("gap", "-a", "market-2026").stdout.split())
    assert "not a like-for-like verdict" in out


def test_a_deal_naming_its_chips_is_set_against_those_chips_output(tmp_path: Path) -> None:
    """AMD's MI450 deal against all of AMD's output (with older chips) hid a book past its
    MI450 output: a deal's chips make a chip line. Here V1 also makes chip C, 0.01 of the
    wafers: 0.2 GW a year; X books 0.5 GW of C in 2026, against 0.4 GW built by then."""
    chips = {**MARKET_CHIPS, **chip("C")}
    chips["C"]["vendor"] = "V1"
    layout = market(demand_buyers="all")
    layout.update(chips=chips, mix=mix({"A": 0.3, "B": 0.2, "C": 0.01}))
    on_c = deal("X–C", "0.5 GW", "2026", "2026", buyer="X", seller="V1", chips=["C"])
    scopes = api.timeline(parse_tiny(*PLANS, on_c, **layout)).scopes
    line = next(c for c in scopes.vendors if c.level == "chips")
    assert line.name == "V1 (C)" and line.booked_past == (2026,)
    assert line.years[1].share == pytest.approx(0.5 / 0.4)
    v1 = next(c for c in scopes.vendors if c.name == "V1")
    assert v1.booked_past == ()  # against all of V1's output it looks fine
    path = tmp_path / "typo.toml"
    typo = {**on_c, "chips": ["c"]}
    path.write_text(tiny_text(*PLANS, typo, **layout), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path)), "chips names 'c'")


def test_an_ai_share_above_one_is_refused_with_its_value(tmp_path: Path) -> None:
    path = tmp_path / "ai.toml"
    plan = {**PLANS[0], "ai_share": 1.5}
    path.write_text(tiny_text(plan, PLANS[1], **market(demand_buyers="all")), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path)), "ai_share is 1.5")
