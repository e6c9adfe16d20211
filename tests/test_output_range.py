"""No inf, NaN or subnormal in any output (issue 15, item 5): every command, every format, with
figures at the ends of what a float holds; each run prints only finite, normal numbers that
read back, or fails cleanly."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.errors import OutputRangeError
from gwcalc.report.output_range import check_document
from gwcalc.units.floats import LARGEST, SMALLEST
from gwcalc.units.grammar import SCALES
from tests.conftest import REPO
from tests.helpers import TRACEBACK, assert_contract, invoke, json_error, strict_json

FORMATS = (
    ("--format", "table"),
    ("--format", "json"),
    ("--format", "jsonl"),
    ("--format", "csv"),
    ("--format", "markdown"),
    ("-q",),
)
SAMPLED_FORMATS = FORMATS[:3]  # --samples prints a table or JSON only (convert, diff)

# Each command as the test runs it; NAME=VALUE of a --set follows.
COMMANDS = {
    "gap": ("gap",),
    "timeline": ("timeline",),
    "convert": ("convert", "6 GW", "--to", "gpu", "--to", "USD"),
    "diff": ("diff", "seed-2025"),
    "diff --timeline": ("diff", "seed-2025", "--timeline"),
    "sensitivity": ("sensitivity",),
    "explain coverage": ("explain", "coverage"),
    "explain supply": ("explain", "supply_per_year"),
}
SAMPLED = ("gap", "timeline", "convert", "diff")
TABLE_OR_JSON = ("diff --timeline",)  # these refuse CSV, Markdown and -q (exit 2)

# Figures at the ends of floats: one alone, and ranges reaching them.
HOSTILE = (
    "cowos_wafers_per_year=1e308",
    "cowos_wafers_per_year=1e-300",
    "gpus_per_gw=1e-300",
    "contracted_spend=1.7e308",
    "hardware_cost_per_gw=1e-300",
    "cowos_wafers_per_year=1..1e308",
    "gpus_per_gw=1e-300..1",
    "contracted_spend=1e-300..1e308",
    "cowos_wafers_per_year=1e150..1e305",
)

_HEX = re.compile(r"\b[0-9a-f]{12,64}\b")  # sha256 prefixes in titles are not numbers
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?:(?P<scale>[kMBT])(?![A-Za-z_]))?"
)
_NOT_FINITE = re.compile(r"(?i)\b(?:inf|infinity|nan)\b")


def printed_numbers(text: str) -> list[float]:
    """Every number in printed text (k/M/B/T read as gwcalc's grammar reads them)."""
    numbers = []
    for found in _NUMBER.finditer(_HEX.sub("", text)):
        token = found.group().rstrip("kMBT")
        digits = re.sub(r"[eE].*", "", token).strip("+-").replace(".", "").lstrip("0")
        assert len(digits) <= 20, f"{found.group()!r} has more digits than a float carries"
        scale = SCALES[found["scale"]] if found["scale"] else 1.0
        numbers.append(float(token) * scale)
    return numbers


def assert_in_range(text: str) -> None:
    """Every printed number is a finite float, zero or normal (an input may be echoed up to the
    largest float: the run's own numbers stay below LARGEST, which the document check holds)."""
    assert not _NOT_FINITE.search(text), text
    for value in printed_numbers(text):
        assert math.isfinite(value), (value, text)
        assert value == 0 or abs(value) >= SMALLEST, (value, text)


def assert_clean_or_in_range(result: Result, fmt: tuple[str, ...]) -> None:
    assert_contract(result)
    assert TRACEBACK not in result.output
    if result.exit_code == 0:
        if fmt[-1] in ("json", "jsonl"):
            lines = result.stdout.splitlines() if fmt[-1] == "jsonl" else [result.stdout]
            for line in lines:
                strict_json(line)  # no NaN or Infinity
        assert_in_range(result.stdout)
        return
    assert "internal error" not in result.stderr, result.stderr
    if result.exit_code == 2:  # a usage error (an option this command or format refuses)
        return
    assert "\n  hint: " in result.stderr, result.stderr
    if fmt[-1] in ("json", "jsonl"):
        json_error(result)
    else:
        assert result.stdout == "", result.stdout


def _cases() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    cases: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for name, args in COMMANDS.items():
        formats = SAMPLED_FORMATS if name in TABLE_OR_JSON else FORMATS
        cases += [(name, args, fmt) for fmt in formats]
        if name in SAMPLED:
            cases += [(f"{name} --samples", (*args, "--samples", "64"), f) for f in SAMPLED_FORMATS]
    return cases


@pytest.mark.parametrize(
    ("args", "fmt"),
    [(a, f) for _, a, f in _cases()],
    ids=[f"{n} {' '.join(f)}" for n, _, f in _cases()],
)
def test_no_output_holds_a_number_beyond_floats(
    args: tuple[str, ...], fmt: tuple[str, ...]
) -> None:
    for override in HOSTILE:
        result = invoke(*args, "--set", override, *fmt)
        assert_clean_or_in_range(result, fmt)


decades = st.floats(min_value=-300, max_value=308.25, allow_nan=False)
NAMES = ("cowos_wafers_per_year", "gpus_per_gw", "contracted_spend", "hardware_cost_per_gw")


@given(
    name=st.sampled_from(NAMES),
    low=decades,
    high=st.none() | decades,
    command=st.sampled_from(["gap", "sensitivity", "explain coverage", "timeline"]),
    fmt=st.sampled_from(FORMATS),
)
def test_any_extreme_figure_prints_in_range_or_is_refused(
    name: str, low: float, high: float | None, command: str, fmt: tuple[str, ...]
) -> None:
    value = (
        f"{10.0**low:.6g}"
        if high is None
        else f"{10.0 ** min(low, high):.6g}..{10.0 ** max(low, high):.6g}"
    )
    result = invoke(*COMMANDS[command], "--set", f"{name}={value}", *fmt)
    assert_clean_or_in_range(result, fmt)


def test_sensitivity_to_a_range_reaching_the_top_of_floats_is_refused_by_name() -> None:
    # was: 'inf%' with exit 0 (and an internal error with --json); now the range's end is
    # refused as it is read, by the same range test every output passes
    for fmt in ("table", "csv", "markdown"):
        result = invoke("sensitivity", "--set", "cowos_wafers_per_year=1..1e308", "--format", fmt)
        assert result.exit_code == 1, result.stdout
        assert result.stdout == ""
        assert result.stderr.startswith("Error: cowos_wafers_per_year: high 1e+308 is beyond"), (
            result.stderr
        )
        assert "hint: give each end from about 2.2e-308 to 1.8e305" in result.stderr
    error = json_error(invoke("sensitivity", "--set", "cowos_wafers_per_year=1..1e308", "--json"))
    assert error["type"] == "parameter" and "high 1e+308" in error["message"]


@pytest.mark.parametrize("value", ["1e306", "-1e306", "1e-320"])
def test_a_figure_no_output_could_show_is_refused_where_it_is_written(
    value: str, tmp_path: Path
) -> None:
    text = (REPO / "assumptions" / "seed-2025@3.toml").read_text(encoding="utf-8")
    path = tmp_path / "extreme.toml"
    path.write_text(text.replace("value = 500000", f"value = {value}", 1), encoding="utf-8")
    loaded = invoke("gap", "-a", str(path))
    assert loaded.exit_code == 1 and loaded.stdout == ""
    assert "[gpus_per_gw]: value" in loaded.stderr, loaded.stderr
    assert "hint: write a figure from about 2.2e-308 to 1.8e305" in loaded.stderr
    overridden = invoke("gap", "--set", f"gpus_per_gw={value}")
    assert overridden.exit_code == 1 and overridden.stdout == ""


def test_an_output_beyond_floats_names_itself() -> None:
    # every figure within floats, the output at the range's high beyond them
    args = ("--set", "gpus_per_gw=1e-8", "--set", "cowos_wafers_per_year=1..1e300", "-q")
    result = invoke("sensitivity", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: the result's parameters[cowos_wafers_per_year].output_at_high.value is inf"
    )
    assert "(cowos_wafers_per_year, gpus_per_gw)" in result.stderr.split("hint:")[1]


# ---------------------------------------------------------------- the one check


@pytest.mark.parametrize(
    "value", [math.inf, -math.inf, math.nan, 1e-310, -5e-324, sys.float_info.max, 2 * LARGEST]
)
def test_a_document_with_a_number_no_float_carries_is_refused(value: float) -> None:
    doc = {
        "assumptions": {"overrides": {"gpus_per_gw": {"value": 1.0}}},
        "rows": [{"year": 2026, "gap": value}],
    }
    with pytest.raises(OutputRangeError) as caught:
        check_document(doc)
    assert caught.value.message.startswith("the result's rows[2026].gap is ")
    assert caught.value.hint is not None and "gpus_per_gw" in caught.value.hint


@pytest.mark.parametrize("value", [0.0, -0.0, SMALLEST, -SMALLEST, LARGEST, -LARGEST, 1.0])
def test_a_document_of_normal_numbers_passes(value: float) -> None:
    doc = {"a": [value, {"b": value}], "n": 3, "flag": True, "text": "inf"}
    assert check_document(doc) is doc
