"""Writing sets: derive a new version from a base, write it atomically and read it back."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from gwcalc.errors import (
    OVERWRITE,
    GwcalcError,
    ParameterError,
    WriteError,
)
from gwcalc.sets import find as sets_find
from gwcalc.sets import versions
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.field_checks import (
    check_date,
    check_set_name,
    check_text,
    check_url,
    check_version,
)
from gwcalc.sets.figures import Parameter, Source
from gwcalc.sets.find import is_path, resolve_set
from gwcalc.sets.ranges import Given
from gwcalc.sets.read import load_set, parse_set, read_regular_file
from gwcalc.sets.versions import versioned_file_name
from gwcalc.units.registry import (
    Q_,
    format_quantity,
)


def derive_set(
    base: AssumptionSet,
    new_id: str,
    overrides: Iterable[tuple[str, Given]],
    *,
    date: str,
    source: Source,
) -> AssumptionSet:
    """A new set extending base: overridden figures cite `source`, every other keeps its own.
    Its id, date, version and source are checked as loading a file checks them."""
    check_set_name(new_id)
    check_date(date)
    version = check_version(base.version + 1)
    _check_new_source(source)
    derived = base.with_overrides(overrides)
    params = dict(derived.parameters)
    changes: list[str] = []
    for name in dict.fromkeys(derived.overrides):
        if "." in name:  # one year (NAME.YEAR) or a chip's figure (CHIP.FIELD)
            derived = _record_figure(base, derived, params, name, source, changes)
            continue
        old = base.parameters.get(name)
        new = params[name]
        was = format_quantity(old.quantity) if old else "absent"
        params[name] = replace(new, source=source, note=f"was {was} in {base.label}")
        changes.append(f"{name}: {was} -> {format_quantity(new.quantity)}{_span(new)}")
    return AssumptionSet(
        id=new_id,
        version=version,
        date=date,
        title=re.sub(r", extended \(\d+ changed\)$", "", base.title)
        + f", extended ({len(changes)} changed)",
        parameters=params,
        description=base.description,
        extends=f"{base.id} v{base.version} sha256:{base.sha256}",
        changes=tuple(changes),
        caveats=base.caveats,
        format=base.format,
        timeline=derived.timeline,  # years, mix and deals carry over; chips as changed
    )


def _span(new: Parameter) -> str:
    """', range 330k..478k gpu/GW_IT (lognormal 90%)' for a figure given a range."""
    if new.range is None or new.range.width_zero:
        return ""
    units = new.quantity.units
    ends = [format_quantity(Q_(v, units)) for v in (new.range.low, new.range.high)]
    return f", range {ends[0]}..{ends[1]} ({new.range.text()})"


def _record_figure(
    base: AssumptionSet,
    derived: AssumptionSet,
    params: dict[str, Parameter],
    name: str,
    source: Source,
    changes: list[str],
) -> AssumptionSet:
    """One year's value or a chip's figure, as overridden, citing the new set's source."""
    head, _, tail = name.partition(".")
    if tail.isdigit():
        year = int(tail)
        new = params[head].at(year)
        was = format_quantity(base.parameters[head].at(year).quantity)
        note = f"was {was} in {base.label}"
        entries = tuple(
            replace(y, source=source, note=note) if y.year == year else y
            for y in params[head].by_year
        )
        params[head] = replace(params[head], by_year=entries)
    else:
        assert derived.timeline is not None and base.timeline is not None
        chip = derived.timeline.chips[head]
        old = base.timeline.chips[head].figures.get(tail)
        new = chip.figures[tail]
        was = format_quantity(old.quantity) if old else "absent"
        figures = {
            **chip.figures,
            tail: replace(new, source=source, note=f"was {was} in {base.label}"),
        }
        chips = {**derived.timeline.chips, head: chip._replace(figures=figures)}
        derived = replace(derived, timeline=derived.timeline._replace(chips=chips))
    changes.append(f"{name}: {was} -> {format_quantity(new.quantity)}{_span(new)}")
    return derived


def _check_new_source(source: Source) -> None:
    try:
        check_text(source.title, required=True)
        if source.url is not None:
            check_url(source.url)
        if source.date is not None:
            check_date(source.date)
    except ParameterError as exc:
        raise ParameterError(
            f"source of the new figures: {exc.message}",
            "say where the new figures come from: a title, and an http(s) address if any",
        ) from None


def bundled_names() -> set[str]:
    """The names of the sets shipped with gwcalc."""
    return {versions.file_ref(p)[0] for p in sets_find.bundled_dir().glob("*.toml")}


def new_set_target(name: str, folder: Path | None) -> Path:
    """Where a new set NAME goes: NAME itself when it is a path, else folder/NAME.toml
    (in the user's own folder without one). Its stem, the new set's id, must be a set name."""
    if is_path(name):
        try:
            target = Path(name).expanduser()
        except RuntimeError as exc:  # ~user of a user that does not exist
            raise WriteError(f"cannot write to {name[:200]}: {exc}", "write the full path") from exc
    else:
        from gwcalc.sets.paths import user_sets_dir

        target = (folder if folder is not None else user_sets_dir()) / f"{name}.toml"
    check_set_name(target.stem)
    return target


