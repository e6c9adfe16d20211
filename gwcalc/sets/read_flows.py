"""Reading a format 2 file's [[flows]] and [timeline] counted_flow_statuses, each value checked,
each error naming the flow, its key and its line."""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from gwcalc.errors import AssumptionFileError, GwcalcError, ParameterError
from gwcalc.sets.field_checks import check_date, check_text, shown
from gwcalc.sets.figures import Parameter
from gwcalc.sets.flows import Flow, Vesting, Warrant
from gwcalc.sets.read_figures import Fail, read_source
from gwcalc.sets.specs import (
    DEFAULT_COUNTED_FLOW_STATUSES,
    FLOW_KINDS,
    FLOW_STATUSES,
    FLOW_UNITS,
)
from gwcalc.sets.time_axis import Period, Timeline
from gwcalc.sets.toml_lines import KeyPath
from gwcalc.units.registry import Q_, Quantity, dimensions, parse_quantity, parse_unit

WARRANT_KEYS = ("shares", "strike", "share_price")
VESTING_KEYS = ("vesting_deal", "vesting_gw", "vesting_step")
_MAX_SHARES = 1e15  # more shares than any company has issued: a typo


def read_flows(
    data: Mapping[str, Any], params: Mapping[str, Parameter], timeline: Timeline, fail: Fail
) -> Timeline:
    """The timeline with its flows and the statuses of flows that count."""
    raw = data.get("flows", [])
    if not isinstance(raw, list):
        raise fail.at("flows must be an array of tables: [[flows]]", ("flows",))
    flows = tuple(_FlowReader(i, entry, params, fail).read() for i, entry in enumerate(raw))
    names: set[str] = set()
    for i, flow in enumerate(flows):
        if flow.name in names:
            raise fail.at(
                f"two flows are named {flow.name!r}", ("flows", i, "name"), "name each flow once"
            )
        names.add(flow.name)
        vests = flow.vesting.deal if flow.vesting is not None else None
        for key, deal, what in (
            ("deal", flow.deal, "the deal this flow is"),
            ("vesting_deal", vests, "the deal whose delivered GW vest this flow"),
        ):
            if deal is not None and timeline.deal(deal) is None:
                raise fail.at(
                    f"flow {flow.name!r}: {key} names {deal!r}, which is no deal of the set"
                    + _nearest(deal, [d.name for d in timeline.deals]),
                    ("flows", i, key),
                    f"name a [[deals]] entry of this set ({what}), or drop {key}",
                )
        if flow.vesting is not None and vests is not None:
            _check_vesting_deal(flow.name, flow.vesting.full_text, timeline, vests, i, fail)
    head = data.get("timeline", {})
    counted = _counted(head, bool(flows), fail)
    caveats = _flow_caveats(head, bool(flows), fail)
    return timeline._replace(flows=flows, counted_flow_statuses=counted, flow_caveats=caveats)


def _flow_caveats(head: Mapping[str, Any], any_flows: bool, fail: Fail) -> tuple[str, ...]:
    """[timeline] flow_caveats: a list of non-empty texts, only in a set with flows."""
    if "flow_caveats" not in head:
        return ()
    path: KeyPath = ("timeline", "flow_caveats")
    value = head["flow_caveats"]
    if not isinstance(value, list) or not all(isinstance(c, str) and c.strip() for c in value):
        raise fail.at(f"flow_caveats is {shown(value)}, not a list of texts", path)
    if not any_flows:
        raise fail.at(
            "flow_caveats is given, but the set has no [[flows]]",
            path,
            "drop flow_caveats, or add the flows it is about",
        )
    return tuple(c.strip() for c in value)


def _check_vesting_deal(
    name: str, full: str, timeline: Timeline, deal_name: str, index: int, fail: Fail
) -> None:
    """The deal a flow vests with is sized in the kind of power vesting_gw is in."""
    deal = timeline.deal(deal_name)
    assert deal is not None
    if dimensions(parse_quantity(deal.size_text)) != dimensions(parse_quantity(full)):
        raise fail.at(
            f"flow {name!r}: vesting_deal {deal_name!r} is sized in {deal.size_text!r}, not in "
            f"power delivered like vesting_gw {full!r}",
            ("flows", index, "vesting_deal"),
            "vest with a deal sized in GW (IT or facility power, as vesting_gw is)",
        )


