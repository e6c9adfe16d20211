"""The API's result types: each holds a core result, shows it as the CLI would (str()), and gives
the document the matching command prints with --json (to_dict())."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwcalc.engine.graph import Conversion
from gwcalc.engine.plan import (
    Gap,
    Plan,
)
from gwcalc.report.documents import (
    chain_text,
    convert_document,
    diff_document,
    gap_document,
    output_text,
)
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.units.registry import (
    Quantity,
    format_number,
    format_percent,
    format_points,
    format_quantity,
    unit_label,
)

if TYPE_CHECKING:
    from gwcalc.analysis.diff import SetDiff
    from gwcalc.analysis.econ_diff import EconDiff
    from gwcalc.econ.compute import EconomicsReport
    from gwcalc.money.balance import PartyBalance, RoundTrip, SellerTotal
    from gwcalc.money.compute import FlowsReport
    from gwcalc.money.loops import Loop
    from gwcalc.timelines.compute import ComputedTimeline, YearRow
    from gwcalc.timelines.deals import DealView
    from gwcalc.timelines.diff import TimelineDiff
    from gwcalc.timelines.scopes import Scopes
    from gwcalc.uncertainty.economics import EconUncertainty
    from gwcalc.uncertainty.flows import FlowsUncertainty
    from gwcalc.uncertainty.ranged_input import QuantityInterval
    from gwcalc.uncertainty.sampling import DiffUncertainty, Uncertainty
    from gwcalc.uncertainty.timeline import TimelineUncertainty


@dataclass(frozen=True)
class ConvertResult:
    """A quantity converted into one or more units through a set's rates."""

    aset: AssumptionSet
    input: Quantity
    conversions: tuple[Conversion, ...]
    chip: str | None = None  # the chip whose own figures the chains use ('2M GB300')
    uncertainty: Uncertainty | None = None  # with samples: keyed by each result's unit
    interval: QuantityInterval | None = None  # the input typed as LOW..HIGH (input: its median)

    @property
    def results(self) -> tuple[Quantity, ...]:
        return tuple(c.result for c in self.conversions)

    @property
    def rates(self) -> AssumptionSet:
        """The set whose parameters the chains use: the chip's figures in place of the generic
        GPU rates when a chip was named."""
        if self.chip is None:
            return self.aset
        from gwcalc.timelines.views import chip_view

        return chip_view(self.aset, self.chip)

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc convert --json`."""
        conversions = list(self.conversions)
        return convert_document(
            self.aset,
            self.input,
            conversions,
            self.rates,
            self.chip,
            self.uncertainty,
            self.interval.to_dict() if self.interval is not None else None,
        )

    def __str__(self) -> str:
        return "\n".join(
            chain_text(self.input, c.steps, self.rates, c.result) for c in self.conversions
        )

    def __repr__(self) -> str:
        results = ", ".join(format_quantity(q) for q in self.results)
        return f"<ConvertResult {format_quantity(self.input)} -> {results} ({self.aset.label})>"


@dataclass(frozen=True)
class GapResult:
    """A year of supply against contracted demand: result["gap"] is a Quantity."""

    computed: Gap  # the plan and its evaluated outputs
    uncertainty: Uncertainty | None = None  # with samples: Monte Carlo over the set's ranges
    demand_interval: QuantityInterval | None = None  # --demand LOW..HIGH (demand: its median)

    @property
    def aset(self) -> AssumptionSet:
        return self.computed.plan.aset

    @property
    def plan(self) -> Plan:
        """The compiled evaluator behind the result (for many evaluations)."""
        return self.computed.plan

    def __getitem__(self, name: str) -> Quantity:
        return self.computed[name]

    @property
    def outputs(self) -> dict[str, Quantity]:
        return {o.name: o.quantity for o in self.computed.shown}

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc gap --json`."""
        document = gap_document(self.computed, self.uncertainty)
        if self.demand_interval is not None:
            document["demand_range"] = self.demand_interval.to_dict()
        return document

    def __str__(self) -> str:
        lines = [f"Supply vs contracted demand — {self.aset.label}"]
        width = max(len(o.output.label) for o in self.computed.shown)
        lines += [f"  {o.output.label:<{width}}  {output_text(o)}" for o in self.computed.shown]
        return "\n".join(lines)

    def __repr__(self) -> str:
        values = ", ".join(f"{o.name}={output_text(o)}" for o in self.computed.shown)
        return f"<GapResult {self.aset.label}: {values}>"


@dataclass(frozen=True)
class DiffResult:
    """Two sets compared: changed parameters, changed outputs, and what moved each."""

    comparison: SetDiff
    uncertainty: DiffUncertainty | None = None  # with samples: A, B and B − A
    economics: EconDiff | None = None  # per GW, when either set has the model's figures

    @property
    def differs(self) -> bool:
        return self.comparison.differs

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc diff --json`."""
        doc = diff_document(self.comparison)
        if self.comparison.deals:
            from gwcalc.report.deals_diff import deals_json

            doc["deals"] = deals_json(self.comparison.deals)
        if self.comparison.money is not None:
            from gwcalc.report.flows_diff import money_diff_json

            doc["money"] = money_diff_json(self.comparison.money)
        if self.uncertainty is not None:
            from gwcalc.report.documents import diff_uncertainty_json

            doc["uncertainty"] = diff_uncertainty_json(self.uncertainty)
        if self.economics is not None:
            doc["economics"] = self.economics.to_dict()
        return doc

    def __str__(self) -> str:
        r = self.comparison
        lines = [f"{r.before.label} -> {r.after.label}"]
        for o in r.output_changes:
            pct = "" if o.change_pct is None else f" ({format_points(o.change_pct, sign=True)})"
            lines.append(
                f"  {o.name}: {format_quantity(o.before)} -> {format_quantity(o.after)}{pct}"
            )
            lines += [f"    {s.label}: {format_quantity(s.delta, 3)}" for s in o.attribution]
        if self.economics is not None:
            lines += self.economics.lines()
        return "\n".join(lines)

    def __repr__(self) -> str:
        r = self.comparison
        return f"<DiffResult {r.before.label} -> {r.after.label}, differs={r.differs}>"


