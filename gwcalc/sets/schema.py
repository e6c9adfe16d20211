"""The set file format, described once as data: every table, its keys, each key's type and unit
kind, and the format that brought it. Every file is checked against it before it is read, so a
key gwcalc does not know (a typo, a plural, a key of another table) is refused, never ignored.

The readers (gwcalc.sets.read, gwcalc.sets.read_time_axis) check each value; this checks the
keys."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol

from gwcalc.errors import AssumptionFileError, ParameterError
from gwcalc.sets.field_checks import read_year
from gwcalc.sets.ranges import DISTRIBUTIONS
from gwcalc.sets.specs import DEAL_KINDS, DEAL_STATUSES, FLOW_KINDS, FLOW_STATUSES
from gwcalc.sets.time_axis import CHIP_FIGURES
from gwcalc.sets.toml_lines import KeyPath, dotted


class Key(NamedTuple):
    """One key of a table: its TOML type, the unit kind of its value, what it holds."""

    type: str  # integer, number, string, boolean, date, year, strings, table or tables
    meaning: str
    unit: str = ""  # the unit kind of a number ('the figure's unit', 'percent', 'W/gpu'…)
    holds: Table | Each | None = None  # a table's (or each of an array's tables') layout
    since: int = 1  # the format that brought the key


class Table(NamedTuple):
    """A table with fixed keys, e.g. [timeline] or [parameters.NAME]."""

    header: str  # as the docs write it: '[parameters.NAME]'
    keys: Mapping[str, Key]


class Each(NamedTuple):
    """A table whose keys are names or years of the file's own, each holding the same layout
    (or, with holds None, a number)."""

    header: str
    key: str  # 'NAME', 'YEAR' or 'CHIP'
    holds: Table | None = None

    @property
    def years(self) -> bool:
        return self.key == "YEAR"


class Fails(Protocol):
    def at(self, message: str, path: KeyPath, hint: str | None = None) -> AssumptionFileError: ...


def _text(meaning: str) -> Key:
    return Key("string", meaning)


SOURCE = Table(
    "a source",
    {
        "title": _text("what the source is called (required)"),
        "publisher": _text("who published it"),
        "url": _text("its web address (http or https)"),
        "date": Key("date", "when it was published: YYYY-MM-DD, YYYY-MM or YYYY"),
    },
)
_SOURCE = Key("table", "where the figure comes from", holds=SOURCE)
_NOTE = _text("how the figure was reached")
_IMPLIED = Key("boolean", "true: no source states the figure (the note gives the reasoning)")
_RANGE = {
    "low": Key("number", "the low end of the range", "the figure's unit"),
    "high": Key("number", "the high end of the range", "the figure's unit"),
    "distribution": _text("how the range is read: " + ", ".join(DISTRIBUTIONS)),
    "credibility": Key("number", "lognormal and normal: the central interval low..high", "%"),
}


def _figure(header: str, unit: str = "unit") -> Table:
    """A figure's table: a parameter's or a chip's."""
    return Table(
        header,
        {
            "value": Key("number", "the figure", "the figure's unit"),
            "unit": _text(f"its unit ({unit})"),
            **_RANGE,
            "group": _text("figures of one group are sampled from one shared draw"),
            "implied": _IMPLIED,
            "note": _NOTE,
            "source": _SOURCE,
        },
    )


