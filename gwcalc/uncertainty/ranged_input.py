"""A quantity typed as a range, 'LOW..HIGH' ('1.2M..1.8M wafer/yr', '40..60 GW'): read as a
lognormal 90% interval (p5 and p95), as a figure's range is, and sampled with the set's ranges.

A bare end takes the other end's unit ('40..60 GW' is 40 GW to 60 GW): with no figure to give
it a unit, that is the only reading. The range's point value is its geometric mean (the
lognormal's median), as for `--set NAME=LOW..HIGH`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from gwcalc.errors import QuantityError
from gwcalc.uncertainty.sampling import GIVEN
from gwcalc.units.grammar import range_scale_refusal
from gwcalc.units.registry import Q_, Quantity, dimensions, parse_quantity, ureg

if TYPE_CHECKING:
    from gwcalc.engine.plan import Plan
    from gwcalc.sets.assumption_set import AssumptionSet

RANGE_HINT = "write LOW..HIGH with one unit, e.g. '40..60 GW' or '1.2M..1.8M wafer/yr'"


class QuantityInterval(NamedTuple):
    """A quantity given as LOW..HIGH, both ends in one unit (the one written)."""

    text: str
    low: Quantity
    high: Quantity

    @property
    def point(self) -> Quantity:
        """The geometric mean of the ends (the lognormal's median), in their unit."""
        low, high = float(self.low.magnitude), float(self.high.magnitude)
        value = min(max(math.sqrt(low) * math.sqrt(high), low), high)
        return Q_(value, self.low.units)

    def note(self, what: str) -> str:
        """What a table says of it: the values shown are at its median."""
        from gwcalc.units.registry import format_quantity

        return (
            f"The {what} was given as {self.text}: values above the uncertainty table are at "
            f"its median, {format_quantity(self.point)} (√(low·high)); the samples draw it "
            f"(as {GIVEN}) from a lognormal with p5 = {format_quantity(self.low)} and p95 = "
            f"{format_quantity(self.high)}."
        )

    def to_dict(self) -> dict[str, Any]:
        """`convert --json`'s "input_range" ("input" is the point)."""
        from gwcalc.report.documents import quantity_json

        return {
            "text": self.text,
            "low": quantity_json(self.low),
            "high": quantity_json(self.high),
            "read_as": "lognormal 90% (low = p5, high = p95); input is its median",
        }


def is_range(text: object) -> bool:
    """Whether text is typed as a range ('..' between two ends)."""
    return isinstance(text, str) and ".." in text


def read_interval(text: str) -> QuantityInterval:
    """'40..60 GW' → 40 GW and 60 GW; refused with a reason when it is not a range of one kind
    with 0 < LOW ≤ HIGH."""
    stripped = text.strip()
    low_text, _, high_text = stripped.partition("..")
    if not low_text.strip() or not high_text.strip() or ".." in high_text:
        raise QuantityError(f"{stripped!r} is not a range LOW..HIGH", RANGE_HINT)
    refusal = range_scale_refusal(low_text, high_text)
    if refusal is not None:
        raise refusal
    low, high = parse_quantity(low_text), parse_quantity(high_text)
    bare_low, bare_high = low.units == ureg.dimensionless, high.units == ureg.dimensionless
    if bare_low and not bare_high:
        low = Q_(float(low.magnitude), high.units)
    elif bare_high and not bare_low:
        high = Q_(float(high.magnitude), low.units)
    if dimensions(low) != dimensions(high):
        raise QuantityError(
            f"{stripped!r}: the ends are of different kinds ({low.units:~} and {high.units:~})",
            RANGE_HINT,
        )
    high = high.to(low.units)
    low_value, high_value = float(low.magnitude), float(high.magnitude)
    if not 0 < low_value <= high_value or not math.isfinite(high_value):
        raise QuantityError(
            f"{stripped!r} is not a range with 0 < LOW ≤ HIGH (read as a lognormal 90% "
            "interval: p5 and p95)",
            RANGE_HINT,
        )
    return QuantityInterval(stripped, low, high)


def with_given(aset: AssumptionSet, interval: QuantityInterval) -> AssumptionSet:
    """The set with the ranged input as one more ranged figure (GIVEN), for sampling only."""
    from gwcalc.sets.figures import OVERRIDE_SOURCE, Parameter, Source, validate_parameter
    from gwcalc.sets.ranges import Range
    from gwcalc.units.registry import unit_text

    unit = unit_text(interval.low.units)
    param = Parameter(
        GIVEN,
        float(interval.point.magnitude),
        unit,
        Source(OVERRIDE_SOURCE),
        note=f"the quantity given as {interval.text}",
        range=Range(float(interval.low.magnitude), float(interval.high.magnitude)),
    )
    validate_parameter(param)
    return replace(aset, parameters={**aset.parameters, GIVEN: param})


def sampled_gap_plan(
    aset: AssumptionSet, interval: QuantityInterval, unit: str
) -> tuple[AssumptionSet, Plan]:
    """The gap's plan for sampling a demand typed as a range: the demand is the figure GIVEN
    of the set returned (the other outputs as compile_gap plans them)."""
    from gwcalc.engine.outputs import DEMAND, Product, gap_outputs
    from gwcalc.engine.plan import compile_outputs

    sampled = with_given(aset, interval)
    outputs = []
    for out in gap_outputs():
        if out.name == DEMAND and isinstance(out.rule, Product):
            out = out._replace(rule=out.rule._replace(start=(GIVEN,)))
        outputs.append(out)
    return sampled, compile_outputs(sampled, outputs, unit)
