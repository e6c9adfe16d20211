"""`gwcalc gap`: a year of supply against contracted demand, as a table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gwcalc.cli.complete import complete_unit
from gwcalc.cli.options import assumption_options, console, emit_json, json_option, load_assumptions


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
@json_option
def gap(
    unit: str,
    demand: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    as_json: bool,
) -> None:
    """Compare a year of supply with contracted demand.

    Supply per year = cowos_wafers_per_year × vendor_share → GPUs → GW (through
    the set's rates). Demand = contracted_spend → GW. Gap = demand − one year
    of supply; coverage = one year of supply ÷ demand; years to cover = demand
    ÷ supply per year.

    \b
    Examples:
      gwcalc gap
      gwcalc gap -a independent-2026 --unit GW_facility
      gwcalc gap -a independent-2026 --set contracted_spend='1.4T USD_all_in' --json
      gwcalc gap --demand "26 GW"
    """
    from gwcalc.model import compute_gap
    from gwcalc.report import envelope, gap_json, set_json
    from gwcalc.units import parse_quantity

    aset = load_assumptions(set_name, assumptions_dir, overrides)
    demand_q = parse_quantity(demand) if demand is not None else None
    result = compute_gap(aset, unit, demand_q)
    if as_json:
        emit_json(envelope(assumptions=set_json(aset), **gap_json(result, aset)))
        return

    from rich.table import Table

    from gwcalc.cli.render import (
        bar,
        bar_width,
        basis_of,
        legend,
        parameters_table,
        print_caveats,
        set_title,
    )
    from gwcalc.report import chain_text
    from gwcalc.units import format_quantity

    wafers = result.wafers_per_year
    start = aset.quantity("contracted_spend") if demand_q is None else demand_q
    one_year = float(result.supply_per_year.magnitude)
    demand_value = float(result.demand.magnitude)
    scale = max(one_year, demand_value)
    coverage = float(result.coverage.magnitude)

    out = console()
    width = bar_width(out.width)
    table = Table(title=f"Supply vs contracted demand — {set_title(aset)}", title_justify="left")
    table.add_column("", max_width=None if out.width >= 80 else 10)  # narrow: labels wrap
    table.add_column("value", justify="right", style="bold", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("what it counts", ratio=1, min_width=11)
    table.add_row(
        "supply per year",
        format_quantity(result.supply_per_year),
        bar(one_year / scale, width),
        basis_of(result.supply_per_year),
    )
    demand_row = "contracted demand" if demand_q is None else "demand (--demand)"
    table.add_row(
        demand_row,
        format_quantity(result.demand),
        bar(demand_value / scale, width),
        basis_of(result.demand),
    )
    table.add_row("gap", format_quantity(result.gap), "", "demand − one year of supply")
    table.add_row(
        "coverage", f"{coverage:.1%}", bar(coverage, width), "one year of supply ÷ demand"
    )
    table.add_row(
        "years to cover",
        format_quantity(result.years_to_cover, 3),
        "",
        "demand ÷ supply per year",
    )
    out.print(table)
    print_caveats(out, aset)
    how = Table.grid(padding=(0, 1))
    how.add_column(no_wrap=True)
    how.add_column(overflow="fold")
    how.add_row(
        "  supply per year =",
        f"{format_quantity(aset.quantity('cowos_wafers_per_year'))} (cowos_wafers_per_year) × "
        f"{format_quantity(aset.quantity('vendor_share'))} (vendor_share) = "
        + chain_text(wafers, result.supply_chain, aset, result.supply_per_year),
    )
    how.add_row(
        f"  {demand_row} =",
        chain_text(
            start,
            result.demand_chain,
            aset,
            result.demand,
            "contracted_spend" if demand_q is None else "",
        ),
    )
    out.print("How:")
    out.print(how)
    used = [f.parameter for f in (*result.supply_factors, *result.demand_factors)]
    out.print(legend([result.supply_per_year, result.demand, start, wafers, *_rates(aset, used)]))
    used = [f.parameter for f in (*result.supply_factors, *result.demand_factors)]
    out.print(parameters_table(aset, used))


def _rates(aset: Any, names: list[str]) -> list[Any]:
    return [aset.quantity(n) for n in names if n in aset]