@dataclass(frozen=True)
class TimelineResult:
    """Year by year: supply built against contracted demand falling due, and the catch-up."""

    computed: ComputedTimeline  # each year's rows, the deals and what counted
    scopes: Scopes  # the market, each vendor and (if asked) one buyer, at matched scopes
    uncertainty: TimelineUncertainty | None = None  # with samples: percentiles, p_covered

    @property
    def aset(self) -> AssumptionSet:
        return self.computed.aset

    @property
    def rows(self) -> tuple[YearRow, ...]:
        """Each year's supply, demand, running sums and gap (floats in the timeline's unit)."""
        return self.computed.rows

    @property
    def deals(self) -> tuple[DealView, ...]:
        """Each deal as the timeline saw it: counted or not, and why; its amounts by year."""
        return self.computed.deals

    @property
    def matched(self) -> bool:
        """Whether the market comparison is like for like (its demand counts every buyer)."""
        return self.scopes.market.matched

    @property
    def covered_in(self) -> int | None:
        """The first year with demand due from which cumulative supply covers cumulative demand;
        None if it never does, if no demand falls due (see coverage), or when the two sides
        differ in scope (no covered claim: see scopes)."""
        return self.computed.covered_in if self.matched else None

    @property
    def coverage(self) -> str:
        """'covered', 'not-covered', 'no-demand-due', or 'scopes-differ' (no covered claim):
        what covered_in's answer means."""
        from gwcalc.report.scopes import SCOPES_DIFFER

        return self.computed.coverage if self.matched else SCOPES_DIFFER

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc timeline --json`."""
        from gwcalc.report.timeline import timeline_document

        return timeline_document(self.computed, self.scopes, self.uncertainty)

    def __str__(self) -> str:
        r = self.computed
        unit = unit_label(r.unit)
        lines = [f"Supply vs contracted demand by year ({unit}) — {r.aset.label}"]
        lines.append("  year   supply   demand  cum. supply  cum. demand      gap")
        for row in r.rows:  # each series (supply, demand, both sums, gap) in its column's width
            widths = (8, 8, 11, 11, 7)
            cells = [f"{v:{w}.4g}" for v, w in zip(row.values(), widths, strict=True)]
            lines.append(f"  {row.year}  " + "  ".join(cells))
        from gwcalc.timelines.compute import NO_DEMAND_DUE

        year, end = r.covered_in, r.rows[-1].year
        if not self.matched:
            lines.append("  no covered claim: " + (self.scopes.market.why_not or ""))
        elif year is not None:
            lines.append(f"  covered in: {year}")
        elif r.coverage == NO_DEMAND_DUE:
            lines.append(f"  no counted demand falls due by {end}")
        else:
            lines.append(f"  not covered by {end}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<TimelineResult {self.aset.label}: covered_in={self.covered_in}>"


@dataclass(frozen=True)
class TimelineDiffResult:
    """Two timelines compared: the cumulative gap in one year, and what moved it."""

    comparison: TimelineDiff

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc diff A B --timeline --json`."""
        from gwcalc.report.timeline import timeline_diff_document
        from gwcalc.timelines.scopes import compare

        r = self.comparison
        return timeline_diff_document(r, (compare(r.before).market, compare(r.after).market))

    def __repr__(self) -> str:
        r = self.comparison
        return f"<TimelineDiffResult {r.before.aset.label} -> {r.after.aset.label}, {r.year}>"


@dataclass(frozen=True)
class FlowsResult:
    """Money between parties: each seller's round trip with each buyer (how much of what the
    buyer paid was the seller's own money), each party's money in and out, and the loops."""

    report: FlowsReport
    uncertainty: FlowsUncertainty | None = None  # with samples: warrants' values, shares

    @property
    def aset(self) -> AssumptionSet:
        return self.report.aset

    @property
    def round_trips(self) -> tuple[RoundTrip, ...]:
        """Per seller and buyer: paid, sent, part = min(sent, paid), share, net (nominal $)."""
        return self.report.round_trips

    @property
    def sellers(self) -> tuple[SellerTotal, ...]:
        return self.report.sellers

    @property
    def parties(self) -> tuple[PartyBalance, ...]:
        return self.report.parties

    @property
    def loops(self) -> tuple[Loop, ...]:
        return self.report.loops

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc flows --json`."""
        from gwcalc.report.flows import flows_document

        doc = flows_document(self.report)
        if self.uncertainty is not None:
            from gwcalc.report.flows_samples import flows_uncertainty_json

            doc["uncertainty"] = flows_uncertainty_json(self.uncertainty)
        return doc

    def __str__(self) -> str:
        from gwcalc.report.flows import title

        lines = [title(self.report), "  seller: round trip of gross (share), net external"]
        for s in self.sellers:
            lines.append(
                f"  {s.seller}: {format_number(s.part)} of {format_number(s.gross)} "
                f"({format_percent(s.share)}), net {format_number(s.net_external)}"
            )
        lines += [f"  loop: {loop.text()}, {format_number(loop.amount)}" for loop in self.loops]
        return "\n".join(lines)

    def __repr__(self) -> str:
        sel = self.report.selection
        return f"<FlowsResult {self.aset.label}: {len(sel.counted)} counted flows>"


