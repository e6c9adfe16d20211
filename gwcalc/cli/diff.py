"""`gwcalc diff`: two assumption sets side by side, and which input moved each output."""

from __future__ import annotations

from pathlib import Path

import click

from gwcalc.cli.base import ErrorExit
from gwcalc.cli.complete import complete_set, complete_unit
from gwcalc.cli.options import console, dir_option, format_options, set_option


@click.command("diff")
@click.argument("before", metavar="A", shell_complete=complete_set)
@click.argument("after", metavar="[B]", required=False, shell_complete=complete_set)
@set_option
@dir_option
@click.option(
    "--unit",
    default="GW",
    show_default=True,
    metavar="UNIT",
    shell_complete=complete_unit,
    help="Unit of the gap outputs: GW (IT power), GW_facility, gpu, die, USD…",
)
@click.option(
    "--convert",
    "convert_quantity",
    metavar="QUANTITY",
    help="Also compare converting QUANTITY into each --to unit.",
)
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="UNIT",
    shell_complete=complete_unit,
    help="With --convert (repeatable).",
)
@click.option(
    "--exit-code",
    is_flag=True,
    callback=ErrorExit.remember,
    help="Exit 1 when the sets differ, 0 when they are the same (2 on errors), as git diff does.",
)
@format_options
def diff(
    before: str,
    after: str | None,
    overrides: tuple[str, ...],
    assumptions_dir: Path | None,
    unit: str,
    convert_quantity: str | None,
    targets: tuple[str, ...],
    exit_code: bool,
    fmt: str,
) -> None:
    """Compare set A with set B (or with A plus --set overrides).

    Shows the changed parameters, the outputs before and after, and how much
    of each output's change each changed parameter explains. The parts add
    up exactly to the change: outputs are products of parameters, split by
    the log-mean Divisia index (LMDI-I); the gap is demand minus a year of
    supply. Parameters that change the chain itself (e.g. hardware dollars at
    a hardware rate → all-in dollars at an all-in rate) are reported together.

    \b
    Examples:
      gwcalc diff seed-2025 independent-2026
      gwcalc diff seed-2025 --set dies_per_gpu=2 --set gpus_per_wafer=7.5
      gwcalc diff seed-2025 independent-2026 --convert "6 GW" --to gpu --json
      gwcalc diff a.toml b.toml --exit-code
      gwcalc diff seed-2025 bases-2025 --format markdown
    """
    from gwcalc import api
    from gwcalc.assumptions import parse_override

    if targets and convert_quantity is None:
        raise click.UsageError("--to needs --convert QUANTITY")
    if convert_quantity is not None and not targets:
        raise click.UsageError("--convert needs at least one --to UNIT")
    a = api.load_set(before, assumptions_dir=assumptions_dir)
    b = api.load_set(after, assumptions_dir=assumptions_dir) if after else a
    b = b.with_overrides(parse_override(o) for o in overrides)
    conversions = [(convert_quantity, t) for t in targets] if convert_quantity is not None else []
    result = api.diff(a, b, unit, conversions)  # errors exit 2 with --exit-code (ErrorExit)
    from gwcalc.cli.formats import emit, emit_document

    if not emit_document(fmt, result.to_dict):
        from gwcalc import rows

        r = result.result
        if not emit(fmt, lambda: rows.diff_csv(r), lambda: rows.diff_markdown(r),
                    lambda: rows.diff_quiet(r)):  # fmt: skip
            from gwcalc.cli.render import print_diff

            print_diff(console(), r)
    if exit_code and result.differs:
        raise click.exceptions.Exit(1)
