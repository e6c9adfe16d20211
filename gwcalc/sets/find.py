"""Finding sets: the search folders, NAME@VERSION references and the default set."""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from gwcalc.errors import (
    AssumptionFileError,
    GwcalcError,
    SetNotFoundError,
)
from gwcalc.sets import versions
from gwcalc.sets.assumption_set import (
    DEFAULT_SET,
    DEFAULT_TIMELINE_SET,
    ENV_DEFAULT,
    AssumptionSet,
)
from gwcalc.sets.paths import ENV_DIR, announced, user_sets_dir
from gwcalc.sets.read import load_set


def bundled_dir() -> Path:
    """The folder of sets shipped inside the package (the repo's assumptions/ folder)."""
    bundled = importlib.import_module("gwcalc.bundled")
    return Path(str(bundled.__file__)).parent


def search_dirs(user_dir: Path | None = None, cwd: Path | None = None) -> list[Path]:
    """Where sets are looked for, first match wins: --assumptions-dir (or $GWCALC_ASSUMPTIONS_DIR),
    then ./assumptions/, then the user's folder (gwcalc.sets.paths), then the bundled sets."""
    dirs: list[Path] = []
    if user_dir is None and os.environ.get(ENV_DIR):
        user_dir = Path(os.environ[ENV_DIR])
    if user_dir is not None:
        dirs.append(_checked_user_dir(user_dir))
    try:
        dirs.append((cwd or Path.cwd()) / "assumptions")
    except FileNotFoundError:  # the current folder was removed under the shell
        raise SetNotFoundError(
            "the current folder no longer exists, so ./assumptions cannot be searched",
            "cd to an existing folder",
        ) from None
    with contextlib.suppress(RuntimeError):  # no home folder to be found: no user folder
        dirs.append(user_sets_dir())
    dirs.append(bundled_dir())
    announced(dirs)  # every folder, even one dropped below as the same as another
    unique: list[Path] = []
    try:
        for d in dirs:
            if d.resolve() not in {u.resolve() for u in unique}:
                unique.append(d)
    except (OSError, RuntimeError, ValueError) as exc:
        raise SetNotFoundError(f"cannot use assumptions folder: {exc}") from exc
    return unique


def _checked_user_dir(user_dir: Path) -> Path:
    """A folder the user named for their sets must exist and be a folder: a typo in it would
    otherwise fall through, silently, to ./assumptions and the bundled sets."""
    hint = (
        f"create it (mkdir -p {str(user_dir)[:200]}), or name an existing folder "
        f"(the assumptions-dir option, or ${ENV_DIR} when the option is not given)"
    )
    try:
        folder = user_dir.expanduser()
        if not folder.exists():
            raise SetNotFoundError(f"assumptions folder {str(user_dir)[:200]} does not exist", hint)
        if not folder.is_dir():
            raise SetNotFoundError(
                f"assumptions folder {str(user_dir)[:200]} is a file, not a folder", hint
            )
    except (OSError, RuntimeError, ValueError) as exc:
        raise SetNotFoundError(f"cannot use assumptions folder: {exc}", hint) from exc
    return folder


def default_set_name(timeline: bool = False) -> str:
    """$GWCALC_DEFAULT_SET if set, else seed-2025 (the articles' own numbers); for the timeline,
    else market-2026 (a like-for-like market, whose verdict is about supply and demand)."""
    return os.environ.get(ENV_DEFAULT) or (DEFAULT_TIMELINE_SET if timeline else DEFAULT_SET)


def is_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or os.sep in name


def iter_set_files(dirs: Iterable[Path]) -> Iterator[Path]:
    """Every *.toml file in the search folders, in search order, each NAME@VERSION once
    (first folder wins); see gwcalc.sets.versions for the layout."""
    return versions.unique_files(dirs)


def set_ref(path: Path, aset: AssumptionSet | None = None) -> str:
    """'seed-2025@2': the name and version by which a file's set is reached."""
    name, version = versions.file_ref(path)
    if version is None:
        version = aset.version if aset is not None else versions.file_version(path) or None
    return name if version is None else f"{name}{versions.SEP}{version}"


def available_sets(dirs: Iterable[Path]) -> list[tuple[Path, AssumptionSet | GwcalcError]]:
    """Every set in the search folders (first of a name wins), or the error that stops it."""
    out: list[tuple[Path, AssumptionSet | GwcalcError]] = []
    for path in iter_set_files(dirs):
        try:
            out.append((path, load_set(path)))
        except GwcalcError as exc:
            out.append((path, exc))
    return out


