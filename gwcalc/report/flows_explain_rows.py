"""`gwcalc explain` of a flows output as rows (CSV, Markdown, the table) and -q lines: the flows
it reads, the figures they use, the steps with the values in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.report.flows import amount_text, vesting_text
from gwcalc.report.rows import Cell, Rows, range_text
from gwcalc.units.registry import format_quantity, unit_text

if TYPE_CHECKING:
    from gwcalc.analysis.flows_explain import FlowsExplanation
    from gwcalc.money.select import CountedFlow


def _span(c: CountedFlow) -> str:
    f = c.flow
    return str(f.start) if f.end is None else f"{f.start}–{f.end}"


def _amount(c: CountedFlow, year: int | None) -> str:
    """'32.59B USD_equity (100.0% vested: …)': the counted amount, and its vesting."""
    vesting = vesting_text(c, year)
    implied = " (implied)" if c.flow.implied else ""
    return amount_text(c.amount, c.unit) + implied + (f" ({vesting})" if vesting else "")


def flow_rows(result: FlowsExplanation) -> Rows:
    """Each flow the output reads: who pays whom, its kind, counted amount (and vesting), its
    schedule and status, its source."""
    header = ("flow", "from → to", "kind", "amount", "when, status", "source")
    rows: list[list[Cell]] = [
        [c.flow.name, f"{c.flow.payer} → {c.flow.payee}", c.flow.kind, _amount(c, result.year),
         f"{_span(c)}, {c.flow.status} {c.flow.status_date}", c.flow.source.cite()]
        for c in result.flows
    ]  # fmt: skip
    return Rows(header, rows, (3,))


def figure_rows(result: FlowsExplanation) -> Rows:
    """Each figure of the set the output reads (a share price): value, range, source."""
    rows: list[list[Cell]] = []
    for name in result.parameters:
        p = result.parameter(name)
        source = p.source.cite() + (" (implied: no source states it)" if p.implied else "")
        rows.append([name, format_quantity(p.quantity), range_text(p) or "—", source])
    return Rows(("figure", "value", "range", "source"), rows, (1,))


def step_rows(result: FlowsExplanation) -> Rows:
    rows: list[list[Cell]] = [
        [s.scope, s.name, s.formula, s.substituted, s.text] for s in result.steps
    ]
    return Rows(("for", "step", "formula", "with the values", "= result"), rows, (4,))


def steps_for_people(result: FlowsExplanation) -> Rows:
    """The steps in three columns (fits 80 columns): for what and the step, the formula then
    with the values, the result."""
    rows: list[list[Cell]] = [
        [f"{s.scope}\n{s.name}", f"{s.formula}\n= {s.substituted}", s.text] for s in result.steps
    ]
    return Rows(("for, step", "formula, then with the values", "= result"), rows, (2,))


def flows_explain_csv(result: FlowsExplanation) -> Rows:
    """A row a flow (kind flow), a figure (kind figure), then a step (kind step): its value
    as a number with its unit, its formula and the formula with the values in."""
    header = ("kind", "for", "name", "value", "unit", "low", "high", "formula", "with_values",
              "status", "source", "implied")  # fmt: skip
    rows: list[list[Cell]] = []
    for c in result.flows:
        f = c.flow
        rows.append(["flow", f"{f.payer} → {f.payee}", f.name, c.amount, c.unit, None, None,
                     f.kind, vesting_text(c, result.year) or None,
                     f"{f.status} {f.status_date}", f.source.cite(), f.implied])  # fmt: skip
    for name in result.parameters:
        p = result.parameter(name)
        r = p.range
        unit = unit_text(p.quantity.units)
        rows.append(["figure", None, name, p.value, unit, r.low if r else None,
                     r.high if r else None, None, None, None, p.source.cite(),
                     p.implied])  # fmt: skip
    for s in result.steps:
        unit = "" if s.output.percent else s.output.unit
        rows.append(["step", s.scope, s.name, s.value, unit, None, None, s.formula,
                     s.substituted, None, None, None])  # fmt: skip
    return Rows(header, rows, (3, 5, 6))


def flows_explain_markdown(result: FlowsExplanation) -> list[Rows | str]:
    return [
        f"**{title(result)}**",
        "**Flows**", flow_rows(result),
        "**Figures**", figure_rows(result) if result.parameters else "none",
        "**Steps**", step_rows(result),
        NOTE,
    ]  # fmt: skip


def flows_explain_quiet(result: FlowsExplanation) -> list[str]:
    """'round_trip_share 31.8% AMD': the output's name, its value, then whose (names last:
    they may hold spaces)."""
    return [f"{result.output.name} {result.text} {result.target}"]


def title(result: FlowsExplanation) -> str:
    year = f" in {result.year}" if result.year is not None else ""
    statuses = ", ".join(result.report.selection.statuses)
    return f"{result.label}{year} — {result.aset.label}; counted statuses: {statuses}"


NOTE = (
    "Gross, sent and round trip are nominal dollars (money the seller sent the buyer against "
    "money the buyer paid it); a flow's amount is in its own dollars, its counted part (the "
    "vested share, or with --year the part of that year). A warrant is worth shares × max(0, "
    "price − strike)."
)
