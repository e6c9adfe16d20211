"""`gwcalc economics` as data: its JSON document, the rows of its tables (Rich, CSV, Markdown)
and its -q lines, each from the run (and its samples, if any)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from gwcalc.economics.inputs import MARKET_INPUTS
from gwcalc.economics.model import (
    BY_YEAR_OUTPUTS,
    PER_GW_INPUTS,
    PER_GW_OUTPUTS,
    EconInput,
    EconOutput,
)
from gwcalc.report.documents import envelope, set_json
from gwcalc.report.rows import Cell, Rows, probability_text
from gwcalc.sets.ranges import parse_unit_or_dimensionless
from gwcalc.units.registry import Q_, format_number, format_percent, format_quantity, unit_text

if TYPE_CHECKING:
    from gwcalc.economics.compute import EconomicsReport
    from gwcalc.uncertainty.economics import EconUncertainty
    from gwcalc.uncertainty.sampling import Summary

BASIS = (
    "per GW of IT power, one year (8,760 hours) at steady state: costs in all-in dollars (the "
    "IT hardware is a part of them), revenue in revenue dollars; margin, payback and "
    "break-even compare the two as nominal dollars"
)
SCOPE = (
    "the market, every buyer: the timeline's demand (GW of IT) × the year's all-in cost per "
    "GW, against the AI revenue of every buyer; ≥: a floor"
)
NEVER = {"payback_years": "never", "break_even_utilization": "none pays"}
# a share covered when nothing is needed (no capex in the window and no opex): +∞, said so
NOTHING_NEEDED = ("revenue_covered", "revenue_covered_sequoia")
PER_GPU_HOUR = ("cost_per_gpu_hour", "break_even_utilization", "break_even_price")
HEADLINE = ("payback_years", "break_even_utilization", "break_even_price", "cost_per_gpu_hour",
            "margin_per_gw_year")  # fmt: skip
_ITEMS: tuple[EconInput | EconOutput, ...] = (
    *PER_GW_INPUTS,
    *MARKET_INPUTS,
    *PER_GW_OUTPUTS,
    *BY_YEAR_OUTPUTS,
)
_BY_NAME: dict[str, EconInput | EconOutput] = {item.name: item for item in _ITEMS}


def _percent(name: str) -> bool:
    item = _BY_NAME[name]
    return isinstance(item, EconOutput) and item.percent


def value_text(name: str, value: float) -> str:
    """'5.81 yr', '86.8%', '40B USD_all_in/GW_IT'; 'never' for a payback that never comes."""
    if not math.isfinite(value):
        return NEVER.get(name, "∞")
    if _percent(name) or (not _BY_NAME[name].unit and name != "demand_gw"):
        return format_percent(value)
    return format_quantity(Q_(value, parse_unit_or_dimensionless(_BY_NAME[name].unit)))


def value_json(name: str, value: float) -> dict[str, Any]:
    """{"value", "unit"}; a value that is +∞ (never) is null with "never": true."""
    unit = unit_text(parse_unit_or_dimensionless(_BY_NAME[name].unit))
    unit = "" if unit == "dimensionless" else unit
    if not math.isfinite(value):
        flag = "nothing_needed" if name in NOTHING_NEEDED else "never"
        return {"value": None, "unit": unit, flag: True}
    return {"value": value, "unit": unit}


def summary_json(name: str, s: Summary) -> dict[str, Any]:
    return {key: value_json(name, getattr(s, key)) for key in ("p5", "p50", "p95")}


def _uncertainty_json(u: EconUncertainty) -> dict[str, Any]:
    return {
        "samples": u.samples,
        "seed": u.seed,
        "varied": list(u.varied),
        "per_gw": {name: summary_json(name, s) for name, s in u.per_gw.items()},
        "p_payback_within_it_life": u.payback_within_life[0],
        "by_year": [
            {
                "year": year,
                **{name: summary_json(name, s) for name, s in rows.items()},
                "p_revenue_covers": u.covers[year][0],
                "p_revenue_covers_sequoia": u.covers_sequoia[year][0],
            }
            for year, rows in u.by_year.items()
        ],
        "caveats": list(u.caveats),
    }


def economics_document(r: EconomicsReport, u: EconUncertainty | None = None) -> dict[str, Any]:
    """`gwcalc economics --json`."""
    floors = set(r.by_year.floor_years)
    out = envelope(
        assumptions=set_json(r.aset),
        year=r.year,
        basis=BASIS,
        scope=SCOPE,
        inputs={name: value_json(name, v) for name, v in r.inputs.items()},
        per_gw={
            o.name: {
                **value_json(o.name, r.outputs[o.name]),
                "label": o.label,
                "formula": o.formula,
            }
            for o in PER_GW_OUTPUTS
        },
        by_year=[
            {
                "year": y,
                "depreciation_floor": y in floors,
                **{n: value_json(n, v) for n, v in row.items()},
            }
            for y, row in r.by_year.rows.items()
        ],
        caveats=list(r.by_year.caveats),
    )
    if u is not None:
        out["uncertainty"] = _uncertainty_json(u)
    return out


# ---------------------------------------------------------------- rows


def _spread(name: str, s: Summary) -> list[Cell]:
    return [value_text(name, s.p5), value_text(name, s.p50), value_text(name, s.p95)]


def per_gw_rows(r: EconomicsReport, u: EconUncertainty | None, per_hour: bool) -> Rows:
    """The per-GW-year outputs, or (per_hour) the price, utilization and per-GPU-hour ones:
    each with its value and formula (with samples, its p5, p50 and p95)."""
    header: tuple[str, ...] = ("output", "value", "formula")
    if u is not None:
        header += ("p5", "p50", "p95")
    rows: list[list[Cell]] = []
    if per_hour:
        for name in ("price_per_gpu_hour", "utilization"):
            row: list[Cell] = [f"{name} (input)", value_text(name, r.inputs[name]), "the set"]
            rows.append(row + (["", "", ""] if u is not None else []))
    for o in PER_GW_OUTPUTS:
        if (o.name in PER_GPU_HOUR) != per_hour:
            continue
        row = [o.label, value_text(o.name, r.outputs[o.name]), o.formula]
        rows.append(row + (_spread(o.name, u.per_gw[o.name]) if u is not None else []))
    return Rows(header, rows, (1, 3, 4, 5) if u is not None else (1,))


BY_YEAR_COLUMNS = (  # name, header: GW of IT a year, then billions of dollars (BY_YEAR_UNITS)
    ("demand_gw", "GW"),
    ("ai_capex", "capex"),
    ("depreciation", "deprec."),
    ("revenue_needed", "needed"),
    ("revenue_needed_sequoia", "Sequoia"),
    ("ai_revenue", "revenue"),
    ("revenue_gap", "gap"),
    ("revenue_covered", "covered"),
)
BY_YEAR_UNITS = (
    "GW of IT a year; $B: capex and depreciation all-in, revenue needed (Sequoia's too) and "
    "the gap nominal, AI revenue revenue dollars; covered = revenue ÷ needed"
)


def _short(name: str, value: float) -> str:
    """A by-year cell: GW as is, dollars in billions ('90', '-19.06'), shares as percents."""
    if _percent(name):
        return format_percent(value) if math.isfinite(value) else "— (none needed)"
    shown = value if name == "demand_gw" else value / 1e9
    return f"{shown:,.0f}" if abs(shown) >= 1000 else format_number(shown, 4)


def _years(r: EconomicsReport, year: int | None) -> list[int]:
    return [y for y in r.by_year.rows if year is None or y == year]


def _year_cell(r: EconomicsReport, y: int) -> str:
    return f"{y}{' ≥' if y in r.by_year.floor_years else ''}"


def by_year_rows(r: EconomicsReport, year: int | None) -> Rows:
    """One row a year (only `year`, if given): its demand, capex, depreciation, revenue needed
    both ways, AI revenue, the gap and the share covered; '≥' marks a year whose depreciation
    is a floor."""
    header = ("year", *(label for _, label in BY_YEAR_COLUMNS))
    rows: list[list[Cell]] = [
        [_year_cell(r, y), *(_short(n, r.by_year.rows[y][n]) for n, _ in BY_YEAR_COLUMNS)]
        for y in _years(r, year)
    ]
    return Rows(header, rows, tuple(range(1, len(header))))


def by_year_sample_rows(r: EconomicsReport, u: EconUncertainty, year: int | None) -> Rows:
    """With samples, one row a year: the gap's p5, p50 and p95 ($B nominal), and P(AI revenue
    covers the revenue needed), on a depreciation basis and Sequoia's."""
    header = ("year", "gap p5", "gap p50", "gap p95", "P(covers)", "P(covers), Sequoia")
    rows: list[list[Cell]] = []
    for y in _years(r, year):
        gap = u.by_year[y]["revenue_gap"]
        rows.append([_year_cell(r, y), *(_short("revenue_gap", v) for v in
                     (gap.p5, gap.p50, gap.p95)), probability_text(u.covers[y][0]),
                     probability_text(u.covers_sequoia[y][0])])  # fmt: skip
    return Rows(header, rows, (1, 2, 3, 4, 5))


