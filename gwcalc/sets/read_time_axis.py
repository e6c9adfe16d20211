"""Reading a format 2 file's time axis: values by year, chips, the mix and deals, each checked."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from gwcalc.errors import GwcalcError, ParameterError
from gwcalc.sets.deal_fields import check_chips, check_deal_size, check_plan, contract_fields
from gwcalc.sets.deal_fields import read_text as _text
from gwcalc.sets.field_checks import read_year, shown
from gwcalc.sets.figures import Parameter, YearValue, validate_parameter
from gwcalc.sets.ranges import RangeError
from gwcalc.sets.read_figures import Fail, read_figure, read_implied, read_range, read_source
from gwcalc.sets.specs import (
    DEAL_KINDS,
    DEAL_STATUSES,
    DEFAULT_COUNTED_STATUSES,
    DEMAND_BUYERS,
    PLAN_KINDS,
)
from gwcalc.sets.time_axis import (
    CHIP_FIGURES,
    Chip,
    Deal,
    Mix,
    Period,
    Timeline,
)
from gwcalc.sets.toml_lines import KeyPath, dotted
from gwcalc.units.registry import Q_, dimensions, parse_unit

MAX_YEARS = 60


def read_timeline(data: Mapping[str, Any], fail: Fail) -> Timeline:
    """The [timeline], [chips.*], [mix.*] and [[deals]] sections of a format 2 file."""
    head = data.get("timeline")
    if not isinstance(head, dict):
        raise fail(
            "a format 2 set needs a [timeline] table with start and end years",
            "timeline",
            hint="[timeline]\nstart = 2025\nend = 2030",
        )
    start, end = (_year(head.get(k), ("timeline", k), fail) for k in ("start", "end"))
    if end < start or end - start >= MAX_YEARS:
        raise fail(
            f"the timeline runs from {start} to {end}",
            "timeline",
            hint=f"end must be ≥ start, and at most {MAX_YEARS} years later",
        )
    counted = head.get("counted_statuses", list(DEFAULT_COUNTED_STATUSES))
    if not isinstance(counted, list) or not all(c in DEAL_STATUSES for c in counted):
        unknown = (
            [c for c in counted if c not in DEAL_STATUSES] if isinstance(counted, list) else []
        )
        raise fail(
            f"counted_statuses has {shown(unknown[0])}, which is no deal status"
            if unknown
            else f"counted_statuses is {shown(counted)}, not a list of statuses",
            "timeline.counted_statuses",
            hint="a list of deal statuses from: " + ", ".join(DEAL_STATUSES),
        )
    twice = sorted({c for c in counted if counted.count(c) > 1})
    if twice:  # a status listed twice changes nothing: the file says something it did not mean
        raise fail(
            f"counted_statuses lists {', '.join(map(repr, twice))} more than once",
            "timeline.counted_statuses",
            hint="list each counted status once",
        )
    supply_scope = _text(head.get("supply_scope", ""), "timeline.supply_scope", fail)
    demand_scope = _text(head.get("demand_scope", ""), "timeline.demand_scope", fail)
    buyers = head.get("demand_buyers", "listed")
    if buyers not in DEMAND_BUYERS:
        raise fail(
            f"demand_buyers is {shown(buyers)}",
            "timeline.demand_buyers",
            hint="'all' (the demand counts every buyer, the rest as one line) or 'listed'",
        )
    chips = _read_chips(data.get("chips", {}), fail)
    timeline = Timeline(
        start, end, tuple(counted), supply_scope, demand_scope, str(buyers), chips=chips
    )
    mix = _read_mix(data.get("mix", {}), timeline, fail)
    deals = _read_deals(data.get("deals", []), fail)
    _check_deals_against(timeline, deals, fail)
    return timeline._replace(mix=mix, deals=deals)


def _check_deals_against(timeline: Timeline, deals: tuple[Deal, ...], fail: Fail) -> None:
    """Deals name the catalogue's chips, and a demand of every buyer has owners' plans."""
    for deal in deals:
        check_chips(deal, timeline.chips, fail)
    if timeline.demand_buyers == "all" and not any(d.kind in PLAN_KINDS for d in deals):
        raise fail(
            "demand_buyers is 'all', but no deal is an owner's plan (capex-plan or gw-plan): "
            "the market's demand would be empty",
            "timeline.demand_buyers",
            hint="give every buyer's plans as [[deals]] of kind capex-plan or gw-plan, or drop "
            "demand_buyers",
        )


def _year(value: object, path: KeyPath, fail: Fail) -> int:
    """A year (gwcalc.sets.field_checks.read_year: the digits 0-9 only), or an error at path's
    line."""
    try:
        return read_year(value, dotted(path))
    except ParameterError as exc:
        raise fail.at(exc.message, path, exc.hint) from None


def _table(value: object, key: str, fail: Fail) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(f"{key} must be a table, not {shown(value)}", key)
    return value


def read_years(
    params: dict[str, Parameter], raw: Mapping[str, Any], timeline: Timeline, fail: Fail
) -> dict[str, Parameter]:
    """Attach each parameter's [parameters.NAME.by_year.YEAR] values: every year of the timeline,
    each checked as the parameter's own value is."""
    out = dict(params)
    for name, entry in raw.items():
        by_year = entry.get("by_year") if isinstance(entry, dict) else None
        if by_year is None:
            continue
        key = f"parameters.{name}.by_year"
        values = []
        for year_text, year_entry in _table(by_year, key, fail).items():
            year = _year(year_text, ("parameters", name, "by_year", year_text), fail)
            values.append(_year_value(params[name], year, year_entry, fail))
        years = sorted(v.year for v in values)
        if years != list(timeline.years):
            missing = sorted(set(timeline.years) - set(years))
            extra = sorted(set(years) - set(timeline.years))
            raise fail(
                f"{name} gives values by year, but not for exactly the timeline's years "
                f"{timeline.start}–{timeline.end}"
                + (f" (missing {', '.join(map(str, missing))})" if missing else "")
                + (f" (outside: {', '.join(map(str, extra))})" if extra else ""),
                name,
                hint="give a value for every year of [timeline], and none outside it",
            )
        out[name] = replace(params[name], by_year=tuple(sorted(values, key=lambda v: v.year)))
    return out


