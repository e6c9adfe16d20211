"""`gwcalc explain`: every step of the arithmetic behind one output, with ranges and sources."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    from gwcalc.analysis.by_year_explain import ByYearExplanation
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

    OUTPUT: a gap output (wafers_per_year, supply_per_year, demand, gap,
    coverage, years_to_cover); an economics output per GW (default set
    market-2026; --year for figures given by year): capex_per_gw,
    hardware_per_gw, facility_capex_per_gw, depreciation_per_gw_year,
    capital_cost_per_gw_year, energy_per_gw_year, opex_per_gw_year,
    cost_per_gw_year, revenue_per_gw_year, margin_per_gw_year, payback_years,
    cost_per_gpu_hour, break_even_utilization, break_even_price; one of the
    revenue gap by year (--year required): ai_capex, depreciation,
    revenue_needed, revenue_gap, revenue_covered, revenue_needed_sequoia,
    revenue_gap_sequoia, revenue_covered_sequoia; or a flows output:
    round_trip_share and net_external_revenue (--party SELLER), warrant_value
    (--flow NAME), --year for a year's part. Each figure read is shown with
    its value, unit, range, source and whether it is implied (no source
    states it), then each step with its formula and the values in.

    \b
    Examples:
      gwcalc explain supply_per_year
      gwcalc explain gap -a independent-2026
      gwcalc explain coverage -a independent-2026 --set gpus_per_gw=330k..478k --json
      gwcalc explain payback_years -a market-2026 --set utilization=70%
      gwcalc explain revenue_gap --year 2027 -a market-2026
      gwcalc explain warrant_value --flow 'AMD–OpenAI warrant' --set amd_share_price=600
    """
    family = scoped_family(output_name, year, party, flow)
    aset = load_for(family, set_name, assumptions_dir, overrides)
    _explained(family, output_name, aset, (unit, year, party, flow), fmt)


def _explained(
    family: str,
    output: str,
    aset: AssumptionSet,
    how: tuple[str, str | None, str | None, str | None],
    fmt: str,
) -> None:
    """The explanation of the output's family, shown in the format asked for."""
    from gwcalc import api

    unit, year, party, flow = how
    if family == "flows":
        _show_flows(api.flows_explain(output, aset, party, flow, year), fmt)
    elif family == "economics" and api.is_by_year_output(output):
        _show_by_year(api.by_year_explain(output, aset, year), fmt)
    elif family == "economics":
        _show_econ(api.econ_explain(output, aset, year), fmt)
    else:
        _show_gap(api.explain(output, aset, unit), fmt)


def _document(
    result: Explanation | EconExplanation | ByYearExplanation | FlowsExplanation,
    fmt: str,
    aset: AssumptionSet,
) -> bool:
    """JSON, or the overrides' note before Markdown: True when nothing is left to print."""
    from gwcalc.cli.formats import emit_document

    if emit_document(fmt, result.to_dict):
        return True
    markdown_overrides(fmt, aset)
    return False


def _show_econ(result: EconExplanation, fmt: str) -> None:
    from gwcalc.report import econ_rows as er

    views = (er.econ_explain_csv, er.econ_explain_markdown, er.econ_explain_quiet)
    if not _emitted(result, fmt, views):
        from gwcalc.cli.render_econ import print_econ_explanation

        print_econ_explanation(console(), result)


def _show_by_year(result: ByYearExplanation, fmt: str) -> None:
    from gwcalc.report import by_year_rows as br

    if not _emitted(result, fmt, (br.explain_csv, br.explain_markdown, br.explain_quiet)):
        from gwcalc.cli.render_by_year import print_by_year_explanation

        print_by_year_explanation(console(), result)


def _emitted(result: Any, fmt: str, views: tuple[Any, Any, Any]) -> bool:
    """JSON, CSV, Markdown or -q from the result's views (CSV rows, Markdown, -q lines): True
    when printed, False for a table."""
    from gwcalc.cli.formats import emit

    if _document(result, fmt, result.aset):
        return True
    csv, markdown, quiet = views
    return emit(fmt, lambda: csv(result), lambda: markdown(result), lambda: quiet(result))


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
