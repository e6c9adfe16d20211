"""The plain-text formats besides tables and JSON: CSV, Markdown, JSON Lines and -q lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from gwcalc.cli.output import flush, json_text, reader_gone, safe_text, write
from gwcalc.errors import GwcalcError
from gwcalc.report import envelope
from gwcalc.stream import Converted, UnitPlan

Cell = str | float | int | None
BATCH = 256  # lines written at a time (each line at once when a person types the input)


def csv_lines(rows: Iterable[Sequence[Cell]]) -> str:
    """Rows as CSV (the stdlib's quoting, '\\n' line ends; None is an empty cell)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        ["" if cell is None else cell for cell in row] for row in rows
    )
    return safe_text(buffer.getvalue())


def _md_cell(cell: Cell) -> str:
    text = "" if cell is None else str(cell)
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


def emit_table(
    fmt: str, header: Sequence[str], rows: Iterable[Sequence[Cell]], right: Iterable[int] = ()
) -> None:
    """A whole result as CSV (header row first) or as a Markdown table."""
    if fmt == "csv":
        write(csv_lines([header, *rows]))
    else:
        write(markdown_header(header, right) + markdown_lines(rows))


def emit_lines(lines: Iterable[str]) -> None:
    """-q output: one result a line."""
    write("".join(safe_text(line) + "\n" for line in lines))


def error_document(exc: GwcalcError) -> dict[str, Any]:
    return envelope(error=exc.to_dict())


CONVERT_HEADER = ("input_value", "input_unit", "value", "unit", "path")


class ConvertStream:
    """Writes converted inputs one by one as JSON Lines, CSV, Markdown or -q lines. JSON Lines
    are built from a template per input unit (json_text of its first document, with the
    numbers left out), so each line is that document with this input's numbers."""

    def __init__(self, fmt: str, targets_given: bool, interactive: bool = False) -> None:
        self.fmt, self.targets_given = fmt, targets_given
        self.batch = 1 if interactive else BATCH
        self.pending: list[str] = []
        self.templates: dict[UnitPlan, list[str] | None] = {}
        self.csv_buffer = io.StringIO()
        self.csv = csv.writer(self.csv_buffer, lineterminator="\n")
        if fmt == "csv":
            self.pending.append(csv_lines([CONVERT_HEADER]))
        elif fmt == "markdown":
            self.pending.append(markdown_header(("input", "result", "path"), right=(0, 1)))

    def add(self, item: Converted) -> bool:
        """Write one converted input (in batches); False once stdout's reader went away."""
        if self.fmt in ("json", "jsonl"):
            self.pending.append(self._json(item))
        elif self.fmt == "csv":
            self.csv.writerows(self._rows(item))
            self.pending.append(self.csv_buffer.getvalue())
            self.csv_buffer.seek(0)
            self.csv_buffer.truncate()
        elif self.fmt == "markdown":
            given = _input_text(item)
            pairs = zip(item.texts(), item.plan.chains, strict=True)
            self.pending.append(markdown_lines([given, r, ", ".join(c.path)] for r, c in pairs))
        else:
            self.pending.append("".join(safe_text(line) + "\n" for line in self._quiet(item)))
        return len(self.pending) < self.batch or self.flush()

    def failed(self, exc: GwcalcError) -> None:
        """An input that failed under --keep-going: JSON Lines keep its place with an error."""
        if self.fmt in ("json", "jsonl"):
            self.pending.append(json_text(error_document(exc), None) + "\n")

    def flush(self) -> bool:
        """Write what is pending; False once stdout's reader went away (stop reading then)."""
        if self.pending:
            write("".join(self.pending))
            self.pending.clear()
            if self.batch == 1:
                flush()
        return not reader_gone()

    def _rows(self, item: Converted) -> list[list[Cell]]:
        unit = item.plan.unit
        return [
            [item.value, unit, value, chain.unit, " ".join(chain.path)]
            for value, chain in zip(item.results, item.plan.chains, strict=True)
        ]

    def _quiet(self, item: Converted) -> list[str]:
        pairs = zip(item.texts(), item.plan.chains, strict=True)
        return [text for text, chain in pairs if self.targets_given or not _unchanged(item, chain)]

    def _json(self, item: Converted) -> str:
        plan = item.plan
        if plan not in self.templates:
            self.templates[plan] = _template(plan)
        parts = self.templates[plan]
        if parts is None:
            return json_text(plan.document(item.value, item.results), None) + "\n"
        numbers = [item.value, *item.results]
        out = [parts[0]]
        for number, part in zip(numbers, parts[1:], strict=True):
            out += (repr(number), part)
        return "".join(out) + "\n"


def _unchanged(item: Converted, chain: Any) -> bool:
    """The input itself among the results (conversion without --to lists every unit)."""
    return not chain.path and chain.unit == item.plan.unit


def _input_text(item: Converted) -> str:
    from gwcalc.units import format_value

    return format_value(item.value, item.plan.unit)


def _template(plan: UnitPlan) -> list[str] | None:
    """json_text of the plan's document split where its numbers go (None if that is unsafe)."""
    marks = [f"@@gwcalc-number-{i}@@" for i in range(len(plan.chains) + 1)]
    text = json_text(plan.document(marks[0], marks[1:]), None)
    quoted = [f'"{mark}"' for mark in marks]
    if any(text.count(mark) != 1 for mark in marks) or any(q not in text for q in quoted):
        return None
    parts = [text]
    for mark in quoted:
        head, tail = parts[-1].split(mark)
        parts[-1:] = [head, tail]
    return parts
