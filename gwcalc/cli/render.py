"""Rich tables of `gwcalc gap`, `convert` and `diff` (imported only when a command draws)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import (
    bar,
    bar_width,
    legend,
    parameters_table,
    print_caveats,
    rows_table,
    set_title,
)
from gwcalc.engine.outputs import Product
from gwcalc.engine.plan import Gap, OutputPlan
from gwcalc.report.documents import GAP_DEMAND_NOTE, basis_of, output_text
from gwcalc.sets.assumption_set import AssumptionSet

if TYPE_CHECKING:
    from gwcalc.analysis.diff import SetDiff
    from gwcalc.api import ConvertResult
from gwcalc.units.registry import (
    format_number,
    format_percent,
    format_points,
    format_quantity,
    unit_text,
)

# ---------------------------------------------------------------- commands' tables


def _given_label(out: OutputPlan) -> str:
    """'demand (--demand)': an output whose start quantity the run gave on the command line."""
    return f"{out.name.replace('_', ' ')} (--{out.name.replace('_', '-')})"


def _row_label(out: OutputPlan) -> str:
    return _given_label(out) if out.given else out.output.label


def _bar_text(out: OutputPlan, scale: float, width: int) -> str:
    value = float(out.quantity.magnitude)
    if out.output.bar == "scale":
        return bar(value / scale if scale else 0.0, width)
    return bar(value, width) if out.output.bar == "fraction" else ""


def gap_table(gap: Gap, console_width: int = 80) -> Table:
    """Each output of the gap: value, bar and what it counts (narrower bars and wrapped labels
    below 80 columns, so that no word is cut)."""
    shown = gap.shown
    scale = max((float(o.quantity.magnitude) for o in shown if o.output.bar == "scale"), default=0)
    title = f"Supply vs contracted demand — {set_title(gap.plan.aset)}"
    width = bar_width(console_width)
    table = Table(title=title, title_justify="left")
    table.add_column("", max_width=None if console_width >= 80 else 10)  # narrow: labels wrap
    table.add_column("value", justify="right", style="bold", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("what it counts", ratio=1, min_width=11)
    bars = [_bar_text(out, scale, width) for out in shown]
    if console_width < 80 and any(b.endswith("▶") for b in bars):
        # a bar past 100% ends in '▶', a cell of its own: narrow, the bars give it up
        bars = [_bar_text(out, scale, width - 1) for out in shown]
    for out, bar_text in zip(shown, bars, strict=True):
        counts = out.output.counts or basis_of(out.quantity)
        table.add_row(_row_label(out), output_text(out), bar_text, counts)
    return table


def _product_how(out: OutputPlan, aset: AssumptionSet) -> str:
    """'450k wafer/yr … = 13.5 GW_IT/yr': a product output's arithmetic."""
    from gwcalc.report.documents import chain_text

    assert out.start is not None
    rule = out.output.rule
    starts = () if out.given or not isinstance(rule, Product) else rule.start
    if len(starts) > 1:
        lead = " × ".join(f"{format_quantity(aset.quantity(n))} ({n})" for n in starts) + " = "
        return lead + chain_text(out.start, out.steps, aset, out.quantity)
    label = starts[0] if starts else ""
    return chain_text(out.start, out.steps, aset, out.quantity, label)


def gap_how(gap: Gap) -> Table:
    """'How:' lines: the arithmetic of each product output the table shows."""
    how = Table.grid(padding=(0, 1))
    how.add_column(no_wrap=True)
    how.add_column(overflow="fold")
    for out in gap.shown:
        if isinstance(out.output.rule, Product):
            how.add_row(f"  {_row_label(out)} =", _product_how(out, gap.plan.aset))
    return how


def print_gap(out: Any, gap: Gap) -> None:
    """`gwcalc gap`'s tables: the outputs, how they were computed, units and sources."""
    aset = gap.plan.aset
    products = [o for o in gap.shown if isinstance(o.output.rule, Product)]
    used = [f.parameter for o in products for f in o.factors]
    out.print(gap_table(gap, out.width))
    out.print(plain(GAP_DEMAND_NOTE))
    print_caveats(out, aset)
    out.print("How:")
    out.print(gap_how(gap))
    starts = [o.start for o in reversed(products) if o.start is not None]
    rates = [aset.quantity(n) for n in used if n in aset]
    out.print(legend([*(o.quantity for o in products), *starts, *rates]))
    out.print(parameters_table(aset, used))


