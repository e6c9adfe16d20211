"""`gwcalc diff` (the one-year view) of sets whose deals differ: each deal added, removed or
changed (name-matched) in every format and in --exit-code; a flow that vests with a changed
deal flagged in the money; a flow's every changed field its own CSV row; a flow that comes to
count (letter of intent → closed) said in every format; round-trip shares only when they moved."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tests.helpers import assert_contract, invoke, json_output
from tests.test_flows_diff import EQUITY, LOI, NAME, OTHERS
from tests.test_flows_vesting import vesting_set
from tests.tiny_sets import money_set, set_text

WARRANT = "AMD–OpenAI warrant"


def write(tmp_path: Path, a: dict[str, Any], b: dict[str, Any]) -> tuple[str, str]:
    pa, pb = tmp_path / "a.toml", tmp_path / "b.toml"
    pa.write_text(set_text(a), encoding="utf-8")
    pb.write_text(set_text(b), encoding="utf-8")
    return str(pa), str(pb)


def run(paths: tuple[str, ...], *args: str, code: int = 0) -> Any:
    result = invoke("diff", *paths, *args)
    assert_contract(result)
    assert result.exit_code == code, result.stderr
    assert result.stderr == ""
    return result


def test_a_deal_twice_the_size_differs_and_flags_the_warrant_that_vests_with_it(
    tmp_path: Path,
) -> None:
    paths = write(tmp_path, vesting_set(), vesting_set("12 GW"))
    differs = invoke("diff", *paths, "--exit-code", "-q")
    assert differs.exit_code == 1 and differs.stderr == "" and differs.stdout  # they differ
    doc = json_output(run(paths, "--json"))
    assert doc["differs"] is True and doc["money"]["differs"] is True
    (deal,) = doc["deals"]
    assert deal["name"] == "AMD–OpenAI" and deal["fields"] == ["size"]
    assert (deal["before"]["size"], deal["after"]["size"]) == ("6 GW", "12 GW")
    flows = {f["name"]: f for f in doc["money"]["flows"]}
    assert flows[WARRANT]["fields"] == ["vesting_deal"]
    quiet = run(paths, "-q").stdout.splitlines()
    assert "deal changed size AMD–OpenAI" in quiet
    assert f"flow changed vesting_deal {WARRANT}" in quiet
    table = run(paths).stdout
    assert "Deals that differ" in table and table.count("No parameter differs.") == 1
    for noise in ("Parameters that differ", "Their sources", "Indented rows split"):
        assert noise not in table  # no parameter differs: no empty table, no footnote
    md = run(paths, "--format", "markdown").stdout
    assert "| AMD–OpenAI | size | size 6 GW | size 12 GW |" in md
    assert "No parameter differs." in md and "| parameter |" not in md  # no empty table
    assert f"| {WARRANT} | vesting_deal | vests with AMD–OpenAI, a deal that differs |" in md
    rows = list(csv.reader(io.StringIO(run(paths, "--format", "csv").stdout)))
    assert ["deal_size", "AMD–OpenAI", "6 GW", "", "12 GW", "", ""] in rows
    assert not [r for r in rows if r[0] == "flow_amount"]  # the warrant's terms are the same


def test_sellers_renamed_in_market_2026_v4_are_deals_that_differ() -> None:
    paths = ("market-2026@3", "market-2026@4")
    quiet = run(paths, "-q").stdout.splitlines()
    assert "deal changed seller AWS–OpenAI" in quiet
    assert sum(line.startswith("deal changed seller ") for line in quiet) == 6
    rows = list(csv.reader(io.StringIO(run(paths, "--format", "csv").stdout)))
    assert ["deal_seller", "AWS–OpenAI", "Amazon Web Services", "", "Amazon", "", ""] in rows


def test_a_flows_parties_are_csv_rows_and_no_row_says_nothing_changed(tmp_path: Path) -> None:
    moved = {**EQUITY, "from": "SoftBank"}
    paths = write(tmp_path, money_set(*OTHERS, EQUITY), money_set(*OTHERS, moved, version=2))
    rows = list(csv.reader(io.StringIO(run(paths, "--format", "csv").stdout)))
    flow_rows = [r for r in rows if r[1] == NAME]
    assert flow_rows == [["flow_from", NAME, "NVIDIA", "", "SoftBank", "", ""]]


def test_a_letter_of_intent_that_closes_is_now_counted_in_every_format(tmp_path: Path) -> None:
    paths = write(tmp_path, money_set(*OTHERS, LOI), money_set(*OTHERS, EQUITY, version=2))
    assert "(not counted)" in run(paths).stdout
    md = run(paths, "--format", "markdown").stdout
    assert "letter-of-intent; 2025-09-22 (not counted) | " in md and "(counted) |" in md
    assert f"flow_counted no yes {NAME}" in run(paths, "-q").stdout.splitlines()
    flows = {f["name"]: f for f in json_output(run(paths, "--json"))["money"]["flows"]}
    assert flows[NAME]["counted"] == "now counted"
    assert (flows[NAME]["before"]["counted"], flows[NAME]["after"]["counted"]) == (False, True)
    rows = list(csv.reader(io.StringIO(run(paths, "--format", "csv").stdout)))
    assert ["flow_counted", NAME, "false", "", "true", "", ""] in rows


def test_quiet_prints_only_the_round_trip_shares_that_moved(tmp_path: Path) -> None:
    paths = write(tmp_path, vesting_set(), vesting_set("12 GW"))
    quiet = run(paths, "-q").stdout.splitlines()
    assert not [line for line in quiet if line.startswith("round_trip_share")]


def test_diff_quiet_names_a_year_as_economics_quiet_does() -> None:
    """'revenue_gap 2027 A B unit', as `economics -q` writes 'revenue_gap 2027 VALUE unit'."""
    from tests.test_econ_diff import TOY

    quiet = run((str(TOY),), "--set", "ai_revenue.2027=200B", "-q").stdout.splitlines()
    assert any(line.startswith("revenue_gap 2027 ") for line in quiet)
    assert not any(line.startswith("revenue_gap.") for line in quiet)
