"""Time `gwcalc gap --samples N` and `gwcalc timeline --samples N` against the plain commands
and `import pint`, their peak memory (and so the memory per sample), and the cost per sample in
process."""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cli import (  # PINT_HIDDEN: pint as the gwcalc program imports it (numpy hidden)
    PINT_FLOOR,
    PINT_HIDDEN,
    PY,
    Command,
    clean_env,
    console_script,
    machine_facts,
    measure,
)

SET = "independent-2026"
RANGES = (  # the disagreements independent-2026 v2's notes quote, as one-run ranges
    "cowos_wafers_per_year=1.1M..1.5M",
    "vendor_share=0.6..0.73",
    "gpus_per_wafer=9..16",
    "gpus_per_gw=330k..478k",
    "all_in_cost_per_gw=38B..50B",
)
# samples -> allowed ratio to the plain command: issue 10 (10,000 and 100,000), issue 19 (1M)
BUDGETS = {10_000: 1.5, 100_000: 4.0, 1_000_000: 4.0}
TIMELINE_BUDGETS = {1_000_000: 15.0}
COUNTS = (1_000, 10_000, 30_000, 100_000, 1_000_000)
TIMELINE_SET = "independent-2026"  # its own ranges (v4 and later), every year 2025-2030
TIMELINE_COUNTS = (10_000, 100_000, 1_000_000)
# Run a command and print the peak resident memory of that one child, in KiB (Linux, macOS: bytes)
PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def gap_argv(prefix: tuple[str, ...], samples: int | None) -> tuple[str, ...]:
    argv = (*prefix, "gap", "-a", SET, *(a for r in RANGES for a in ("--set", r)), "--json")
    return argv if samples is None else (*argv, "--samples", str(samples))


def timeline_argv(prefix: tuple[str, ...], samples: int | None) -> tuple[str, ...]:
    argv = (*prefix, "timeline", "-a", TIMELINE_SET, "--json")
    return argv if samples is None else (*argv, "--samples", str(samples))


def commands(counts: tuple[int, ...], timeline_counts: tuple[int, ...]) -> list[Command]:
    """The floor, plain gap, gap with each count, plain timeline, timeline with each count."""
    script = console_script()
    prefix = (str(script),) if script is not None else (PY, "-m", "gwcalc")
    shown = "gwcalc" if script is not None else "python -m gwcalc"
    out = [
        Command(PINT_FLOOR, (PY, "-c", PINT_HIDDEN)),
        Command(f"{shown} gap --json (5 ranges, no sampling)", gap_argv(prefix, None), None, True),
    ]
    out += [
        Command(f"{shown} gap --json --samples {n:,}", gap_argv(prefix, n), None, True)
        for n in counts
    ]
    out.append(
        Command(
            f"{shown} timeline -a {TIMELINE_SET} --json", timeline_argv(prefix, None), None, True
        )
    )
    out += [
        Command(f"{shown} timeline --json --samples {n:,}", timeline_argv(prefix, n), None, True)
        for n in timeline_counts
    ]
    return out


def peak_mb(commands: list[Command]) -> list[float]:
    """Each command's peak resident memory in MB, from one more run each (in a fresh folder)."""
    scale = 1e-6 if sys.platform == "darwin" else 1024 / 1e6  # ru_maxrss: bytes or KiB
    out = []
    with tempfile.TemporaryDirectory(prefix="gwcalc-bench-") as cwd:
        env = clean_env(cwd, bytecode_cache=True)
        for cmd in commands:
            done = subprocess.run(
                [PY, "-c", PEAK, *cmd.argv], cwd=cwd, env=env, capture_output=True, check=True
            )
            out.append(int(done.stdout) * scale)
    return out


def _median_seconds(run: Callable[[], object], repeats: int) -> float:
    """The median wall time of run(), the garbage collector off while timing."""
    times = []
    for _ in range(repeats):
        gc.disable()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        gc.enable()
    return statistics.median(times)


def in_process(counts: tuple[int, ...], repeats: int) -> list[dict[str, Any]]:
    """plan_uncertainty alone (draw, evaluate, summarise), median of repeats, collector off."""
    from gwcalc import api
    from gwcalc.uncertainty.sampling import plan_uncertainty

    aset = api.load_set(SET, overrides=dict(r.split("=", 1) for r in RANGES))
    result = api.gap(aset)
    names = [o.name for o in result.computed.shown]
    rows = []
    for n in counts:
        median = _median_seconds(
            partial(plan_uncertainty, aset, result.plan, n, names=names), repeats
        )
        rows.append({"samples": n, "median_ms": median * 1e3, "us_per_sample": median / n * 1e6})
    return rows


