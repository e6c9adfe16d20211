"""The arithmetic behind one per-GW economics output: each input with its value, range and
source, then each output on the way, its formula with the values put in."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwcalc.econ.inputs import per_gw_inputs
from gwcalc.econ.model import PER_GW_INPUTS, EconOutput, per_gw
from gwcalc.econ.outputs_graph import (
    OUTPUT_NAMES,
    econ_output,
    inputs_of,
    steps_of,
)
from gwcalc.report.documents import envelope, quantity_json, range_json, set_json
from gwcalc.report.econ_rows import value_json, value_text
from gwcalc.units.registry import Q_, Quantity, format_number, format_quantity

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.figures import Parameter

CANONICAL = {i.name: i for i in PER_GW_INPUTS}
# a formula's words: names with underscores, and phrases of words joined by spaces or hyphens
PHRASE = re.compile(r"[A-Za-z][A-Za-z_]*(?:[ -][A-Za-z][A-Za-z_]*)*")


@dataclass(frozen=True)
class EconInputStep:
    """One figure the output reads: as the set gives it, and as the model reads it."""

    name: str
    parameter: Parameter  # in the year asked for (its range scaled to the year's value)
    value: float  # in the model's canonical unit

    @property
    def model_value(self) -> Quantity:
        return Q_(self.value, CANONICAL[self.name].unit)

    def to_dict(self) -> dict[str, Any]:
        return input_json(self.name, self.parameter, self.model_value)


def input_json(name: str, p: Parameter, model_value: Quantity) -> dict[str, Any]:
    """An input of an explanation: its value as the set gives it and as the model reads it,
    its range, group, source, whether it is implied, its note."""
    return {
        "name": name,
        "value": quantity_json(p.quantity),
        "model_value": quantity_json(model_value),
        "range": range_json(p),
        "group": p.group,
        "source": p.source.to_dict(),
        "implied": p.implied,
        "note": p.note,
    }


@dataclass(frozen=True)
class EconStep:
    """One output on the way: its formula, the formula with the values in, and its value."""

    output: EconOutput
    substituted: str
    reads: dict[str, float]  # each input or output the formula reads, and its value
    result: float

    @property
    def text(self) -> str:
        """The value as the tables show it: '3.62 yr', 'never', '27.0%'."""
        return value_text(self.output, self.result)

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": self.output.name,
            "label": self.output.label,
            "formula": self.output.formula,
            "substituted": self.substituted,
            "reads": {n: _json(n, v) for n, v in self.reads.items()},
            "result": value_json(self.output, self.result),
        }


def _json(name: str, value: float) -> dict[str, object]:
    if name in CANONICAL:
        return quantity_json(Q_(value, CANONICAL[name].unit))
    return value_json(econ_output(name), value)


def _text(name: str, value: float) -> str:
    """A value as a formula shows it: the number alone, in the model's unit (the inputs and
    each output's result carry the units); a share as a percentage."""
    if name in CANONICAL:
        return format_number(value, 4)
    out = econ_output(name)
    return value_text(out, value) if out.percent or math.isinf(value) else format_number(value, 4)


@dataclass(frozen=True)
class EconExplanation:
    """The inputs an economics output reads, then each output on the way (itself last)."""

    aset: AssumptionSet
    output: EconOutput
    year: int | None
    inputs: tuple[EconInputStep, ...]
    steps: tuple[EconStep, ...]

    @property
    def result(self) -> float:
        return self.steps[-1].result

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc explain --json` for an economics output."""
        return envelope(
            "explain-economics",
            assumptions=set_json(self.aset),
            output=self.output.name,
            family="economics",
            year=self.year,
            result=value_json(self.output, self.result),
            inputs=[i.to_dict() for i in self.inputs],
            steps=[s.to_dict() for s in self.steps],
        )

    def __str__(self) -> str:
        lines = [f"{self.output.label} — {self.aset.label}"]
        for i in self.inputs:
            lines.append(f"  {i.name} = {format_quantity(i.parameter.quantity)}")
        for s in self.steps:
            lines.append(
                f"  {s.output.name} = {s.output.formula} = {s.substituted} = "
                f"{value_text(s.output, s.result)}"
            )
        return "\n".join(lines)


def _match(words: list[str], depends: tuple[str, ...]) -> str | None:
    """The name among `depends` that words stand for: an input by its exact name, an output by
    its name or the start of it ('capex' for capex_per_gw, 'cost per GPU-hour' for
    cost_per_gpu_hour), when only one output starts so."""
    key = "_".join(words).lower()
    if key in depends:
        return key
    starts = [d for d in depends if d in OUTPUT_NAMES and d.startswith(key + "_")]
    return starts[0] if len(starts) == 1 else None


def substitute(formula: str, depends: tuple[str, ...], text: dict[str, str]) -> str:
    """The formula with each name it reads replaced by its value's text (longest phrase
    first); words that name nothing it reads ('crf', 'GW', 'h') stay."""

    def phrase(m: re.Match[str]) -> str:
        words = re.split(r"[ -]", m.group(0))
        out: list[str] = []
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                name = _match(words[i:j], depends)
                if name is not None:
                    out.append(text[name])
                    i = j
                    break
            else:
                out.append(words[i])
                i += 1
        return " ".join(out)

    return PHRASE.sub(phrase, formula)


def econ_explain(aset: AssumptionSet, output: str, year: int | None = None) -> EconExplanation:
    """Every step behind one per-GW output (an unknown name lists the outputs there are)."""
    out = econ_output(output)
    values = per_gw_inputs(aset, year)
    known = {**values, **per_gw(values)}
    inputs = tuple(
        EconInputStep(n, _year_of(aset.parameters[n], year), values[n]) for n in inputs_of(output)
    )
    steps = []
    for step in steps_of(output):
        texts = {d: _text(d, known[d]) for d in step.depends}
        reads = {d: known[d] for d in step.depends}
        substituted = substitute(step.formula, step.depends, texts)
        steps.append(EconStep(step, substituted, reads, known[step.name]))
    return EconExplanation(aset, out, year, inputs, tuple(steps))


def _year_of(param: Parameter, year: int | None) -> Parameter:
    return param if year is None else param.at(year)