@dataclass(frozen=True)
class EconomicsResult:
    """The unit economics of a GW of IT power (per GW-year and per GPU-hour) and the market's
    revenue gap by year: result["payback_years"] is a float (+∞: never); with samples,
    result.uncertainty holds the percentiles and probabilities."""

    report: EconomicsReport
    uncertainty: EconUncertainty | None = None

    @property
    def aset(self) -> AssumptionSet:
        return self.report.aset

    def __getitem__(self, name: str) -> float:
        """A per-GW output (PER_GW_OUTPUTS), as a float in its unit."""
        return self.report.outputs[name]

    @property
    def by_year(self) -> Mapping[int, Mapping[str, float]]:
        """Each year's revenue gap outputs (BY_YEAR_OUTPUTS), as floats."""
        return self.report.by_year.rows

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc economics --json`."""
        from gwcalc.econ.report import economics_document

        return economics_document(self.report, self.uncertainty)

    def __str__(self) -> str:
        from gwcalc.econ.model import PER_GW_OUTPUTS
        from gwcalc.econ.report import title, value_text

        lines = [title(self.report)]
        width = max(len(o.label) for o in PER_GW_OUTPUTS)
        for o in PER_GW_OUTPUTS:
            lines.append(f"  {o.label:<{width}}  {value_text(o.name, self[o.name])}")
        for year, row in self.by_year.items():
            gap = value_text("revenue_gap", row["revenue_gap"])
            lines.append(f"  {year}: revenue gap {gap}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        from gwcalc.econ.report import value_text

        payback = value_text("payback_years", self["payback_years"])
        return f"<EconomicsResult {self.aset.label}: payback {payback}>"