def timeline_in_process(counts: tuple[int, ...], repeats: int) -> list[dict[str, Any]]:
    """timeline_uncertainty alone (draw, evaluate every year, summarise), median of repeats."""
    from gwcalc import api
    from gwcalc.uncertainty.timeline import timeline_uncertainty

    result = api.timeline(TIMELINE_SET).computed
    years = len(result.rows)
    varied = len(timeline_uncertainty(result, 10).varied)
    rows = []
    for n in counts:
        median = _median_seconds(partial(timeline_uncertainty, result, n), repeats)
        rows.append(
            {
                "samples": n,
                "years": years,
                "varied": varied,
                "median_ms": median * 1e3,
                "us_per_sample_year": median / (n * years) * 1e6,
            }
        )
    return rows


def _budget(i: int, counts: tuple[int, ...], timeline_counts: tuple[int, ...]) -> str:
    """The budget of the i-th command row (commands()'s order)."""
    plain_timeline = len(counts) + 2
    if i == 0:
        return "floor"
    if 2 <= i < plain_timeline and counts[i - 2] in BUDGETS:
        return f"≤ {BUDGETS[counts[i - 2]]}× plain gap"
    n = timeline_counts[i - plain_timeline - 1] if i > plain_timeline else None
    return f"≤ {TIMELINE_BUDGETS[n]}× plain timeline" if n in TIMELINE_BUDGETS else ""


def _per_sample(i: int, counts: tuple[int, ...], timeline_counts: tuple[int, ...]) -> int | None:
    """The samples of the i-th command row, None for the floor and the plain commands."""
    plain_timeline = len(counts) + 2
    if 2 <= i < plain_timeline:
        return counts[i - 2]
    return timeline_counts[i - plain_timeline - 1] if i > plain_timeline else None


def table(
    results: list[Any],
    counts: tuple[int, ...],
    inner: list[dict[str, Any]],
    timeline_inner: list[dict[str, Any]],
    timeline_counts: tuple[int, ...] = TIMELINE_COUNTS,
    peaks: list[float] | None = None,
) -> str:
    """The commands' medians against the floor and their plain command (with peak memory and
    the memory per sample above the plain command's), then in process."""
    floor = results[0].median_ms
    plain_timeline = len(counts) + 2  # index of the plain timeline row
    peaks = peaks or [0.0] * len(results)
    lines = [
        "| command | median ms | min ms | vs plain command | vs import pint | budget "
        "| peak MB | bytes per sample |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for i, res in enumerate(results):
        plain_i = 1 if i < plain_timeline else plain_timeline
        plain = results[plain_i].median_ms
        vs_plain = "—" if i == 0 else f"{res.median_ms / plain:.2f}×"
        n = _per_sample(i, counts, timeline_counts)
        per = "" if n is None else f"{(peaks[i] - peaks[plain_i]) * 1e6 / n:.0f}"
        lines.append(
            f"| `{res.label}` | {res.median_ms:.1f} | {res.min_ms:.1f} | {vs_plain} | "
            f"{res.median_ms / floor:.2f}× | {_budget(i, counts, timeline_counts)} | "
            f"{peaks[i]:.0f} | {per} |"
        )
    lines += [
        "",
        "| gap samples (in process) | median ms | µs per sample |",
        "| ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['samples']:,} | {r['median_ms']:.1f} | {r['us_per_sample']:.2f} |" for r in inner
    ]
    lines += [
        "",
        "| timeline samples (in process) | years | ranged figures | median ms "
        "| µs per sample-year |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['samples']:,} | {r['years']} | {r['varied']} | {r['median_ms']:.1f} | "
        f"{r['us_per_sample_year']:.2f} |"
        for r in timeline_inner
    ]
    return "\n".join(lines)


def _counts(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.replace("_", "").split(","))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9, help="timed runs per command (median)")
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5, help="in-process repeats per count")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument(
        "--counts", type=_counts, default=COUNTS, help="gap's sample counts, e.g. 1000,1000000"
    )
    parser.add_argument(
        "--timeline-counts", type=_counts, default=TIMELINE_COUNTS, help="timeline's counts"
    )
    args = parser.parse_args(argv)
    counts, timeline_counts = args.counts, args.timeline_counts
    cmds = commands(counts, timeline_counts)
    results = measure(cmds, args.runs, args.warmups, bytecode_cache=True)
    peaks = peak_mb(cmds)
    inner = in_process(counts, args.repeats)
    timeline_inner = timeline_in_process(timeline_counts, args.repeats)
    if args.json:
        doc = {
            "machine": machine_facts(args.runs, args.warmups, True),
            "commands": [dict(r.__dict__, peak_mb=p) for r, p in zip(results, peaks, strict=True)],
            "in_process": inner,
            "timeline_in_process": timeline_inner,
        }
        print(json.dumps(doc, indent=2))
    else:
        print(table(results, counts, inner, timeline_inner, timeline_counts, peaks))
        facts = machine_facts(args.runs, args.warmups, True)
        print(f"\nPython {facts['python']}, {facts['cpus']} CPUs, load {facts.get('loadavg')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
