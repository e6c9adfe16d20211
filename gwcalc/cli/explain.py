"""`gwcalc explain`: every step of the arithmetic behind one output, with ranges and sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from gwcalc.cli.complete import complete_output
from gwcalc.cli.flow_outputs import scope_options, scoped_family
from gwcalc.cli.options import (
    assumption_options,
    console,
    format_options,
    load_for,
    markdown_overrides,
    unit_option,
    year_option,
)

if TYPE_CHECKING:
    from gwcalc.analysis.econ_explain import EconExplanation
    from gwcalc.analysis.explain import Explanation
    from gwcalc.analysis.flows_explain import FlowsExplanation
    from gwcalc.sets.assumption_set import AssumptionSet


@click.command()
@click.argument("output_name", metavar="OUTPUT", shell_complete=complete_output)
@unit_option
@year_option
@scope_options
@assumption_options
@format_options
def explain(
    output_name: str,
    unit: str,
    year: str | None,
    party: str | None,
    flow: str | None,
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

    Or an output of the economics model, per GW (a set with its figures,
    default market-2026; --year for figures given by year): capex_per_gw,
    hardware_per_gw, facility_capex_per_gw, depreciation_per_gw_year,
    capital_cost_per_gw_year, energy_per_gw_year, opex_per_gw_year,
    cost_per_gw_year, revenue_per_gw_year, margin_per_gw_year, payback_years,
    cost_per_gpu_hour, break_even_utilization, break_even_price. It lists
    each input it reads (value, unit, range, source, implied), then each
    output on the way: its formula, and the formula with the values in.

    Or of the flows (default set market-2026; --year: a year's part):
    round_trip_share, net_external_revenue (--party SELLER), warrant_value
    (--flow NAME): each flow and figure it reads with its source, then per
    buyer min(sent, gross), a warrant's shares × max(0, price − strike).

    \b
    Examples:
      gwcalc explain supply_per_year
      gwcalc explain gap -a independent-2026
      gwcalc explain coverage -a independent-2026 --set gpus_per_gw=330k..478k --json
      gwcalc explain payback_years -a market-2026 --set utilization=70%
      gwcalc explain warrant_value --flow 'AMD–OpenAI warrant' --set amd_share_price=600
    """
    from gwcalc import api

    family = scoped_family(output_name, year, party, flow)
    aset = load_for(family, set_name, assumptions_dir, overrides)
    if family == "flows":
        _show_flows(api.flows_explain(output_name, aset, party, flow, year), fmt)
    elif family == "economics":
        _show_econ(api.econ_explain(output_name, aset, year), fmt)
    else:
        _show_gap(api.explain(output_name, aset, unit), fmt)


def _document(
    result: Explanation | EconExplanation | FlowsExplanation, fmt: str, aset: AssumptionSet
) -> bool:
    """JSON, or the overrides' note before Markdown: True when nothing is left to print."""
    from gwcalc.cli.formats import emit_document

    if emit_document(fmt, result.to_dict):
        return True
    markdown_overrides(fmt, aset)
    return False


def _show_econ(result: EconExplanation, fmt: str) -> None:
    from gwcalc.cli.formats import emit
    from gwcalc.report import econ_rows as er

    if _document(result, fmt, result.aset):
        return
    if emit(fmt, lambda: er.econ_explain_csv(result), lambda: er.econ_explain_markdown(result),
            lambda: er.econ_explain_quiet(result)):  # fmt: skip
        return
    from gwcalc.cli.render_econ import print_econ_explanation

    print_econ_explanation(console(), result)


def _show_gap(result: Explanation, fmt: str) -> None:
    from gwcalc.cli.formats import emit
    from gwcalc.report import rows

    if _document(result, fmt, result.plan.aset):
        return
    if emit(fmt, lambda: rows.explain_csv(result), lambda: [rows.explain_markdown(result)],
            lambda: rows.explain_quiet(result)):  # fmt: skip
        return
    from gwcalc.cli.render_uncertainty import print_explanation

    print_explanation(console(), result)


def _show_flows(result: FlowsExplanation, fmt: str) -> None:
    from gwcalc.cli.formats import emit
    from gwcalc.report import flows_explain_rows as fr

    if _document(result, fmt, result.aset):
        return
    if emit(fmt, lambda: fr.flows_explain_csv(result), lambda: fr.flows_explain_markdown(result),
            lambda: fr.flows_explain_quiet(result)):  # fmt: skip
        return
    from gwcalc.cli.flow_outputs import print_flows_explanation

    print_flows_explanation(console(), result)
