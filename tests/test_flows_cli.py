"""`gwcalc flows` through the command line: every format on stdout, every refusal on stderr, and
the graphs (DOT, Mermaid) checked for balanced brackets and a node for every party."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import assert_contract, assert_user_error, invoke, json_output, strict_json
from tests.tiny_sets import flow, money_set, set_text

PARTIES = {"AMD", "NVIDIA", "OpenAI", "Oracle"}


@pytest.fixture
def money_file(tmp_path: Path) -> Path:
    path = tmp_path / "money.toml"
    path.write_text(set_text(money_set()), encoding="utf-8")
    return path


def run(path: Path, *args: str) -> Any:
    return invoke("flows", "-a", str(path), *args)


def test_the_table_answers_for_each_seller(money_file: Path) -> None:
    result = run(money_file)
    assert_contract(result)
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    assert "Money flows — t v1" in out and "Counted statuses: contract, closed." in out
    assert "nominal dollars: money S sent B against money B paid S" in out
    for fragment in ("37.5%", "75.0%", "NVIDIA → OpenAI → Oracle → NVIDIA", "26.4B USD_equity"):
        assert fragment in out
    assert "Not counted: NVIDIA–OpenAI letter of intent (NVIDIA → OpenAI): status converted" in out


def test_json_is_the_apis_document(money_file: Path) -> None:
    doc = json_output(run(money_file, "--json"))
    assert list(doc)[:3] == ["format_version", "schema", "gwcalc_version"]
    assert doc["assumptions"]["id"] == "t" and doc["counted_statuses"] == ["contract", "closed"]
    nvidia = next(s for s in doc["sellers"] if s["seller"] == "NVIDIA")
    assert nvidia == {
        "seller": "NVIDIA",
        "id": "NVIDIA",
        "buyers": 2,
        "gross_nominal_usd": 80e9,
        "round_trip_nominal_usd": 30e9,
        "round_trip_share": 0.375,
        "net_external_nominal_usd": 50e9,
    }
    assert sum(p["in_nominal_usd"] for p in doc["parties"]) == pytest.approx(
        sum(p["out_nominal_usd"] for p in doc["parties"]), rel=1e-12
    )
    line = run(money_file, "--format", "jsonl")
    assert line.stdout.count("\n") == 1 and strict_json(line.stdout) == doc


def test_set_moves_the_warrant_to_96b(money_file: Path) -> None:
    doc = json_output(run(money_file, "--set", "amd_share_price=600", "--party", "AMD", "--json"))
    warrant = next(f for f in doc["flows"] if f["kind"] == "warrant")
    assert warrant["amount"] == {"value": 95_998_400_000.0, "unit": "USD_equity"}
    assert doc["round_trips"][0]["round_trip_share"] == 95_998_400_000.0 / 120e9
    assert doc["assumptions"]["overrides"]["amd_share_price"]["value"] == 600


def test_csv_has_a_row_per_seller_and_buyer_then_per_seller(money_file: Path) -> None:
    result = run(money_file, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stderr == ""
    pairs = [(r["seller"], r["buyer"]) for r in rows]
    assert ("NVIDIA", "OpenAI") in pairs and ("NVIDIA", "(all buyers)") in pairs
    total = next(r for r in rows if r["buyer"] == "(all buyers)" and r["seller"] == "NVIDIA")
    assert (
        float(total["round_trip_share"]) == 0.375 and float(total["sent_nominal_usd"]) == 30e9
    )  # filled (review finding d)


def test_markdown_has_every_section(money_file: Path) -> None:
    out = run(money_file, "--format", "markdown").stdout
    for heading in ("Round trips", "Sellers", "Money in and out", "Loops", "Counted flows"):
        assert f"**{heading}" in out
    assert "| NVIDIA | 2 | 80B | 30B | 37.5% | 50B |" in out


def test_quiet_lines(money_file: Path) -> None:
    lines = run(money_file, "-q").stdout.splitlines()
    assert "round_trip_share 37.5% NVIDIA" in lines
    assert "net_external 50B USD_nominal NVIDIA" in lines
    assert "net 50B USD_nominal NVIDIA" in lines
    assert "loop 30B USD_nominal NVIDIA → OpenAI → NVIDIA" in lines


def test_a_year_counts_that_years_part(money_file: Path) -> None:
    """OpenAI's $120B of AMD chips over 2026-H2..2030 (nine half-years): 1/9 in 2026."""
    doc = json_output(run(money_file, "--year", "2026", "--json"))
    amd = next(r for r in doc["round_trips"] if r["seller"] == "AMD")
    assert amd["gross_nominal_usd"] == pytest.approx(120e9 / 9, rel=1e-12)
    assert amd["round_trip_share"] == 1.0  # the warrant (26.4B) is all in 2026
    assert doc["year"] == 2026
    assert any(x["reason"] == "falls in 2027–2031, not 2026" for x in doc["left_out"])