YEAR_ENTRY = Table(
    "[parameters.NAME.by_year.YEAR]",
    {
        "value": Key("number", "the figure in that year", "the parameter's unit"),
        **_RANGE,
        "implied": _IMPLIED,
        "note": _NOTE,
        "source": _SOURCE,
    },
)
PARAMETER = Table(
    "[parameters.NAME]",
    {
        **_figure("[parameters.NAME]").keys,
        "by_year": Key(
            "table",
            "a value for every year of [timeline]",
            holds=Each("[parameters.NAME.by_year]", "YEAR", YEAR_ENTRY),
            since=2,
        ),
    },
)
TIMELINE = Table(
    "[timeline]",
    {
        "start": Key("year", "the first year"),
        "end": Key("year", "the last year"),
        "counted_statuses": Key(
            "strings", "deal statuses counted as demand: " + ", ".join(DEAL_STATUSES)
        ),
        "supply_scope": _text("what the supply counts"),
        "demand_scope": _text("what the demand counts"),
        "demand_buyers": _text(
            "'all' when the demand counts every buyer (the rest as one line), else 'listed'"
        ),
        "counted_flow_statuses": Key(
            "strings",
            "flow statuses counted by gwcalc flows (default contract, closed): "
            + ", ".join(FLOW_STATUSES),
        ),
        "flow_caveats": Key(
            "strings",
            "what is known to be wrong with the set's money: gwcalc flows prints these, not "
            "the set's caveats (which concern supply and demand)",
        ),
    },
)
CHIP = Table(
    "[chips.NAME]",
    {
        "label": _text("the chip's name for people"),
        "vendor": _text("who sells it"),
        **{
            figure: Key(
                "table",
                "a figure of the chip" + ("" if required else " (optional)"),
                unit,
                holds=_figure(f"[chips.NAME.{figure}]", unit),
            )
            for figure, (unit, required) in CHIP_FIGURES.items()
        },
    },
)
MIX = Table(
    "[mix.YEAR]",
    {
        "shares": Key(
            "table",
            "each chip's share of the year's wafers (sum ≤ 1)",
            "fraction",
            holds=Each("[mix.YEAR.shares]", "CHIP"),
        ),
        "implied": _IMPLIED,
        "note": _NOTE,
        "source": _SOURCE,
    },
)
DEAL = Table(
    "[[deals]]",
    {
        "name": _text("the deal's name, unique in the set"),
        "buyer": _text("who buys"),
        "seller": _text("who sells"),
        "kind": _text("one of " + ", ".join(DEAL_KINDS)),
        "status": _text("one of " + ", ".join(DEAL_STATUSES)),
        "size": _text("a positive total: '6 GW', '4.5 GW_facility', '$300B', '1M gpu'…"),
        "start": _text("a year ('2027') or a half-year ('2026-H2')"),
        "end": _text("a year or a half-year"),
        "phasing": _text("'even' over its half-years, or 'shares' by year"),
        "shares": Key(
            "table", "each year's share (sum 1)", "fraction", holds=Each("shares", "YEAR")
        ),
        "phasing_implied": Key("boolean", "true: no source states the schedule"),
        "size_implied": Key("boolean", "true: no source states the size"),
        "same_capacity_as": _text("the deal whose machines this one restates or hosts"),
        "vendor": _text(
            "whose chips stand behind it, e.g. a cloud contract's 'NVIDIA' (default: the seller "
            "of a chips deal; none for a plan that names no vendor)"
        ),
        "chips": Key(
            "strings",
            "the catalogue's chips its capacity runs on (e.g. ['MI450']): its book is set "
            "against those chips' output as well as its vendor's",
        ),
        "term_years": Key("number", "a contract's term in years, over which its dollars are paid"),
        "value": _text("a contract's dollars ('300B USD_contract') when its size is in GW"),
        "ai_share": Key("number", "of a capex plan: the share of its size spent on AI compute"),
        "note": _NOTE,
        "source": _SOURCE,
    },
)
FLOW = Table(
    "[[flows]]",
    {
        "name": _text("the flow's name, unique among flows"),
        "from": _text("who pays (a party: the same names as deals')"),
        "to": _text("who receives"),
        "kind": _text("one of " + ", ".join(FLOW_KINDS)),
        "amount": _text(
            "a positive amount in the kind's dollars: USD_equity (equity, warrant, loan, "
            "capacity-guarantee), USD or USD_revenue (chip-order), USD_contract (cloud-contract), "
            "USD_revenue (rental, revenue); absent for a warrant"
        ),
        "shares": Key("number", "a warrant: how many shares it grants", "shares"),
        "strike": _text("a warrant: the price per share paid on exercise ('0.01 USD_equity')"),
        "share_price": _text(
            "a warrant: the parameter of the set that holds the share price (USD_equity); its "
            "amount is shares × (price − strike), at least 0"
        ),
        "start": _text("a year ('2026') or a half-year ('2026-H2')"),
        "end": _text("a year or a half-year (default: start); the amount falls evenly between"),
        "status": _text("one of " + ", ".join(FLOW_STATUSES)),
        "status_date": Key("date", "when the status was last true: YYYY-MM-DD, YYYY-MM or YYYY"),
        "history": Key("strings", "earlier statuses, each dated ('2025-09-22 letter of intent…')"),
        "conditions": _text("what the money depends on ('vests with each GW deployed')"),
        "deal": _text("the [[deals]] entry this flow is (one record, not two)"),
        "vesting_deal": _text(
            "the [[deals]] entry whose delivered power vests this flow (with vesting_gw): the "
            "flow counts amount × min(1, GW delivered under it ÷ vesting_gw), by the end of "
            "each year of the deal's schedule"
        ),
        "vesting_gw": _text("the GW delivered under vesting_deal for full vesting ('6 GW')"),
        "vesting_step": _text(
            "optional tranche ('1 GW'): the flow vests only in whole steps of it (default: pro "
            "rata to the GW delivered)"
        ),
        "implied": _IMPLIED,
        "note": _NOTE,
        "source": _SOURCE,
    },
)
TOP = Table(
    "the top level",
    {
        "format": Key("integer", "1 (no time axis) or 2 (values by year, chips, mix, deals)"),
        "id": _text("the set's name"),
        "version": Key("integer", "1 for a new set, one more for each release"),
        "date": Key("date", "when the figures were gathered"),
        "title": _text("what the set is"),
        "description": _text("more about it"),
        "extends": _text("the set this one was made from, with its sha256"),
        "changes": Key("strings", "what changed from the set it extends"),
        "caveats": Key("strings", "what is known to be wrong with the set"),
        "parameters": Key("table", "the figures", holds=Each("[parameters]", "NAME", PARAMETER)),
        "timeline": Key("table", "the years covered", holds=TIMELINE, since=2),
        "chips": Key("table", "the chip catalogue", holds=Each("[chips]", "NAME", CHIP), since=2),
        "mix": Key("table", "each year's chip mix", holds=Each("[mix]", "YEAR", MIX), since=2),
        "deals": Key("tables", "the compute deals", holds=DEAL, since=2),
        "flows": Key("tables", "money between parties", holds=FLOW, since=2),
    },
)


