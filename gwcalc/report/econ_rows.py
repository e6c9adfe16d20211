"""The economics outputs' values for people and JSON (a payback that never comes is infinite),
and their explanation and diff as rows (CSV, Markdown) and -q lines."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gwcalc.report.documents import quantity_json
from gwcalc.report.rows import Cell, Rows, range_text
from gwcalc.units.registry import (
    Q_,
    format_number,
    format_percent,
    format_points,
    format_quantity,
    unit_text,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gwcalc.analysis.by_year_explain import ByYearInput
    from gwcalc.analysis.econ_diff import EconDiff, EconOutputChange
    from gwcalc.analysis.econ_diff_years import EconYearsDiff
    from gwcalc.analysis.econ_explain import EconExplanation, EconInputStep
    from gwcalc.econ.model import EconOutput


UNCHANGED = (
    "No input of the per-GW model differs. The economics per GW of IT power are the same in A "
    "and B."
)
YEARS_UNCHANGED = (
    "No figure of the revenue gap by year differs, nor the timeline's demand. The revenue gap "
    "is the same in A and B every year."
)


def value_text(out: EconOutput, value: float) -> str:
    """An output's value for people: '27.0%' for a share, 'never' for an infinite payback,
    '∞' for another infinite value, else the number with its unit ('4.2 yr')."""
    if math.isnan(value):
        return "—"  # ∞ − ∞: a swing between two values that never come
    if math.isinf(value):
        sign = "−" if value < 0 else ""
        return "never" if out.name == "payback_years" and value > 0 else f"{sign}∞"
    if out.percent:
        return format_percent(value)
    return format_quantity(Q_(value, out.unit))


def value_json(out: EconOutput, value: float) -> dict[str, object]:
    """{"value": 4.2, "unit": "yr"}; an infinite value (a payback that never comes) is
    {"value": null, "unit": …, "infinite": true}: JSON has no infinity."""
    doc: dict[str, object] = quantity_json(Q_(value if math.isfinite(value) else 0.0, out.unit))
    if not math.isfinite(value):
        doc["value"] = None
        if math.isinf(value):
            doc.update(infinite=True, sign=1 if value > 0 else -1)
    return doc


def output_unit(out: EconOutput) -> str:
    return _unit(out.unit)


def _unit(unit: str) -> str:
    from gwcalc.sets.ranges import parse_unit_or_dimensionless

    text = unit_text(parse_unit_or_dimensionless(unit))
    return "" if text == "dimensionless" else text


def econ_explain_csv(result: EconExplanation) -> Rows:
    """One row an input (its value as the set gives it, range, source, implied), then one row
    an output on the way (its formula, with the values in, and its value)."""
    rows = input_csv_rows(result.inputs)
    for s in result.steps:
        value = s.result if abs(s.result) != float("inf") else None
        rows.append(["output", s.output.name, value, output_unit(s.output), None, None,
                     s.output.formula, s.substituted, None, None])  # fmt: skip
    return Rows(EXPLAIN_HEADER, rows, (2, 4, 5))


EXPLAIN_HEADER = ("kind", "name", "value", "unit", "low", "high", "formula", "with_values",
                  "source", "implied")  # fmt: skip


def input_csv_rows(inputs: Iterable[EconInputStep | ByYearInput]) -> list[list[Cell]]:
    """An explanation's inputs as CSV rows: each as the set gives it, range, source, implied."""
    rows: list[list[Cell]] = []
    for i in inputs:
        p = i.parameter
        r = p.range
        rows.append(["input", i.name, p.value, _unit(p.unit), r.low if r else None,
                     r.high if r else None, None, None, p.source.cite(), p.implied])  # fmt: skip
    return rows


def input_markdown(inputs: Iterable[EconInputStep | ByYearInput]) -> Rows:
    """An explanation's inputs as a Markdown table: value, range, source (and if implied)."""
    rows: list[list[Cell]] = []
    for i in inputs:
        p = i.parameter
        source = p.source.cite() + (" (implied: no source states it)" if p.implied else "")
        rows.append([i.name, format_quantity(p.quantity), range_text(p), source])
    return Rows(("input", "value", "range", "source"), rows, (1,))


def econ_explain_markdown(result: EconExplanation) -> list[Rows | str]:
    steps: list[list[Cell]] = [
        [s.output.name, s.output.formula, s.substituted, s.text] for s in result.steps
    ]
    return [
        input_markdown(result.inputs),
        Rows(("output", "formula", "with the values", "= result"), steps, (3,)),
    ]


def econ_explain_quiet(result: EconExplanation) -> list[str]:
    """'payback_years 3.62 yr': the output's name and value."""
    return [f"{result.output.name} {result.steps[-1].text}"]


def econ_diff_csv(result: EconDiff) -> list[list[Cell]]:
    """diff's CSV rows for the economics (after its own, same columns): a row an output
    (kind economics: A, B, change in percent), then a row a part of its change (kind
    economics_part, named OUTPUT:INPUT: from 0 to the part, its share of the change in
    percent); one row of kind note when only one set has the figures."""
    if not result.compared:
        return [["note", result.note, None, None, None, None, None]]
    rows: list[list[Cell]] = []
    for o in result.outputs:
        unit = output_unit(o.output)
        rows.append(["economics", o.output.name, _finite(o.before), unit, _finite(o.after), unit,
                     o.change_pct])  # fmt: skip
        for p in o.parts:
            share = p.share * 100 if p.share is not None else None
            name = f"{o.output.name}:{'+'.join(p.inputs)}"
            rows.append(["economics_part", name, 0.0, unit, p.delta, unit, share])
    return rows + (econ_years_csv(result.years) if result.years is not None else [])