def test_status_chooses_what_counts(money_file: Path) -> None:
    doc = json_output(run(money_file, "--status", "closed", "--status", "converted", "--json"))
    assert doc["counted_statuses"] == ["closed", "converted"]
    assert {f["status"] for f in doc["flows"]} == {"closed", "converted"}


def _balanced(text: str, pairs: str = "{}[]()") -> bool:
    depth = {pairs[i]: 0 for i in range(0, len(pairs), 2)}
    closing = {pairs[i + 1]: pairs[i] for i in range(0, len(pairs), 2)}
    outside = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)  # brackets inside labels do not count
    for char in outside:
        if char in depth:
            depth[char] += 1
        elif char in closing:
            depth[closing[char]] -= 1
            if depth[closing[char]] < 0:
                return False
    return all(v == 0 for v in depth.values())


def test_dot_is_a_digraph_with_every_party_and_flow(money_file: Path) -> None:
    result = run(money_file, "--format", "dot")
    out = result.stdout
    assert result.exit_code == 0 and result.stderr == ""
    assert out.startswith("digraph flows {") and out.rstrip().endswith("}") and _balanced(out)
    nodes = set(re.findall(r'^  "([^"]+)" \[label=', out, re.MULTILINE))
    assert nodes == PARTIES
    edges = re.findall(r'^  "([^"]+)" -> "([^"]+)" \[label="([^"]+)", style=(\w+)', out, re.M)
    assert len(edges) == 6
    assert ("NVIDIA", "OpenAI", "equity 30B USD_equity", "dashed") in edges
    assert ("OpenAI", "NVIDIA", "chip-order 40B USD_revenue", "solid") in edges


def test_mermaid_is_a_flowchart_with_every_party_and_flow(money_file: Path) -> None:
    out = run(money_file, "--format", "mermaid", "--party", "AMD").stdout
    lines = out.splitlines()
    assert lines[:3] == ["---", lines[1], "---"] and lines[1].startswith("title: ")
    assert lines[3] == "flowchart LR" and _balanced(out)
    nodes = dict(re.findall(r'^  (p\d+)\["([^"<]+)<br/>', out, re.MULTILINE))
    assert set(nodes.values()) == {"AMD", "OpenAI"}
    edges = re.findall(r"^  (p\d+) (-\.->|-->)\|\"([^\"]+)\"\| (p\d+)$", out, re.MULTILINE)
    assert {(nodes[a], arrow, label, nodes[b]) for a, arrow, label, b in edges} == {
        ("AMD", "-.->", "warrant 26.4B USD_equity", "OpenAI"),
        ("OpenAI", "-->", "chip-order 120B USD_hw", "AMD"),
    }
    assert sum(line.startswith("  linkStyle ") for line in lines) == len(edges)


def test_hostile_party_names_stay_inside_their_labels(tmp_path: Path) -> None:
    odd = 'A "quoted" {party} | [x] #1 <b>\\'
    path = tmp_path / "odd.toml"
    flows = [flow("x", odd, "B", "equity", "1B USD_equity"),
             flow("y", "B", odd, "revenue", "2B USD_revenue")]  # fmt: skip
    path.write_text(set_text(money_set(*flows)), encoding="utf-8")
    dot = run(path, "--format", "dot").stdout
    assert _balanced(dot) and dot.count(" -> ") == 2
    mermaid = run(path, "--format", "mermaid").stdout
    label = re.search(r'^  p0\["(.*)"\]$', mermaid, re.MULTILINE)
    assert _balanced(mermaid) and label is not None and '"' not in label.group(1)
    assert "#quot;quoted#quot;" in label.group(1) and "#124;" in label.group(1)


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--party", "Nvidia"), ["no party 'Nvidia'", "did you mean 'NVIDIA'?"]),
        (("--year", "2040"), ["no flow of the set falls in 2040"]),
        (("--year", "20x6"), ["not a year"]),
        (("--status", "announced"), ["none of the set's flows counts"]),
        (("--status", "closed", "--status", "closed"), ["chosen more than once"]),
        (("--set", "gpus_per_gw=1"),
         ["not used by the flows", "used by the flows: amd_share_price"]),
        (("--set", "amd_share_price=600 USD"), ["does not match amd_share_price's unit"]),
    ],
)  # fmt: skip
def test_refusals_go_to_stderr(
    money_file: Path, args: tuple[str, ...], fragments: list[str]
) -> None:
    assert_user_error(run(money_file, *args), *fragments)


