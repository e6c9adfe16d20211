"""Rich tables of `gwcalc economics`: per GW-year, per GPU-hour, and the revenue gap by year."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import natural_width, print_caveats, rows_table, set_title
from gwcalc.econ import views
from gwcalc.econ.report import BASIS, SCOPE, figures_text
from gwcalc.report.rows import Rows, probability_text

if TYPE_CHECKING:
    from gwcalc.api import EconomicsResult
    from gwcalc.econ.compute import EconomicsReport


def print_economics(out: Any, result: EconomicsResult) -> None:
    """The title and basis, the two per-GW tables, the by-year table, then the caveats."""
    r, u = result.report, result.uncertainty
    out.print(plain(f"Unit economics — {set_title(r.aset)}, {figures_text(r)}"))
    out.print(plain(f"Basis: {BASIS}."))
    width = out.width
    per_gw = views.per_gw_rows(r, u, per_hour=False)
    out.print(rows_table(f"Per GW of IT power, one year, {figures_text(r)}", per_gw, width))
    out.print(rows_table("Per GPU-hour", views.per_gw_rows(r, u, per_hour=True), width))
    heading = f"Revenue gap by year ({SCOPE})"
    out.print(rows_table(heading, by_year_layout(r, width), width))
    out.print(plain(views.BY_YEAR_UNITS[0].upper() + views.BY_YEAR_UNITS[1:] + "."))
    floors = views.floor_note(r)
    if floors:
        out.print(plain(floors + "."))
    if u is not None:
        title = f"Over {u.samples:,} samples (seed {u.seed}): the gap in $B nominal"
        out.print(rows_table(title, views.by_year_sample_rows(r, u), width))
        p = probability_text(u.payback_within_life[0])
        out.print(plain(f"P(payback within it_life): {p}."))
    for caveat in (*r.caveats, *(u.caveats if u else ())):
        out.print(plain(f"Note: {caveat}."))
    print_caveats(out, r.aset)


def by_year_layout(r: EconomicsReport, width: int) -> Rows:
    """A row a year where that fits `width`, else a column a year (labels fold, numbers never)."""
    rows = views.by_year_rows(r)
    return rows if natural_width(rows) <= width else views.by_year_columns(r)
