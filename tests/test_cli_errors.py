"""Errors at the command line: one 'Error:' line on stderr, exit 1 (2 for usage), never a
traceback; with --json also an {"error": …} object on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gwcalc.sets.find import bundled_dir
from tests.helpers import (
    assert_contract,
    assert_user_error,
    invoke,
    json_error,
    json_output,
    strict_json,
)

# (arguments, fragments the message on stderr must contain)
USER_ERRORS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    # quantities and units
    (("convert", "6 furlongs"), ("unknown unit", "furlongs")),
    (("convert", "six GW"), ("six",)),
    (("convert", "6 GW +"), ("6 GW +",)),
    (("convert", ""), ("empty",)),
    (("convert", "nan GW"), ("not a finite number",)),
    (("convert", "inf GW"), ("not a finite number",)),
    (("convert", "1e400 GW"), ("not a finite number",)),
    (("convert", "6 GW^2"), ("power",)),
    (("convert", "6 GW", "--to", "furlongs"), ("unknown unit", "furlongs")),
    (("convert", "6 GW", "--to", ""), ("empty",)),
    # wrong dimensions
    (("convert", "6 GW", "--to", "wafer/year"), ("cannot convert",)),
    (("convert", "6 GW/year", "--to", "gpu"), ("cannot convert",)),
    (("convert", "6 GW", "--to", "%"), ("plain number",)),
    (("convert", "5", "--to", "gpu"), ("plain number",)),
    (("convert", "6 GW", "--to", "GW_facility"), ("seed-2025", "facility power", "pue")),
    (("gap", "--unit", "wafer/year"), ("wafer/year",)),
    (("gap", "--unit", "GW_facility"), ("pue",)),
    (("gap", "--unit", "furlongs"), ("furlongs",)),
    (("gap", "--demand", "5 GW/year"), ("cannot convert",)),
    # values that make no sense
    (("gap", "--demand", "0 GW"), ("greater than zero",)),
    (("gap", "--demand", "nan GW"), ("not a finite number",)),
    (("convert", "6 GW", "--set", "gpus_per_gw=0 gpu/GW"), ("gpus_per_gw", "out of range")),
    (("convert", "6 GW", "--set", "gpus_per_gw=-5"), ("gpus_per_gw", "out of range")),
    (("convert", "6 GW", "--set", "gpus_per_gw=-5 gpu/GW"), ("gpus_per_gw", "out of range")),
    (("gap", "--set", "vendor_share=1.5"), ("vendor_share", "out of range")),
    (("gap", "--set", "gpus_per_gw=inf gpu/GW"), ("not a finite number",)),
    (("gap", "--set", "gpus_per_gw=5 wafer/GW"), ("gpus_per_gw", "does not match")),
    # --set names and forms
    (("gap", "--set", "nosuch=5 gpu"), ("unknown parameter", "nosuch")),
    (("gap", "--set", "gpus_per_gw"), ("NAME=QUANTITY",)),
    (("gap", "--set", "=5"), ("NAME=QUANTITY",)),
    # sets that cannot be found
    (("gap", "-a", "no-such-set"), ("no assumption set named 'no-such-set'", "seed-2025")),
    (("convert", "6 GW", "-a", "missing.toml"), ("missing.toml", "no such assumption file")),
    (("gap", "-a", "/"), ("cannot read",)),
]


@pytest.mark.parametrize(("args", "fragments"), USER_ERRORS, ids=lambda v: " ".join(v))
def test_user_errors(args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    stderr = assert_user_error(invoke(*args), *fragments)
    first, *rest = stderr.rstrip("\n").split("\n")
    assert first.startswith("Error: ")
    assert all(line.startswith("  hint: ") for line in rest), stderr  # at most a hint line


@pytest.mark.parametrize(("args", "fragments"), USER_ERRORS, ids=lambda v: " ".join(v))
def test_user_errors_with_json(args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    error = json_error(invoke(*args, "--json"))
    text = error["message"] + error.get("hint", "")
    for fragment in fragments:
        assert fragment in text
    assert error["type"] != "internal"


# (arguments, whether a hint names the --help to read)
USAGE_ERRORS = [
    (("convert",), True),  # missing QUANTITY
    (("gap", "--bogus"), True),
    (("gap", "extra-argument"), True),
    (("nosuchcommand",), True),
    (("convert", "-6 GW"), True),  # a negative number looks like an option: use --
    (("convert", "6 GW", "--to"), False),  # an option without its value says so itself
    (("gap", "--unit"), False),
]
USAGE_IDS = [" ".join(args) for args, _ in USAGE_ERRORS]


@pytest.mark.parametrize(("args", "hint"), USAGE_ERRORS, ids=USAGE_IDS)
def test_usage_errors_exit_2(args: tuple[str, ...], hint: bool) -> None:
    result = invoke(*args)
    assert_user_error(result, code=2)
    if hint:
        assert "--help" in result.stderr


@pytest.mark.parametrize(("args", "hint"), USAGE_ERRORS, ids=USAGE_IDS)
def test_usage_errors_with_json(args: tuple[str, ...], hint: bool) -> None:
    command, *rest = args  # --json first, so that no option takes it as its value
    error = json_error(invoke(command, "--json", *rest), code=2)
    assert error["type"] == "usage"
    assert ("hint" in error) is hint


# ---------------------------------------------------------------- errors in assumption files


def _seed_text() -> str:
    return (bundled_dir() / "seed-2025@1.toml").read_text(encoding="utf-8")


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    lines = _seed_text().splitlines()
    lines[7] = "version = = 1"  # line 8
    path = tmp_path / "broken.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_user_error(invoke("gap", "-a", str(path)), f"{path}:8", "not valid TOML")
    error = json_error(invoke("gap", "-a", str(path), "--json"))
    assert (error["type"], error["file"], error["line"]) == ("assumption_file", str(path), 8)


def test_a_bad_unit_names_file_line_and_key(tmp_path: Path) -> None:
    text = _seed_text().replace('unit = "gpu/GW"', 'unit = "bogus/GW"', 1)
    line = text.splitlines().index('unit = "bogus/GW"') + 1
    path = tmp_path / "bad-unit.toml"
    path.write_text(text, encoding="utf-8")
    assert_user_error(invoke("convert", "6 GW", "-a", str(path)), f"{path}:{line} [gpus_per_gw]")
    error = json_error(invoke("convert", "6 GW", "-a", str(path), "--json"))
    assert (error["file"], error["line"], error["key"]) == (str(path), line, "gpus_per_gw")
    assert "bogus" in error["message"]


def test_a_zero_figure_in_a_file_names_the_key(tmp_path: Path) -> None:
    text = _seed_text().replace("value = 500000\n", "value = 0\n", 1)
    path = tmp_path / "zero.toml"
    path.write_text(text, encoding="utf-8")
    assert_user_error(invoke("gap", "-a", str(path)), str(path), "[gpus_per_gw]", "out of range")


# ---------------------------------------------------------------- the contract holds in debug


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("gwcalc, version ")


# ---------------------------------------------------------------- bugs found by these tests


# regression: internal error (ZeroDivisionError) in chain_text
def test_zero_converts_in_a_table() -> None:
    result = invoke("convert", "0 GW", "--to", "gpu")
    assert result.exit_code == 0, result.stderr
    assert "0 gpu" in result.stdout


# regression: internal error (DimensionalityError) in chain_text
def test_an_inverse_quantity_converts_in_a_table() -> None:
    result = invoke("convert", "1 /GW", "--to", "1/gpu")
    assert result.exit_code == 0, result.stderr
    assert "2e-06 /gpu" in result.stdout


# regression: the step said 'multiply'
def test_inverse_quantity_steps_say_divide() -> None:
    doc = json_output(invoke("convert", "1 /GW", "--to", "1/gpu", "--json"))
    (step,) = doc["results"][0]["steps"]
    assert step["operation"] == "divide"


# regression: 'Infinity' in --json, 'inf' in tables
@pytest.mark.parametrize(
    "args",
    [
        ("convert", "1e300 GW", "--to", "USD"),
        ("gap", "--demand", "1e300 GW", "--unit", "USD"),
    ],
    ids=" ".join,
)
def test_an_overflowing_result_is_an_error(args: tuple[str, ...]) -> None:
    result = invoke(*args, "--json")
    assert_contract(result)
    strict_json(result.stdout)  # never 'Infinity' or 'NaN' in the JSON
    assert result.exit_code == 1


# regression: internal error (OSError, RuntimeError)
@pytest.mark.parametrize(
    "args",
    [
        ("gap", "-a", "x" * 300),
        ("gap", "--assumptions-dir", "x" * 300),
        ("gap", "-a", "~no-such-user-gwcalc/set.toml"),
    ],
    ids=["long-name", "long-dir", "unknown-user"],
)
def test_unreadable_set_names_are_clean_errors(args: tuple[str, ...]) -> None:
    assert_user_error(invoke(*args))


def test_a_json_error_is_one_document_and_nothing_else() -> None:
    result = invoke("convert", "6 furlongs", "--json")
    json_error(result)
    # one document, indented as every other document is (issue 11: one JSON style)
    doc = json.loads(result.stdout)
    assert result.stdout == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_a_json_lines_error_is_one_line() -> None:
    result = invoke("convert", "6 furlongs", "--format", "jsonl")
    assert result.stdout.count("\n") == 1  # one more line of the stream
    json_error(result)


def test_success_output_is_one_json_document() -> None:
    doc = json_output(invoke("convert", "6 GW", "--json"))
    assert doc["results"]


# regression: --json given as a value once printed a JSON error on stdout
@pytest.mark.parametrize(
    "args", [("gap", "-a", "--json"), ("convert", "--", "--json")], ids=" ".join
)
def test_json_as_a_value_is_not_the_json_flag(args: tuple[str, ...]) -> None:
    assert_user_error(invoke(*args))


# regression: click.Path's os.stat raised ValueError here (an internal error)
def test_a_nul_byte_in_the_assumptions_dir_is_a_clean_error() -> None:
    assert_user_error(invoke("gap", "--assumptions-dir", "a\x00b"))
