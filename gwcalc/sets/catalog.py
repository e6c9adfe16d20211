"""What the sets shipped with gwcalc hold: which of them define a parameter (for hints)."""

from __future__ import annotations

from functools import cache

from gwcalc.errors import GwcalcError


@cache
def shipped_parameters() -> dict[str, frozenset[str]]:
    """Each shipped set name (its newest version) -> the parameters it defines."""
    from gwcalc.sets.find import bundled_dir, find_set_path, newest_refs
    from gwcalc.sets.read import load_set

    folder = [bundled_dir()]
    out: dict[str, frozenset[str]] = {}
    for name in sorted(newest_refs(folder)):
        try:
            out[name] = frozenset(load_set(find_set_path(name, folder)).parameters)
        except GwcalcError:  # a broken install: no hint rather than an error inside an error
            continue
    return out


def shipped_sets_with(parameter: str) -> list[str]:
    """The shipped sets (by name) whose newest version defines the parameter."""
    return [name for name, params in shipped_parameters().items() if parameter in params]


def shipped_hint(parameters: list[str]) -> str:
    """'; the shipped sets bases-2025 and independent-2026 have all_in_cost_per_gw' (or '')."""
    parts = []
    for parameter in dict.fromkeys(parameters):
        sets = shipped_sets_with(parameter)
        if len(sets) == 1:
            parts.append(f"the shipped set {sets[0]} has {parameter}")
        elif sets:
            names = ", ".join(sets[:-1]) + " and " + sets[-1]
            parts.append(f"the shipped sets {names} have {parameter}")
    return "; " + "; ".join(parts) if parts else ""
