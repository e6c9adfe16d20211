"""The timeline as a picture: cumulative supply and demand by year (Σ supply, Σ demand as the
table shows them), p5–p95 bands when sampled, and the catch-up year or why there is none."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from gwcalc.engine.outputs import SERIES
from gwcalc.plot.files import figure_class
from gwcalc.report.scopes import verdict
from gwcalc.report.titles import OVERRIDES_AS, demand_basis, timeline_title
from gwcalc.units.registry import unit_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from gwcalc.api import TimelineResult

SUPPLY_COLOUR, DEMAND_COLOUR = "#1f77b4", "#d62728"
HEADINGS = {s.name: s.heading for s in SERIES}
WRAP = 110  # characters a line of the title and the caption


def timeline_figure(result: TimelineResult, overrides_as: str = OVERRIDES_AS) -> Figure:
    """Σ supply and Σ demand by year in the timeline's unit, titled with the set and scopes
    (its overrides introduced by overrides_as)."""
    r, scopes = result.computed, result.scopes
    figure = figure_class()(figsize=(9.5, 6.2), layout="constrained")
    ax = figure.add_subplot()
    years = [row.year for row in r.rows]
    basis = demand_basis(scopes).removeprefix("demand")
    series = (
        ("cumulative_supply", SUPPLY_COLOUR, HEADINGS["cumulative_supply"]),
        ("cumulative_demand", DEMAND_COLOUR, HEADINGS["cumulative_demand"] + basis),
    )
    for name, colour, label in series:
        values = [getattr(row, name) for row in r.rows]
        ax.plot(years, values, marker="o", color=colour, label=label, zorder=3)
        _band(ax, result, name, colour, label)
    _catch_up(ax, result)
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlabel("year")
    ax.set_ylabel(f"{HEADINGS['cumulative_supply']}, {HEADINGS['cumulative_demand']} "
                  f"({unit_label(r.unit)})")  # fmt: skip
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    market = scopes.market
    lines = [
        timeline_title(r, scopes, overrides_as),
        f"Supply: {market.supply.describe()}",
        f"Demand: {market.demand.describe()}",
    ]
    figure.suptitle(_wrapped(lines), x=0.0, ha="left", fontsize=8.5)
    figure.supxlabel(_wrapped([verdict(r, scopes).text]), x=0.0, ha="left", fontsize=8)
    return figure


def _band(ax: Axes, result: TimelineResult, name: str, colour: str, label: str) -> None:
    """p5–p95 of one series over the samples, shaded (nothing without --samples)."""
    u = result.uncertainty
    if u is None:
        return
    years = [y.year for y in u.years]
    lows = [y.summaries[name].p5 for y in u.years]
    highs = [y.summaries[name].p95 for y in u.years]
    band = f"{label} p5–p95 ({u.samples:,} samples, seed {u.seed})"
    ax.fill_between(years, lows, highs, color=colour, alpha=0.18, label=band, linewidth=0)


def _catch_up(ax: Axes, result: TimelineResult) -> None:
    """A line at the catch-up year, or a note saying why there is none."""
    year = result.covered_in
    if year is not None:
        ax.axvline(year, color="#2ca02c", linestyle=":", linewidth=1.5, zorder=2)
        where = ("data", "axes fraction")
        ax.annotate(f"supply catches up in {year}", (year, 0.5), xycoords=where, xytext=(4, 0),
                    textcoords="offset points", color="#2ca02c", fontsize=9)  # fmt: skip
        return
    last = result.rows[-1].year
    note = {
        "not-covered": f"no catch-up by {last}",
        "no-demand-due": f"no counted demand falls due by {last}",
    }.get(result.coverage, "no covered claim: the two sides' scopes differ")
    ax.text(0.99, 0.03, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=9,
            color="#555555")  # fmt: skip


def _wrapped(lines: list[str]) -> str:
    return "\n".join(textwrap.fill(line, WRAP, subsequent_indent="  ") for line in lines)
