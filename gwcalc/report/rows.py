"""Results as rows (for CSV and Markdown) and as `-q` lines: plain strings and numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwcalc.report.documents import basis_of, output_text
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.units.registry import (
    Q_,
    Quantity,
    dimensions,
    format_number,
    format_percent,
    format_points,
    format_quantity,
    unit_text,
)

if TYPE_CHECKING:
    from gwcalc.analysis.check import CheckReport
    from gwcalc.analysis.diff import OutputChange, SetDiff
    from gwcalc.analysis.explain import ExplainStep, Explanation
    from gwcalc.engine.plan import Gap
    from gwcalc.uncertainty.econ_sensitivity import EconSensitivity
    from gwcalc.uncertainty.sampling import Uncertainty
    from gwcalc.uncertainty.sensitivity import Sensitivity

Cell = str | float | int | None


@dataclass(frozen=True)
class Rows:
    """One table: a header, rows, and which columns hold numbers (right-aligned in Markdown)."""

    header: tuple[str, ...]
    rows: list[list[Cell]]
    numeric: tuple[int, ...] = ()


def _unit(q: Quantity) -> str:
    text = unit_text(q.units)
    return "" if text == "dimensionless" else text


NO_ERROR = "n/a"  # a standard error the samples cannot give (fewer than 2)
NO_ERROR_NOTE = (
    "± n/a: a standard error needs at least 2 samples (one sample has no spread to estimate it "
    "from)."
)


def ratio_text(value: float) -> str:
    """A ratio as every table shows one: '27.0%'."""
    return format_percent(value)


# ---------------------------------------------------------------- gap


def probability_text(p: float | None) -> str:
    """'97.3%'; '100%' and '0%' only when every sample (or none) is, else '>99.9%', '<0.1%';
    '—' for None (a P(covered) before any demand falls due: nothing to cover)."""
    if p is None:
        return "—"
    if p in (0.0, 1.0):
        return f"{p:.0%}"
    return ">99.9%" if p > 0.9995 else "<0.1%" if p < 0.0005 else f"{p:.1%}"


def spread_text(p50: float, p5: float, p95: float, sig: int = 3, suffix: str = "") -> str:
    """'38.5 [36.1, 41]': a p50, then its p5 and p95 (each followed by suffix, e.g. '%')."""
    p50_text, p5_text, p95_text = (format_number(v, sig) + suffix for v in (p50, p5, p95))
    return f"{p50_text} [{p5_text}, {p95_text}]"


def gap_csv(gap: Gap, u: Uncertainty | None = None) -> Rows:
    """One row an output: its value and unit; with samples, also its p5, p50 and p95."""
    header: tuple[str, ...] = ("output", "value", "unit")
    rows: list[list[Cell]] = []
    for o in gap.shown:
        rows.append([o.name, float(o.quantity.magnitude), _unit(o.quantity)])
        if u is not None:
            s = u.summaries[o.name]
            rows[-1] += [s.p5, s.p50, s.p95]
    if u is not None:
        header += ("p5", "p50", "p95")
    return Rows(header, rows, (1, 3, 4, 5))


def gap_markdown(gap: Gap, u: Uncertainty | None = None) -> Rows:
    """One row an output, as the table shows it; with samples, also its p50 [p5, p95]."""
    header: tuple[str, ...] = ("output", "value", "what it counts")
    rows: list[list[Cell]] = []
    for o in gap.shown:
        rows.append([o.output.label, output_text(o), o.output.counts or basis_of(o.quantity)])
        if u is not None:
            s = u.summaries[o.name]
            pct, suffix = (100.0, "%") if o.output.percent else (1.0, "")
            rows[-1].append(spread_text(s.p50 * pct, s.p5 * pct, s.p95 * pct, suffix=suffix))
    if u is not None:
        header += (f"p50 [p5, p95], {u.samples:,} samples",)
    return Rows(header, rows, (1, 3))


def gap_quiet(gap: Gap, u: Uncertainty | None = None) -> list[str]:
    """'supply_per_year 13.5 GW_IT/yr', 'coverage 27.0%': name, then value as the table has it;
    with samples, then 'supply_per_year.p5 12.1 GW_IT/yr' and so on for p5, p50 and p95."""
    lines = [f"{o.name} {output_text(o)}" for o in gap.shown]
    if u is not None:
        for o in gap.shown:
            s = u.summaries[o.name]
            for label, value in (("p5", s.p5), ("p50", s.p50), ("p95", s.p95)):
                lines.append(f"{o.name}.{label} {output_text(o, value)}")
    return lines


# ---------------------------------------------------------------- diff


def _side(change: OutputChange, q: Quantity, sig: int = 4) -> str:
    value = float(q.to(change.before.units).magnitude)
    if change.output is not None and change.output.percent:
        return ratio_text(value)
    return format_number(value, sig)


def output_change_texts(change: OutputChange) -> tuple[str, str, str, str]:
    """(A, B, change, %) as diff's table shows them; a ratio's change in percentage points."""
    pct = "—" if change.change_pct is None else format_points(change.change_pct, sign=True)
    if change.output is not None and change.output.percent:
        points = float(change.delta.to(change.before.units).magnitude) * 100
        delta = format_points(points, sign=True)[:-1] + " pp"
    else:
        delta = format_number(float(change.delta.magnitude), 3)
    return _side(change, change.before), _side(change, change.after), delta, pct


def diff_csv(result: SetDiff) -> Rows:
    header = ("kind", "name", "before_value", "before_unit", "after_value", "after_unit")
    rows: list[list[Cell]] = []
    for o in result.output_changes:
        after = o.after.to(o.before.units)
        unit = _unit(o.before)
        rows.append(
            ["output", o.name, float(o.before.magnitude), unit, float(after.magnitude), unit]
        )
        rows[-1].append(o.change_pct)
    for ch in result.parameter_changes:
        sides: list[Cell] = []
        for param in (ch.before, ch.after):
            q = param.quantity if param else None
            sides += [float(q.magnitude), _unit(q)] if q is not None else [None, None]
        rows.append(["parameter", ch.name, *sides, ch.change_pct])
    return Rows((*header, "change_pct"), rows, (2, 4, 6))


def diff_markdown(result: SetDiff) -> list[Rows | str]:
    outputs: list[list[Cell]] = []
    for o in result.output_changes:
        outputs.append([o.name, _unit(o.before), *output_change_texts(o)])
    params: list[list[Cell]] = []
    for ch in result.parameter_changes:
        a = format_quantity(ch.before.quantity) if ch.before else "—"
        b = format_quantity(ch.after.quantity) if ch.after else "—"
        pct = "new basis" if ch.change_pct is None else format_points(ch.change_pct, sign=True)
        params.append([ch.name, a, b, pct if ch.status == "changed" else ch.status])
    table = Rows(("parameter", "A", "B", "change"), params, (1, 2, 3))
    return [
        Rows(("output", "unit", "A", "B", "change", "%"), outputs, (2, 3, 4, 5)),
        table if params else "No parameter differs.",  # never a table with no row
    ]


def diff_quiet(result: SetDiff) -> list[str]:
    """'supply_per_year 13.5 15 GW_IT/yr': each output's name, A, B, then its unit (if any); a
    conversion's name without spaces ('6GW_IT->gpu'), so that every field is one word."""
    lines = []
    for o in result.output_changes:
        a, b, _, _ = output_change_texts(o)
        unit = "" if o.output is not None and o.output.percent else _unit(o.before)
        lines.append(" ".join(part for part in (o.name.replace(" ", ""), a, b, unit) if part))
    return lines


