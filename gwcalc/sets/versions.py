"""Versions of assumption sets: NAME@VERSION references and the files that hold each version."""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from gwcalc.errors import ParameterError, SetNotFoundError
from gwcalc.sets.field_checks import read_whole

MAX_PEEK_BYTES = 10 * 1024 * 1024  # as gwcalc.sets.read.MAX_SET_BYTES

SEP = "@"


class SetLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...


_VERSIONED = re.compile(r"(?P<name>.+)@(?P<version>[0-9]+)")

# A folder holds one file per released version: NAME@VERSION.toml (the shipped sets, and the
# files `assumptions new` writes when it makes a newer version of a set in place). A plain
# NAME.toml is also a set, of the version written inside it. A bare NAME means the newest
# version in the first folder that has NAME; NAME@VERSION means exactly that version. A
# released file never changes, so a newer version never hides an older one: both stay
# reachable.


def split_ref(ref: str) -> tuple[str, int | None]:
    """'independent-2026@1' -> ('independent-2026', 1); 'seed-2025' -> ('seed-2025', None)."""
    name, sep, version = ref.rpartition(SEP)
    if not sep:
        return ref, None
    if not name:
        raise SetNotFoundError(
            f"{ref[:80]!r} names no set before '{SEP}'", "write NAME@VERSION, e.g. seed-2025@1"
        )
    try:
        number = read_whole(version)
    except ParameterError:
        number = 0
    if number < 1:
        raise SetNotFoundError(
            f"{ref[:80]!r}: version {version[:20]!r} is not a whole number ≥ 1",
            "write NAME@VERSION, e.g. independent-2026@1, or NAME for the newest version",
        )
    return name, number


def file_ref(path: Path) -> tuple[str, int | None]:
    """The set name and version a file's name gives (None: written inside the file)."""
    found = _VERSIONED.fullmatch(path.stem)
    if found:
        return found["name"], int(found["version"])
    return path.stem, None


def file_version(path: Path) -> int:
    """The version a file holds: from its name, else from its 'version' key (0 if unreadable)."""
    version = file_ref(path)[1]
    if version is not None:
        return version
    try:
        info = path.stat()  # never open a FIFO or a device, nor read a huge file, to peek
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_PEEK_BYTES:
            return 0
        found = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("version")
    except (OSError, ValueError, RecursionError):  # ValueError: TOML and UTF-8 errors
        return 0
    return found if isinstance(found, int) and not isinstance(found, bool) else 0


def candidates(folder: Path, name: str) -> list[tuple[int, Path]]:
    """Every file of set NAME in one folder, as (version, path), newest first.

    Any entry so named counts, not only regular files: a FIFO, folder or broken link named
    NAME.toml is listed as NAME too, so looking it up must fail as reading it does (the
    loader says why), not with "no set named NAME"."""
    try:
        if not folder.is_dir():
            return []
        paths = [folder / f"{name}.toml", *folder.glob(f"{glob_escape(name)}@*.toml")]
        found = [(file_version(p), p) for p in paths if _entry(p) and file_ref(p)[0] == name]
    except (OSError, ValueError):
        return []
    # Newest first; for one version a NAME@V.toml comes before a plain NAME.toml.
    return sorted(found, key=lambda vp: (-vp[0], file_ref(vp[1])[1] is None))


def _entry(path: Path) -> bool:
    """Whether anything (a file, FIFO, folder, even a broken link) is at path."""
    return path.is_symlink() or path.exists()


def versioned_file_name(aset: SetLike) -> str:
    """'mine@3.toml': the file that holds one version of a set, beside its other versions."""
    return f"{aset.id}{SEP}{aset.version}.toml"


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def pick(name: str, version: int | None, dirs: Iterable[Path]) -> Path | None:
    """The file for NAME (newest) or NAME@VERSION in the first folder that has it, or None."""
    seen: list[int] = []
    for folder in dirs:
        found = candidates(folder, name)
        if version is None and found:
            return found[0][1]
        for v, path in found:
            if v == version:
                return path
        seen += [v for v, _ in found]
    if seen:
        listed = ", ".join(f"{name}{SEP}{v}" for v in sorted(set(seen)))
        raise SetNotFoundError(
            f"assumption set {name!r} has no version {version}", f"versions found: {listed}"
        )
    return None


def unique_files(dirs: Iterable[Path]) -> Iterator[Path]:
    """Every *.toml file in the folders, one per (name, version), first folder wins."""
    seen: set[tuple[str, int]] = set()
    for folder in dirs:
        try:
            if not folder.is_dir():
                continue
            paths = sorted(folder.glob("*.toml"), key=lambda p: (file_ref(p)[0], file_version(p)))
        except (OSError, ValueError):
            continue
        for path in paths:
            key = (file_ref(path)[0], file_version(path))
            if key not in seen:
                seen.add(key)
                yield path
