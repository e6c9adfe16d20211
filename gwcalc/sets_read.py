"""Reading set files safely: regular files only, bounded in size, every field's type checked."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from gwcalc.assumptions import FORMAT, FORMATS, AssumptionSet, Parameter, Source, validate_parameter
from gwcalc.errors import (
    AssumptionFileError,
    GwcalcError,
    ParameterError,
)
from gwcalc.fields import check_date, check_set_name, check_text, check_url, check_version, shown
from gwcalc.ranges import (
    DEFAULT_CREDIBILITY,
    DEFAULT_DISTRIBUTION,
    DISTRIBUTIONS,
    Range,
    RangeError,
)
from gwcalc.schema import REQUIRED
from gwcalc.set_schema import check_keys
from gwcalc.toml_lines import KeyPath, dotted, line_of

_UNIT_STRAY = re.compile(r"[^\w \t*/^().%$-]")  # what no unit expression holds ('#', '!', ',')
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


def _optional_text(table: Mapping[str, Any], key: str, fail: Fail, name: str) -> str | None:
    """An optional non-empty string field of a source (e.g. its publisher)."""
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise fail(f"'{key}' must be a non-empty string", name, "source")
    return value.strip()


def read_implied(entry: Mapping[str, Any], name: str, fail: Fail) -> bool:
    """'implied = true': no source states the figure (its note should give the reasoning)."""
    implied = entry.get("implied", False)
    if not isinstance(implied, bool):
        raise fail("'implied' must be true or false", name, "implied")
    return implied


def _parse_caveats(data: Mapping[str, Any], fail: Fail) -> tuple[str, ...]:
    """'caveats = ["…", …]': what is known to be wrong with the set, a list of strings."""
    caveats = data.get("caveats", [])
    if not isinstance(caveats, list) or not all(isinstance(c, str) and c.strip() for c in caveats):
        raise fail("'caveats' must be a list of non-empty strings", "caveats")
    return tuple(c.strip() for c in caveats)


def read_regular_file(path: Path, where: str) -> bytes:
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
    raw = read_regular_file(path, where)
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


class Fail:
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

    def at(self, message: str, path: KeyPath, hint: str | None = None) -> AssumptionFileError:
        """An error at a key path (('deals', 0, 'nme')): its line, and the path as its key."""
        line = line_of(self.text, path)
        return AssumptionFileError(message, path=self.where, line=line, key=dotted(path), hint=hint)

    def field(self, key: str, check: Callable[[object], Any], value: object) -> Any:
        """check(value), with its ParameterError turned into an error at key's line."""
        try:
            return check(value)
        except ParameterError as exc:
            raise self(exc.message, key, hint=exc.hint) from None


def _read_format(data: Mapping[str, Any], fail: Fail) -> int:
    fmt = data.get("format", FORMAT)
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt not in FORMATS:
        raise fail(
            f"the format is {shown(fmt)}, but gwcalc reads only formats "
            + " and ".join(map(str, FORMATS)),
            "format",
            hint=f"write format = {FORMATS[0]} (no time axis) or {FORMATS[-1]} (values by year, "
            "chips, mix and deals), or use a newer gwcalc",
        )
    return fmt


def _read_header(data: Mapping[str, Any], fmt: int, fail: Fail) -> dict[str, Any]:
    """The top-level fields, each checked for its type."""
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
        "format": fmt,
        "id": fail.field("id", check_set_name, data["id"]),
        "version": fail.field("version", check_version, data["version"]),
        "date": fail.field("date", check_date, data["date"]),
        "title": fail.field("title", check_text, data["title"]),
        "description": fail.field("description", check_text, data.get("description", "")),
        "extends": None if extends is None else fail.field("extends", check_text, extends),
        "changes": tuple(changes),
    }


def read_source(name: str, src: object, fail: Fail) -> Source:
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


def _read_parameter(name: str, entry: object, fail: Fail) -> Parameter:
    """One [parameters.NAME] table, checked: value, unit, range, source and note, and its
    value's range for the parameter's name."""
    param = read_figure(name, entry, fail)
    try:
        validate_parameter(param)
    except RangeError as exc:
        raise fail(exc.message.removeprefix(f"{name}: "), name, exc.field, hint=exc.hint) from exc
    except ParameterError as exc:  # the line is looked up only when something is wrong
        raise fail(exc.message.removeprefix(f"{name}: "), name, hint=exc.hint) from exc
    return param


