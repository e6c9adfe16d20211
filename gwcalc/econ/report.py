"""`gwcalc economics` as data: its JSON document, the rows of its tables (Rich, CSV, Markdown)
and its -q lines, each from the run (and its samples, if any)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from gwcalc.econ.inputs import MARKET_INPUTS
from gwcalc.econ.model import (
    BY_YEAR_OUTPUTS,
    PER_GW_INPUTS,
    PER_GW_OUTPUTS,
    EconInput,
    EconOutput,
)
from gwcalc.econ.model import (
    figures_text as figures_of,
)
from gwcalc.report.documents import envelope, set_json
from gwcalc.sets.ranges import parse_unit_or_dimensionless
from gwcalc.units.registry import Q_, format_percent, format_quantity, unit_text

if TYPE_CHECKING:
    from gwcalc.econ.compute import EconomicsReport
    from gwcalc.uncertainty.economics import EconUncertainty
    from gwcalc.uncertainty.sampling import Summary

BASIS = (
    "per GW of IT power, one year (8,760 hours) at steady state: costs in all-in dollars (the "
    "IT hardware is a part of them), revenue in revenue dollars; margin, payback and "
    "break-even compare the two as nominal dollars (USD_nominal); payback is undiscounted: "
    "capex ÷ the operating cash a year (revenue − opex), before capital cost"
)
SCOPE = (
    "the market, every buyer: the timeline's demand (GW of IT) × the year's all-in cost per "
    "GW, against the AI revenue of every buyer"
)
NEVER = {"payback_years": "never", "break_even_utilization": "none pays"}
# a share covered when nothing is needed (no capex in the window and no opex): +∞, said so
NOTHING_NEEDED = ("revenue_covered", "revenue_covered_sequoia")
PER_GPU_HOUR = ("cost_per_gpu_hour", "break_even_utilization", "break_even_price")
HEADLINE = ("margin_per_gw_year", "payback_years", "break_even_utilization", "break_even_price",
            "cost_per_gpu_hour")  # fmt: skip
_ITEMS: tuple[EconInput | EconOutput, ...] = (
    *PER_GW_INPUTS,
    *MARKET_INPUTS,
    *PER_GW_OUTPUTS,
    *BY_YEAR_OUTPUTS,
)
_BY_NAME: dict[str, EconInput | EconOutput] = {item.name: item for item in _ITEMS}


def percent(name: str) -> bool:
    item = _BY_NAME[name]
    return isinstance(item, EconOutput) and item.percent


def value_text(name: str, value: float) -> str:
    """'5.81 yr', '86.8%', '40B USD_all_in/GW_IT', '5.4B USD_nominal/GW_IT/yr'; 'never' for a
    payback that never comes."""
    if not math.isfinite(value):
        return NEVER.get(name, "∞")
    if percent(name) or (not _BY_NAME[name].unit and name != "demand_gw"):
        return format_percent(value)
    return format_quantity(Q_(value, parse_unit_or_dimensionless(_BY_NAME[name].unit)))


def value_json(name: str, value: float) -> dict[str, Any]:
    """{"value", "unit"} (nominal dollars, where dollars of different kinds meet, are in
    USD_nominal); a value that is +∞ is null with "infinite": true and "sign": 1, as in every
    document, and "never": true (a payback that never comes) or "nothing_needed": true."""
    unit = unit_text(parse_unit_or_dimensionless(_BY_NAME[name].unit))
    unit = "" if unit == "dimensionless" else unit
    if not math.isfinite(value):
        flag = "nothing_needed" if name in NOTHING_NEEDED else "never"
        sign = 1 if value > 0 else -1
        return {"value": None, "unit": unit, "infinite": True, "sign": sign, flag: True}
    return {"value": value, "unit": unit}


def payback_within_life(r: EconomicsReport) -> bool:
    """Whether a GW's capex pays back within the IT hardware's life (it_life)."""
    return r.outputs["payback_years"] <= r.inputs["it_life"]


def within_life_text(r: EconomicsReport) -> str:
    """'within the hardware's life (it_life 5 yr)', or 'not within the hardware's life …'."""
    life = format_quantity(Q_(r.inputs["it_life"], "year"))
    return f"{'' if payback_within_life(r) else 'not '}within the hardware's life (it_life {life})"


def summary_json(name: str, s: Summary) -> dict[str, Any]:
    """As every sampled output's: p5, p50, p95, mean and standard_error (of the percentiles;
    each null below 2 samples)."""
    out = {key: value_json(name, getattr(s, key)) for key in ("p5", "p50", "p95", "mean")}
    errors = zip(("p5", "p50", "p95"), s.standard_errors, strict=True)
    return {
        **out,
        "standard_error": {k: None if e is None else value_json(name, e) for k, e in errors},
    }


def _uncertainty_json(r: EconomicsReport, u: EconUncertainty) -> dict[str, Any]:
    return {
        "samples": u.samples,
        "seed": u.seed,
        "varied": list(u.varied),
        "inputs": {name: summary_json(name, s) for name, s in u.inputs.items()},
        "per_gw": {name: summary_json(name, s) for name, s in u.per_gw.items()},
        "p_payback_within_it_life": u.payback_within_life[0],
        "by_year": [
            {
                "year": year,
                **{name: summary_json(name, s) for name, s in u.by_year[year].items()},
                "p_revenue_covers": u.covers[year][0],
                "p_revenue_covers_sequoia": u.covers_sequoia[year][0],
            }
            for year in r.shown
        ],
        "caveats": list(u.caveats),
    }


def _per_gw_json(r: EconomicsReport) -> dict[str, Any]:
    out = {
        o.name: {**value_json(o.name, r.outputs[o.name]), "label": o.label, "formula": o.formula}
        for o in PER_GW_OUTPUTS
    }
    out["payback_years"]["within_it_life"] = payback_within_life(r)
    return out


def economics_document(r: EconomicsReport, u: EconUncertainty | None = None) -> dict[str, Any]:
    """`gwcalc economics --json`: `year` is the per-GW block's figures' year, `years` the
    years of the revenue gap shown (--year: that one)."""
    floors = set(r.by_year.floor_years)
    out = envelope(
        "economics",
        assumptions=set_json(r.aset),
        year=r.year,
        years=list(r.shown),
        basis=BASIS,
        scope=SCOPE,
        inputs={name: value_json(name, v) for name, v in r.inputs.items()},
        per_gw=_per_gw_json(r),
        by_year=[
            {
                "year": y,
                "depreciation_floor": y in floors,
                **{n: value_json(n, v) for n, v in r.by_year.rows[y].items()},
            }
            for y in r.shown
        ],
        caveats=list(r.caveats),
    )
    if u is not None:
        out["uncertainty"] = _uncertainty_json(r, u)
    return out


def title(r: EconomicsReport) -> str:
    """'Unit economics — market-2026 v4 (…), figures of 2026'."""
    return f"Unit economics — {r.aset.label}, {figures_text(r)}"


def figures_text(r: EconomicsReport) -> str:
    """'figures of 2026' (the per-GW block's year), or "each figure's own value"."""
    return figures_of(r.year)
