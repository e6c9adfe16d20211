"""`gwcalc economics` as rows: its tables (Rich, Markdown), its CSV and its -q lines, each from
the run (and its samples, if any); the JSON document and the value texts are in `report`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gwcalc.econ.model import PER_GW_OUTPUTS
from gwcalc.econ.report import (
    BASIS,
    HEADLINE,
    PER_GPU_HOUR,
    SCOPE,
    payback_within_life,
    percent,
    title,
    value_json,
    value_text,
    within_life_text,
)
from gwcalc.report.rows import Cell, Rows, probability_text
from gwcalc.units.registry import format_number, format_percent

if TYPE_CHECKING:
    from gwcalc.econ.compute import EconomicsReport
    from gwcalc.uncertainty.economics import EconUncertainty
    from gwcalc.uncertainty.sampling import Summary

PER_HOUR_INPUTS = ("price_per_gpu_hour", "utilization")


def _number(text: str) -> str:
    """'38B' of '38B USD_all_in/GW_IT' (a sampled row's unit has its own column)."""
    return text.partition(" ")[0]


def _unit(text: str) -> str:
    return text.partition(" ")[2]


def _sampled(label: str, name: str, value: float, s: Summary | None) -> list[Cell]:
    """A sampled row: its label, unit, value, p5, p50 and p95 (numbers only: the unit apart,
    so that four numbers fit a terminal's width without splitting)."""
    text = value_text(name, value)
    spread = [value_text(name, v) for v in (s.p5, s.p50, s.p95)] if s else ["", "", ""]
    return [label, _unit(text), _number(text), *(_number(t) for t in spread)]


def per_gw_rows(r: EconomicsReport, u: EconUncertainty | None, per_hour: bool) -> Rows:
    """The per-GW-year outputs (and whether payback comes within it_life), or (per_hour) the
    price, utilization and per-GPU-hour ones: each with its value and formula; with samples,
    its unit, value, p5, p50 and p95 (inputs' too; the formulas are in --json and explain)."""
    if u is not None:
        return _per_gw_sampled(r, u, per_hour)
    rows: list[list[Cell]] = []
    if per_hour:
        for name in PER_HOUR_INPUTS:
            rows.append([f"{name} (input)", value_text(name, r.inputs[name]), "the set"])
    for o in PER_GW_OUTPUTS:
        if (o.name in PER_GPU_HOUR) != per_hour:
            continue
        rows.append([o.label, value_text(o.name, r.outputs[o.name]), o.formula])
        if o.name == "payback_years":
            rows.append(_within_row(r, None))
    return Rows(("output", "value", "formula"), rows, (1,))


def _per_gw_sampled(r: EconomicsReport, u: EconUncertainty, per_hour: bool) -> Rows:
    rows: list[list[Cell]] = []
    if per_hour:
        for name in PER_HOUR_INPUTS:
            rows.append(_sampled(f"{name} (input)", name, r.inputs[name], u.inputs.get(name)))
    for o in PER_GW_OUTPUTS:
        if (o.name in PER_GPU_HOUR) != per_hour:
            continue
        rows.append(_sampled(o.label, o.name, r.outputs[o.name], u.per_gw[o.name]))
        if o.name == "payback_years":
            rows.append(_within_row(r, u))
    return Rows(("output", "unit", "value", "p5", "p50", "p95"), rows, (2, 3, 4, 5))


def _within_row(r: EconomicsReport, u: EconUncertainty | None) -> list[Cell]:
    """Whether payback comes within it_life, said beside the margin and payback rows (with
    samples: P(payback within it_life) in the p50 column)."""
    yes = "yes" if payback_within_life(r) else "no"
    if u is None:
        return ["payback within it_life", yes, f"payback ≤ it_life: {within_life_text(r)}"]
    label = f"payback within it_life: {within_life_text(r)}"
    return [label, "", yes, "", f"P {probability_text(u.payback_within_life[0])}", ""]


BY_YEAR_COLUMNS = (  # name, header (a column's, or a row's when a column a year): GW of IT
    ("demand_gw", "GW"),  # a year, then billions of dollars (BY_YEAR_UNITS says which kind)
    ("ai_capex", "capex"),
    ("depreciation", "depr."),
    ("revenue_needed", "needed"),
    ("revenue_needed_sequoia", "Seq."),
    ("ai_revenue", "revenue"),
    ("revenue_gap", "gap"),
    ("revenue_covered", "covered"),
)
BY_YEAR_UNITS = (
    "GW of IT a year; $B: capex and depreciation (depr.) all-in, revenue needed (Seq.: "
    "Sequoia's) and the gap nominal, AI revenue revenue dollars; covered = revenue ÷ needed "
    "(—: nothing needed)"
)


def short(name: str, value: float) -> str:
    """A by-year cell: GW as is, dollars in billions ('90', '-19.06'), shares as percents."""
    if percent(name):
        return format_percent(value) if math.isfinite(value) else "—"
    shown = value if name == "demand_gw" else value / 1e9
    return f"{shown:,.0f}" if abs(shown) >= 1000 else format_number(shown, 4)


def floor_note(r: EconomicsReport) -> str:
    """Which shown years' depreciation is a floor (capex before the set's first year counts 0)."""
    floors = [str(y) for y in r.shown if y in r.by_year.floor_years]
    if not floors:
        return ""
    first = min(r.by_year.rows)
    return (
        f"Floors: depreciation and revenue needed in {', '.join(floors)} count capex from "
        f"{first} only (earlier capex is unknown and counts 0)"
    )


def by_year_rows(r: EconomicsReport) -> Rows:
    """One row a shown year: its demand, capex, depreciation, revenue needed both ways, AI
    revenue, the gap and the share covered."""
    header = ("year", *(head for _, head in BY_YEAR_COLUMNS))
    rows: list[list[Cell]] = [
        [str(y), *(short(n, r.by_year.rows[y][n]) for n, _ in BY_YEAR_COLUMNS)] for y in r.shown
    ]
    return Rows(header, rows, tuple(range(len(header))))


def by_year_columns(r: EconomicsReport) -> Rows:
    """The same, one column a year (for narrow terminals: its labels fold, not its numbers)."""
    header = ("", *(str(y) for y in r.shown))
    rows: list[list[Cell]] = [
        [head, *(short(n, r.by_year.rows[y][n]) for y in r.shown)] for n, head in BY_YEAR_COLUMNS
    ]
    return Rows(header, rows, tuple(range(1, len(header))))


def by_year_sample_rows(r: EconomicsReport, u: EconUncertainty) -> Rows:
    """With samples, one row a shown year: the gap's p5, p50 and p95 ($B nominal), and P(AI
    revenue covers the revenue needed), on a depreciation basis and Sequoia's."""
    header = ("year", "gap p5", "gap p50", "gap p95", "P(covers)", "P(covers), Sequoia")
    rows: list[list[Cell]] = []
    for y in r.shown:
        gap = u.by_year[y]["revenue_gap"]
        rows.append([str(y), *(short("revenue_gap", v) for v in (gap.p5, gap.p50, gap.p95)),
                     probability_text(u.covers[y][0]),
                     probability_text(u.covers_sequoia[y][0])])  # fmt: skip
    return Rows(header, rows, (0, 1, 2, 3, 4, 5))


def economics_csv(r: EconomicsReport, u: EconUncertainty | None = None) -> Rows:
    """Long CSV: one row per output (per GW, then each shown year): its number, unit and basis
    (nominal where dollars of different kinds meet); with samples, its p5, p50 and p95 (an
    empty cell for never) and the probabilities (p_payback_within_it_life, p_revenue_covers,
    p_revenue_covers_sequoia) in the value column."""
    header: tuple[str, ...] = ("section", "year", "output", "value", "unit", "basis")
    if u is not None:
        header += ("p5", "p50", "p95")
    rows: list[list[Cell]] = []

    def add(section: str, year: int | None, name: str, value: float, s: Summary | None) -> None:
        v = value_json(name, value)
        basis = "nominal" if str(v["unit"]).startswith("USD_nominal") else ""
        row: list[Cell] = [section, year, name, v["value"], v["unit"], basis]
        if u is not None:
            row += [value_json(name, getattr(s, k))["value"] if s else None for k in
                    ("p5", "p50", "p95")]  # fmt: skip
        rows.append(row)

    def chance(section: str, year: int | None, name: str, p: float) -> None:
        rows.append([section, year, name, p, "", "", None, None, None])

    for name, value in r.inputs.items():
        add("input", r.year, name, value, u.inputs.get(name) if u else None)
    for name, value in r.outputs.items():
        add("per_gw", r.year, name, value, u.per_gw[name] if u else None)
    if u is not None:
        chance("per_gw", r.year, "p_payback_within_it_life", u.payback_within_life[0])
    for y in r.shown:
        for name, value in r.by_year.rows[y].items():
            add("by_year", y, name, value, u.by_year[y][name] if u else None)
        if u is not None:
            chance("by_year", y, "p_revenue_covers", u.covers[y][0])
            chance("by_year", y, "p_revenue_covers_sequoia", u.covers_sequoia[y][0])
    return Rows(header, rows, (3, 6, 7, 8) if u is not None else (3,))


def economics_markdown(r: EconomicsReport, u: EconUncertainty | None = None) -> list[Rows | str]:
    parts: list[Rows | str] = [f"**{title(r)}**", BASIS + "."]
    parts += ["**Per GW-year**", per_gw_rows(r, u, per_hour=False)]
    parts += ["**Per GPU-hour**", per_gw_rows(r, u, per_hour=True)]
    parts += [f"**Revenue gap by year** ({SCOPE}; {BY_YEAR_UNITS})", by_year_rows(r)]
    floors = floor_note(r)
    parts += [floors + "."] if floors else []
    if u is not None:
        parts += [f"**Over {u.samples:,} samples** (seed {u.seed})", by_year_sample_rows(r, u)]
        parts.append(f"P(payback within it_life): {probability_text(u.payback_within_life[0])}")
    return parts + [f"Note: {c}." for c in (*r.caveats, *(u.caveats if u else ()))]


def economics_quiet(r: EconomicsReport) -> list[str]:
    """'margin_per_gw_year 5.379B USD_nominal/GW_IT/yr', 'payback_years 2.886 yr',
    'payback_within_it_life yes', … then 'revenue_gap 2027 681B USD_nominal/yr' a shown
    year."""
    lines = []
    for name in HEADLINE:
        lines.append(f"{name} {value_text(name, r.outputs[name])}")
        if name == "payback_years":
            lines.append(f"payback_within_it_life {'yes' if payback_within_life(r) else 'no'}")
    for y in r.shown:
        gap = r.by_year.rows[y]["revenue_gap"]
        lines.append(f"revenue_gap {y} {value_text('revenue_gap', gap)}")
    return lines
