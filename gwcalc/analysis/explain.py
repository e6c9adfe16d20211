"""The whole arithmetic behind one gap output, step by step, each figure with range and source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gwcalc.engine.outputs import Combination, Product
from gwcalc.engine.plan import OutputPlan, Plan
from gwcalc.report.documents import envelope, quantity_json, range_json, set_json
from gwcalc.units.registry import Q_, Quantity, format_quantity

OPERATIONS = {"start": "", "multiply": "×", "divide": "÷", "difference": "−", "ratio": "÷"}


@dataclass(frozen=True)
class ExplainStep:
    """One step: an operation on the running value (a figure of the set, or two outputs)."""

    output: str  # the output this step computes
    operation: str  # start, multiply, divide, difference or ratio
    result: Quantity  # the running value after the step
    parameter: str | None = None  # the figure used (None: a given start, or outputs combined)
    value: Quantity | None = None  # the figure's value
    formula: str | None = None  # combined outputs: 'demand − supply_per_year × 1 year'

    def to_dict(self, plan: Plan) -> dict[str, Any]:
        param = plan.aset.parameters.get(self.parameter) if self.parameter else None
        out: dict[str, Any] = {
            "output": self.output,
            "operation": self.operation,
            "parameter": self.parameter,
            "value": quantity_json(self.value) if self.value is not None else None,
            "range": None,
            "source": param.source.to_dict() if param else None,
            "implied": bool(param and param.implied),
            "result": quantity_json(self.result),
        }
        if param is not None and param.range is not None:
            out["range"] = range_json(param)
            out["group"] = param.group
        if self.formula:
            out["formula"] = self.formula
        return out


@dataclass(frozen=True)
class Explanation:
    """The steps behind one output, in the order they are computed."""

    plan: Plan
    output: OutputPlan
    steps: tuple[ExplainStep, ...]

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc explain --json`."""
        return envelope(
            "explain",
            assumptions=set_json(self.plan.aset),
            output=self.output.name,
            result=quantity_json(self.output.quantity),
            steps=[s.to_dict(self.plan) for s in self.steps],
        )

    def __str__(self) -> str:
        lines = [f"{self.output.output.label} — {self.plan.aset.label}"]
        for s in self.steps:
            what = s.formula or (
                f"{format_quantity(s.value)} ({s.parameter})" if s.value is not None else ""
            )
            lines.append(
                f"  {s.output}: {OPERATIONS[s.operation]} {what} = {format_quantity(s.result)}"
            )
        return "\n".join(lines)


def _product_steps(plan: Plan, out: OutputPlan, rule: Product) -> list[ExplainStep]:
    aset = plan.aset
    steps: list[ExplainStep] = []
    if out.given or not rule.start:
        assert out.start is not None
        running: Quantity = out.start
        steps.append(ExplainStep(out.name, "start", running, value=out.start))
    else:
        running = Q_(1.0)
        for i, name in enumerate(rule.start):
            running = running * aset.quantity(name)
            op = "start" if i == 0 else "multiply"
            steps.append(ExplainStep(out.name, op, running, name, aset.quantity(name)))
        if out.start is not None and running.units != out.start.units:
            running = running.to(out.start.units)
            steps[-1] = ExplainStep(
                out.name, steps[-1].operation, running, rule.start[-1], steps[-1].value
            )
    for link in out.steps:
        rate = aset.quantity(link.parameter)
        running = running * rate if link.exponent == 1 else running / rate
        op = "multiply" if link.exponent == 1 else "divide"
        steps.append(
            ExplainStep(
                out.name, op, running.to(running.to_reduced_units().units), link.parameter, rate
            )
        )
    final = steps[-1]
    steps[-1] = ExplainStep(out.name, final.operation, out.quantity, final.parameter, final.value)
    return steps


def _steps(plan: Plan, name: str, done: set[str]) -> list[ExplainStep]:
    """The steps of an output and (first) of every output it combines, each output once."""
    if name in done:
        return []
    done.add(name)
    out = plan.output(name)
    rule = out.output.rule
    if isinstance(rule, Product):
        return _product_steps(plan, out, rule)
    assert isinstance(rule, Combination)
    steps = _steps(plan, rule.left, done) + _steps(plan, rule.right, done)
    sign = "−" if rule.op == "difference" else "÷"
    left = rule.left + (f" × {rule.left_times}" if rule.left_times else "")
    right = rule.right + (f" × {rule.right_times}" if rule.right_times else "")
    formula = f"{left} {sign} {right}"
    return [*steps, ExplainStep(name, rule.op, out.quantity, formula=formula)]


def explain(plan: Plan, output: str) -> Explanation:
    """Every step behind one of the plan's outputs (an unknown name lists the known ones)."""
    out = plan.output(output)
    return Explanation(plan, out, tuple(_steps(plan, output, set())))
