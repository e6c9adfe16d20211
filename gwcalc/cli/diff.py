"""`gwcalc diff`: two assumption sets side by side, and which input moved each output."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gwcalc.cli.base import ErrorExit
from gwcalc.cli.complete import complete_set, complete_unit
from gwcalc.cli.options import (
    QUIET,
    console,
    dir_option,
    format_options,
    parse_overrides,
    sampling_options,
    seed_for,
    set_option,
    unit_option,
)

if TYPE_CHECKING:
    from gwcalc.api.results import DiffResult
    from gwcalc.engine.outputs import Output
    from gwcalc.report.rows import Rows
    from gwcalc.sets.assumption_set import AssumptionSet


@click.command("diff")
@click.argument("before", metavar="A", shell_complete=complete_set)
@click.argument("after", metavar="[B]", required=False, shell_complete=complete_set)
@set_option
@dir_option
@unit_option
@click.option(
    "--convert",
    "convert_quantity",
    metavar="QUANTITY",
    help="Also compare converting QUANTITY into each --to unit.",
)
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="UNIT",
    shell_complete=complete_unit,
    help="With --convert (repeatable).",
)
@click.option(
    "--timeline",
    "on_timeline",
    is_flag=True,
    help="Compare the sets' timelines: the cumulative gap in --year and the catch-up year.",
)
@click.option("--year", metavar="YEAR", help="With --timeline: the year (default: the last).")
@click.option(
    "--exit-code",
    is_flag=True,
    callback=ErrorExit.remember,
    help="Exit 1 when the sets differ, 0 when they are the same (2 on errors), as git diff does.",
)
@sampling_options
@format_options
def diff(
    before: str,
    after: str | None,
    overrides: tuple[str, ...],
    assumptions_dir: Path | None,
    unit: str,
    convert_quantity: str | None,
    targets: tuple[str, ...],
    on_timeline: bool,
    year: str | None,
    exit_code: bool,
    samples: int | None,
    seed: int | None,
    fmt: str,
) -> None:
    """Compare set A with set B (or with A plus --set overrides).

    Shows the changed parameters, the outputs before and after, and how much
    of each output's change each changed parameter explains. The parts add
    up exactly to the change: outputs are products of parameters, split by
    the log-mean Divisia index (LMDI-I); the gap is demand minus a year of
    supply. Parameters that change the chain itself (e.g. hardware dollars at
    a hardware rate → all-in dollars at an all-in rate) are reported together.
    With --samples N, also each output's p5, p50 and p95 in A, in B and of
    B − A, sample by sample (a parameter ranged in both gets the same draws).
    Economics (per GW, revenue gap by year): Shapley parts (and percentiles).

    \b
    Examples:
      gwcalc diff seed-2025 independent-2026
      gwcalc diff seed-2025 --set dies_per_gpu=2 --set gpus_per_wafer=7.5
      gwcalc diff seed-2025 independent-2026 --convert "6 GW" --to gpu --json
      gwcalc diff seed-2025 independent-2026 --timeline --year 2028
      gwcalc diff a.toml b.toml --exit-code
      gwcalc diff market-2026 --set utilization=70% --samples 2000 --format markdown
      gwcalc diff seed-2025 bases-2025 --format markdown
    """
    from gwcalc import api

    _check_options(on_timeline, year, convert_quantity, targets, samples)
    a = api.load_set(before, assumptions_dir=assumptions_dir)
    b = api.load_set(after, assumptions_dir=assumptions_dir) if after else a
    b = b.with_overrides(parse_overrides(overrides))
    if on_timeline:
        differs = _timeline_diff(a, b, unit, year, fmt)
    else:
        conversions = [(convert_quantity, t) for t in targets] if convert_quantity else []
        differs = _sets_diff(a, b, unit, conversions, samples, seed_for(samples, seed), fmt)
    if exit_code and differs:
        raise click.exceptions.Exit(1)


def _timeline_diff(
    a: AssumptionSet, b: AssumptionSet, unit: str, year: str | None, fmt: str
) -> bool:
    """diff --timeline: print the comparison; True when an input of the timelines differs."""
    from gwcalc import api

    if fmt not in ("table", "json", "jsonl"):
        raise click.UsageError("diff --timeline prints a table or JSON (--json, --format jsonl)")
    compared = api.timeline_diff(a, b, unit, year)
    from gwcalc.cli.formats import emit_document

    if not emit_document(fmt, compared.to_dict):
        from gwcalc.cli.render_timeline import print_timeline_diff

        print_timeline_diff(console(), compared.comparison)
    return bool(compared.comparison.differs)


def _sets_diff(
    a: AssumptionSet,
    b: AssumptionSet,
    unit: str,
    conversions: list[tuple[str, str]],
    samples: int | None,
    seed: int | None,
    fmt: str,
) -> bool:
    """diff of the one-year view: print it; True when the sets differ."""
    from gwcalc import api

    if samples is not None and fmt == QUIET:
        raise click.UsageError(
            "--samples prints a table, JSON, CSV or Markdown (-q prints one value a line, not "
            "p5/p50/p95)"
        )
    result = api.diff(a, b, unit, conversions, samples, seed)  # errors exit 2 with --exit-code
    from gwcalc.cli.formats import emit, emit_document

    if emit_document(fmt, result.to_dict):
        return bool(result.differs)
    from gwcalc.report import econ_rows as er
    from gwcalc.report import flows_diff

    r, econ = result.comparison, result.economics
    econ_quiet = er.econ_diff_quiet(econ) if econ else []
    if emit(fmt, lambda: _csv(result), lambda: _markdown(result),
            lambda: [*flows_diff.diff_quiet_with_money(r), *econ_quiet]):  # fmt: skip
        return bool(result.differs)
    from gwcalc.cli.render import print_diff

    out = console()
    print_diff(out, r)
    if econ is not None:
        from gwcalc.cli.render_econ import print_econ_diff

        print_econ_diff(out, econ)
    if result.uncertainty is not None:
        from gwcalc.cli.render_uncertainty import print_diff_uncertainty

        print_diff_uncertainty(out, result.uncertainty, _gap_outputs())
    if econ is not None and econ.samples is not None:
        from gwcalc.cli.render_econ import print_econ_diff_samples

        print_econ_diff_samples(out, econ.samples)
    return bool(result.differs)


def _gap_outputs() -> dict[str, Output]:
    from gwcalc.engine.outputs import gap_outputs

    return {o.name: o for o in gap_outputs()}


def _csv(result: DiffResult) -> Rows:
    """diff's CSV: its outputs and parameters, then the economics' rows (same columns)."""
    from gwcalc.report import diff_samples as ds
    from gwcalc.report import econ_rows, flows_diff

    table = flows_diff.diff_csv_with_money(result.comparison)
    econ = result.economics
    rows = [*table.rows, *(econ_rows.econ_diff_csv(econ) if econ is not None else [])]
    if result.uncertainty is not None:
        rows += ds.gap_samples_csv(result.uncertainty)
    if econ is not None and econ.samples is not None:
        rows += ds.econ_samples_csv(econ.samples)
    return replace(table, rows=rows)


def _markdown(result: DiffResult) -> list[Rows | str]:
    """diff's Markdown: its tables, then the economics' table and method (or the note)."""
    from gwcalc.report import diff_samples as ds
    from gwcalc.report import econ_rows, flows_diff

    econ = econ_rows.econ_diff_markdown(result.economics) if result.economics else []
    parts = [*flows_diff.diff_markdown_with_money(result.comparison), *econ]
    u = result.uncertainty
    if u is not None:
        title = f"**{ds.samples_title(u.change.samples, u.change.seed)}**"
        parts += [title, ds.gap_samples_rows(u, _gap_outputs()), ds.varied_line(u.change.varied)]
    drawn = result.economics.samples if result.economics is not None else None
    if drawn is not None:
        parts.append(ds.econ_samples_rows(drawn))
        if drawn.years:
            parts += [ds.econ_years_samples_rows(drawn), ds.YEARS_SAMPLES_NOTE]
        parts.append(ds.varied_line(drawn.varied))
    return parts


def _check_options(
    on_timeline: bool,
    year: str | None,
    convert_quantity: str | None,
    targets: tuple[str, ...],
    samples: int | None,
) -> None:
    """Options that only make sense together (usage errors, exit 2)."""
    if on_timeline and samples is not None:
        raise click.UsageError("--samples covers the one-year view: leave out --timeline")
    if year is not None and not on_timeline:
        raise click.UsageError("--year needs --timeline")
    if on_timeline and convert_quantity is not None:
        raise click.UsageError("--convert compares one year's view: leave out --timeline")
    if targets and convert_quantity is None:
        raise click.UsageError("--to needs --convert QUANTITY")
    if convert_quantity is not None and not targets:
        raise click.UsageError("--convert needs at least one --to UNIT")
