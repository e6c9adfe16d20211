"""The public Python API for notebooks and scripts: load, list, write and check sets; convert,
gap, timeline, flows, economics, diff, sensitivity and explain. Every command of the CLI runs on it.

Lives here: the functions (this module; what they share, and the sets' own functions load,
list, new and check, in `common`), sensitivity and explain of the economics outputs
(`econ_analysis` per GW; `by_year_analysis` of the revenue gap by year) and of the flows
outputs (`flows_analysis`), and their result types (`results`: each shows itself as the CLI
would and gives its command's --json document).
May import: every layer below it (`errors`, `units`, `sets`, `engine`, `report`, `timelines`,
`money`, `uncertainty`, `analysis`); never the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from gwcalc.api.common import Override as Override
from gwcalc.api.common import Overrides, check_set, list_sets, load_set, new_set
from gwcalc.api.common import interval_of as _interval
from gwcalc.api.common import override_value as _override
from gwcalc.api.common import pick_set as _set
from gwcalc.api.common import quantity_of as _quantity
from gwcalc.api.common import refuse_chips as _refuse_chips
from gwcalc.api.common import seed_of as _seed
from gwcalc.api.common import strip_range_chips as _strip_chips
from gwcalc.api.common import year_of as _year
from gwcalc.engine.graph import convert as _convert
from gwcalc.engine.graph import figures_of, related_units
from gwcalc.engine.plan import (
    Plan,
    compile_gap,
    compile_outputs,
    compute_gap,
    plan_figures,
)
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.contract_money import refusal_alone
from gwcalc.sets.find import resolve_set
from gwcalc.sets.overrides import check_used
from gwcalc.units import DEFAULT_UNIT
from gwcalc.units.registry import (
    Quantity,
    Unit,
    dimensions,
    parse_unit,
)

if TYPE_CHECKING:  # loaded on first use at run time (_LAZY): convert and gap skip them
    from gwcalc.analysis.explain import Explanation
    from gwcalc.api.by_year_analysis import by_year_explain, by_year_sensitivity
    from gwcalc.api.econ_analysis import econ_explain, econ_sensitivity
    from gwcalc.api.flows_analysis import flows_explain, flows_sensitivity
    from gwcalc.econ.by_year_study import is_by_year_output
    from gwcalc.engine.stream import StreamConverter
    from gwcalc.uncertainty.sensitivity import Sensitivity

from gwcalc.api.results import (
    ConvertResult,
    DiffResult,
    EconomicsResult,
    FlowsResult,
    GapResult,
    TimelineDiffResult,
    TimelineResult,
)

__all__ = [
    "AssumptionSet",
    "ConvertResult",
    "DiffResult",
    "EconomicsResult",
    "FlowsResult",
    "GapResult",
    "Plan",
    "TimelineDiffResult",
    "TimelineResult",
    "by_year_explain",
    "by_year_sensitivity",
    "check_set",
    "compile_gap",
    "compile_outputs",
    "convert",
    "converter",
    "diff",
    "econ_explain",
    "econ_sensitivity",
    "economics",
    "explain",
    "flows",
    "flows_explain",
    "flows_sensitivity",
    "gap",
    "is_by_year_output",
    "list_sets",
    "load_set",
    "new_set",
    "sensitivity",
    "timeline",
    "timeline_diff",
]

# Imported on first use (PEP 562): the models they load are not on convert's or gap's path.
_LAZY = {
    "by_year_explain": "gwcalc.api.by_year_analysis",
    "by_year_sensitivity": "gwcalc.api.by_year_analysis",
    "econ_explain": "gwcalc.api.econ_analysis",
    "econ_sensitivity": "gwcalc.api.econ_analysis",
    "flows_explain": "gwcalc.api.flows_analysis",
    "flows_sensitivity": "gwcalc.api.flows_analysis",
    "is_by_year_output": "gwcalc.econ.by_year_study",
}


def __getattr__(name: str) -> object:
    """A name of _LAZY, imported from its module on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gwcalc.api' has no attribute {name!r}")


# Each function returns a plain result object: str() shows it as the CLI would, .to_dict() is
# the document the matching command prints with --json, key for key. Quantities are pint
# Quantities of gwcalc's one registry (gwcalc.units.registry.ureg); errors raise
# GwcalcError subclasses.


