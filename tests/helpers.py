"""Helpers for CLI tests: run gwcalc as a shell would, and check its output contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from gwcalc.cli import cli
from gwcalc.units.registry import Q_, Quantity, parse_unit, ureg

RUNNER = CliRunner()
TRACEBACK = "Traceback (most recent call last)"


def invoke(
    *args: str, env: dict[str, str] | None = None, stdin: str | bytes | None = None
) -> Result:
    """gwcalc ARGS…, with stdout and stderr kept apart (and stdin, if given)."""
    return RUNNER.invoke(cli, list(args), env=env, prog_name="gwcalc", input=stdin)


def assert_contract(result: Result) -> None:
    """The rules every run keeps: exit 0, 1 or 2; never a traceback; on success nothing on
    stderr; on failure stderr starts with 'Error:'."""
    detail = f"exit {result.exit_code}\nstdout: {result.stdout!r}\nstderr: {result.stderr!r}"
    assert result.exit_code in (0, 1, 2), detail
    assert result.exception is None or isinstance(result.exception, SystemExit), detail
    assert TRACEBACK not in result.stdout, detail
    assert TRACEBACK not in result.stderr, detail
    if result.exit_code == 0:
        assert result.stderr == "", detail
    else:
        assert result.stderr.startswith("Error: "), detail


def assert_user_error(result: Result, *fragments: str, code: int = 1) -> str:
    """A clean failure: the exit code, one 'Error:' message on stderr naming every fragment,
    nothing on stdout (no --json), and no internal error. Returns stderr."""
    assert_contract(result)
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    assert "internal error" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr
    return result.stderr


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def strict_json(text: str) -> Any:
    """json.loads that refuses NaN and Infinity (which Python writes but JSON forbids)."""
    return json.loads(text, parse_constant=_reject_constant)


def json_output(result: Result) -> Any:
    """The JSON document of a successful --json run (stderr must be empty)."""
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return strict_json(result.stdout)


def json_error(result: Result, code: int = 1) -> dict[str, Any]:
    """The "error" object of the document a failed --json run prints on stdout (after
    format_version and gwcalc_version, as every document starts)."""
    assert_contract(result)
    assert result.exit_code == code, result.stderr
    doc = strict_json(result.stdout)
    assert list(doc) == ["format_version", "schema", "gwcalc_version", "error"]
    assert doc["format_version"] == 2
    error: dict[str, Any] = doc["error"]
    assert isinstance(error["type"], str) and error["type"]
    assert isinstance(error["message"], str) and error["message"]
    assert result.stderr.startswith(f"Error: {error['message']}")
    return error


def quantity(obj: dict[str, Any]) -> Quantity:
    """A JSON quantity {"value", "unit"} (perhaps with more keys) read back into a Quantity."""
    assert {"value", "unit"} <= set(obj)
    assert isinstance(obj["value"], float | int) and not isinstance(obj["value"], bool)
    unit = parse_unit(obj["unit"]) if obj["unit"] else ureg.dimensionless
    return Q_(obj["value"], unit)


def shipped_file(name: str) -> Path:
    """The file of the newest shipped version of set NAME (assumptions/NAME@VERSION.toml)."""
    from gwcalc.sets.find import bundled_dir
    from gwcalc.sets.versions import candidates

    return candidates(bundled_dir(), name)[0][1]
