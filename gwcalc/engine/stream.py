"""Converting many quantities in one process: each input unit planned once, each value as floats."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from gwcalc.engine.codegen import Chain, chain_source, compile_chain
from gwcalc.engine.graph import Conversion, figures_of
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.overrides import check_used
from gwcalc.units.chips import chip_unit, strip_chips
from gwcalc.units.floats import LARGEST, SMALLEST
from gwcalc.units.grammar import read_quantity, split_quantity
from gwcalc.units.registry import format_value, parse_unit, unit_text

if TYPE_CHECKING:  # the API's result type; the API hands its convert() in (api -> stream, one way)
    # with check=False: the stream refuses an unused override once, at its end (check_used)
    from gwcalc.api import ConvertResult

ConvertOne = Callable[[str, "Sequence[str] | None", AssumptionSet], "ConvertResult"]

# The range of gwcalc's floats (gwcalc.floats): pint's path refuses anything outside it.
_NORMAL = SMALLEST
_TOP = LARGEST

Key = tuple[tuple[str, int], ...]  # an input's units as written: ((name, exponent), …)


@dataclass(frozen=True)
class FloatChain:
    """One planned conversion: the rates to multiply (or divide) by, in the order pint applies
    them, then the factor of the final change of unit, so the floats equal pint's exactly.
    evaluate(x) is x converted, or None where a step leaves the range of normal floats (the
    slow path then refuses it with the reason, as a single conversion does): a function
    generated in pint's order by the one evaluator (`codegen.chain_source`, which says why
    streams do not use the plans' formulas)."""

    rates: tuple[tuple[float, int], ...]  # (magnitude, +1 multiply | -1 divide)
    factor: float  # the chain's result unit → the target unit
    unit: str  # the target unit's text, as JSON and tables show it
    path: tuple[str, ...]  # the parameters along the chain
    evaluate: Chain = field(repr=False, compare=False)

    @classmethod
    def of(cls, conv: Conversion, aset: AssumptionSet) -> FloatChain:
        from gwcalc.units.registry import Q_

        value = Q_(1.0, conv.input.units)
        rates = []
        for step in conv.steps:
            rate = aset.quantity(step.parameter)
            rates.append((float(rate.magnitude), step.exponent))
            value = value * rate if step.exponent == 1 else value / rate
        factor = float(Q_(1.0, value.units).to(conv.result.units).magnitude)
        evaluate = compile_chain(chain_source(rates, factor, (_NORMAL, _TOP)))
        return cls(tuple(rates), factor, unit_text(conv.result.units), tuple(conv.path), evaluate)


@dataclass(frozen=True, eq=False)  # one plan is one object: its identity keys caches
class UnitPlan:
    """Everything about converting inputs written in one unit: the input unit's text, one chain
    per target, and the first such input's full result (the shape of every document)."""

    unit: str
    chains: tuple[FloatChain, ...]
    first: ConvertResult

    def evaluate(self, x: float) -> Converted | None:
        """x (in this unit) converted into every target; None where a float cannot carry it
        through some chain (zero, subnormal, beyond range: api.convert says why)."""
        if not _NORMAL <= abs(x) <= _TOP:
            return None
        values = []
        for chain in self.chains:
            value = chain.evaluate(x)
            if value is None:
                return None
            values.append(value)
        return Converted(x, tuple(values), self)

    def document(self, value: object, results: Sequence[object]) -> dict[str, Any]:
        """The convert document of an input with this unit (what api.convert(...).to_dict()
        gives), built from the first input's document with new values (or placeholders)."""
        doc = self.first.to_dict()
        doc["input"] = {**doc["input"], "value": value}
        doc["results"] = [{**r, "value": v} for r, v in zip(doc["results"], results, strict=True)]
        return doc


class Converted(NamedTuple):
    """One input, converted: its value and each target's value, in the plan's units (a tuple:
    one is made per line of a stream)."""

    value: float
    results: tuple[float, ...]
    plan: UnitPlan

    def texts(self) -> list[str]:
        """Each result as tables show it: '3M gpu', or '2.706M GB300' for a chip's packages
        (text gwcalc reads back as the same quantity)."""
        chip = self.plan.first.chip
        return [
            format_value(v, chip_unit(c.unit, chip))
            for v, c in zip(self.results, self.plan.chains, strict=True)
        ]


class StreamConverter:
    """Converts quantity after quantity into the same targets through one set. The first input
    in each unit goes through api.convert (pint) and plans that unit; later ones are parsed by
    gwcalc's grammar and evaluated as floats, equal to api.convert's to the last bit. Any value
    a float cannot carry through the chain goes through api.convert too, which refuses it."""

    def __init__(
        self, aset: AssumptionSet, convert_one: ConvertOne, targets: Sequence[str] = ()
    ) -> None:
        self.aset = aset
        self._convert_one = convert_one
        self.targets = list(targets)
        chips = aset.timeline.chips if aset.timeline is not None else {}
        for target in self.targets:  # a bad --to fails before any input is read
            parse_unit(strip_chips("1", [target], chips)[1][0] if chips else target)
        self._plans: dict[Key, UnitPlan] = {}
        self._by_text: dict[str, UnitPlan] = {}  # the same plans, by unit text as written
        self.used: dict[str, None] = {}  # the rates along every chain converted so far

    def convert(self, text: str) -> Converted:
        """One quantity as text ('6 GW'), converted; GwcalcError if it cannot be."""
        common = split_quantity(text)
        if common is not None:
            x, unit = common
            plan = self._by_text.get(unit)
            if plan is not None and (done := plan.evaluate(x)) is not None:
                return done
        parsed = read_quantity(text)
        key = tuple((name, exponent) for name, _, exponent in parsed.factors)
        plan = self._plans.get(key)
        done = plan.evaluate(parsed.value) if plan is not None else None
        if done is None:
            done = self._slow(text, key)
        if common is not None and key in self._plans:
            self._by_text[common[1]] = self._plans[key]
        return done

    def result(self, text: str) -> ConvertResult:
        """One quantity converted through pint, with its chains (for tables). An override no
        chain uses is refused by check_used, once every input is converted."""
        result = self._convert_one(text, self.targets or None, self.aset)
        self.used.update(dict.fromkeys(figures_of(result.conversions)))
        return result

    def check_used(self) -> None:
        """Refuse an override of the set that no input's chain used (it changed nothing)."""
        check_used(self.aset, self.used, "these conversions")

    def _slow(self, text: str, key: Key) -> Converted:
        result = self.result(text)
        plan = self._plans.get(key)
        if plan is None:
            chains = tuple(FloatChain.of(c, result.rates) for c in result.conversions)
            plan = UnitPlan(unit_text(result.input.units), chains, result)
            if all(math.isfinite(c.factor) and c.factor != 0 for c in chains):
                self._plans[key] = plan
        values = tuple(float(q.magnitude) for q in result.results)
        return Converted(float(result.input.magnitude), values, plan)
