"""The code keeps the layout the README describes: short functions, one place for JSON."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gwcalc
from tests.helpers import invoke, json_output

PACKAGE = Path(gwcalc.__file__).parent
CLI_LIMIT = 50  # a command reads top to bottom, its docstring (its --help) included
CORE_LIMIT = 60


def _long_functions(folder: Path, limit: int) -> list[str]:
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    found.append(f"{path.name}: {node.name} has {length} lines")
    return found


@pytest.mark.parametrize(("folder", "limit"), [(PACKAGE / "cli", CLI_LIMIT), (PACKAGE, CORE_LIMIT)])
def test_functions_are_short(folder: Path, limit: int) -> None:
    assert _long_functions(folder, limit) == []


def test_list_json_is_built_in_report(tmp_path: Path) -> None:
    from gwcalc.report import list_document
    from gwcalc.sets_find import list_sets

    (tmp_path / "bad.toml").write_text("not [ toml\n", encoding="utf-8")
    doc = json_output(invoke("assumptions", "list", "--assumptions-dir", str(tmp_path), "--json"))
    assert doc == list_document(list_sets(tmp_path))
    assert {"name": "bad", "path": str(tmp_path / "bad.toml")}.items() <= doc["sets"][0].items()
