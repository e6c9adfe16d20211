"""Reading set files safely: regular files only, bounded in size, every field's type checked."""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gwcalc.errors import (
    AssumptionFileError,
    ParameterError,
)
from gwcalc.sets.assumption_set import FORMAT, FORMATS, AssumptionSet
from gwcalc.sets.field_checks import (
    check_date,
    check_set_name,
    check_text,
    check_version,
    shown,
)
from gwcalc.sets.figures import Parameter, validate_parameter
from gwcalc.sets.ranges import (
    RangeError,
)
from gwcalc.sets.read_figures import Fail, read_figure
from gwcalc.sets.read_flows import read_flows
from gwcalc.sets.read_time_axis import read_timeline, read_years
from gwcalc.sets.schema import check_keys
from gwcalc.sets.specs import REQUIRED

MAX_SET_BYTES = 10 * 1024 * 1024  # far above any real set; stops /dev/zero and runaway files
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO without it blocks (not on Windows)


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
        timeline = read_timeline(data, fail)
        params = read_years(params, params_raw, timeline, fail)
        timeline = read_flows(data, params, timeline, fail)
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
