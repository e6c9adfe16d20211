"""The flows' outputs that sensitivity and explain study, as data: a seller's round-trip share
and net external revenue, a warrant's counted value; each read from one run's counted flows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from gwcalc.errors import ParameterError
from gwcalc.money.balance import RoundTrip, round_trips, seller_totals
from gwcalc.money.nominal import money_sum
from gwcalc.money.select import CountedFlow, Selection
from gwcalc.sets.field_checks import nearest_name
from gwcalc.sets.flows import Flow
from gwcalc.sets.ids import match_name


class FlowOutput(NamedTuple):
    """One output of the flows: `takes` says what names its one value (a seller, or a
    warrant flow)."""

    name: str
    label: str
    unit: str  # '' for a share
    formula: str
    takes: str  # 'party' or 'flow'
    percent: bool = False
    nominal: bool = False  # dollars of different kinds met (USD_nominal)


FLOW_OUTPUTS = (
    FlowOutput("round_trip_share", "round-trip share", "",
               "Σ min(sent, gross) ÷ Σ gross, over the seller's buyers", "party", percent=True),
    FlowOutput("net_external_revenue", "net external revenue", "USD_nominal",
               "Σ (gross − min(sent, gross)), over the seller's buyers", "party", nominal=True),
    FlowOutput("warrant_value", "warrant value", "USD_equity",
               "shares × max(0, price − strike) × counted share", "flow"),
)  # fmt: skip
FLOW_OUTPUT_NAMES = tuple(o.name for o in FLOW_OUTPUTS)


def flow_output(name: str) -> FlowOutput:
    found = next((o for o in FLOW_OUTPUTS if o.name == name), None)
    if found is None:
        raise ParameterError(
            f"no output of the flows named {name!r}",
            "flows outputs: " + ", ".join(FLOW_OUTPUT_NAMES),
        )
    return found


class FlowTarget(NamedTuple):
    """One flows output of one seller (`party`) or of one warrant (`flow`), in one run."""

    output: FlowOutput
    name: str  # the seller, or the warrant flow

    @property
    def title(self) -> str:
        """'round-trip share of AMD', 'warrant value of AMD–OpenAI warrant'."""
        return f"{self.output.label} of {self.name}"

    def rows(self, counted: Sequence[CountedFlow]) -> tuple[RoundTrip, ...]:
        """The seller's round trips (one a buyer that paid it)."""
        return tuple(r for r in round_trips(counted) if r.seller == self.name)

    def value(self, counted: Sequence[CountedFlow]) -> float:
        """The output over these counted flows (amounts as counted, or revalued)."""
        if self.output.takes == "flow":  # a sum of one: beyond floats is an error saying so
            return money_sum(c.amount for c in counted if c.flow.name == self.name)
        (total,) = seller_totals(self.rows(counted))
        return total.share if self.output.name == "round_trip_share" else total.net_external

    def reads(self, counted: Sequence[CountedFlow]) -> tuple[str, ...]:
        """The set's figures the output reads: the share prices of the warrants it counts (a
        warrant the seller sent a party that paid it nothing is in no round trip)."""
        if self.output.takes == "flow":
            flows = [c.flow for c in counted if c.flow.name == self.name]
        else:
            buyers = {r.buyer for r in self.rows(counted)}
            flows = [
                c.flow for c in counted if c.flow.payer == self.name and c.flow.payee in buyers
            ]
        return tuple(dict.fromkeys(f.warrant.share_price for f in flows if f.warrant))

    def relevant(self, counted: Sequence[CountedFlow]) -> list[CountedFlow]:
        """The counted flows the output reads at all (a seller's in and out, or the warrant)."""
        if self.output.takes == "flow":
            return [c for c in counted if c.flow.name == self.name]
        return [c for c in counted if self.name in (c.flow.payer, c.flow.payee)]


def flow_target(selection: Selection, output: str, name: str | None) -> FlowTarget:
    """The output of a seller with counted sales, or of a counted warrant: an unknown name is
    refused with the nearest, a flow that is no warrant or does not count with why."""
    out = flow_output(output)
    what = "seller (party)" if out.takes == "party" else "warrant flow (flow)"
    if name is None:
        raise ParameterError(f"{output} is a {what}'s: name one", _hint(selection, out))
    names = _sellers(selection) if out.takes == "party" else [f.name for f in _all_flows(selection)]
    name = match_name(name, names) or name  # the ASCII id names it too ('AMD-OpenAI warrant')
    target = FlowTarget(out, name)
    if out.takes == "party":
        if not target.rows(selection.counted):
            raise ParameterError(
                f"{name} sells nothing in the counted flows{_when(selection)}, so it has no "
                f"{out.label}",
                _hint(selection, out),
            )
        return target
    _check_warrant(selection, name)
    return target


def _when(selection: Selection) -> str:
    return f" in {selection.year}" if selection.year is not None else ""


def _sellers(selection: Selection) -> list[str]:
    return sorted({r.seller for r in round_trips(selection.counted)})


def _hint(selection: Selection, out: FlowOutput) -> str:
    if out.takes == "party":
        return "sellers with counted sales: " + ", ".join(_sellers(selection))
    warrants = [f.name for f in _all_flows(selection) if f.warrant is not None]
    return "warrants: " + (", ".join(warrants) or "none")


def _all_flows(selection: Selection) -> tuple[Flow, ...]:
    timeline = selection.aset.timeline
    return timeline.flows if timeline is not None else ()


def _check_warrant(selection: Selection, name: str) -> None:
    flows = {f.name: f for f in _all_flows(selection)}
    flow = flows.get(name)
    if flow is None:
        near = nearest_name(name, list(flows))
        raise ParameterError(
            f"{selection.aset.label} has no flow named {name!r}"
            + (f"; did you mean {near!r}?" if near else ""),
            _hint(selection, flow_output("warrant_value")),
        )
    if flow.warrant is None:
        raise ParameterError(
            f"{name} is a {flow.kind}, not a warrant: it has no warrant value",
            _hint(selection, flow_output("warrant_value")),
        )
    left = next((x for x in selection.left_out if x.flow.name == name), None)
    if left is not None:
        raise ParameterError(
            f"{name} does not count{_when(selection)}: {left.reason}",
            "count its status (gwcalc flows --status S) or choose another year"
            if selection.year
            else "count its status (gwcalc flows --status S)",
        )
