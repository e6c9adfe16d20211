"""`gwcalc gap`: a year of supply against contracted demand, as a table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from gwcalc.cli.options import (
    assumption_options,
    console,
    format_options,
    load_assumptions,
    markdown_overrides,
    sampling_options,
    seed_for,
    unit_option,
)

if TYPE_CHECKING:
    from gwcalc.api import GapResult


@click.command()
@unit_option
@click.option(
    "--demand",
    metavar="QUANTITY",
    help="Use this demand instead of the set's contracted_spend, e.g. '26 GW' or "
    "'1.4T USD_all_in' (plain $ or USD means hardware-only dollars), or with --samples a "
    "range LOW..HIGH, '40..60 GW' (p5 and p95 of a lognormal).",
)
@assumption_options
@sampling_options
@format_options
def gap(
    unit: str,
    demand: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    samples: int | None,
    seed: int | None,
    fmt: str,
) -> None:
    """Compare a year of supply with contracted demand.

    Supply per year = cowos_wafers_per_year × vendor_share → GPUs → GW (through
    the set's rates). Demand = contracted_spend → GW. Gap = demand − one year
    of supply; coverage = one year of supply ÷ demand; years to cover = demand
    ÷ supply per year. With --samples N, also p5, p50 and p95 of each output
    over the ranges of the set's figures (and of --set NAME=LOW..HIGH), as a
    table or JSON. -q prints each output as 'name value [unit]', e.g.
    'gap 36.5 GW_IT' and 'coverage 27.0%'.

    \b
    Examples:
      gwcalc gap
      gwcalc gap -a independent-2026 --unit GW_facility
      gwcalc gap -a independent-2026 --set contracted_spend='1.4T USD_all_in' --json
      gwcalc gap --demand "26 GW"
      gwcalc gap -a independent-2026 --set gpus_per_gw=330k..478k --samples 10000
      gwcalc gap -q --unit gpu
    """
    from gwcalc import api

    seed = seed_for(samples, seed)
    aset = load_assumptions(set_name, assumptions_dir, overrides)
    result = api.gap(aset, unit, demand, samples, seed)
    _print(result, fmt)


def _print(result: GapResult, fmt: str) -> None:
    """The gap in the chosen format (with --samples, tables and JSON show the percentiles)."""
    from gwcalc.cli.formats import emit, emit_document

    if emit_document(fmt, result.to_dict):
        return
    from gwcalc.report import rows

    g, u = result.computed, result.uncertainty
    markdown_overrides(fmt, g.plan.aset)
    if emit(fmt, lambda: rows.gap_csv(g, u), lambda: [rows.gap_markdown(g, u)],
            lambda: rows.gap_quiet(g, u)):  # fmt: skip
        if fmt == "markdown":  # below the table, as the table view says it
            from gwcalc.cli.output import write
            from gwcalc.report.documents import GAP_DEMAND_NOTE

            write(f"\n{GAP_DEMAND_NOTE}\n")
        return

    from gwcalc.cli.render import print_gap

    out = console()
    print_gap(out, g)
    if result.uncertainty is not None:
        from gwcalc.cli.render_uncertainty import print_uncertainty

        shown = g.shown
        outputs = {o.name: o.output for o in shown}
        labels = {o.name: f"{o.name} (--demand)" if o.given else o.output.label for o in shown}
        print_uncertainty(out, result.uncertainty, outputs, labels)
    if result.demand_interval is not None:
        out.print(result.demand_interval.note("demand"))
