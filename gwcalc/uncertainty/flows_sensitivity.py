"""One-at-a-time swings (a tornado) and sampled variance shares of a flows output: a seller's
round-trip share or net external revenue, or a warrant's value, over the share prices it reads."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gwcalc.econ.model import EconOutput
from gwcalc.money.compute import FlowsReport
from gwcalc.money.outputs import FlowOutput, FlowTarget
from gwcalc.money.select import CountedFlow
from gwcalc.report.documents import range_json
from gwcalc.uncertainty.econ_sensitivity import EconSensitivity
from gwcalc.uncertainty.flows import at_prices, flow_columns
from gwcalc.uncertainty.sampling import Column, Sampler, check_samples, chunks
from gwcalc.uncertainty.sensitivity import Effect, given_data_shares, sampled_text
from gwcalc.units.registry import Q_


def shown_output(out: FlowOutput) -> EconOutput:
    """A flows output as the economics outputs are shown (value_text, value_json): a share in
    percent, nominal dollars as USD_nominal, a warrant in USD_equity."""
    return EconOutput(out.name, out.label, out.unit, out.formula, (), out.percent, out.nominal)


@dataclass(frozen=True)
class FlowsSensitivity(EconSensitivity):
    """A flows output's sensitivity to each ranged figure the counted flows use (the share
    prices of their warrants), sorted by |swing|; variance shares sampled, as an economics
    output's are (the renderers of EconSensitivity show it)."""

    target: str = ""  # the seller, or the warrant flow
    takes: str = "party"  # 'party' or 'flow'
    constant: bool = False  # the output is the same in every sample

    @property
    def label(self) -> str:
        return f"{self.output.label} of {self.target}"

    @property
    def method(self) -> str:
        if self.constant:
            return (
                f"sampled: {self.label} is the same in all {self.samples:,} samples (seed "
                f"{self.seed}), so no figure has a share of its variance (each 0%)"
            )
        return "sampled (the flows' outputs are not products of the figures): " + (
            sampled_text(self.effects, self.samples, self.seed)
        )

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc sensitivity --json` for a flows output: an economics
        output's, of the family flows, naming the seller (party) or the warrant (flow); each
        range is the set's own (the flows read no figure by year)."""
        doc = super().to_dict()
        for p in doc["parameters"]:
            p["range"] = range_json(self.aset.parameters[p["name"]])
        head = {
            k: doc.pop(k) for k in ("format_version", "schema", "gwcalc_version", "assumptions")
        }
        head.update(output=doc.pop("output"), family="flows", **{self.takes: self.target})
        return {**head, **{k: v for k, v in doc.items() if k != "family"}}


def _effect(
    report: FlowsReport, target: FlowTarget, counted: Sequence[CountedFlow], column: Column
) -> Effect:
    """One figure's row: the output at its low and at its high, the rest at their values (at
    the point where the output does not read it: a swing of exactly zero)."""
    param = report.aset.parameters[column.name]
    assert param.range is not None
    units = param.quantity.units
    low, high = param.range.low, param.range.high
    if column.name in target.reads(counted):
        ends = [at_prices(counted, {column.name: v * column.factor}) for v in (low, high)]
        at_low, at_high = (target.value(flows) for flows in ends)
    else:
        at_low = at_high = target.value(counted)
    text = param.range.text()
    return Effect(column.name, Q_(low, units), Q_(high, units), text, at_low, at_high, 0.0)


def _sampled(
    target: FlowTarget, counted: Sequence[CountedFlow], columns: list[Column], n: int, seed: int
) -> tuple[array[float], dict[str, array[float]]]:
    """n seeded samples of the output (the draws flows --samples takes), and each figure's."""
    sampler = Sampler.of_columns(columns, seed)
    out = array("d")
    draws = {c.name: array("d") for c in columns}
    for count in chunks(n):
        drawn = sampler.columns(count)
        for j, col in enumerate(columns):
            draws[col.name].extend(drawn[j])
        for i in range(count):
            prices = {col.name: drawn[j][i] for j, col in enumerate(columns)}
            out.append(target.value(at_prices(counted, prices)))
    return out, draws


def flows_sensitivity(
    report: FlowsReport, target: FlowTarget, samples: int, seed: int
) -> FlowsSensitivity:
    """Every ranged figure the counted flows use against one flows output: the output at the
    figure's low and high (the rest at their values), and its first-order share of the
    output's variance from `samples` seeded samples (a figure it does not read: 0 and 0)."""
    check_samples(samples)
    columns = flow_columns(report)  # refuses flows whose figures have no range
    counted = target.relevant(report.selection.counted)
    point = target.value(counted)
    effects = [_effect(report, target, counted, c) for c in columns]
    drawn, draws = _sampled(target, counted, columns, samples, seed)
    reads = target.reads(counted)
    ranged = [c.name for c in columns]
    shares = given_data_shares(drawn, {n: draws[n] for n in ranged if n in reads}, ranged)
    effects = [
        Effect(e.name, e.low, e.high, e.range_text, e.output_at_low, e.output_at_high,
               shares[e.name])
        for e in effects
    ]  # fmt: skip
    effects.sort(key=lambda e: (-abs(e.swing), e.name))
    constant = min(drawn) == max(drawn)
    return FlowsSensitivity(
        report.aset, shown_output(target.output), report.selection.year, point, tuple(effects),
        samples, seed, 0, target.name, target.output.takes, constant,
    )  # fmt: skip
