"""`gwcalc flows --samples` as data: each warrant's value and each seller's round-trip share,
as p5, p50, p95 and mean (JSON, CSV, -q lines, and rows for people and Markdown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwcalc.report.rows import Cell, Rows, ratio_text
from gwcalc.sets.ids import ascii_id
from gwcalc.units.registry import format_number

if TYPE_CHECKING:
    from gwcalc.money.compute import FlowsReport
    from gwcalc.uncertainty.flows import FlowsUncertainty
    from gwcalc.uncertainty.sampling import Summary


def _summary_json(s: Summary, unit: str) -> dict[str, Any]:
    """As every sampled output's: p5, p50, p95, mean and standard_error, each a quantity."""
    from gwcalc.report.documents import summary_json
    from gwcalc.units.registry import ureg

    return summary_json(s, ureg.Unit(unit))


def flows_uncertainty_json(u: FlowsUncertainty) -> dict[str, Any]:
    """`flows --samples`: each warrant's counted value (USD_equity) and each seller's
    round-trip share (a fraction), as p5, p50, p95 and mean."""
    return {
        "samples": u.samples,
        "seed": u.seed,
        "varied": list(u.varied),
        "warrants": [
            {"name": name, "id": ascii_id(name), **_summary_json(s, "USD_equity")}
            for name, s in u.warrants
        ],
        "round_trip_shares": [
            {"seller": seller, "id": ascii_id(seller), **_summary_json(s, "")}
            for seller, s in u.shares
        ],
    }


def uncertainty_rows(u: FlowsUncertainty) -> Rows:
    """For people: a row per warrant (its value) and per seller whose round-trip share moves
    with the sampled figures (JSON has every seller's)."""
    rows: list[list[Cell]] = [
        [f"warrant {name} (USD_equity)", *(format_number(v) for v in (s.p5, s.p50, s.p95))]
        for name, s in u.warrants
    ]
    rows += [
        [f"round-trip share {seller}", *(ratio_text(v) for v in (s.p5, s.p50, s.p95))]
        for seller, s in u.shares
        if s.p5 != s.p95  # the others' shares do not move with these figures
    ]
    return Rows(("output", "p5", "p50", "p95"), rows, (1, 2, 3))


def samples_title(u: FlowsUncertainty) -> str:
    """'Over 10,000 samples of amd_share_price (seed 20261202)'."""
    return f"Over {u.samples:,} samples of {', '.join(u.varied)} (seed {u.seed})"


SAMPLES_HEADER = ("output", "name", "value", "unit", "p5", "p50", "p95", "mean")


def uncertainty_csv(report: FlowsReport, u: FlowsUncertainty) -> Rows:
    """flows --samples as CSV: a row per sampled output, each counted warrant's value
    (warrant_value, USD_equity) then each seller's round-trip share (round_trip_share, every
    seller's, as JSON): its value at the set's figures, then p5, p50, p95 and mean."""
    values = {c.flow.name: c.amount for c in report.counted}
    shares = {s.seller: s.share for s in report.sellers}
    rows: list[list[Cell]] = [
        ["warrant_value", name, values[name], "USD_equity", s.p5, s.p50, s.p95, s.mean]
        for name, s in u.warrants
    ]
    rows += [
        ["round_trip_share", seller, shares[seller], "", s.p5, s.p50, s.p95, s.mean]
        for seller, s in u.shares
    ]
    return Rows(SAMPLES_HEADER, rows, (2, 4, 5, 6, 7))


def uncertainty_quiet(u: FlowsUncertainty) -> list[str]:
    """'warrant_value.p5 24.29B USD_equity AMD–OpenAI warrant', 'round_trip_share.p50 51.3%
    AMD': each warrant's and each moving round-trip share's p5, p50 and p95, as the -q lines of
    flows write them (names last)."""
    lines = [
        f"warrant_value.{p} {format_number(v)} USD_equity {name}"
        for name, s in u.warrants
        for p, v in (("p5", s.p5), ("p50", s.p50), ("p95", s.p95))
    ]
    lines += [
        f"round_trip_share.{p} {ratio_text(v)} {seller}"
        for seller, s in u.shares
        if s.p5 != s.p95  # the others' shares do not move with these figures
        for p, v in (("p5", s.p5), ("p50", s.p50), ("p95", s.p95))
    ]
    return lines
