"""--format table|json|jsonl|csv|markdown and -q on every command that prints data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from gwcalc.report.documents import GAP_DEMAND_NOTE
from gwcalc.units.registry import parse_quantity
from tests.helpers import assert_user_error, invoke, json_error, json_output, strict_json

COMMANDS = {
    "gap": ("gap",),
    "convert": ("convert", "6 GW", "--to", "gpu", "--to", "USD"),
    "diff": ("diff", "seed-2025", "bases-2025"),
    "list": ("assumptions", "list"),
    "show": ("assumptions", "show", "seed-2025"),
    "check": ("assumptions", "check", "seed-2025"),
    "sensitivity": (
        "sensitivity",
        "--set",
        "gpus_per_gw=330k..478k",
        "--set",
        "vendor_share=0.4..0.6",
    ),
    "explain": ("explain", "gap"),
}
HEADERS = {
    "gap": ["output", "value", "unit"],
    "convert": ["input_value", "input_unit", "value", "unit", "path"],
    "diff": [
        "kind",
        "name",
        "before_value",
        "before_unit",
        "after_value",
        "after_unit",
        "change_pct",
    ],
    "list": ["name", "version", "date", "parameter_count", "default", "path", "error"],
    "show": ["parameter", "value", "unit", "source", "note", "implied"],
    "check": ["level", "parameters", "message"],
    "sensitivity": [
        "parameter",
        "low",
        "high",
        "parameter_unit",
        "distribution",
        "output_at_low",
        "output_at_high",
        "swing",
        "output_unit",
        "variance_share",
    ],
    "explain": [
        "output",
        "operation",
        "parameter",
        "value",
        "unit",
        "result",
        "result_unit",
        "low",
        "high",
        "source",
        "implied",
    ],
}


def ok(*args: str) -> str:
    result = invoke(*args)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_csv_has_a_header_and_parses(name: str) -> None:
    rows = list(csv.reader(io.StringIO(ok(*COMMANDS[name], "--format", "csv"))))
    assert rows[0] == HEADERS[name]
    assert len(rows) > 1
    assert all(len(row) == len(rows[0]) for row in rows)


def test_csv_values_and_units_are_separate_columns() -> None:
    rows = list(csv.DictReader(io.StringIO(ok(*COMMANDS["gap"], "--format", "csv"))))
    by_name = {row["output"]: row for row in rows}
    assert float(by_name["demand"]["value"]) == 50.0
    assert by_name["demand"]["unit"] == "GW_IT"
    assert (float(by_name["coverage"]["value"]), by_name["coverage"]["unit"]) == (0.27, "")
    converted = list(csv.DictReader(io.StringIO(ok(*COMMANDS["convert"], "--format", "csv"))))
    assert [(float(r["value"]), r["unit"]) for r in converted] == [(3e6, "gpu"), (120e9, "USD_hw")]


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Each table's rows as cells; checks the shape GitHub needs (pipes, a delimiter row)."""
    tables = []
    for block in text.strip("\n").split("\n\n"):
        if block.startswith("With --set ") and "\n" not in block:
            continue  # the line above the tables that says what each override did
        if block == GAP_DEMAND_NOTE:
            continue  # the line below gap's table: its demand is a total, its supply a year's
        lines = block.splitlines()
        assert all(line.startswith("| ") and line.endswith(" |") for line in lines), block
        cells = [[c.strip() for c in line[2:-2].split(" | ")] for line in lines]
        assert all(set(cell) <= set("-:") and "---" in cell for cell in cells[1])
        assert {len(row) for row in cells} == {len(cells[0])}, block
        tables.append([cells[0], *cells[2:]])
    return tables


@pytest.mark.parametrize("name", COMMANDS)
def test_markdown_is_a_table_github_renders(name: str) -> None:
    tables = markdown_tables(ok(*COMMANDS[name], "--format", "markdown"))
    assert tables and all(len(table) > 1 for table in tables)


