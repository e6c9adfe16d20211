"""The plain-text formats besides tables and JSON: CSV, Markdown, JSON Lines and -q lines."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from gwcalc.cli.options import QUIET
from gwcalc.cli.output import flush, json_text, reader_gone, safe_text, write
from gwcalc.errors import GwcalcError
from gwcalc.units.chips import chip_unit

if TYPE_CHECKING:  # imported by the commands that print data, --json ones too: kept light
    from gwcalc.engine.stream import Converted, UnitPlan
    from gwcalc.report.rows import Cell, Rows

BATCH = 1024  # lines written at a time at most (and all that are ready before a wait for input)


def csv_lines(rows: Iterable[Sequence[Cell]]) -> str:
    """Rows as CSV (the stdlib's quoting, '\\n' line ends; None is an empty cell)."""
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(map(_plain, rows))
    return safe_text(buffer.getvalue())


def _plain(row: Sequence[Cell]) -> list[str | float | int]:
    """None as an empty cell, True and False as 'true' and 'false' (as JSON writes them)."""
    return ["" if c is None else str(c).lower() if isinstance(c, bool) else c for c in row]


def _md_cell(cell: Cell) -> str:
    text = str(_plain([cell])[0])
    return (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")
    )


def markdown_lines(rows: Iterable[Sequence[Cell]]) -> str:
    """Rows of a GitHub Markdown table ('|' escaped, line breaks as <br>)."""
    return safe_text("".join("| " + " | ".join(map(_md_cell, row)) + " |\n" for row in rows))


def markdown_header(header: Sequence[str], right: Iterable[int] = ()) -> str:
    """A Markdown table's header row and its delimiter row (right-aligned columns by index)."""
    aligned = set(right)
    rule = ["---:" if i in aligned else "---" for i in range(len(header))]
    return markdown_lines([header]) + "| " + " | ".join(rule) + " |\n"


def emit_document(fmt: str, document: Callable[[], dict[str, Any]]) -> bool:
    """Check the result's document, from which every format is made, then write it for
    --format json (indented) or jsonl (one line); False for any other format (then emit, which
    needs gwcalc.report.rows, not imported for JSON). Every command's result passes through here
    before anything is printed: a number no float carries (inf, NaN, subnormal) in any part of
    it is an error, whatever the format."""
    from gwcalc.report.output_range import check_document

    checked = check_document(document())
    if fmt not in ("json", "jsonl"):
        return False
    write(json_text(checked, 2 if fmt == "json" else None) + "\n")
    return True


def emit(
    fmt: str,
    csv_rows: Callable[[], Rows],
    markdown: Callable[[], Sequence[Rows | str]],
    quiet: Callable[[], list[str]],
) -> bool:
    """Write a result as CSV, Markdown (tables, and paragraphs given as text) or -q lines,
    from whichever view that format needs; False for 'table', which the command draws with
    Rich."""
    if fmt == "csv":
        rows = csv_rows()
        write(csv_lines([rows.header, *rows.rows]))
    elif fmt == "markdown":
        parts = markdown()
        write("\n".join(p + "\n" if isinstance(p, str) else markdown_table(p) for p in parts))
    elif fmt == QUIET:
        emit_lines(quiet())
    else:
        return False
    return True


def markdown_table(rows: Rows) -> str:
    return markdown_header(rows.header, rows.numeric) + markdown_lines(rows.rows)


def emit_lines(lines: Iterable[str]) -> None:
    """-q output: one result a line."""
    write("".join(safe_text(line) + "\n" for line in lines))


def error_document(exc: GwcalcError) -> dict[str, Any]:
    from gwcalc.report.documents import envelope

    return envelope("error", error=exc.to_dict())


CONVERT_HEADER = ("input_value", "input_unit", "value", "unit", "path")


class ConvertStream:
    """Writes converted inputs one by one as JSON Lines, CSV, Markdown or -q lines. JSON Lines
    are built from a template per input unit (json_text of its first document, with the
    numbers left out), so each line is that document with this input's numbers."""

    def __init__(self, fmt: str, targets_given: bool) -> None:
        import csv

        self.fmt, self.targets_given = fmt, targets_given
        self.gone = False  # stdout's reader went away
        self.pending: list[str] = []  # text ready to write, in pieces
        self.count = 0  # inputs pending
        self.csv_buffer = io.StringIO()
        self.csv = csv.writer(self.csv_buffer, lineterminator="\n")
        self.templates: dict[UnitPlan, list[str] | None] = {}
        self.writers = {
            "json": self._json,
            "jsonl": self._json,
            "csv": self._csv,
            "markdown": self._markdown,
            QUIET: self._quiet,
        }
        if fmt == "csv":
            self.csv.writerow(CONVERT_HEADER)
        elif fmt == "markdown":
            self.pending.append(markdown_header(("input", "result", "path"), right=(0, 1)))

    def add(self, item: Converted) -> bool:
        """Write one converted input (in batches); False once stdout's reader went away."""
        self.count += 1
        self.writers[self.fmt](item)
        return (self.count < BATCH and not self.gone) or self.flush()

    def _csv(self, item: Converted) -> None:
        chip = item.plan.first.chip  # a chip's packages are written as the chip: read back alike
        unit, value = chip_unit(item.plan.unit, chip), item.value
        pairs = zip(item.results, item.plan.chains, strict=True)
        self.csv.writerows(
            [value, unit, r, chip_unit(c.unit, chip), " ".join(c.path)] for r, c in pairs
        )

    def _markdown(self, item: Converted) -> None:
        given = _input_text(item)
        pairs = zip(item.texts(), item.plan.chains, strict=True)
        self.pending.append(markdown_lines([given, r, ", ".join(c.path)] for r, c in pairs))

    def _quiet(self, item: Converted) -> None:
        pairs = zip(item.texts(), item.plan.chains, strict=True)
        self.pending += [
            text + "\n" for text, c in pairs if self.targets_given or not _unchanged(item, c)
        ]  # gwcalc's own numbers and unit names: nothing for safe_text to do

    def failed(self, exc: GwcalcError) -> None:
        """An input that failed under --keep-going: JSON Lines keep its place with an error."""
        if self.fmt in ("json", "jsonl"):
            self.pending.append(json_text(error_document(exc), None) + "\n")

    def flush(self) -> bool:
        """Write what is ready, through to the reader (gwcalc calls this before it waits for
        more input); False once stdout's reader went away (stop reading then)."""
        if self.csv_buffer.tell():
            self.pending.append(self.csv_buffer.getvalue())
            self.csv_buffer.seek(0)
            self.csv_buffer.truncate()
        if self.pending:
            text = "".join(self.pending)
            self.pending.clear()
            self.count = 0
            write(text)
            flush()
        self.gone = reader_gone()
        return not self.gone

    def _json(self, item: Converted) -> None:
        if item.plan not in self.templates:
            self.templates[item.plan] = _template(item.plan)
        parts = self.templates[item.plan]
        if parts is None:
            document = item.plan.document(item.value, item.results)
            self.pending.append(json_text(document, None) + "\n")
            return
        pending = self.pending
        pending += (parts[0], repr(item.value))
        for part, number in zip(parts[1:], item.results, strict=False):
            pending += (part, repr(number))
        pending.append(parts[-1])


def _unchanged(item: Converted, chain: Any) -> bool:
    """The input itself among the results (conversion without --to lists every unit)."""
    return not chain.path and chain.unit == item.plan.unit


def _input_text(item: Converted) -> str:
    from gwcalc.units.registry import format_value

    return format_value(item.value, chip_unit(item.plan.unit, item.plan.first.chip))


def _template(plan: UnitPlan) -> list[str] | None:
    """json_text of the plan's document (and a line end) cut where its numbers go: a float's
    repr is what json writes for it. None if the marks do not come out exactly once each."""
    marks = [f'"@@gwcalc-number-{i}@@"' for i in range(len(plan.chains) + 1)]
    text = json_text(plan.document(marks[0][1:-1], [m[1:-1] for m in marks[1:]]), None) + "\n"
    if any(text.count(mark[1:-1]) != 1 or mark not in text for mark in marks):
        return None
    parts = []
    for mark in marks:
        head, text = text.split(mark)
        parts.append(head)
    return [*parts, text]
