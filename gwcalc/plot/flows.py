"""The money as a picture: parties on a circle (sized by the money they moved), each counted
flow an arrow labelled with its kind and amount; investment dashed, payments solid, coloured
by kind, as `gwcalc flows --format dot` draws them."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

from gwcalc.plot.files import figure_class
from gwcalc.report.flows_graph import COLOURS, edge_label, graph_title, parties_moved
from gwcalc.units.registry import format_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from gwcalc.money.compute import FlowsReport
    from gwcalc.money.select import CountedFlow

Point = tuple[float, float]
BEND = 0.12  # arc3's rad: an arrow and its reverse (or a second flow) curve apart
POINTS_PER_UNIT = 270  # about: a 12-inch figure over the layout's 2.7 units, for arrow ends


def circle_layout(names: list[str]) -> dict[str, Point]:
    """Each name on the unit circle, the first at the top, clockwise (one alone: the centre)."""
    if len(names) <= 1:
        return {name: (0.0, 0.0) for name in names}
    step = 2 * math.pi / len(names)
    return {n: (math.sin(i * step), math.cos(i * step)) for i, n in enumerate(names)}


def flows_figure(report: FlowsReport) -> Figure:
    """Every counted flow shown by `gwcalc flows` (for the party and year chosen)."""
    parties = parties_moved(report)
    at = circle_layout([name for name, _ in parties])
    figure = figure_class()(figsize=(12, 12), layout="constrained")
    ax = figure.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    largest = max((m for _, m in parties), default=0.0) or 1.0
    # area proportional to the money moved, as in the DOT
    radii = {name: 0.05 + 0.08 * math.sqrt(moved / largest) for name, moved in parties}
    for name, moved in parties:
        x, y = at[name]
        ax.add_patch(_circle((x, y), radii[name]))
        ax.text(x, y, f"{name}\n{format_number(moved)}", ha="center", va="center", fontsize=8.5,
                fontweight="bold", zorder=6)  # fmt: skip
    seen: dict[tuple[str, str], int] = {}
    for c in report.counted:
        pair = (c.flow.payer, c.flow.payee)
        seen[pair] = seen.get(pair, 0) + 1
        ends = (at[c.flow.payer], at[c.flow.payee])
        _arrow(ax, c, ends, (radii[pair[0]], radii[pair[1]]), BEND * seen[pair])
    ax.set_xlim(-1.35, 1.35)
    ax.set_ylim(-1.35, 1.35)
    _legend(figure, report)
    title = textwrap.fill(graph_title(report), 120, subsequent_indent="  ")
    figure.suptitle(title, x=0.0, ha="left", fontsize=9)
    return figure


def _circle(centre: Point, radius: float):  # type: ignore[no-untyped-def]  # a matplotlib Circle
    from matplotlib.patches import Circle

    return Circle(centre, radius, facecolor="#f2f2f2", edgecolor="#555555", zorder=3)


def _arrow(ax: Axes, c: CountedFlow, ends: tuple[Point, Point], radii: Point, bend: float) -> None:
    """One flow from edge to edge of its parties' circles, curved by bend, its label at the
    middle of the curve."""
    from matplotlib.patches import FancyArrowPatch

    start, end = ends
    colour = COLOURS[c.flow.kind]
    style = "--" if c.flow.investment else "-"
    shrink = [r * POINTS_PER_UNIT + 2 for r in radii]
    arrow = FancyArrowPatch(start, end, connectionstyle=f"arc3,rad={bend}", arrowstyle="-|>",
                            mutation_scale=14, color=colour, linestyle=style, linewidth=1.2,
                            shrinkA=shrink[0], shrinkB=shrink[1], zorder=2)  # fmt: skip
    ax.add_patch(arrow)
    # the middle of arc3's quadratic curve: the chord's midpoint moved by bend/2 across it
    (x1, y1), (x2, y2) = start, end
    mid = ((x1 + x2) / 2 + bend / 2 * (y2 - y1), (y1 + y2) / 2 - bend / 2 * (x2 - x1))
    ax.text(*mid, edge_label(c), color=colour, fontsize=6.5, ha="center", va="center", zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5})  # fmt: skip


def _legend(figure: Figure, report: FlowsReport) -> None:
    """The kinds drawn, each in its colour and line style."""
    from matplotlib.lines import Line2D

    kinds = {c.flow.kind: c.flow.investment for c in report.counted}
    handles = [
        Line2D([], [], color=COLOURS[k], linestyle="--" if invest else "-", label=k)
        for k, invest in sorted(kinds.items())
    ]
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4),
                      fontsize=8, title="dashed: investment; solid: payment")  # fmt: skip
