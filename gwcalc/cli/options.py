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
from gwcalc.units import DEFAULT_UNIT

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.ranges import Given

F = TypeVar("F", bound=Callable[..., Any])

SET_HELP = (
    "Assumption set: a name (see 'gwcalc assumptions list') or a path to a .toml file. "
    "Default: $GWCALC_DEFAULT_SET, else seed-2025 (timeline and flows: market-2026; economics: "
    "the newest market-2026 with the economics figures)."
)


def dir_option(f: F) -> F:
    return click.option(
        "--assumptions-dir",
        type=Path,  # checked in gwcalc.sets.find.search_dirs, with gwcalc's own errors
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


def unit_option(f: F) -> F:
    """--unit: the one kind results are measured in (gap, timeline, diff)."""
    from gwcalc.cli.complete import complete_unit

    return click.option(
        "--unit",
        default=DEFAULT_UNIT,
        show_default=True,
        metavar="UNIT",
        shell_complete=complete_unit,
        help="Measure supply and demand in this unit: GW (IT power), GW_facility, gpu, die, USD…",
    )(f)


FORMATS = ("table", "json", "jsonl", "csv", "markdown")
QUIET = "quiet"  # what a command gets as its format under -q


def format_options(f: F) -> F:
    """--format, --json (short for --format json) and -q/--quiet, defined once for every command
    that prints data; the command gets one keyword, fmt: one of FORMATS, or QUIET."""
    return _format_options(f, FORMATS, "")


GRAPH_FORMATS = ("dot", "mermaid")


def graph_format_options(f: F) -> F:
    """format_options, and --format dot or mermaid: a command that draws a graph."""
    return _format_options(
        f, FORMATS + GRAPH_FORMATS, ", dot (a Graphviz graph) or mermaid (a Mermaid flowchart)"
    )


def _format_options(f: F, formats: tuple[str, ...], more_help: str) -> F:
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
            type=click.Choice(formats),
            callback=JsonMode.remember_format,
            help="table (default, for people), json, jsonl (one document a line), csv (a header "
            "row, then one row per value)"
            + (", markdown (a GitHub table)" if more_help else " or markdown (a GitHub table)")
            + more_help
            + ".",
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
        "(a bare number is read in the set's unit), or give it a range, "
        "--set gpus_per_gw=330k..478k (a lognormal 90% interval; each end read alone). "
        "NAME.YEAR sets one year (cowos_wafers_per_year.2027=1.8M), CHIP.FIELD a chip's "
        "figure (GB300.it_power_per_package=2.5kW). Repeatable.",
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
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...] = (),
    timeline: bool = False,
) -> AssumptionSet:
    """The set asked for (None: the default set, the timeline's when `timeline`), with any
    --set overrides applied (through the API, as every command loads its sets)."""
    from gwcalc import api

    return api.load_set(set_name, parse_overrides(overrides), assumptions_dir, timeline)


def parse_overrides(overrides: tuple[str, ...]) -> list[tuple[str, Given]]:
    """Each --set NAME=QUANTITY, read by the core; an error says which option it is about."""
    from gwcalc.errors import GwcalcError
    from gwcalc.sets.overrides import parse_override

    parsed = []
    for text in overrides:
        try:
            parsed.append(parse_override(text))
        except GwcalcError as exc:
            exc.message = f"--set: {exc.message}"
            raise
    return parsed


def markdown_overrides(fmt: str, aset: AssumptionSet) -> None:
    """Markdown's line above its tables on what each --set did (tables say it in their title,
    JSON in assumptions.override_effects)."""
    if fmt != "markdown" or not aset.overrides:
        return
    from gwcalc.cli.output import safe_text, write
    from gwcalc.sets.overrides import effects

    write(safe_text(f"With --set {'; '.join(effects(aset))}.") + "\n\n")


# gwcalc.uncertainty.sampling.DEFAULT_SEED (not imported: --help stays light)
DEFAULT_SEED_TEXT = "20261202"


# gwcalc.uncertainty.summary.PERCENTILES_FROM (not imported, as MAX_SAMPLES): fewer samples
# get a warning
PERCENTILES_FROM = 20
MAX_SAMPLES = (
    1_000_000  # gwcalc.uncertainty.sampling.MAX_SAMPLES (not imported: sampling is not light)
)