def test_an_unknown_status_or_format_is_a_usage_error(money_file: Path) -> None:
    assert_user_error(run(money_file, "--status", "done"), "Invalid value for '--status'", code=2)
    assert_user_error(invoke("timeline", "--format", "dot"), "Invalid value for '--format'", code=2)


def test_a_set_without_flows_is_refused() -> None:
    assert_user_error(invoke("flows", "-a", "seed-2025"), "seed-2025 v3 has no flows")


def test_a_bad_flow_in_the_file_names_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    bad = flow("x", "A", "B", "equity", "30B USD_revenue")
    path.write_text(set_text(money_set(bad)), encoding="utf-8")
    stderr = assert_user_error(run(path), "[flows[1].amount]", "flow 'x': amount")
    assert re.search(r"bad\.toml:\d+ \[flows\[1\]\.amount\]", stderr)


def test_help_has_examples() -> None:
    out = " ".join(invoke("flows", "--help").stdout.split())
    assert "gwcalc flows --party NVIDIA" in out and "dot (a Graphviz graph)" in out


def test_at_80_columns_every_line_fits_and_amounts_stay_whole(money_file: Path) -> None:
    result = invoke("flows", "-a", str(money_file), env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and all(len(line) <= 80 for line in lines)
    assert all(line.rstrip()[-1] in "┓┃┩│┘" for line in lines if line[:1] in "┏┃┡│└")
    for amount in ("30B USD_equity", "26.4B USD_equity", "300B USD_contract"):
        assert amount in result.stdout


def test_markdown_names_each_flows_source_and_marks_an_implied_amount(tmp_path: Path) -> None:
    path = tmp_path / "implied.toml"
    guessed = flow("g", "A", "B", "revenue", "2B USD_revenue", implied=True, note="2 × 1B")
    guessed["source"] = {"title": "T", "publisher": "P", "date": "2026-01-02"}
    path.write_text(set_text(money_set(guessed)), encoding="utf-8")
    out = run(path, "--format", "markdown").stdout
    assert "| g | A | B | revenue | 2B USD_revenue (implied) | 2026 | closed 2026-02-27 |" in out
    assert out.rstrip().endswith("| P: T, 2026-01-02 |")
    doc = json_output(run(path, "--json"))
    assert doc["flows"][0]["implied"] is True and doc["flows"][0]["note"] == "2 × 1B"


def test_money_beyond_a_float_is_a_clear_error_not_an_internal_one() -> None:
    """160M shares at a share price of 1e300 overflowed math.fsum: 'internal error'."""
    result = invoke("flows", "-a", "market-2026", "--set", "amd_share_price=1e300", "-q")
    assert_user_error(result, "beyond the range of a floating-point number")


def test_a_warrant_out_of_the_money_makes_no_loop() -> None:
    out = invoke("flows", "-a", "market-2026", "--party", "AMD", "--set",
                 "amd_share_price=0.001", "-q").stdout  # fmt: skip
    assert not [line for line in out.splitlines() if line.startswith("loop 0 ")]


def test_loops_say_they_are_circles_of_parties_not_money_that_went_round() -> None:
    table = " ".join(invoke("flows", "-a", "market-2026").stdout.split())
    # each loop says whether money can have gone round in time order (review finding a)
    assert "marked 'not in time order'" in table and "must not be added" in table
    assert "from Oracle → NVIDIA (2025)" in table
    doc = json_output(invoke("flows", "-a", "market-2026", "--json"))
    assert "must not be added" in doc["loops_note"]


def test_assumptions_show_lists_every_flow_with_its_source_and_history() -> None:
    out = " ".join(
        invoke("assumptions", "show", "market-2026", env={"COLUMNS": "200"}).stdout.split()
    )
    assert "Flows of money" in out
    assert "NVIDIA → OpenAI, equity, 30B USD_equity" in out
    assert "2025-09-22 letter of intent" in out  # the $100B letter of intent, as history
    assert "160,000,000 shares × (amd_share_price − 0.01" in out  # a table cell: it may wrap
    assert "if fully vested" in out
