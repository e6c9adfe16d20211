"""Rich tables of `gwcalc flows`: round trips, sellers, money in and out, loops, the flows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import print_caveats, set_title
from gwcalc.report import flows as views
from gwcalc.report.rows import Cell, Rows

if TYPE_CHECKING:
    from gwcalc.money.compute import FlowsReport


def rows_table(title: str, rows: Rows) -> Table:
    """A Rows view as a Rich table: text from the set file shown as written (no markup)."""
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(rows.header):
        numeric = i in rows.numeric
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for row in rows.rows:
        table.add_row(*(plain("" if cell is None else str(cell)) for cell in row))
    return table


def _flows_for_people(rows: Rows) -> Rows:
    """The counted flows in four columns, each cell on lines (fits 80 columns): the flow, who
    pays whom, its kind and amount, its schedule and status (sources: JSON and Markdown)."""
    people: list[list[Cell]] = [
        [name, f"{payer} → {payee}", f"{kind}\n{amount}", f"{when}\n{status}"]
        for name, payer, payee, kind, amount, when, status, _ in rows.rows
    ]
    return Rows(("flow", "from → to", "kind, amount", "when, status"), people)


def print_flows(out: Any, report: FlowsReport) -> None:
    """Every table of the run, each after its heading; an empty one says 'none'."""
    sel = report.selection
    extra = [f"year {sel.year}" if sel.year is not None else "", sel.party or ""]
    scope = ", ".join(e for e in extra if e)
    out.print(plain(f"Money flows — {set_title(report.aset)}" + (f" ({scope})" if scope else "")))
    out.print(plain(f"Counted statuses: {', '.join(sel.statuses)}. {views.NOTE}"))
    for heading, rows in (
        ("Round trips: what buyer B paid seller S, and S's own money sent to B",
         views.round_trip_rows(report)),
        ("Sellers: round trip over all buyers", views.seller_rows(report)),
        ("Money in and out (nominal dollars)", views.party_rows(report)),
        ("Loops: circles of parties paying each other (the smallest edge)",
         views.loop_rows(report)),
        ("Counted flows", _flows_for_people(views.flow_rows(report))),
    ):  # fmt: skip
        if rows.rows:
            out.print(rows_table(heading, rows))
        else:
            out.print(plain(f"{heading}: none"))
        if heading.startswith("Loops") and rows.rows:
            out.print(plain(views.LOOPS_NOTE))
    for x in report.left_out:
        out.print(
            plain(f"Not counted: {x.flow.name} ({x.flow.payer} → {x.flow.payee}): {x.reason}")
        )
    print_caveats(out, report.aset)
