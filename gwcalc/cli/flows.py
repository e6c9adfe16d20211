"""`gwcalc flows`: money between parties, the round trip of each seller's revenue, the loops."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from gwcalc.cli.options import (
    assumption_options,
    console,
    graph_format_options,
    load_assumptions,
    markdown_overrides,
    sampling_options,
    seed_for,
)
from gwcalc.cli.plot_option import draw, plot_option
from gwcalc.sets.specs import FLOW_STATUSES

if TYPE_CHECKING:
    from gwcalc.api import FlowsResult


@click.command()
@click.option(
    "--party",
    metavar="NAME",
    help="Show one party: the round trips it is in, its money in and out, its flows and the "
    "loops through it, e.g. --party NVIDIA.",
)
@click.option(
    "--year",
    metavar="YEAR",
    help="Count only each flow's part in this year (flows spread evenly over their years).",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(FLOW_STATUSES),
    help="Count flows of this status (repeatable). Default: the set's counted_flow_statuses "
    "(usually contract and closed).",
)
@assumption_options
@sampling_options
@graph_format_options
@plot_option
def flows(
    party: str | None,
    year: str | None,
    statuses: tuple[str, ...],
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    samples: int | None,
    seed: int | None,
    fmt: str,
    plot: Path | None,
) -> None:
    """Follow the money: how much of each seller's revenue was paid with its own money?

    For each seller S and buyer B: gross = what B paid S (chip orders, cloud contracts,
    rental, revenue), sent = the money S put into B (equity, warrants, loans, capacity
    guarantees), round trip = min(sent, gross), share = round trip ÷ gross, net external
    revenue = gross − round trip; summed per seller over its buyers. These compare dollars of
    different kinds, as nominal dollars: money S sent B against money B paid S. Also each
    party's money in and out by kind, and every loop (A pays B … pays A) with its amount, the
    smallest edge on it. A warrant is worth shares × (share price − strike): --set
    NAME=PRICE moves it, and with a range (--set NAME=LOW..HIGH) --samples N gives p5, p50
    and p95 of each warrant's value and each seller's round-trip share. Money that vests with
    a deal counts its vested part (vesting_deal, vesting_gw). Flows count when their status
    is counted (the set's counted_flow_statuses, or --status).

    \b
    Examples:
      gwcalc flows
      gwcalc flows --party NVIDIA
      gwcalc flows --year 2026 --status closed --status contract
      gwcalc flows --set amd_share_price=600
      gwcalc flows --set amd_share_price=164.67..600 --samples 10000
      gwcalc flows --format mermaid
      gwcalc flows --format dot | dot -Tsvg > flows.svg
      gwcalc flows --plot flows.svg
    """
    from gwcalc import api

    seed = seed_for(samples, seed)
    if samples is not None and fmt in ("dot", "mermaid"):
        raise click.UsageError(
            f"--samples prints tables, JSON, CSV, Markdown or -q lines, not {fmt}"
        )
    aset = load_assumptions(set_name, assumptions_dir, overrides, timeline=True)
    result = api.flows(aset, party, year, list(statuses) or None, samples, seed)
    draw(plot, "flows", result.report, aset)
    _print(result, fmt)


def _print(result: FlowsResult, fmt: str) -> None:
    from gwcalc.cli.formats import emit, emit_document
    from gwcalc.cli.output import safe_text, write

    if emit_document(fmt, result.to_dict):
        return
    from gwcalc.report import flows as views

    r = result.report
    if fmt in ("dot", "mermaid"):
        from gwcalc.report.flows_graph import flows_dot, flows_mermaid

        write(safe_text((flows_dot if fmt == "dot" else flows_mermaid)(r)))
        return
    markdown_overrides(fmt, r.aset)
    u = result.uncertainty
    if u is not None and fmt != "table":
        from gwcalc.report import flows_samples as fs

        if emit(fmt, lambda: fs.uncertainty_csv(r, u),
                lambda: [*views.flows_markdown(r), f"**{fs.samples_title(u)}**",
                         fs.uncertainty_rows(u)],
                lambda: views.flows_quiet(r) + fs.uncertainty_quiet(u)):  # fmt: skip
            return
    if emit(fmt, lambda: views.flows_csv(r), lambda: views.flows_markdown(r),
            lambda: views.flows_quiet(r)):  # fmt: skip
        return
    from gwcalc.cli.render_flows import print_flows

    out = console()
    print_flows(out, r)
    if result.uncertainty is not None:
        from gwcalc.cli.render_flows import print_flows_uncertainty

        print_flows_uncertainty(out, result.uncertainty)