def _finite(value: float) -> float | None:
    """A value for CSV: an infinite one (a payback that never comes) is an empty cell."""
    return value if math.isfinite(value) else None


def econ_diff_markdown(result: EconDiff) -> list[Rows | str]:
    """A table of the economics outputs in A and B with the parts of each change, and the
    method; or the note when only one set has the figures."""
    if not result.compared:
        return [str(result.note)]
    years = econ_years_markdown(result.years) if result.years is not None else []
    if not result.differs:
        return [UNCHANGED, *years]
    rows: list[list[Cell]] = []
    for o in result.outputs:
        a, b, change, pct = econ_change_texts(o)
        rows.append([o.output.name, output_unit(o.output), a, b, change, pct])
        for p in o.parts:
            share = format_percent(p.share) if p.share is not None else "—"
            rows.append([f"← {p.label}", "", "", "", econ_part_text(o.output, p.delta), share])
    header = ("economics per GW", "unit", "A", "B", "change", "%")
    return [Rows(header, rows, (2, 3, 4, 5)), f"Economics parts: {result.method}.", *years]


def econ_diff_quiet(result: EconDiff) -> list[str]:
    """'payback_years 5.811 4.632 yr': each economics output's name, A, B, then its unit."""
    lines = []
    for o in result.outputs if result.compared else ():
        a, b, _, _ = econ_change_texts(o)
        unit = "" if o.output.percent else output_unit(o.output)
        lines.append(" ".join(x for x in (o.output.name, a, b, unit) if x))
    if result.years is not None and result.years.note is None:
        lines += econ_years_quiet(result.years)
    return lines


def econ_change_texts(o: EconOutputChange) -> tuple[str, str, str, str]:
    """(A, B, change, %) as the tables show them: a share's change in percentage points."""
    out = o.output
    pct = "—" if o.change_pct is None else format_points(o.change_pct, sign=True)
    if out.percent and math.isfinite(o.delta):
        change = format_points(o.delta * 100, sign=True)[:-1] + " pp"
    else:
        change = econ_part_text(out, o.delta)
    return number_text(out, o.before), number_text(out, o.after), change, pct


def number_text(out: EconOutput, value: float) -> str:
    """A value as a table with a unit column shows it: the number alone ('5.811'), a share as
    a percentage, 'never' for a payback that never comes."""
    if out.percent or not math.isfinite(value):
        return value_text(out, value)
    return format_number(value, 4)


def econ_part_text(out: EconOutput, delta: float) -> str:
    """A change (or a part of one) as the tables show it, in the output's unit: '-1.18',
    '+2.5 pp' for a share."""
    if not math.isfinite(delta):
        return "—" if math.isnan(delta) else "+∞" if delta > 0 else "−∞"
    if out.percent:
        return format_points(delta * 100, sign=True)[:-1] + " pp"
    return format_number(delta, 3)


# the by-year outputs every year shows (the others only in a year they change)
ALWAYS = ("revenue_gap", "revenue_gap_sequoia")


def econ_years_shown(result: EconYearsDiff) -> list[tuple[int, EconOutputChange]]:
    """(year, change) for each year's revenue gaps, and its other outputs that changed."""
    return [
        (y.year, c)
        for y in result.years
        for c in y.changes
        if c.output.name in ALWAYS or c.parts or c.unsplit
    ]


def econ_years_markdown(result: EconYearsDiff) -> list[Rows | str]:
    """The revenue gap by year in A and B, the parts of each change, and the method."""
    if result.note is not None:
        return [result.note]
    if not result.differs:
        return [YEARS_UNCHANGED]
    rows: list[list[Cell]] = []
    for year, c in econ_years_shown(result):
        a, b, change, pct = econ_change_texts(c)
        rows.append([str(year), c.output.name, output_unit(c.output), a, b, change, pct])
        for p in c.parts:
            share = format_percent(p.share) if p.share is not None else "—"
            rows.append(["", f"← {p.label}", "", "", "", econ_part_text(c.output, p.delta), share])
    header = ("year", "revenue gap by year", "unit", "A", "B", "change", "%")
    return [Rows(header, rows, (3, 4, 5, 6)), f"Revenue gap parts: {result.method}."]


def econ_years_csv(result: EconYearsDiff) -> list[list[Cell]]:
    """CSV rows as econ_diff_csv's, named OUTPUT.YEAR (every output of every year)."""
    if result.note is not None:
        return [["note", result.note, None, None, None, None, None]]
    rows: list[list[Cell]] = []
    for y in result.years:
        for c in y.changes:
            unit = output_unit(c.output)
            name = f"{c.output.name}.{y.year}"
            rows.append(["economics", name, _finite(c.before), unit, _finite(c.after), unit,
                         c.change_pct])  # fmt: skip
            for p in c.parts:
                share = p.share * 100 if p.share is not None else None
                part = f"{name}:{'+'.join(p.inputs)}"
                rows.append(["economics_part", part, 0.0, unit, p.delta, unit, share])
    return rows


def econ_years_quiet(result: EconYearsDiff) -> list[str]:
    """'revenue_gap 2027 681B 582.8B USD_revenue/yr': each year's revenue gaps, A then B (the
    name and year as `economics -q` writes them)."""
    lines = []
    for year, c in econ_years_shown(result):
        a, b, _, _ = econ_change_texts(c)
        fields = (c.output.name, str(year), a, b, output_unit(c.output))
        lines.append(" ".join(x for x in fields if x))
    return lines
