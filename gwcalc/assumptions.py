"""Assumption sets: read, validate, override, hash and write the versioned TOML files."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import math
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from gwcalc.errors import (
    AssumptionFileError,
    GwcalcError,
    ParameterError,
    SetNotFoundError,
    WriteError,
)
from gwcalc.schema import REQUIRED, SPECS
from gwcalc.units import (
    Q_,
    Quantity,
    describe_dimensions,
    dimensions,
    format_quantity,
    parse_quantity,
    parse_unit,
    unit_text,
    ureg,
)

FORMAT = 1
DEFAULT_SET = "seed-2025"
ENV_DIR = "GWCALC_ASSUMPTIONS_DIR"
ENV_DEFAULT = "GWCALC_DEFAULT_SET"
OVERRIDE_SOURCE = "override for this run"


@dataclass(frozen=True)
class Source:
    """Where a figure comes from."""

    title: str
    url: str | None = None
    date: str | None = None  # ISO date, or a year-month such as "2025-10"

    def to_dict(self) -> dict[str, str]:
        out = {"title": self.title}
        if self.url:
            out["url"] = self.url
        if self.date:
            out["date"] = self.date
        return out

    def cite(self) -> str:
        parts = [self.title]
        if self.date:
            parts.append(self.date)
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)


@dataclass(frozen=True)
class Parameter:
    """One figure: a value with its unit, a source and an optional note."""

    name: str
    value: float
    unit: str
    source: Source
    note: str | None = None

    @cached_property
    def quantity(self) -> Quantity:
        return Q_(self.value, parse_unit_or_dimensionless(self.unit))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "unit": self.unit}
        if self.note:
            out["note"] = self.note
        out["source"] = self.source.to_dict()
        return out


@lru_cache(maxsize=256)
def parse_unit_or_dimensionless(text: str) -> Any:
    """A parameter's unit text as pint Units ('' and '1' are a plain ratio)."""
    if text.strip() in ("", "1", "dimensionless"):
        return ureg.dimensionless
    return parse_unit(text)