def _counted(head: Mapping[str, Any], any_flows: bool, fail: Fail) -> tuple[str, ...]:
    path: KeyPath = ("timeline", "counted_flow_statuses")
    if "counted_flow_statuses" not in head:
        return DEFAULT_COUNTED_FLOW_STATUSES
    counted = head["counted_flow_statuses"]
    hint = "a list of flow statuses from: " + ", ".join(FLOW_STATUSES)
    if not isinstance(counted, list) or not counted:
        raise fail.at(f"counted_flow_statuses is {shown(counted)}, not a list of statuses", path)
    unknown = [c for c in counted if c not in FLOW_STATUSES]
    if unknown:
        raise fail.at(
            f"counted_flow_statuses has {shown(unknown[0])}, which is no flow status"
            + (_nearest(unknown[0], FLOW_STATUSES) if isinstance(unknown[0], str) else ""),
            path,
            hint,
        )
    twice = sorted({c for c in counted if counted.count(c) > 1})
    if twice:
        raise fail.at(
            f"counted_flow_statuses lists {', '.join(map(repr, twice))} more than once",
            path,
            "list each counted status once",
        )
    if not any_flows:  # it would change nothing: the file says something it did not mean
        raise fail.at(
            "counted_flow_statuses is given, but the set has no [[flows]]",
            path,
            "drop counted_flow_statuses, or add the flows it is meant for",
        )
    return tuple(counted)


