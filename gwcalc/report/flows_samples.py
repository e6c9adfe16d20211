"""`gwcalc flows --samples` as data: each warrant's value and each seller's round-trip share,
as p5, p50, p95 and mean (JSON, and rows for people)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwcalc.report.rows import Cell, Rows, ratio_text
from gwcalc.units.registry import format_number

if TYPE_CHECKING:
    from gwcalc.uncertainty.flows import FlowsUncertainty
    from gwcalc.uncertainty.sampling import Summary


def _summary_json(s: Summary) -> dict[str, float]:
    return {"p5": s.p5, "p50": s.p50, "p95": s.p95, "mean": s.mean}


def flows_uncertainty_json(u: FlowsUncertainty) -> dict[str, Any]:
    """`flows --samples`: each warrant's counted value (USD_equity) and each seller's
    round-trip share (a fraction), as p5, p50, p95 and mean."""
    return {
        "samples": u.samples,
        "seed": u.seed,
        "varied": list(u.varied),
        "warrants": [
            {"name": name, "unit": "USD_equity", **_summary_json(s)} for name, s in u.warrants
        ],
        "round_trip_shares": [{"seller": seller, **_summary_json(s)} for seller, s in u.shares],
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
