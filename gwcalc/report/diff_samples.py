"""What `diff --samples` shows, the gap's outputs and the per-GW economics alike: each output's
p50 (p5 – p95) in A, in B and of B − A, as a JSON part, CSV rows, Markdown rows and lines."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from gwcalc.report.econ_rows import econ_part_text, number_text, output_unit, value_json
from gwcalc.report.rows import Cell, Rows, probability_text
from gwcalc.units.registry import format_number, format_percent, unit_text

if TYPE_CHECKING:
    from gwcalc.econ.model import EconOutput
    from gwcalc.engine.outputs import Output
    from gwcalc.uncertainty.econ_diff import EconDiffUncertainty, Probability, YearSamples
    from gwcalc.uncertainty.sampling import DiffUncertainty, Summary

SPREAD = "p50 (p5 – p95)"
SAME_DRAWS = (
    "B − A is taken sample by sample: a parameter with a range in both sets gets the same "
    "draws in both."
)
NO_RANGES = "No parameter on these chains has a range, so every sample is the point value."
_PERCENTILES = ("p5", "p50", "p95")
YEARS_SAMPLES_NOTE = (
    "Amounts in USD_nominal/yr. P(revenue covers): the share of samples in which AI revenue is at "
    "least the revenue needed that year. Each set's timeline demand is held at its central value "
    "(capex plans keep their dollars, their GW move with the sampled all-in cost per GW)."
)


def varied_line(varied: tuple[str, ...]) -> str:
    """'Ranges sampled: a, b' (or that nothing is ranged), then how B − A is taken."""
    if not varied:
        return NO_RANGES
    return "Ranges sampled: " + ", ".join(varied) + ". " + SAME_DRAWS


def _spread(s: Summary, text: Callable[[float], str]) -> str:
    return f"{text(s.p50)} ({text(s.p5)} – {text(s.p95)})"


def econ_spreads(name: str, u: EconDiffUncertainty) -> tuple[str, str, str]:
    """An economics output's p50 (p5 – p95) in A, in B and of B − A, as its tables show
    values ('never' for a payback that never comes) and changes ('+2.5 pp' for a share)."""
    return _spreads(u.outputs[name], u.before[name], u.after[name], u.change[name])


def _spreads(
    out: EconOutput, before: Summary, after: Summary, change: Summary
) -> tuple[str, str, str]:
    def value(v: float) -> str:
        return number_text(out, v)

    def delta(v: float) -> str:
        return econ_part_text(out, v)

    return _spread(before, value), _spread(after, value), _spread(change, delta)


def _probabilities(y: YearSamples, keys: tuple[str, str]) -> list[tuple[str, float, float]]:
    """(key, P in A, P in B) that AI revenue covers the revenue needed, each basis."""
    sides = (y.covers, y.covers_sequoia)
    return [(key, a, b) for key, ((a, _), (b, _)) in zip(keys, sides, strict=True)]


def econ_unit(name: str, u: EconDiffUncertainty) -> str:
    """The unit an economics output's row shows ('' for a share)."""
    out = u.outputs[name]
    return "" if out.percent else output_unit(out)


def econ_samples_rows(u: EconDiffUncertainty) -> Rows:
    """One row an economics output: its unit, p50 (p5 – p95) in A, in B and of B − A."""
    rows: list[list[Cell]] = [
        [name, econ_unit(name, u), *econ_spreads(name, u)] for name in u.change
    ]
    return Rows((f"economics per GW, {SPREAD}", "unit", "A", "B", "B − A"), rows, (2, 3, 4))


def _summary_json(out: EconOutput, s: Summary) -> dict[str, Any]:
    doc = {key: value_json(out, getattr(s, key)) for key in (*_PERCENTILES, "mean")}
    known = (None if e is None else value_json(out, e) for e in s.standard_errors)
    errors = dict(zip(_PERCENTILES, known, strict=True))
    return {**doc, "standard_error": errors}


def econ_samples_json(u: EconDiffUncertainty) -> dict[str, Any]:
    """As diff's "uncertainty": "outputs" the change B − A, "before" and "after" each set's
    (a payback that never comes is null with "infinite": true)."""

    def of(summaries: Mapping[str, Summary]) -> dict[str, Any]:
        return {name: _summary_json(u.outputs[name], s) for name, s in summaries.items()}

    return {
        "samples": u.samples,
        "seed": u.seed,
        "varied": list(u.varied),
        "outputs": of(u.change),
        "before": of(u.before),
        "after": of(u.after),
        "by_year": {
            str(year): {
                "outputs": of(y.change),
                "before": of(y.before),
                "after": of(y.after),
                "p_revenue_covers": _sides_json(y.covers),
                "p_revenue_covers_sequoia": _sides_json(y.covers_sequoia),
            }
            for year, y in u.years.items()
        },
    }


