"""Any Rich table at the console's width with every number whole: text gives way, then it splits."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

NAME_FLOOR = 10  # a name, source or note folds inside a word no narrower than this
_NUMBER = re.compile(r"[(+\-−~≈<>$]*\d")
LONG_WORD = 30  # a longer word (a URL, a hash) folds before a table is split
_UNBOUNDED = 10_000
_WIDE_OR_SPACE = re.compile(
    r"\s+|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]"
)


def fitted(table: Table, console: Console, width: int) -> list[RenderableType]:
    """What to print for `table` at `width` columns, so that no number is cut or split.

    Rich squeezes a table too wide for the screen by cutting cells with '…' and folding any
    column, numbers included. Here, when the table does not fit as it is: text columns (names,
    sources, notes) wrap between words; then a right-aligned column that may wrap parts a
    number from its unit (the unit on the line below); then names fold inside a word (a long
    text keeps a quarter of its width, a number in it stays whole); numbers never: a column
    that must not wrap keeps its full width throughout. If that is still too wide, the columns
    are split across as few tables as will do, each repeating the first (the rows' names), the
    caption under the last; if even one column beside it does not fit, each row is stacked, a
    line a column."""
    if _natural(table, console) <= width:
        return [table]
    for stages in (1, 2, 3):
        widths = _widths(table, console, width, stages)
        if widths is not None:
            return [_with_widths(table, widths)]
    splits = [s for s in (_split(table, console, width, n) for n in (1, 2, 3)) if s]
    parts = min(splits, key=len) if splits else [_stacked(table, console, width)]
    parts[-1].caption, parts[-1].caption_justify = table.caption, table.caption_justify
    parts[-1].caption_style = table.caption_style  # the footnotes under the last part
    return list(parts)


def _measure(console: Console, renderable: RenderableType) -> Measurement:
    return Measurement.get(console, console.options.update_width(_UNBOUNDED), renderable)


def _natural(table: Table, console: Console) -> int:
    return _measure(console, table).maximum


def _frame(table: Table, console: Console) -> int:
    """The width of a table's borders and padding: a copy with each column one wide, less one
    a column."""
    frame = _like(table)
    for _ in table.columns:
        frame.add_column(width=1)
    return _natural(frame, console) - len(table.columns)


def _cells(table: Table, column: Column) -> list[RenderableType]:
    return [*([column.header] if table.show_header else []), *column.cells]


def _longest_word(console: Console, cell: RenderableType, numbers: bool = False) -> int:
    """The widest piece of a cell that cannot wrap: a word (CJK text breaks between any two
    characters, so it counts as one character's width); with `numbers`, the widest number
    (a word that starts with a digit: '2026-H2–2028*', '1.125M–1.29M')."""
    if not isinstance(cell, str | Text):
        return 0 if numbers else _measure(console, cell).minimum
    text = cell.plain if isinstance(cell, Text) else cell
    pieces = [w for w in _WIDE_OR_SPACE.split(text) if w and (not numbers or _NUMBER.match(w))]
    return max((cell_len(w) for w in pieces), default=0 if numbers else 2)


def _floors(table: Table, console: Console) -> tuple[list[int], list[list[int]]]:
    """Each column's natural width, and the three stages of how narrow it may go: text wraps
    between words; a number parts from its unit (in a right-aligned column that may wrap);
    names fold inside a word."""
    most, keep, words, figures = [], [], [], []
    for column in table.columns:
        cells = _cells(table, column)
        header_word = _longest_word(console, column.header) if table.show_header else 0
        full = max((_measure(console, c).maximum for c in column.cells), default=1)
        most.append(max(full, _measure(console, column.header).maximum if table.show_header else 0))
        keep.append(max(full, header_word))
        words.append(max((_longest_word(console, c) for c in cells), default=1))
        figures.append(max((_longest_word(console, c, numbers=True) for c in cells), default=0))
    for i, c in enumerate(table.columns):  # as Rich measures: at least min_width, then
        most[i] = max(most[i], c.min_width or 0)  # at most max_width (a number stays whole)
        most[i] = max(min(most[i], c.max_width or most[i]), keep[i] if c.no_wrap else 0)
    numeric = [c.no_wrap or c.justify == "right" for c in table.columns]
    text_floor = [
        keep[i] if numeric[i] else min(most[i], max(min(words[i], LONG_WORD), c.min_width or 0))
        for i, c in enumerate(table.columns)
    ]
    unit_floor = [  # a right-aligned column that may wrap: between a number and its unit
        min(keep[i], words[i]) if numeric[i] and not c.no_wrap else text_floor[i]
        for i, c in enumerate(table.columns)
    ]
    name_floor = [  # a long text (a note) keeps a quarter of its width, a number stays whole
        unit_floor[i]
        if numeric[i]
        else min(text_floor[i], max(NAME_FLOOR, most[i] // 4, figures[i]))
        for i in range(len(most))
    ]
    return most, [text_floor, unit_floor, name_floor]


def _widths(table: Table, console: Console, width: int, stages: int) -> list[int] | None:
    """Column widths within `width`, or None if the numbers cannot all stay whole in it: at
    each of the first `stages` stages (text wraps between words; numbers part from units;
    names fold inside a word) the widest column still above its floor gives up a character
    at a time."""
    most, floors_by_stage = _floors(table, console)
    budget = width - _frame(table, console)
    widths = list(most)
    for floors in floors_by_stage[:stages]:
        while sum(widths) > budget:
            over = [i for i, w in enumerate(widths) if w > floors[i]]
            if not over:
                break
            widths[max(over, key=lambda i: widths[i])] -= 1
        if sum(widths) <= budget:
            return widths
    return None


def _with_widths(table: Table, widths: Sequence[int]) -> Table:
    for column, w in zip(table.columns, widths, strict=True):
        column.width, column.min_width, column.max_width = w, None, None
        column.no_wrap, column.overflow = False, "fold"  # wide enough: only a header may wrap
    return table


def _split(table: Table, console: Console, width: int, stages: int) -> list[Table]:
    """The columns after the first in groups that fit, each group beside the first column."""
    count = len(table.columns)
    if count < 3:
        return []
    groups: list[list[int]] = [[]]
    for i in range(1, count):
        if (
            groups[-1]
            and _widths(_part(table, [0, *groups[-1], i]), console, width, stages) is None
        ):
            groups.append([])
        groups[-1].append(i)
    parts: list[Table] = []
    for group in groups:
        part = _part(table, [0, *group])
        widths = _widths(part, console, width, stages)
        if widths is None:
            return []
        parts.append(_with_widths(part, widths))
    return parts


def _like(table: Table, **changes: object) -> Table:
    """An empty table drawn as `table` is (box, padding, lines, styles), without its title."""
    settings: dict[str, object] = {
        name: getattr(table, name)
        for name in (
            "box",
            "safe_box",
            "padding",
            "collapse_padding",
            "pad_edge",
            "show_header",
            "show_footer",
            "show_edge",
            "show_lines",
            "leading",
            "style",
            "row_styles",
            "header_style",
            "footer_style",
            "border_style",
        )
    }
    settings.update(changes)
    return Table(**settings)  # type: ignore[arg-type]  # rich types each keyword separately


def _part(table: Table, indexes: Iterable[int]) -> Table:
    chosen = [table.columns[i] for i in indexes]
    part = _like(table)
    for c in chosen:
        part.add_column(
            c.header,
            justify=c.justify,
            style=c.style,
            header_style=c.header_style,
            no_wrap=c.no_wrap,
            overflow=c.overflow,
            min_width=c.min_width,
            max_width=c.max_width,
            vertical=c.vertical,
        )
    columns = [list(c.cells) for c in chosen]
    for n, row in enumerate(table.rows):
        part.add_row(*(cells[n] for cells in columns), style=row.style, end_section=row.end_section)
    return part


def _stacked(table: Table, console: Console, width: int) -> Table:
    """Each row as lines 'header  value', a rule between rows."""
    headers = [c.header for c in table.columns]
    head = min(max(_longest_word(console, h) for h in headers), max(width // 3, 1))
    stacked = _like(table, show_header=False, show_lines=False)
    stacked.add_column(style="bold", overflow="fold", width=head)
    stacked.add_column(overflow="fold", width=max(width - 7 - head, 1))
    columns = [list(c.cells) for c in table.columns]
    rows = len(table.rows)
    for n in range(rows):
        for i, header in enumerate(headers):
            last = i == len(headers) - 1
            stacked.add_row(header, columns[i][n], end_section=last and n < rows - 1)
    return stacked