def _year_value(param: Parameter, year: int, entry: object, fail: Fail) -> YearValue:
    key, at = f"{param.name} in {year}", f"by_year.{year}"  # at: the year's table, for lines
    table = _table(entry, f"parameters.{param.name}.by_year.{year}", fail)
    value = table.get("value")
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise fail(f"{key}: 'value' must be a finite number", param.name, table=at)
    note = table.get("note")
    if note is not None and not isinstance(note, str):
        raise fail(f"{key}: 'note' must be a string", param.name, table=at)
    source = read_source(param.name, table["source"], fail) if "source" in table else None
    implied = read_implied(table, param.name, fail)
    span = read_range(table, f"{param.name}.by_year.{year}", fail)
    found = YearValue(year, float(value), source, note, implied, span)
    try:
        validate_parameter(replace(param, by_year=(found,)).at(year))
    except ParameterError as exc:
        message = exc.message.removeprefix(param.name + ": ")
        field = exc.field if isinstance(exc, RangeError) else None
        raise fail(f"{key}: {message}", param.name, field, exc.hint, table=at) from None
    return found


def _read_chips(raw: object, fail: Fail) -> dict[str, Chip]:
    chips: dict[str, Chip] = {}
    for name, entry in _table(raw, "chips", fail).items():
        key = f"chips.{name}"
        check_chip_name(name, key, fail)
        table = _table(entry, key, fail)
        figures: dict[str, Parameter] = {}
        for figure, (unit, required) in CHIP_FIGURES.items():
            if figure not in table:
                if required:
                    raise fail(f"{key} has no {figure}", key, hint=f"add [{key}.{figure}]")
                continue
            param = read_figure(f"{name}.{figure}", table[figure], fail)
            want = dimensions(Q_(1.0, parse_unit(unit)))
            if dimensions(param.quantity) != want or param.value <= 0:
                raise fail(
                    f"{key}.{figure} must be a positive quantity in {unit} (or a unit like it)",
                    key,
                )
            figures[figure] = param
        label = _text(table.get("label", name), f"{key}.label", fail, required=True)
        vendor = _text(table.get("vendor"), f"{key}.vendor", fail, required=True)
        chips[name] = Chip(name, label, vendor, figures)
    return chips


