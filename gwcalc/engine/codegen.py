"""The float evaluator: Python functions of plain floats, generated from a description of sums of
products and compiled once per source text (every plan of the same structure and units, and every
timeline of the same amounts, shares them).

Two shapes are generated, and nothing else in gwcalc generates code:

- **Formulas** (`generate_source`; the gap's outputs through `plan.Plan`, every sampled timeline
  through `uncertainty.timeline`): each output a sum of terms, each term a coefficient times a
  product of variables to whole exponents. Variables are numbered: the inputs first, then the
  outputs in order, so an output may read the outputs before it (the gap is demand minus a year
  of supply). A term multiplies its **coefficient first**, then each variable in the order given:
  `c * p0 * p1 / p2`. Two functions come of one source: `evaluate(v)` (one vector of inputs) and
  `evaluate_columns(columns, n)` (one list comprehension per output over the columns it reads).
- **Chains** (`chain_source`; streams of quantities, `engine.stream`): one input multiplied or
  divided by a chain's rates in **pint's order**, the input first, each rate in turn, the factor
  of the final change of unit last, each step checked to stay within a range of floats.

Why chains are not formulas: floating-point multiplication is not associative, and a stream's
numbers must equal a single conversion's (pint's) to the last bit. Pint multiplies the input by
each rate in turn and scales into the target unit at the end; a formula folds the rates' unit
factors into one coefficient taken first, which differs from pint in the last bit for about a
third to a half of values whenever the unit changes scale (MW → USD_all_in). And a stream must
refuse a value that leaves the normal floats at any step (pint's path names the step), which a
single expression cannot check. So a chain is generated in pint's order with a check per step;
a formula keeps the coefficient first, which is what the gap's and the timeline's numbers have
always been (sampled numbers stay the same for the same seed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from gwcalc.errors import DimensionError

Factor = tuple[int, int]  # (variable number, whole exponent): inputs first, then outputs
Term = tuple[float, tuple[Factor, ...]]  # coefficient × Π variable^exponent, in that order
Formula = tuple[Term, ...]  # a sum of terms, added left to right (no term: 0.0)

Evaluate = Callable[[Sequence[float]], tuple[float, ...]]
EvaluateColumns = Callable[[Sequence[Sequence[float]], int], tuple[list[float], ...]]
Chain = Callable[[float], "float | None"]


def _number(value: float) -> str:
    """A coefficient as source text (repr reads back exactly)."""
    if not math.isfinite(value):
        raise DimensionError(
            "a unit conversion factor is beyond the range of a floating-point number",
            "use units with smaller prefixes",
        )
    return repr(value)


def _term(coefficient: float, factors: Sequence[Factor], names: Sequence[str]) -> str:
    """'c * a * b / d': the coefficient first (left out when it is 1 and a variable follows to
    multiply: 1.0 * x == x exactly)."""
    parts = [_number(coefficient)]
    for variable, exponent in factors:
        name = names[variable]
        parts.append(
            f"* {name}" if exponent == 1 else f"/ {name}" if exponent == -1 else
            f"* {name} ** {exponent}"
        )  # fmt: skip
    if coefficient == 1.0 and len(parts) > 1 and parts[1].startswith("* "):
        return " ".join(parts[1:])[2:]
    return " ".join(parts)


def _sum(formula: Formula, names: Sequence[str]) -> str:
    """Terms joined by + and - (x - c·y is x + (−c)·y exactly)."""
    if not formula:
        return "0.0"
    text = _term(formula[0][0], formula[0][1], names)
    for coefficient, factors in formula[1:]:
        if coefficient < 0:
            text += f" - {_term(-coefficient, factors, names)}"
        else:
            text += f" + {_term(coefficient, factors, names)}"
    return text


def _reads(formula: Formula) -> list[int]:
    """The variables a formula reads, each once, in order of appearance."""
    return list(dict.fromkeys(v for _, factors in formula for v, _ in factors))


def generate_source(formulas: Sequence[Formula], inputs: int) -> str:
    """Python source of `evaluate(v)` (a vector of `inputs` floats in, a tuple of the formulas'
    values out) and `evaluate_columns(columns, n)` (one sequence of n floats per input in, one
    list per formula out). Variable i < inputs is input i; inputs + j is formula j's value."""
    names = [f"p{i}" for i in range(inputs)] + [f"o{j}" for j in range(len(formulas))]
    lines = ["def evaluate(v):"]
    if inputs:
        lines.append("    " + "".join(f"{names[i]}, " for i in range(inputs)) + "= v")
    for j, formula in enumerate(formulas):
        lines.append(f"    o{j} = {_sum(formula, names)}")
    lines.append("    return (" + "".join(f"o{j}, " for j in range(len(formulas))) + ")")
    lines.append("def evaluate_columns(columns, n):")
    for j, formula in enumerate(formulas):
        expression, reads = _sum(formula, names), _reads(formula)
        if not reads:
            lines.append(f"    r{j} = [{expression}] * n")
            continue
        sources = ", ".join(f"columns[{v}]" if v < inputs else f"r{v - inputs}" for v in reads)
        targets = "".join(f"{names[v]}, " for v in reads)
        lines.append(f"    r{j} = [{expression} for {targets}in zip({sources})]")
    lines.append("    return (" + "".join(f"r{j}, " for j in range(len(formulas))) + ")")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=256)
def functions(source: str) -> tuple[Evaluate, EvaluateColumns]:
    """The functions of a formulas' source (plans of the same structure and units share them)."""
    namespace = _run(source, {"zip": zip})
    return namespace["evaluate"], namespace["evaluate_columns"]


@lru_cache(maxsize=256)
def whole_columns(source: str, power: Callable[[Any, int], Any]) -> Evaluate:
    """The `evaluate(v)` of a formulas' source, for whole columns at once (sampling with numpy:
    v holds one array per input, or a float for an input that does not vary, and the same
    operators run element by element in the same order, so every value is the same float).
    Only `x ** e` is not the same: numpy squares where Python calls pow, so each becomes
    power(x, e), the caller's."""
    head = source.split("def evaluate_columns", 1)[0]
    head = re.sub(r"\b([po]\d+) \*\* (-?\d+)", r"power(\1, \2)", head)
    function: Evaluate = _run(head, {"power": power})["evaluate"]
    return function


def chain_source(
    rates: Sequence[tuple[float, int]], factor: float, bounds: tuple[float, float]
) -> str:
    """Python source of `chain(x)`: x times (+1) or divided by (-1) each rate in turn, then times
    the factor, as pint computes a conversion; None as soon as a step's absolute value leaves
    [low, high] (the caller then takes pint's path, which says why)."""
    low, high = (repr(b) for b in bounds)
    inside = f"{low} <= abs(x) <= {high}"
    lines = ["def chain(x):"]
    for rate, exponent in rates:
        lines.append(f"    x = x {'*' if exponent == 1 else '/'} {rate!r}")
        lines.append(f"    if not {inside}:")
        lines.append("        return None")
    lines.append(f"    x = x * {factor!r}")
    lines.append(f"    return x if {inside} else None")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=256)
def compile_chain(source: str) -> Chain:
    """The function of a chain's source (rates written with repr: nan and inf read back too)."""
    function: Chain = _run(source, {"abs": abs, "inf": math.inf, "nan": math.nan})["chain"]
    return function


def _run(source: str, names: dict[str, Any]) -> dict[str, Any]:
    """Execute generated source with only the builtins it calls; its functions by name."""
    namespace: dict[str, Any] = {}
    exec(compile(source, "<gwcalc evaluator>", "exec"), {"__builtins__": names}, namespace)
    return namespace