def check_target(path: Path, *, force: bool = False, protect: Path | None = None) -> None:
    """Refuse a target gwcalc must not write: not .toml, inside the folder of shipped sets (even
    with force: from a checkout that folder is the repository's own), the base of the new set,
    or (unless force) a file that exists."""
    if path.suffix != ".toml":
        raise WriteError(f"{path}: an assumption file must end in .toml")
    try:
        shipped = sets_find.bundled_dir().resolve()
        if shipped in (path.parent.resolve(), path.resolve().parent):
            raise WriteError(
                f"{path} is in the folder of sets shipped with gwcalc ({shipped}): "
                "gwcalc never writes there, since a released set never changes",
                "write the new set to another folder",
            )
        exists = path.exists()
        if protect is not None and exists and path.resolve() == protect.resolve():
            raise WriteError(
                f"{path} is the set it extends: gwcalc never overwrites the base of a new set",
                "pick another name",
            )
    except (OSError, RuntimeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise WriteError(
            f"cannot write to {str(path)[:200]}: {reason}",
            "use a shorter name in an existing, writable folder",
        ) from exc
    if exists and not force:
        raise WriteError(
            f"{path} exists already", f"pick another name (or {OVERWRITE} to overwrite it)"
        )


def write_set(
    aset: AssumptionSet, path: Path, *, force: bool = False, protect: Path | None = None
) -> Path:
    """Write atomically: a temporary file beside the target (mode 0644), read back and compared,
    then moved into place and read back again. Refuses to overwrite an existing file unless
    force, and never writes into the folder of shipped sets."""
    path = path.expanduser()
    check_target(path, force=force, protect=protect)
    text = aset.to_toml()
    parse_set(text, path)  # never write what gwcalc could not read back
    tmp_path = _write_temporary(path, text.encode("utf-8"))
    try:
        _read_back(tmp_path, text, aset)
        if force:
            os.replace(tmp_path, path)
        else:
            os.link(tmp_path, path)  # fails if the file appeared meanwhile: never clobbers
    except FileExistsError:
        raise WriteError(f"{path} exists already", f"{OVERWRITE} to overwrite it") from None
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror}") from exc
    finally:
        tmp_path.unlink(missing_ok=True)
    _read_back(path, text, aset)
    return path


def _write_temporary(path: Path, data: bytes) -> Path:
    """data in a new temporary file beside path, mode 0644 whatever the umask, synced."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:100]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteError(f"cannot write in {path.parent}: {exc.strerror}") from exc
    tmp_path = Path(tmp)
    try:
        os.fchmod(fd, 0o644)  # readable by all, as a shared set should be; not mkstemp's 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise WriteError(f"cannot write {path}: {exc.strerror}") from exc
    return tmp_path


def _read_back(path: Path, text: str, aset: AssumptionSet) -> None:
    """Read the file written from disk and check it holds text, and the same set as aset."""
    try:
        same_bytes = read_regular_file(path, str(path)) == text.encode("utf-8")
        same_set = same_bytes and load_set(path).sha256 == aset.sha256
    except GwcalcError as exc:
        raise WriteError(f"{path} does not read back: {exc.message}", exc.hint) from exc
    if not same_set:
        raise WriteError(
            f"{path} does not read back as written",
            "check the disk and the folder (is another program changing it?)",
        )


def write_new_set(
    name: str,
    base_name: str,
    changes: Iterable[tuple[str, Given]],
    assumptions_dir: Path | None,
    *,
    today: str,
    source: str,
    force: bool,
) -> tuple[AssumptionSet, AssumptionSet]:
    """A new set NAME (a name, written to the sets folder, or a path) that extends BASE with
    some figures changed: (BASE, the new set as written, with its path). BASE is never
    touched; a shipped set's name or an existing file is taken only with force."""
    bump = not is_path(name) and name == base_name.partition("@")[0]  # NAME@V+1 beside NAME
    target = _new_target(name, assumptions_dir, force, bump=bump)
    with _folder_for(target, assumptions_dir):
        base = resolve_set(base_name, assumptions_dir)
        cited = Source(source, None, today)
        derived = derive_set(base, target.stem, changes, date=today, source=cited)
        if not is_path(name) and derived.id == base.id:  # a newer version beside the older one
            target = target.with_name(versioned_file_name(derived))
            check_target(target, force=force)
        written = write_set(derived, target, force=force, protect=base.path)
    return base, replace(derived, path=written)


def _new_target(name: str, assumptions_dir: Path | None, force: bool, *, bump: bool) -> Path:
    """The file a new set NAME goes to, resolved first so that a name and a path are checked
    alike: not in the shipped folder, not hiding a shipped set or an existing file unless force."""
    target = new_set_target(name, assumptions_dir)
    check_target(target, force=force or bump)  # a new version goes beside the file: checked then
    if target.stem in bundled_names() and not force:
        raise WriteError(
            f"a set named {target.stem!r} ships with gwcalc, and {target} would hide it",
            f"pick another name (or {OVERWRITE} to shadow the shipped set on purpose)",
        )
    return target


@contextlib.contextmanager
def _folder_for(target: Path, folder: Path | None) -> Iterator[None]:
    """Create --assumptions-dir for a set written into it (so that looking up BASE there does
    not fail), and remove it again, if still empty, when nothing was written."""
    made = folder if folder is not None and target.parent == folder else None
    if made is not None and not made.exists():
        try:
            made.mkdir(parents=True)
        except OSError as exc:
            raise WriteError(f"cannot create the folder {made}: {exc.strerror}") from exc
    else:
        made = None
    try:
        yield
    except BaseException:
        if made is not None:
            with contextlib.suppress(OSError):
                made.rmdir()
        raise
