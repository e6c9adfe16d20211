"""The platform's per-user folders: the user's own sets (config) and the program's cache (no click
here; `gwcalc.answers` imports this module before anything else, so it stays standard-library
only)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "gwcalc"


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
