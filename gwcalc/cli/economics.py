"""`gwcalc economics`: what a GW of AI capacity costs and earns, and the market's revenue gap."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from gwcalc.cli.options import (
    assumption_options,
    console,
    format_options,
    markdown_overrides,
    parse_overrides,
    sampling_options,
    seed_for,
)

if TYPE_CHECKING:
    from gwcalc.api import EconomicsResult


@click.command()
@click.option(
    "--year",
    metavar="YEAR",
    help="Use each figure's value of this year (of the set's timeline) for the per-GW model, "
    "and show only this year's revenue gap.",
)
@assumption_options
@sampling_options
@format_options
def economics(
    year: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    samples: int | None,
    seed: int | None,
    fmt: str,
) -> None:
    """Does a GW of AI capacity pay for itself, and does the market's AI revenue?

    Per GW of IT power, a year at steady state: capex (all-in $) and its hardware part;
    depreciation (hardware over it_life, the rest over facility_life); capital cost (each
    part × crf(cost_of_capital, life)); energy (1 GW × pue × 8,760 h × power_price, full
    draw: an upper bound) and other opex; revenue (price_per_gpu_hour × gpus_per_gw ×
    8,760 h × utilization); margin; payback = capex ÷ (revenue − opex), undiscounted;
    cost per GPU-hour; break-even utilization (cost per GPU-hour ÷ price) and price.

    By year (the set's timeline; its demand must count every buyer): AI capex = demand
    (GW of IT) × the year's all_in_cost_per_gw; depreciation of the capex since the set's
    first year (earlier capex counts 0: a floor, marked ≥); revenue needed =
    (depreciation + installed GW × opex) ÷ (1 − end_user_margin), and Sequoia's, capex ÷
    (1 − end_user_margin); the gap to ai_revenue. Costs are all-in dollars, revenue revenue
    dollars; where they meet, nominal dollars. With --samples N, p5/p50/p95 of each, P(AI
    revenue covers the revenue needed) each year and P(payback within it_life). The default
    set is the newest market-2026 that has the economics figures. -q prints the headline
    numbers, e.g. 'payback_years 5.81 yr' and 'revenue_gap 2027 -11.41B USD_revenue/yr'.

    \b
    Examples:
      gwcalc economics
      gwcalc economics --set utilization=70%
      gwcalc economics --set utilization=90% --set price_per_gpu_hour=2
      gwcalc economics --year 2027 --json
      gwcalc economics --samples 10000
      gwcalc economics -q
    """
    from gwcalc import api

    seed = seed_for(samples, seed)
    changes = parse_overrides(overrides)
    result = api.economics(set_name, changes, year, samples, seed, assumptions_dir)
    _print(result, fmt)


def _print(result: EconomicsResult, fmt: str) -> None:
    from gwcalc.cli.formats import emit, emit_document

    if emit_document(fmt, result.to_dict):
        return
    from gwcalc.economics import report as views

    r, u = result.report, result.uncertainty
    markdown_overrides(fmt, r.aset)
    if emit(fmt, lambda: views.economics_csv(r, u),
            lambda: views.economics_markdown(r, u, r.year),
            lambda: views.economics_quiet(r, u)):  # fmt: skip
        return
    from gwcalc.cli.render_economics import print_economics

    print_economics(console(), result)
