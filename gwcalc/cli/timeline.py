"""`gwcalc timeline`: year by year, supply built against contracted demand falling due."""

from __future__ import annotations

from pathlib import Path

import click

from gwcalc.cli.options import (
    assumption_options,
    console,
    format_options,
    load_assumptions,
    unit_option,
)
from gwcalc.schema import DEAL_STATUSES


@click.command()
@click.option("--from", "first", metavar="YEAR", help="First year shown (default: the set's).")
@click.option("--to", "last", metavar="YEAR", help="Last year shown (default: the set's).")
@unit_option
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(DEAL_STATUSES),
    help="Count deals of this status as demand (repeatable). Default: the set's "
    "counted_statuses (usually contract).",
)
@assumption_options
@format_options
def timeline(
    first: str | None,
    last: str | None,
    unit: str,
    statuses: tuple[str, ...],
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    fmt: str,
) -> None:
    """Year by year: can the supply build what was contracted, and when does it catch up?

    Supply each year = that year's CoWoS wafers through the year's chip mix (each chip by its
    own figures), or wafers × vendor_share through the set's rates when it has no mix. Demand
    each year = the counted deals' amounts falling due (phased as the set says). Cumulative
    gap = cumulative demand − cumulative supply; supply catches up in the first year from
    which the gap stays at or below zero. An override (--set) holds a parameter constant in
    every year.

    \b
    Examples:
      gwcalc timeline
      gwcalc timeline -a independent-2026 --to 2028
      gwcalc timeline -a independent-2026 --status contract --status letter-of-intent
      gwcalc timeline -a independent-2026 --unit gpu --json
      gwcalc timeline -a independent-2026 --format csv
    """
    from gwcalc import api

    aset = load_assumptions(set_name, assumptions_dir, overrides)
    result = api.timeline(aset, unit, first, last, list(statuses) or None)
    from gwcalc.cli.formats import emit, emit_document

    if emit_document(fmt, result.to_dict):
        return
    from gwcalc import rows

    r = result.result
    if emit(fmt, lambda: rows.timeline_csv(r), lambda: rows.timeline_markdown(r),
            lambda: rows.timeline_quiet(r)):  # fmt: skip
        return
    from gwcalc.cli.render_timeline import print_timeline

    print_timeline(console(), r)
