"""`gwcalc assumptions list|show|new|check`: keep, inspect and validate assumption sets."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gwcalc.cli.base import GwcalcGroup
from gwcalc.cli.complete import complete_set
from gwcalc.cli.options import (
    assumption_options,
    console,
    dir_option,
    emit_json,
    format_options,
    json_option,
    load_assumptions,
    parse_overrides,
    set_option,
)
from gwcalc.cli.output import echo

if TYPE_CHECKING:
    pass


@click.group("assumptions", cls=GwcalcGroup)  # its commands refuse a repeated option too
def assumptions() -> None:
    """List, show, create and check assumption sets.

    Sets are looked up by name in --assumptions-dir (or $GWCALC_ASSUMPTIONS_DIR),
    then ./assumptions/, then your own folder (~/.config/gwcalc/assumptions on
    Linux; 'assumptions list' shows it), then the sets bundled with gwcalc; the
    first file NAME.toml found wins. Any command also takes a path to a .toml file.

    \b
    Examples:
      gwcalc assumptions list
      gwcalc assumptions show independent-2026
      gwcalc assumptions new my-view --from independent-2026 --set pue=1.2
      gwcalc assumptions check my-view
    """


def _one_name(name: str | None, set_name: str | None) -> str | None:
    if name is not None and set_name is not None:
        raise click.UsageError(f"give the set once: NAME ({name}) or -a ({set_name}), not both")
    return name if name is not None else set_name


@assumptions.command("list")
@dir_option
@format_options
def list_sets(assumptions_dir: Path | None, fmt: str) -> None:
    """List the sets gwcalc can find, and which one is the default.

    \b
    Examples:
      gwcalc assumptions list
      gwcalc assumptions list --assumptions-dir ~/gwcalc-sets --json
    """
    from gwcalc import api
    from gwcalc.cli.formats import emit, emit_document
    from gwcalc.report.documents import list_document
    from gwcalc.report.rows import list_rows

    listing = api.list_sets(assumptions_dir)
    document = list_document(listing)
    rows = document["sets"]
    if emit_document(fmt, lambda: document) or emit(
        fmt, lambda: list_rows(rows), lambda: [list_rows(rows)], lambda: [r["name"] for r in rows]
    ):
        return

    from gwcalc.cli.render_sets import print_set_list

    print_set_list(console(), listing)


@assumptions.command("show")
@click.argument("name", required=False, shell_complete=complete_set)
@assumption_options
@format_options
def show(
    name: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    fmt: str,
) -> None:
    """Show every parameter of a set: value, unit, source and note.

    NAME is a set name or a path to a .toml file (default: the default set).

    \b
    Examples:
      gwcalc assumptions show seed-2025
      gwcalc assumptions show my-view --json
      gwcalc assumptions show seed-2025 -q
    """
    from gwcalc.cli.formats import emit, emit_document
    from gwcalc.report import rows
    from gwcalc.report.documents import show_document

    aset = load_assumptions(_one_name(name, set_name), assumptions_dir, overrides)
    if emit_document(fmt, lambda: show_document(aset)) or emit(
        fmt, lambda: rows.show_csv(aset), lambda: [rows.show_markdown(aset)],
        lambda: rows.show_quiet(aset),
    ):  # fmt: skip
        return

    from gwcalc.cli.render_sets import print_set

    print_set(console(), aset)


@assumptions.command("new")
@click.argument("name")
@click.option(
    "--from",
    "base_name",
    required=True,
    metavar="BASE",
    shell_complete=complete_set,
    help="The set to extend.",
)
@set_option
@dir_option
@click.option(
    "--source",
    "source_title",
    default="user's own figure (gwcalc assumptions new --set)",
    show_default=True,
    help="Source title recorded for the figures you --set.",
)
@click.option("--date", "date", metavar="YYYY-MM-DD", help="Date of the new set (default: today).")
@click.option("--force", is_flag=True, help="Overwrite NAME if it exists.")
@json_option
def new(
    name: str,
    base_name: str,
    overrides: tuple[str, ...],
    assumptions_dir: Path | None,
    source_title: str,
    date: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Write a new set NAME that extends BASE with some parameters changed.

    The new set records what it extends (id, version and sha256) and what
    changed, keeps every other figure's source, and takes BASE's version + 1.
    NAME is a set name, written to --assumptions-dir (or $GWCALC_ASSUMPTIONS_DIR,
    else your own folder, found from any folder: see 'assumptions list'; a
    folder that does not exist yet is created), or a path ending in .toml,
    written exactly there. The file is written atomically with mode 0644, then
    read back from disk and compared before success is reported. It never
    overwrites a file that exists unless --force, never takes the name of a set
    shipped with gwcalc unless --force, and never writes into the folder of
    shipped sets (not even with --force, not even from a git checkout, whose
    assumptions/ folder is that folder); BASE is never touched.

    \b
    Examples:
      gwcalc assumptions new pue-1.2 --from independent-2026 --set pue=1.2
      gwcalc assumptions new ./my.toml --from seed-2025 --set dies_per_gpu=2 \\
          --source "GB200 has two dies"
    """
    today = _new_set_date(date)
    from gwcalc import api

    base, derived = api.new_set(
        name, base_name, parse_overrides(overrides), assumptions_dir,
        today=today, source=source_title, force=force,
    )  # fmt: skip
    if as_json:
        from gwcalc.report.documents import new_document

        emit_json(new_document(derived))
        return
    echo(f"Wrote {derived.path} ({derived.id} v{derived.version}, extends {base.label})")
    for change in derived.changes:
        echo(f"  {change}")


