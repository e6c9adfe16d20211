"""Code generation for planned outputs: Python functions of plain floats, built once per plan."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from gwcalc.engine.outputs import Product
from gwcalc.errors import DimensionError

if TYPE_CHECKING:
    from gwcalc.engine.plan import OutputPlan

Evaluate = Callable[[Sequence[float]], tuple[float, ...]]
EvaluateColumns = Callable[[Sequence[Sequence[float]]], tuple[list[float], ...]]


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise DimensionError(
            "a unit conversion factor is beyond the range of a floating-point number",
            "use units with smaller prefixes",
        )
    return repr(value)


def _expression(out: OutputPlan, index: Mapping[str, int], position: Mapping[str, int]) -> str:
    rule = out.output.rule
    if isinstance(rule, Product):
        terms = [_number(out.coefficients[0])]
        if out.start_input:
            terms.append(f"* p{index[out.start_input]}")
        for f in out.factors:
            var = f"p{index[f.parameter]}"
            terms.append(
                f"* {var}" if f.exponent == 1 else f"/ {var}" if f.exponent == -1 else
                f"* {var} ** {f.exponent}"
            )  # fmt: skip
        return _times_coefficient(out.coefficients[0], " ".join(terms[1:]).removeprefix("* "))
    left, right = f"o{position[rule.left]}", f"o{position[rule.right]}"
    if rule.op == "difference":
        a, b = out.coefficients
        return f"{_times_coefficient(a, left)} - {_times_coefficient(b, right)}"
    return _times_coefficient(out.coefficients[0], f"{left} / {right}")


def _times_coefficient(coefficient: float, expression: str) -> str:
    """'c * (expression)', or the expression alone when c is 1 (x * 1.0 == x exactly)."""
    if not expression:
        return _number(coefficient)
    if expression.startswith("/ "):
        return f"{_number(coefficient)} {expression}"
    if coefficient == 1.0:
        return expression
    return f"{_number(coefficient)} * {expression}"


def _inputs(out: OutputPlan, index: Mapping[str, int], position: Mapping[str, int]) -> list[str]:
    """The variables an output's expression reads: p<i> (parameters) or o<i> (outputs)."""
    rule = out.output.rule
    if isinstance(rule, Product):
        names = [out.start_input] if out.start_input else []
        names += [f.parameter for f in out.factors]
        return [f"p{i}" for i in dict.fromkeys(index[name] for name in names)]
    return [f"o{i}" for i in dict.fromkeys((position[rule.left], position[rule.right]))]


def generate_source(outputs: Sequence[OutputPlan], parameters: Sequence[str]) -> str:
    """Python source of `evaluate(v)` (one vector) and `evaluate_columns(columns)` (one list
    comprehension per output over the columns it reads) for planned outputs."""
    index = {name: i for i, name in enumerate(parameters)}
    position = {o.name: i for i, o in enumerate(outputs)}
    lines = ["def evaluate(v):"]
    if parameters:
        lines.append("    " + "".join(f"p{i}, " for i in range(len(parameters))) + "= v")
    for i, out in enumerate(outputs):
        lines.append(f"    o{i} = {_expression(out, index, position)}")
    lines.append("    return (" + "".join(f"o{i}, " for i in range(len(outputs))) + ")")
    lines.append("def evaluate_columns(columns):")
    lines.append("    n = len(columns[0]) if columns else 0")
    for i, out in enumerate(outputs):
        expression = _expression(out, index, position)
        names = _inputs(out, index, position)
        if not names:
            lines.append(f"    r{i} = [{expression}] * n")
            continue
        sources = ", ".join(f"columns[{n[1:]}]" if n[0] == "p" else f"r{n[1:]}" for n in names)
        targets = "".join(f"{n}, " for n in names)
        lines.append(f"    r{i} = [{expression} for {targets}in zip({sources})]")
    lines.append("    return (" + "".join(f"r{i}, " for i in range(len(outputs))) + ")")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=256)
def functions(source: str) -> tuple[Evaluate, EvaluateColumns]:
    """The generated functions (plans of the same structure and units share them)."""
    namespace: dict[str, Any] = {}
    builtins = {"__builtins__": {"zip": zip, "len": len}}  # all the generated code calls
    exec(compile(source, "<gwcalc plan>", "exec"), builtins, namespace)
    return namespace["evaluate"], namespace["evaluate_columns"]