def test_markdown_escapes_pipes(seed_copy: Path) -> None:
    text = seed_copy.read_text(encoding="utf-8")
    seed_copy.write_text(text.replace('note = "\\"', 'note = "a | b \\"', 1), encoding="utf-8")
    (table,) = markdown_tables(ok("assumptions", "show", str(seed_copy), "--format", "markdown"))
    assert any("a \\| b" in row[3] for row in table)


def test_diff_shows_ratios_as_percent_like_gap() -> None:
    table = ok("diff", "seed-2025", "bases-2025")
    (row,) = [line for line in table.splitlines() if line.strip().startswith("coverage")]
    assert "27.0%" in row and "33.0%" in row and "+6.0 pp" in row
    assert "27.0%" in ok("gap")
    outputs = markdown_tables(ok(*COMMANDS["diff"], "--format", "markdown"))[0]
    assert ["coverage", "", "27.0%", "33.0%", "+6.0 pp", "+22.1%"] in outputs


def test_quiet_convert_prints_values_that_read_back() -> None:
    lines = ok("convert", "-q", "6 GW", "--to", "gpu", "--to", "USD", "--to", "MW").splitlines()
    assert lines == ["3M gpu", "120B USD_hw", "6k MW_IT"]  # the tables' number formatting
    for line in lines:
        parse_quantity(line)


def test_quiet_round_trips() -> None:
    out = ok("convert", "-q", "6 GW", "--to", "gpu")
    assert out == "3M gpu\n"
    assert ok("convert", "-q", out.strip(), "--to", "GW") == "6 GW_IT\n"


def test_quiet_without_to_leaves_out_the_input_itself() -> None:
    lines = ok("convert", "-q", "6 GW").splitlines()
    assert "6 GW_IT" not in lines and "3M gpu" in lines


def test_quiet_gap_is_name_then_value() -> None:
    lines = ok("gap", "-q").splitlines()
    assert lines[:2] == ["supply_per_year 13.5 GW_IT/yr", "demand 50 GW_IT"]
    assert "coverage 27.0%" in lines
    for line in lines:
        name, value = line.split(" ", 1)
        assert name.isidentifier()
        parse_quantity(value)


def test_quiet_show_and_list_and_check() -> None:
    shown = ok("assumptions", "show", "seed-2025", "-q").splitlines()
    assert "gpus_per_gw 500k gpu/GW_IT" in shown
    assert "seed-2025@2" in ok("assumptions", "list", "-q").splitlines()
    assert ok("assumptions", "check", "seed-2025", "-q") == "clean\n"


def test_quiet_diff_is_name_a_b_unit() -> None:
    lines = ok("diff", "seed-2025", "bases-2025", "--convert", "6 GW", "--to", "gpu", "-q")
    assert lines.splitlines()[0] == "supply_per_year 13.5 7.061 GW_IT/yr"
    assert "coverage 27.0% 33.0%" in lines.splitlines()
    assert lines.splitlines()[-1] == "6GW_IT->gpu 3M 2.868M gpu"  # one word a field


@pytest.mark.parametrize("name", COMMANDS)
def test_json_and_jsonl_are_one_document(name: str) -> None:
    indented = json_output(invoke(*COMMANDS[name], "--format", "json"))
    assert indented == json_output(invoke(*COMMANDS[name], "--json"))
    line = invoke(*COMMANDS[name], "--format", "jsonl")
    assert line.stdout.count("\n") == 1
    assert strict_json(line.stdout) == indented
    assert list(indented)[:3] == ["format_version", "schema", "gwcalc_version"]


def test_list_counts_parameters_as_parameter_count() -> None:
    doc = json_output(invoke("assumptions", "list", "--json"))
    assert all(isinstance(s["parameter_count"], int) for s in doc["sets"] if "error" not in s)
    assert all("parameters" not in s for s in doc["sets"])


