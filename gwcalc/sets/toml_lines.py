"""Where each key of a TOML file is written: the line of any key path, for error messages.

Run only when an error is reported (one pass over the text), never on the way to a result."""

from __future__ import annotations

import re
import tomllib

KeyPath = tuple[str | int, ...]  # ('deals', 0, 'source', 'title'): an int indexes [[deals]]

_BARE = r"[A-Za-z0-9_-]+"
_PART = rf"(?:{_BARE}|\"(?:[^\"\\]|\\.)*\"|'[^']*')"
_KEY = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
_HEADER = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_KEY})[ \t]*\]")
_ASSIGN = re.compile(rf"[ \t]*({_KEY})[ \t]*=")
_SPLIT = re.compile(rf"({_PART})[ \t]*\.?[ \t]*")


def dotted(path: KeyPath) -> str:
    """'deals[2].source.title' (arrays counted from 1, as people count)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else ("." if out else "") + part
    return out


def _parts(key: str) -> tuple[str, ...]:
    """The names of a dotted TOML key, quotes and escapes undone."""
    parts = []
    for found in _SPLIT.finditer(key):
        part = found.group(1)
        if re.fullmatch(_BARE, part):
            parts.append(part)
        else:
            try:
                parts.append(next(iter(tomllib.loads(f"{part} = 0"))))
            except tomllib.TOMLDecodeError:
                return ()
    return tuple(parts)


class _Scan:
    """One pass over the text: the first line of every key path it writes."""

    def __init__(self) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.arrays: dict[tuple[str, ...], int] = {}  # [[NAME]] -> index of its latest table
        self.table: KeyPath = ()
        self.open: str | None = None  # the delimiter of a multi-line string being read
        self.depth = 0  # brackets open across lines (a multi-line array)

    def real(self, names: tuple[str, ...], defining: bool = False) -> KeyPath:
        """A header's names as a key path, each array of tables at its latest index."""
        path: list[str | int] = []
        for i in range(len(names)):
            path.append(names[i])
            last = defining and i == len(names) - 1
            if names[: i + 1] in self.arrays and not last:
                path.append(self.arrays[names[: i + 1]])
        return tuple(path)

    def record(self, path: KeyPath, line: int) -> None:
        for i in range(1, len(path) + 1):
            self.lines.setdefault(path[:i], line)

    def line(self, text: str, number: int) -> None:
        rest = text
        if self.open is None and self.depth == 0:
            header, assign = _HEADER.match(text), _ASSIGN.match(text)
            if header:
                names = _parts(header.group(2))
                if header.group(1) == "[[":
                    self.arrays[names] = self.arrays.get(names, -1) + 1
                    for deeper in [
                        a for a in self.arrays if a[: len(names)] == names and a != names
                    ]:
                        del self.arrays[deeper]
                    self.table = (*self.real(names, defining=True), self.arrays[names])
                else:
                    self.table = self.real(names)
                self.record(self.table, number)
                return
            if assign:
                self.record((*self.table, *_parts(assign.group(1))), number)
                rest = text[assign.end() :]
        self.scan(rest)

    def scan(self, text: str) -> None:
        """Follow strings and brackets to the end of the line."""
        i = 0
        while i < len(text):
            if self.open is not None:
                end = text.find(self.open, i)
                if end < 0:
                    return
                i, self.open = end + 3, None
                continue
            char = text[i]
            if char == "#":
                return
            if text.startswith(('"""', "'''"), i):
                self.open, i = text[i : i + 3], i + 3
            elif char in "\"'":
                i = _string_end(text, i)
            else:
                self.depth += (char in "[{") - (char in "]}")
                i += 1


def _string_end(text: str, start: int) -> int:
    """The index after a one-line string that starts at text[start]."""
    quote, i = text[start], start + 1
    while i < len(text) and text[i] != quote:
        i += 2 if quote == '"' and text[i] == "\\" else 1
    return i + 1


def line_of(text: str, path: KeyPath, exact: bool = False) -> int | None:
    """The line where path (or, if it is not written out and not exact, its nearest table) is
    written."""
    scan = _Scan()
    for number, line in enumerate(text.splitlines(), 1):
        scan.line(line, number)
    if exact:
        return scan.lines.get(path)
    for end in range(len(path), 0, -1):
        if path[:end] in scan.lines:
            return scan.lines[path[:end]]
    return None
