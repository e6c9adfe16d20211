"""Hypothesis profiles, a fixture that keeps every test away from the user's real files, and
the tiny set (tests/tiny_sets.py) as fixtures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.find import bundled_dir, find_set_path
from tests.tiny_sets import parse_tiny, tiny_text

REPO = Path(__file__).resolve().parent.parent

# Tests chdir into temporary folders, so anchor Hypothesis's example database at the repo root
# (.hypothesis/ is git-ignored) instead of wherever the current directory happens to be.
_DATABASE = DirectoryBasedExampleDatabase(str(REPO / ".hypothesis" / "examples"))

settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True, database=None)
settings.register_profile("dev", max_examples=100, deadline=None, database=_DATABASE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

GWCALC_ENV = ("GWCALC_ASSUMPTIONS_DIR", "GWCALC_DEFAULT_SET", "GWCALC_DEBUG", "GWCALC_CACHE_DIR")


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every test in an empty temporary folder, with gwcalc's environment variables unset
    (and its kept answers off), HOME (and the config and cache folders in it) in a temporary
    folder beside it and a fixed terminal width; returns the folder.
    (Both live outside tmp_path, which stays empty for the test's own use.)"""
    for name in GWCALC_ENV:
        monkeypatch.delenv(name, raising=False)
    # The program's kept answers (gwcalc.answers) off: a test that runs a command twice sees it
    # computed twice; tests/test_answer_cache.py turns them on.
    monkeypatch.setenv("GWCALC_NO_CACHE", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)  # Rich would add colour codes
    monkeypatch.setenv("COLUMNS", "200")  # Rich tables wrap at the width; keep lines whole
    base = tmp_path_factory.mktemp("isolated")
    home = base / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # the user's sets folder
    monkeypatch.setenv("APPDATA", str(home / "AppData"))  # the same, on Windows
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))  # the program's cache folder
    monkeypatch.setenv("LOCALAPPDATA", str(home / "AppData" / "Local"))  # the same, on Windows
    work = base / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def sets_dir(tmp_path: Path) -> Path:
    """A temporary folder holding copies of the shipped assumption sets."""
    folder = tmp_path / "sets"
    folder.mkdir()
    for path in sorted(bundled_dir().glob("*.toml")):
        shutil.copy2(path, folder / path.name)
    return folder


@pytest.fixture
def seed_copy(sets_dir: Path) -> Path:
    """A temporary copy of seed-2025's newest version, safe to edit."""
    return find_set_path("seed-2025", [sets_dir])


@pytest.fixture
def set_tiny() -> AssumptionSet:
    """The tiny format 2 set of tests/tiny_sets.py, read (no deals): 10 GW of supply a year."""
    return parse_tiny()


@pytest.fixture
def set_tiny_file(tmp_path: Path) -> Path:
    """The tiny format 2 set written to tmp_path/tiny.toml, for commands that read a file."""
    path = tmp_path / "tiny.toml"
    path.write_text(tiny_text(), encoding="utf-8")
    return path