def _number(entry: Mapping[str, Any], key: str, name: str, fail: Fail) -> float:
    """A number field of a parameter (an integer or a float, not a boolean)."""
    value = entry.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise fail(f"'{key}' must be a number", name, key)
    try:
        return float(value)
    except OverflowError:
        raise fail(
            f"'{key}' has {len(str(abs(value)))} digits, too large for a number",
            name,
            key,
            hint="write large figures with an exponent, e.g. 4.5e5",
        ) from None


RANGE_KEYS = ("low", "high", "distribution", "credibility")


def read_range(entry: Mapping[str, Any], name: str, fail: Fail) -> Range | None:
    """low and high (both or neither), an optional distribution and credibility."""
    given = [key for key in RANGE_KEYS if key in entry]
    if not given:
        return None
    missing = [key for key in ("low", "high") if key not in entry]
    if missing:
        raise fail(
            f"a range needs both 'low' and 'high' ({' and '.join(missing)} missing)",
            name,
            given[0],
            hint="write low and high in the figure's unit, e.g. low = 330000, high = 478000",
        )
    distribution = entry.get("distribution", DEFAULT_DISTRIBUTION)
    if not isinstance(distribution, str) or distribution not in DISTRIBUTIONS:
        raise fail(
            f"'distribution' is {shown(distribution)}, not one of {', '.join(DISTRIBUTIONS)}",
            name,
            "distribution",
            hint='e.g. distribution = "pert" (default: lognormal, low and high as p5 and p95)',
        )
    credibility = (
        _number(entry, "credibility", name, fail) if "credibility" in entry else DEFAULT_CREDIBILITY
    )
    low, high = _number(entry, "low", name, fail), _number(entry, "high", name, fail)
    return Range(low, high, distribution, credibility)


def _read_group(entry: Mapping[str, Any], name: str, fail: Fail) -> str | None:
    group = entry.get("group")
    if group is None:
        return None
    if not isinstance(group, str) or not group.strip():
        raise fail(
            "'group' must be a non-empty string",
            name,
            "group",
            hint='figures with the same group = "…" are sampled from one shared draw',
        )
    return group


def read_figure(name: str, entry: object, fail: Fail) -> Parameter:
    """A figure's table (a parameter's, or a chip's): value, unit, range, source, note and
    implied."""
    if not isinstance(entry, dict):
        raise fail("a parameter must be a table with value, unit and source", name)
    number = _number(entry, "value", name, fail)
    unit = entry.get("unit", "")
    if not isinstance(unit, str):
        raise fail("'unit' must be a string", name, "unit")
    stray = _UNIT_STRAY.search(unit)
    if stray:
        raise fail(
            f"'unit' {shown(unit)} has {stray.group()!r}, which is no part of a unit",
            name,
            "unit",
            hint='write unit names joined by * and / (no powers), e.g. unit = "gpu/GW"',
        )
    source = read_source(name, entry.get("source"), fail)
    note = entry.get("note")
    if note is not None and not isinstance(note, str):
        raise fail(f"'note' must be a string, not {shown(note)}", name, "note")
    param = Parameter(
        name,
        number,
        unit,
        source,
        note,
        implied=read_implied(entry, name, fail),
        range=read_range(entry, name, fail),
        group=_read_group(entry, name, fail),
    )
    try:
        _ = param.quantity
    except GwcalcError as exc:
        raise fail(exc.message, name, "unit", hint=exc.hint) from exc
    return param


def parse_set(text: str, path: Path | None = None) -> AssumptionSet:
    """Parse the TOML text of an assumption set, checking every field's type and range."""
    where = str(path) if path else "<text>"
    data = _parse_toml(text, where)
    fail = Fail(text, where)
    fmt = _read_format(data, fail)
    check_keys(data, fmt, fail)  # every key is one the format has: none is silently ignored
    header = _read_header(data, fmt, fail)
    params_raw = data.get("parameters")
    if not isinstance(params_raw, dict) or not params_raw:
        raise fail(
            "the set has no [parameters.NAME] tables",
            hint="see assumptions/seed-2025.toml for the layout",
        )
    params = {name: _read_parameter(name, entry, fail) for name, entry in params_raw.items()}
    timeline = None
    if header["format"] >= 2:
        from gwcalc.timeline_read import read_timeline, read_years

        timeline = read_timeline(data, fail)
        params = read_years(params, params_raw, timeline, fail)
    missing = [n for n in REQUIRED if n not in params]
    if missing:
        raise fail(
            f"missing required parameters: {', '.join(missing)}",
            hint="every set defines " + ", ".join(REQUIRED),
        )
    return AssumptionSet(
        parameters=params,
        path=path,
        caveats=_parse_caveats(data, fail),
        timeline=timeline,
        **header,
    )
