"""The arithmetic behind one flows output: each flow it reads (kind, status, vesting, source),
each figure (a share price, with its range and source), then each step with the values put in:
a warrant's value, and per buyer the gross, the money sent, min(sent, gross) and its share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwcalc.money.balance import RoundTrip, seller_totals
from gwcalc.money.outputs import FlowOutput, FlowTarget
from gwcalc.money.select import CountedFlow
from gwcalc.report.documents import envelope, quantity_json, range_json, set_json
from gwcalc.report.flows import flow_json
from gwcalc.units.registry import Q_, format_number, format_percent, format_value

if TYPE_CHECKING:
    from gwcalc.money.compute import FlowsReport
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.figures import Parameter

EXACT = 12  # significant digits of a warrant's numbers: 160M × (600 − 0.01) = 95.9984B


@dataclass(frozen=True)
class FlowStep:
    """One step: what it computes (`scope` its flow, buyer or seller), its formula, the
    formula with the values in, and its value (in `unit`; a share when `percent`)."""

    scope: str
    name: str
    formula: str
    substituted: str
    value: float
    output: FlowOutput  # how the value is shown (its unit, percent or not)

    @property
    def text(self) -> str:
        return result_text(self.output, self.value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "step": self.name,
            "formula": self.formula,
            "substituted": self.substituted,
            "result": result_json(self.output, self.value),
        }


# how each kind of step's value is shown: a share, nominal dollars, investment dollars
SHARE = FlowOutput("share", "share", "", "", "party", percent=True)
NOMINAL = FlowOutput("nominal", "nominal dollars", "USD_nominal", "", "party", nominal=True)
EQUITY = FlowOutput("equity", "investment dollars", "USD_equity", "", "flow")


@dataclass(frozen=True)
class FlowsExplanation:
    """The flows an output reads, the figures they use, then each step (the output last)."""

    report: FlowsReport
    output: FlowOutput
    target: str  # the seller or the warrant flow
    flows: tuple[CountedFlow, ...]
    parameters: tuple[str, ...]
    steps: tuple[FlowStep, ...]

    @property
    def aset(self) -> AssumptionSet:
        return self.report.aset

    @property
    def year(self) -> int | None:
        return self.report.selection.year

    @property
    def result(self) -> float:
        return self.steps[-1].value

    @property
    def label(self) -> str:
        return f"{self.output.label} of {self.target}"

    @property
    def text(self) -> str:
        return result_text(self.output, self.result)

    def parameter(self, name: str) -> Parameter:
        return self.aset.parameters[name]

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc explain --json` for a flows output."""
        p = self.parameter
        return envelope(
            "explain-flows",
            assumptions=set_json(self.aset),
            output=self.output.name,
            family="flows",
            **{self.output.takes: self.target},
            year=self.year,
            counted_statuses=list(self.report.selection.statuses),
            result=result_json(self.output, self.result),
            flows=[flow_json(c, self.aset) for c in self.flows],
            parameters=[
                {
                    "name": n,
                    "value": quantity_json(p(n).quantity),
                    "range": range_json(p(n)),
                    "source": p(n).source.to_dict(),
                    "implied": p(n).implied,
                    "note": p(n).note,
                }
                for n in self.parameters
            ],
            steps=[s.to_dict() for s in self.steps],
        )

    def __str__(self) -> str:
        lines = [f"{self.label} — {self.aset.label}"]
        lines += [f"  {s.scope}: {s.name} = {s.formula} = {s.substituted} = {s.text}"
                  for s in self.steps]  # fmt: skip
        return "\n".join(lines)


def result_text(out: FlowOutput, value: float) -> str:
    """A step's value for people: a share in percent, dollars with their unit; a warrant's
    investment dollars to EXACT digits (160M × (600 − 0.01) is 95.9984B, not 96B)."""
    if out.percent:
        return format_percent(value)
    return format_value(value, out.unit, EXACT if out.unit == "USD_equity" else 4)


def result_json(out: FlowOutput, value: float) -> dict[str, Any]:
    """{"value": 0.318, "unit": ""}; nominal dollars are USD_nominal."""
    return quantity_json(Q_(value, out.unit))


def _n(value: float) -> str:
    return format_number(value, 4)


