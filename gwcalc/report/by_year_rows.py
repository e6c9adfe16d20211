"""The explanation of a by-year economics output as rows (CSV, Markdown) and -q lines."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gwcalc.report.econ_rows import EXPLAIN_HEADER, input_csv_rows, input_markdown, output_unit
from gwcalc.report.rows import Cell, Rows

if TYPE_CHECKING:
    from gwcalc.analysis.by_year_explain import ByYearExplanation


def explain_csv(result: ByYearExplanation) -> Rows:
    """One row an input (NAME.YEAR for one year of a figure given by year), then one row an
    output on the way (NAME.YEAR for an earlier year's), as the per-GW explain's CSV."""
    rows: list[list[Cell]] = input_csv_rows(result.inputs)
    for s in result.steps:
        value = s.result if math.isfinite(s.result) else None
        rows.append(["output", s.name, value, output_unit(s.output), None, None, s.formula,
                     s.substituted, None, None])  # fmt: skip
    return Rows(EXPLAIN_HEADER, rows, (2, 4, 5))


def explain_markdown(result: ByYearExplanation) -> list[Rows | str]:
    steps: list[list[Cell]] = [[s.name, s.formula, s.substituted, s.text] for s in result.steps]
    return [
        input_markdown(result.inputs),
        Rows(("output", "formula", "with the values", "= result"), steps, (3,)),
        *(f"Note: {c}." for c in result.caveats),
    ]


def explain_quiet(result: ByYearExplanation) -> list[str]:
    """'revenue_gap 2027 681B USD_nominal/yr': the output's name, year and value."""
    return [f"{result.output.name} {result.year} {result.steps[-1].text}"]
