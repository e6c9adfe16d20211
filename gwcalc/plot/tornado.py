"""A sensitivity as a tornado: for each ranged input, a bar from the output at its low to the
output at its high around the point value, the largest swing on top."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

from gwcalc.plot.files import figure_class
from gwcalc.report.titles import OVERRIDES_AS, set_title
from gwcalc.units.registry import format_number, unit_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from gwcalc.uncertainty.econ_sensitivity import EconSensitivity
    from gwcalc.uncertainty.sensitivity import Effect, Sensitivity
    from gwcalc.units.registry import Unit

LOW_COLOUR, HIGH_COLOUR = "#4c72b0", "#dd8452"


def tornado_figure(
    result: Sensitivity | EconSensitivity, overrides_as: str = OVERRIDES_AS
) -> Figure:
    """The tornado of `gwcalc sensitivity`, its axis the output's label and unit, its title the
    set's (its overrides introduced by overrides_as)."""
    effects = result.effects  # sorted by |swing|, largest first: drawn top down
    figure = figure_class()(figsize=(9, 1.6 + 0.55 * max(len(effects), 1)), layout="constrained")
    ax = figure.add_subplot()
    point = result.point
    for row, effect in enumerate(effects):
        y = len(effects) - 1 - row
        if effect.output_at_low == effect.output_at_high == point:
            _note(ax, y, point, "no swing")
            continue
        ends = ((effect.output_at_low, LOW_COLOUR), (effect.output_at_high, HIGH_COLOUR))
        for value, colour in ends:
            _half_bar(ax, y, point, value, colour, _end_text(result, value))
    ax.axvline(point, color="black", linewidth=1)
    ax.set_yticks(range(len(effects)), [_input_label(e) for e in reversed(effects)], fontsize=8)
    _output_axis(ax, result)
    ax.grid(True, axis="x", alpha=0.3)
    from matplotlib.patches import Patch

    keys = [Patch(color=LOW_COLOUR, label="output at the input's low"),
            Patch(color=HIGH_COLOUR, label="output at the input's high")]  # fmt: skip
    figure.legend(handles=keys, loc="outside lower center", ncols=2, fontsize=8)
    ax.set_ylim(-0.6, len(effects) - 0.4)
    ax.margins(x=0.12)  # room for the labels at the bars' ends
    head = f"Sensitivity of {result.label} — {set_title(result.aset, overrides_as)}"
    at = f"{result.label} at every figure's value: {result.text(point)} (the black line)"
    lines = (textwrap.fill(line, 105, subsequent_indent="  ") for line in (head, at))
    figure.suptitle("\n".join(lines), x=0.0, ha="left", fontsize=9)
    return figure


def _half_bar(ax: Axes, y: int, point: float, value: float, colour: str, text: str) -> None:
    """From the point to one end's output, labelled with it (an infinite end: its label only)."""
    if not math.isfinite(value):
        _note(ax, y, point, text)
        return
    ax.barh(y, value - point, left=point, color=colour, height=0.6)
    side = "left" if value >= point else "right"
    ax.annotate(text, (value, y), xytext=(3 if side == "left" else -3, 0),
                textcoords="offset points", ha=side, va="center", fontsize=7)  # fmt: skip


def _note(ax: Axes, y: int, point: float, text: str) -> None:
    ax.annotate(text, (point, y), xytext=(6, 0), textcoords="offset points", va="center",
                fontsize=7, color="#555555")  # fmt: skip


def _output_axis(ax: Axes, result: Sensitivity | EconSensitivity) -> None:
    """The output's label and unit; a share (no unit) in percent, as the tables show it."""
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    unit = _unit(result.quantity(1.0).units)
    if unit:  # numbers as the tables write them ('400B', '1.2T'), the unit on the axis
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, 3)))
        ax.set_xlabel(f"{result.label} ({unit})")
        return

    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(f"{result.label} (%)")


def _end_text(result: Sensitivity | EconSensitivity, value: float) -> str:
    """A bar end's output: a share as the tables show it ('27.0%'), a quantity as its number
    (its unit is the axis's), an infinite one in words."""
    if _unit(result.quantity(1.0).units) and math.isfinite(value):
        return format_number(value, 4)
    return result.text(value)


def _unit(units: Unit) -> str:
    text = unit_text(units)
    return "" if text == "dimensionless" else text


def _input_label(effect: Effect) -> str:
    """'gpus_per_gw\n330k … 478k gpu/GW_IT': the input and the range it moves over."""
    low, high = (format_number(float(q.magnitude), 3) for q in (effect.low, effect.high))
    unit = _unit(effect.high.units)
    return f"{effect.name}\n{low} … {high}" + (f" {unit}" if unit else "")
