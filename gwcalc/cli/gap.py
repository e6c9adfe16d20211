"""`gwcalc gap`: a year of supply against contracted demand, as a table or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from gwcalc.cli.complete import complete_unit
from gwcalc.cli.options import assumption_options, console, format_options, load_assumptions


@click.command()
@click.option(
    "--unit",
    default="GW",
    show_default=True,
    metavar="UNIT",
    shell_complete=complete_unit,
    help="Measure supply and demand in this unit: GW (IT power), GW_facility, gpu, die, USD…",
)
@click.option(
    "--demand",
    metavar="QUANTITY",
    help="Use this demand instead of the set's contracted_spend, e.g. '26 GW' or "
    "'1.4T USD_all_in' (plain $ or USD means hardware-only dollars).",
)
@assumption_options
@format_options
def gap(
    unit: str,
    demand: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    fmt: str,
) -> None:
    """Compare a year of supply with contracted demand.

    Supply per year = cowos_wafers_per_year × vendor_share → GPUs → GW (through
    the set's rates). Demand = contracted_spend → GW. Gap = demand − one year
    of supply; coverage = one year of supply ÷ demand; years to cover = demand
    ÷ supply per year. -q prints each output as 'name value [unit]', e.g.
    'gap 36.5 GW_IT' and 'coverage 27.0%'.

    \b
    Examples:
      gwcalc gap
      gwcalc gap -a independent-2026 --unit GW_facility
      gwcalc gap -a independent-2026 --set contracted_spend='1.4T USD_all_in' --json
      gwcalc gap --demand "26 GW"
      gwcalc gap -q --unit gpu
    """
    from gwcalc import api

    aset = load_assumptions(set_name, assumptions_dir, overrides)
    result = api.gap(aset, unit, demand)
    from gwcalc.cli.formats import emit, emit_document

    if emit_document(fmt, result.to_dict):
        return
    from gwcalc import rows

    g = result.gap
    if emit(
        fmt, lambda: rows.gap_csv(g), lambda: [rows.gap_markdown(g)], lambda: rows.gap_quiet(g)
    ):
        return

    from gwcalc.cli.render import print_gap

    print_gap(console(), g)
