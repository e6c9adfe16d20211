"""Rich tables shared by commands (imported only when a command draws for people)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.table import Table

from gwcalc.assumptions import AssumptionSet, Parameter
from gwcalc.cli.output import plain
from gwcalc.engine import Gap, OutputPlan
from gwcalc.outputs import Product
from gwcalc.report import basis_of, output_text

if TYPE_CHECKING:
    from pathlib import Path

    from rich.text import Text

    from gwcalc.api import ConvertResult
    from gwcalc.check import CheckReport
    from gwcalc.diff import SetDiff
    from gwcalc.sets_find import SetListing
from gwcalc.units import (
    Q_,
    format_number,
    format_percent,
    format_points,
    format_quantity,
    unit_text,
)

BAR_WIDTH = 16
UNIT_MEANINGS = {
    "GW_IT": "GW of IT power",
    "W_IT": "W of IT power",
    "GW_facility": "GW of facility (grid) power",
    "W_facility": "W of facility power",
    "gpu": "accelerator package (as the set counts it: see its notes)",
    "die": "compute die",
    "USD_hw": "hardware-only US dollars",
    "USD_all_in": "all-in US dollars (hardware, buildings, power; contract value)",
    "wafer": "CoWoS wafer",
    "yr": "year of 365.25 days",
}


def caveats(*sets: AssumptionSet) -> list[Text | Table]:
    """What is known to be wrong with the sets a result used: printed under every table that
    uses them (plain text from the files, never read as markup), each with a hanging indent."""
    parts: list[Text | Table] = []
    shown: list[tuple[str, tuple[str, ...]]] = []
    for aset in sets:
        if not aset.caveats or (aset.label, aset.caveats) in shown:  # a set once
            continue
        shown.append((aset.label, aset.caveats))
        parts.append(plain(f"Caveats of {aset.label}:", "bold yellow"))
        items = Table.grid(padding=(0, 1))
        items.add_column(no_wrap=True)
        items.add_column(overflow="fold")
        for caveat in aset.caveats:
            items.add_row("  -", plain(caveat))
        parts.append(items)
    return parts


def print_caveats(out: Any, *sets: AssumptionSet) -> None:
    """Print the sets' caveats, if any (the one place every table command calls)."""
    for part in caveats(*sets):
        out.print(part)


def set_title(aset: AssumptionSet) -> str:
    overrides = f", with --set {', '.join(dict.fromkeys(aset.overrides))}" if aset.overrides else ""
    return f"{aset.id} v{aset.version} ({aset.date}{overrides}), sha256 {aset.sha256[:12]}"


def legend(quantities: Iterable[Any]) -> str:
    """'Units: GW_IT = GW of IT power; …' for the units that appear in a result."""
    names: list[str] = []
    for q in quantities:
        for token in unit_text(q.units).replace("/", " ").split():
            base = next((u for u in UNIT_MEANINGS if token == u or token.endswith(u)), None)
            if base and base not in names and not (base.startswith("W_") and f"G{base}" in names):
                names.append(base)
    return "Units: " + "; ".join(f"{n} = {UNIT_MEANINGS[n]}" for n in names)


def parameters_table(aset: AssumptionSet, names: Iterable[str]) -> Table:
    """The parameters a result used, each with its value and source."""
    table = Table(title="Parameters used", title_justify="left")
    table.add_column("parameter", style="bold")
    table.add_column("value", justify="right")
    table.add_column("source (full text: gwcalc assumptions show)", overflow="fold")
    seen: list[str] = []
    for name in names:
        if name in seen or name not in aset:
            continue
        seen.append(name)
        param = aset.parameters[name]
        when = f", {param.source.date}" if param.source.date else ""
        implied = " (implied: no source states it)" if param.implied else ""
        value = format_quantity(param.quantity)
        if param.range is not None:  # '397.2k gpu/GW_IT\n(330k … 478k)'
            ends = (format_number(param.range.low), format_number(param.range.high))
            value += f"\n({ends[0]} … {ends[1]})"
        table.add_row(name, value, cite_short(param.source) + when + implied)
    return table


def bar_width(console_width: int) -> int:
    """Full bars from 80 columns up; short ones below, so the words beside them stay whole."""
    return BAR_WIDTH if console_width >= 80 else 6


def cite_short(source: Any) -> str:
    """'Publisher: title' (or the title alone) for one-line source columns."""
    return f"{source.publisher}: {source.title}" if source.publisher else str(source.title)


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """A text bar: '█████░░░░░' filled to the fraction (capped at 1, marked '▶' when over)."""
    filled = round(min(max(fraction, 0.0), 1.0) * width)
    return "█" * filled + "░" * (width - filled) + ("▶" if fraction > 1 else "")


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
    for out in shown:
        counts = out.output.counts or basis_of(out.quantity)
        table.add_row(_row_label(out), output_text(out), _bar_text(out, scale, width), counts)
    return table


