"""`gwcalc convert`: a quantity through the set's rates into other units, with the chain shown."""

from __future__ import annotations

from pathlib import Path

import click

from gwcalc.cli.complete import complete_unit
from gwcalc.cli.options import assumption_options, console, emit_json, json_option, load_assumptions


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
@json_option
def convert(
    quantity: str,
    targets: tuple[str, ...],
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    as_json: bool,
) -> None:
    """Convert QUANTITY between wafers, GPUs, dies, GW and dollars.

    The path is found from the units through the set's rates (gpus_per_wafer,
    dies_per_gpu, gpus_per_gw, pue, hardware_cost_per_gw, …) and shown step by
    step. Wafers here are wafers of the modelled accelerator (vendor_share is
    applied only by 'gwcalc gap'). Rates convert into rates: wafer/month → GW/year.

    \b
    Examples:
      gwcalc convert "6 GW" --to gpu
      gwcalc convert '$1T' --to GW -a seed-2025
      gwcalc convert "75k wafer/month" --to "GW/year" --to "die/year"
      gwcalc convert "3.2M gpu" -a independent-2026 --json
    """
    from gwcalc.model import convert as run_conversion
    from gwcalc.model import related_units
    from gwcalc.report import conversion_json, envelope, quantity_json, set_json
    from gwcalc.units import parse_quantity, parse_unit

    aset = load_assumptions(set_name, assumptions_dir, overrides)
    q = parse_quantity(quantity)
    units = [parse_unit(t) for t in targets] if targets else related_units(q, aset)
    results = [run_conversion(q, u, aset) for u in units]
    if as_json:
        emit_json(
            envelope(
                assumptions=set_json(aset),
                input=quantity_json(q),
                results=[conversion_json(c, aset) for c in results],
            )
        )
        return

    from rich.table import Table

    from gwcalc.cli.render import basis_of, legend, parameters_table, print_caveats, set_title
    from gwcalc.report import chain_text
    from gwcalc.units import format_quantity

    table = Table(title=f"{format_quantity(q)} — {set_title(aset)}", title_justify="left")
    table.add_column("result", justify="right", style="bold")
    table.add_column("counts")
    table.add_column("chain (check the arithmetic)", overflow="fold")
    for conv in results:
        if not targets and not conv.steps and conv.result.units == q.units:
            continue  # the input itself, unchanged
        table.add_row(
            format_quantity(conv.result),
            basis_of(conv.result),
            chain_text(q, conv.steps, aset, conv.result),
        )
    out = console()
    out.print(table)
    print_caveats(out, aset)
    used = [name for conv in results for name in conv.path]
    out.print(legend([q, *(c.result for c in results), *(aset.quantity(n) for n in used)]))
    if used:
        out.print(parameters_table(aset, used))