def convert(
    quantity: Quantity | str,
    to: str | Unit | Sequence[str | Unit] | None = None,
    aset: AssumptionSet | str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    check: bool = True,
) -> ConvertResult:
    """Convert a quantity ('6 GW' or a Quantity) into a unit or a list of units (default:
    every unit the set's rates reach) through a set (default: the default set); a chip's name
    from the set's catalogue is a unit ('2M GB300'); with samples, also Monte Carlo over the
    set's ranges (result.uncertainty, keyed by each result's unit). An override of the set
    that no chain uses is refused (check=False leaves that to the caller: a stream checks the
    chains of all its inputs at its end)."""
    chosen = _set(aset)
    targets: list[str | Unit] = []
    if isinstance(to, str) or (to is not None and not isinstance(to, Sequence)):
        targets = [to]  # one unit
    elif to is not None:
        targets = list(to)
    chip = None
    chips = chosen.timeline.chips if chosen.timeline is not None else {}
    if chips and isinstance(quantity, str):  # chip names as units: '2M GB300', --to GB300
        texts = [t for t in targets if isinstance(t, str)]
        quantity, stripped, chip = _strip_chips(quantity, texts, chips)
        replaced = iter(stripped)
        targets = [next(replaced) if isinstance(t, str) else t for t in targets]
    rates = chosen
    if chip is not None:
        from gwcalc.timelines.views import chip_view

        rates = chip_view(chosen, chip)
    interval = _interval(quantity, samples)
    q = interval.point if interval is not None else _quantity(quantity)
    units = [parse_unit(t) if isinstance(t, str) else t for t in targets] or related_units(q, rates)
    refusal = None if targets else refusal_alone(dimensions(q))
    if refusal is not None:
        raise refusal
    conversions = tuple(_convert(q, u, rates) for u in units)
    if check:
        check_used(chosen, figures_of(conversions), "this conversion")
    if samples is None:
        return ConvertResult(chosen, q, conversions, chip)
    from gwcalc.uncertainty.sampling import conversion_uncertainty

    if interval is not None:
        from gwcalc.uncertainty.ranged_input import with_given

        rates = with_given(rates, interval)
    uncertainty = conversion_uncertainty(rates, q, conversions, samples, _seed(seed))
    return ConvertResult(chosen, q, conversions, chip, uncertainty, interval)


def converter(
    to: str | Sequence[str] | None = None, aset: AssumptionSet | str | None = None
) -> StreamConverter:
    """Many quantities into the same units (default: every unit the set's rates reach) through
    one set: .convert('6 GW') gives each result as floats, equal to convert()'s to the last bit,
    planning each input unit once (`gwcalc convert -` runs on it); .result(text) is convert()."""
    from gwcalc.engine.stream import StreamConverter

    targets = [to] if isinstance(to, str) else list(to or [])
    return StreamConverter(_set(aset), partial(convert, check=False), targets)


