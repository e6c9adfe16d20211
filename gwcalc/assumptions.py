"""Assumption sets: read, validate, override, hash and write the versioned TOML files."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import importlib
import math
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from gwcalc import versions
from gwcalc.errors import (
    AssumptionFileError,
    GwcalcError,
    ParameterError,
    SetNotFoundError,
    WriteError,
)
from gwcalc.paths import user_sets_dir
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
    publisher: str | None = None  # the outlet or publisher, e.g. "Reuters", "Epoch AI"

    def to_dict(self) -> dict[str, str]:
        out = {"title": self.title}
        if self.publisher:
            out["publisher"] = self.publisher
        if self.url:
            out["url"] = self.url
        if self.date:
            out["date"] = self.date
        return out

    def cite(self) -> str:
        parts = [f"{self.publisher}: {self.title}" if self.publisher else self.title]
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
    implied: bool = False  # no source states the figure: the note gives the reasoning

    @cached_property
    def quantity(self) -> Quantity:
        return Q_(self.value, parse_unit_or_dimensionless(self.unit))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "unit": self.unit}
        if self.implied:
            out["implied"] = True
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
    caveats: tuple[str, ...] = ()  # what is known to be wrong with the set, shown with results

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
        if self.caveats:
            out["caveats"] = list(self.caveats)
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
            if q.units == ureg.dimensionless and dimensions(Q_(1.0, units)):
                q = Q_(float(q.magnitude), units)  # 'pue=1.2', no unit at all: the set's unit
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


# ---------------------------------------------------------------- validating fields

MAX_VERSION = 1_000_000
_SET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DATE_TEXT = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_UNIT_STRAY = re.compile(r"[^\w \t*/^().%$-]")  # what no unit expression holds ('#', '!', ',')
_URL = re.compile(r"https?://[^\s/?#\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*", re.IGNORECASE)


def check_set_name(value: object) -> str:
    """A set's id: letters, digits, '.', '_' or '-', starting with a letter or digit."""
    if not isinstance(value, str) or not _SET_NAME.fullmatch(value) or len(value) > 200:
        raise ParameterError(
            f"{_shown(value)} is not a set name",
            "use up to 200 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return value


def check_version(value: object) -> int:
    """A set's version: a whole number from 1 to MAX_VERSION (a TOML integer, not a boolean)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_VERSION:
        raise ParameterError(
            f"the version is {_shown(value)}, not a whole number from 1 to {MAX_VERSION:,}",
            "write version = 1 for a new set, and add one for each release",
        )
    return value


def check_date(value: object) -> str:
    """A date as ISO text: a TOML date, or a real date written 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    found = _DATE_TEXT.fullmatch(value) if isinstance(value, str) else None
    if found is not None:
        year, month, day = (int(g) if g else 1 for g in found.groups())
        try:
            dt.date(year, month, day)
            return str(value)
        except ValueError:
            pass
    hint = "write a real date as YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2026-01-07"
    if isinstance(value, int):
        hint += ' (a year or a month is text: put it in quotes, e.g. "2026")'
    raise ParameterError(f"{_shown(value)} is not a date", hint)


def check_text(value: object, *, required: bool = False) -> str:
    """A text field: a string (not empty when required)."""
    if not isinstance(value, str) or (required and not value.strip()):
        wanted = "a non-empty string" if required else "a string"
        raise ParameterError(f"{_shown(value)} is not {wanted}", 'write it in quotes: "…"')
    return value


def check_url(value: object) -> str:
    """A source's address: an http:// or https:// URL without spaces or control characters."""
    if not isinstance(value, str) or not _URL.fullmatch(value):
        raise ParameterError(
            f"{_shown(value)} is not a web address",
            'write the full address, e.g. url = "https://example.com/article"',
        )
    return value


def _shown(value: object) -> str:
    """A value for an error message: short, and named by its TOML type when it is not text."""
    if isinstance(value, str):
        return repr(value[:80] + ("…" if len(value) > 80 else ""))
    kinds = (
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a number"),
        (list, "an array"),
        (dict, "a table"),
        (dt.datetime, "a date-time"),
        (dt.date, "a date"),
        (dt.time, "a time"),
    )
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**12:
        return repr(value)
    return next((name for kind, name in kinds if isinstance(value, kind)), "a value")


# ---------------------------------------------------------------- reading files

MAX_SET_BYTES = 10 * 1024 * 1024  # far above any real set; stops /dev/zero and runaway files
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO without it blocks (not on Windows)


def _line_of(text: str, name: str | None, subkey: str | None = None, table: str = "") -> int | None:
    """The line of a parameter's table (or of a top-level key) in the file, for error messages;
    with table='source', the line of subkey inside the parameter's source table."""
    if name is None:
        return None
    lines = text.splitlines()
    quoted = rf"(?:{re.escape(name)}|\"{re.escape(name)}\"|'{re.escape(name)}')"
    suffix = rf"\s*\.\s*{re.escape(table)}" if table else ""
    header = re.compile(rf"^\s*\[\s*parameters\s*\.\s*{quoted}{suffix}\s*\]")
    start = None
    for i, line in enumerate(lines, 1):
        if header.match(line):
            start = i
            break
    if start is None:
        if table:  # an inline source table: the parameter's own 'source =' line
            return _line_of(text, name, table)
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


def _optional_text(table: Mapping[str, Any], key: str, fail: _Fail, name: str) -> str | None:
    """An optional non-empty string field of a source (e.g. its publisher)."""
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise fail(f"'{key}' must be a non-empty string", name, "source")
    return value.strip()


def _parse_implied(entry: Mapping[str, Any], name: str, fail: _Fail) -> bool:
    """'implied = true': no source states the figure (its note should give the reasoning)."""
    implied = entry.get("implied", False)
    if not isinstance(implied, bool):
        raise fail("'implied' must be true or false", name, "implied")
    return implied


def _parse_caveats(data: Mapping[str, Any], fail: _Fail) -> tuple[str, ...]:
    """'caveats = ["…", …]': what is known to be wrong with the set, a list of strings."""
    caveats = data.get("caveats", [])
    if not isinstance(caveats, list) or not all(isinstance(c, str) and c.strip() for c in caveats):
        raise fail("'caveats' must be a list of non-empty strings", "caveats")
    return tuple(c.strip() for c in caveats)


def _read_regular_file(path: Path, where: str) -> bytes:
    """The bytes of a regular file, at most MAX_SET_BYTES: FIFOs, devices and folders are
    refused before they are read (opened non-blocking, so a FIFO cannot stall the open)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise _not_regular(where)
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise AssumptionFileError(
            "no such assumption file",
            path=where,
            hint="check the path, or run 'gwcalc assumptions list'",
        ) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise _unreadable(exc, where) from exc
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the stat
                raise _not_regular(where)
            if _NONBLOCK:  # a regular file reads the same either way; be plain about it
                os.set_blocking(handle.fileno(), True)
            raw = handle.read(MAX_SET_BYTES + 1)
    except OSError as exc:
        raise _unreadable(exc, where) from exc
    if len(raw) > MAX_SET_BYTES:
        raise AssumptionFileError(
            f"the file is larger than {MAX_SET_BYTES // (1024 * 1024)} MB, too large for a set",
            path=where,
            hint="check the path: an assumption set is a small TOML file",
        )
    return raw


def _not_regular(where: str) -> AssumptionFileError:
    return AssumptionFileError(
        "cannot read it: not a regular file (a folder, FIFO, device or socket)",
        path=where,
        hint="give the path of a .toml file",
    )


def _unreadable(exc: OSError | ValueError, where: str) -> AssumptionFileError:
    reason = getattr(exc, "strerror", None) or str(exc)
    hint = "check the path and the file's permissions"
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        hint = "shorten the path: each name in it must fit in 255 bytes"
    return AssumptionFileError(f"cannot read the file: {reason}", path=where[:300], hint=hint)


def load_set(path: Path) -> AssumptionSet:
    """Read and validate one assumption file; errors name the file, line and key."""
    where = str(path)
    raw = _read_regular_file(path, where)
    try:
        text = raw.decode("utf-8-sig")  # a leading byte-order mark is harmless: accept it
    except UnicodeDecodeError as exc:
        raise AssumptionFileError("the file is not UTF-8 text", path=where) from exc
    return parse_set(text, path)


def _parse_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 puts the position only in the message: "… (at line 3, column 9)"
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(found.group(1)) if found else None
        raise AssumptionFileError(
            f"not valid TOML: {exc}",
            path=where,
            line=line,
            hint="fix the TOML syntax at that line",
        ) from exc
    except RecursionError as exc:
        raise AssumptionFileError(
            "arrays or tables are nested too deeply to read",
            path=where,
            hint="an assumption set needs only a few levels: [parameters.NAME.source]",
        ) from exc
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise AssumptionFileError(
            f"not valid TOML: {exc}", path=where, hint="write numbers of a sane size"
        ) from exc


class _Fail:
    """Builds errors that name the file, the line and the key."""

    def __init__(self, text: str, where: str) -> None:
        self.text, self.where = text, where

    def __call__(
        self,
        message: str,
        key: str | None = None,
        sub: str | None = None,
        hint: str | None = None,
        table: str = "",
    ) -> AssumptionFileError:
        line = _line_of(self.text, key, sub, table)
        return AssumptionFileError(message, path=self.where, line=line, key=key, hint=hint)

    def field(self, key: str, check: Callable[[object], Any], value: object) -> Any:
        """check(value), with its ParameterError turned into an error at key's line."""
        try:
            return check(value)
        except ParameterError as exc:
            raise self(exc.message, key, hint=exc.hint) from None


def _read_header(data: Mapping[str, Any], fail: _Fail) -> dict[str, Any]:
    """The top-level fields, each checked for its type."""
    fmt = data.get("format", FORMAT)
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt != FORMAT:
        raise fail(
            f"the format is {_shown(fmt)}, but gwcalc reads only format {FORMAT}",
            "format",
            hint=f"write format = {FORMAT} (an integer), or use a newer gwcalc",
        )
    for key in ("id", "version", "title"):
        if key not in data:
            raise fail(
                f"missing top-level key {key!r}",
                hint="every set has an id, a version, a date and a title",
            )
    if "date" not in data:
        raise fail(
            "missing top-level key 'date'",
            hint='write the date the figures were gathered, e.g. date = "2026-01-07"',
        )
    changes = data.get("changes", [])
    if not isinstance(changes, list) or not all(isinstance(c, str) for c in changes):
        raise fail("changes must be an array of strings", "changes", hint='changes = ["…", "…"]')
    extends = data.get("extends")
    return {
        "id": fail.field("id", check_set_name, data["id"]),
        "version": fail.field("version", check_version, data["version"]),
        "date": fail.field("date", check_date, data["date"]),
        "title": fail.field("title", check_text, data["title"]),
        "description": fail.field("description", check_text, data.get("description", "")),
        "extends": None if extends is None else fail.field("extends", check_text, extends),
        "changes": tuple(changes),
    }


def _read_source(name: str, src: object, fail: _Fail) -> Source:
    """A parameter's source table: a title, and an optional url and date."""
    title = src.get("title") if isinstance(src, dict) else None
    if not isinstance(src, dict) or not isinstance(title, str) or not title.strip():
        raise fail(
            "every figure needs a source with a title",
            name,
            "title" if isinstance(src, dict) else "source",
            hint="add [parameters.NAME.source] with title, url and date",
            table="source" if isinstance(src, dict) else "",
        )
    fields: dict[str, str | None] = {"title": None, "url": None, "date": None}
    checks: dict[str, Callable[[object], str]] = {
        "title": lambda v: check_text(v, required=True),
        "url": check_url,
        "date": check_date,
    }
    for key, check in checks.items():
        if key in src:
            try:
                fields[key] = check(src[key])
            except ParameterError as exc:
                raise fail(
                    f"source {key}: {exc.message}", name, key, hint=exc.hint, table="source"
                ) from None
    publisher = _optional_text(src, "publisher", fail, name)
    return Source(str(fields["title"]), fields["url"], fields["date"], publisher=publisher)


def _read_parameter(name: str, entry: object, fail: _Fail) -> Parameter:
    """One [parameters.NAME] table, checked: value, unit, source and note."""
    if not isinstance(entry, dict):
        raise fail("a parameter must be a table with value, unit and source", name)
    value = entry.get("value")
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise fail("'value' must be a number", name, "value")
    try:
        number = float(value)
    except OverflowError:
        raise fail(
            f"'value' has {len(str(abs(value)))} digits, too large for a number",
            name,
            "value",
            hint="write large figures with an exponent, e.g. 4.5e5",
        ) from None
    unit = entry.get("unit", "")
    if not isinstance(unit, str):
        raise fail("'unit' must be a string", name, "unit")
    stray = _UNIT_STRAY.search(unit)
    if stray:
        raise fail(
            f"'unit' {_shown(unit)} has {stray.group()!r}, which is no part of a unit",
            name,
            "unit",
            hint='write unit names with *, / and ** powers, e.g. unit = "gpu/GW"',
        )
    source = _read_source(name, entry.get("source"), fail)
    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        raise fail(f"'note' must be a string, not {_shown(note)}", name, "note")
    param = Parameter(name, number, unit, source, note, implied=_parse_implied(entry, name, fail))
    try:
        _ = param.quantity
    except GwcalcError as exc:
        raise fail(exc.message, name, "unit", hint=exc.hint) from exc
    try:
        validate_parameter(param)
    except ParameterError as exc:  # the line is looked up only when something is wrong
        raise fail(exc.message.removeprefix(f"{name}: "), name, hint=exc.hint) from exc
    return param


def parse_set(text: str, path: Path | None = None) -> AssumptionSet:
    """Parse the TOML text of an assumption set, checking every field's type and range."""
    where = str(path) if path else "<text>"
    data = _parse_toml(text, where)
    fail = _Fail(text, where)
    header = _read_header(data, fail)
    params_raw = data.get("parameters")
    if not isinstance(params_raw, dict) or not params_raw:
        raise fail(
            "the set has no [parameters.NAME] tables",
            hint="see assumptions/seed-2025.toml for the layout",
        )
    params = {name: _read_parameter(name, entry, fail) for name, entry in params_raw.items()}
    missing = [n for n in REQUIRED if n not in params]
    if missing:
        raise fail(
            f"missing required parameters: {', '.join(missing)}",
            hint="every set defines " + ", ".join(REQUIRED),
        )
    return AssumptionSet(parameters=params, path=path, caveats=_parse_caveats(data, fail), **header)


# ---------------------------------------------------------------- finding sets


def bundled_dir() -> Path:
    """The folder of sets shipped inside the package (the repo's assumptions/ folder)."""
    bundled = importlib.import_module("gwcalc.bundled")
    return Path(str(bundled.__file__)).parent


def search_dirs(user_dir: Path | None = None, cwd: Path | None = None) -> list[Path]:
    """Where sets are looked for, first match wins: --assumptions-dir (or $GWCALC_ASSUMPTIONS_DIR),
    then ./assumptions/, then the user's folder (gwcalc.paths), then the bundled sets."""
    dirs: list[Path] = []
    if user_dir is None and os.environ.get(ENV_DIR):
        user_dir = Path(os.environ[ENV_DIR])
    if user_dir is not None:
        dirs.append(_checked_user_dir(user_dir))
    dirs.append((cwd or Path.cwd()) / "assumptions")
    with contextlib.suppress(RuntimeError):  # no home folder to be found: no user folder
        dirs.append(user_sets_dir())
    dirs.append(bundled_dir())
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


def default_set_name() -> str:
    """$GWCALC_DEFAULT_SET if set, else seed-2025 (the articles' own numbers)."""
    return os.environ.get(ENV_DEFAULT) or DEFAULT_SET


def is_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or os.sep in name


def iter_set_files(dirs: Iterable[Path]) -> Iterator[Path]:
    """Every *.toml file in the search folders, in search order, each NAME@VERSION once
    (first folder wins); see gwcalc.versions for the layout."""
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


def resolve_set(name: str | None, user_dir: Path | None = None) -> AssumptionSet:
    """Load the set a user asked for by name or path (the default set if None)."""
    chosen = default_set_name() if name is None else name
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
    if "=" in value:
        raise ParameterError(
            f"{text!r} has a second '=': NAME=QUANTITY takes one quantity",
            "for example: gpus_per_gw=400k gpu/GW",
        )
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
        old = base.parameters.get(name)
        new = params[name]
        was = format_quantity(old.quantity) if old else "absent"
        params[name] = replace(new, source=source, note=f"was {was} in {base.label}")
        changes.append(f"{name}: {was} -> {format_quantity(new.quantity)}")
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
    )


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
    return {versions.file_ref(p)[0] for p in bundled_dir().glob("*.toml")}


def new_set_target(name: str, folder: Path | None) -> Path:
    """Where a new set NAME goes: NAME itself when it is a path, else folder/NAME.toml
    (in the user's own folder without one). Its stem, the new set's id, must be a set name."""
    if is_path(name):
        try:
            target = Path(name).expanduser()
        except RuntimeError as exc:  # ~user of a user that does not exist
            raise WriteError(f"cannot write to {name[:200]}: {exc}", "write the full path") from exc
    else:
        from gwcalc.paths import user_sets_dir

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
        shipped = bundled_dir().resolve()
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
            f"{path} exists already", "pass --force to overwrite it, or pick another name"
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
        raise WriteError(f"{path} exists already", "pass --force to overwrite it") from None
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
        same_bytes = _read_regular_file(path, str(path)) == text.encode("utf-8")
        same_set = same_bytes and load_set(path).sha256 == aset.sha256
    except GwcalcError as exc:
        raise WriteError(f"{path} does not read back: {exc.message}", exc.hint) from exc
    if not same_set:
        raise WriteError(
            f"{path} does not read back as written",
            "check the disk and the folder (is another program changing it?)",
        )
