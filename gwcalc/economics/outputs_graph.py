"""The per-GW model's outputs as a graph, for the tools that study them (sensitivity, explain,
diff): an output by name, the outputs and inputs it reads, whether a set has the inputs, and an
output's value for people and for JSON (a payback that never comes is infinite)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gwcalc.economics.model import PER_GW_INPUTS, PER_GW_OUTPUTS, EconOutput
from gwcalc.errors import ParameterError

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet

INPUT_NAMES = tuple(i.name for i in PER_GW_INPUTS)
OUTPUT_NAMES = tuple(o.name for o in PER_GW_OUTPUTS)


def is_econ_output(name: str) -> bool:
    return name in OUTPUT_NAMES


def econ_output(name: str) -> EconOutput:
    """The per-GW output of that name, or an error listing them."""
    for out in PER_GW_OUTPUTS:
        if out.name == name:
            return out
    raise ParameterError(
        f"no economics output named {name!r}", "economics outputs: " + ", ".join(OUTPUT_NAMES)
    )


def steps_of(name: str) -> tuple[EconOutput, ...]:
    """The outputs computed on the way to `name` (itself last), in the model's order."""
    needed = {name}
    for out in reversed(PER_GW_OUTPUTS):
        if out.name in needed:
            needed.update(d for d in out.depends if d in OUTPUT_NAMES)
    return tuple(o for o in PER_GW_OUTPUTS if o.name in needed)


def inputs_of(name: str) -> tuple[str, ...]:
    """The model's inputs an output reads, directly or through other outputs (model order)."""
    read = {d for out in steps_of(name) for d in out.depends}
    return tuple(n for n in INPUT_NAMES if n in read)


def missing_inputs(aset: AssumptionSet) -> list[str]:
    """The model's inputs the set lacks (none: the set has the economics parameters)."""
    return [n for n in INPUT_NAMES if n not in aset.parameters]


def value_text(out: EconOutput, value: float) -> str:
    """An output's value for people: '27.0%' for a share, 'never' for an infinite payback,
    '∞' for another infinite value, else the number with its unit ('4.2 yr')."""
    from gwcalc.units.registry import Q_, format_percent, format_quantity

    if math.isnan(value):
        return "—"  # ∞ − ∞: a swing between two values that never come
    if math.isinf(value):
        sign = "−" if value < 0 else ""
        return "never" if out.name == "payback_years" and value > 0 else f"{sign}∞"
    if out.percent:
        return format_percent(value)
    return format_quantity(Q_(value, out.unit))


def value_json(out: EconOutput, value: float) -> dict[str, object]:
    """{"value": 4.2, "unit": "yr"}; an infinite value (a payback that never comes) is
    {"value": null, "unit": …, "infinite": true}: JSON has no infinity."""
    from gwcalc.report.documents import quantity_json
    from gwcalc.units.registry import Q_

    if not math.isfinite(value):
        doc: dict[str, object] = {**quantity_json(Q_(0.0, out.unit)), "value": None}
        if math.isinf(value):
            doc.update(infinite=True, sign=1 if value > 0 else -1)
        return doc
    return quantity_json(Q_(value, out.unit))