def economics_csv(r: EconomicsReport, u: EconUncertainty | None = None) -> Rows:
    """Long CSV: one row per output (per GW, then by year): its number and unit; with
    samples, its p5, p50 and p95 (an empty cell for never)."""
    header: tuple[str, ...] = ("section", "year", "output", "value", "unit")
    if u is not None:
        header += ("p5", "p50", "p95")
    rows: list[list[Cell]] = []

    def add(section: str, year: int | None, name: str, value: float, s: Summary | None) -> None:
        v = value_json(name, value)
        row: list[Cell] = [section, year, name, v["value"], v["unit"]]
        if u is not None:
            row += [value_json(name, getattr(s, k))["value"] if s else None for k in
                    ("p5", "p50", "p95")]  # fmt: skip
        rows.append(row)

    for name, value in r.outputs.items():
        add("per_gw", r.year, name, value, u.per_gw[name] if u else None)
    for y, row in r.by_year.rows.items():
        for name, value in row.items():
            add("by_year", y, name, value, u.by_year[y][name] if u else None)
    return Rows(header, rows, (3, 5, 6, 7) if u is not None else (3,))


def title(r: EconomicsReport) -> str:
    year = f", figures of {r.year}" if r.year is not None else ""
    return f"Unit economics — {r.aset.label}{year}"


