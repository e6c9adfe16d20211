"""The user's own folder of assumption sets, in the platform's config folder (no click here)."""

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


def user_sets_dir() -> Path:
    """<config>/gwcalc/assumptions: where `assumptions new` writes a set by default, and where
    sets are found from any folder (after ./assumptions/, before the bundled sets)."""
    return config_root() / APP_NAME / "assumptions"
