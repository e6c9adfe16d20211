"""Which set the economics reads by default: the newest market-2026 that has its figures (a
module of its own, light to import, for every command that defaults to it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gwcalc.econ.inputs import MARKET_INPUTS
from gwcalc.econ.model import PER_GW_INPUTS

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet

ECONOMICS_INPUTS = tuple(i.name for i in (*PER_GW_INPUTS, *MARKET_INPUTS))


def newest_with_inputs(name: str, dirs: list[Path]) -> Path | None:
    """The newest version of set NAME (in the first folder that has it) whose figures include
    every one the economics model reads; None if no version does."""
    import tomllib

    from gwcalc.sets.versions import candidates

    for folder in dirs:
        found = candidates(folder, name)
        for _, path in found:
            try:
                params = tomllib.loads(path.read_text(encoding="utf-8")).get("parameters", {})
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(params, dict) and all(n in params for n in ECONOMICS_INPUTS):
                return path
        if found:
            return None
    return None


def default_economics_set(user_dir: Path | None = None) -> AssumptionSet:
    """The timeline's default set (market-2026), in its newest version that has the economics
    figures; if none has them, its newest version (which run refuses, naming what is missing)."""
    from gwcalc.sets.find import default_set_name, resolve_set, search_dirs
    from gwcalc.sets.read import load_set

    path = newest_with_inputs(default_set_name(timeline=True), search_dirs(user_dir))
    return load_set(path) if path is not None else resolve_set(None, user_dir, timeline=True)
