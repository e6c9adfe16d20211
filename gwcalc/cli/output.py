"""The one way out: every write to stdout or stderr, whatever state the stream is in."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TextIO, cast

import click

from gwcalc.errors import GwcalcError

if TYPE_CHECKING:
    from rich.text import Text

# C0 and C1 control characters except newline and tab, DEL, and the bidirectional overrides
# (which reorder what a terminal shows): text from a file never moves the cursor or recolours.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# json.dumps escapes C0 itself; these it leaves raw (valid JSON, but not what a terminal shows).
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What an encoding without these characters gets instead of '?'.
_ASCII_FORMS = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "−": "-",
        "×": "x",
        "÷": "/",
        "→": "->",
        "…": "...",
        "≈": "~",
        "█": "#",
        "░": ".",
        "▶": ">",
        "’": "'",
        "“": '"',
        "”": '"',
    }
)


def safe_text(text: str) -> str:
    """Text from a file as a terminal should show it: control characters spelt out ('\\x1b')."""
    return _CONTROL.sub(lambda m: _spelt(m.group()), text)


def _spelt(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class OutputError(GwcalcError):
    """stdout is closed or full: the result could not be written."""

    kind = "output"


class FunnelStream:
    """Stands in for sys.stdout or sys.stderr while a command runs.

    Characters the stream's encoding lacks are replaced instead of raising. When the reader went
    away (gwcalc … | head) writes are dropped and the command ends as it would have, with its
    own exit code. Otherwise the first failed write to stdout raises OutputError and later ones
    are dropped; a failed write to stderr is dropped silently: there is nowhere left to say so,
    and the exit code still does."""

    def __init__(self, inner: TextIO | None, name: str) -> None:
        self.inner = inner  # None: the descriptor was closed when Python started
        self.name = name
        self.failure: str | None = None  # why writes stopped

    @property
    def encoding(self) -> str:
        return getattr(self.inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:
        return "replace"

    def isatty(self) -> bool:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            return bool(self.inner and self.inner.isatty())
        return False

    def fileno(self) -> int:
        if self.inner is None:
            raise OSError(errno.EBADF, f"{self.name} is closed")
        return self.inner.fileno()

    def write(self, text: str | bytes) -> int:
        if isinstance(text, bytes | bytearray):  # click.echo(bytes) falls back to write()
            text = bytes(text).decode("utf-8", "replace")
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text and self.failure is None:
            self._guard(lambda inner: self._write(inner, text))
        return len(text)

    def flush(self) -> None:
        if self.failure is None and self.inner is not None:
            self._guard(lambda inner: inner.flush())

    def _write(self, inner: TextIO, text: str) -> None:
        try:
            inner.write(text)
        except UnicodeEncodeError:  # nothing was written: encoding comes before buffering
            narrow = text.translate(_ASCII_FORMS).encode(self.encoding, "replace")
            inner.write(narrow.decode(self.encoding))

    def _guard(self, action: Callable[[TextIO], object]) -> None:
        if self.inner is None:
            self._fail(f"{self.name} is closed")
            return
        try:
            action(self.inner)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
                self.failure = "the reader went away"
                _discard(self.inner)
            else:
                self._fail(exc.strerror or str(exc))
        except ValueError:  # the stream object itself was closed
            self._fail(f"{self.name} is closed")

    def _fail(self, reason: str) -> None:
        self.failure = reason
        if self.name == "stdout":
            raise OutputError(f"cannot write the output: {reason}")


def _discard(stream: TextIO) -> None:
    """Point a stream whose reader went away at /dev/null, so that no later flush fails again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


@contextlib.contextmanager
def funnel() -> Iterator[FunnelStream]:
    """Route sys.stdout and sys.stderr through FunnelStreams; yields the stdout one."""
    saved = sys.stdout, sys.stderr
    out = FunnelStream(sys.stdout, "stdout")
    sys.stdout = cast(TextIO, out)
    sys.stderr = cast(TextIO, FunnelStream(sys.stderr, "stderr"))
    try:
        yield out
    finally:
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved


def echo(text: str = "", *, err: bool = False) -> None:
    """One plain line (which may quote file text) on stdout, or on stderr."""
    click.echo(safe_text(text), err=err)


