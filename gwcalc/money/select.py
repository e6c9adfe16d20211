"""Which flows of a set count in one run (statuses, a year, a party), each with its amount."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from gwcalc.errors import ParameterError
from gwcalc.money.nominal import nominal_dollars
from gwcalc.money.vesting import Schedule, Vested, vesting_schedule
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.field_checks import nearest_name
from gwcalc.sets.flows import Flow
from gwcalc.sets.ids import match_name
from gwcalc.sets.specs import FLOW_STATUSES


class CountedFlow(NamedTuple):
    """A flow that counts, with its amount: all of it, or the chosen year's part; a flow that
    vests with a deal's delivered power counts only its vested part (vested by then)."""

    flow: Flow
    amount: float  # in unit
    unit: str  # the flow's own kind of dollars ('USD_equity', 'USD_revenue', 'USD'…)
    full: float | None = None  # a vesting flow: its amount if fully vested (in unit)
    vested: Vested | None = None  # a vesting flow: vested by the end of the year (or deal)
    share: float = 1.0  # the part of its full amount counted (a year's, or the vested part)

    @property
    def nominal(self) -> float:
        return nominal_dollars(self.amount, self.unit)


class LeftOut(NamedTuple):
    """A flow of the set that does not count in this run, and why."""

    flow: Flow
    reason: str


class Selection(NamedTuple):
    """The flows of one run: those that count (over every party) and those left out."""

    aset: AssumptionSet
    counted: tuple[CountedFlow, ...]
    left_out: tuple[LeftOut, ...]
    statuses: tuple[str, ...]
    year: int | None = None
    party: str | None = None

    def touches(self, party: str) -> bool:
        """Whether the run shows this party (every party when none was chosen)."""
        return self.party is None or party == self.party


def select_flows(
    aset: AssumptionSet,
    party: str | None = None,
    year: int | None = None,
    statuses: Sequence[str] | None = None,
) -> Selection:
    """The set's flows that count: their status counted (default the set's
    counted_flow_statuses) and, with a year, their schedule touching it (amounts of that year).
    A party, a year or statuses that would leave nothing to show are refused, naming why."""
    flows = aset.timeline.flows if aset.timeline is not None else ()
    if not flows:
        raise ParameterError(
            f"{aset.label} has no flows of money between parties",
            "choose a set that lists [[flows]] of money between parties, or add them to it",
        )
    assert aset.timeline is not None
    chosen = _statuses(statuses, aset.timeline.counted_flow_statuses)
    schedules = {f.name: vesting_schedule(aset, f) for f in flows if f.vesting is not None}
    if year is not None:
        _check_year(flows, year, schedules)
    counted, left_out = [], []
    for flow in flows:
        schedule = schedules.get(flow.name)
        if schedule is not None:
            share = schedule.in_year(year) if year is not None else schedule.by(None).share
        else:
            share = flow.year_shares().get(year, 0.0) if year is not None else 1.0
        if flow.status not in chosen:
            left_out.append(LeftOut(flow, f"status {flow.status} is not counted"))
        elif year is not None and share == 0.0:
            left_out.append(LeftOut(flow, _outside(flow, year, schedule)))
        else:
            full = flow.amount(aset.parameters)
            vested = schedule.by(year) if schedule is not None else None
            amount = full * share
            counted.append(
                CountedFlow(flow, amount, flow.unit(), full if schedule else None, vested, share)
            )
    if party is not None:  # a party's ASCII id names it too ('--party' 'NVIDIA')
        party = match_name(party, [n for f in flows for n in (f.payer, f.payee)]) or party
    selection = Selection(aset, tuple(counted), tuple(left_out), chosen, year, party)
    _check_counted(selection, [f.payer for f in flows] + [f.payee for f in flows])
    return selection


def _statuses(given: Sequence[str] | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if given is None:
        return default
    if isinstance(given, str):  # a status, not a list of them: 'closed' is not c, l, o…
        given = [given]
    unknown = [s for s in given if s not in FLOW_STATUSES]
    if unknown or not given:
        near = difflib.get_close_matches(unknown[0], FLOW_STATUSES, 1) if unknown else []
        raise ParameterError(
            f"unknown flow status {unknown[0]!r}" + (f"; did you mean {near[0]!r}?" if near else "")
            if unknown
            else "no flow status is chosen, so no flow would count",
            "flow statuses: " + ", ".join(FLOW_STATUSES),
        )
    twice = sorted({s for s in given if list(given).count(s) > 1})
    if twice:
        raise ParameterError(
            f"flow status {twice[0]!r} is chosen more than once", "choose each status once"
        )
    return tuple(given)


def _span(flow: Flow) -> str:
    return str(flow.start) if flow.end is None else f"{flow.start}–{flow.end}"


def _outside(flow: Flow, year: int, schedule: Schedule | None) -> str:
    if schedule is None:
        return f"falls in {_span(flow)}, not {year}"
    assert flow.vesting is not None
    years = schedule.years
    when = f"in {years[0]}–{years[-1]}" if years else "in no year"
    return f"vests with the GW delivered under {flow.vesting.deal} ({when}), none in {year}"


def _years(flow: Flow, schedules: Mapping[str, Schedule]) -> Iterable[int]:
    """The years some of a flow falls in: its schedule's, or those it vests in."""
    schedule = schedules.get(flow.name)
    return schedule.years if schedule is not None else tuple(flow.year_shares())


def _check_year(flows: Sequence[Flow], year: int, schedules: Mapping[str, Schedule]) -> None:
    spans = [y for flow in flows for y in _years(flow, schedules)]
    if year in spans:
        return
    hint = f"the set's flows run from {min(spans)} to {max(spans)}" if spans else None
    raise ParameterError(f"no flow of the set falls in {year}", hint)


def _check_counted(selection: Selection, named: list[str]) -> None:
    """A party the set names, with counted flows: otherwise the run would show nothing."""
    counted, party = selection.counted, selection.party
    statuses = ", ".join(selection.statuses)
    when = f" in {selection.year}" if selection.year is not None else ""
    if party is not None:
        parties = sorted(set(named))
        if party not in parties:
            near = nearest_name(party, parties)
            raise ParameterError(
                f"{selection.aset.label}'s flows name no party {party!r}"
                + (f"; did you mean {near!r}?" if near else ""),
                "parties: " + ", ".join(parties),
            )
        counted = tuple(c for c in counted if party in (c.flow.payer, c.flow.payee))
    if not counted:
        whose = f"{party}'s flows" if party is not None else "the set's flows"
        raise ParameterError(
            f"none of {whose} counts{when} (counted statuses: {statuses})",
            "count more statuses (gwcalc flows --status S)"
            + (", or choose another year" if when else ""),
        )
