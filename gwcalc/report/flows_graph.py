"""`gwcalc flows` as a graph: Graphviz DOT and Mermaid. Nodes are parties (sized by the money
they moved, in and out), edges are counted flows labelled with kind and amount, styled by kind:
investment (equity, warrant, loan, guarantee) dashed, payments (orders, contracts, rent) solid."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gwcalc.report.flows import amount_text
from gwcalc.sets.figures import OVERRIDE_SOURCE
from gwcalc.sets.overrides import overridden_quantity, value_text
from gwcalc.units.registry import format_number, format_quantity

if TYPE_CHECKING:
    from gwcalc.money.compute import FlowsReport
    from gwcalc.money.select import CountedFlow
    from gwcalc.sets.assumption_set import AssumptionSet

# kind -> colour (the same in both formats)
COLOURS = {
    "equity": "#1f77b4",
    "warrant": "#9467bd",
    "loan": "#17becf",
    "capacity-guarantee": "#8c564b",
    "chip-order": "#2ca02c",
    "cloud-contract": "#ff7f0e",
    "rental": "#bcbd22",
    "revenue": "#d62728",
}


def parties_moved(report: FlowsReport) -> list[tuple[str, float]]:
    """Every party of the shown flows with the money it moved (nominal dollars), in order."""
    moved: dict[str, float] = {}
    for c in report.counted:
        for party in (c.flow.payer, c.flow.payee):
            moved[party] = moved.get(party, 0.0) + c.nominal
    return sorted(moved.items())


def graph_title(report: FlowsReport) -> str:
    """What a saved graph shows, in one line: the set (version, date, hash), the party and year
    chosen, the statuses counted and every --set override with its value, so that two graphs
    of different runs can be told apart ('… amd_share_price = 600 USD_equity/share (set)')."""
    aset, sel = report.aset, report.selection
    parts = [f"{aset.label} ({aset.date}), sha256 {aset.sha256[:12]}: counted flows (nominal $)"]
    parts.append(f"party {sel.party}" if sel.party is not None else "every party")
    parts.append(f"year {sel.year}" if sel.year is not None else "every year")
    parts.append("statuses " + ", ".join(sel.statuses))
    parts += [f"{name} = {_set_value(aset, name)} (set)" for name in dict.fromkeys(aset.overrides)]
    return "; ".join(parts)


def _set_value(aset: AssumptionSet, name: str) -> str:
    """An override's value as set: '600 USD_equity/share', or its range '1M..2M wafer/yr (…)'."""
    if name in aset.parameters and aset.parameters[name].source.title == OVERRIDE_SOURCE:
        return value_text(aset.parameters[name])
    return format_quantity(overridden_quantity(aset, name))


def edge_label(c: CountedFlow) -> str:
    return f"{c.flow.kind} {amount_text(c.amount, c.unit)}"


def _dot_text(text: str) -> str:
    """A DOT string's contents: backslashes and quotes escaped, line breaks as spaces."""
    flat = " ".join(text.splitlines())
    return flat.replace("\\", "\\\\").replace('"', '\\"')


def flows_dot(report: FlowsReport) -> str:
    """A Graphviz digraph: `gwcalc flows --format dot | dot -Tsvg > flows.svg`."""
    parties = parties_moved(report)
    largest = max((m for _, m in parties), default=0.0) or 1.0
    lines = [
        "digraph flows {",
        f'  label="{_dot_text(graph_title(report))}";',
        "  labelloc=t;",
        "  rankdir=LR;",
        '  node [shape=circle, fixedsize=true, fontsize=10, style=filled, fillcolor="#f2f2f2"];',
        "  edge [fontsize=9];",
    ]
    for party, moved in parties:  # area proportional to money moved: width ∝ its square root
        width = 0.6 + 1.8 * math.sqrt(moved / largest)
        name = _dot_text(party)
        lines.append(f'  "{name}" [label="{name}\\n{format_number(moved)}", width={width:.2f}];')
    for c in report.counted:
        style = "dashed" if c.flow.investment else "solid"
        colour = COLOURS[c.flow.kind]
        lines.append(
            f'  "{_dot_text(c.flow.payer)}" -> "{_dot_text(c.flow.payee)}" '
            f'[label="{_dot_text(edge_label(c))}", style={style}, color="{colour}", '
            f'fontcolor="{colour}"];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Text inside a Mermaid quoted label: quotes and the characters Mermaid reads as syntax
    written as entity codes, line breaks as spaces."""
    flat = " ".join(text.splitlines())
    for char, code in (
        ("#", "#35;"),
        ('"', "#quot;"),
        ("|", "#124;"),
        ("<", "#lt;"),
        (">", "#gt;"),
    ):
        flat = flat.replace(char, code)
    return flat


def flows_mermaid(report: FlowsReport) -> str:
    """A Mermaid flowchart (paste into Markdown inside ```mermaid)."""
    parties = parties_moved(report)
    ids = {party: f"p{i}" for i, (party, _) in enumerate(parties)}
    title = graph_title(report).replace("\\", "\\\\").replace('"', '\\"')
    lines = ["---", f'title: "{title}"', "---", "flowchart LR"]
    for party, moved in parties:  # Mermaid cannot size a node: its money is in its label
        lines.append(f'  {ids[party]}["{_mermaid_text(party)}<br/>{format_number(moved)}"]')
    styles = []
    for i, c in enumerate(report.counted):
        arrow = "-.->" if c.flow.investment else "-->"
        label = _mermaid_text(edge_label(c))
        lines.append(f'  {ids[c.flow.payer]} {arrow}|"{label}"| {ids[c.flow.payee]}')
        styles.append(f"  linkStyle {i} stroke:{COLOURS[c.flow.kind]}")
    return "\n".join(lines + styles) + "\n"
