"""Plain-data views of results (the JSON schema), shared by the CLI's JSON and table output."""

from __future__ import annotations

from typing import Any

from gwcalc import __version__
from gwcalc.assumptions import AssumptionSet
from gwcalc.model import GAP_OUTPUTS, Conversion, Gap, Step
from gwcalc.units import KINDS, format_quantity, unit_text

FORMAT_VERSION = 1


def quantity_json(q: Any) -> dict[str, Any]:
    """{"value": 13.5, "unit": "GW_IT/yr"}: a unit string gwcalc (pint) parses back."""
    unit = unit_text(q.units)
    return {"value": float(q.magnitude), "unit": "" if unit == "dimensionless" else unit}


def set_json(aset: AssumptionSet) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": aset.id,
        "version": aset.version,
        "date": aset.date,
        "sha256": aset.sha256,
        "path": str(aset.path) if aset.path else None,
    }
    if aset.extends:
        out["extends"] = aset.extends
    out["caveats"] = list(aset.caveats)  # what is known to be wrong with the set (maybe none)
    if aset.overrides:
        out["overrides"] = {
            n: quantity_json(aset.quantity(n)) for n in dict.fromkeys(aset.overrides)
        }
    return out


def envelope(**body: Any) -> dict[str, Any]:
    """The fields every JSON document starts with."""
    return {"format_version": FORMAT_VERSION, "gwcalc_version": __version__, **body}


def step_json(step: Step, aset: AssumptionSet) -> dict[str, Any]:
    return {
        "parameter": step.parameter,
        "operation": "multiply" if step.exponent == 1 else "divide",
        "value": quantity_json(aset.quantity(step.parameter)),
        "from": KINDS[step.from_kind].label,
        "to": KINDS[step.to_kind].label,
    }


def conversion_json(conv: Conversion, aset: AssumptionSet) -> dict[str, Any]:
    return {
        **quantity_json(conv.result),
        "path": conv.path,
        "steps": [step_json(s, aset) for s in conv.steps],
    }


def gap_json(gap: Gap, aset: AssumptionSet) -> dict[str, Any]:
    out: dict[str, Any] = {name: quantity_json(getattr(gap, name)) for name in GAP_OUTPUTS}
    out["supply_path"] = [f.parameter for f in gap.supply_factors]
    out["demand_path"] = [f.parameter for f in gap.demand_factors]
    out["demand_source"] = gap.demand_source
    return out


def chain_text(
    start: Any, steps: tuple[Step, ...], aset: AssumptionSet, result: Any, start_label: str = ""
) -> str:
    """'6 GW_IT × 500k gpu/GW_IT (gpus_per_gw) = 3M gpu' — arithmetic a reader can check."""
    if not steps and format_quantity(start) == format_quantity(result):
        return format_quantity(result)
    parts = [format_quantity(start) + (f" ({start_label})" if start_label else "")]
    raw = start
    for step in steps:
        rate = aset.quantity(step.parameter)
        parts.append(f"{step.operation} {format_quantity(rate)} ({step.parameter})")
        raw = raw * rate if step.exponent == 1 else raw / rate
    ratio = (raw / result).to("dimensionless").magnitude if result.magnitude else 1.0
    if abs(float(ratio) - 1) > 1e-9:
        # only a per-month input shown per year (or similar): show both, so each checks
        parts.append(f"= {format_quantity(raw.to_reduced_units())}")
    parts.append(f"= {format_quantity(result)}")
    return " ".join(parts)
