"""Rich tables of `gwcalc flows`: round trips, sellers, money in and out, loops, the flows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import rows_table, set_title
from gwcalc.report import flows as views
from gwcalc.report.rows import Cell, Rows

if TYPE_CHECKING:
    from gwcalc.money.compute import FlowsReport
    from gwcalc.money.diff import FlowsDiff
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.flows import FlowsUncertainty


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
    out.print(plain(f"Counted statuses: {', '.join(sel.statuses)}. {views.note(report)}"))
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
            out.print(rows_table(heading, rows, out.width))
        else:
            out.print(plain(f"{heading}: none"))
        if heading.startswith("Loops") and rows.rows:
            out.print(plain(views.LOOPS_NOTE))
    for x in report.left_out:
        out.print(
            plain(f"Not counted: {x.flow.name} ({x.flow.payer} → {x.flow.payee}): {x.reason}")
        )
    print_flow_caveats(out, report.aset)


def print_flow_caveats(out: Any, aset: AssumptionSet) -> None:
    """The caveats about the set's money ([timeline] flow_caveats), not its caveats, which
    concern supply and demand: those are named, not printed."""
    assert aset.timeline is not None
    money = aset.timeline.flow_caveats
    if money:
        out.print(plain(f"Caveats of {aset.label}'s money:"))
        for caveat in money:
            out.print(plain(f"  - {caveat}"))
    if aset.caveats:
        out.print(
            plain(
                f"{aset.label}'s {len(aset.caveats)} caveats concern its supply and demand "
                "(gwcalc assumptions show)"
                + ("" if money else "; it gives none for its money ([timeline] flow_caveats)")
            )
        )


def flows_detail(aset: AssumptionSet) -> Table:
    """`assumptions show`'s flows: each with its terms (who pays whom, kind, amount, when,
    status and its date, the deal it is, its history and conditions) and its source."""
    assert aset.timeline is not None
    table = Table(title="Flows of money", title_justify="left", show_lines=True)
    table.add_column("flow", style="bold", overflow="fold")
    table.add_column("terms", overflow="fold")
    table.add_column("source and note", overflow="fold", ratio=2)
    for f in aset.timeline.flows:
        amount = f.amount_text
        if f.warrant is not None:
            w = f.warrant
            amount = f"{w.shares:,.0f} shares × ({w.share_price} − {w.strike_text})"
            amount += "" if f.vesting is not None else ", if fully vested"
        if f.vesting is not None:
            v = f.vesting
            step = f" in steps of {v.step_text}" if v.step_text else " pro rata"
            amount = f"{amount}, vesting{step} with the GW delivered under {v.deal}"
            amount += f" (in full at {v.full_text})"
        span = str(f.start) if f.end is None or f.end == f.start else f"{f.start}–{f.end}"
        terms = f"{f.payer} → {f.payee}, {f.kind}, {amount}; {span}; {f.status} {f.status_date}"
        terms += f"; the deal {f.deal}" if f.deal else ""
        terms += "".join(f"; {h}" for h in f.history)
        terms += f"; conditions: {f.conditions}" if f.conditions else ""
        source = f.source.cite() + (" (implied: no source states it)" if f.implied else "")
        note = f"{source}. {f.note}" if f.note else source
        table.add_row(plain(f.name), plain(terms), plain(note))
    return table


def print_money_diff(out: Any, money: FlowsDiff) -> None:
    """diff's money: the flows that differ, each seller's round-trip share in A and B."""
    from gwcalc.report import flows_diff as fd

    flows = fd.money_flow_rows(money)
    if flows.rows:
        out.print(rows_table("Money: flows that differ", flows, out.width))
    else:
        out.print(plain("Money: no flow differs"))
    sellers, line = fd.money_seller_rows(money), fd.unchanged_sellers_line(money)
    if sellers.rows:
        out.print(rows_table(fd.SELLERS_TITLE, sellers, out.width))
    if line is not None:
        out.print(plain(line))
    out.print(plain(fd.MONEY_BASIS))


def print_flows_uncertainty(out: Any, u: FlowsUncertainty) -> None:
    """flows --samples: p5, p50 and p95 of each warrant's value and each round-trip share."""
    from gwcalc.report.flows_samples import samples_title, uncertainty_rows

    out.print(rows_table(samples_title(u), uncertainty_rows(u), out.width))
