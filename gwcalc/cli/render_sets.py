"""Rich tables of `gwcalc assumptions list|show|check`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import print_caveats, set_title, value_cell
from gwcalc.cli.render_timeline import print_time_axis
from gwcalc.sets.assumption_set import AssumptionSet

if TYPE_CHECKING:
    from pathlib import Path

    from gwcalc.analysis.check import CheckReport
    from gwcalc.sets.find import SetListing


def print_set(out: Any, aset: AssumptionSet) -> None:
    """`gwcalc assumptions show`: every parameter with its value, source and note."""
    out.print(aset.title, style="bold")
    out.print(set_title(aset))
    if aset.extends:
        out.print(f"extends {aset.extends}")
    if aset.description:
        out.print(aset.description)
    table = Table(show_lines=True)
    table.add_column("parameter", style="bold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("source and note", overflow="fold")
    for pname, param in aset.parameters.items():
        text = param.source.cite()
        if param.note:
            text += "\n" + param.note
        if param.implied:
            text = "IMPLIED: no source states this figure; the note gives the reasoning.\n" + text
        table.add_row(pname, value_cell(param), text)
    out.print(table)
    if aset.timeline is not None:
        print_time_axis(out, aset)
    print_caveats(out, aset)


def print_check(out: Any, report: CheckReport) -> None:
    """`gwcalc assumptions check`: one row per finding, then clean or not."""
    table = Table(title=f"check {set_title(report.aset)}", title_justify="left")
    table.add_column("level")
    table.add_column("parameters", overflow="fold")
    table.add_column("finding", overflow="fold")
    colour = {"error": "red", "warning": "yellow", "ok": "green"}
    for f in report.findings:
        table.add_row(plain(f.level, colour[f.level]), ", ".join(f.parameters), f.message)
    out.print(table)
    print_caveats(out, report.aset)
    out.print("clean" if report.clean else "NOT clean: see the errors above")


def print_set_list(out: Any, listing: SetListing) -> None:
    """`gwcalc assumptions list`: each set and its folder, the unreadable files' errors and the
    folders searched."""
    from rich import box

    table = Table(
        title="Assumption sets (first of a name wins)", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("name", no_wrap=True)
    table.add_column("version", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("parameters", justify="right", no_wrap=True)
    table.add_column("from", ratio=1, min_width=17)  # a folder's short name: paths come below
    labels = folder_labels(listing.dirs)
    unreadable: list[str] = []
    for listed in listing.sets:
        item, path = listed.item, listed.path
        name = listed.ref + (" (default)" if listed.default else "")
        where = labels.get(path.parent, str(path.parent))
        if not isinstance(item, AssumptionSet):
            table.add_row(name, "", "", "", f"{where}: unreadable (see below)", style="red")
            unreadable.append(f"  {path.stem}: {item.message}")
            continue
        where += "" if item.id == listed.ref.split("@")[0] else f" (id {item.id})"
        table.add_row(name, str(item.version), item.date, str(len(item.parameters)), where)
    out.print(table)
    timeline = next((s.ref for s in listing.sets if s.timeline_default), listing.timeline_default)
    out.print(plain(f"timeline's default: {timeline}"))
    lines = [f"  {labels[d]}: {d}" for d in listing.dirs]
    for title, text in (("Unreadable:", unreadable), ("Searched, in this order:", lines)):
        if text:  # soft_wrap: a path is never broken across lines
            out.print(title + "\n" + "\n".join(text), soft_wrap=True, markup=False)


def folder_labels(dirs: list[Path]) -> dict[Path, str]:
    """A short name for each search folder, as `assumptions list` shows it."""
    from pathlib import Path

    from gwcalc.sets.find import bundled_dir
    from gwcalc.sets.paths import user_sets_dir

    def same(a: Path, b: Path) -> bool:
        try:
            return a.resolve() == b.resolve()
        except (OSError, RuntimeError, ValueError):
            return False

    labels: dict[Path, str] = {}
    for d in dirs:
        if same(d, bundled_dir()):
            labels[d] = "bundled"
        elif same(d, Path("assumptions")):
            labels[d] = "./assumptions"
        elif same(d, user_sets_dir()):
            labels[d] = "your folder"
        else:
            labels[d] = "--assumptions-dir"
    return labels