def _sides_json(sides: tuple[Probability, Probability]) -> dict[str, Any]:
    """{"before", "after"} probabilities, and their Monte Carlo standard errors (null below 2
    samples)."""
    (a, a_error), (b, b_error) = sides
    return {"before": a, "after": b, "standard_error": {"before": a_error, "after": b_error}}


def _finite(value: float) -> float | None:
    return value if abs(value) != float("inf") and value == value else None


def econ_samples_csv(u: EconDiffUncertainty) -> list[list[Cell]]:
    """diff's CSV rows (same columns): per output and percentile, A's and B's (kind
    economics_sampled, named OUTPUT:p5), then B − A's from 0 (economics_sampled_change); by
    year, the revenue gaps named OUTPUT.YEAR:p5 and the probability that AI revenue covers the
    revenue needed in A and B (kind economics_probability, named p_revenue_covers.YEAR)."""
    rows: list[list[Cell]] = []
    for name in u.change:
        rows += _percentile_rows(name, u.before[name], u.after[name], u.change[name], u)
    for year, y in u.years.items():
        for name in y.change:
            sides = (y.before[name], y.after[name], y.change[name])
            rows += _percentile_rows(name, *sides, u, f"{name}.{year}")
        for key, a, b in _probabilities(y, ("p_revenue_covers", "p_revenue_covers_sequoia")):
            rows.append(["economics_probability", f"{key}.{year}", a, "", b, "", None])
    return rows


def _percentile_rows(
    name: str,
    before: Summary,
    after: Summary,
    change: Summary,
    u: EconDiffUncertainty,
    label: str | None = None,
) -> list[list[Cell]]:
    unit, label = econ_unit(name, u), label or name
    rows: list[list[Cell]] = []
    for key in _PERCENTILES:
        a, b = (_finite(getattr(s, key)) for s in (before, after))
        rows.append(["economics_sampled", f"{label}:{key}", a, unit, b, unit, None])
    for key in _PERCENTILES:
        delta = _finite(getattr(change, key))
        rows.append(["economics_sampled_change", f"{label}:{key}", 0.0, unit, delta, unit, None])
    return rows


def econ_years_samples_rows(u: EconDiffUncertainty) -> Rows:
    """Each year's revenue gaps (p50 (p5 – p95) in A, in B, of B − A) and the probability
    that AI revenue covers the revenue needed, in A and in B (each basis)."""
    rows: list[list[Cell]] = []
    for year, y in u.years.items():
        for name in y.change:
            spreads = _spreads(u.outputs[name], y.before[name], y.after[name], y.change[name])
            rows.append([str(year), name, econ_unit(name, u), *spreads])
        for key, a, b in _probabilities(y, ("P(revenue covers)", "P(revenue covers, Sequoia)")):
            rows.append([str(year), key, "", probability_text(a), probability_text(b), ""])
    header = ("year", f"revenue gap by year, {SPREAD}", "unit", "A", "B", "B − A")
    return Rows(header, rows, (3, 4, 5))


def _gap_number(value: float, output: Output | None) -> str:
    if output is not None and output.percent:
        return format_percent(value)
    return format_number(value, output.sig if output is not None else 4)


def gap_samples_rows(u: DiffUncertainty, outputs: Mapping[str, Output]) -> Rows:
    """One row a gap output: its unit, p50 (p5 – p95) in A, in B and of B − A."""
    rows: list[list[Cell]] = []
    for name, change in u.change.summaries.items():
        output = outputs.get(name)
        unit = unit_text(u.change.units[name])

        def text(v: float, output: Output | None = output) -> str:
            return _gap_number(v, output)

        sides = (u.before.summaries[name], u.after.summaries[name], change)
        rows.append([name, "" if unit == "dimensionless" else unit,
                     *(_spread(s, text) for s in sides)])  # fmt: skip
    return Rows((f"output, {SPREAD}", "unit", "A", "B", "B − A"), rows, (2, 3, 4))


def gap_samples_csv(u: DiffUncertainty) -> list[list[Cell]]:
    """As econ_samples_csv, for the gap's outputs (kinds output_sampled, output_sampled_change)."""
    rows: list[list[Cell]] = []
    for name, change in u.change.summaries.items():
        unit = unit_text(u.change.units[name])
        unit = "" if unit == "dimensionless" else unit
        for key in _PERCENTILES:
            a, b = (getattr(s.summaries[name], key) for s in (u.before, u.after))
            rows.append(["output_sampled", f"{name}:{key}", a, unit, b, unit, None])
        for key in _PERCENTILES:
            rows.append(["output_sampled_change", f"{name}:{key}", 0.0, unit,
                         getattr(change, key), unit, None])  # fmt: skip
    return rows


def samples_title(samples: int, seed: int) -> str:
    return f"Uncertainty — {samples:,} samples, seed {seed}"