# ---------------------------------------------------------------- assumption sets


def list_rows(sets: Sequence[dict[str, Any]]) -> Rows:
    """`assumptions list`, from the rows of its JSON document."""
    header = ("name", "version", "date", "parameter_count", "default", "path", "error")
    rows: list[list[Cell]] = [[s.get(key) for key in header] for s in sets]
    return Rows(header, rows, (1, 3))


def show_csv(aset: AssumptionSet) -> Rows:
    rows: list[list[Cell]] = []
    for name, p in aset.parameters.items():
        q = p.quantity
        implied = "true" if p.implied else "false"
        rows.append([name, float(q.magnitude), _unit(q), p.source.cite(), p.note, implied])
    return Rows(("parameter", "value", "unit", "source", "note", "implied"), rows, (1,))


def show_markdown(aset: AssumptionSet) -> Rows:
    rows: list[list[Cell]] = []
    for name, p in aset.parameters.items():
        implied = " (implied: no source states it)" if p.implied else ""
        rows.append([name, format_quantity(p.quantity), p.source.cite() + implied, p.note])
    return Rows(("parameter", "value", "source", "note"), rows, (1,))


def show_quiet(aset: AssumptionSet) -> list[str]:
    """'gpus_per_gw 500k gpu/GW_IT': each parameter's name and value."""
    return [f"{name} {format_quantity(p.quantity)}" for name, p in aset.parameters.items()]


def check_rows(report: CheckReport) -> Rows:
    rows: list[list[Cell]] = [[f.level, " ".join(f.parameters), f.message] for f in report.findings]
    return Rows(("level", "parameters", "message"), rows)


# ---------------------------------------------------------------- sensitivity and explain