def economics_markdown(
    r: EconomicsReport, u: EconUncertainty | None = None, year: int | None = None
) -> list[Rows | str]:
    parts: list[Rows | str] = [f"**{title(r)}**", BASIS + "."]
    parts += ["**Per GW-year**", per_gw_rows(r, u, per_hour=False)]
    parts += ["**Per GPU-hour**", per_gw_rows(r, u, per_hour=True)]
    parts += [f"**Revenue gap by year** ({SCOPE}; {BY_YEAR_UNITS})", by_year_rows(r, year)]
    if u is not None:
        parts += [
            f"**Over {u.samples:,} samples** (seed {u.seed})",
            by_year_sample_rows(r, u, year),
        ]
        parts.append(f"P(payback within it_life): {probability_text(u.payback_within_life[0])}")
    return parts + [f"Note: {c}." for c in (*r.by_year.caveats, *(u.caveats if u else ()))]


def economics_quiet(r: EconomicsReport, u: EconUncertainty | None = None) -> list[str]:
    """'payback_years 5.81 yr', … then 'revenue_gap 2027 -11.4B USD_revenue/yr' a year (with
    samples: the p50, and 'p_revenue_covers 2027 61.4%')."""
    lines = []
    for name in HEADLINE:
        value = u.per_gw[name].p50 if u else r.outputs[name]
        lines.append(f"{name} {value_text(name, value)}")
    if u is not None:
        lines.append(f"p_payback_within_it_life {probability_text(u.payback_within_life[0])}")
    for y, row in r.by_year.rows.items():
        gap = u.by_year[y]["revenue_gap"].p50 if u else row["revenue_gap"]
        lines.append(f"revenue_gap {y} {value_text('revenue_gap', gap)}")
        if u is not None:
            lines.append(f"p_revenue_covers {y} {probability_text(u.covers[y][0])}")
    return lines