def check_keys(data: Mapping[str, Any], fmt: int, fail: Fails) -> None:
    """Every key of a parsed set file is one the format (of version fmt) has, in its place, and
    no table gives a year twice ('2026' and '02026'). Values are left to the readers."""
    _check_table(TOP, data, (), fmt, fail)


def _check_table(
    table: Table, data: Mapping[str, Any], path: KeyPath, fmt: int, fail: Fails
) -> None:
    for name, value in data.items():
        key = table.keys.get(name)
        if key is None:
            raise _unknown(table, name, (*path, name), fail)
        if key.since > fmt:
            shown = dotted((*path, name)).replace("parameters.", "", 1)
            raise fail.at(
                f"{shown} needs format = {key.since} (this file is format {fmt})",
                (*path, name),
                hint=f"write format = {key.since} at the top of the file",
            )
        if (
            key.type == "tables"
        ):  # [[deals]], [[flows]]: an array of tables (the reader refuses others)
            for i, item in enumerate(value if isinstance(value, list) else []):
                _check(key.holds, item, (*path, name, i), fmt, fail)
        else:
            _check(key.holds, value, (*path, name), fmt, fail)


def _check(
    layout: Table | Each | None, value: object, path: KeyPath, fmt: int, fail: Fails
) -> None:
    """Check value against its layout; a value of the wrong type is left to the readers."""
    if layout is None or not isinstance(value, dict):
        return
    if isinstance(layout, Table):
        _check_table(layout, value, path, fmt, fail)
        return
    if layout.years:
        read_years(value, path, fail)
    for name, item in value.items():
        _check(layout.holds, item, (*path, name), fmt, fail)


def read_years(table: Mapping[str, Any], path: KeyPath, fail: Fails) -> dict[int, str]:
    """The years a table's keys name (year -> as written): each a year, none written twice."""
    seen: dict[int, str] = {}
    for text in table:
        try:
            year = read_year(text, f"{dotted(path)}.{text[:20]}")
        except ParameterError as exc:
            raise fail.at(exc.message, (*path, text), exc.hint) from None
        if year in seen:
            raise fail.at(
                f"{dotted(path)}: the year {year} is written twice, as {seen[year]!r} and {text!r}",
                (*path, text),
                hint="give each year once",
            )
        seen[year] = text
    return seen


def _unknown(table: Table, name: str, path: KeyPath, fail: Fails) -> AssumptionFileError:
    # the same letters first: two swapped ('ot' is 'to', though 'note' holds 'ot' whole)
    close = [k for k in table.keys if sorted(k) == sorted(name)]
    close = close or difflib.get_close_matches(name, list(table.keys), n=1)
    guess = f"; did you mean {close[0]!r}?" if close else ""
    where = _table_name(path[:-1])
    return fail.at(
        f"unknown key {name[:60]!r} in {where}{guess}",
        path,
        hint=f"{table.header} has: {', '.join(table.keys)}",
    )


def _table_name(path: KeyPath) -> str:
    """'[parameters.pue.source]', 'the 2nd [[deals]]' or 'the top level', as a file writes it."""
    if not path:
        return "the top level"
    last = path[-1]
    if isinstance(last, int):
        n = last + 1
        nth = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"the {n}{nth} [[{dotted(path[:-1])}]]"
    return f"[{dotted(path)}]"


def layout_text(table: Table = TOP, depth: int = 0) -> list[str]:
    """The format as lines of text, one a key (for docs and `assumptions show`)."""
    lines = []
    for name, key in table.keys.items():
        unit = f" [{key.unit}]" if key.unit else ""
        since = f" (format {key.since})" if key.since > 1 else ""
        lines.append(f"{'  ' * depth}{name}: {key.type}{unit}{since}: {key.meaning}")
        holds = key.holds.holds if isinstance(key.holds, Each) else key.holds
        if holds is not None:
            lines += layout_text(holds, depth + 1)
    return lines
