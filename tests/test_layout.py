"""The code keeps the layout docs/development.md describes: short functions, one place for JSON."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gwcalc
from tests.helpers import invoke, json_output

PACKAGE = Path(gwcalc.__file__).parent
CLI_FILES = sorted((PACKAGE / "cli").glob("*.py"))
CORE_FILES = sorted(p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts)
CLI_LIMIT = 50  # a command reads top to bottom, its docstring (its --help) included
CORE_LIMIT = 60


def _long_functions(files: list[Path], limit: int) -> list[str]:
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    found.append(f"{path.relative_to(PACKAGE)}: {node.name} has {length} lines")
    return found


@pytest.mark.parametrize(
    ("files", "limit"), [(CLI_FILES, CLI_LIMIT), (CORE_FILES, CORE_LIMIT)], ids=["cli", "core"]
)
def test_functions_are_short(files: list[Path], limit: int) -> None:
    assert _long_functions(files, limit) == []


def test_list_json_is_built_in_report(tmp_path: Path) -> None:
    from gwcalc.report.documents import list_document
    from gwcalc.sets.find import list_sets

    (tmp_path / "bad.toml").write_text("not [ toml\n", encoding="utf-8")
    doc = json_output(invoke("assumptions", "list", "--assumptions-dir", str(tmp_path), "--json"))
    assert doc == list_document(list_sets(tmp_path))
    assert {"name": "bad", "path": str(tmp_path / "bad.toml")}.items() <= doc["sets"][0].items()


def _strings(path: Path) -> list[str]:
    """The string constants of a module, its docstrings left out (those may name the CLI)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_core_speaks_no_cli_words(path: Path) -> None:
    # Options are the CLI's: the core says NAME=QUANTITY, and the CLI names its --set.
    assert [s for s in _strings(path) if "--set" in s] == []


def test_override_errors_name_the_option_on_the_command_line() -> None:
    from tests.helpers import assert_user_error

    for args in (
        ("gap", "--set", "gpus_per_gw"),
        ("diff", "seed-2025", "--set", "1x=5"),
        ("assumptions", "new", "mine", "--from", "seed-2025", "--set", "=5"),
    ):
        stderr = assert_user_error(invoke(*args))
        assert stderr.startswith("Error: --set: "), stderr
    stderr = assert_user_error(invoke("convert", "6 GW", "--to", "GW_facility"), "pue")
    assert "add it with --set NAME=QUANTITY" in stderr


TESTS = Path(__file__).resolve().parent
NAMEDTUPLE_API = {"_replace", "_asdict", "_fields", "_make", "_field_defaults"}  # public


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in NAMEDTUPLE_API


def _private_uses(path: Path) -> list[str]:
    """Where a test module reaches a private gwcalc name: `from gwcalc… import _name`, or
    `_name` read off anything imported from gwcalc (`module._name`, `Class._name`), or a
    monkeypatch target string 'gwcalc…._name'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bound: set[str] = set()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "gwcalc":
            assert node.module is not None
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                if _private(alias.name) or any(map(_private, node.module.split("."))):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "gwcalc":
                    bound.add(alias.asname or "gwcalc")
                    if any(map(_private, alias.name.split("."))):
                        found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts = node.value.split(".")
            if parts[0] == "gwcalc" and len(parts) > 1 and any(map(_private, parts)):
                found.append(f"line {node.lineno}: {node.value!r}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain, root = [node.attr], node.value
            while isinstance(root, ast.Attribute):
                chain.append(root.attr)
                root = root.value
            if isinstance(root, ast.Name) and root.id in bound and any(map(_private, chain)):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return sorted(set(found))


@pytest.mark.parametrize(
    "path", sorted(TESTS.rglob("*.py")), ids=lambda p: str(p.relative_to(TESTS))
)
def test_no_test_reaches_a_private_name(path: Path) -> None:
    # tests go through the public doors (the API, the CLI, a subpackage's public names), so
    # the inside of a module stays free to change
    assert _private_uses(path) == []


def test_the_private_name_check_finds_each_kind(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from gwcalc.uncertainty.sensitivity import _sampled_shares\n"
        "from gwcalc.uncertainty import distributions\n"
        "import gwcalc.sets.find\n"
        "from gwcalc.sets.ranges import Range\n"
        "distributions._inverse_normal()\n"
        "gwcalc.sets.find._hidden\n"
        "Range(1, 2)._replace(low=0)\n"
        "monkeypatch.setattr('gwcalc.api._set', None)\n"
        "other._private\n",
        encoding="utf-8",
    )
    assert _private_uses(sample) == [
        "line 1: from gwcalc.uncertainty.sensitivity import _sampled_shares",
        "line 5: distributions._inverse_normal",
        "line 6: gwcalc.sets.find._hidden",
        "line 8: 'gwcalc.api._set'",
    ]


def test_no_click_generic_is_subscripted_at_run_time() -> None:
    """click 8.2–8.4 make ParamType generic in one type and 8.5 in two: a subscript such as
    `click.ParamType[float, object]` in a base class failed to import on a click pyproject
    allows (a new user's first command crashed)."""
    import re

    found = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"^class .*\(click\.\w+\[", line)
    ]
    assert found == []