def newest_refs(dirs: Iterable[Path]) -> dict[str, str]:
    """Each set name found, mapped to the NAME@VERSION a bare NAME reaches (the newest)."""
    dirs = list(dirs)
    out: dict[str, str] = {}
    for path in iter_set_files(dirs):
        name = versions.file_ref(path)[0]
        if name not in out:
            found = versions.pick(name, None, dirs)
            out[name] = set_ref(found) if found else name
    return out


class ListedSet(NamedTuple):
    """One file in the search folders, as `assumptions list` shows it."""

    path: Path
    ref: str  # the NAME@VERSION that reaches it (the name alone if no version is known)
    item: AssumptionSet | GwcalcError  # the set, or why it cannot be read
    default: bool  # the default set (its newest version)
    newest: bool  # the version a bare NAME reaches
    timeline_default: bool = False  # the timeline's default set (its newest version)


class SetListing(NamedTuple):
    """Every set the search folders hold (first of a name and version wins)."""

    dirs: list[Path]  # searched, in this order
    default: str  # the default set's name
    sets: list[ListedSet]
    timeline_default: str = DEFAULT_TIMELINE_SET  # the timeline's default set's name


def list_sets(user_dir: Path | None = None) -> SetListing:
    """The sets found from user_dir (else $GWCALC_ASSUMPTIONS_DIR) on, and the default one."""
    dirs = search_dirs(user_dir)
    default, of_timeline = default_set_name(), default_set_name(timeline=True)
    newest = newest_refs(dirs)  # bare NAME -> NAME@VERSION it reaches
    listed = []
    for path, item in available_sets(dirs):
        ref = set_ref(path, None if isinstance(item, GwcalcError) else item)
        is_default = newest.get(default, default) == ref
        for_timeline = newest.get(of_timeline, of_timeline) == ref
        listed.append(ListedSet(path, ref, item, is_default, ref in newest.values(), for_timeline))
    return SetListing(dirs, default, listed, of_timeline)


def find_set_path(name: str, dirs: Iterable[Path]) -> Path:
    """The file for NAME (a path, or a set name looked up in the search folders)."""
    try:
        if is_path(name):
            return Path(name).expanduser()
        if len(name) > 200:  # as check_set_name: no set can have such a name
            raise SetNotFoundError(
                f"the set name is too long ({len(name)} characters; a set name has at most 200)",
                "give a set's name (see 'gwcalc assumptions list') or the path of a .toml file",
            )
        dirs = list(dirs)
        found = versions.pick(*versions.split_ref(name), dirs)
        if found is not None:
            return found
    except (OSError, RuntimeError, ValueError) as exc:  # name too long, ~unknown-user, NUL
        raise SetNotFoundError(
            f"cannot look up assumption set {name[:80]!r}: {getattr(exc, 'strerror', None) or exc}",
            "a set name is a file name (at most 255 bytes); in ~user/…, the user must exist",
        ) from exc
    available = sorted({versions.file_ref(p)[0] for p in iter_set_files(dirs)})
    raise SetNotFoundError(
        f"no assumption set named {versions.split_ref(name)[0]!r}",
        f"available: {', '.join(available) or 'none'}; searched {', '.join(str(d) for d in dirs)}",
    )


def resolve_set(
    name: str | None, user_dir: Path | None = None, timeline: bool = False
) -> AssumptionSet:
    """Load the set a user asked for by name or path (the default set if None: the timeline's
    when `timeline`)."""
    chosen = default_set_name(timeline) if name is None else name
    try:
        aset = load_set(find_set_path(chosen, search_dirs(user_dir)))
    except SetNotFoundError as exc:
        if name is None and os.environ.get(ENV_DEFAULT):
            exc.hint = f"${ENV_DEFAULT} names it; {exc.hint}"
        raise
    wanted = None if is_path(chosen) else versions.split_ref(chosen)[1]
    if wanted is not None and aset.version != wanted:
        raise AssumptionFileError(
            f"the file for {chosen!r} holds version {aset.version}",
            path=str(aset.path),
            key="version",
            hint="a file named NAME@VERSION.toml must hold that version",
        )
    return aset
