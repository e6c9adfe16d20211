"""The program imports pint without the optional packages pint would import (issue 19 item 2).

Each optional package is replaced by a stand-in on PYTHONPATH that records its import and then
fails as an absent package does, so the tests need no numpy and hold whether it is installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gwcalc.__main__ import PINT_EXTRAS, hide_pint_extras

STAND_IN = (
    "import pathlib\n"
    "pathlib.Path({marker!r}).write_text('imported')\n"
    "raise ImportError('a stand-in of a package that is not installed')\n"
)


def _stand_ins(folder: Path) -> dict[str, Path]:
    """A module per optional package that writes a marker file when imported; the markers."""
    markers = {}
    for name in PINT_EXTRAS:
        markers[name] = folder / f"{name}.imported"
        (folder / f"{name}.py").write_text(STAND_IN.format(marker=str(markers[name])), "utf-8")
    return markers


def _run(argv: list[str], cwd: Path, pythonpath: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GWCALC_")}
    env.pop("PYTHONPATH", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, *argv], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "6 GW", "--to", "gpu", "--json"],
        ["gap", "--json"],
        ["--help"],
    ],
)
def test_the_program_never_imports_pints_optional_packages(tmp_path: Path, args: list[str]) -> None:
    """`python -m gwcalc …` imports none of numpy, scipy, babel, uncertainties, and answers byte
    for byte as it does without the stand-ins."""
    markers = _stand_ins(tmp_path)
    plain = _run(["-m", "gwcalc", *args], tmp_path, None)
    hidden = _run(["-m", "gwcalc", *args], tmp_path, tmp_path)
    assert hidden.returncode == 0, hidden.stderr
    assert [name for name, marker in markers.items() if marker.exists()] == []
    assert (hidden.stdout, hidden.stderr, hidden.returncode) == (
        plain.stdout,
        plain.stderr,
        plain.returncode,
    )


def test_the_python_api_leaves_pint_as_it_finds_it(tmp_path: Path) -> None:
    """`import gwcalc` in someone's notebook does not hide numpy from pint: pint tries it."""
    markers = _stand_ins(tmp_path)
    code = "import gwcalc.units.registry"
    done = _run(["-c", code], tmp_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert markers["numpy"].exists()


def test_only_packages_not_imported_yet_are_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """A package already imported (in someone's process) is left as it is."""
    sentinel = object()
    monkeypatch.setitem(sys.modules, "numpy", sentinel)
    for name in PINT_EXTRAS[1:]:
        monkeypatch.delitem(sys.modules, name, raising=False)
    try:
        assert hide_pint_extras() == PINT_EXTRAS[1:]
        assert sys.modules["numpy"] is sentinel
        assert all(sys.modules[name] is None for name in PINT_EXTRAS[1:])
    finally:
        for name in PINT_EXTRAS[1:]:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--help"], {}),
        (
            [],
            {
                "_GWCALC_COMPLETE": "bash_complete",
                "COMP_WORDS": "gwcalc gap -a ",
                "COMP_CWORD": "3",
            },
        ),
    ],
)
def test_help_and_completion_import_no_pint(
    tmp_path: Path, args: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hiding pint's extras does not import pint: --help and a TAB stay at click's cost (the
    program ends with os._exit, so -X importtime's lines on stderr say what was imported)."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    done = _run(["-X", "importtime", "-m", "gwcalc", *args], tmp_path, None)
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "click" in imported
    assert "pint" not in imported
