"""--plot FILE, shared by the commands that draw a picture: checked before any work, drawn
before the command's usual output, so that a failure prints nothing else (matplotlib is
imported only when the option is given)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from gwcalc.sets.assumption_set import AssumptionSet

F = TypeVar("F", bound=Callable[..., Any])


def _check(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """A file gwcalc can write (.svg or .png, in a folder that exists), and matplotlib there."""
    if value is None:
        return None
    from gwcalc.plot.files import PlotError, check_target, figure_class

    try:
        check_target(value)
    except PlotError as exc:
        raise click.BadParameter(exc.message, ctx, param) from exc
    figure_class()  # without the extra: one line naming it, exit 1, before any work
    return value


def plot_option(f: F) -> F:
    """--plot FILE: the command's picture as SVG or PNG (by the file's suffix)."""
    return click.option(
        "--plot",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=_check,
        metavar="FILE",
        help="Also draw the result as a picture: FILE ends in .svg or .png (needs the extra: "
        "pip install 'gwcalc[plot]').",
    )(f)


def draw(path: Path | None, picture: str, result: Any, aset: AssumptionSet) -> None:
    """The picture of result ('timeline', 'tornado' or 'flows') written to path, silently (as
    every command that succeeds, nothing on stderr); nothing without --plot (and then no
    plotting module is imported)."""
    if path is None:
        return
    from gwcalc.plot.files import save

    save(_figure(picture, result), path, keep=aset.path)


def _figure(picture: str, result: Any) -> Figure:
    from gwcalc.cli.render_common import SET_OVERRIDES  # titles as the tables': "with --set"

    if picture == "timeline":
        from gwcalc.plot.timeline import timeline_figure

        return timeline_figure(result, SET_OVERRIDES)
    if picture == "tornado":
        from gwcalc.plot.tornado import tornado_figure

        return tornado_figure(result, SET_OVERRIDES)
    from gwcalc.plot.flows import flows_figure

    return flows_figure(result)