def warrant_steps(c: CountedFlow, aset: AssumptionSet, year: int | None) -> list[FlowStep]:
    """shares × max(0, price − strike), then × the counted share (vested, or the year's)."""
    w = c.flow.warrant
    assert w is not None
    price = float(aset.quantity(w.share_price).to("USD_equity").magnitude)
    full = w.value(price)
    name = c.flow.name
    steps = [
        FlowStep(name, "value if fully vested", "shares × max(0, price − strike)",
                 f"{format_number(w.shares, EXACT)} × max(0, {format_number(price, EXACT)} − "
                 f"{format_number(w.strike, EXACT)})", full, EQUITY),
    ]  # fmt: skip
    if c.share != 1.0 or c.vested is not None:
        why = "the year's share" if c.vested is None else "vested share"
        why = f"share vesting in {year}" if c.vested is not None and year is not None else why
        steps.append(
            FlowStep(name, "counted value", f"value × {why}",
                     f"{format_number(full, EXACT)} × {format_percent(c.share, 3)}", c.amount,
                     EQUITY)
        )  # fmt: skip
    return steps


def _sum_text(flows: Sequence[CountedFlow]) -> str:
    """'105B (OpenAI–AMD GPUs)', '32.59B (AMD–OpenAI warrant) + 10B (…)', or '0'."""
    return " + ".join(f"{_n(c.nominal)} ({c.flow.name})" for c in flows) or "0"


def _buyer_steps(
    r: RoundTrip, counted: Sequence[CountedFlow], output: FlowOutput
) -> list[FlowStep]:
    """The round trip with one buyer: gross, sent, min(sent, gross), then its share or net."""
    scope = f"{r.buyer} → {r.seller}"
    paid = [c for c in counted if (c.flow.payer, c.flow.payee) == (r.buyer, r.seller)
            and not c.flow.investment]  # fmt: skip
    sent = [c for c in counted if (c.flow.payer, c.flow.payee) == (r.seller, r.buyer)
            and c.flow.investment]  # fmt: skip
    steps = [
        FlowStep(scope, "gross", f"Σ paid by {r.buyer}", _sum_text(paid), r.gross,
                 NOMINAL),
        FlowStep(scope, "sent", f"Σ sent by {r.seller}", _sum_text(sent), r.sent_total,
                 NOMINAL),
        FlowStep(scope, "round trip", "min(sent, gross)",
                 f"min({_n(r.sent_total)}, {_n(r.gross)})", r.part, NOMINAL),
    ]  # fmt: skip
    if output.name == "round_trip_share":
        steps.append(FlowStep(scope, "share", "round trip ÷ gross",
                              f"{_n(r.part)} ÷ {_n(r.gross)}", r.share, SHARE))  # fmt: skip
    else:
        steps.append(FlowStep(scope, "net external", "gross − round trip",
                              f"{_n(r.gross)} − {_n(r.part)}", r.net_external,
                              NOMINAL))  # fmt: skip
    return steps


def _total(rows: Sequence[RoundTrip], output: FlowOutput, seller: str) -> FlowStep:
    (total,) = seller_totals(rows)
    parts = " + ".join(_n(r.part) for r in rows)
    gross = " + ".join(_n(r.gross) for r in rows)
    if len(rows) > 1:
        parts, gross = f"({parts})", f"({gross})"
    scope = f"{seller}, all buyers"
    if output.name == "round_trip_share":
        return FlowStep(scope, output.name, output.formula, f"{parts} ÷ {gross}", total.share,
                        output)  # fmt: skip
    return FlowStep(scope, output.name, output.formula, f"{gross} − {parts}",
                    total.net_external, output)  # fmt: skip


def flows_explain(report: FlowsReport, target: FlowTarget) -> FlowsExplanation:
    """Every step behind one flows output, at the set's figures (and any overrides)."""
    counted = target.relevant(report.selection.counted)
    out = target.output
    aset = report.aset
    if out.takes == "flow":
        (c,) = counted
        steps = warrant_steps(c, aset, report.selection.year)
        last = steps[-1]
        steps[-1] = FlowStep(last.scope, out.name, last.formula, last.substituted, last.value,
                             out)  # fmt: skip
        flows: list[CountedFlow] = [c]
    else:
        rows = target.rows(counted)
        steps, flows = [], []
        for r in rows:
            read = [c for c in counted if {c.flow.payer, c.flow.payee} == {r.seller, r.buyer}]
            flows += read
            for c in read:
                if c.flow.warrant is not None and c.flow.payer == r.seller:
                    steps += warrant_steps(c, aset, report.selection.year)
            steps += _buyer_steps(r, counted, out)
        steps.append(_total(rows, out, target.name))
    return FlowsExplanation(
        report, out, target.name, tuple(flows), target.reads(counted), tuple(steps)
    )