@dataclass(frozen=True)
class AssumptionSet:
    """A versioned, sourced set of parameters, as read from one TOML file."""

    id: str
    version: int
    date: str
    title: str
    parameters: Mapping[str, Parameter]
    description: str = ""
    extends: str | None = None
    changes: tuple[str, ...] = ()  # recorded in the file by `assumptions new`
    path: Path | None = field(default=None, compare=False)
    overrides: tuple[str, ...] = ()  # parameters replaced for this run by --set

    def __contains__(self, name: object) -> bool:
        return name in self.parameters

    def quantity(self, name: str) -> Quantity:
        try:
            return self.parameters[name].quantity
        except KeyError:
            raise ParameterError(
                f"assumption set {self.id!r} has no parameter {name!r}",
                f"add it to the set's file, or override it for this run ({name}=QUANTITY)",
            ) from None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": FORMAT,
            "id": self.id,
            "version": self.version,
            "date": self.date,
            "title": self.title,
        }
        if self.description:
            out["description"] = self.description
        if self.extends:
            out["extends"] = self.extends
        if self.changes:
            out["changes"] = list(self.changes)
        out["parameters"] = {n: p.to_dict() for n, p in self.parameters.items()}
        return out

    def to_toml(self) -> str:
        import tomli_w

        data = self.to_dict()
        # Multi-line strings read better, but TOML folds CR LF inside them into LF.
        exact = "\\r" not in repr(data)  # repr shows a CR as backslash-r
        return tomli_w.dumps(data, multiline_strings=exact)

    @cached_property
    def sha256(self) -> str:
        """Hash of the set's canonical TOML (parameters sorted by name), so that overrides
        change it and formatting or the order of tables in the file do not."""
        import tomli_w

        data = self.to_dict()
        data["parameters"] = dict(sorted(data["parameters"].items()))
        return hashlib.sha256(tomli_w.dumps(data).encode()).hexdigest()

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"

    def with_overrides(self, overrides: Iterable[tuple[str, Any]]) -> AssumptionSet:
        """A copy with some parameters replaced (or added, for names gwcalc knows)."""
        params = dict(self.parameters)
        changed: list[str] = []
        for name, q in overrides:
            old = params.get(name)
            if old is None and name not in SPECS:
                known = ", ".join(sorted(set(params) | set(SPECS)))
                raise ParameterError(
                    f"unknown parameter {name!r} to override", f"known parameters: {known}"
                )
            spec = SPECS.get(name)
            choices = [old.unit] if old is not None else []
            choices += [u for u in (spec.units if spec else ()) if u not in choices]
            unit = choices[0]
            units = parse_unit_or_dimensionless(unit)
            if not dimensions(q) and dimensions(Q_(1.0, units)):
                q = Q_(float(q.magnitude), units)  # '--set pue=1.2': read in the set's unit
            for choice in choices:  # e.g. contracted_spend in USD or USD_all_in
                if dimensions(q) == dimensions(Q_(1.0, parse_unit_or_dimensionless(choice))):
                    unit, units = choice, parse_unit_or_dimensionless(choice)
                    break
            if dimensions(q) != dimensions(Q_(1.0, units)):
                raise ParameterError(
                    f"{name}: {unit_text(q.units)} ({describe_dimensions(dimensions(q))}) "
                    f"does not match {name}'s unit {unit_text(units)} "
                    f"({describe_dimensions(dimensions(Q_(1.0, units)))})",
                    f"give {name} in {unit_text(units)}, or a unit of the same dimension",
                )
            q = q.to(units)  # same figure, same canonical form: 50% and 0.5 hash alike
            param = Parameter(
                name,
                float(q.magnitude),
                unit,
                Source(OVERRIDE_SOURCE),
                note=f"was {old.value:g} {old.unit}" if old else "added for this run",
            )
            validate_parameter(param)
            params[name] = param
            changed.append(name)
        if not changed:
            return self
        return replace(self, parameters=params, overrides=(*self.overrides, *changed))


def validate_parameter(param: Parameter) -> None:
    """Check a parameter's value is finite and in range, and its unit fits its name."""

    def fail(message: str, hint: str | None = None) -> None:
        raise ParameterError(f"{param.name}: {message}", hint)

    if not math.isfinite(param.value):
        fail(f"value {param.value} is not a finite number")
    spec = SPECS.get(param.name)
    if spec is None:
        if param.value <= 0:
            fail(f"value {param.value:g} must be greater than zero")
        return
    got = dimensions(param.quantity)
    wanted = [dimensions(Q_(1.0, parse_unit_or_dimensionless(u))) for u in spec.units]
    if got not in wanted:
        fail(
            f"unit {param.unit!r} is {describe_dimensions(got)}, but {param.name} must be "
            + " or ".join(
                f"{describe_dimensions(w)} (e.g. {unit_text(parse_unit_or_dimensionless(u))})"
                for w, u in zip(wanted, spec.units, strict=True)
            ),
            f"{param.name} is the {spec.meaning}",
        )
    spec_unit = parse_unit_or_dimensionless(spec.units[wanted.index(got)])
    magnitude = param.quantity.to(spec_unit).magnitude
    low_ok = magnitude >= spec.minimum if spec.minimum_inclusive else magnitude > spec.minimum
    high_ok = spec.maximum is None or magnitude <= spec.maximum
    if not (low_ok and high_ok):
        low = f"{'≥' if spec.minimum_inclusive else '>'} {spec.minimum:g}"
        high = f" and ≤ {spec.maximum:g}" if spec.maximum is not None else ""
        fail(f"value {magnitude:g} is out of range: it must be {low}{high}", spec.meaning)


# ---------------------------------------------------------------- reading files


