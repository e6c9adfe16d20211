"""What a first run reads and writes: the files it opens, the folders it lists, the modules it
imports and the characters it writes, kept (gwcalc.answers.store) when it only read."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from gwcalc.answers.states import CODE_SUFFIXES, entries, file_state, is_bytecode, names
from gwcalc.answers.store import MAX_CHARS, SIDE_EFFECTS, WRITE_FLAGS, Request
from gwcalc.sets.paths import SEARCH_EVENT

# What a reader of stdin may ask without reading it.
STDIN_LOOKS = frozenset({"isatty", "fileno", "encoding", "errors", "name", "closed", "mode"})


class Recorder:
    """Watches one run from just after the store was asked (gwcalc.__main__.run) to its end.
    The state of each file and folder is taken when the run reads it and again at the end: a
    file edited during the run is not kept with an answer computed from its old text."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.chunks: list[tuple[int, str]] = []
        self.chars = 0
        self.opened: dict[str, list[Any] | None] = {}  # path -> its state when opened
        self.listed: dict[str, str | None] = {}  # folder -> its names when listed
        self.set_folders: dict[str, str | None] = {}  # folder -> its entries when searched
        self.spoiled: str | None = None  # why this run's answer cannot be kept
        self.active = True
        self.busy = False  # inside the hook's own work: its opens and listings are not the run's

    def start(self) -> Recorder:
        """Hook the audit events and stand in for the standard streams."""
        sys.addaudithook(self.audit)
        if sys.stdout is None or sys.stderr is None:  # closed when Python started
            self.spoil("a standard stream is closed")
            return self
        sys.stdout = Tee(sys.stdout, 1, self)
        sys.stderr = Tee(sys.stderr, 2, self)
        if sys.stdin is not None:
            sys.stdin = StdinWatch(sys.stdin, self)
        return self

    def spoil(self, why: str) -> None:
        if self.spoiled is None:
            self.spoiled = why

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        """Every audit event of the run (an exception here would stop the operation: none
        escapes)."""
        if self.busy or not self.active or self.spoiled is not None:
            return
        self.busy = True
        try:
            if event == "open":
                self._opened(args[0], args[1], args[2])
            elif event in ("os.listdir", "os.scandir"):
                self._listed(args[0])
            elif event == SEARCH_EVENT:
                folder = os.path.abspath(args[0])
                self.set_folders.setdefault(folder, entries(folder))
            elif event in SIDE_EFFECTS and not _bytecode_only(args):
                self.spoil(event)
        except Exception as exc:  # the hook must never fail the run
            self.spoil(f"audit: {exc!r}")
        finally:
            self.busy = False

    def _opened(self, path: object, mode: object, flags: object) -> None:
        writes = isinstance(mode, str) and any(c in mode for c in "wax+")
        if writes or (isinstance(flags, int) and flags & WRITE_FLAGS):
            if not isinstance(path, str | bytes) or not is_bytecode(os.fsdecode(path)):
                self.spoil(f"wrote {path!r}")  # the import system writing bytecode is no output
        elif isinstance(path, int):  # os.fdopen: the open of its path was seen, unless stdin's
            if path <= 2:
                self.spoil("a standard stream opened by descriptor")
        elif isinstance(path, str | bytes | os.PathLike):
            name = os.path.abspath(os.fsdecode(path))
            if not is_bytecode(name) and name not in self.opened:  # bytecode: see _module_files
                self.opened[name] = file_state(name, hashed=not name.endswith(CODE_SUFFIXES))
        else:
            self.spoil(f"opened {path!r}")

    def _listed(self, path: object) -> None:
        if path is None:
            path = "."
        if not isinstance(path, str | bytes | os.PathLike):
            self.spoil("a folder listed by descriptor")
            return
        name = os.path.abspath(os.fsdecode(path))
        if name not in self.listed:
            self.listed[name] = names(name)

    def chunk(self, fd: int, text: str) -> None:
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            self.spoil("too long to keep")
            self.chunks.clear()
        elif self.spoiled is None:
            self.chunks.append((fd, text))

    def finish(self, code: int) -> None:
        """At the end of the run: keep its answer if it ended well and only read. Never fails."""
        self.active = False
        try:
            if code == 0 and self.spoiled is None:
                entry = self.entry()
                if entry is not None:
                    self.request.keep(entry)
        except Exception:  # the store is optional: the run has its answer
            pass

    def entry(self) -> dict[str, Any] | None:
        """The entry to keep; None when something read changed during the run, or is not a
        regular file (a folder, a device)."""
        files: dict[str, list[list[Any]]] = {}
        for path in sorted(self.opened.keys() | _module_files()):
            state = file_state(path, hashed=not path.endswith(CODE_SUFFIXES))
            if state is None or self.opened.get(path, state) != state:
                return None
            files.setdefault(os.path.dirname(path), []).append(state)
        dirs = []
        for path, digest in sorted(self.set_folders.items()):
            if entries(path) != digest:
                return None
            dirs.append([path, "entries", digest])
        for path, digest in sorted(self.listed.items()):
            if names(path) != digest:
                return None
            dirs.append([path, "names", digest])
        return {"exit": 0, "chunks": self.chunks, "files": files, "dirs": dirs}


def _bytecode_only(args: tuple[Any, ...]) -> bool:
    """Whether every path an event names is the import system's bytecode."""
    paths = [os.fsdecode(a) for a in args if isinstance(a, str | bytes)]
    return bool(paths) and all(is_bytecode(p) for p in paths)


def _module_files() -> set[str]:
    """The source or extension file of every module imported so far (a module read from its
    bytecode never opens its source: an edited source must still be seen)."""
    found = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and os.path.isabs(path):
            found.add(path)
    return found


class Tee:
    """Stands in for sys.stdout or sys.stderr while a run is recorded: every write goes on to the
    real stream, and what was written is kept. Whoever reaches for the bytes underneath spoils
    the record (those writes would not be kept)."""

    def __init__(self, inner: TextIO, fd: int, recorder: Recorder) -> None:
        self.inner = inner
        self.fd = fd
        self.recorder = recorder

    def write(self, text: str) -> int:
        try:
            written = self.inner.write(text)
        except UnicodeEncodeError:  # nothing was written; the caller writes narrower text
            raise
        except BaseException:
            self.recorder.spoil("a write failed")
            raise
        self.recorder.chunk(self.fd, text)
        return written

    def flush(self) -> None:
        try:
            self.inner.flush()
        except BaseException:
            self.recorder.spoil("a flush failed")
            raise

    @property
    def buffer(self) -> object:
        self.recorder.spoil("the byte stream under a text stream used")
        return self.inner.buffer

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401  # whatever the stream has
        return getattr(self.inner, name)


class StdinWatch:
    """Stands in for sys.stdin: a run that reads it depends on more than its request."""

    def __init__(self, inner: TextIO, recorder: Recorder) -> None:
        self.inner = inner
        self.recorder = recorder

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401  # whatever the stream has
        if name not in STDIN_LOOKS:
            self.recorder.spoil("stdin read")
        return getattr(self.inner, name)

    def __iter__(self) -> Iterator[str]:
        self.recorder.spoil("stdin read")
        return iter(self.inner)