def check_chip_name(name: str, key: str, fail: Fail) -> None:
    """A chip's name is a unit in convert: an identifier that names no unit already."""
    from gwcalc.units.grammar import UNIT_NAME

    if not UNIT_NAME.fullmatch(name) or len(name) > 40:
        raise fail(
            f"chip name {name[:60]!r} is not a name gwcalc can read as a unit",
            key,
            hint="use letters, digits and '_', starting with a letter, e.g. GB300 or TPU_v7",
        )
    try:
        parse_unit(name)
    except GwcalcError:
        return
    raise fail(f"chip name {name!r} is a unit already", key, hint="pick another name")


def _read_mix(raw: object, timeline: Timeline, fail: Fail) -> dict[int, Mix]:
    mix: dict[int, Mix] = {}
    for year_text, entry in _table(raw, "mix", fail).items():
        key = f"mix.{year_text}"
        year = _year(year_text, ("mix", year_text), fail)
        table = _table(entry, key, fail)
        shares = _table(table.get("shares"), f"{key}.shares", fail)
        for chip, share in shares.items():
            if chip not in timeline.chips:
                near = difflib.get_close_matches(chip, list(timeline.chips), 1)
                raise fail(
                    f"{key}: {chip!r} is not in the chip catalogue"
                    + (f"; did you mean {near[0]!r}?" if near else ""),
                    key,
                    hint="the [chips.NAME] tables name: " + (", ".join(timeline.chips) or "none"),
                )
            ok = isinstance(share, int | float) and not isinstance(share, bool)
            if not ok or not 0 < share <= 1:
                raise fail(f"{key}: the share of {chip} must be a number in (0, 1]", key)
        if not shares or sum(shares.values()) > 1 + 1e-9:
            raise fail(f"{key}: shares must be given and sum to at most 1", key)
        note = table.get("note")
        if note is not None and not isinstance(note, str):
            raise fail(f"{key}: 'note' must be a string", key)
        source = read_source(key, table.get("source"), fail)
        implied = read_implied(table, key, fail)
        mix[year] = Mix(year, {c: float(s) for c, s in shares.items()}, source, note, implied)
    if mix and sorted(mix) != list(timeline.years):
        raise fail(
            f"the mix is given for {', '.join(map(str, sorted(mix)))}, not for every year "
            f"{timeline.start}–{timeline.end}",
            "mix",
            hint="give [mix.YEAR] for every year of the timeline, or for none",
        )
    return mix


def _read_deals(raw: object, fail: Fail) -> tuple[Deal, ...]:
    if not isinstance(raw, list):
        raise fail("deals must be an array of tables: [[deals]]", "deals")
    deals = tuple(_read_deal(i, entry, fail) for i, entry in enumerate(raw, 1))
    for deal in deals:
        check_plan(deal, fail)
    names: set[str] = set()
    for deal in deals:
        if deal.name in names:
            raise fail(f"two deals are named {deal.name!r}", "deals", hint="name each deal once")
        names.add(deal.name)
    for deal in deals:
        other = deal.same_capacity_as
        if other is not None and (other not in names or other == deal.name):
            raise fail(
                f"deal {deal.name!r}: same_capacity_as names {other!r}, which is no other deal",
                "deals",
                hint="name another deal of this set, whose machines this one restates",
            )
    _refuse_cycles(deals, fail)
    return deals


