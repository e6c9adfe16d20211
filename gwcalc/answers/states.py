"""The states a kept answer is checked against: a file's, a folder's names, and the entries of a
folder where sets are looked for (which gwcalc reads by stat, symlink and type as well as by
name). Standard library only."""

from __future__ import annotations

import hashlib
import os
import stat

TYPE_CHECKING = False  # as typing.TYPE_CHECKING: a replay does not import typing
if TYPE_CHECKING:
    from typing import Any

CODE_SUFFIXES = (".py", ".pyc", ".so", ".pyd")  # compared by size and time, not read again
BYTECODE = "__pycache__"
# The bytes of a file hashed, at most: more than gwcalc reads of any set (gwcalc.sets.read's
# MAX_SET_BYTES + 1; a test keeps it so), so a longer file is told by its size, time and head.
HASH_LIMIT = 16 * 1024 * 1024
CHUNK = 1024 * 1024


def is_bytecode(path: str) -> bool:
    """A file of the import system's own: a .pyc (or its temporary) in a __pycache__ folder,
    or that folder itself. Only these are left out of what a run read and wrote."""
    folder, name = os.path.split(path)
    return name == BYTECODE or (os.path.basename(folder) == BYTECODE and ".pyc" in name)


def file_state(path: str, hashed: bool) -> list[Any] | None:
    """[name, size, mtime_ns, sha256 or None] of a regular file, [name, None, None, None] when
    there is none (an absent file is a state too: one that appears changes the run); None when
    the path is something else, a folder or a device, whose reading cannot be kept."""
    name = os.path.basename(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return [name, None, None, None]
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    digest = None
    if hashed:
        try:
            digest = _head_digest(path)
        except OSError:
            return None
    return [name, info.st_size, info.st_mtime_ns, digest]


def _head_digest(path: str) -> str:
    """The sha256 of a file's first HASH_LIMIT bytes, read a chunk at a time."""
    sha = hashlib.sha256()
    with open(path, "rb") as file:
        left = HASH_LIMIT
        while left > 0 and (chunk := file.read(min(CHUNK, left))):
            sha.update(chunk)
            left -= len(chunk)
    return sha.hexdigest()


def names(path: str) -> str | None:
    """A digest of a folder's entries' names (None: it cannot be listed, e.g. it is missing)."""
    try:
        found = sorted(os.listdir(path))
    except (OSError, ValueError):
        return None
    return _digest(found)


def entries(path: str) -> str | None:
    """A digest of where a folder leads (its real path) and of each entry's name, type, size,
    time and, for a symlink, its target and the target's state: gwcalc chooses among sets by
    stat, type and symlink, which no audit event shows (None: the folder is missing)."""
    try:
        rows: list[Any] = [os.path.realpath(path)]
        with os.scandir(path) as found:
            for entry in found:
                rows.append([entry.name, *_lstat(entry.path), *_target(entry)])
    except (OSError, ValueError):
        return None
    return _digest(sorted(map(repr, rows)))


def _lstat(path: str) -> list[int]:
    info = os.lstat(path)
    return [info.st_mode, info.st_size, info.st_mtime_ns]


def _target(entry: os.DirEntry[str]) -> list[Any]:
    if not entry.is_symlink():
        return []
    try:
        info = os.stat(entry.path)
        target: list[Any] = [info.st_mode, info.st_size, info.st_mtime_ns]
    except OSError:
        target = [None]  # a broken link: its target appearing is a change
    return [os.readlink(entry.path), *target]


def _digest(items: list[str]) -> str:
    text = "\0".join(items)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


FOLDER_STATES = {"names": names, "entries": entries}


def unchanged(entry: dict[str, Any]) -> bool:
    """Whether every file and folder the recorded run read is as it was then."""
    for folder, files in entry["files"].items():
        for name, size, mtime, digest in files:
            path = os.path.join(folder, name)
            if file_state(path, digest is not None) != [name, size, mtime, digest]:
                return False
    return all(FOLDER_STATES[kind](path) == digest for path, kind, digest in entry["dirs"])
