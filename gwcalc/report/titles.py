"""Titles naming a result's set and what it compares: one text for tables and pictures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.units.registry import unit_label

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.timelines.compute import ComputedTimeline
    from gwcalc.timelines.scopes import Scopes


# How a title introduces a run's overrides; the CLI says its option instead ("with --set").
OVERRIDES_AS = "with overrides"


def set_title(aset: AssumptionSet, overrides_as: str = OVERRIDES_AS) -> str:
    """'market-2026 v4 (2026-12-06), sha256 eae10b6bf1c7', with what each override did."""
    from gwcalc.sets.overrides import effects  # what each override did, e.g. to a series

    overrides = f", {overrides_as} {'; '.join(effects(aset))}" if aset.overrides else ""
    return f"{aset.id} v{aset.version} ({aset.date}{overrides}), sha256 {aset.sha256[:12]}"


def demand_basis(scopes: Scopes) -> str:
    """What the timeline's demand counts, as its table's title says: 'demand (owners' plans)'."""
    return "demand (owners' plans)" if scopes.market.demand.counts == "owners' plans" else "demand"


def timeline_title(
    result: ComputedTimeline, scopes: Scopes, overrides_as: str = OVERRIDES_AS
) -> str:
    """'Supply vs demand (owners' plans) by year (GW_IT) — market-2026 v4 (…), sha256 …'."""
    unit = unit_label(result.unit)
    title = set_title(result.aset, overrides_as)
    return f"Supply vs {demand_basis(scopes)} by year ({unit}) — {title}"
