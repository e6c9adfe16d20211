"""Titles naming a result's set and what it compares: one text for tables and pictures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.units.registry import unit_label

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.timelines.compute import ComputedTimeline
    from gwcalc.timelines.scopes import Scopes


def set_title(aset: AssumptionSet) -> str:
    """'market-2026 v4 (2026-12-06), sha256 eae10b6bf1c7', with any --set overrides."""
    from gwcalc.sets.overrides import effects  # what each override did, e.g. to a series

    overrides = f", with --set {'; '.join(effects(aset))}" if aset.overrides else ""
    return f"{aset.id} v{aset.version} ({aset.date}{overrides}), sha256 {aset.sha256[:12]}"


def demand_basis(scopes: Scopes) -> str:
    """What the timeline's demand counts, as its table's title says: 'demand (owners' plans)'."""
    return "demand (owners' plans)" if scopes.market.demand.counts == "owners' plans" else "demand"


def timeline_title(result: ComputedTimeline, scopes: Scopes) -> str:
    """'Supply vs demand (owners' plans) by year (GW_IT) — market-2026 v4 (…), sha256 …'."""
    unit = unit_label(result.unit)
    return f"Supply vs {demand_basis(scopes)} by year ({unit}) — {set_title(result.aset)}"