def _line_of(text: str, name: str | None, subkey: str | None = None) -> int | None:
    """The line of a parameter's table (or of a top-level key) in the file, for error messages."""
    if name is None:
        return None
    lines = text.splitlines()
    quoted = rf"(?:{re.escape(name)}|\"{re.escape(name)}\"|'{re.escape(name)}')"
    header = re.compile(rf"^\s*\[\s*parameters\s*\.\s*{quoted}\s*\]")
    start = None
    for i, line in enumerate(lines, 1):
        if header.match(line):
            start = i
            break
    if start is None:
        key = re.compile(rf"^\s*{re.escape(name)}\s*=")
        return next((i for i, line in enumerate(lines, 1) if key.match(line)), None)
    if subkey:
        key = re.compile(rf"^\s*{re.escape(subkey)}\s*=")
        for i in range(start, len(lines)):
            if lines[i].lstrip().startswith("["):
                break
            if key.match(lines[i]):
                return i + 1
    return start


def _text_field(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def load_set(path: Path) -> AssumptionSet:
    """Read and validate one assumption file; errors name the file, line and key."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AssumptionFileError(
            "no such assumption file",
            path=where,
            hint="check the path, or run 'gwcalc assumptions list'",
        ) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or str(exc)
        raise AssumptionFileError(f"cannot read the file: {reason}", path=where) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AssumptionFileError("the file is not UTF-8 text", path=where) from exc
    return parse_set(text, path)


def parse_set(text: str, path: Path | None = None) -> AssumptionSet:
    """Parse the TOML text of an assumption set."""
    where = str(path) if path else "<text>"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 puts the position only in the message: "… (at line 3, column 9)"
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(found.group(1)) if found else None
        msg = str(exc)
        raise AssumptionFileError(
            f"not valid TOML: {msg}", path=where, line=line, hint="fix the TOML syntax at that line"
        ) from exc

    def fail(
        message: str, key: str | None = None, sub: str | None = None, hint: str | None = None
    ) -> AssumptionFileError:
        return AssumptionFileError(
            message, path=where, line=_line_of(text, key, sub), key=key, hint=hint
        )

    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise fail(f"format {fmt!r} is not one gwcalc reads (it reads format {FORMAT})", "format")
    for key in ("id", "version", "title"):
        if key not in data:
            raise fail(
                f"missing top-level key {key!r}",
                hint="every set has an id, a version, a date and a title",
            )
    set_id = data["id"]
    if not isinstance(set_id, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", set_id):
        raise fail("id must be a name of letters, digits, '.', '_' or '-'", "id")
    version = data["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("version must be a whole number ≥ 1", "version")
    date = _text_field(data, "date")
    if not date:
        raise fail(
            "missing top-level key 'date'",
            hint='write the date the figures were gathered, e.g. date = "2026-01-07"',
        )
    params_raw = data.get("parameters")
    if not isinstance(params_raw, dict) or not params_raw:
        raise fail(
            "the set has no [parameters.NAME] tables",
            hint="see assumptions/seed-2025.toml for the layout",
        )
    params: dict[str, Parameter] = {}
    for name, entry in params_raw.items():
        if not isinstance(entry, dict):
            raise fail("a parameter must be a table with value, unit and source", name)
        value = entry.get("value")
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise fail("'value' must be a number", name, "value")
        unit = entry.get("unit", "")
        if not isinstance(unit, str):
            raise fail("'unit' must be a string", name, "unit")
        src = entry.get("source")
        if not isinstance(src, dict) or not str(src.get("title", "")).strip():
            raise fail(
                "every figure needs a source with a title",
                name,
                "source",
                hint="add [parameters.NAME.source] with title, url and date",
            )
        source = Source(str(src["title"]), _text_field(src, "url"), _text_field(src, "date"))
        note = entry.get("note")
        param = Parameter(name, float(value), unit, source, str(note) if note is not None else None)
        try:
            _ = param.quantity
        except GwcalcError as exc:
            raise fail(exc.message, name, "unit", hint=exc.hint) from exc
        try:
            validate_parameter(param)
        except ParameterError as exc:  # the line is looked up only when something is wrong
            raise fail(exc.message.removeprefix(f"{name}: "), name, hint=exc.hint) from exc
        params[name] = param
    missing = [n for n in REQUIRED if n not in params]
    if missing:
        raise fail(
            f"missing required parameters: {', '.join(missing)}",
            hint="every set defines " + ", ".join(REQUIRED),
        )
    changes = data.get("changes", [])
    return AssumptionSet(
        id=set_id,
        version=version,
        date=date,
        title=str(data["title"]),
        description=str(data.get("description", "")),
        parameters=params,
        extends=_text_field(data, "extends"),
        changes=tuple(str(c) for c in changes) if isinstance(changes, list) else (),
        path=path,
    )


# ---------------------------------------------------------------- finding sets


def bundled_dir() -> Path:
    """The folder of sets shipped inside the package (the repo's assumptions/ folder)."""
    bundled = importlib.import_module("gwcalc.bundled")
    return Path(str(bundled.__file__)).parent


def search_dirs(user_dir: Path | None = None, cwd: Path | None = None) -> list[Path]:
    """Where sets are looked for, first match wins: --assumptions-dir (or $GWCALC_ASSUMPTIONS_DIR),
    then ./assumptions/, then the sets bundled with gwcalc."""
    dirs: list[Path] = []
    if user_dir is None and os.environ.get(ENV_DIR):
        user_dir = Path(os.environ[ENV_DIR])
    if user_dir is not None:
        try:
            if user_dir.exists() and not user_dir.is_dir():
                raise SetNotFoundError(
                    f"assumptions folder {user_dir} is a file, not a folder",
                    f"pass a folder with --assumptions-dir or ${ENV_DIR}",
                )
        except (OSError, ValueError) as exc:
            raise SetNotFoundError(f"cannot use assumptions folder: {exc}") from exc
        dirs.append(user_dir)
    dirs.append((cwd or Path.cwd()) / "assumptions")
    dirs.append(bundled_dir())
    unique: list[Path] = []
    try:
        for d in dirs:
            if d.resolve() not in {u.resolve() for u in unique}:
                unique.append(d)
    except (OSError, RuntimeError, ValueError) as exc:
        raise SetNotFoundError(f"cannot use assumptions folder: {exc}") from exc
    return unique


def default_set_name() -> str:
    """$GWCALC_DEFAULT_SET if set, else seed-2025 (the articles' own numbers)."""
    return os.environ.get(ENV_DEFAULT) or DEFAULT_SET


def is_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or os.sep in name


def iter_set_files(dirs: Iterable[Path]) -> Iterator[Path]:
    """Every *.toml file in the search folders, in search order, a name once (first wins)."""
    seen: set[str] = set()
    for d in dirs:
        try:
            if not d.is_dir():
                continue
        except (OSError, ValueError):
            continue
        for path in sorted(d.glob("*.toml")):
            if path.stem not in seen:
                seen.add(path.stem)
                yield path


def available_sets(dirs: Iterable[Path]) -> list[tuple[Path, AssumptionSet | GwcalcError]]:
    """Every set in the search folders (first of a name wins), or the error that stops it."""
    out: list[tuple[Path, AssumptionSet | GwcalcError]] = []
    for path in iter_set_files(dirs):
        try:
            out.append((path, load_set(path)))
        except GwcalcError as exc:
            out.append((path, exc))
    return out


def find_set_path(name: str, dirs: Iterable[Path]) -> Path:
    """The file for NAME (a path, or a set name looked up in the search folders)."""
    try:
        if is_path(name):
            return Path(name).expanduser()
        dirs = list(dirs)
        for d in dirs:
            candidate = d / f"{name}.toml"
            if candidate.is_file():
                return candidate
    except (OSError, RuntimeError, ValueError) as exc:  # name too long, ~unknown-user, NUL
        raise SetNotFoundError(f"cannot look up assumption set {name[:80]!r}: {exc}") from exc
    available = sorted({p.stem for p in iter_set_files(dirs)})
    raise SetNotFoundError(
        f"no assumption set named {name!r}",
        f"available: {', '.join(available) or 'none'}; searched {', '.join(str(d) for d in dirs)}",
    )


def resolve_set(name: str | None, user_dir: Path | None = None) -> AssumptionSet:
    """Load the set a user asked for by name or path (the default set if None)."""
    chosen = default_set_name() if name is None else name
    try:
        return load_set(find_set_path(chosen, search_dirs(user_dir)))
    except SetNotFoundError as exc:
        if name is None and os.environ.get(ENV_DEFAULT):
            exc.hint = f"${ENV_DEFAULT} names it; {exc.hint}"
        raise


def parse_override(text: str) -> tuple[str, Any]:
    """'gpus_per_gw=400k gpu/GW' -> ('gpus_per_gw', Quantity)."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name or not value.strip():
        raise ParameterError(
            f"--set {text!r} is not NAME=QUANTITY", "for example: --set gpus_per_gw=400k gpu/GW"
        )
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ParameterError(f"--set: {name!r} is not a parameter name")
    return name, parse_quantity(value)


# ---------------------------------------------------------------- writing sets


def derive_set(
    base: AssumptionSet,
    new_id: str,
    overrides: Iterable[tuple[str, Any]],
    *,
    date: str,
    source: Source,
) -> AssumptionSet:
    """A new set extending base: overridden figures cite `source`, every other keeps its own."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", new_id):
        raise ParameterError(
            f"{new_id!r} is not a set name", "use letters, digits, '.', '_' or '-'"
        )
    derived = base.with_overrides(overrides)
    params = dict(derived.parameters)
    changes: list[str] = []
    for name in dict.fromkeys(derived.overrides):
        old = base.parameters.get(name)
        new = params[name]
        was = format_quantity(old.quantity) if old else "absent"
        params[name] = replace(new, source=source, note=f"was {was} in {base.label}")
        changes.append(f"{name}: {was} -> {format_quantity(new.quantity)}")
    return AssumptionSet(
        id=new_id,
        version=base.version + 1,
        date=date,
        title=re.sub(r", extended \(\d+ changed\)$", "", base.title)
        + f", extended ({len(changes)} changed)",
        parameters=params,
        description=base.description,
        extends=f"{base.id} v{base.version} sha256:{base.sha256}",
        changes=tuple(changes),
    )


def write_set(
    aset: AssumptionSet, path: Path, *, force: bool = False, protect: Path | None = None
) -> Path:
    """Write atomically: a temporary file beside the target, checked, then moved into place.
    Refuses to overwrite an existing file unless force."""
    import tempfile

    path = path.expanduser()
    if protect is not None and path.exists() and path.resolve() == protect.resolve():
        raise WriteError(
            f"{path} is the set it extends: gwcalc never overwrites the base of a new set",
            "pick another name",
        )
    if path.suffix != ".toml":
        raise WriteError(f"{path}: an assumption file must end in .toml")
    if path.exists() and not force:
        raise WriteError(
            f"{path} exists already", "pass --force to overwrite it, or pick another name"
        )
    text = aset.to_toml()
    parse_set(text, path)  # never write what gwcalc could not read back
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteError(f"cannot write in {path.parent}: {exc.strerror}") from exc
    tmp_path = Path(tmp)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as open() would make it, not mkstemp's 0600
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp_path, path)
        else:
            os.link(tmp_path, path)  # fails if the file appeared meanwhile: never clobbers
    except FileExistsError:
        raise WriteError(f"{path} exists already", "pass --force to overwrite it") from None
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror}") from exc
    finally:
        tmp_path.unlink(missing_ok=True)
    return path
