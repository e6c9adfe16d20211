"""`gwcalc sensitivity` and `gwcalc explain` of the flows outputs, and `gwcalc flows --samples`,
through the command line: every format on stdout (nothing on stderr), every refusal on stderr
(nothing on stdout)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import assert_contract, assert_user_error, invoke, json_output, strict_json
from tests.tiny_sets import money_set, set_text

WARRANT = "AMD–OpenAI warrant"
FORMATS = ("table", "json", "jsonl", "csv", "markdown", "-q")


@pytest.fixture
def money_file(tmp_path: Path) -> Path:
    path = tmp_path / "money.toml"
    path.write_text(set_text(money_set()), encoding="utf-8")
    return path


def run(*args: str) -> Any:
    result = invoke(*args)
    assert_contract(result)
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    return result


def fmt_args(fmt: str) -> list[str]:
    return [] if fmt == "table" else ["-q"] if fmt == "-q" else ["--format", fmt]


@pytest.mark.parametrize("fmt", FORMATS)
def test_sensitivity_of_a_round_trip_share_in_every_format(money_file: Path, fmt: str) -> None:
    args = ("sensitivity", "-a", str(money_file), "--output", "round_trip_share",
            "--party", "AMD", "--samples", "500", *fmt_args(fmt))  # fmt: skip
    out = run(*args).stdout
    if fmt == "table":
        assert "Sensitivity of round-trip share of AMD — t v1" in out
        assert "round-trip share of AMD at every figure's value: 22.0%" in out
        assert "13.3%" in out and "80.0%" in out and "66.7%" in out  # low, high, swing
        assert "first-order shares from 500 samples (seed 20261202), together 100%" in out
    elif fmt in ("json", "jsonl"):
        doc = strict_json(out)
        assert doc["family"] == "flows" and doc["party"] == "AMD"
        (p,) = doc["parameters"]
        assert p["swing"]["value"] == pytest.approx(160e6 * 500 / 120e9, rel=1e-12)
        assert (out.count("\n") == 1) == (fmt == "jsonl")
    elif fmt == "csv":
        (row,) = list(csv.DictReader(io.StringIO(out)))
        assert row["parameter"] == "amd_share_price" and row["variance_share"] == "1.0"
        assert float(row["output_at_low"]) == pytest.approx(160e6 * 99.99 / 120e9, rel=1e-12)
    elif fmt == "markdown":
        line = "| amd_share_price | 100 USD_equity … 600 USD_equity | 13.3% | 80.0% | 66.7% |"
        assert line in out
    else:
        assert out == "amd_share_price 66.7% 100.0%\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_explain_of_a_warrant_in_every_format(money_file: Path, fmt: str) -> None:
    args = ("explain", "warrant_value", "-a", str(money_file), "--flow", WARRANT,
            "--set", "amd_share_price=600", *fmt_args(fmt))  # fmt: skip
    out = run(*args).stdout
    if fmt == "table":
        assert "warrant value of AMD–OpenAI warrant — t v1" in out
        assert "160M × max(0, 600 − 0.01)" in out and "95.9984B USD_equity" in out
        assert "Caveats of" not in out or "money" in out  # the money's caveats, if any
    elif fmt in ("json", "jsonl"):
        doc = strict_json(out)
        assert doc["result"] == {"value": 95_998_400_000.0, "unit": "USD_equity"}
        assert doc["flows"][0]["warrant"]["shares"] == 160_000_000
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["kind"] for r in rows] == ["flow", "figure", "step"]
        assert rows[-1]["value"] == "95998400000.0" and rows[-1]["unit"] == "USD_equity"
    elif fmt == "markdown":
        assert out.startswith("With --set amd_share_price: set to 600 USD_equity")
        assert "| AMD–OpenAI warrant | warrant_value | shares × max(0, price − strike) |" in out
    else:
        assert out == "warrant_value 95.9984B USD_equity AMD–OpenAI warrant\n"


def test_explain_of_a_round_trip_share_lists_each_buyer(money_file: Path) -> None:
    out = run("explain", "round_trip_share", "-a", str(money_file), "--party", "NVIDIA").stdout
    for fragment in ("OpenAI → NVIDIA", "Oracle → NVIDIA", "min(30B, 40B)", "37.5%",
                     "NVIDIA–OpenAI equity"):  # fmt: skip
        assert fragment in out
    quiet = run("explain", "net_external_revenue", "-a", str(money_file), "--party", "NVIDIA", "-q")
    assert quiet.stdout == "net_external_revenue 50B USD_nominal NVIDIA\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sensitivity", "--output", "round_trip_share"), "round_trip_share needs --party"),
        (("explain", "warrant_value"), "warrant_value needs --flow"),
        (("explain", "round_trip_share", "--flow", WARRANT), "takes --party, not --flow"),
        (("explain", "warrant_value", "--flow", WARRANT, "--party", "AMD"), "takes --flow, not"),
        (("sensitivity", "--output", "coverage", "--party", "AMD"), "not the gap output coverage"),
        (("explain", "payback_years", "--flow", WARRANT), "not the economics output payback"),
        (("explain", "coverage", "--year", "2027"), "--year is for the economics"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    assert_user_error(invoke(*args), message, code=2)


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("explain", "warrant_value", "--flow", "AMD-OpenAI warant"),
         ("no flow named 'AMD-OpenAI warant'", "did you mean 'AMD–OpenAI warrant'?")),
        (("explain", "warrant_value", "--flow", "OpenAI–AMD GPUs (6 GW)"),
         ("is a chip-order, not a warrant",)),
        (("sensitivity", "--output", "round_trip_share", "--party", "NVIDIA", "--set",
          "amd_share_price=150..700"), ("amd_share_price: not used by the flows'",)),
        (("explain", "round_trip_share", "--party", "Amd"), ("did you mean 'AMD'?",)),
        (("sensitivity", "--output", "round_trip_shar", "--party", "AMD"),
         ("did you mean round_trip_share?",)),
    ],
)  # fmt: skip
def test_refusals_on_market_2026(args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    assert_user_error(invoke(*args), *fragments)


def test_the_year_counts_its_part(money_file: Path) -> None:
    doc = json_output(invoke("sensitivity", "--output", "warrant_value", "--flow", WARRANT,
                             "--year", "2027", "--samples", "300", "--json"))  # fmt: skip
    full = 160e6 * 203.71 - 160e6 * 0.01  # market-2026@4's price; two of six tranches by 2027
    assert doc["year"] == 2027 and doc["point"]["value"] == pytest.approx(full / 3, rel=1e-15)


# ---------------------------------------------------------------- flows --samples


def samples_run(path: Path, *args: str) -> str:
    base = ("flows", "-a", str(path), "--set", "amd_share_price=164.67..600", "--samples", "500")
    return str(run(*base, *args).stdout)


def test_flows_samples_as_csv(money_file: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(samples_run(money_file, "--format", "csv"))))
    assert list(rows[0]) == ["output", "name", "value", "unit", "p5", "p50", "p95", "mean"]
    warrant = rows[0]
    assert (warrant["output"], warrant["name"], warrant["unit"]) == (
        "warrant_value", WARRANT, "USD_equity",
    )  # fmt: skip
    assert float(warrant["value"]) == pytest.approx(160e6 * (164.67 * 600) ** 0.5 - 1.6e6)
    shares = {r["name"]: r for r in rows if r["output"] == "round_trip_share"}
    assert set(shares) == {"AMD", "NVIDIA", "Oracle"}  # every seller's, as JSON
    assert shares["NVIDIA"]["p5"] == shares["NVIDIA"]["p95"] == "0.375"
    assert float(shares["AMD"]["p5"]) < float(shares["AMD"]["p95"])


def test_flows_samples_as_quiet_lines_and_markdown(money_file: Path) -> None:
    lines = samples_run(money_file, "-q").splitlines()
    assert lines[0].startswith("round_trip_share ")  # flows' own -q lines first
    sampled = [line for line in lines if ".p" in line.split(" ")[0]]
    assert [line.split(" ")[0] for line in sampled] == [
        "warrant_value.p5", "warrant_value.p50", "warrant_value.p95",
        "round_trip_share.p5", "round_trip_share.p50", "round_trip_share.p95",
    ]  # fmt: skip
    assert sampled[0].endswith(f" {WARRANT}") and sampled[-1].endswith(" AMD")
    markdown = samples_run(money_file, "--format", "markdown")
    assert "**Over 500 samples of amd_share_price (seed 20261202)**" in markdown
    assert "| round-trip share AMD |" in markdown and "round-trip share NVIDIA" not in markdown


def test_the_flows_outputs_complete_with_what_they_take() -> None:
    from gwcalc.cli.complete import output_names
    from gwcalc.cli.flow_outputs import TAKES
    from gwcalc.money.outputs import FLOW_OUTPUTS

    labels = dict(output_names())
    assert labels["round_trip_share"] == "flows: round-trip share (--party)"
    assert labels["warrant_value"] == "flows: warrant value (--flow)"
    assert {o.name: o.takes for o in FLOW_OUTPUTS} == TAKES  # the CLI's copy, kept light


@pytest.mark.parametrize(
    "args",
    [
        ("sensitivity", "--output", "payback_years", "--unit", "gpu"),
        ("explain", "revenue_gap", "--year", "2027", "--unit", "GW"),
        ("explain", "round_trip_share", "--party", "AMD", "--unit", "GW"),
    ],
)
def test_unit_is_refused_where_it_would_change_nothing(args: tuple[str, ...]) -> None:
    """--unit measures the gap's outputs; an economics or flows output keeps its own unit, so
    --unit there is refused (exit 2), not silently ignored."""
    assert_user_error(invoke(*args), "--unit is for the gap's outputs", code=2)
