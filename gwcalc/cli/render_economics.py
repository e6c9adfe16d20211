"""Rich tables of `gwcalc economics`: per GW-year, per GPU-hour, and the revenue gap by year."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import print_caveats, rows_table, set_title
from gwcalc.economics import report as views
from gwcalc.report.rows import probability_text

if TYPE_CHECKING:
    from gwcalc.api import EconomicsResult


def print_economics(out: Any, result: EconomicsResult) -> None:
    """The title and basis, the two per-GW tables, the by-year table, then the caveats."""
    r, u = result.report, result.uncertainty
    year = f", figures of {r.year}" if r.year is not None else ""
    out.print(plain(f"Unit economics — {set_title(r.aset)}{year}"))
    out.print(plain(f"Basis: {views.BASIS}."))
    out.print(rows_table("Per GW of IT power, one year", views.per_gw_rows(r, u, per_hour=False)))
    out.print(rows_table("Per GPU-hour", views.per_gw_rows(r, u, per_hour=True)))
    heading = f"Revenue gap by year ({views.SCOPE})"
    out.print(rows_table(heading, views.by_year_rows(r, r.year)))
    out.print(plain(views.BY_YEAR_UNITS[0].upper() + views.BY_YEAR_UNITS[1:] + "."))
    if u is not None:
        title = f"Over {u.samples:,} samples (seed {u.seed}): the gap in $B nominal"
        out.print(rows_table(title, views.by_year_sample_rows(r, u, r.year)))
        p = probability_text(u.payback_within_life[0])
        out.print(plain(f"P(payback within it_life): {p}."))
    for caveat in (*r.by_year.caveats, *(u.caveats if u else ())):
        out.print(plain(f"Note: {caveat}."))
    print_caveats(out, r.aset)