def gap(
    aset: AssumptionSet | str | None = None,
    unit: str = DEFAULT_UNIT,
    demand: Quantity | str | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> GapResult:
    """A year of supply against demand (the set's contracted_spend, or `demand`) in `unit`;
    with samples, also Monte Carlo over the set's ranges (result.uncertainty)."""
    interval = _interval(demand, samples) if demand is not None else None
    given = interval.point if interval else _quantity(demand) if demand is not None else None
    chosen = _set(aset)
    result = compute_gap(chosen, unit, given)
    check_used(chosen, plan_figures(result.plan), "the gap")
    if samples is None:
        return GapResult(result)
    from gwcalc.uncertainty.ranged_input import sampled_gap_plan
    from gwcalc.uncertainty.sampling import plan_uncertainty

    names = [o.name for o in result.shown]
    sampled, plan = (
        sampled_gap_plan(chosen, interval, unit) if interval else (result.plan.aset, result.plan)
    )
    uncertainty = plan_uncertainty(sampled, plan, samples, _seed(seed), names)
    return GapResult(result, uncertainty, interval)


def diff(
    a: AssumptionSet | str,
    b: AssumptionSet | str,
    unit: str = DEFAULT_UNIT,
    conversions: Iterable[tuple[Quantity | str, str | Unit]] = (),
    samples: int | None = None,
    seed: int | None = None,
) -> DiffResult:
    """Compare set a (before) with set b (after) on the gap's outputs and any conversions
    [(quantity, unit)]; each output's change is split among the parameters that moved it.
    When both sets have the economics model's figures, also its per-GW outputs, each change
    split by Shapley values (result.economics; a note when only one set has them).
    With samples, also Monte Carlo of the gap's outputs (and of the per-GW economics, in
    result.economics.samples) in A, in B and of B − A (a parameter with a range in both sets
    gets the same draws in both)."""
    from gwcalc.analysis.diff import (
        diff_sets,  # imported only when diffing: gap and convert skip it
    )
    from gwcalc.analysis.econ_diff_years import diff_economics

    before, after = _set(a), _set(b)
    conversions = list(conversions)
    _refuse_chips(conversions, (before, after))
    pairs = [(_quantity(q), parse_unit(u) if isinstance(u, str) else u) for q, u in conversions]
    result = diff_sets(before, after, unit, pairs)
    economics = diff_economics(before, after)
    if samples is None:
        return DiffResult(result, economics=economics)
    from gwcalc.uncertainty.sampling import diff_uncertainty

    plans = compile_gap(before, unit), compile_gap(after, unit)
    uncertainty = diff_uncertainty(plans[0], plans[1], samples, _seed(seed))
    if economics is not None and economics.compared:
        from dataclasses import replace

        from gwcalc.econ.by_year import revenue_gap_by_year
        from gwcalc.uncertainty.economics import econ_diff_uncertainty

        years = economics.years is not None and economics.years.note is None
        by_year = (revenue_gap_by_year(before), revenue_gap_by_year(after)) if years else None
        drawn = econ_diff_uncertainty(before, after, samples, _seed(seed), by_year)
        economics = replace(economics, samples=drawn)
    return DiffResult(result, uncertainty, economics)


def sensitivity(
    aset: AssumptionSet | str | None = None,
    output: str = "coverage",
    unit: str = DEFAULT_UNIT,
    samples: int = 20_000,
    seed: int | None = None,
) -> Sensitivity:
    """Each ranged parameter's effect on one gap output: the output at the parameter's low
    and high (the rest at their values), and its share of the output's variance (of its log,
    exact, for a product of independent figures; else first-order, from `samples` seeded
    samples)."""
    from gwcalc.uncertainty.sensitivity import sensitivity as _sensitivity

    chosen = _set(aset)
    from gwcalc.api.econ_analysis import check_gap_output

    check_gap_output(chosen, output, "econ_sensitivity")
    plan = compile_gap(chosen, unit)
    result = _sensitivity(plan, output, samples, _seed(seed))
    check_used(chosen, plan_figures(plan, output), f"the gap's {output}")
    return result


def explain(
    output: str, aset: AssumptionSet | str | None = None, unit: str = DEFAULT_UNIT
) -> Explanation:
    """Every step of the arithmetic behind one gap output, with each figure's range and
    source; str() shows it, .to_dict() is `gwcalc explain --json`."""
    from gwcalc.analysis.explain import explain as _explain

    chosen = _set(aset)
    from gwcalc.api.econ_analysis import check_gap_output

    check_gap_output(chosen, output, "econ_explain")
    plan = compile_gap(chosen, unit)
    result = _explain(plan, output)
    check_used(chosen, plan_figures(plan, output), f"the gap's {output}")
    return result


def timeline(
    aset: AssumptionSet | str | None = None,
    unit: str = DEFAULT_UNIT,
    first: int | str | None = None,
    last: int | str | None = None,
    statuses: Sequence[str] | None = None,
    samples: int | None = None,
    seed: int | None = None,
    buyer: str | None = None,
) -> TimelineResult:
    """Supply built and demand falling due in each year (first..last, default the set's
    timeline) in `unit`, of `aset` (default: the timeline's default set, market-2026); deals
    count when their status is in `statuses` (default the set's).
    result.scopes compares them at matched scopes: the market (a covered claim only when the
    set's demand counts every buyer), each vendor's book against its output, and with `buyer`
    that buyer's demand as a share of each vendor's output. With samples, also Monte Carlo over
    the set's ranges (result.uncertainty): each year's percentiles and p_covered, the share of
    samples in which cumulative supply covers cumulative demand that year."""
    from gwcalc.timelines.compute import compute_timeline, timeline_figures
    from gwcalc.timelines.scopes import check_buyer, compare

    chosen = _set(aset, timeline=True)
    result = compute_timeline(chosen, unit, _year(first), _year(last), statuses)
    check_used(chosen, timeline_figures(result), "the timeline")
    if buyer is not None:
        buyer = check_buyer(result, buyer)
    scopes = compare(result, buyer)
    if samples is None:
        return TimelineResult(result, scopes)
    from gwcalc.uncertainty.timeline import timeline_uncertainty

    return TimelineResult(result, scopes, timeline_uncertainty(result, samples, _seed(seed)))


def flows(
    aset: AssumptionSet | str | None = None,
    party: str | None = None,
    year: int | str | None = None,
    statuses: Sequence[str] | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> FlowsResult:
    """Money between the parties of `aset`'s [[flows]] (default: the timeline's default set):
    for each seller and buyer, the money the buyer paid (gross), the money the seller sent it,
    the round-trip part min(sent, gross) and its share of the gross, and the net external
    revenue; each party's money in and out by kind; every loop of counted money. Flows count
    when their status is in `statuses` (default the set's counted_flow_statuses); with `year`,
    only that year's part of each flow; with `party`, that party's rows, edges and loops. With
    samples, p5/p50/p95 of each counted warrant's value and each seller's round-trip share over
    the ranges of the figures they use (a share price)."""
    from gwcalc.money.compute import compute_flows

    chosen = aset if isinstance(aset, AssumptionSet) else resolve_set(aset, timeline=True)
    report = compute_flows(chosen, party, _year(year), statuses)
    check_used(chosen, report.figures, "the flows")
    if samples is None:
        return FlowsResult(report)
    from gwcalc.uncertainty.flows import flows_uncertainty

    return FlowsResult(report, flows_uncertainty(report, samples, _seed(seed)))


def economics(
    aset: AssumptionSet | str | None = None,
    overrides: Overrides | None = None,
    year: int | str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    assumptions_dir: str | Path | None = None,
) -> EconomicsResult:
    """A GW of IT power for a year at steady state (figures of `year`, default the year whose
    figures the set's own values are, 2026 in market-2026) and the market's revenue gap by
    year (only `year`'s, if given; gwcalc.econ); default set: the newest market-2026 with
    the economics figures. With samples, also Monte Carlo over the ranges."""
    from gwcalc.econ.compute import (
        check_one_year,
        compute_economics,
        default_economics_set,
        figures_used,
        figures_year,
    )

    if aset is None:
        chosen = default_economics_set(Path(assumptions_dir) if assumptions_dir else None)
    elif isinstance(aset, AssumptionSet):
        chosen = aset
    else:
        chosen = load_set(aset, None, assumptions_dir, timeline=True)
    default_year = figures_year(chosen)  # of the set as read: an override moves its figures
    if overrides:
        pairs = overrides.items() if isinstance(overrides, Mapping) else overrides
        chosen = chosen.with_overrides((name, _override(name, q)) for name, q in pairs)
    report = compute_economics(chosen, _year(year), default_year)
    check_one_year(report)
    check_used(chosen, figures_used(report), "the economics")
    if samples is None:
        return EconomicsResult(report)
    from gwcalc.uncertainty.economics import economics_uncertainty

    plans = report.by_year.plan_capex
    u = economics_uncertainty(chosen, samples, _seed(seed), report.year, report.demand, plans)
    return EconomicsResult(report, u)


def timeline_diff(
    a: AssumptionSet | str,
    b: AssumptionSet | str,
    unit: str = DEFAULT_UNIT,
    year: int | str | None = None,
    statuses: Sequence[str] | None = None,
) -> TimelineDiffResult:
    """Compare two sets' timelines over their common years: the cumulative gap in `year`
    (default the last common one) split among the inputs that differ, and the catch-up year."""
    from gwcalc.timelines.diff import diff_timelines

    return TimelineDiffResult(diff_timelines(_set(a), _set(b), unit, _year(year), statuses))
