"""The gwcalc command group: one module per command, built here; errors go through base.py.

Lives here: one module per command (`gap`, `timeline`, `flows`, `economics`, `convert`, `diff`,
`sensitivity`, `explain`, `sets`), the shared options (`options`), the error funnel (`base`),
the output funnel (`output`, `formats`), reading quantities from arguments and stdin
(`inputs`), the Rich tables (`render_common` shared by all, then one `render*` module per kind
of table) and shell completion (`complete`). May import: `gwcalc.api` for every result, and
`gwcalc.report` (and `gwcalc.econ.report`) for rows; the layers below only for light
constants and types (completion and --help stay fast)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable

import click

from gwcalc import __version__
from gwcalc.cli.base import EXIT_INTERRUPTED, GwcalcGroup
from gwcalc.cli.convert import convert
from gwcalc.cli.diff import diff
from gwcalc.cli.economics import economics
from gwcalc.cli.explain import explain
from gwcalc.cli.flows import flows
from gwcalc.cli.gap import gap
from gwcalc.cli.sensitivity import sensitivity
from gwcalc.cli.sets import assumptions
from gwcalc.cli.timeline import timeline


@click.group(cls=GwcalcGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gwcalc")
def cli() -> None:
    """A unit-checked, sourced calculator for AI compute supply and demand.

    Every chain (CoWoS wafers → GPUs → dies → GW → dollars) runs through a
    versioned assumption set in which every figure has a source. Bases are
    units: GW is IT power, GW_facility is facility power; gpu is a package,
    die a compute die; USD is hardware-only dollars, USD_all_in all-in dollars.

    \b
    Examples:
      gwcalc gap
      gwcalc gap --assumptions independent-2026
      gwcalc timeline -a independent-2026
      gwcalc flows --party NVIDIA
      gwcalc economics --set utilization=70%
      gwcalc convert "6 GW" --to gpu --to USD
      gwcalc convert "75k wafer/month" --to "GW/year" --json
      gwcalc gap -a independent-2026 --set gpus_per_gw=330k..478k --samples 10000
      gwcalc sensitivity -a independent-2026 --set gpus_per_gw=330k..478k
      gwcalc explain gap
    """


def main(finish: Callable[[int], None] | None = None) -> None:
    """Console-script entry point: run, flush, and exit without the interpreter's teardown.

    Tearing down pint's many objects costs 20-30 ms on every run, about as much as all of
    gwcalc's own work (measured: benchmarks/README.md). Nothing gwcalc runs needs atexit
    handlers; files it writes are closed (and fsynced) before it returns. Ctrl-C anywhere
    exits 130 with one line; gwcalc.__main__.run holds it back while the modules load.
    """
    try:
        if hasattr(signal, "pthread_sigmask"):  # a Ctrl-C held back by run() lands here
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        code = cli.main(standalone_mode=False)
    except SystemExit as exc:  # shell completion ends with sys.exit(0) inside click
        if not isinstance(exc.code, int | None):
            raise
        code = exc.code or 0
    except KeyboardInterrupt:  # outside the command: while reporting or flushing
        with contextlib.suppress(Exception):
            sys.stderr.write("Error: interrupted\n")
        code = EXIT_INTERRUPTED
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # closed, full, None
            stream.flush()
    code = code if isinstance(code, int) else 0
    if finish is not None:  # the answer store (gwcalc.answers) keeps what this run wrote
        finish(code)
    os._exit(code)


for _command in (gap, timeline, flows, economics, convert, diff, sensitivity, explain, assumptions):
    cli.add_command(_command)

__all__ = ["cli", "main"]
