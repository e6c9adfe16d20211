"""Rich tables of `gwcalc flows`: round trips, sellers, money in and out, loops, the flows."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.table import Table

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import set_title
from gwcalc.report import flows as views
from gwcalc.report.rows import Cell, Rows
from gwcalc.sets.specs import FLOW_KINDS

if TYPE_CHECKING:
    from gwcalc.money.compute import FlowsReport
    from gwcalc.money.diff import FlowsDiff
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.flows import FlowsUncertainty


# a word that must not be split: a number ('32.59B', '31.8%') or a unit ('USD_contract', 'GW_IT')
UNBROKEN = re.compile(r"\d|USD|GW")


def rows_table(title: str, rows: Rows, width: int | None = None) -> Table:
    """A Rows view as a Rich table: text from the set file shown as written (no markup). Within
    `width` columns, numbers and units are never split: numeric columns do not wrap, and a
    column holding amounts is at least as wide as its longest number or unit; names and
    headers wrap."""
    table = Table(title=title, title_justify="left")
    widths = _fit(rows, width) if width is not None else None
    for i, name in enumerate(rows.header):
        numeric = i in rows.numeric
        table.add_column(
            name,
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=numeric and widths is None,
            width=None if widths is None else widths[i],
        )
    for row in rows.rows:
        table.add_row(*(plain("" if cell is None else str(cell)) for cell in row))
    return table


def _fit(rows: Rows, width: int) -> list[int] | None:
    """Widths of the columns within `width` (None: they fit as they are): the widest text
    column gives up a character at a time, never below its longest number or unit, nor, where
    there is room, its longest kind of flow ('cloud-contract'); names may wrap; numeric
    columns keep their width."""
    kinds = set(FLOW_KINDS)
    return (
        _shrink(rows, width, lambda w: True)  # every word whole, names too
        or _shrink(rows, width, lambda w: w.rstrip(";") in kinds)
        or _shrink(rows, width, None)
    )


def _shrink(rows: Rows, width: int, whole: Callable[[str], bool] | None) -> list[int] | None:
    """_fit, keeping the words `whole` picks whole too; None where that cannot fit (or where
    everything fits as it is)."""
    columns = list(zip(*([rows.header, *rows.rows]), strict=True))
    natural = [
        max(cell_len(line) for cell in col for line in str(cell or "").splitlines() or [""])
        for col in columns
    ]
    for i in rows.numeric:  # a numeric column's header wraps at its words, its cells never
        cells = [cell_len(str(c or "")) for c in columns[i][1:]]
        header = max(cell_len(w) for w in rows.header[i].split())
        natural[i] = max([header, *cells])
    least = []
    for i, col in enumerate(columns):
        words = [w for cell in col[1:] for w in str(cell or "").split()]
        unbroken = [
            cell_len(w)
            for w in words
            if i in rows.numeric or UNBROKEN.search(w) or (whole is not None and whole(w))
        ]
        least.append(max([min(natural[i], 6), *unbroken]))
    budget = width - 3 * len(columns) - 1  # a border and two spaces of padding a column
    widths = list(natural)
    while sum(widths) > budget:
        shrinkable = [i for i, w in enumerate(widths) if w > least[i] and i not in rows.numeric]
        if not shrinkable:
            return None if whole is not None else widths
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return None if widths == natural and whole is not None else widths


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
    from gwcalc.report.flows_diff import MONEY_BASIS, money_flow_rows, money_seller_rows

    flows = money_flow_rows(money)
    if flows.rows:
        out.print(rows_table("Money: flows that differ", flows, out.width))
    else:
        out.print(plain("Money: no flow differs"))
    out.print(rows_table("Money: round-trip share by seller", money_seller_rows(money), out.width))
    out.print(plain(MONEY_BASIS))


def print_flows_uncertainty(out: Any, u: FlowsUncertainty) -> None:
    """flows --samples: p5, p50 and p95 of each warrant's value and each round-trip share."""
    from gwcalc.report.flows_samples import uncertainty_rows

    title = f"Over {u.samples:,} samples of {', '.join(u.varied)} (seed {u.seed})"
    out.print(rows_table(title, uncertainty_rows(u), out.width))
