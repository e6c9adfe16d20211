"""The platform's per-user folders: the user's own sets (config) and the program's cache (no click
here; `gwcalc.answers` imports this module before anything else, so it stays standard-library
only)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "gwcalc"
ENV_DIR = "GWCALC_ASSUMPTIONS_DIR"  # a folder of sets searched first


def config_root() -> Path:
    """The platform's folder for per-user configuration: %APPDATA% on Windows,
    ~/Library/Application Support on macOS, $XDG_CONFIG_HOME (default ~/.config) elsewhere."""
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA")
        return Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support"
    xdg = os.environ.get("XDG_CONFIG_HOME", "")
    # The XDG spec ignores a relative path here: it would depend on the current folder.
    return Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".config"


def cache_root() -> Path:
    """The platform's folder for per-user caches: %LOCALAPPDATA% on Windows, ~/Library/Caches on
    macOS, $XDG_CACHE_HOME (default ~/.cache) elsewhere."""
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) if local else Path.home() / "AppData" / "Local"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"


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
    return [*mine, Path.cwd() / "assumptions", user_sets_dir(), Path(str(bundled)).parent]
