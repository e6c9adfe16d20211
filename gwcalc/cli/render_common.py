"""What every Rich table shares: bars, legends, titles, caveats, a figure's value cell."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from rich.cells import cell_len
from rich.table import Table

from gwcalc.cli.output import plain
from gwcalc.report import titles
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.units.registry import Q_, format_number, format_quantity, unit_text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
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


SET_OVERRIDES = "with --set"  # how a title introduces the run's overrides


def set_title(aset: AssumptionSet) -> str:
    return titles.set_title(aset, SET_OVERRIDES)


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


def rows_table(title: str, rows: Rows, width: int | None = None) -> FittedRows:
    """A Rows view as a Rich renderable: text from the set file shown as written (no markup),
    fitted to `width` columns (None: the width it is printed at). No word is ever split where
    a wrap at spaces is possible, and no number or unit at all: the columns wrap between
    words, each at least as wide as its longest word (then, if need be, without the space
    inside the outer borders); where even that cannot fit, each row is stacked (one line a
    column: header, then value) instead."""
    return FittedRows(title, rows, width)


class FittedRows:
    """rows_table's renderable: the table, or its rows stacked, chosen at the width printed."""

    def __init__(self, title: str, rows: Rows, width: int | None) -> None:
        self.title, self.rows, self.width = title, rows, width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = self.width if self.width is not None else options.max_width
        widths = _fit(self.rows, width)
        if widths != "stack":
            yield _table(self.title, self.rows, widths)
            return
        tight = _fit(self.rows, width + 2)  # without the space inside each outer border
        if tight != "stack":
            yield _table(self.title, self.rows, tight, pad_edge=False)
            return
        yield _stacked(self.title, self.rows, width)


def _table(title: str, rows: Rows, widths: list[int] | None, pad_edge: bool = True) -> Table:
    table = Table(title=title, title_justify="left", pad_edge=pad_edge)
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


def natural_width(rows: Rows) -> int:
    """The width a table of these rows takes with no cell wrapped (borders and padding too)."""
    columns = list(zip(*([rows.header, *rows.rows]), strict=True))
    widths = [
        max(cell_len(line) for cell in col for line in str(cell or "").splitlines() or [""])
        for col in columns
    ]
    return sum(widths) + 3 * len(columns) + 1


def _stacked(title: str, rows: Rows, width: int) -> Table:
    """Each row as lines 'header  value', a rule between rows: for widths where the columns
    side by side cannot keep every word whole."""
    header_words = max((_longest_word(h) for h in rows.header), default=1)
    head = min(max(cell_len(h) for h in rows.header), max(header_words, (width - 7) // 3))
    table = Table(title=title, title_justify="left", show_header=False, show_lines=False)
    table.add_column(style="bold", overflow="fold", width=head)
    table.add_column(overflow="fold", width=max(width - 7 - head, 1))
    for row in rows.rows:
        for i, (name, cell) in enumerate(zip(rows.header, row, strict=True)):
            table.add_row(
                plain(name),
                plain("" if cell is None else str(cell)),
                end_section=i == len(row) - 1,
            )
    return table


def _longest_word(text: object) -> int:
    return max((cell_len(w) for w in str(text or "").split()), default=0)


def _fit(rows: Rows, width: int) -> list[int] | Literal["stack"] | None:
    """Widths of the columns within `width` (None: they fit as they are; "stack": they cannot,
    even with every column as narrow as its longest word): the widest text column gives up a
    character at a time, never below its longest word; numeric columns keep their width."""
    columns = list(zip(*([rows.header, *rows.rows]), strict=True))
    natural = [
        max(cell_len(line) for cell in col for line in str(cell or "").splitlines() or [""])
        for col in columns
    ]
    budget = width - 3 * len(columns) - 1  # a border and two spaces of padding a column
    if sum(natural) <= budget:
        return None  # every header and cell on one line
    for i in rows.numeric:  # a numeric column's header wraps at its words, its cells never
        cells = [cell_len(str(c or "")) for c in columns[i][1:]]
        natural[i] = max([_longest_word(rows.header[i]), *cells])
    least = [max(1, *(_longest_word(cell) for cell in col)) for col in columns]  # header too
    widths = list(natural)
    while sum(widths) > budget:
        shrinkable = [i for i, w in enumerate(widths) if w > least[i] and i not in rows.numeric]
        if not shrinkable:
            return "stack"
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths
