"""`gwcalc explain` of a by-year economics output as Rich tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import legend, print_caveats, rows_table, set_title
from gwcalc.cli.render_econ import inputs_rows
from gwcalc.report.rows import Rows

if TYPE_CHECKING:
    from gwcalc.analysis.by_year_explain import ByYearExplanation


def print_by_year_explanation(out: Any, result: ByYearExplanation) -> None:
    """Its inputs (NAME.YEAR: one year of a figure given by year), then each output on the way."""
    aset = result.aset
    out.print(plain(f"{result.label}, the market (every buyer) — {set_title(aset)}", "bold"))
    out.print(rows_table("Inputs", inputs_rows(result.inputs), out.width))
    steps = Rows(
        ("output", "formula, then with the values", "= result"),
        [[s.name, f"{s.formula}\n= {s.substituted}", s.text] for s in result.steps],
        numeric=(2,),
    )
    out.print(rows_table("Steps", steps, out.width))
    for caveat in result.caveats:
        out.print(f"Note: {caveat}.")
    print_caveats(out, aset)
    out.print(
        "The values put in each formula are in the model's units (each result's unit is "
        "beside it; --json gives every one): GW of IT, dollars a year, per GW of IT; NAME.YEAR "
        "is a figure's (or an output's) value in an earlier year. Where costs (all-in $) meet "
        "revenue ($ of revenue) the result is in nominal dollars."
    )
    out.print(legend([i.parameter.quantity for i in result.inputs]))
