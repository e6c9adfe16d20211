"""Options shared by commands (--assumptions, --set, --format/--json/-q) and their helpers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from gwcalc.cli.complete import complete_parameter, complete_set
from gwcalc.cli.output import console as console  # re-exported for the commands
from gwcalc.cli.output import emit_json as emit_json

if TYPE_CHECKING:
    from gwcalc.assumptions import AssumptionSet

F = TypeVar("F", bound=Callable[..., Any])

SET_HELP = (
    "Assumption set: a name (see 'gwcalc assumptions list') or a path to a .toml file. "
    "Default: $GWCALC_DEFAULT_SET, else seed-2025."
)


def dir_option(f: F) -> F:
    return click.option(
        "--assumptions-dir",
        type=Path,  # checked in gwcalc.assumptions.search_dirs, with gwcalc's own errors
        envvar="GWCALC_ASSUMPTIONS_DIR",
        help="Folder of sets searched first: before ./assumptions, your own folder and the "
        "bundled sets [env: GWCALC_ASSUMPTIONS_DIR].",
    )(f)


def json_option(f: F) -> F:
    from gwcalc.cli.base import JsonMode

    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        callback=JsonMode.remember,
        help="Print plain JSON on stdout (for scripts).",
    )(f)


FORMATS = ("table", "json", "jsonl", "csv", "markdown")
QUIET = "quiet"  # what a command gets as its format under -q


def format_options(f: F) -> F:
    """--format, --json (short for --format json) and -q/--quiet, defined once for every command
    that prints data; the command gets one keyword, fmt: one of FORMATS, or QUIET."""
    from gwcalc.cli.base import JsonMode

    @functools.wraps(f)
    def command(
        *args: Any, output_format: str | None, as_json: bool, quiet: bool, **kwargs: Any
    ) -> Any:
        return f(*args, fmt=_chosen_format(output_format, as_json, quiet), **kwargs)

    options = (
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            help="Print just the results, one a line, as gwcalc reads them back (e.g. '3M gpu').",
        ),
        click.option(
            "--json",
            "as_json",
            is_flag=True,
            callback=JsonMode.remember,
            help="Short for --format json.",
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            callback=JsonMode.remember_format,
            help="table (default, for people), json, jsonl (one document a line), csv (a header "
            "row, then one row per value) or markdown (a GitHub table).",
        ),
    )
    for option in options:
        command = option(command)
    return cast(F, command)


def _chosen_format(output_format: str | None, as_json: bool, quiet: bool) -> str:
    given = [name for name, on in (("--json", as_json), ("-q", quiet)) if on]
    if output_format is not None:
        given.append(f"--format {output_format}")
    if len(given) > 1 and not (as_json and output_format == "json" and not quiet):
        raise click.UsageError(f"choose one output format: {' and '.join(given)} clash")
    if quiet:
        return QUIET
    return "json" if as_json else output_format or "table"


def set_option(f: F) -> F:
    return click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="NAME=QUANTITY",
        shell_complete=complete_parameter,
        help="Override a parameter for this run, e.g. --set gpus_per_gw='400k gpu/GW' "
        "(a bare number is read in the set's unit). Repeatable.",
    )(f)


def assumption_options(f: F) -> F:
    """--assumptions/-a, --assumptions-dir, --set."""
    f = set_option(f)
    f = dir_option(f)
    return click.option(
        "--assumptions",
        "-a",
        "set_name",
        metavar="NAME|PATH",
        shell_complete=complete_set,
        help=SET_HELP,
    )(f)


def load_assumptions(
    set_name: str | None, assumptions_dir: Path | None, overrides: tuple[str, ...] = ()
) -> AssumptionSet:
    """The set asked for, with any --set overrides applied."""
    from gwcalc.assumptions import parse_override, resolve_set

    aset = resolve_set(set_name, assumptions_dir)
    return aset.with_overrides(parse_override(o) for o in overrides)
