"""The flows outputs on `sensitivity` and `explain`: their --party and --flow options (refused
for outputs that do not take them) and explain's table of one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from gwcalc.analysis.flows_explain import FlowsExplanation

F = TypeVar("F", bound=Callable[..., Any])

# gwcalc.money.outputs.FLOW_OUTPUTS: what each takes (not imported: --help stays light)
TAKES = {"round_trip_share": "party", "net_external_revenue": "party", "warrant_value": "flow"}
FLOW_OUTPUTS_TEXT = "round_trip_share and net_external_revenue (--party SELLER), warrant_value "
FLOW_OUTPUTS_TEXT += "(--flow NAME)"


def scope_options(f: F) -> F:
    """--party NAME and --flow NAME: whose flows output (a seller's, or a warrant's)."""
    f = click.option(
        "--flow",
        metavar="NAME",
        help="For warrant_value: the warrant flow, e.g. --flow 'AMD–OpenAI warrant'.",
    )(f)
    return click.option(
        "--party",
        metavar="NAME",
        help="For round_trip_share and net_external_revenue: the seller, e.g. --party AMD.",
    )(f)


def scoped_family(output: str, year: str | None, party: str | None, flow: str | None) -> str:
    """The output's family (api_family: 'gap', 'economics' or 'flows'), with --party and
    --flow checked against it."""
    from gwcalc.cli.options import api_family

    family = api_family(output, year)
    check_scope(family, output, party, flow)
    _refuse_unit(family, output)
    return family


def _refuse_unit(family: str, output: str) -> None:
    """--unit given for an output that is not the gap's: it would change nothing (economics and
    flows outputs are in their own units), so it is refused."""
    from click.core import ParameterSource

    ctx = click.get_current_context(silent=True)
    if ctx is None or family == "gap" or "unit" not in ctx.params:
        return
    if ctx.get_parameter_source("unit") not in (ParameterSource.DEFAULT, None):
        raise click.UsageError(
            f"--unit is for the gap's outputs; {output} is one of the {family} outputs, shown in "
            "its own unit (the table and JSON name it)"
        )


def check_scope(family: str, output: str, party: str | None, flow: str | None) -> None:
    """--party for a seller's output, --flow for a warrant's; either elsewhere is refused."""
    given = {"party": party, "flow": flow}
    if family != "flows":
        for option, value in given.items():
            if value is not None:
                raise click.UsageError(
                    f"--{option} is for the flows outputs ({FLOW_OUTPUTS_TEXT}), not the "
                    f"{family} output {output}"
                )
        return
    takes = TAKES[output]
    for option, value in given.items():
        if option != takes and value is not None:
            raise click.UsageError(f"{output} takes --{takes}, not --{option}")
    if given[takes] is None:
        what = "seller" if takes == "party" else "warrant flow"
        raise click.UsageError(f"{output} needs --{takes}: the {what} whose {output} to study")


def print_flows_explanation(out: Any, result: FlowsExplanation) -> None:
    """explain of a flows output for people: the flows it reads, the figures, the steps."""
    from gwcalc.cli.output import plain
    from gwcalc.cli.render_common import rows_table, set_title
    from gwcalc.cli.render_flows import print_flow_caveats
    from gwcalc.report import flows_explain_rows as fr

    year = f" in {result.year}" if result.year is not None else ""
    out.print(plain(f"{result.label}{year} — {set_title(result.aset)}", "bold"))
    out.print(plain(f"Counted statuses: {', '.join(result.report.selection.statuses)}."))
    out.print(rows_table("Flows", fr.flow_rows(result), out.width))
    if result.parameters:
        out.print(rows_table("Figures", fr.figure_rows(result), out.width))
    out.print(rows_table("Steps", fr.steps_for_people(result), out.width))
    out.print(plain(fr.NOTE))
    print_flow_caveats(out, result.aset)
