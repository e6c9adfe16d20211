"""`gwcalc convert` with many quantities: arguments, stdin ('-'), --keep-going, JSON Lines."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.units.grammar import read_quantity, split_quantity
from tests.helpers import TRACEBACK, assert_contract, assert_user_error, invoke, strict_json
from tests.strategies import shipped

SCRIPT = Path(sys.executable).parent / "gwcalc"  # the installed console script


def json_lines(text: str) -> list[dict[str, Any]]:
    assert text.endswith("\n")
    return [strict_json(line) for line in text.splitlines()]


def test_several_arguments_give_one_result_each() -> None:
    result = invoke("convert", "-q", "6 GW", "7 GW", "$1T", "--to", "gpu")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "3M gpu\n3.5M gpu\n25M gpu\n"


def test_stdin_skips_blank_lines_and_comments() -> None:
    stdin = "# capacity\n6 GW\n\n   \n  # indented comment\n7 GW\r\n\t8 GW  \n"
    result = invoke("convert", "-", "--to", "gpu", "-q", stdin=stdin)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "3M gpu\n3.5M gpu\n4M gpu\n"


def test_stdin_among_arguments_keeps_the_order() -> None:
    result = invoke("convert", "1 GW", "-", "4 GW", "--to", "gpu", "-q", stdin="2 GW\n3 GW\n")
    assert result.stdout == "500k gpu\n1M gpu\n1.5M gpu\n2M gpu\n"


def test_a_bad_line_is_an_error_naming_its_line() -> None:
    result = invoke("convert", "-", "--to", "gpu", "-q", stdin="6 GW\n# note\n\n6 XX\n7 GW\n")
    assert_contract(result)
    assert result.exit_code == 1
    assert result.stdout == "3M gpu\n"  # what came before the bad line, and nothing after
    assert result.stderr.startswith("Error: line 4: cannot read '6 XX': unknown unit 'XX'")


def test_a_bad_argument_is_named_by_its_place() -> None:
    stderr = assert_user_error(invoke("convert", "6 GW", "5 TWh", "--to", "gpu"))
    assert stderr.startswith("Error: argument 2: gwcalc does not convert")
    result = invoke("convert", "6 GW", "5 TWh", "--to", "gpu", "--json")
    good, bad = json_lines(result.stdout)
    assert good["results"][0]["value"] == 3e6
    assert bad["error"]["argument"] == 2
    assert "input_line" not in bad["error"]


def test_keep_going_reports_each_bad_line_and_exits_1() -> None:
    stdin = "6 GW\nnope\n7 GW\n1,000 GW\n8 GW\n"
    result = invoke("convert", "-", "--to", "gpu", "-q", "--keep-going", stdin=stdin)
    assert result.exit_code == 1
    assert result.stdout == "3M gpu\n3.5M gpu\n4M gpu\n"
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors[0].startswith("Error: line 2: cannot read 'nope'")
    assert errors[1].startswith("Error: line 4: cannot read '1,000 GW'")
    assert errors[2] == "Error: 2 quantities could not be converted"
    assert TRACEBACK not in result.stderr


def test_keep_going_keeps_each_json_line_in_its_place() -> None:
    stdin = "6 GW\nnope\n7 GW\n"
    result = invoke("convert", "-", "--to", "gpu", "--json", "--keep-going", stdin=stdin)
    assert result.exit_code == 1
    first, bad, last = json_lines(result.stdout)
    assert list(bad) == ["format_version", "schema", "gwcalc_version", "error"]
    assert bad["error"]["input_line"] == 2
    assert [d["results"][0]["value"] for d in (first, last)] == [3e6, 3.5e6]


def test_a_json_error_after_json_lines_is_one_more_line() -> None:
    result = invoke("convert", "-", "--to", "gpu", "--json", stdin="6 GW\n6 XX\n")
    assert result.exit_code == 1
    good, error = json_lines(result.stdout)
    assert good["input"] == {"value": 6.0, "unit": "GW_IT"}
    assert error["error"]["input_line"] == 2
    assert error["error"]["type"] == "unit" or error["error"]["type"] == "quantity"


INPUTS = [
    ("6 GW", ()),
    ("1.5e3 MW", ("gpu", "USD", "wafer")),
    ("75k wafer/month", ("GW/year", "die/year")),
    ("-2.5 GW", ("gpu",)),
    ("$20B", ("GW", "gpu")),
    ("3.2M gpu", ()),
    ("1 /GW", ("1/gpu",)),
    ("0 GW", ("gpu",)),
    ("123456.789e-3 kW", ("GW_facility",)),
]


@pytest.mark.parametrize("set_name", ["seed-2025", "independent-2026@1"])
def test_json_lines_equal_the_single_documents(set_name: str) -> None:
    for text, targets in INPUTS:
        to = [arg for t in targets for arg in ("--to", t)]
        stdin = f"{text}\n{text}\n"  # the second line takes the planned float path
        many = invoke("convert", "-", *to, "-a", set_name, "--json", stdin=stdin)
        one = invoke("convert", *to, "-a", set_name, "--json", "--", text)
        if one.exit_code != 0:  # e.g. no pue in seed-2025: the same refusal, by line
            assert many.exit_code == one.exit_code == 1
            assert many.stderr == one.stderr.replace("Error: ", "Error: line 1: ", 1)
            continue
        assert many.exit_code == 0, many.stderr
        single = strict_json(one.stdout)
        assert json_lines(many.stdout) == [single, single]
        assert one.stdout.startswith('{\n  "format_version": 2,')  # one input: indented


@given(
    st.floats(min_value=1e-6, max_value=1e12, allow_nan=False),
    st.sampled_from(["GW", "MW", "kW", "wafer/month", "gpu/yr", "USD_all_in", "GW_facility"]),
)
def test_planned_floats_equal_api_convert_to_the_last_bit(value: float, unit: str) -> None:
    aset = shipped("independent-2026@1")
    converter = api.converter(None, aset)
    text = f"{value!r} {unit}"
    converter.convert(text)  # plans the unit
    converted = converter.convert(text)
    want = api.convert(text, None, aset).to_dict()
    assert converted.plan.document(converted.value, converted.results) == want


@given(st.text(alphabet="0123456789.eE+-kKMBTbnt $GWgpu/*_ \t", max_size=20))
def test_the_fast_split_reads_as_the_grammar_does(text: str) -> None:
    split = split_quantity(text)
    if split is None:
        return
    parsed = read_quantity(text)  # never refuses what the fast path accepts
    value, unit = split
    assert parsed.value == value
    names = tuple(name for name, _, _ in parsed.factors)
    assert names == tuple(read_quantity(f"1 {unit}").factors[i][0] for i in range(len(names)))


def test_json_with_one_stdin_line_is_still_json_lines() -> None:
    result = invoke("convert", "-", "--to", "gpu", "--json", stdin="6 GW\n")
    assert result.stdout.count("\n") == 1
    assert json_lines(result.stdout)[0]["results"][0]["value"] == 3e6


@pytest.mark.parametrize(
    ("stdin", "fragment"),
    [
        (b"", "no quantities on stdin"),
        (b"\n# only a comment\n\n", "no quantities on stdin"),
        (b"6 GW\n\xff\xfe GW\n", "line 2: not UTF-8 text"),
        (b"6 GW\n6\x00 GW\n", "line 2: cannot read"),
        (b"6 " + b"G" * 10_000_000 + b"\n7 GW\n", "line 1: quantity is longer than 200"),
        (b"6 GW\n" + b"9" * 5000 + b" GW\n", "line 2: quantity is longer than 200"),
        (b"1e999 GW\n", "line 1: '1e999 GW' is not a finite number"),
        (b"5e-324 GW\n", "line 1: the quantity is too small"),
        (b"1e300 GW\n1e300 GW\n", "line 1: "),
    ],
    ids=[
        "empty",
        "comments-only",
        "not-utf8",
        "nul",
        "10MB-line",
        "5000-digits",
        "inf",
        "subnormal",
        "overflow",
    ],
)
def test_hostile_stdin_is_one_clean_error(stdin: bytes, fragment: str) -> None:
    result = invoke(
        "convert", "-", "--to", "USD_all_in", "-a", "independent-2026@1", "-q", stdin=stdin
    )
    assert_contract(result)
    assert result.exit_code == 1
    assert fragment in result.stderr
    assert "internal error" not in result.stderr


def test_a_huge_value_on_a_later_line_is_refused_not_printed_as_inf() -> None:
    stdin = "6 GW\n1e300 GW\n"  # the first line plans GW; the second overflows the float path
    result = invoke(
        "convert", "-", "--to", "USD_all_in", "-a", "independent-2026@1", "-q", stdin=stdin
    )
    assert result.exit_code == 1
    assert "inf" not in result.stdout
    assert result.stderr.startswith("Error: line 2: ")


def test_dash_twice_is_a_usage_error() -> None:
    assert_user_error(invoke("convert", "-", "-", "--to", "gpu", stdin="6 GW\n"), "'-'", code=2)


def run_script(args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GWCALC_")}
    return subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


@pytest.mark.skipif(not SCRIPT.exists(), reason="needs the installed gwcalc script")
def test_the_script_reads_stdin_and_quiet_output_reads_back() -> None:
    done = run_script(["convert", "-", "--to", "gpu", "-q"], "6 GW\n# skip\n7.5 GW\n")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "3M gpu\n3.75M gpu\n"
    back = run_script(["convert", "-", "--to", "GW", "-q"], done.stdout)
    assert (back.returncode, back.stdout) == (0, "6 GW_IT\n7.5 GW_IT\n")


@pytest.mark.skipif(not SCRIPT.exists(), reason="needs the installed gwcalc script")
def test_a_closed_pipe_stops_the_stream_without_a_traceback(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("".join(f"{i} GW\n" for i in range(1, 200_001)))
    for fmt in ("csv", "jsonl", "markdown"):
        command = f'"{SCRIPT}" convert - --to gpu --format {fmt} < "{big}" | head -1'
        started = time.monotonic()
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert len(done.stdout.splitlines()) == 1
        assert time.monotonic() - started < 30  # it stops when the reader goes, not at the end


@pytest.mark.skipif(not SCRIPT.exists(), reason="needs the installed gwcalc script")
def test_ctrl_c_mid_stream_exits_130() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GWCALC_")}
    process = subprocess.Popen(
        [str(SCRIPT), "convert", "-", "--to", "gpu", "-q"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("6 GW\n")
    process.stdin.flush()
    # what has arrived is converted and written before gwcalc waits for more input
    assert process.stdout.readline() == "3M gpu\n"
    process.send_signal(signal.SIGINT)  # while it waits
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == "Error: interrupted\n"


def test_a_run_error_under_json_lines_is_one_line_too() -> None:
    result = invoke("convert", "-", "--to", "gpu", "--json", "-a", "no-such-set", stdin="6 GW\n")
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 1
    assert strict_json(result.stdout)["error"]["type"] == "set_not_found"


def test_many_quantities_share_one_table() -> None:
    result = invoke("convert", "6 GW", "oops", "$1T", "--to", "gpu", "--keep-going")
    assert result.exit_code == 1
    assert "2 quantities — seed-2025" in result.stdout
    assert "6 GW_IT × 500k gpu/GW_IT (gpus_per_gw) = 3M gpu" in result.stdout
    assert result.stdout.count("Parameters used") == 1
    assert result.stderr.startswith("Error: argument 2: cannot read 'oops'")
    assert result.stderr.endswith("Error: 1 quantity could not be converted\n")


@pytest.mark.parametrize("long_line", [b"9" * 5000, b"G" * 3_000_000, b"G" * 65_536])
def test_lines_after_a_long_line_keep_their_numbers(long_line: bytes) -> None:
    stdin = b"6 GW\n" + long_line + b"\n\nnope\n7 GW\n\xff\n8 GW"
    result = invoke("convert", "-", "--to", "gpu", "-q", "--keep-going", stdin=stdin)
    assert result.exit_code == 1
    assert result.stdout == "3M gpu\n3.5M gpu\n4M gpu\n"
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert [e.split(":")[1] for e in errors[:3]] == [" line 2", " line 4", " line 6"]


def test_a_byte_order_mark_at_the_start_is_skipped() -> None:
    result = invoke("convert", "-", "--to", "gpu", "-q", stdin=b"\xef\xbb\xbf6 GW\n7 GW\n")
    assert (result.exit_code, result.stdout) == (0, "3M gpu\n3.5M gpu\n")


@pytest.mark.skipif(not SCRIPT.exists(), reason="needs the installed gwcalc script")
def test_a_closed_stdin_is_one_clean_error() -> None:
    command = ["sh", "-c", 'exec "$@" <&-', "sh", str(SCRIPT), "convert", "-", "--to", "gpu"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("Error: cannot read stdin: it is closed")


# ---------------------------------------------------------------- a table's bound (issue 15)


def test_a_table_past_its_bound_is_refused_before_anything_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a table is drawn once all is read, so it kept every line's chain: 737 MB at 200,000
    monkeypatch.setattr(importlib.import_module("gwcalc.cli.convert"), "TABLE_LIMIT", 3)
    lines = "6 GW\n# a comment\n\n7 GW\n8 GW\n9 GW\n10 GW\n"
    stderr = assert_user_error(
        invoke("convert", "-", "--to", "gpu", stdin=lines),
        "Error: a table holds at most 3 quantities, and there are more (line 6)",
        "hint: use --format csv, --format jsonl or -q",
    )
    assert stderr.count("Error:") == 1
    at_bound = invoke("convert", "-", "--to", "gpu", stdin="6 GW\n7 GW\n8 GW\n")
    assert at_bound.exit_code == 0, at_bound.stderr
    assert "4M gpu" in at_bound.stdout  # every one of the three is in the table
    streamed = invoke("convert", "-", "--to", "gpu", "-q", stdin=lines)
    assert streamed.exit_code == 0, streamed.stderr
    assert streamed.stdout.splitlines() == ["3M gpu", "3.5M gpu", "4M gpu", "4.5M gpu", "5M gpu"]


def test_a_table_past_its_bound_names_no_line_for_arguments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importlib.import_module("gwcalc.cli.convert"), "TABLE_LIMIT", 1)
    assert_user_error(
        invoke("convert", "6 GW", "7 GW", "--keep-going"),
        "Error: a table holds at most 1 quantities, and there are more (argument 2)\n",
    )
    assert_user_error(  # stdin first, then an argument: the one past the bound is the argument
        invoke("convert", "-", "7 GW", stdin="6 GW\n"),
        "Error: a table holds at most 1 quantities, and there are more (argument 2)\n",
    )
    assert_user_error(  # stdin past the bound: its line
        invoke("convert", "-", stdin="6 GW\n# a comment\n7 GW\n"),
        "Error: a table holds at most 1 quantities, and there are more (line 3)\n",
    )
