"""`gwcalc sensitivity`: which ranged figure moves a gap output most (a tornado)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from gwcalc.cli.complete import BY_YEAR_ECON_OUTPUTS, ECON_OUTPUTS, complete_output
from gwcalc.cli.flow_outputs import FLOW_OUTPUTS_TEXT, scope_options, scoped_family
from gwcalc.cli.options import (
    WholeNumber,
    assumption_options,
    check_samples_option,
    console,
    format_options,
    load_for,
    markdown_overrides,
    unit_option,
    year_option,
)
from gwcalc.cli.plot_option import draw, plot_option

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.econ_sensitivity import EconSensitivity
    from gwcalc.uncertainty.sensitivity import Sensitivity


@click.command()
@click.option(
    "--output",
    "output_name",
    default="coverage",
    show_default=True,
    metavar="NAME",
    shell_complete=complete_output,
    help="The output to study. Of the gap: supply_per_year, demand, gap, coverage, "
    "years_to_cover. Per GW of the economics model (a set with its figures, default "
    "market-2026): "
    + ECON_OUTPUTS
    + ". The market's revenue gap by year (with --year): "
    + BY_YEAR_ECON_OUTPUTS
    + ". Of the flows (default set market-2026): "
    + FLOW_OUTPUTS_TEXT
    + ".",
)
@unit_option
@click.option(
    "--samples",
    type=WholeNumber(),
    callback=check_samples_option,
    default=20_000,
    show_default=True,
    metavar="N",
    help="Samples for the variance shares when they have no closed form (1 to 1,000,000).",
)
@click.option(
    "--seed",
    type=WholeNumber(0, 2**63 - 1),
    default=20261202,
    show_default=True,
    metavar="S",
    help="Seed of those samples.",
)
@year_option
@scope_options
@assumption_options
@format_options
@plot_option
def sensitivity(
    output_name: str,
    unit: str,
    samples: int,
    seed: int,
    year: str | None,
    party: str | None,
    flow: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    fmt: str,
    plot: Path | None,
) -> None:
    """Rank the figures with a range by how much they move one output.

    For each parameter with a range (in the set, or given with --set
    NAME=LOW..HIGH): the output at its low and at its high with every other
    figure at its value (a tornado, sorted by the swing), and its share of
    the output's variance: where the output is a product of independent
    figures, exact shares of the variance of its log (eᵢ²·Var(ln Xᵢ) / Σ),
    else first-order shares from seeded samples. A figure of the set the
    output does not use has zero swing and zero share; an override (--set)
    the output does not use is refused.

    An economics output (per GW: payback_years, break_even_utilization,
    margin_per_gw_year, …) is studied over the economics model's inputs
    (in --year for figures given by year), with sampled shares: its outputs
    are not products of the figures.

    The revenue gap by year (revenue_gap, …) is studied in --year (required)
    over the figures it reads then and in the years its depreciation counts.
    A flows output (--party SELLER for round_trip_share and
    net_external_revenue, --flow NAME for warrant_value; --year: a year's
    part) is studied over its warrants' share prices, with sampled shares.

    \b
    Examples:
      gwcalc sensitivity -a independent-2026 --set gpus_per_gw=330k..478k \\
          --set vendor_share=0.6..0.73 --set all_in_cost_per_gw=38B..50B
      gwcalc sensitivity --output gap --set gpus_per_gw=330k..500k --json
      gwcalc sensitivity --output payback_years -a market-2026 --samples 5000
      gwcalc sensitivity --output round_trip_share --party AMD --year 2027
    """
    family = scoped_family(output_name, year, party, flow)
    aset = load_for(family, set_name, assumptions_dir, overrides)
    scope = {"party": party, "flow": flow, "year": year}
    _show(_study(family, aset, output_name, unit, samples, seed, scope), fmt, plot)


def _study(
    family: str,
    aset: AssumptionSet,
    output: str,
    unit: str,
    samples: int,
    seed: int,
    scope: dict[str, str | None],
) -> Sensitivity | EconSensitivity:
    """The API's sensitivity of the output's family (a flows output's is an EconSensitivity)."""
    from gwcalc import api

    party, flow, year = scope["party"], scope["flow"], scope["year"]
    result: Sensitivity | EconSensitivity
    if family == "flows":
        result = api.flows_sensitivity(aset, output, party, flow, year, samples, seed)
    elif family == "economics" and api.is_by_year_output(output):
        result = api.by_year_sensitivity(aset, output, year, samples, seed)
    elif family == "economics":
        result = api.econ_sensitivity(aset, output, samples, seed, year)
    else:
        result = api.sensitivity(aset, output, unit, samples, seed)
    _check_samples_used(result, samples)
    return result


def _check_samples_used(result: Sensitivity | EconSensitivity, samples: int) -> None:
    """--samples or --seed given for exact shares (none sampled) change nothing: refused (exit
    2); sampled shares from fewer than SHARES_FROM samples: a warning on stderr."""
    from click.core import ParameterSource

    from gwcalc.cli.output import warn
    from gwcalc.uncertainty.sensitivity import BINS, SHARES_FROM

    ctx = click.get_current_context()
    if getattr(result, "exact", False):
        given = [
            f"--{name}"
            for name in ("samples", "seed")
            if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT
        ]
        if given:
            raise click.UsageError(
                f"{' and '.join(given)} change{'s' if len(given) == 1 else ''} nothing here: the "
                f"shares of {result.label} are exact (a product of independent figures), none "
                f"is sampled; leave {'it' if len(given) == 1 else 'them'} out"
            )
    elif samples < SHARES_FROM:
        warn(
            f"Warning: {samples} samples: too few for sampled variance shares (the estimate "
            f"sorts them into {BINS} bins, and with fewer than 2 in a bin every share that moves "
            f"comes out 100%). Give --samples {SHARES_FROM} or more (the default is 20,000)."
        )


def _show(result: Sensitivity | EconSensitivity, fmt: str, plot: Path | None = None) -> None:
    """The result in the format asked for (a tornado table by default)."""
    draw(plot, "tornado", result, result.aset)
    from gwcalc.cli.formats import emit, emit_document

    if emit_document(fmt, result.to_dict):
        return
    from gwcalc.report import rows

    markdown_overrides(fmt, result.aset)
    if emit(fmt, lambda: rows.sensitivity_csv(result), lambda: [rows.sensitivity_markdown(result)],
            lambda: rows.sensitivity_quiet(result)):  # fmt: skip
        return
    from gwcalc.cli.render_uncertainty import print_sensitivity

    print_sensitivity(console(), result)
