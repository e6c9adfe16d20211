"""Time gwcalc commands with numpy installed against the same commands as if it were not.

numpy is a dependency of gwcalc (sampling 100,000 evaluations or more takes it), so "without" is an
environment where it fails to import: sampling then takes the float path, with the same numbers.

"Without numpy" puts a folder first on PYTHONPATH whose `numpy.py` raises ImportError, which is
what pint's start-up sees when numpy is not installed. Needs numpy in the environment (else
there is nothing to compare, and the script says so). Issue 19's budget: no command more than
1.05× slower with numpy than without. `python -c 'import pint'` is shown for context: pint itself
imports numpy when it finds it, which is what gwcalc's console script avoids.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cli import (
    CONVERT_ARGS,
    GAP_ARGS,
    PY,
    TIMELINE_ARGS,
    Command,
    clean_env,
    console_script,
    machine_facts,
    run_once,
)

BUDGET = 1.05  # allowed ratio: median with numpy ÷ median without
HIDE_NUMPY = 'raise ImportError("hidden by bench_numpy.py: as if numpy were not installed")\n'


@dataclass
class Pair:
    """One command's timings with and without numpy, in milliseconds."""

    label: str
    with_ms: list[float] = field(default_factory=list)
    without_ms: list[float] = field(default_factory=list)
    ratio: float = 0.0
    budget: float | None = BUDGET


def commands(sampling: bool = False) -> list[Command]:
    """`import pint` for context, then gwcalc's one-shot commands through its console script."""
    script = console_script()
    if script is None:
        raise SystemExit(f"no gwcalc console script next to {PY}")
    prefix = (str(script),)
    return [
        Command("python -c 'import pint'", (PY, "-c", "import pint")),
        Command("gwcalc convert '6 GW' --to gpu --json", (*prefix, *CONVERT_ARGS)),
        Command("gwcalc gap --json", (*prefix, *GAP_ARGS)),
        Command("gwcalc timeline -a independent-2026 --json", (*prefix, *TIMELINE_ARGS)),
        Command("gwcalc --help", (*prefix, "--help")),
    ] + (sampling_rows(prefix) if sampling else [])


def sampling_rows(prefix: tuple[str, ...]) -> list[Command]:
    """--sampling: below ARRAYS_FROM (100,000) numpy is not imported either way; from it on,
    numpy's arrays against the float path (what an environment without numpy takes)."""
    return [
        Command(f"gwcalc gap --json --samples {n}", (*prefix, *GAP_ARGS, "--samples", str(n)))
        for n in (10_000, 100_000)
    ]


def measure(runs: int, warmups: int, sampling: bool = False) -> list[Pair]:
    """Each command with and without numpy, interleaved so drift hits both alike."""
    cmds = commands(sampling)
    pairs = [Pair(c.label, budget=None if c.argv[0] == PY else BUDGET) for c in cmds]
    with tempfile.TemporaryDirectory(prefix="gwcalc-bench-np-") as cwd:
        hide = Path(cwd) / "hide"
        hide.mkdir()
        (hide / "numpy.py").write_text(HIDE_NUMPY, encoding="utf-8")
        with_env = clean_env(cwd, bytecode_cache=True)
        without_env = dict(with_env, PYTHONPATH=str(hide))
        for cmd in cmds:
            for _ in range(warmups):
                run_once(cmd, cwd, with_env)
                run_once(cmd, cwd, without_env)
        for _ in range(runs):
            for cmd, pair in zip(cmds, pairs, strict=True):
                pair.with_ms.append(run_once(cmd, cwd, with_env))
                pair.without_ms.append(run_once(cmd, cwd, without_env))
    for pair in pairs:
        pair.ratio = statistics.median(pair.with_ms) / statistics.median(pair.without_ms)
    return pairs


def markdown(pairs: Sequence[Pair], facts: dict[str, object], numpy_version: str) -> str:
    """The pairs as a Markdown table, the machine above it."""
    lines = [
        f"numpy {numpy_version}; Python {facts['python']}, {facts['cpus']} CPUs; median of "
        f"{facts['runs']} interleaved runs; load average {facts.get('loadavg', 'n/a')}",
        "",
        "| command | with numpy, ms | without, ms | ratio | budget | within? |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for p in pairs:
        within = "—" if p.budget is None else ("yes" if p.ratio <= p.budget else "**no**")
        budget = "context" if p.budget is None else f"≤ {p.budget:.2f}×"
        lines.append(
            f"| `{p.label}` | {statistics.median(p.with_ms):.1f} | "
            f"{statistics.median(p.without_ms):.1f} | {p.ratio:.2f}× | {budget} | {within} |"
        )
    lines += ["", "Timings are informational: the exit code does not depend on them."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per row (default 15)")
    parser.add_argument("--warmups", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--sampling", action="store_true", help="also gap --samples 10000 and 100000"
    )
    args = parser.parse_args(argv)
    if importlib.util.find_spec("numpy") is None:
        print(f"numpy is not installed for {PY}: nothing to compare", file=sys.stderr)
        return 0
    import numpy

    pairs = measure(args.runs, args.warmups, args.sampling)
    facts = machine_facts(args.runs, args.warmups, bytecode_cache=True)
    if args.json:
        doc = {"machine": facts, "numpy": numpy.__version__, "results": [asdict(p) for p in pairs]}
        print(json.dumps(doc, indent=2))
    else:
        print(markdown(pairs, facts, numpy.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
