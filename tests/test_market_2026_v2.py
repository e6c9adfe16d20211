"""market-2026 v2 is v1 with an audit's corrections: the arithmetic each corrected figure's note
states, version 1's file unchanged, version 2 extending it by its sha256, and every changed figure
dated and sourced (or implied, with its reasoning)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest

from gwcalc import api
from gwcalc.sets.find import bundled_dir
from tests.helpers import invoke, json_output

V1, V2 = "market-2026@1", "market-2026@2"
V1_FILE_SHA256 = "cdc9db7bb29140eb138b3f4e4d57f0f1b6589ca407d65361ccadb3c453230f08"
V1_SHA256 = "f5f72ff1b5c2023d51f7286d94c4a1cd4a69eb66a00d9ff44f7b4c549efbbe65"
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
AFTER_2027 = ("2028", "2029", "2030")


def _toml(ref: str) -> dict[str, Any]:
    with (bundled_dir() / f"{ref}.toml").open("rb") as f:
        return tomllib.load(f)


def _deal(ref: str, name: str) -> dict[str, Any]:
    return next(d for d in _toml(ref)["deals"] if d["name"] == name)


def _billions(size: str) -> float:
    number, _, unit = size.partition("B ")
    assert unit == "USD_all_in", size
    return float(number)


def _plan_gw(plan: dict[str, Any]) -> float:
    share = float(plan.get("ai_share", 1.0))
    return _billions(plan["size"]) * share / 38


def test_v1s_file_is_unchanged() -> None:
    path = bundled_dir() / f"{V1}.toml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == V1_FILE_SHA256
    assert api.load_set(V1).sha256 == V1_SHA256


def test_v2_extends_v1_by_its_sha256_and_says_what_changed() -> None:
    new = api.load_set(V2)
    assert (new.id, new.version, new.date) == ("market-2026", 2, "2026-12-06")
    assert new.extends == f"market-2026 v1 sha256:{V1_SHA256}"
    assert api.load_set("market-2026@3").extends == f"market-2026 v2 sha256:{new.sha256}"
    changes = " ".join(new.changes)
    for fragment in (
        "190B → 136.8B",
        "80B → 59B",
        "35B → 37.2B",
        "1,221 W → 1,453 W",
        "975k → 1.14M",
        "2.61M/3.45M/4.55M → 2.69M/3.66M/4.98M",
        "2026 supply 26.66 → 27.32, demand 22.06 → 20.44",
        "Σ supply 204.5 → 208.6",
        "2026 77.9% → 93.9%",
        "26.67 → 27.34",
    ):
        assert fragment in changes, fragment  # each change with its before → after numbers
    assert "audit 12" in changes  # the finding left alone says why
    description = new.description or ""
    assert "gwcalc diff market-2026@1 market-2026@2" in " ".join(description.split())


def test_microsofts_2026_is_its_last_two_filed_quarters_at_an_annual_rate() -> None:
    plan = _deal(V2, "Microsoft capex 2026")
    assert round((37.5 + 30.9) * 2, 1) == 136.8
    assert plan["size"] == "136.8B USD_all_in" and plan["size_implied"] is True
    assert "$37.5B" in plan["note"] and "$30.9B" in plan["note"]
    assert round(_plan_gw(plan), 2) == 2.88 and "= 2.88 GW of IT power" in plan["note"]
    assert "ChaoBro" not in plan["source"]["publisher"]  # not Morgan Stanley's figure
    assert "Morgan Stanley" not in plan["source"]["publisher"]
    assert _deal(V1, "Microsoft capex 2026")["size"] == "190B USD_all_in"


def test_oracles_2025_and_2026_are_prorated_from_its_fiscal_quarters() -> None:
    fiscal_2025, q4_2025 = 21.2, 9.1  # fiscal years end in May
    q1_2026, q2_2026, guided_2026 = 8.5, 12.0, 50.0
    second_half_2026 = guided_2026 - q1_2026 - q2_2026  # Dec 2025–May 2026
    assert second_half_2026 == 29.5
    jan_feb = (fiscal_2025 - q4_2025) * 2 / 9
    calendar_2025 = jan_feb + q4_2025 + q1_2026 + q2_2026 + second_half_2026 / 6
    assert round(jan_feb, 2) == 2.69 and round(second_half_2026 / 6, 2) == 4.92
    assert round(calendar_2025, 1) == 37.2
    plan_2025 = _deal(V2, "Oracle capex 2025")
    assert plan_2025["size"] == "37.2B USD_all_in"
    assert "2.69 + 9.1 + 8.5 + 12.0 + 4.92 = $37.2B" in " ".join(plan_2025["note"].split())
    plan_2026 = _deal(V2, "Oracle capex 2026")
    assert second_half_2026 * 2 == 59 and plan_2026["size"] == "59B USD_all_in"
    assert plan_2026["size_implied"] is True
    assert round(_plan_gw(plan_2025), 2) == 0.88 and round(_plan_gw(plan_2026), 2) == 1.40
    for plan in (plan_2025, plan_2026):
        assert plan["source"]["date"] == "2026-03-10" and "8-K" in plan["source"]["publisher"]


def test_h100s_it_power_is_epochs_own_row() -> None:
    power = _toml(V2)["chips"]["H100"]["it_power_per_package"]
    assert power["value"] == round(10_200 / 8 * 1.14) == 1453  # DGX H100 10.2 kW, 8 GPUs
    assert power["low"] == 10_200 / 8 == 1275  # Epoch AI's 5th percentile (overhead 1.00)
    assert power["high"] == 1721  # Epoch AI's 95th percentile, as its row states
    assert "implied" not in power
    assert "IT%20power%20by%20chip.csv" in power["source"]["url"]
    assert _toml(V1)["chips"]["H100"]["it_power_per_package"]["value"] == round(700 * 1.7442)


def test_trainium3_takes_aws_shares_from_2026() -> None:
    old, new = _toml(V1), _toml(V2)
    chip = new["chips"]["Trainium3"]
    assert chip["vendor"] == "AWS"
    power = chip["it_power_per_package"]
    assert power["value"] == round(700 * 1.53 * 1.14) == 1221  # Epoch AI's 700 W TDP
    assert (power["low"], power["high"]) == (round(700 * 1.53), round(700 * 1.53 * 1.35))
    assert "10c28e48" in power["source"]["url"] and power["source"]["date"] == "2026-09-24"
    assert chip["packages_per_wafer"]["value"] == 20 and chip["packages_per_wafer"]["implied"]
    trainium2 = new["chips"]["Trainium"]["it_power_per_package"]
    assert trainium2["high"] == round(500 * 1.53 * 1.35) == 1033  # no unsourced 1,000 W chip
    assert new["mix"]["2025"]["shares"] == old["mix"]["2025"]["shares"]  # Trainium2 in 2025
    for year in ("2026", "2027", *AFTER_2027):
        before, after = old["mix"][year]["shares"], new["mix"][year]["shares"]
        assert after["Trainium3"] == before["Trainium"] == 0.06 and "Trainium" not in after
        assert sum(after.values()) == pytest.approx(sum(before.values()))  # sums unchanged


def test_the_2026_cowos_low_is_jpmorgans() -> None:
    new = _toml(V2)["parameters"]["cowos_wafers_per_year"]
    low = (75_000 + 115_000) / 2 * 12  # TrendForce's end-2025 start, JPMorgan's end-2026
    assert low == 1_140_000
    assert new["low"] == new["by_year"]["2026"]["low"] == low
    for note in (new["note"], new["by_year"]["2026"]["note"]):
        assert "JPMorgan" in note and "2026-01-07" in note and "115k" in note
        assert "stale" in note  # Morgan Stanley's 90–95k kept as history only
    assert _toml(V1)["parameters"]["cowos_wafers_per_year"]["low"] == 975_000


def test_the_later_cowos_lows_are_marked_implied() -> None:
    entries = _toml(V2)["parameters"]["cowos_wafers_per_year"]["by_year"]
    assert round(112 * 1.13) == 127  # JPMorgan's end-2027 (2025-09-23) × its 13% raise
    assert entries["2027"]["low"] == (115_000 + 127_000) / 2 * 12 == 1_452_000
    assert "112k" in entries["2027"]["note"] and "implied" in entries["2027"]["note"]
    for year in AFTER_2027:
        assert entries[year]["low"] == 127_000 * 12
        assert "126.6k" in entries[year]["note"]


def test_the_later_cowos_highs_grow_36_percent_a_year() -> None:
    entries = _toml(V2)["parameters"]["cowos_wafers_per_year"]["by_year"]
    assert round(2.69e6 / 1.98e6, 2) == 1.36  # the rate that reaches 2.69M
    for power, year in enumerate(AFTER_2027, start=1):
        assert entries[year]["high"] == round(1.98e6 * 1.36**power)
        assert f"1.36^{power}" in entries[year]["note"]
    assert entries["2028"]["high"] == pytest.approx(2.69e6, rel=0.002)


def test_the_citations_the_audit_found_wrong() -> None:
    coreweave = _deal(V2, "CoreWeave capex 2026")
    assert coreweave["size"] == _deal(V1, "CoreWeave capex 2026")["size"] == "32.5B USD_all_in"
    assert (
        coreweave["source"]["date"] == "2026-02-27"
        and "Finviz" not in coreweave["source"]["publisher"]
    )
    google = _deal(V2, "Google–Anthropic TPUs (2026)")
    assert google["size"] == "1 GW"
    assert google["source"]["date"] == "2025-10-23" and google["source"]["publisher"] == "Anthropic"
    aws = _deal(V2, "AWS–OpenAI")
    rate = 300e9 / 5 / 4.5
    assert round(38e9 / 7 / rate * 1e9 / 2090, -3) == 195_000  # W ÷ W per GB200 package
    assert "≈ 195k GB200 packages" in aws["note"]


def test_the_texts_say_what_the_set_holds() -> None:
    new = api.load_set(V2)
    assert new.timeline is not None
    supply = " ".join((new.timeline.supply_scope or "").split())
    assert "Trainium3 from 2026" in supply and "Rubin (0.55)" in supply and "0.04" in supply
    demand = " ".join((new.timeline.demand_scope or "").split())
    assert "mostly" in demand and "Exceptions:" in demand
    assert any("Trainium3" in c and "0.04" in c for c in new.caveats)


def test_the_gaps_contract_dollars_are_said_on_screen() -> None:
    spend = _toml(V2)["parameters"]["contracted_spend"]
    assert (spend["value"], spend["unit"]) == (600e9, "USD_all_in")  # the unit is kept
    out = " ".join(invoke("gap", "-a", V2).stdout.split())
    assert "CONTRACT dollars" in out  # a caveat, printed under the table
    rate = _toml(V2)["parameters"]["contract_rate_per_gw_year"]
    assert "'power'" in rate["note"] and "facility" in rate["note"]


def test_the_timeline_before_and_after() -> None:
    before, after = (json_output(invoke("timeline", "-a", ref, "--json")) for ref in (V1, V2))
    assert before["covered_in"] == after["covered_in"] == 2026
    rows = {y["year"]: y for y in after["years"]}
    assert rows[2025]["supply"]["value"] == pytest.approx(11.4248, abs=1e-4)
    assert rows[2026]["supply"]["value"] == pytest.approx(27.3177, abs=1e-4)
    assert rows[2026]["demand"]["value"] == pytest.approx(20.4432, abs=1e-4)
    assert rows[2030]["cumulative_supply"]["value"] == pytest.approx(208.589, abs=1e-3)
    assert rows[2030]["cumulative_demand"]["value"] == pytest.approx(155.02, abs=1e-3)


def _tables(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every table that carries a figure, deals keyed by name so both versions line up."""
    if isinstance(node, dict):
        if "value" in node or "shares" in node or "size" in node:
            yield path, node
        for key, item in node.items():
            if key not in ("source", "shares"):
                yield from _tables(item, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict):
                yield from _tables(item, f"{path}[{item.get('name', '')}]")


def test_every_changed_figure_is_dated_and_sourced() -> None:
    old = dict(_tables(_toml(V1)))
    changed = 0
    for path, table in _tables(_toml(V2)):
        if path.endswith(".value") or path.endswith(".size"):
            continue  # a deal's value or size text, not a table
        figures = {k: v for k, v in table.items() if k not in ("note", "source")}
        before = {k: v for k, v in old.get(path, {}).items() if k not in ("note", "source")}
        if figures == before:
            continue
        changed += 1
        source = table["source"]
        assert source["publisher"] and source["title"], path
        assert DATE.fullmatch(source["date"]) and source["url"].startswith("https://"), path
        assert "Version 2" in table["note"] or "version 2" in table["note"], path
    assert changed >= 20  # the plans, the chips, the mixes, the CoWoS and packages-per-GW years