class WholeNumber(click.IntRange):
    """An integer option in the digits 0-9, read by gwcalc.sets.field_checks.read_whole as set
    files' years and counts are (click's int() would take '٢٠٠' and '²')."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            from gwcalc.errors import ParameterError
            from gwcalc.sets.field_checks import read_whole

            try:
                value = (-1 if value.startswith("-") else 1) * read_whole(value.removeprefix("-"))
            except ParameterError:
                self.fail(
                    f"{value[:40]!r} is not a valid integer. Write it in the digits 0-9.",
                    param,
                    ctx,
                )
        return super().convert(value, param, ctx)

    def _describe_range(self) -> str:
        """No '[x<=None]' in --help for a count checked elsewhere (click 8.5 prints one)."""
        if self.min is None and self.max is None:
            return ""
        return super()._describe_range()


def check_samples_option(ctx: click.Context, param: click.Parameter, value: int | None) -> Any:
    """--samples N: out of range is a usage error (exit 2), as a count that is no number is."""
    if value is not None and not 1 <= value <= MAX_SAMPLES:
        raise click.BadParameter(f"{value} samples: give a whole number from 1 to 1,000,000")
    return value


def sampling_options(f: F) -> F:
    """--samples N and --seed S."""
    f = click.option(
        "--seed",
        type=WholeNumber(0, 2**63 - 1),
        default=None,
        metavar="S",
        help=f"Seed of the draws (default {DEFAULT_SEED_TEXT}): the same seed, the same numbers.",
    )(f)
    return click.option(
        "--samples",
        type=WholeNumber(),
        callback=check_samples_option,
        default=None,
        metavar="N",
        help="Monte Carlo over the set's ranges with N samples (1 to 1,000,000; fewer than "
        f"{PERCENTILES_FROM} warn: too few for p5 and p95): p5, p50 and p95 of each output.",
    )(f)


def seed_for(samples: int | None, seed: int | None) -> int | None:
    """The --seed given (None: gwcalc's default, chosen by the API); --seed alone is a usage
    error. Fewer samples than the summaries need get a warning on stderr (few_samples), once
    the command has succeeded."""
    if seed is not None and samples is None:
        raise click.UsageError("--seed needs --samples N")
    if samples is not None and samples < PERCENTILES_FROM:
        from gwcalc.cli.output import warn

        warn(few_samples(samples))
    return seed


def few_samples(samples: int) -> str:
    """The warning for fewer samples than PERCENTILES_FROM: what the tables cannot support."""
    if samples == 1:
        told = (
            "1 sample: p5, p50 and p95 are that one draw, no standard error can be estimated "
            "(± n/a, JSON null), and a probability is one draw's yes or no"
        )
    else:
        told = (
            f"{samples} samples: too few for p5 and p95 (no sample is expected beyond them: "
            "they lie between the two lowest and the two highest samples, and their standard "
            f"errors are rough), and a probability is a share of {samples} draws"
        )
    return (
        f"Warning: {told}. Give --samples {PERCENTILES_FROM} or more (10,000 gives "
        "percentiles to about 1%)."
    )


def year_option(f: F) -> F:
    """--year: the year of the economics model's figures given by year."""
    return click.option(
        "--year",
        metavar="YEAR",
        help="For an economics output per GW: the year of its figures given by year (default: "
        "each figure's own value); for one of the revenue gap by year: its year (required). For "
        "a flows output: each flow's part in that year.",
    )(f)


def load_for(
    family: str, set_name: str | None, assumptions_dir: Path | None, overrides: tuple[str, ...]
) -> AssumptionSet:
    """The set asked for, for an output of that family: by default the gap's default set, or
    for the economics the newest market-2026 with its figures (as `gwcalc economics`)."""
    if family != "economics" or set_name is not None:  # the flows: the timeline's default
        return load_assumptions(set_name, assumptions_dir, overrides, family != "gap")
    from gwcalc.econ.default_set import default_economics_set

    return default_economics_set(assumptions_dir).with_overrides(parse_overrides(overrides))


def api_family(output: str, year: str | None) -> str:
    """'gap', 'economics' or 'flows': which model an output name belongs to (unknown: an
    error); --year is for the economics and the flows outputs."""
    from gwcalc.api.econ_analysis import family

    found = family(output)
    if year is not None and found == "gap":
        raise click.UsageError(f"--year is for the economics outputs, not the gap's {output}")
    return found