def share_text(result: Sensitivity | EconSensitivity, share: float, digits: int = 0) -> str:
    """A variance share as the tables show it: '85%', or '—' where the output has none."""
    return f"{share:.{digits}%}" if result.has_shares else "—"


def sensitivity_csv(result: Sensitivity | EconSensitivity) -> Rows:
    """One row a ranged figure (sorted by |swing|): its range, the output at each end, the
    swing and the variance share; outputs in the output's unit."""
    unit = _unit(result.quantity(1.0))
    header = ("parameter", "low", "high", "parameter_unit", "distribution", "output_at_low",
              "output_at_high", "swing", "output_unit", "variance_share")  # fmt: skip
    rows: list[list[Cell]] = [
        [
            e.name,
            float(e.low.magnitude),
            float(e.high.magnitude),
            _unit(e.low),
            e.range_text,
            e.output_at_low,
            e.output_at_high,
            e.swing,
            unit,
            e.variance_share if result.has_shares else None,
        ]
        for e in result.effects
    ]
    return Rows(header, rows, (1, 2, 5, 6, 7, 9))


def sensitivity_markdown(result: Sensitivity | EconSensitivity) -> Rows:
    rows: list[list[Cell]] = [
        [
            e.name,
            f"{format_quantity(e.low)} … {format_quantity(e.high)}",
            result.text(e.output_at_low),
            result.text(e.output_at_high),
            result.text(e.swing),
            share_text(result, e.variance_share),
        ]
        for e in result.effects
    ]
    header = ("parameter", "low … high", "at low", "at high", "swing", "variance share")
    return Rows(header, rows, (2, 3, 4, 5))


def sensitivity_quiet(result: Sensitivity | EconSensitivity) -> list[str]:
    """'all_in_cost_per_gw 42.5% 85.2%', 'gpus_per_gw -2.71 GW_IT 2.1%': each figure's name,
    swing (as the table shows the output) and variance share, largest swing first."""
    return [
        f"{e.name} {result.text(e.swing)} {share_text(result, e.variance_share, 1)}"
        for e in result.effects
    ]


def explain_csv(result: Explanation) -> Rows:
    """One row a step: the figure it uses (value, unit, source, implied) and the result."""
    header = ("output", "operation", "parameter", "value", "unit", "result", "result_unit",
              "low", "high", "source", "implied")  # fmt: skip
    rows: list[list[Cell]] = []
    for s in result.steps:
        param = result.plan.aset.parameters.get(s.parameter) if s.parameter else None
        r = param.range if param is not None else None
        value = s.value if s.value is not None else None
        rows.append([
            s.output, s.operation, s.parameter or s.formula,
            float(value.magnitude) if value is not None else None,
            _unit(value) if value is not None else None,
            float(s.result.magnitude), _unit(s.result),
            r.low if r else None, r.high if r else None,
            param.source.cite() if param else None, bool(param and param.implied),
        ])  # fmt: skip
    return Rows(header, rows, (3, 5, 7, 8))


def explain_markdown(result: Explanation) -> Rows:
    """One row a step: the figure, its range, the running result and the source."""
    rows: list[list[Cell]] = []
    for s in result.steps:
        param = result.plan.aset.parameters.get(s.parameter) if s.parameter else None
        figure = s.formula or (
            f"{format_quantity(s.value)} ({s.parameter})" if s.value is not None else ""
        )
        source = param.source.cite() + (" (implied)" if param.implied else "") if param else ""
        span = range_text(param) if param is not None else ""
        rows.append([s.output, s.operation, figure, span, step_result_text(result, s), source])
    header = ("output", "operation", "figure", "range", "= result", "source")
    return Rows(header, rows, (4,))


def range_text(param: Parameter) -> str:
    """'330k gpu/GW_IT … 451k gpu/GW_IT (pert bounds, group rubin-share)', or '' without."""
    r = param.range
    if r is None:
        return ""
    units = param.quantity.units
    low, high = (format_quantity(Q_(v, units)) for v in (r.low, r.high))
    group = f", group {param.group}" if param.group else ""
    return f"{low} … {high} ({r.text()}{group})"


def step_result_text(result: Explanation, step: ExplainStep) -> str:
    """A step's running result as the output shows it: '90.1%' for a share, else a quantity."""
    plan = result.plan.output(step.output)
    if plan.output.percent and not dimensions(step.result):
        return ratio_text(float(step.result.to("").magnitude))
    return format_quantity(step.result)


def explain_quiet(result: Explanation) -> list[str]:
    """'supply_per_year 13.5 GW_IT/yr': the output's name and value, as the table has it."""
    return [f"{result.output.name} {output_text(result.output)}"]