def _nearest(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class _FlowReader:
    """Reads one [[flows]] table; every error names the flow (or its place) and the key."""

    def __init__(
        self, index: int, entry: object, params: Mapping[str, Parameter], fail: Fail
    ) -> None:
        self.index, self.params, self.fail = index, params, fail
        if not isinstance(entry, dict):
            raise fail.at(f"flows[{index + 1}] must be a table", ("flows", index))
        self.table: dict[str, Any] = entry
        self.label = f"flow {index + 1}"
        self.label = f"flow {self.text('name', required=True)!r}"

    def error(self, key: str, message: str, hint: str | None = None) -> AssumptionFileError:
        path: KeyPath = ("flows", self.index, key) if key in self.table else ("flows", self.index)
        return self.fail.at(f"{self.label}: {key}: {message}", path, hint)

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.table.get(key)
        if value is None and not required:
            return ""
        try:
            return check_text(value, required=True).strip()
        except ParameterError as exc:
            missing = "is missing" if value is None else exc.message
            raise self.error(key, missing, exc.hint) from None

    def party(self, key: str) -> str:
        """A party's name: text without control or invisible characters (a line break would
        split a -q record; a zero-width space would make two parties of one name)."""
        name = self.text(key, required=True)
        hidden = [c for c in name if unicodedata.category(c) in ("Cc", "Cf")]
        if hidden:
            raise self.error(
                key,
                f"{name!r} holds an invisible or control character (U+{ord(hidden[0]):04X})",
                "write the party's name in visible characters, as the deals write it",
            )
        return name

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key, required=True)
        if value not in allowed:
            raise self.error(
                key, f"{value!r} is not one" + _nearest(value, allowed), ", ".join(allowed)
            )
        return value

    def period(self, key: str, *, required: bool = False) -> Period | None:
        text = self.text(key, required=required)
        if not text:
            return None
        try:
            return Period.parse(text)
        except ValueError as exc:
            raise self.error(key, str(exc), "e.g. '2026' or '2026-H2'") from None

    def read(self) -> Flow:
        name = self.text("name", required=True)
        payer, payee = self.party("from"), self.party("to")
        if payer == payee:
            raise self.error("to", f"{payee!r} pays itself", "a flow runs between two parties")
        kind = self.choice("kind", FLOW_KINDS)
        start = self.period("start", required=True)
        assert start is not None
        end = self.period("end")
        if end is not None and end.last_half() < start.first_half():
            raise self.error("end", f"{end} is before start {start}")
        if end == start:
            raise self.error("end", f"{end} is start again", "drop end: it changes nothing")
        amount, warrant = self.amount(kind)
        return Flow(
            name=name,
            payer=payer,
            payee=payee,
            kind=kind,
            status=self.choice("status", FLOW_STATUSES),
            status_date=self.date("status_date"),
            start=start,
            end=end,
            source=read_source(name, self.table.get("source"), self.source_fail()),
            amount_text=amount,
            warrant=warrant,
            history=self.history(),
            conditions=self.text("conditions") or None,
            deal=self.text("deal") or None,
            implied=self.flag("implied"),
            note=self.text("note") or None,
            vesting=self.vesting(),
        )

    def vesting(self) -> Vesting | None:
        """vesting_deal and vesting_gw together (vesting_step, a tranche, with them), each a
        positive power, the step at most the whole."""
        given = [k for k in VESTING_KEYS if k in self.table]
        if not given:
            return None
        for key in VESTING_KEYS[:2]:
            if key not in self.table:
                raise self.error(
                    key,
                    "is missing: money that vests names the deal (vesting_deal) and the GW "
                    "delivered under it for full vesting (vesting_gw)",
                    "e.g. vesting_deal = 'AMD–OpenAI', vesting_gw = '6 GW'",
                )
        full_text = self.text("vesting_gw", required=True)
        full = self.power(full_text, "vesting_gw")
        step_text = self.text("vesting_step") or None
        if step_text is not None:
            step = self.power(step_text, "vesting_step")
            if (
                dimensions(step) != dimensions(full)
                or step.to(full.units).magnitude > full.magnitude
            ):
                raise self.error(
                    "vesting_step",
                    f"{step_text!r} is not a part of vesting_gw {full_text!r}",
                    "a tranche's power, in the same kind of power as vesting_gw and at most it",
                )
        return Vesting(self.text("vesting_deal", required=True), full_text, step_text)

    def power(self, text: str, key: str) -> Quantity:
        """A positive power (IT or facility): GW delivered under a deal."""
        try:
            q = parse_quantity(text)
        except GwcalcError as exc:
            raise self.error(key, exc.message, exc.hint) from None
        if dimensions(q) not in ({"[it_power]": 1}, {"[facility_power]": 1}):
            raise self.error(key, f"{text!r} is not a power", "GW delivered, e.g. '6 GW'")
        if not (math.isfinite(q.magnitude) and q.magnitude > 0):
            raise self.error(key, f"{text!r} is not positive")
        return q

    def source_fail(self) -> Fail:
        """read_source's errors, at this flow's lines, naming the flow and its source's key."""
        return _SourceFail(self.fail, self.index, self.label)

    def date(self, key: str) -> str:
        value = self.table.get(key)
        if value is None:
            raise self.error(key, "is missing", "when the status was last true, e.g. 2026-02-27")
        try:
            return check_date(value)
        except ParameterError as exc:
            raise self.error(key, exc.message, exc.hint) from None

    def flag(self, key: str) -> bool:
        value = self.table.get(key, False)
        if not isinstance(value, bool):
            raise self.error(key, f"{shown(value)} is not true or false")
        return value

    def history(self) -> tuple[str, ...]:
        value = self.table.get("history", [])
        ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        if not ok:
            raise self.error(
                "history", f"{shown(value)} is not a list of texts", "e.g. ['2025-09-22 LOI']"
            )
        return tuple(v.strip() for v in value)

    def amount(self, kind: str) -> tuple[str | None, Warrant | None]:
        """A warrant's shares, strike and share price, or any other flow's amount."""
        given = [k for k in WARRANT_KEYS if k in self.table]
        if kind != "warrant":
            if given:
                raise self.error(
                    given[0], "only a warrant has shares, a strike and a share price", "drop it"
                )
            text = self.text("amount", required=True)
            self.money(text, "amount", FLOW_UNITS[kind], kind)
            return text, None
        if "amount" in self.table:
            raise self.error(
                "amount",
                "a warrant's amount is computed: shares × (share price − strike)",
                "drop amount; give shares, strike and share_price",
            )
        return None, self.warrant()

    def warrant(self) -> Warrant:
        for key in WARRANT_KEYS:
            if key not in self.table:
                raise self.error(key, "is missing: a warrant gives shares, strike and share_price")
        shares = self.table["shares"]
        number = isinstance(shares, int | float) and not isinstance(shares, bool)
        if not number or not math.isfinite(shares) or not 0 < shares <= _MAX_SHARES:
            raise self.error("shares", f"{shown(shares)} is not a positive number of shares")
        strike = self.text("strike", required=True)
        self.money(strike, "strike", ("USD_equity",), "warrant", positive=False)
        price = self.text("share_price", required=True)
        param = self.params.get(price)
        if param is None:
            raise self.error(
                "share_price",
                f"{price!r} is no parameter of the set" + _nearest(price, self.params),
                "name a [parameters.NAME] of the set that holds the share price in USD_equity",
            )
        if dimensions(param.quantity) != {"[equity_money]": 1}:
            raise self.error(
                "share_price",
                f"parameter {price!r} is in {param.unit}, not a share price in USD_equity",
                f"give [parameters.{price}] unit = 'USD_equity' (the price of one share)",
            )
        if param.by_year:  # which year's price would value it is not said: refused, not guessed
            raise self.error(
                "share_price",
                f"parameter {price!r} is given by year; a warrant is valued at one share price",
                f"give [parameters.{price}] one value (and a range: low, high)",
            )
        return Warrant(float(shares), strike, price)

    def money(
        self, text: str, key: str, units: tuple[str, ...], kind: str, *, positive: bool = True
    ) -> Quantity:
        """An amount in one of units (a kind's dollars), positive (or, for a strike, ≥ 0)."""
        try:
            q = parse_quantity(text)
        except GwcalcError as exc:
            raise self.error(key, exc.message, exc.hint) from None
        wanted = [dimensions(Q_(1.0, parse_unit(u))) for u in units]
        if dimensions(q) not in wanted:
            raise self.error(
                key,
                f"{text!r} is not in {' or '.join(units)}, the dollars of a flow of kind {kind!r}",
                _why(kind),
            )
        value = float(q.magnitude)
        if not (value > 0 if positive else value >= 0):
            raise self.error(key, f"{text!r} is not {'positive' if positive else '≥ 0'}")
        return q


