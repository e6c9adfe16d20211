"""Checks of a set file's fields: set names, versions, dates, texts and web addresses."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence

from gwcalc.errors import (
    ParameterError,
)

MAX_VERSION = 1_000_000
_SET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DATE_TEXT = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_URL = re.compile(r"https?://[^\s/?#\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*", re.IGNORECASE)


def check_set_name(value: object) -> str:
    """A set's id: letters, digits, '.', '_' or '-', starting with a letter or digit."""
    if not isinstance(value, str) or not _SET_NAME.fullmatch(value) or len(value) > 200:
        raise ParameterError(
            f"{shown(value)} is not a set name",
            "use up to 200 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return value


def check_version(value: object) -> int:
    """A set's version: a whole number from 1 to MAX_VERSION (a TOML integer, not a boolean)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_VERSION:
        raise ParameterError(
            f"the version is {shown(value)}, not a whole number from 1 to {MAX_VERSION:,}",
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
    raise ParameterError(f"{shown(value)} is not a date", hint)


def check_text(value: object, *, required: bool = False) -> str:
    """A text field: a string (not empty when required)."""
    if not isinstance(value, str) or (required and not value.strip()):
        wanted = "a non-empty string" if required else "a string"
        raise ParameterError(f"{shown(value)} is not {wanted}", 'write it in quotes: "…"')
    return value


def check_url(value: object) -> str:
    """A source's address: an http:// or https:// URL without spaces or control characters."""
    if not isinstance(value, str) or not _URL.fullmatch(value):
        raise ParameterError(
            f"{shown(value)} is not a web address",
            'write the full address, e.g. url = "https://example.com/article"',
        )
    return value


def shown(value: object) -> str:
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


YEAR_RANGE = (1990, 2200)  # the years a set file or a command may name
# ASCII digits only (str.isdigit and int() take '²' and '٣'), fewer than int()'s 4300
_WHOLE = re.compile(r"[0-9]{1,4000}")


def read_whole(value: object, what: str = "") -> int:
    """A whole number ≥ 0 written in the digits 0-9 ('2026', or a TOML integer): the one
    reader of years and counts, in set files and on the command line. Digits of other scripts
    ('²⁰²⁶', '٢٠٢٦'), spaces, signs, underscores, fractions and booleans are refused."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if not isinstance(value, str) or not _WHOLE.fullmatch(value):
        raise ParameterError(
            _named(what, value, "not a whole number in the digits 0-9"),
            "write it in the digits 0 to 9, e.g. 12",
        )
    return int(value)


def read_year(value: object, what: str = "") -> int:
    """A year from YEAR_RANGE, written in the digits 0-9 ('2026', or 2026 in a set file)."""
    try:
        year = read_whole(value, what)
    except ParameterError:
        raise ParameterError(
            _named(what, value, "not a year"), "write a year in the digits 0-9, e.g. 2026"
        ) from None
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ParameterError(
            f"{what + ': ' if what else ''}{year} is not a year from {YEAR_RANGE[0]} to "
            f"{YEAR_RANGE[1]}",
            "write a year, e.g. 2026",
        )
    return year


def _named(what: str, value: object, fault: str) -> str:
    """ "timeline.start is '²⁰²⁵', not a year" (or "'²⁰²⁵' is not a year" without a name)."""
    return f"{what} is {shown(value)}, {fault}" if what else f"{shown(value)} is {fault}"


def nearest_name(name: str, names: Sequence[str], cutoff: float = 0.6) -> str | None:
    """The name a user most likely meant: one that differs only in case, else the closest
    spelling (None: none is close). For 'did you mean …?' on buyers, parties and vendors."""
    same_letters = [n for n in names if n.casefold() == name.casefold()]
    if same_letters:
        return same_letters[0]
    close = difflib.get_close_matches(name, list(names), 1, cutoff)
    return close[0] if close else None