def _product_how(out: OutputPlan, aset: AssumptionSet) -> str:
    """'450k wafer/yr … = 13.5 GW_IT/yr': a product output's arithmetic."""
    from gwcalc.report import chain_text

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

    from gwcalc.report import chain_text

    aset = results[0].aset
    first = results[0]
    what = format_quantity(first.input) if len(results) == 1 else f"{len(results)} quantities"
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

    from gwcalc.rows import output_change_texts
    from gwcalc.units import format_number

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
    if not result.differs:
        out.print("No parameter differs.")
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


def print_set(out: Any, aset: AssumptionSet) -> None:
    """`gwcalc assumptions show`: every parameter with its value, source and note."""
    out.print(aset.title, style="bold")
    out.print(set_title(aset))
    if aset.extends:
        out.print(f"extends {aset.extends}")
    if aset.description:
        out.print(aset.description)
    table = Table(show_lines=True)
    table.add_column("parameter", style="bold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("source and note", overflow="fold")
    for pname, param in aset.parameters.items():
        text = param.source.cite()
        if param.note:
            text += "\n" + param.note
        if param.implied:
            text = "IMPLIED: no source states this figure; the note gives the reasoning.\n" + text
        table.add_row(pname, value_cell(param), text)
    out.print(table)
    if aset.timeline is not None:
        from gwcalc.cli.render_timeline import print_time_axis

        print_time_axis(out, aset)
    print_caveats(out, aset)


def value_cell(param: Parameter, scaled: bool = False) -> str:
    """A figure's value, then its range and group if it has one: '389k gpu/GW_IT\n330k …\n
    451k gpu/GW_IT\n(pert bounds)' (scaled: the range is the parameter's, moved to a year)."""
    value = format_quantity(param.quantity)
    if param.range is None:
        return value
    units = param.quantity.units
    low, high = (format_quantity(Q_(v, units)) for v in (param.range.low, param.range.high))
    value += f"\n{low} …\n{high}\n({param.range.text()}{', scaled' if scaled else ''})"
    return value + (f"\ngroup {param.group}" if param.group else "")


def print_check(out: Any, report: CheckReport) -> None:
    """`gwcalc assumptions check`: one row per finding, then clean or not."""
    table = Table(title=f"check {set_title(report.aset)}", title_justify="left")
    table.add_column("level")
    table.add_column("parameters", overflow="fold")
    table.add_column("finding", overflow="fold")
    colour = {"error": "red", "warning": "yellow", "ok": "green"}
    for f in report.findings:
        table.add_row(plain(f.level, colour[f.level]), ", ".join(f.parameters), f.message)
    out.print(table)
    print_caveats(out, report.aset)
    out.print("clean" if report.clean else "NOT clean: see the errors above")


def print_set_list(out: Any, listing: SetListing) -> None:
    """`gwcalc assumptions list`: each set and its folder, the unreadable files' errors and the
    folders searched."""
    from rich import box

    table = Table(
        title="Assumption sets (first of a name wins)", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("name", no_wrap=True)
    table.add_column("version", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("parameters", justify="right", no_wrap=True)
    table.add_column("from", ratio=1, min_width=17)  # a folder's short name: paths come below
    labels = folder_labels(listing.dirs)
    unreadable: list[str] = []
    for listed in listing.sets:
        item, path = listed.item, listed.path
        name = listed.ref + (" (default)" if listed.default else "")
        where = labels.get(path.parent, str(path.parent))
        if not isinstance(item, AssumptionSet):
            table.add_row(name, "", "", "", f"{where}: unreadable (see below)", style="red")
            unreadable.append(f"  {path.stem}: {item.message}")
            continue
        where += "" if item.id == listed.ref.split("@")[0] else f" (id {item.id})"
        table.add_row(name, str(item.version), item.date, str(len(item.parameters)), where)
    out.print(table)
    lines = [f"  {labels[d]}: {d}" for d in listing.dirs]
    for title, text in (("Unreadable:", unreadable), ("Searched, in this order:", lines)):
        if text:  # soft_wrap: a path is never broken across lines
            out.print(title + "\n" + "\n".join(text), soft_wrap=True, markup=False)


def folder_labels(dirs: list[Path]) -> dict[Path, str]:
    """A short name for each search folder, as `assumptions list` shows it."""
    from pathlib import Path

    from gwcalc.paths import user_sets_dir
    from gwcalc.sets_find import bundled_dir

    def same(a: Path, b: Path) -> bool:
        try:
            return a.resolve() == b.resolve()
        except (OSError, RuntimeError, ValueError):
            return False

    labels: dict[Path, str] = {}
    for d in dirs:
        if same(d, bundled_dir()):
            labels[d] = "bundled"
        elif same(d, Path("assumptions")):
            labels[d] = "./assumptions"
        elif same(d, user_sets_dir()):
            labels[d] = "your folder"
        else:
            labels[d] = "--assumptions-dir"
    return labels
