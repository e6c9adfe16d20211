"""An economics output's explanation and its diff as rows (CSV, Markdown) and -q lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.report.rows import Cell, Rows, range_text
from gwcalc.units.registry import format_quantity, unit_text

if TYPE_CHECKING:
    from gwcalc.analysis.econ_explain import EconExplanation


def _unit(unit: str) -> str:
    from gwcalc.sets.ranges import parse_unit_or_dimensionless

    text = unit_text(parse_unit_or_dimensionless(unit))
    return "" if text == "dimensionless" else text


def econ_explain_csv(result: EconExplanation) -> Rows:
    """One row an input (its value as the set gives it, range, source, implied), then one row
    an output on the way (its formula, with the values in, and its value)."""
    header = ("kind", "name", "value", "unit", "low", "high", "formula", "with_values",
              "source", "implied")  # fmt: skip
    rows: list[list[Cell]] = []
    for i in result.inputs:
        p = i.parameter
        r = p.range
        rows.append(["input", i.name, p.value, _unit(p.unit), r.low if r else None,
                     r.high if r else None, None, None, p.source.cite(), p.implied])  # fmt: skip
    for s in result.steps:
        value = s.result if abs(s.result) != float("inf") else None
        rows.append(["output", s.output.name, value, _unit(s.output.unit), None, None,
                     s.output.formula, s.substituted, None, None])  # fmt: skip
    return Rows(header, rows, (2, 4, 5))


def econ_explain_markdown(result: EconExplanation) -> list[Rows | str]:
    inputs: list[list[Cell]] = []
    for i in result.inputs:
        p = i.parameter
        source = p.source.cite() + (" (implied: no source states it)" if p.implied else "")
        inputs.append([i.name, format_quantity(p.quantity), range_text(p), source])
    steps: list[list[Cell]] = [
        [s.output.name, s.output.formula, s.substituted, s.text] for s in result.steps
    ]
    return [
        Rows(("input", "value", "range", "source"), inputs, (1,)),
        Rows(("output", "formula", "with the values", "= result"), steps, (3,)),
    ]


def econ_explain_quiet(result: EconExplanation) -> list[str]:
    """'payback_years 3.62 yr': the output's name and value."""
    return [f"{result.output.name} {result.steps[-1].text}"]
