"""`gwcalc diff`: two assumption sets side by side, and which input moved each output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gwcalc.cli.base import ErrorExit
from gwcalc.cli.complete import complete_set, complete_unit
from gwcalc.cli.options import console, dir_option, emit_json, json_option, set_option

TABLE_OUTPUTS = ("supply_per_year", "demand", "gap")  # the rest: --json


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
@json_option
def diff(
    before: str,
    after: str | None,
    overrides: tuple[str, ...],
    assumptions_dir: Path | None,
    unit: str,
    convert_quantity: str | None,
    targets: tuple[str, ...],
    exit_code: bool,
    as_json: bool,
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
    """
    from gwcalc.assumptions import parse_override, resolve_set
    from gwcalc.diff import diff_sets
    from gwcalc.errors import GwcalcError
    from gwcalc.units import parse_quantity, parse_unit

    if targets and convert_quantity is None:
        raise click.UsageError("--to needs --convert QUANTITY")
    if convert_quantity is not None and not targets:
        raise click.UsageError("--convert needs at least one --to UNIT")
    try:
        a = resolve_set(before, assumptions_dir)
        b = resolve_set(after, assumptions_dir) if after else a
        b = b.with_overrides(parse_override(o) for o in overrides)
        conversions = []
        if convert_quantity is not None:
            q = parse_quantity(convert_quantity)
            conversions = [(q, parse_unit(t)) for t in targets]
        result = diff_sets(a, b, unit, conversions)
    except GwcalcError as exc:
        if exit_code:
            exc.exit_code = 2  # 1 means "differs"
        raise
    if as_json:
        emit_json(_as_json(result))
    else:
        _render(result)
    if exit_code and result.differs:
        raise click.exceptions.Exit(1)


def _as_json(result: Any) -> dict[str, Any]:
    from gwcalc.report import envelope, quantity_json, set_json

    params = []
    for ch in result.parameter_changes:
        params.append(
            {
                "name": ch.name,
                "status": ch.status,
                "before": quantity_json(ch.before.quantity) if ch.before else None,
                "after": quantity_json(ch.after.quantity) if ch.after else None,
                "change_pct": ch.change_pct,
                "sources": {
                    "before": ch.before.source.to_dict() if ch.before else None,
                    "after": ch.after.source.to_dict() if ch.after else None,
                },
            }
        )
    outputs = {}
    for out in result.output_changes:
        outputs[out.name] = {
            "before": quantity_json(out.before),
            "after": quantity_json(out.after),
            "delta": quantity_json(out.delta),
            "change_pct": out.change_pct,
            "attribution": [
                {
                    "parameter": s.label,
                    "parameters": list(s.parameters),
                    "chain_change": s.chain_change,
                    "delta": quantity_json(s.delta),
                    "share": s.share,
                }
                for s in out.attribution
            ],
        }
    return envelope(
        before=set_json(result.before),
        after=set_json(result.after),
        differs=result.differs,
        method=result.method,
        parameter_changes=params,
        output_changes=outputs,
    )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def _short(title: str, width: int = 28) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


def _render(result: Any) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from gwcalc.cli.render import legend, print_caveats, set_title
    from gwcalc.units import format_number, format_quantity, unit_text

    out = console()
    out.print(Text("A", style="bold"), set_title(result.before))
    out.print(Text("B", style="bold"), set_title(result.after))

    table = Table(title="Outputs, and what moved them", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("output (unit) / parameter", ratio=1, min_width=24)
    for column in ("A", "B", "change", "%"):
        table.add_column(column, justify="right", no_wrap=True)
    for o in result.output_changes:
        unit = unit_text(o.before.units)
        unit = "" if unit == "dimensionless" else f" ({unit})"
        table.add_row(
            Text.assemble((o.name if "->" in o.name else o.name.replace("_", " "), "bold"), unit),
            format_number(float(o.before.magnitude)),
            format_number(float(o.after.magnitude)),
            format_number(float(o.delta.magnitude), 3),
            _pct(o.change_pct),
        )
        if o.name not in TABLE_OUTPUTS and "->" not in o.name:
            continue
        for part in o.attribution:
            label = (
                "  chain change:\n" + "\n".join(f"    {n}" for n in part.parameters)
                if part.chain_change
                else f"  {part.label}"
            )
            share = f"{part.share:.0%}" if part.share is not None else "—"
            table.add_row(label, "", "", format_number(float(part.delta.magnitude), 3), share)
    out.print(table)
    print_caveats(out, result.before, result.after)
    if not result.differs:
        out.print("No parameter differs.")
        return
    note = (
        "Indented rows split each change; % is their share of it, and the parts add up "
        "exactly (LMDI-I). Parts for coverage and years to cover: --json."
    )
    if any(p.chain_change for o in result.output_changes for p in o.attribution):
        note += (
            " A chain change groups parameters that change how the chain runs (e.g. "
            "hardware → all-in dollars): their separate shares would depend on the units."
        )
    out.print(note)
    out.print(legend([o.before for o in result.output_changes]))

    table = Table(title="Parameters that differ", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("parameter", style="bold", no_wrap=True, min_width=21)
    table.add_column("A", justify="right", overflow="fold")
    table.add_column("B", justify="right", overflow="fold")
    table.add_column("change", justify="right", no_wrap=True, min_width=9)
    sources = Table(title="Their sources", title_justify="left", box=box.SIMPLE_HEAD)
    sources.add_column("parameter", style="bold", no_wrap=True, min_width=21)
    sources.add_column("A", ratio=1, overflow="fold")
    sources.add_column("B", ratio=1, overflow="fold")
    for ch in result.parameter_changes:
        a = format_quantity(ch.before.quantity) if ch.before else "—"
        b = format_quantity(ch.after.quantity) if ch.after else "—"
        change = _pct(ch.change_pct) if ch.status == "changed" else ch.status
        if ch.status == "changed" and ch.change_pct is None:
            change = "new basis"
        table.add_row(ch.name, a, b, change)
        src_a = ch.before.source.cite() if ch.before else "—"
        src_b = ch.after.source.cite() if ch.after else "—"
        sources.add_row(ch.name, src_a, "same" if src_a == src_b else src_b)
    out.print(table)
    out.print(sources)
