"""`gwcalc explain`: every step of the arithmetic behind one output, with ranges and sources."""

from __future__ import annotations

from pathlib import Path

import click

from gwcalc.cli.options import (
    assumption_options,
    console,
    format_options,
    load_assumptions,
    markdown_overrides,
    unit_option,
)


@click.command()
@click.argument("output_name", metavar="OUTPUT")
@unit_option
@assumption_options
@format_options
def explain(
    output_name: str,
    unit: str,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    fmt: str,
) -> None:
    """Show the whole arithmetic behind one output, step by step.

    OUTPUT is one of the gap's outputs: wafers_per_year, supply_per_year,
    demand, gap, coverage, years_to_cover. Each step names the figure it
    uses, with its value, unit, range, source and whether it is implied (no
    source states it); an output built from others lists their steps first.

    \b
    Examples:
      gwcalc explain supply_per_year
      gwcalc explain gap -a independent-2026
      gwcalc explain coverage -a independent-2026 --set gpus_per_gw=330k..478k --json
    """
    from gwcalc import api

    aset = load_assumptions(set_name, assumptions_dir, overrides)
    result = api.explain(output_name, aset, unit)
    from gwcalc.cli.formats import emit, emit_document

    if emit_document(fmt, result.to_dict):
        return
    from gwcalc.report import rows

    markdown_overrides(fmt, aset)
    if emit(fmt, lambda: rows.explain_csv(result), lambda: [rows.explain_markdown(result)],
            lambda: rows.explain_quiet(result)):  # fmt: skip
        return
    from gwcalc.cli.render_uncertainty import print_explanation

    print_explanation(console(), result)
