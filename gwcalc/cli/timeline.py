"""`gwcalc timeline`: year by year, supply built against contracted demand falling due."""

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
from gwcalc.cli.plot_option import draw, plot_option
from gwcalc.sets.specs import DEAL_STATUSES

if TYPE_CHECKING:
    from gwcalc.api import TimelineResult


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
@click.option(
    "--buyer",
    metavar="NAME",
    help="Also show one buyer's demand at each vendor as a share of that vendor's output "
    "(never as covered), e.g. --buyer OpenAI.",
)
@assumption_options
@sampling_options
@format_options
@plot_option
def timeline(
    first: str | None,
    last: str | None,
    unit: str,
    statuses: tuple[str, ...],
    buyer: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    samples: int | None,
    seed: int | None,
    fmt: str,
    plot: Path | None,
) -> None:
    """Year by year: can the supply build what was contracted, and when does it catch up?

    Supply each year = that year's CoWoS wafers through the year's chip mix (each chip by its
    own figures), or wafers × vendor_share through the set's rates when it has no mix. Demand
    each year = the counted deals' amounts falling due (phased as the set says); when the set's
    demand counts every buyer (demand_buyers = "all"), the owners' plans (capex-plan, gw-plan).
    Cumulative gap = cumulative demand − cumulative supply; supply catches up in the first year
    from which the gap stays at or below zero. Only a like-for-like comparison says "covered":
    when the demand counts some buyers and the supply every buyer's chips, the verdict names
    both scopes and makes no covered claim. Each vendor's book (the counted records naming it)
    is shown as a share of its output, flagged when booked past it; --buyer NAME shows one
    buyer's demand at each vendor as a share of that vendor's output. An override (--set
    NAME=Q) holds a parameter at Q in every year (the title says what it was); --set
    NAME.YEAR=Q sets one year, --set CHIP.FIELD=Q one chip's figure; an override the timeline
    does not use is refused. With --samples N, also each year's p5, p50 and p95 over the ranges
    of the set's figures, and (like for like only) P(covered): how likely cumulative supply
    covers cumulative demand.

    \b
    Examples:
      gwcalc timeline
      gwcalc timeline --buyer OpenAI
      gwcalc timeline --unit wafer
      gwcalc timeline -a independent-2026 --to 2028
      gwcalc timeline -a independent-2026 --buyer OpenAI
      gwcalc timeline -a independent-2026 --status contract --status letter-of-intent
      gwcalc timeline -a independent-2026 --unit gpu --json
      gwcalc timeline -a independent-2026 --format csv
      gwcalc timeline -a independent-2026 --samples 10000 --to 2028
    """
    from gwcalc import api

    seed = seed_for(samples, seed)
    aset = load_assumptions(set_name, assumptions_dir, overrides, timeline=True)
    chosen = list(statuses) or None
    _print(api.timeline(aset, unit, first, last, chosen, samples, seed, buyer), fmt, plot)


def _print(result: TimelineResult, fmt: str, plot: Path | None = None) -> None:
    """The timeline in the chosen format (with --samples, each adds percentiles and
    P(covered)), its picture drawn first with --plot."""
    draw(plot, "timeline", result, result.aset)
    from gwcalc.cli.formats import emit, emit_document

    if emit_document(fmt, result.to_dict):
        return
    from gwcalc.report import timeline_rows as rows

    r, s, u = result.computed, result.scopes, result.uncertainty
    markdown_overrides(fmt, r.aset)
    if emit(fmt, lambda: rows.timeline_csv(r, s, u), lambda: rows.timeline_markdown(r, s, u),
            lambda: rows.timeline_quiet(r, s, u)):  # fmt: skip
        return
    from gwcalc.cli.render_timeline import print_timeline

    out = console()
    print_timeline(out, r, s)
    if u is not None:
        from gwcalc.cli.render_uncertainty import print_timeline_uncertainty

        print_timeline_uncertainty(out, u, r.unit, s.market.matched)
