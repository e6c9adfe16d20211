"""Rich tables for ranges: percentiles of sampled outputs, sensitivity (a tornado), explain."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import (
    bar,
    cite_short,
    legend,
    print_caveats,
    rows_table,
    set_title,
)
from gwcalc.report.rows import (
    NO_ERROR,
    NO_ERROR_NOTE,
    Cell,
    Rows,
    probability_text,
    range_text,
    share_text,
    spread_text,
    step_result_text,
)
from gwcalc.units.registry import (
    Q_,
    format_number,
    format_percent,
    format_quantity,
    unit_label,
    unit_text,
)

if TYPE_CHECKING:
    from gwcalc.analysis.explain import Explanation
    from gwcalc.engine.outputs import Output
    from gwcalc.uncertainty.econ_sensitivity import EconSensitivity
    from gwcalc.uncertainty.sampling import DiffUncertainty, Summary, Uncertainty
    from gwcalc.uncertainty.sensitivity import Sensitivity
    from gwcalc.uncertainty.timeline import TimelineUncertainty

NO_RANGES = (
    "No parameter on these chains has a range, so every sample is the point value. Give one "
    "for this run with --set NAME=LOW..HIGH (a lognormal 90% interval), or in the set's file."
)
READING = (
    "90% of the samples lie between p5 and p95; ± is the largest Monte Carlo standard error of "
    "the three (rerun with more --samples to shrink it). Values above the table are at each "
    "figure's value; a lognormal range's median is √(low·high)."
)

TIMELINE_READING = (
    "P(covered): the share of samples in which cumulative supply is at least cumulative demand "
    "that year (± its Monte Carlo standard error); each year's amounts and gap: --json or "
    "--format csv. Running sums are taken sample by sample; a "
    "figure's years move together (one draw per sample), as do the figures of one group."
)


def value_text(value: float, units: Any, output: Output | None = None) -> str:
    """A sampled value as the tables show its output: '27.0%' for a share, else with its unit."""
    if output is not None and output.percent:
        return format_percent(value)
    return format_quantity(Q_(value, units), output.sig if output is not None else 4)


def _number(value: float, output: Output | None) -> str:
    if output is not None and output.percent:
        return format_percent(value)
    return format_number(value, output.sig if output is not None else 4)


def _spread(s: Summary, output: Output | None) -> str:
    """'13.5 (12.1 – 15.0)': p50, then p5 to p95, as numbers (the unit is in the row's label)."""
    return f"{_number(s.p50, output)} ({_number(s.p5, output)} – {_number(s.p95, output)})"


def _title(u: Uncertainty) -> str:
    return f"Uncertainty — {u.samples:,} samples, seed {u.seed}"


def _varied_line(u: Uncertainty | TimelineUncertainty) -> str:
    return ("Ranges sampled: " + ", ".join(u.varied)) if u.varied else NO_RANGES


def uncertainty_table(
    u: Uncertainty, outputs: Mapping[str, Output], labels: Mapping[str, str]
) -> Table:
    """One row per output: p5, p50, p95 and the largest Monte Carlo standard error."""
    table = Table(title=_title(u), title_justify="left")
    table.add_column("", style="bold")
    for column in ("p5", "p50", "p95", "±"):
        table.add_column(column, justify="right", no_wrap=True)
    for name, s in u.summaries.items():
        units, output = u.units[name], outputs.get(name)
        cells = [value_text(v, units, output) for v in (s.p5, s.p50, s.p95)]
        table.add_row(labels.get(name, name), *cells, _error_text(s.largest_error, output))
    return table


def _error_text(error: float | None, output: Output | None) -> str:
    """A standard error as the ± column shows it: 'n/a' when the samples cannot give one."""
    if error is None:
        return NO_ERROR
    percent = output is not None and output.percent
    return format_percent(error) if percent else format_number(error, 2)


def print_uncertainty(
    out: Any, u: Uncertainty, outputs: Mapping[str, Output], labels: Mapping[str, str]
) -> None:
    """The percentiles table of `gap --samples` or `convert --samples`, and how to read it."""
    out.print(uncertainty_table(u, outputs, labels))
    out.print(_varied_line(u))
    if u.varied:
        out.print(READING)
    if any(s.errors is None for s in u.summaries.values()):
        out.print(NO_ERROR_NOTE)


def print_diff_uncertainty(out: Any, u: DiffUncertainty, outputs: Mapping[str, Output]) -> None:
    """`diff --samples`: each output's p50 (p5 – p95) in A, in B, and of B − A."""
    table = Table(title=_title(u.change), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("output, p50 (p5 – p95)", style="bold")
    for column in ("A", "B", "B − A"):
        table.add_column(column, justify="right")
    for name, change in u.change.summaries.items():
        output = outputs.get(name)
        unit = unit_text(u.change.units[name])
        label = name.replace("_", " ") + ("" if unit == "dimensionless" else f" ({unit})")
        table.add_row(
            label,
            _spread(u.before.summaries[name], output),
            _spread(u.after.summaries[name], output),
            _spread(change, output),
        )
    out.print(table)
    out.print(_varied_line(u.change))
    if u.change.varied:
        out.print(
            "B − A is taken sample by sample: a parameter with a range in both sets gets the "
            "same draws in both."
        )


def print_sensitivity(out: Any, result: Sensitivity | EconSensitivity) -> None:
    """`gwcalc sensitivity`: a tornado of one-at-a-time swings, with variance shares."""
    aset = result.aset
    out.print(plain(f"Sensitivity of {result.label} — {set_title(aset)}", style="bold"))
    out.print(f"{result.label} at every figure's value: {result.text(result.point)}")
    width = 16 if out.width >= 100 else 6 if out.width >= 90 else 0  # no bar below 90
    largest = max((abs(e.swing) for e in result.effects if math.isfinite(e.swing)), default=0.0)
    header = ("parameter", "low … high", "at low", "at high", "swing", *([""] if width else []))
    cells: list[list[Cell]] = []
    for e in result.effects:
        ends = (format_number(float(q.magnitude), 3) for q in (e.low, e.high))
        share = min(abs(e.swing) / largest, 1.0) if largest else 0.0
        cells.append(
            [
                e.name,
                " … ".join(ends),
                result.text(e.output_at_low),
                result.text(e.output_at_high),
                result.text(e.swing),
                *([bar(share, width)] if width else []),
                share_text(result, e.variance_share),
            ]
        )
    # rows_table: names and numbers are never cut; a table too wide is stacked a row at a time
    rows = Rows((*header, "share"), cells, numeric=(2, 3, 4, len(header)))
    out.print(rows_table("", rows, out.width))
    out.print(
        "Each row moves one figure from its low to its high (in its own unit: gwcalc "
        "explain shows it) with the rest at their values, sorted by the swing. Share: of "
        f"the output's variance, {result.method}."
    )
    from gwcalc.uncertainty.flows_sensitivity import FlowsSensitivity

    if isinstance(result, FlowsSensitivity):  # the caveats about the set's money
        from gwcalc.cli.render_flows import print_flow_caveats

        print_flow_caveats(out, aset)
    else:
        print_caveats(out, aset)


def _step_text(s: Any, aset: Any) -> Text:
    """A step's operation and figure, then its range and source on lines of their own."""
    param = aset.parameters.get(s.parameter) if s.parameter else None
    sign = {"start": "", "multiply": "× ", "divide": "÷ "}.get(s.operation, "")
    text = plain(s.formula or f"{sign}{format_quantity(s.value) if s.value is not None else ''}")
    if s.parameter:
        text.append(f" ({s.parameter})", style="bold")
    if param is None:
        return text
    if param.range is not None:
        text.append(f"\n  range {range_text(param)}")
    when = f", {param.source.date}" if param.source.date else ""
    text.append(f"\n  source: {cite_short(param.source)}{when}")
    if param.implied:
        text.append("\n  implied: no source states it (see its note)", style="yellow")
    return text


def print_explanation(out: Any, result: Explanation) -> None:
    """`gwcalc explain`: one row per step, with each figure's range and source."""
    aset = result.plan.aset
    title = f"{result.output.output.label} — {set_title(aset)}"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("output", no_wrap=True)
    table.add_column("step, its range and source", overflow="fold", ratio=1)
    table.add_column("= result", justify="right", style="bold", no_wrap=True)
    for s in result.steps:
        table.add_row(s.output, _step_text(s, aset), step_result_text(result, s))
    out.print(table)
    print_caveats(out, aset)
    out.print(legend([s.result for s in result.steps]))


def print_timeline_uncertainty(
    out: Any, u: TimelineUncertainty, units: Any, matched: bool = True
) -> None:
    """`timeline --samples`: each year's running sums, p50 [p5, p95], and (when the two sides
    match in scope) the probability that cumulative supply covers cumulative demand that year."""
    unit = unit_label(units)
    title = f"Uncertainty — {u.samples:,} samples, seed {u.seed}"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    table.caption, table.caption_justify = f"{unit}: p50 [p5, p95]", "left"
    table.add_column("year", justify="right")
    for column in ("Σ supply", "Σ demand"):
        table.add_column(column, justify="right", no_wrap=True)
    if matched:
        table.add_column("P(covered)", justify="right", no_wrap=True)
    for y in u.years:
        covered = probability_text(y.p_covered)
        if y.p_covered is not None and y.p_covered_error is None:
            covered += f" ± {NO_ERROR}"  # one sample: a draw's yes or no, no error to give
        elif y.p_covered is not None and y.p_covered_error is not None and 0 < y.p_covered < 1:
            covered += f" ± {y.p_covered_error * 100:.2g}%"  # two figures, however small
        sums = (y.summaries[name] for name in ("cumulative_supply", "cumulative_demand"))
        cells = [spread_text(s.p50, s.p5, s.p95) for s in sums]
        table.add_row(str(y.year), *cells, *([covered] if matched else []))
    out.print(table)
    if matched and any(not y.demand_due for y in u.years):
        out.print("P(covered) —: no demand due yet, so nothing to cover.")
    if matched and any(y.demand_due and y.p_covered_error is None for y in u.years):
        out.print(NO_ERROR_NOTE)
    last = u.years[-1]
    if not matched:
        line = "No P(covered): the two sides differ in scope (see the verdict above)."
    elif not last.demand_due:
        line = f"No counted demand falls due by {last.year}: nothing to cover."
    else:
        line = (
            f"By {last.year}, cumulative supply covers cumulative demand in "
            f"{probability_text(last.p_covered)} of the samples (each side as the Supply: and "
            "Demand: lines above count it)."
        )
    out.print(plain(line, style="bold"))
    out.print(_varied_line(u))
    if u.varied and matched:
        out.print(TIMELINE_READING)
