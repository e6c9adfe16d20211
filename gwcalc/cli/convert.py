"""`gwcalc convert`: a quantity through the set's rates into other units, with the chain shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gwcalc.cli.base import JsonMode, report_failure, some_failed
from gwcalc.cli.complete import complete_target
from gwcalc.cli.options import (
    assumption_options,
    console,
    format_options,
    load_assumptions,
    markdown_overrides,
    sampling_options,
    seed_for,
)
from gwcalc.errors import GwcalcError

if TYPE_CHECKING:
    from gwcalc.api import ConvertResult
    from gwcalc.cli.inputs import GivenQuantity
    from gwcalc.engine.stream import StreamConverter
    from gwcalc.sets.assumption_set import AssumptionSet


@click.command()
@click.argument("quantities", metavar="QUANTITY...", nargs=-1, required=True)
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="UNIT",
    shell_complete=complete_target,
    help="Unit to convert into (repeatable), e.g. gpu, die, GW, GW_facility, USD, 'GW/year'. "
    "Default: every unit the set's rates reach.",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Report a quantity that fails on stderr and go on with the next (exit 1 at the end).",
)
@assumption_options
@sampling_options
@format_options
def convert(
    quantities: tuple[str, ...],
    targets: tuple[str, ...],
    keep_going: bool,
    set_name: str | None,
    assumptions_dir: Path | None,
    overrides: tuple[str, ...],
    samples: int | None,
    seed: int | None,
    fmt: str,
) -> None:
    """Convert each QUANTITY between wafers, GPUs, dies, GW and dollars.

    The path is found from the units through the set's rates (gpus_per_wafer,
    dies_per_gpu, gpus_per_gw, pue, hardware_cost_per_gw, …) and shown step by step.
    Wafers here are wafers of the modelled accelerator (vendor_share is applied only
    by 'gwcalc gap'). Rates convert into rates: wafer/month → GW/year. Unquoted
    words after a plain number join it ('convert 6 GW'). QUANTITY '-' reads one
    quantity a line from stdin (blank lines and '#' comments skipped); with --json,
    more than one quantity gives JSON Lines. A chip of the set's catalogue is a unit
    ('2M GB300'). --samples N (one quantity) adds p5, p50 and p95 of each result.

    \b
    Examples:
      gwcalc convert "6 GW" --to gpu
      gwcalc convert '$1T' --to GW -a seed-2025
      gwcalc convert "75k wafer/month" --to "GW/year" --to "die/year"
      gwcalc convert "3.2M gpu" -a independent-2026 --json
      gwcalc convert -q "6 GW" "7 GW" --to gpu
      gwcalc convert "6 GW" '$20B' --to gpu --format csv
      gwcalc convert "2M GB300" --to GW -a independent-2026
      gwcalc convert "6 GW" --to gpu --set gpus_per_gw=330k..478k --samples 10000
    """
    from gwcalc import api

    fmt = _format_for(quantities := _joined(quantities), fmt)
    seed = seed_for(samples, seed)
    aset = load_assumptions(set_name, assumptions_dir, overrides)
    if samples is not None:
        _sampled(quantities, targets, aset, samples, seed, fmt)
        return
    if fmt == "json":  # one document, indented
        return _document(quantities[0], targets, aset)
    from gwcalc.cli.inputs import read_inputs

    converter = api.converter(targets, aset)
    if fmt == "table":
        _tables(converter, read_inputs(quantities), keep_going, bool(targets))
        return
    _stream(converter, quantities, fmt, keep_going, bool(targets))


def _joined(quantities: tuple[str, ...]) -> tuple[str, ...]:
    """convert 6 GW --to gpu: the words of one quantity typed without quotes, joined."""
    from gwcalc.cli.inputs import join_unquoted

    return join_unquoted(quantities)


def _document(quantity: str, targets: tuple[str, ...], aset: AssumptionSet) -> None:
    from gwcalc import api
    from gwcalc.cli.formats import emit_document

    emit_document("json", api.convert(quantity, list(targets) or None, aset).to_dict)


def _tables(
    converter: StreamConverter,
    items: Iterator[GivenQuantity],
    keep_going: bool,
    targets_given: bool,
) -> None:
    from gwcalc.cli.inputs import InputError

    results: list[ConvertResult] = []
    failed = 0
    for item in items:
        if len(results) == TABLE_LIMIT:
            raise _too_long(item)
        try:
            if item.error is not None:
                raise item.error
            results.append(converter.result(item.text))
        except GwcalcError as exc:
            if not keep_going:
                raise InputError(item, exc) from None
            failed += 1
            report_failure(InputError(item, exc))
    if results:
        converter.check_used()  # before any table: an override no chain used is refused
        from gwcalc.cli.render import print_conversions

        print_conversions(console(), results, targets_given)
    if failed:
        raise some_failed(failed)


# The quantities one table holds: a table is drawn once every input is read, so each one's
# chain is kept until then (about 3.7 kB each: 737 MB at 200,000 lines).
TABLE_LIMIT = 10_000


def _too_long(item: GivenQuantity) -> GwcalcError:
    where = f" ({item.where})" if item.where else ""  # 'line 10001' of stdin, or 'argument 2'
    return GwcalcError(
        f"a table holds at most {TABLE_LIMIT:,} quantities, and there are more{where}",
        "use --format csv, --format jsonl or -q, which print each result as it is converted",
    )


def _sampled(
    quantities: tuple[str, ...],
    targets: tuple[str, ...],
    aset: AssumptionSet,
    samples: int,
    seed: int | None,
    fmt: str,
) -> None:
    """convert --samples: one quantity, as a table or a JSON document."""
    from gwcalc import api

    if len(quantities) != 1 or quantities == ("-",) or fmt not in ("table", "json", "jsonl"):
        raise click.UsageError(
            "--samples converts one quantity (not '-'), shown as a table or JSON (not CSV, "
            "Markdown or -q)"
        )
    result = api.convert(quantities[0], list(targets) or None, aset, samples, seed)
    from gwcalc.cli.formats import emit_document

    if emit_document(fmt, result.to_dict):
        return
    from gwcalc.cli.render import print_conversions
    from gwcalc.cli.render_uncertainty import print_uncertainty

    out = console()
    print_conversions(out, [result], bool(targets))
    if result.uncertainty is not None:
        print_uncertainty(out, result.uncertainty, {}, {})
    if result.interval is not None:
        out.print(result.interval.note("quantity"))


def _stream(
    converter: StreamConverter,
    quantities: tuple[str, ...],
    fmt: str,
    keep_going: bool,
    targets_given: bool,
) -> None:
    """Many quantities as CSV, Markdown, JSON Lines or -q lines, written as they come."""
    from gwcalc.cli.formats import ConvertStream
    from gwcalc.cli.inputs import InputError, read_inputs

    if "-" not in quantities:  # every input is known: refuse an unused override before writing
        converted = True
        for text in quantities:
            try:
                converter.convert(text)
            except GwcalcError:  # reported in its turn below, as the real fault
                converted = False
        if converted:
            converter.check_used()
    markdown_overrides(fmt, converter.aset)
    stream = ConvertStream(fmt, targets_given)
    failed = 0
    for item in read_inputs(quantities, stream.flush):
        try:
            if item.error is not None:
                raise item.error
            if not stream.add(converter.convert(item.text)):
                return  # gwcalc … | head: nobody reads the rest
        except GwcalcError as exc:
            if not keep_going:
                stream.flush()
                raise InputError(item, exc) from None
            failed += 1
            stream.failed(report_failure(InputError(item, exc)))
    stream.flush()
    if failed:
        raise some_failed(failed)
    converter.check_used()  # stdin is written as it comes: an unused override fails at its end


def _format_for(quantities: tuple[str, ...], fmt: str) -> str:
    """The format for these inputs: --json with many quantities gives JSON Lines."""
    if quantities.count("-") > 1:
        raise click.UsageError("'-' (read stdin) can be given once: stdin is read only once")
    one = len(quantities) == 1 and quantities != ("-",)
    if fmt == "json" and not one:
        fmt, JsonMode.lines = "jsonl", True  # many documents: one a line, errors too
    return fmt
