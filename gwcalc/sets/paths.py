"""The platform's per-user folders: the user's own sets (config) and the program's cache (no click
here; `gwcalc.answers` imports this module before anything else, so it stays standard-library
only)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "gwcalc"
ENV_DIR = "GWCALC_ASSUMPTIONS_DIR"  # a folder of sets searched first
# The audit event (sys.audit) raised for each folder where sets are looked for, before any is
# read: the program's kept answers (gwcalc.answers) check those folders by their entries.
SEARCH_EVENT = "gwcalc.sets.search"


def config_root() -> Path:
    """The platform's folder for per-user configuration: %APPDATA% on Windows,
    ~/Library/Application Support on macOS, $XDG_CONFIG_HOME (default ~/.config) elsewhere."""
    return _platform_folder(
        ("APPDATA", "Roaming"), "Application Support", ("XDG_CONFIG_HOME", ".config")
    )


def cache_root() -> Path:
    """The platform's folder for per-user caches: %LOCALAPPDATA% on Windows, ~/Library/Caches on
    macOS, $XDG_CACHE_HOME (default ~/.cache) elsewhere."""
    return _platform_folder(("LOCALAPPDATA", "Local"), "Caches", ("XDG_CACHE_HOME", ".cache"))


def _platform_folder(windows: tuple[str, str], macos: str, xdg: tuple[str, str]) -> Path:
    """%VAR% (default ~/AppData/<name>) on Windows, ~/Library/<macos> on macOS, $XDG_VAR
    (default ~/<name>) elsewhere."""
    if sys.platform == "win32":
        variable, name = windows
        value = os.environ.get(variable)
        return Path(value) if value else Path.home() / "AppData" / name
    if sys.platform == "darwin":
        return Path.home() / "Library" / macos
    variable, name = xdg
    value = os.environ.get(variable, "")
    # The XDG spec ignores a relative path here: it would depend on the current folder.
    return Path(value) if value and os.path.isabs(value) else Path.home() / name


def user_sets_dir() -> Path:
    """<config>/gwcalc/assumptions: where `assumptions new` writes a set by default, and where
    sets are found from any folder (after ./assumptions/, before the bundled sets)."""
    return config_root() / APP_NAME / "assumptions"


def search_folders(assumptions_dir: Path | None = None) -> list[Path]:
    """The folders gwcalc.sets.find.search_dirs searches, in its order, found without
    importing pint: for shell completion, which answers in the time click takes to load, and
    for the program's kept answers (gwcalc.answers), which list them all (a test keeps the two
    lists equal)."""
    import importlib

    folder = assumptions_dir or os.environ.get(ENV_DIR)
    bundled = importlib.import_module("gwcalc.bundled").__file__
    mine = [Path(folder)] if folder else []
    return announced(
        [*mine, Path.cwd() / "assumptions", user_sets_dir(), Path(str(bundled)).parent]
    )


def announced(folders: list[Path]) -> list[Path]:
    """The folders, each announced first as searched (SEARCH_EVENT)."""
    for folder in folders:
        sys.audit(SEARCH_EVENT, os.fspath(folder))
    return folders
