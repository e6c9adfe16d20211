"""The store of kept answers: a request's key, an entry's checks, replaying and writing one.

Standard library only: this module runs before anything else of the program."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys

from gwcalc.answers.states import unchanged

TYPE_CHECKING = False  # as typing.TYPE_CHECKING: a replay does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TextIO


FORMAT = 2  # of an entry: 2 tells a folder by its names or by its entries
ENV_OFF = "GWCALC_NO_CACHE"
ENV_DIR = "GWCALC_CACHE_DIR"
# Shell state that every child inherits and no command reads; any other variable is part of the
# request (a terminal's COLUMNS, NO_COLOR, LANG, the set folders, the default set...).
VOLATILE_ENV = frozenset(
    {"OLDPWD", "SHLVL", "_", "PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND", "HISTCMD"}
)
MAX_ENTRIES = 128  # the oldest beyond this are removed when one is added
SUFFIX = ".answer.json"  # an entry's name: 40 hex digits, then this; nothing else is removed
HEX = frozenset("0123456789abcdef")
MAX_CHARS = 1 << 20  # a longer output (a stream of many lines) is not kept
# Audit events that change something outside the process: a run that raises one is not kept
# (the import system's own writes into __pycache__ excepted).
SIDE_EFFECTS = frozenset(
    {
        "os.remove",
        "os.rename",
        "os.rmdir",
        "os.mkdir",
        "os.chmod",
        "os.chown",
        "os.truncate",
        "os.link",
        "os.symlink",
        "os.utime",
        "os.system",
        "os.exec",
        "os.fork",
        "os.forkpty",
        "os.posix_spawn",
        "os.spawn",
        "os.startfile",
        "os.kill",
        "subprocess.Popen",
        "socket.connect",
        "socket.bind",
        "socket.sendto",
        "shutil.copyfile",
        "shutil.rmtree",
        "tempfile.mkstemp",
        "tempfile.mkdtemp",
    }
)
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
EXIT_INTERRUPTED = 130  # as gwcalc.cli.base's (a test keeps them equal): Ctrl-C in a replay


# The interpreter's own diagnostics go to descriptor 2 from C, where no replay could give them.
DIAGNOSTICS_ENV = (
    "PYTHONVERBOSE",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONMALLOCSTATS",
    "PYTHONDUMPREFS",
)


def enabled() -> bool:
    """Whether the store is on: not turned off, not debugging, no interpreter diagnostics."""
    if os.environ.get(ENV_OFF) or os.environ.get("GWCALC_DEBUG"):
        return False
    if sys.flags.verbose or "importtime" in sys._xoptions:
        return False
    return not any(os.environ.get(name) for name in DIAGNOSTICS_ENV)


def answer_dir() -> str | None:
    """$GWCALC_CACHE_DIR, else <the platform's cache folder>/gwcalc/answers; None without a
    home folder."""
    from gwcalc.sets.paths import cache_root

    try:
        if os.environ.get(ENV_DIR):
            return os.path.abspath(os.environ[ENV_DIR])
        return str(cache_root() / "gwcalc" / "answers")
    except (OSError, RuntimeError, ValueError):  # no home folder, or no current folder
        return None


def request_key(argv: list[str]) -> dict[str, Any]:
    """Everything a run depends on besides the files, folders and modules it reads."""
    return {
        "format": FORMAT,
        "python": [sys.executable, sys.version, repr(sys.flags), list(sys.path)],
        "x_options": sorted([str(k), str(v)] for k, v in sys._xoptions.items()),
        "program": os.path.abspath(__file__),
        "argv": list(argv),
        "cwd": _cwd(),
        "env": sorted([k, v] for k, v in os.environ.items() if k not in VOLATILE_ENV),
        "streams": [
            _stream_state(fd, s) for fd, s in enumerate((sys.stdin, sys.stdout, sys.stderr))
        ],
    }


def _cwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # the folder was removed under us
        return None


def _stream_state(fd: int, stream: TextIO | None) -> list[Any]:
    """Whether a standard stream is open, a terminal (and its size), and its text encoding."""
    if stream is None:
        return [None]
    try:
        tty = os.isatty(fd)
        size = list(os.get_terminal_size(fd)) if tty else None
    except (OSError, ValueError):
        tty, size = False, None
    return [tty, size, getattr(stream, "encoding", None), getattr(stream, "errors", None)]


def key_digest(key: dict[str, Any]) -> str:
    """The sha256 of a request's key: what an entry keeps of it (the environment's values,
    tokens and all, never reach the disk)."""
    text = json.dumps(key, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def write_chunks(chunks: Iterable[tuple[int, str]]) -> int:
    """The recorded characters, in their order, on the streams they went to; the exit code. A
    reader that went away (gwcalc … | head) ends the run with exit 0, as the command does; a
    stdout that cannot be written, with 1 and the command's message."""
    code = 0
    streams: dict[int, TextIO | None] = {1: sys.stdout, 2: sys.stderr}
    for fd, text in [*chunks, (1, ""), (2, "")]:
        stream = streams.get(fd)
        if stream is None:
            continue
        try:
            stream.write(text)
            if not text:  # the end: what is buffered goes out
                stream.flush()
        except BrokenPipeError:
            streams[fd] = None
            _point_at_devnull(fd)
        except (OSError, ValueError) as exc:
            streams[fd] = None
            if fd == 1:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                _say(f"Error: cannot write the output: {reason}\n")
                code = 1
    return code