_WARNINGS: list[str] = []  # a run's warnings, held until it has succeeded


def warn(text: str) -> None:
    """A 'Warning: …' line for stderr, written once the command has succeeded (flush_warnings):
    a run that fails says only its error, stderr's first line."""
    _WARNINGS.append(text)


def flush_warnings(succeeded: bool) -> None:
    """The run's warnings on stderr if it succeeded, else dropped; none are kept for the next."""
    texts = list(_WARNINGS)
    _WARNINGS.clear()
    for text in texts if succeeded else ():
        echo(text, err=True)


def json_text(payload: Any, indent: int | None = 2) -> str:
    """A JSON document that any output encoding can carry and no terminal will act on."""
    import json

    text = json.dumps(payload, indent=indent, ensure_ascii=False, allow_nan=False)
    try:
        text.encode(sys.stdout.encoding)
    except (UnicodeEncodeError, LookupError):  # a narrow encoding, or a file name's lone surrogate
        text = json.dumps(payload, indent=indent, ensure_ascii=True, allow_nan=False)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def emit_json(payload: Any, indent: int | None = 2) -> None:
    click.echo(json_text(payload, indent))


def plain(text: str, style: str = "") -> Text:
    """A Rich Text of file (or any) text, control characters spelt out: the one way to build
    one, since Rich prints a Text as it is (the console's render_str sees only strings)."""
    from rich.text import Text

    return Text(safe_text(text), style=style)


def write(text: str) -> None:
    """Text made safe already (JSON from json_text, or passed through safe_text) on stdout."""
    sys.stdout.write(text)


def flush() -> None:
    sys.stdout.flush()


def reader_gone() -> bool:
    """Whether stdout's reader went away (gwcalc … | head): a stream should stop reading."""
    return getattr(sys.stdout, "failure", None) is not None


_TRAILING_SPACES = re.compile(r"[ \t]+$", re.MULTILINE)


MIN_WIDTH = 40  # the narrowest screen gwcalc draws for (a narrower COLUMNS is read as this)


def console() -> Any:
    """A Rich console on stdout that prints every string as literal text.

    Markup and emoji codes are off, so a title like 'x [/] y' or ':fire:' prints as written;
    style with Rich's own arguments (style=, Text) instead. Control characters are spelt out."""
    from rich.console import Console

    class FunnelConsole(Console):
        def render_str(self, text: str, **options: Any) -> Text:
            return super().render_str(safe_text(text), **options)

        def print(self, *objects: Any, **options: Any) -> None:
            # A table's title wraps at the table's width (a narrow table's title breaks at 40
            # columns on a 200-column screen): print it on its own, wrapped at the console's.
            # Any table too wide for the screen keeps its numbers whole (gwcalc.cli.fit).
            from rich.console import Group
            from rich.table import Table
            from rich.text import Text

            from gwcalc.cli.fit import fitted

            if len(objects) == 1 and isinstance(objects[0], Group):
                for part in objects[0].renderables:
                    self.print(part, **options)
                return
            if len(objects) != 1 or not isinstance(objects[0], Table):
                super().print(*objects, **options)
                return
            table = objects[0]
            if table.title:
                title, table.title = table.title, None
                shown = title if isinstance(title, Text) else plain(str(title), "table.title")
                super().print(shown, **options)
            for part in fitted(table, self, options.get("width") or self.width):
                super().print(part, **options)

        def _render_buffer(self, buffer: Any) -> str:
            # Rich pads every table line to its width; piped, the padding is trailing spaces
            # that diff, grep and editors trip on (issue 20): cut them when not a terminal.
            text: str = super()._render_buffer(buffer)
            return text if self.is_terminal else _TRAILING_SPACES.sub("", text)

        def on_broken_pipe(self) -> None:
            # Rich exits 1 here; a reader that stops early (gwcalc … | head) is not an error.
            self.quiet = True
            raise BrokenPipeError

    out = FunnelConsole(highlight=False, markup=False, emoji=False)
    out.width = max(out.width, MIN_WIDTH)  # COLUMNS=0 drew nothing (exit 0), 1 a char a line
    return out