def print_conversions(out: Any, results: list[ConvertResult], targets_given: bool) -> None:
    """`gwcalc convert`'s tables: each result with its chain, then units and sources once."""
    from dataclasses import replace

    from gwcalc.report.documents import chain_text

    aset = results[0].aset
    first = results[0]
    what = format_quantity(first.input) if len(results) == 1 else f"{len(results)} quantities"
    if len(results) == 1 and first.interval is not None:
        what = f"{first.interval.text} (at its median, {what})"
    what += f" ({first.chip} packages)" if len(results) == 1 and first.chip else ""
    table = Table(title=f"{what} — {set_title(aset)}", title_justify="left")
    table.add_column("result", justify="right", style="bold")
    table.add_column("counts")
    table.add_column("chain (check the arithmetic)", overflow="fold")
    for result in results:
        q = result.input
        for conv in result.conversions:
            if not targets_given and not conv.steps and conv.result.units == q.units:
                continue  # the input itself, unchanged
            table.add_row(
                format_quantity(conv.result),
                basis_of(conv.result),
                chain_text(q, conv.steps, result.rates, conv.result),
            )
    out.print(table)
    for chip in dict.fromkeys(r.chip for r in results if r.chip):
        out.print(f"gpu here = a {chip} package: the chains use {chip}'s own figures")
    print_caveats(out, aset)
    rates = replace(aset, parameters={n: p for r in results for n, p in r.rates.parameters.items()})
    used = [name for result in results for conv in result.conversions for name in conv.path]
    quantities = [q for r in results for q in (r.input, *r.results)]
    out.print(legend([*quantities, *(rates.quantity(n) for n in used)]))
    if used:
        out.print(parameters_table(rates, used))


def _pct(value: float | None) -> str:
    return "—" if value is None else format_points(value, sign=True)


def diff_outputs_table(result: SetDiff) -> Table:
    """Each output in A and B, and (for those marked so) which parameter moved it."""
    from rich import box

    from gwcalc.report.rows import output_change_texts

    table = Table(title="Outputs, and what moved them", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("output (unit) / parameter", ratio=1, min_width=24)
    for column in ("A", "B", "change", "%"):
        table.add_column(column, justify="right", no_wrap=True)
    for o in result.output_changes:
        unit = unit_text(o.before.units)
        unit = "" if unit == "dimensionless" else f" ({unit})"
        name = plain(o.name if "->" in o.name else o.name.replace("_", " "), "bold")
        table.add_row(
            name.append_text(plain(unit)),
            *output_change_texts(o),  # a ratio as gap shows it (27.0%), its change in points
        )
        if o.output is None or not o.output.attributed_in_table:
            continue
        for part in o.attribution:
            label = (
                "  chain change:\n" + "\n".join(f"    {n}" for n in part.parameters)
                if part.chain_change
                else f"  {part.label}"
            )
            share = format_percent(part.share) if part.share is not None else "—"
            table.add_row(label, "", "", format_number(float(part.delta.magnitude), 3), share)
    return table


def diff_parameter_tables(result: SetDiff) -> tuple[Table, Table]:
    """The parameters that differ (A, B, change), and their sources."""
    from rich import box

    table = Table(title="Parameters that differ", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("parameter", style="bold", no_wrap=True, min_width=21)
    table.add_column("A", justify="right", overflow="fold")
    table.add_column("B", justify="right", overflow="fold")
    table.add_column("change", justify="right", no_wrap=True, min_width=9)
    sources = Table(title="Their sources", title_justify="left", box=box.SIMPLE_HEAD)
    sources.add_column("parameter", style="bold", no_wrap=True, min_width=21)
    sources.add_column("A", ratio=1, overflow="fold")
    sources.add_column("B", ratio=1, overflow="fold")
    for ch in result.parameter_changes:
        a = format_quantity(ch.before.quantity) if ch.before else "—"
        b = format_quantity(ch.after.quantity) if ch.after else "—"
        change = _pct(ch.change_pct) if ch.status == "changed" else ch.status
        if ch.status == "changed" and ch.change_pct is None:
            change = "new basis"
        table.add_row(ch.name, a, b, change)
        src_a = ch.before.source.cite() if ch.before else "—"
        src_b = ch.after.source.cite() if ch.after else "—"
        sources.add_row(ch.name, src_a, "same" if src_a == src_b else src_b)
    return table, sources


def print_diff(out: Any, result: SetDiff) -> None:
    """`gwcalc diff`'s tables: the sets, the outputs and what moved them, the parameters."""
    out.print(plain("A", "bold"), set_title(result.before))
    out.print(plain("B", "bold"), set_title(result.after))
    out.print(diff_outputs_table(result))
    print_caveats(out, result.before, result.after)
    if result.money is not None:
        from gwcalc.cli.render_flows import print_money_diff

        print_money_diff(out, result.money)
    if result.range_changes:
        out.print(
            "Same value, another range (no point output moves; --samples draws differ): "
            + ", ".join(result.range_changes)
        )
    if not result.parameter_changes:  # nothing to split, no parameter to list (said once)
        out.print(
            "No parameter's value differs." if result.range_changes else "No parameter differs."
        )
        _print_deals(out, result)
        return
    note = (
        "Indented rows split each change; % is their share of it, and the parts add up "
        "exactly (LMDI-I). Parts for coverage and years to cover: --json."
    )
    if any(p.chain_change for o in result.output_changes for p in o.attribution):
        note += (
            " A chain change groups parameters that change how the chain runs (e.g. "
            "hardware → all-in dollars): their separate shares would depend on the units."
        )
    out.print(note)
    out.print(legend([o.before for o in result.output_changes]))
    for table in diff_parameter_tables(result):
        out.print(table)
    _print_deals(out, result)


def _print_deals(out: Any, result: SetDiff) -> None:
    """The deals that differ (name-matched), after the parameters: none, nothing printed."""
    if result.deals:
        from gwcalc.report.deals_diff import deal_rows

        out.print(rows_table("Deals that differ", deal_rows(result.deals), out.width))
