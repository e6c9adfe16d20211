"""Reading a set file's figures: a source, a range, a figure's table, and the errors that name
the file, the line and the key (shared by the readers of a set's parameters and time axis)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from gwcalc.errors import AssumptionFileError, GwcalcError, ParameterError
from gwcalc.sets.field_checks import check_date, check_text, check_url, shown
from gwcalc.sets.figures import Parameter, Source
from gwcalc.sets.ranges import DEFAULT_CREDIBILITY, DEFAULT_DISTRIBUTION, DISTRIBUTIONS, Range
from gwcalc.sets.toml_lines import KeyPath, dotted, line_of

_UNIT_STRAY = re.compile(r"[^\w \t*/^().%$-]")  # what no unit expression holds ('#', '!', ',')

T = TypeVar("T")


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
        line = self.line(key, sub, table)
        return AssumptionFileError(message, path=self.where, line=line, key=key, hint=hint)

    def line(self, key: str | None, sub: str | None = None, table: str = "") -> int | None:
        """The line of a parameter's key (sub, in its table, e.g. its 'source'), else of the
        parameter's table, else of a top-level key (looked up only when reporting an error)."""
        if key is None:
            return None
        figure = ("parameters", *key.split("."))  # 'NAME.by_year.2027': a year's own table
        if line_of(self.text, figure, exact=True) is None:
            return line_of(self.text, (key,))  # a top-level key
        inner = [part for text in (table, sub) if text for part in text.split(".")]
        return line_of(self.text, (*figure, *inner))

    def at(self, message: str, path: KeyPath, hint: str | None = None) -> AssumptionFileError:
        """An error at a key path (('deals', 0, 'nme')): its line, and the path as its key."""
        line = line_of(self.text, path)
        return AssumptionFileError(message, path=self.where, line=line, key=dotted(path), hint=hint)

    def field(self, key: str, check: Callable[[object], T], value: object) -> T:
        """check(value), with its ParameterError turned into an error at key's line."""
        try:
            return check(value)
        except ParameterError as exc:
            raise self(exc.message, key, hint=exc.hint) from None


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


def _number(entry: Mapping[str, Any], key: str, name: str, fail: Fail) -> float:
    """A number field of a parameter (an integer or a float, not a boolean)."""
    value = entry.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        hint = "write it as a TOML number, without quotes or suffixes, e.g. 1.2e12"
        raise fail(f"'{key}' must be a number, not {shown(value)}", name, key, hint=hint)
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
