"""`gwcalc timeline` as CSV, Markdown and -q lines: the years, the verdict with both sides'
scopes, each vendor's book and the buyer asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.engine.outputs import SERIES, SERIES_NAMES
from gwcalc.report.contracts import value_check_text
from gwcalc.report.rows import Cell, Rows, probability_text, spread_text
from gwcalc.report.scopes import (
    COMPARISON_HEADER,
    booked_past_lines,
    comparison_rows,
    share_cell,
    verdict,
)
from gwcalc.units.registry import format_number, unit_text

if TYPE_CHECKING:
    from gwcalc.sets.time_axis import Deal
    from gwcalc.timelines.compute import ComputedTimeline
    from gwcalc.timelines.scopes import Comparison, Scopes
    from gwcalc.uncertainty.timeline import TimelineUncertainty


def timeline_csv(
    result: ComputedTimeline, scopes: Scopes, u: TimelineUncertainty | None = None
) -> Rows:
    """One row per comparison and year (the market's, each vendor's, the buyer's), amounts in
    the timeline's unit, each row naming both sides' scopes; with samples, the market's rows
    also carry p5/p50/p95 of each series and p_covered (when its sides match)."""
    unit = unit_text(result.unit)
    header = list(COMPARISON_HEADER)
    rows: list[list[Cell]] = comparison_rows(result, scopes, unit)
    if u is not None:
        extra = [f"{name}_{p}" for name in SERIES_NAMES for p in ("p5", "p50", "p95")]
        extra += ["p_covered", "p_covered_standard_error"]
        header += extra
        market = len(scopes.market.years)
        for row, y in zip(rows[:market], u.years, strict=True):
            for name in SERIES_NAMES:
                s = y.summaries[name]
                row += [s.p5, s.p50, s.p95]
            row += [y.p_covered, y.p_covered_error] if scopes.market.matched else [None, None]
        for row in rows[market:]:
            row += [None] * len(extra)
    skip = ("level", "name", "year", "unit", "booked_past_output", "matched")
    numeric = tuple(i for i, name in enumerate(header) if name not in skip and "scope" not in name)
    return Rows(tuple(header), rows, numeric)


def timeline_markdown(
    result: ComputedTimeline, scopes: Scopes, u: TimelineUncertainty | None = None
) -> list[Rows | str]:
    """The verdict and both sides' scopes, the years (with samples also gap p5 – p95 and, when
    the sides match, P(covered)), each vendor's share of its output booked, the buyer asked
    for, and the deals, counted or not and why."""
    unit = unit_text(result.unit)
    market = scopes.market
    headings = [s.heading for s in SERIES]
    header = ["year", f"{headings[0]} ({unit})", *headings[1:]]
    table: list[list[Cell]] = [
        [r.year, *(format_number(v) for v in r.values())] for r in result.rows
    ]
    if u is not None:
        header.append(f"gap p50 [p5, p95] ({u.samples:,} samples, seed {u.seed})")
        if market.matched:
            header.append("P(covered)")
        for row, y in zip(table, u.years, strict=True):
            gap = y.summaries["gap"]
            row.append(spread_text(gap.p50, gap.p5, gap.p95))
            if market.matched:
                row.append(probability_text(y.p_covered))
    parts: list[Rows | str] = [
        f"**{verdict(result, scopes).text}**",
        f"- Supply: {market.supply.describe()}\n- Demand: {market.demand.describe()}",
        Rows(tuple(header), table, tuple(range(1, len(header)))),
    ]
    years = [r.year for r in result.rows]
    if scopes.vendors:
        parts += ["Each vendor's book, as a share of its output to date (! past it):"]
        parts.append(share_rows(scopes.vendors, years, "vendor"))
    if scopes.buyer_name is not None:
        parts += [f"{scopes.buyer_name}'s demand as a share of each vendor's output to date:"]
        parts.append(share_rows(scopes.buyer, years, "vendor"))
    parts += booked_past_lines(result, scopes)
    checks = [c for c in (value_check_text(v, result.unit) for v in result.deals) if c]
    parts += [f"Value check: {c}" for c in checks]
    parts.append(
        Rows(
            ("deal", "status", "size", unit, "when", "counted"),
            [
                [
                    v.deal.name,
                    v.deal.status,
                    v.deal.size_text,
                    format_number(v.size) if v.schedule else "",
                    when_text(v.deal),
                    "yes" if v.counted else f"no: {v.reason}",
                ]
                for v in result.deals
            ],
            (3,),
        )
    )
    if result.aset.caveats:
        parts.append(f"Caveats of {result.aset.label}:\n\n" + "\n".join(
            f"- {c}" for c in result.aset.caveats))  # fmt: skip
    return parts


def share_rows(comparisons: tuple[Comparison, ...], years: list[int], first: str) -> Rows:
    """One row per comparison: its cumulative share of output in each year."""
    rows: list[list[Cell]] = [[c.name, *(share_cell(c, y) for y in years)] for c in comparisons]
    return Rows((first, *map(str, years)), rows, tuple(range(1, len(years) + 1)))


def timeline_quiet(
    result: ComputedTimeline, scopes: Scopes, u: TimelineUncertainty | None = None
) -> list[str]:
    """'2026 -26.01 GW_IT': each year's cumulative gap; then 'covered_in 2025' (or 'none'), or
    'covered_in n/a' when the sides differ in scope; 'matched yes|no'; 'supply_scope …' and
    'demand_scope …'; 'booked_past 2026 2027 AMD' (its years) per over-booked vendor;
    'no_supply Cerebras' per vendor named by demand with no chip in the set;
    'buyer OpenAI', then 'share_of_output 2030 0.52 AMD' per vendor of that buyer; with samples (and
    matched sides), 'p_covered.2028 0.973' for each year ('none' before demand is due)."""
    unit = unit_text(result.unit)
    market = scopes.market
    lines = [f"{r.year} {format_number(r.gap)} {unit}" for r in result.rows]
    if market.matched:
        lines.append(f"covered_in {result.covered_in or 'none'}")
    else:
        lines.append("covered_in n/a")
    lines.append(f"matched {'yes' if market.matched else 'no'}")
    lines.append(f"supply_scope {market.supply.describe()}")
    lines.append(f"demand_scope {market.demand.describe()}")
    for c in scopes.over_booked:  # the years, then the name last: it may hold spaces
        lines.append(f"booked_past {' '.join(map(str, c.booked_past))} {c.name}")
    lines += [f"no_supply {name}" for name in scopes.no_supply]
    if scopes.buyer_name is not None:
        lines.append(f"buyer {scopes.buyer_name}")
    for c in scopes.buyer:
        last = c.years[-1]
        share = "n/a" if last.share is None else format_number(last.share)
        lines.append(f"share_of_output {last.year} {share} {c.name}")
    if u is not None and market.matched:  # 'none' before any demand falls due
        lines += [
            f"p_covered.{y.year} " + ("none" if y.p_covered is None else f"{y.p_covered:.4g}")
            for y in u.years
        ]
    return lines


def when_text(deal: Deal) -> str:
    """'2026-H2–2030', or '2026' for a deal of one year; '*' when its phasing is implied."""
    span = str(deal.start) if deal.start == deal.end else f"{deal.start}–{deal.end}"
    return span + ("*" if deal.phasing_implied else "")
