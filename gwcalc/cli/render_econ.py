"""Rich tables of the economics outputs' explain and diff."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import cite_short, legend, print_caveats, rows_table, set_title
from gwcalc.report.econ_rows import (
    UNCHANGED,
    YEARS_UNCHANGED,
    econ_change_texts,
    econ_part_text,
    econ_years_shown,
)
from gwcalc.report.rows import Cell, Rows, range_text
from gwcalc.units.registry import Q_, format_percent, format_quantity, unit_label

if TYPE_CHECKING:
    from gwcalc.analysis.econ_diff import EconDiff, EconOutputChange
    from gwcalc.analysis.econ_diff_years import EconYearsDiff
    from gwcalc.analysis.econ_explain import EconExplanation
    from gwcalc.uncertainty.econ_diff import EconDiffUncertainty


def input_source_text(step: Any) -> str:
    """An input's source, date and whether it is implied, on lines of their own."""
    p = step.parameter
    when = f", {p.source.date}" if p.source.date else ""
    implied = "\nimplied: no source states it (see its note)" if p.implied else ""
    return f"{cite_short(p.source)}{when}{implied}"


def inputs_rows(inputs: Iterable[Any]) -> Rows:
    """An explanation's inputs (each with .name and .parameter): value, range, source."""
    return Rows(
        ("input", "value", "range", "source"),
        [
            [i.name, format_quantity(i.parameter.quantity), range_text(i.parameter) or "—", src]
            for i, src in ((i, input_source_text(i)) for i in inputs)
        ],
        numeric=(1,),
    )


def print_econ_explanation(out: Any, result: EconExplanation) -> None:
    """`gwcalc explain` of an economics output: its inputs, then each output on the way."""
    aset = result.aset
    year = f" in {result.year}" if result.year is not None else ""
    out.print(plain(f"{result.output.label}, per GW of IT power{year} — {set_title(aset)}", "bold"))
    # rows_table: wraps at spaces only (never inside a word, number, unit or date); a table
    # that cannot fit so is stacked a row at a time
    out.print(rows_table("Inputs", inputs_rows(result.inputs), out.width))
    steps = Rows(
        ("output", "formula, then with the values", "= result"),
        [[s.output.name, f"{s.output.formula}\n= {s.substituted}", s.text] for s in result.steps],
        numeric=(2,),
    )
    out.print(rows_table("Steps", steps, out.width))
    print_caveats(out, aset)
    out.print(
        "Per GW of IT power for one year at steady state; the values put in each formula are "
        "in the model's units (each result's unit is beside it; --json gives every one). "
        "h = hour, 8,760 h = a year. Where costs (all-in $) meet revenue ($ of revenue) the "
        "result is in nominal dollars."
    )
    out.print(legend([i.parameter.quantity for i in result.inputs]))


def _change_table(title: str, first: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column(first, ratio=1, min_width=24)
    for column in ("A", "B", "change", "%"):
        table.add_column(column, justify="right", no_wrap=True)
    return table


def _add_change(table: Table, label: Text, o: EconOutputChange) -> None:
    """An output's row (A, B, change, %), then a row a part of its change."""
    table.add_row(label, *econ_change_texts(o))
    for p in o.parts:
        share = format_percent(p.share) if p.share is not None else "—"
        table.add_row(f"  {p.label}", "", "", econ_part_text(o.output, p.delta), share)
    if o.unsplit:
        table.add_row(plain(f"  {o.unsplit}", "italic"), "", "", "", "")


def print_econ_diff(out: Any, result: EconDiff) -> None:
    """diff's economics: each per-GW output in A and B, the parts of its change, the method;
    or, once, that only one set has the model's figures."""
    if not result.compared:
        out.print(plain(str(result.note)))
        return
    if not result.differs:
        out.print(plain(UNCHANGED))
    else:
        _print_per_gw_changes(out, result)
    if result.years is not None:
        print_econ_years_diff(out, result.years)


def _print_per_gw_changes(out: Any, result: EconDiff) -> None:
    title = "Economics per GW of IT power (a year at steady state), and what moved them"
    table = _change_table(title, "output (unit) / input")
    for o in result.outputs:
        unit = unit_label(Q_(1.0, o.output.unit).units) if not o.output.percent else ""
        name = plain(o.output.name.replace("_", " "), "bold")
        _add_change(table, name.append_text(plain(f" ({unit})" if unit else "")), o)
    out.print(table)
    out.print(
        f"Indented rows split each change by {result.method}. Where costs (all-in $) meet "
        "revenue ($ of revenue) the output is in nominal dollars."
    )


def print_econ_years_diff(out: Any, result: EconYearsDiff) -> None:
    """diff's revenue gap by year: each year's gaps (and what else changed) in A and B, the
    parts of each change; or the note saying why it is not compared."""
    if result.note is not None:
        out.print(plain(result.note))
        return
    if not result.differs:
        out.print(plain(YEARS_UNCHANGED))
        return
    title = "Revenue gap by year (the market, nominal $ a year), and what moved it"
    table = _change_table(title, "year / output / input")
    for year, c in econ_years_shown(result):
        _add_change(table, plain(f"{year} {c.output.name.replace('_', ' ')}", "bold"), c)
    out.print(table)
    out.print(
        "Amounts in USD_nominal/yr (AI revenue in USD_revenue/yr). Indented rows split each "
        f"change by {result.method}."
    )


def print_econ_diff_samples(out: Any, u: EconDiffUncertainty) -> None:
    """diff --samples: each per-GW economics output's p50 (p5 – p95) in A, in B and of B − A,
    as the gap's outputs are shown above it (no number or unit cut: rows_table)."""
    from gwcalc.report.diff_samples import (
        SPREAD,
        YEARS_SAMPLES_NOTE,
        econ_spreads,
        econ_years_samples_rows,
        samples_title,
        varied_line,
    )

    rows: list[list[Cell]] = []
    for name in u.change:
        o = u.outputs[name]
        unit = "" if o.percent else f" ({unit_label(Q_(1.0, o.unit).units)})"
        spreads = (text.replace(" (", "\n(", 1) for text in econ_spreads(name, u))
        rows.append([name.replace("_", " ") + unit, *spreads])
    title = f"{samples_title(u.samples, u.seed)}: economics per GW of IT power"
    # the spreads wrap at spaces (a numeric column never wraps; these would not fit in 80)
    table = Rows((f"output (unit), {SPREAD}", "A", "B", "B − A"), rows)
    out.print(rows_table(title, table, out.width))
    if u.years:
        years = econ_years_samples_rows(u)
        # the unit said below the table (every amount is USD_nominal/yr); spreads wrap
        split = [
            [
                row[0],
                str(row[1]).replace("_", " "),
                *(str(c).replace(" (", "\n(", 1) for c in row[3:]),
            ]
            for row in years.rows
        ]
        header = (years.header[0], years.header[1], *years.header[3:])
        title = f"{samples_title(u.samples, u.seed)}: revenue gap by year (the market)"
        out.print(rows_table(title, Rows(header, split), out.width))
        out.print(plain(YEARS_SAMPLES_NOTE))
    out.print(plain(varied_line(u.varied)))
