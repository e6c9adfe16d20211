"""What every Rich table shares: bars, legends, titles, caveats, a figure's value cell."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.table import Table

from gwcalc.cli.output import plain
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.units.registry import Q_, format_number, format_quantity, unit_text

if TYPE_CHECKING:
    from rich.text import Text

    from gwcalc.report.rows import Rows


BAR_WIDTH = 16
UNIT_MEANINGS = {
    "GW_IT": "GW of IT power",
    "W_IT": "W of IT power",
    "GW_facility": "GW of facility (grid) power",
    "W_facility": "W of facility power",
    "gpu": "accelerator package (as the set counts it: see its notes)",
    "die": "compute die",
    "USD_hw": "hardware-only US dollars",
    "USD_all_in": "all-in US dollars (hardware, buildings, power, cooling)",
    "USD_contract": "contract US dollars (what a buyer pays a cloud over a term)",
    "USD_equity": "investment US dollars (equity, warrants, loans, guarantees)",
    "USD_revenue": "revenue US dollars (what a seller books as revenue)",
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
    from gwcalc.sets.overrides import effects  # what each override did, e.g. to a series

    overrides = f", with --set {'; '.join(effects(aset))}" if aset.overrides else ""
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


def rows_table(title: str, rows: Rows) -> Table:
    """A Rows view as a Rich table: text from the set file shown as written (no markup)."""
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(rows.header):
        numeric = i in rows.numeric
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for row in rows.rows:
        table.add_row(*(plain("" if cell is None else str(cell)) for cell in row))
    return table
