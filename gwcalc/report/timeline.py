"""The JSON documents of `gwcalc timeline` and `gwcalc diff --timeline`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gwcalc.engine.outputs import SERIES
from gwcalc.report.documents import (
    attribution_item,
    envelope,
    quantity_json,
    set_json,
    summary_json,
)
from gwcalc.report.scopes import SCOPES_DIFFER, scopes_json, verdict_json
from gwcalc.sets.ids import ascii_id
from gwcalc.units.registry import Unit, unit_text

if TYPE_CHECKING:
    from gwcalc.timelines.compute import ComputedTimeline, YearRow
    from gwcalc.timelines.deals import DealView
    from gwcalc.timelines.diff import TimelineDiff
    from gwcalc.timelines.scopes import Comparison, Scopes
    from gwcalc.uncertainty.timeline import TimelineUncertainty


def timeline_document(
    result: ComputedTimeline, scopes: Scopes, uncertainty: TimelineUncertainty | None = None
) -> dict[str, Any]:
    """`gwcalc timeline --json`: each year's supply and demand (amounts in the timeline's unit),
    their running sums and gap, the verdict naming both sides' scopes (covered_in is null when
    they differ: no covered claim), the comparisons at matched scopes (market, each vendor, the
    buyer asked for), and every deal with its schedule; with --samples, each year's p_covered
    (null when the sides differ) and the "uncertainty" of every year's amounts."""
    from gwcalc.units.registry import Q_

    def q(value: float) -> dict[str, Any]:
        return quantity_json(Q_(value, result.unit))

    matched = scopes.market.matched
    years = [_year_json(result, row, q, uncertainty, matched) for row in result.rows]
    timeline = result.timeline
    extra = {}
    if uncertainty is not None:
        extra["uncertainty"] = timeline_uncertainty_json(uncertainty, result.unit)
    return envelope(
        "timeline",
        assumptions=set_json(result.aset),
        unit=unit_text(result.unit),
        first_year=result.rows[0].year,
        last_year=result.rows[-1].year,
        counted_statuses=list(result.counted_statuses),
        supply_scope=timeline.supply_scope,
        demand_scope=timeline.demand_scope,
        verdict=verdict_json(result, scopes),
        years=years,
        covered_in=result.covered_in if matched else None,
        coverage=result.coverage if matched else SCOPES_DIFFER,
        comparisons=scopes_json(result, scopes),
        deals=[deal_json(d, result) for d in result.deals],
        **extra,
    )


def _year_json(
    result: ComputedTimeline,
    row: YearRow,
    q: Callable[[float], dict[str, Any]],
    uncertainty: TimelineUncertainty | None,
    matched: bool,
) -> dict[str, Any]:
    """One year of `timeline --json`: amounts, running sums, gap, supply by chip and the
    factors of each chip's supply (with samples: p_covered and its standard error)."""
    year: dict[str, Any] = {
        "year": row.year,
        **{s.name: q(value) for s, value in zip(SERIES, row.values(), strict=True)},
        "demand_due": row.cumulative_demand > 0,  # false: nothing due yet, so nothing covered
    }
    if row.supply_by_chip:
        year["supply_by_chip"] = {chip: q(v) for chip, v in row.supply_by_chip}
    year["supply_factors"] = [
        {
            "chip": part.chip,
            "factors": [
                {
                    "parameter": f.parameter,
                    "exponent": f.exponent,
                    "value": quantity_json(part.rates.quantity(f.parameter)),
                }
                for f in part.plan.factors
            ],
        }
        for part in result.supply_parts
        if part.year == row.year
    ]
    if uncertainty is not None:
        sampled = uncertainty.year(row.year)
        year["p_covered"] = sampled.p_covered if matched else None  # no claim across scopes
        year["p_covered_standard_error"] = sampled.p_covered_error if matched else None
    return year


def timeline_uncertainty_json(u: TimelineUncertainty, units: Unit) -> dict[str, Any]:
    """{"samples", "seed", "varied", "outputs": {"SERIES.YEAR": summary}}: every year's supply,
    demand, running sums and gap over the samples (running sums taken sample by sample)."""
    return {
        "samples": u.samples,
        "seed": u.seed,
        "varied": list(u.varied),
        "outputs": {
            f"{name}.{y.year}": summary_json(y.summaries[name], units)
            for y in u.years
            for name in y.summaries
        },
    }