class _SourceFail(Fail):
    """Fail for a flow's [flows.source]: its errors name the flow, its key and its line."""

    def __init__(self, outer: Fail, index: int, label: str) -> None:
        super().__init__(outer.text, outer.where)
        self.index, self.label = index, label

    def __call__(
        self,
        message: str,
        key: str | None = None,
        sub: str | None = None,
        hint: str | None = None,
        table: str = "",
    ) -> AssumptionFileError:
        inner = [p for t in (table, sub) if t for p in t.split(".")] or ["source"]
        path: KeyPath = ("flows", self.index, *inner)
        if hint is not None and "[parameters.NAME.source]" in hint:
            hint = hint.replace("[parameters.NAME.source]", "[flows.source]")
        return self.at(f"{self.label}: {message}", path, hint)


def _why(kind: str) -> str:
    """Why a kind's amount has the unit it has."""
    if kind in ("equity", "warrant", "loan", "capacity-guarantee"):
        return "money put into a party is investment dollars: e.g. '30B USD_equity'"
    if kind == "chip-order":
        return (
            "a chip order is hardware dollars ('$40B') or the seller's revenue ('40B USD_revenue')"
        )
    if kind == "cloud-contract":
        return "a cloud contract is contract dollars: e.g. '300B USD_contract'"
    return f"a {kind} is the seller's revenue dollars: e.g. '10B USD_revenue'"
