"""Quantities from arguments and stdin ('-', one a line), each labelled for its error messages."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO, NamedTuple, cast

from gwcalc.errors import GwcalcError, QuantityError
from gwcalc.units.grammar import MAX_INPUT_CHARS

STDIN = "-"
# A line longer than this is refused as it is read, never held whole (a quantity is short).
MAX_LINE_BYTES = 4096
CHUNK_BYTES = 1 << 16
BOM = b"\xef\xbb\xbf"


class GivenQuantity(NamedTuple):
    """One quantity as given, or why it could not be read (a tuple: one is made per line)."""

    text: str
    line: int | None = None  # its line on stdin
    argument: int | None = None  # its place among the arguments, when there are several
    error: GwcalcError | None = None

    @property
    def where(self) -> str:
        """'line 3' (of stdin), 'argument 2', or '' for a lone argument."""
        if self.line is not None:
            return f"line {self.line}"
        return f"argument {self.argument}" if self.argument is not None else ""


class InputError(GwcalcError):
    """An input that failed, named by its line on stdin (or its argument)."""

    def __init__(self, item: GivenQuantity, cause: GwcalcError) -> None:
        super().__init__(f"{item.where}: {cause.message}" if item.where else cause.message)
        self.hint = cause.hint
        self.kind = cause.kind
        self.exit_code = cause.exit_code
        self.cause, self.item = cause, item

    def to_dict(self) -> dict[str, Any]:
        out = {**self.cause.to_dict(), "message": self.message}
        if self.item.line is not None:
            out["input_line"] = self.item.line
        if self.item.argument is not None:
            out["argument"] = self.item.argument
        return out


def read_inputs(
    quantities: Sequence[str], before_read: Callable[[], object] = bool
) -> Iterator[GivenQuantity]:
    """Each argument in order, with '-' standing for stdin's lines (blank lines and lines
    starting with '#' skipped); GwcalcError if stdin holds no quantity at all."""
    many = len(quantities) > 1
    for number, text in enumerate(quantities, 1):
        if text != STDIN:
            yield GivenQuantity(text, argument=number if many else None)
            continue
        found = False
        for item in stdin_lines(_stdin(), before_read):
            if item.text or item.error is not None:
                found = True
                yield item
        if not found:
            raise QuantityError(
                "no quantities on stdin", "give one quantity a line, e.g. printf '6 GW\\n7 GW\\n'"
            )


def _stdin() -> BinaryIO:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # fd 0 was closed when Python started
        raise QuantityError("cannot read stdin: it is closed", "pipe quantities in, one a line")
    return cast(BinaryIO, stream)


def stdin_lines(
    stream: BinaryIO, before_read: Callable[[], object] = bool
) -> Iterator[GivenQuantity]:
    """The quantities on a byte stream, one a line. It is read a chunk at a time, whatever has
    arrived (before_read runs first: flush what is ready before waiting for more), and a long
    line is never held whole."""
    read = getattr(stream, "read1", stream.read)
    number, pending, overlong = 0, b"", False
    while True:
        before_read()
        try:
            chunk = read(CHUNK_BYTES)
        except OSError as exc:  # EIO, a directory as stdin, …
            raise QuantityError(f"cannot read stdin: {exc.strerror or exc}") from exc
        if not chunk:
            break
        data = pending + chunk
        if number == 0 and data.startswith(BOM):  # a UTF-8 byte order mark, as some editors write
            data = data[len(BOM) :]
        cut = data.rfind(b"\n")
        if cut >= 0:
            body, pending = data[:cut], data[cut + 1 :]
            if overlong:  # the end of a long line: refused
                _, more, body = body.partition(b"\n")
                number, overlong = number + 1, False
                yield _overlong(number)
                if not more:
                    continue
            yield from _lines(body, number)
            number += body.count(b"\n") + 1
        else:
            pending = data
        if len(pending) > MAX_LINE_BYTES:
            pending, overlong = b"", True  # dropped: the rest of the line follows
    if pending or overlong:
        number += 1
        yield _overlong(number) if overlong else _line(pending, number)


def _lines(body: bytes, number: int) -> Iterator[GivenQuantity]:
    """The inputs of whole lines after line `number`: decoded at once when all are short UTF-8
    (the common case), one by one otherwise."""
    try:
        texts = body.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        texts = []
    if not texts or max(map(len, texts)) > MAX_LINE_BYTES:
        for raw in body.split(b"\n"):
            number += 1
            yield _line(raw, number)
        return
    for text in texts:
        number += 1
        stripped = text.strip()
        if stripped and stripped[0] != "#":
            yield GivenQuantity(text, number)


def _overlong(number: int) -> GivenQuantity:
    error = QuantityError(f"quantity is longer than {MAX_INPUT_CHARS} characters")
    return GivenQuantity("", number, error=error)


def _line(raw: bytes, number: int) -> GivenQuantity:
    """One line as an input; text '' for a line to skip (blank, or a '#' comment)."""
    if len(raw) > MAX_LINE_BYTES:
        return _overlong(number)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = QuantityError(
            f"not UTF-8 text (byte {exc.start + 1} is {raw[exc.start : exc.start + 1]!r})",
            "give one quantity a line as UTF-8 text, e.g. '6 GW'",
        )
        return GivenQuantity("", number, error=error)
    stripped = text.strip()
    return GivenQuantity("" if not stripped or stripped.startswith("#") else text, number)


def _reads(text: str) -> bool | None:
    """None if text is no quantity; False for a plain number ('6', '2 million', '40..60');
    True for a quantity with a unit ('6 GW', '40..60 GW')."""
    from gwcalc.units.grammar import read_quantity

    ends = text.split("..") if text.count("..") == 1 else [text]
    try:
        return any([bool(read_quantity(end).factors) for end in ends])
    except QuantityError:
        return None


def join_unquoted(arguments: Sequence[str]) -> tuple[str, ...]:
    """Words of one quantity typed without quotes joined into it: ('6', 'GW', '7', 'GW') →
    ('6 GW', '7 GW'); ('2', 'million', 'gpu') → ('2 million gpu',). Only a plain number (which
    convert refuses on its own) takes the next word, and only when the two read as a quantity:
    no number that reads alone is ever changed by a join."""
    out: list[str] = []
    index = 0
    while index < len(arguments):
        text, index = arguments[index], index + 1
        while text != STDIN and index < len(arguments) and arguments[index] != STDIN:
            if _reads(text) is not False:
                break
            joined = f"{text} {arguments[index].strip()}"
            if _reads(joined) is None:
                break
            text, index = joined, index + 1
        out.append(text)
    return tuple(out)