@pytest.mark.parametrize("name", COMMANDS)
def test_errors_under_json_formats_start_with_format_version(name: str) -> None:
    args = [*COMMANDS[name], "--assumptions-dir", "no-such-folder"]
    if name == "diff":
        args = ["diff", "seed-2025", "no-such-set"]
    for fmt in ("json", "jsonl"):
        result = invoke(*args, "--format", fmt)
        error = json_error(result)
        assert error["message"]
        assert result.stdout.count("\n") == (
            1 if fmt == "jsonl" else len(result.stdout.splitlines())
        )


@pytest.mark.parametrize(
    "clash", [("--json", "--format", "csv"), ("-q", "--json"), ("-q", "--format", "markdown")]
)
def test_two_formats_at_once_is_a_usage_error(clash: tuple[str, ...]) -> None:
    result = invoke("gap", *clash)
    if "--json" in clash:  # the error is a JSON document too
        assert "choose one output format" in json_error(result, code=2)["message"]
    else:
        assert_user_error(result, "choose one output format", code=2)


def test_json_and_format_json_together_are_fine() -> None:
    assert json_output(invoke("gap", "--json", "--format", "json"))["gap"]["unit"] == "GW_IT"


def test_gap_samples_in_csv_markdown_and_quiet_carry_the_percentiles() -> None:
    """--samples is never dropped silently: every format shows p5, p50 and p95 (the same draws
    as --json)."""
    args = ("gap", "-a", "independent-2026", "--set", "gpus_per_gw=330k..478k", "--samples", "500")
    doc = json_output(invoke(*args, "--json"))
    supply = doc["uncertainty"]["outputs"]["supply_per_year"]
    csv = invoke(*args, "--format", "csv")
    assert csv.stderr == ""
    lines = csv.stdout.splitlines()
    assert lines[0] == "output,value,unit,p5,p50,p95"
    row = next(line.split(",") for line in lines if line.startswith("supply_per_year,"))
    assert [float(x) for x in row[3:]] == pytest.approx(
        [supply[p]["value"] for p in ("p5", "p50", "p95")], rel=1e-12
    )
    markdown = invoke(*args, "--format", "markdown").stdout
    assert "p50 [p5, p95], 500 samples" in markdown and "% [" in markdown
    quiet = invoke(*args, "-q").stdout.splitlines()
    assert "supply_per_year.p95" in [line.split()[0] for line in quiet]


def test_sensitivity_and_explain_formats_agree_with_their_json() -> None:
    doc = json_output(invoke(*COMMANDS["sensitivity"], "--json"))
    rows = list(csv.DictReader(io.StringIO(ok(*COMMANDS["sensitivity"], "--format", "csv"))))
    assert [r["parameter"] for r in rows] == [p["name"] for p in doc["parameters"]]
    for row, param in zip(rows, doc["parameters"], strict=True):
        assert float(row["swing"]) == pytest.approx(param["swing"]["value"], rel=1e-12)
        assert float(row["variance_share"]) == pytest.approx(param["variance_share"], rel=1e-12)
    quiet = ok(*COMMANDS["sensitivity"], "-q").splitlines()
    assert [line.split()[0] for line in quiet] == [p["name"] for p in doc["parameters"]]
    for line, param in zip(quiet, doc["parameters"], strict=True):
        _, swing, share = line.split()  # coverage: a percentage, as the table shows it
        assert float(swing.rstrip("%")) == pytest.approx(param["swing"]["value"] * 100, abs=0.06)
        assert float(share.rstrip("%")) == pytest.approx(param["variance_share"] * 100, abs=0.06)
    assert ok("explain", "gap", "-q") == "gap 36.5 GW_IT\n"
    steps = list(csv.DictReader(io.StringIO(ok("explain", "supply_per_year", "--format", "csv"))))
    assert [s["parameter"] for s in steps] == [
        "cowos_wafers_per_year", "vendor_share", "gpus_per_wafer", "gpus_per_gw"
    ]  # fmt: skip
    assert float(steps[-1]["result"]) == pytest.approx(13.5)