def _say(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _point_at_devnull(fd: int) -> None:
    """A stream whose reader went away points at /dev/null: no later flush fails again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


class Request:
    """One run of the program, as the store sees it: where its answer is kept, if anywhere."""

    def __init__(self, folder: str, argv: list[str]) -> None:
        self.folder = folder
        self.digest = key_digest(request_key(argv))
        self.path = os.path.join(folder, self.digest[:40] + SUFFIX)

    @classmethod
    def of(cls, argv: list[str]) -> Request | None:
        """The run's request; None when the store is off or there is no folder for it."""
        folder = answer_dir() if enabled() else None
        return cls(folder, argv) if folder else None

    def kept(self) -> list[tuple[int, str]] | None:
        """What the kept answer writes, checked; None when there is none that can be trusted
        (missing, damaged, another user's, stale), and the command must run."""
        try:
            entry = json.loads(_read_own_file(self.path))
            if not isinstance(entry, dict) or entry.get("digest") != self.digest:
                return None
            if entry.get("format") != FORMAT or entry.get("exit") != 0:
                return None  # only runs that ended with exit 0 are kept
            chunks = [(fd, text) for fd, text in entry["chunks"]]
            if not all(fd in (1, 2) and isinstance(text, str) for fd, text in chunks):
                return None
            if not (_writable(chunks) and unchanged(entry)):
                return None
        except Exception:  # any damage at all is a miss, never a traceback
            return None
        return chunks

    def keep(self, entry: dict[str, Any]) -> None:
        """Write an entry atomically (a reader sees the old one or the new one, whole), then
        remove the oldest beyond MAX_ENTRIES. A folder that cannot be written: nothing kept."""
        entry = {"format": FORMAT, "digest": self.digest, **entry}
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(entry, file, ensure_ascii=False)
            os.replace(temporary, self.path)
            prune(self.folder)
        except (OSError, ValueError):
            try:  # noqa: SIM105  # contextlib is one import more before every answer
                os.remove(temporary)
            except OSError:
                pass


def _read_own_file(path: str) -> str:
    """An entry's text, if it is a regular file of this user's that no one else may write
    (another user's forged entry, a FIFO that would block, a folder: OSError)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022:
            raise OSError(f"{path} is not a private regular file")
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            raise OSError(f"{path} belongs to another user")
        with os.fdopen(fd, "rb") as file:
            fd = -1
            return file.read().decode("utf-8")
    finally:
        if fd >= 0:
            os.close(fd)


def _writable(chunks: list[tuple[int, str]]) -> bool:
    """Whether the streams' encodings carry every character (as they did on the first run)."""
    streams = {1: sys.stdout, 2: sys.stderr}
    for fd, text in chunks:
        stream = streams[fd]
        if stream is None:
            return False
        text.encode(stream.encoding or "utf-8", stream.errors or "strict")
    return True


def prune(folder: str, limit: int = MAX_ENTRIES) -> None:
    """Remove the oldest entries (by the time they were written) beyond `limit`, down to 3/4.
    Only regular files named as entries are counted or removed: a store pointed at a folder of
    other files ($GWCALC_CACHE_DIR) leaves them alone."""
    entries = []
    with os.scandir(folder) as found:
        for item in found:
            try:
                if is_entry_name(item.name) and item.is_file(follow_symlinks=False):
                    entries.append((item.stat(follow_symlinks=False).st_mtime_ns, item.path))
            except OSError:  # gone meanwhile (another run pruning): not counted
                continue
    if len(entries) <= limit:
        return
    for _, path in sorted(entries)[: len(entries) - limit * 3 // 4]:
        try:  # noqa: SIM105  # contextlib is one import more before every answer
            os.remove(path)
        except OSError:
            pass


def is_entry_name(name: str) -> bool:
    digest = name.removesuffix(SUFFIX)
    return name.endswith(SUFFIX) and len(digest) == 40 and set(digest) <= HEX