def _refuse_cycles(deals: tuple[Deal, ...], fail: Fail) -> None:
    """same_capacity_as links must not loop (A → B → A): which deal counts would be undefined."""
    links = {d.name: d.same_capacity_as for d in deals}
    clear: set[str] = set()  # deals whose chain is known to end: each link is walked once
    for name in links:
        seen, at = {name}, links[name]
        while at is not None and at not in clear:
            if at in seen:
                raise fail(
                    f"same_capacity_as links loop back to deal {name!r}",
                    "deals",
                    hint="mark only the deal that is not to be counted (the one that hosts, "
                    "or restates, the other)",
                )
            seen.add(at)
            at = links[at]
        clear |= seen


def _read_deal(index: int, entry: object, fail: Fail) -> Deal:
    table = _table(entry, f"deals[{index}]", fail)
    name = _text(table.get("name"), f"deals[{index}].name", fail, required=True)
    key = f"deal {name!r}"

    def choice(field: str, allowed: tuple[str, ...]) -> str:
        value = table.get(field)
        if value not in allowed:
            raise fail(f"{key}: {field} is {shown(value)}", "deals", hint=", ".join(allowed))
        return str(value)

    size_text = _text(table.get("size"), f"{key}: size", fail, required=True)
    check_deal_size(size_text, key, fail)
    periods = {}
    for field in ("start", "end"):
        try:
            periods[field] = Period.parse(_text(table.get(field), f"{key}: {field}", fail))
        except ValueError as exc:
            raise fail(f"{key}: {field}: {exc}", "deals", hint="e.g. '2026-H2' or '2029'") from None
    if periods["end"].last_half() < periods["start"].first_half():
        raise fail(f"{key} ends before it starts", "deals")
    phasing = table.get("phasing", "even")
    span = (periods["start"], periods["end"])
    shares = _deal_shares(table, phasing, span, (key, ("deals", index - 1, "shares")), fail)
    same = table.get("same_capacity_as")
    note = table.get("note")
    if note is not None and not isinstance(note, str):
        raise fail(f"{key}: 'note' must be a string", "deals")
    implied = table.get("phasing_implied", False)
    size_implied = table.get("size_implied", False)
    if not isinstance(implied, bool) or not isinstance(size_implied, bool):
        raise fail(f"{key}: phasing_implied and size_implied are true or false", "deals")
    return Deal(
        name=name,
        buyer=_text(table.get("buyer"), f"{key}: buyer", fail, required=True),
        seller=_text(table.get("seller"), f"{key}: seller", fail, required=True),
        kind=choice("kind", DEAL_KINDS),
        status=choice("status", DEAL_STATUSES),
        size_text=size_text,
        start=periods["start"],
        end=periods["end"],
        source=read_source(name, table.get("source"), fail),
        phasing=str(phasing),
        shares=shares,
        phasing_implied=implied,
        size_implied=size_implied,
        same_capacity_as=None if same is None else _text(same, f"{key}: same_capacity_as", fail),
        note=note,
        **contract_fields(table, key, size_text, fail),
    )


def _deal_shares(
    table: Mapping[str, Any],
    phasing: object,
    span: tuple[Period, Period],
    where: tuple[str, KeyPath],
    fail: Fail,
) -> dict[int, float]:
    (start, end), (key, path) = span, where
    if phasing == "even":
        if "shares" in table:
            raise fail(f"{key}: shares are given but phasing is 'even'", "deals")
        return {}
    if phasing != "shares":
        raise fail(f"{key}: phasing is {shown(phasing)}", "deals", hint="'even' or 'shares'")
    raw = _table(table.get("shares"), f"{key}: shares", fail)
    shares: dict[int, float] = {}
    for year_text, share in raw.items():
        year = _year(year_text, (*path, year_text), fail)
        ok = isinstance(share, int | float) and not isinstance(share, bool)
        if not ok or not 0 <= share <= 1 or not start.year <= year <= end.year:
            raise fail(
                f"{key}: the share of {year} must be a number in [0, 1], in a year from "
                f"{start.year} to {end.year}",
                "deals",
            )
        shares[year] = float(share)
    if abs(sum(shares.values()) - 1) > 1e-9:
        raise fail(f"{key}: shares sum to {sum(shares.values()):g}, not 1", "deals")
    return shares
