"""Where a picture goes and how it is written: the suffix chooses SVG or PNG, the folder must
exist, the file is replaced atomically, and an SVG is the same bytes on every run."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from gwcalc.errors import GwcalcError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SUFFIXES = (".svg", ".png")
EXTRA = "pip install 'gwcalc[plot]'"
METADATA: dict[str, dict[str, str | None]] = {
    "svg": {"Date": None, "Creator": "gwcalc"},
    "png": {"Software": "gwcalc"},
}


class PlotError(GwcalcError):
    """A picture that cannot be drawn or written: no matplotlib, a bad file name or folder."""

    kind = "plot"


def check_target(path: Path) -> None:
    """Refuse a file gwcalc cannot write a picture to, before any work is done."""
    if path.suffix.lower() not in SUFFIXES:
        raise PlotError(
            f"cannot draw a picture as '{path.name}': the file must end in .svg or .png",
            hint="e.g. timeline.svg (a vector drawing) or timeline.png (an image)",
        )
    folder = path.parent
    if not folder.is_dir():
        raise PlotError(
            f"cannot write '{path}': the folder '{folder}' does not exist",
            hint="create the folder first, or give a file in an existing one",
        )


def figure_class() -> type[Figure]:
    """matplotlib's Figure with the Agg backend; without matplotlib, an error naming the extra."""
    if "numpy" in sys.modules and sys.modules["numpy"] is None:
        del sys.modules["numpy"]  # the program hides it from pint (gwcalc.__main__); matplotlib
    try:  # needs it
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise PlotError(
            "drawing a picture (--plot) needs matplotlib, which is not installed",
            hint=f"install gwcalc's plotting extra: {EXTRA}",
        ) from exc
    return Figure


def save(figure: Figure, path: Path, keep: Path | None = None) -> None:
    """Write the figure to path (SVG or PNG by its suffix) through a temporary file in the same
    folder and os.replace, so a reader never sees half a picture; never over `keep` (the
    set the picture was drawn from)."""
    check_target(path)
    if keep is not None and path.resolve() == keep.resolve():
        raise PlotError(f"refusing to write a picture over the assumption set '{keep}'")
    fmt = path.suffix.lower()[1:]
    import matplotlib

    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with (
            os.fdopen(handle, "wb") as out,
            matplotlib.rc_context(
                # SVG ids from a fixed salt, no date, text as text (searchable, small): reruns of
                # a picture are the same bytes
                {"svg.hashsalt": "gwcalc", "svg.fonttype": "none"}
            ),
        ):
            figure.savefig(out, format=fmt, metadata=METADATA[fmt], bbox_inches="tight", dpi=120)
        os.chmod(temp, 0o666 & ~_umask())  # as a plain open() would make it, not mkstemp's 0600
        os.replace(temp, path)
    except OSError as exc:
        raise PlotError(f"cannot write '{path}': {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