def _new_set_date(date: str | None) -> str:
    """--date, checked (today when not given)."""
    from gwcalc.errors import ParameterError
    from gwcalc.sets.field_checks import check_date

    try:
        return check_date(date) if date is not None else dt.date.today().isoformat()
    except ParameterError as exc:
        raise click.BadParameter(f"{exc.message} ({exc.hint})", param_hint="--date") from None


# Unsubscripted at run time: click 8.2–8.4 make ParamType generic in one type, 8.5 in two, so
# `click.ParamType[float, object]` failed to import on an older click that pyproject allows.
class _TolerancePct(click.ParamType):  # type: ignore[type-arg]
    """A tolerance that lets a check fail: a finite percentage, at least 0 and below 100."""

    name = "PERCENT"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            number = float(str(value))
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and 0 <= number < 100):
            self.fail(
                f"{value!r} is not a tolerance: give a percentage from 0 up to (not including) 100"
            )
        return number


@assumptions.command("check")
@click.argument("name", required=False, shell_complete=complete_set)
@assumption_options
@click.option(
    "--tolerance",
    type=_TolerancePct(),
    default=1.0,
    show_default=True,
    help="Percent by which two paths between the same units may disagree (0 to below 100).",
)
@format_options
def check(
    name: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    tolerance: float,
    fmt: str,
) -> None:
    """Validate a set; report rates given twice whose paths disagree.

    Loading already checks each figure's unit, range and source. check adds
    the over-determined rates: where two chains of rates connect the same
    two units (say hardware_cost_per_gw, and gpu_price with gpus_per_gw), it
    reports how far apart they land. Exit 0 when clean, 1 when not.

    \b
    Examples:
      gwcalc assumptions check independent-2026
      gwcalc assumptions check independent-2026 --set gpu_price='43k USD/gpu'
    """
    from gwcalc import api
    from gwcalc.cli.formats import emit, emit_document
    from gwcalc.report.documents import check_document
    from gwcalc.report.rows import check_rows

    aset = load_assumptions(_one_name(name, set_name), assumptions_dir, overrides)
    report = api.check_set(aset, tolerance / 100)
    quiet = ["clean" if report.clean else "not clean"]
    shown = emit_document(fmt, lambda: check_document(report)) or emit(
        fmt, lambda: check_rows(report), lambda: [check_rows(report)], lambda: quiet
    )
    if not shown:
        from gwcalc.cli.render_sets import print_check

        print_check(console(), report)
    if not report.clean:
        raise click.exceptions.Exit(1)
