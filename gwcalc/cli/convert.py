"""`gwcalc convert`: a quantity through the set's rates into other units, with the chain shown."""

from __future__ import annotations

from pathlib import Path

import click

from gwcalc.cli.complete import complete_unit
from gwcalc.cli.options import (
    assumption_options,
    console,
    emit_json,
    json_option,
    load_assumptions,
    sampling_options,
    seed_for,
)


@click.command()
@click.argument("quantity")
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="UNIT",
    shell_complete=complete_unit,
    help="Unit to convert into (repeatable), e.g. gpu, die, GW, GW_facility, USD, 'GW/year'. "
    "Default: every unit the set's rates reach.",
)
@assumption_options
@sampling_options
@json_option
def convert(
    quantity: str,
    targets: tuple[str, ...],
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    samples: int | None,
    seed: int | None,
    as_json: bool,
) -> None:
    """Convert QUANTITY between wafers, GPUs, dies, GW and dollars.

    The path is found from the units through the set's rates (gpus_per_wafer,
    dies_per_gpu, gpus_per_gw, pue, hardware_cost_per_gw, …) and shown step by
    step. Wafers here are wafers of the modelled accelerator (vendor_share is
    applied only by 'gwcalc gap'). Rates convert into rates: wafer/month → GW/year.
    With --samples N, also p5, p50 and p95 of each result over the set's ranges.

    \b
    Examples:
      gwcalc convert "6 GW" --to gpu
      gwcalc convert '$1T' --to GW -a seed-2025
      gwcalc convert "75k wafer/month" --to "GW/year" --to "die/year"
      gwcalc convert "3.2M gpu" -a independent-2026 --json
      gwcalc convert "6 GW" --to gpu --set gpus_per_gw=330k..478k --samples 10000
    """
    from gwcalc import api

    seed = seed_for(samples, seed)
    aset = load_assumptions(set_name, assumptions_dir, overrides)
    result = api.convert(quantity, list(targets) or None, aset, samples, seed)
    if as_json:
        emit_json(result.to_dict())
        return

    from gwcalc.cli.render import print_conversions

    out = console()
    print_conversions(out, result, bool(targets))
    if result.uncertainty is not None:
        from gwcalc.cli.render_uncertainty import print_uncertainty

        print_uncertainty(out, result.uncertainty, {}, {})