def deal_json(view: DealView, result: ComputedTimeline) -> dict[str, Any]:
    """One deal as the timeline counts it; a counted deal's schedule sums to its size."""
    from gwcalc.units.registry import Q_

    deal = view.deal
    return {
        "name": deal.name,
        "id": ascii_id(deal.name),
        "buyer": deal.buyer,
        "seller": deal.seller,
        "kind": deal.kind,
        "vendor": deal.supplier,
        "status": deal.status,
        "counted": view.counted,
        "reason": view.reason,
        "size": quantity_json(Q_(view.size, result.unit)) if view.schedule else None,
        "size_as_given": quantity_json(view.size_given),
        "start": str(deal.start),
        "end": str(deal.end),
        "phasing": deal.phasing,
        "phasing_implied": deal.phasing_implied,
        "size_implied": deal.size_implied,
        "same_capacity_as": deal.same_capacity_as,
        "schedule": [
            {"year": year, "amount": quantity_json(Q_(amount, result.unit))}
            for year, amount in view.schedule
        ],
        "source": deal.source.to_dict(),
        "note": deal.note,
        **({} if view.value_check is None else {"value_check": value_check_json(view, result)}),
    }


def value_check_json(view: DealView, result: ComputedTimeline) -> dict[str, Any]:
    """A contract's dollars against its stated size: what they buy at the contract rate (null
    with a reason when unchecked), the stated size, and their ratio."""
    from gwcalc.units.registry import Q_

    check = view.value_check
    assert check is not None

    def q(value: float | None) -> dict[str, Any] | None:
        return None if value is None else quantity_json(Q_(value, result.unit))

    return {
        "value": quantity_json(check.value),
        "term_years": check.term_years,
        "rate": None if check.rate is None else quantity_json(check.rate),
        "rate_by_year": [{"year": y, "rate": quantity_json(r)} for y, r in check.rates],
        "at_rate": q(check.at_rate),
        "stated": q(check.stated),
        "ratio": check.ratio,
        "checked": check.checked,
        "reason": check.reason,
    }


def timeline_diff_document(
    result: TimelineDiff, markets: tuple[Comparison, Comparison]
) -> dict[str, Any]:
    """`gwcalc diff A B --timeline --json`: the cumulative gap in one year before and after,
    each input's part of its change, each input's effect alone on the catch-up year, and the
    scopes of each side's market comparison (`markets`: A's and B's)."""
    from gwcalc.units.registry import Q_

    unit = result.before.unit

    def q(value: float) -> dict[str, Any]:
        return quantity_json(Q_(value, unit))

    rows = result.row(result.before), result.row(result.after)
    change = result.gap_change
    return envelope(
        "diff-timeline",
        before=set_json(result.before.aset),
        after=set_json(result.after.aset),
        differs=result.differs,
        method="shapley",
        method_text=result.method,
        unit=unit_text(unit),
        first_year=result.before.rows[0].year,
        last_year=result.before.rows[-1].year,
        year=result.year,
        matched=result.before.matched,
        scopes={
            side: {"supply_scope": m.supply.to_dict(), "demand_scope": m.demand.to_dict()}
            for side, m in zip(("before", "after"), markets, strict=True)
        },
        covered_in={
            "before": result.before.covered_in if result.before.matched else None,
            "after": result.after.covered_in if result.after.matched else None,
        },
        cumulative_supply={
            "before": q(rows[0].cumulative_supply),
            "after": q(rows[1].cumulative_supply),
        },
        cumulative_demand={
            "before": q(rows[0].cumulative_demand),
            "after": q(rows[1].cumulative_demand),
        },
        gap={"before": q(rows[0].gap), "after": q(rows[1].gap), "delta": q(change)},
        attribution=[
            attribution_item(
                [item.name or item.kind], item.kind, q(part), part / change if change else None
            )
            for item, part in result.parts
        ],
        catch_up=[
            {**attribution_item([item.name or item.kind], item.kind, None, None), "covered_in": y}
            for item, y in result.catch_up
        ]
        if result.before.matched
        else [],
    )
