"""The timeline's comparisons at matched scopes in words and as data, for every format: the
verdict (naming both sides' scopes), each vendor's book against its output, one buyer's shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gwcalc.report.documents import quantity_json
from gwcalc.sets.specs import PLAN_KINDS
from gwcalc.units.registry import Q_, format_percent, format_quantity

if TYPE_CHECKING:
    from gwcalc.timelines.compute import ComputedTimeline
    from gwcalc.timelines.scopes import Comparison, Scopes


SCOPES_DIFFER = "scopes-differ"  # coverage with no covered claim: the sides' scopes differ


class Verdict(NamedTuple):
    """The answer in words, and how sure a reader may read it."""

    text: str
    tone: str  # "good" (covered), "bad" (not covered, or booked past output), "neutral"


def verdict(result: ComputedTimeline, scopes: Scopes) -> Verdict:
    """'Supply catches up in 2028 …', 'Not by 2030 …', or, when the two sides differ in scope,
    'No covered claim: …'; each names both sides' scopes."""
    market = scopes.market
    scope = f" (demand: {market.demand.describe()}; supply: {market.supply.describe()})"
    rows, unit = result.rows, result.unit
    last = rows[-1]
    if not market.matched:
        share = last.cumulative_demand / last.cumulative_supply if last.cumulative_supply else None
        size = (
            ""
            if share is None
            else (f" By {last.year} the demand is {percent(share)} of the supply.")
        )
        return Verdict(f"No covered claim: {market.why_not}.{size}", "neutral")
    if last.cumulative_demand <= 0:
        plans = [v.deal for v in result.deals if v.deal.kind in PLAN_KINDS and not v.counted]
        if plans and not any(v.counted for v in result.deals):
            statuses = ", ".join(dict.fromkeys(d.status for d in plans))
            return Verdict(
                f"No owner's plan has a counted status ({', '.join(result.counted_statuses)}): "
                f"the market has no demand to compare (the plans' status: {statuses}).",
                "neutral",
            )
        return Verdict(
            f"No counted demand falls due from {rows[0].year} to {last.year}{scope}.", "neutral"
        )
    year = result.covered_in
    if year is None:
        gap = format_quantity(Q_(last.gap, unit))
        return Verdict(
            f"Not by {last.year}: cumulative supply is still {gap} short of cumulative "
            f"demand{scope}.",
            "bad",
        )
    due = next(r.year for r in rows if r.cumulative_demand > 0)  # years before: nothing to cover
    lead = "Supply is ahead every year" if year == due else f"Supply catches up in {year}"
    if year == due and due > rows[0].year:
        lead += f" with demand due (none falls due before {due})"
    return Verdict(
        f"{lead}: cumulative supply covers cumulative demand from {year} to {last.year}{scope}.",
        "good",
    )


def percent(ratio: float) -> str:
    return format_percent(ratio, 0)


def booked_past_lines(result: ComputedTimeline, scopes: Scopes) -> list[str]:
    """'Booked past its output: AMD in 2026 (0.67 GW_IT booked, 0.58 GW_IT built to date)'
    for each over-booked vendor, and each vendor named by demand with no supply in the set."""
    lines = []
    for c in scopes.over_booked:
        first = next(y for y in c.years if y.booked_past)
        lines.append(
            f"Booked past its output: {c.name} in {', '.join(map(str, c.booked_past))} "
            f"({_q(result, first.cumulative_demand)} booked against "
            f"{_q(result, first.cumulative_supply)} built to the end of {first.year})"
        )
    if scopes.no_supply:
        lines.append(
            f"No supply in the set: {', '.join(scopes.no_supply)} (demand booked with "
            + ("it" if len(scopes.no_supply) == 1 else "them")
            + " has no output to compare with)"
        )
    if scopes.unnamed:
        lines.append(
            f"No vendor named: {', '.join(scopes.unnamed)} (counted, but in no vendor's book)"
        )
    return lines


def _q(result: ComputedTimeline, value: float) -> str:
    return format_quantity(Q_(value, result.unit))


def share_cell(c: Comparison, year: int) -> str:
    """A comparison's cumulative share of output in a year: '46%', '116% !' when past the
    output, '—' with nothing due, 'no supply' when the vendor built nothing yet."""
    y = next(y for y in c.years if y.year == year)
    if y.cumulative_demand <= 0:
        return "—"
    past = " !" if year in c.booked_past else ""
    if y.share is None:
        return ("no output yet" if c.has_supply else "no supply") + past
    return percent(y.share) + past


def scopes_json(result: ComputedTimeline, scopes: Scopes) -> dict[str, Any]:
    """`timeline --json`'s "comparisons": the market, each vendor, the buyer asked for; each
    with its scopes, years (amounts in the timeline's unit, share = cumulative demand ÷
    cumulative supply) and the years booked past output."""

    def q(value: float) -> dict[str, Any]:
        return quantity_json(Q_(value, result.unit))

    def comparison(c: Comparison) -> dict[str, Any]:
        return {
            **c.to_dict(),
            "years": [
                {
                    "year": y.year,
                    "supply": q(y.supply),
                    "demand": q(y.demand),
                    "cumulative_supply": q(y.cumulative_supply),
                    "cumulative_demand": q(y.cumulative_demand),
                    "share_of_supply": y.share,
                }
                for y in c.years
            ],
        }

    return {
        "market": comparison(scopes.market),
        "vendors": [comparison(c) for c in scopes.vendors],
        "buyer": None
        if scopes.buyer_name is None
        else {"name": scopes.buyer_name, "by_vendor": [comparison(c) for c in scopes.buyer]},
        "booked_past_output": [
            {"vendor": c.name, "years": list(c.booked_past)} for c in scopes.over_booked
        ],
        "vendors_without_supply": list(scopes.no_supply),
    }


def verdict_json(result: ComputedTimeline, scopes: Scopes) -> dict[str, Any]:
    """The verdict as data: its words, whether the sides match, and both sides' scopes."""
    market, words = scopes.market, verdict(result, scopes)
    return {
        "text": words.text,
        "matched": market.matched,
        "why_not": market.why_not,
        "supply_scope": market.supply.to_dict(),
        "demand_scope": market.demand.to_dict(),
        "covered_in": result.covered_in if market.matched else None,
    }


def comparison_rows(result: ComputedTimeline, scopes: Scopes, unit: str) -> list[list[Any]]:
    """One row per comparison and year (for csv), COMPARISON_HEADER's columns: the market's
    years first, then each vendor's, then the buyer's at each vendor."""
    out = []
    for c in (scopes.market, *scopes.vendors, *scopes.buyer):
        for y in c.years:
            out.append([
                c.level, c.name, y.year, y.supply, y.demand, y.cumulative_supply,
                y.cumulative_demand, y.cumulative_demand - y.cumulative_supply, unit,
                "" if y.share is None else y.share,
                "" if c.level == "market" else y.year in c.booked_past, c.matched,
                c.supply.describe(), c.demand.describe(),
            ])  # fmt: skip
    return out


COMPARISON_HEADER = (
    "level", "name", "year", "supply", "demand", "cumulative_supply", "cumulative_demand",
    "gap", "unit", "share_of_supply", "booked_past_output", "matched", "supply_scope",
    "demand_scope",
)  # fmt: skip
