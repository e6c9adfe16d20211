"""`gwcalc assumptions list|show|new|check`: keep, inspect and validate assumption sets."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import click

from gwcalc.cli.options import (
    assumption_options,
    console,
    dir_option,
    emit_json,
    json_option,
    load_assumptions,
    set_option,
)


@click.group("assumptions")
def assumptions() -> None:
    """List, show, create and check assumption sets.

    Sets are looked up by name in --assumptions-dir (or $GWCALC_ASSUMPTIONS_DIR),
    then ./assumptions/, then the sets bundled with gwcalc; the first file
    NAME.toml found wins. Any command also takes a path to a .toml file.

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
@json_option
def list_sets(assumptions_dir: Path | None, as_json: bool) -> None:
    """List the sets gwcalc can find, and which one is the default.

    \b
    Examples:
      gwcalc assumptions list
      gwcalc assumptions list --assumptions-dir ~/gwcalc-sets --json
    """
    from gwcalc.assumptions import available_sets, default_set_name, search_dirs
    from gwcalc.report import envelope, set_json

    dirs = search_dirs(assumptions_dir)
    found = available_sets(dirs)
    default = default_set_name()
    if as_json:
        rows: list[dict[str, object]] = []
        for path, item in found:
            if isinstance(item, Exception):
                rows.append({"name": path.stem, "path": str(path), "error": item.message})
            else:
                rows.append(
                    {
                        **set_json(item),
                        "name": path.stem,
                        "title": item.title,
                        "parameters": len(item.parameters),
                        "default": path.stem == default,
                    }
                )
        emit_json(envelope(search_path=[str(d) for d in dirs], default=default, sets=rows))
        return

    from rich import box
    from rich.table import Table

    table = Table(
        title="Assumption sets (first of a name wins)", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("name", no_wrap=True)
    table.add_column("version", justify="right")
    table.add_column("date", no_wrap=True)
    table.add_column("parameters", justify="right")
    table.add_column("path", ratio=1, overflow="fold")
    for path, item in found:
        name = path.stem + (" (default)" if path.stem == default else "")
        if isinstance(item, Exception):
            table.add_row(name, "", "", "", f"[red]unreadable[/red]: {item.message}")
            continue
        where = str(path) if item.id == path.stem else f"{path} (id {item.id})"
        table.add_row(name, str(item.version), item.date, str(len(item.parameters)), where)
    out = console()
    out.print(table)
    out.print("Searched: " + ", ".join(str(d) for d in dirs))


@assumptions.command("show")
@click.argument("name", required=False)
@assumption_options
@json_option
def show(
    name: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    as_json: bool,
) -> None:
    """Show every parameter of a set: value, unit, source and note.

    NAME is a set name or a path to a .toml file (default: the default set).

    \b
    Examples:
      gwcalc assumptions show seed-2025
      gwcalc assumptions show ./assumptions/my-view.toml --json
    """
    from gwcalc.report import show_document

    aset = load_assumptions(_one_name(name, set_name), assumptions_dir, overrides)
    if as_json:
        emit_json(show_document(aset))
        return

    from gwcalc.cli.render import print_set

    print_set(console(), aset)


@assumptions.command("new")
@click.argument("name")
@click.option("--from", "base_name", required=True, metavar="BASE", help="The set to extend.")
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
    else ./assumptions/), or a path ending in .toml, written exactly there. The
    file is written atomically and never overwrites one that exists unless
    --force; BASE is never touched.

    \b
    Examples:
      gwcalc assumptions new pue-1.2 --from independent-2026 --set pue=1.2
      gwcalc assumptions new ./my.toml --from seed-2025 --set dies_per_gpu=2 \\
          --source "GB200 has two dies"
    """
    from gwcalc.assumptions import (
        Source,
        bundled_dir,
        derive_set,
        is_path,
        parse_override,
        resolve_set,
        write_set,
    )
    from gwcalc.errors import WriteError
    from gwcalc.report import envelope, set_json

    base = resolve_set(base_name, assumptions_dir)
    today = date or dt.date.today().isoformat()
    if is_path(name):
        target = Path(name).expanduser()
        new_id = target.stem
    else:
        target = (assumptions_dir or Path("assumptions")) / f"{name}.toml"
        new_id = name
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise click.BadParameter(
                f"{date!r} is not a date (YYYY-MM-DD)", param_hint="--date"
            ) from None
    derived = derive_set(
        base,
        new_id,
        [parse_override(o) for o in overrides],
        date=today,
        source=Source(source_title, None, today),
    )
    shipped = bundled_dir() / f"{new_id}.toml"
    if not is_path(name) and shipped.exists() and not force:
        raise WriteError(
            f"a set named {new_id!r} ships with gwcalc, and {target} would hide it",
            "pick another name (or pass --force to shadow the shipped set on purpose)",
        )
    written = write_set(derived, target, force=force, protect=base.path)
    derived = replace(derived, path=written)
    if as_json:
        emit_json(
            envelope(
                written=str(written), assumptions=set_json(derived), changes=list(derived.changes)
            )
        )
        return
    click.echo(f"Wrote {written} ({derived.id} v{derived.version}, extends {base.label})")
    for change in derived.changes:
        click.echo(f"  {change}")


@assumptions.command("check")
@click.argument("name", required=False)
@assumption_options
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Percent by which two paths between the same units may disagree.",
)
@json_option
def check(
    name: str | None,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    tolerance: float,
    as_json: bool,
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
    from gwcalc.check import check_set
    from gwcalc.report import check_document

    aset = load_assumptions(_one_name(name, set_name), assumptions_dir, overrides)
    report = check_set(aset, tolerance / 100)
    if as_json:
        emit_json(check_document(report))
    else:
        from gwcalc.cli.render import print_check

        print_check(console(), report)
    if not report.clean:
        raise click.exceptions.Exit(1)
