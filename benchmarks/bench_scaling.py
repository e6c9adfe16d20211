"""Time loading a set, `timeline` and `diff --timeline` as the number of deals grows ×10.

Each size N generates a format 2 set with N deals (in GW and in dollars, a third of them
restating the deal before it with same_capacity_as; `--links chain`: every deal but the first)
and a B that differs from it in one rate (hardware_cost_per_gw, on the chain of every dollar
deal), its counted statuses (so every deal's term changes) and one deal in ten (resized). Each
step runs in process `--repeats` times; the table shows the median and the growth from the
size before (deals ×10: time ×~10 when the cost is linear). `--cli` also times
`gwcalc timeline -a A --json` and `gwcalc diff A B --timeline --json` as commands (bench_cli's
round-robin runs) at `--cli-sizes`, and gives diff ÷ timeline (issue 19's target: ≤ 3× at
1,000 deals)."""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cli import PY, Command, console_script, machine_facts
from bench_cli import measure as measure_commands

from gwcalc.sets.read import parse_set
from gwcalc.timelines.compute import compute_timeline
from gwcalc.timelines.diff import diff_timelines

HEAD = """format = 2
id = "scaling"
version = 1
date = "2026-12-06"
title = "scaling benchmark"
"""
PARAMS = (
    ("cowos_wafers_per_year", "1000000", "wafer/year"),
    ("vendor_share", "0.5", ""),
    ("gpus_per_wafer", "10", "gpu/wafer"),
    ("dies_per_gpu", "2", "die/gpu"),
    ("gpus_per_gw", "500000", "gpu/GW"),
    ("hardware_cost_per_gw", "{cost}", "USD/GW"),
    ("contracted_spend", "1e12", "USD"),
)
STATUSES = ("contract", "letter-of-intent", "announced")


def set_text(deals: int, changed: bool = False, statuses: bool = True, chain: bool = False) -> str:
    """A set with `deals` deals; changed: B (another rate, one deal in ten and, if statuses,
    the counted statuses); chain: every deal restates the one before (one chain)."""
    cost = "22e9" if changed else "20e9"
    lines = [HEAD]
    for name, value, unit in PARAMS:
        lines += [f"[parameters.{name}]", f"value = {value.format(cost=cost)}"]
        lines += [f'unit = "{unit}"', f"[parameters.{name}.source]", 'title = "bench"', ""]
    counted = '["contract", "letter-of-intent"]' if changed and statuses else '["contract"]'
    lines += ["[timeline]", "start = 2025", "end = 2030", f"counted_statuses = {counted}", ""]
    for i in range(deals):
        size = f"{1 + i % 7} GW" if i % 2 else f"${10 + i % 13}B"
        if changed and i % 10 == 0:
            size = f"${20 + i % 13}B" if "$" in size else "9 GW"
        lines += [
            "[[deals]]",
            f'name = "deal {i:05d}"',
            'buyer = "B"',
            'seller = "S"',
            'kind = "chips"',
            f'status = "{STATUSES[i % 3]}"',
            f'size = "{size}"',
            f'start = "{2025 + i % 4}-H{1 + i % 2}"',
            f'end = "{2027 + i % 4}"',
        ]
        if i % 3 == 2 or (chain and i):  # restates the deal before it (linked deals)
            lines.append(f'same_capacity_as = "deal {i - 1:05d}"')
        lines += ["[deals.source]", 'title = "bench"', ""]
    return "\n".join(lines)


def _median_ms(run: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(
    sizes: Sequence[int],
    load_only: Sequence[int],
    repeats: int,
    statuses: bool = True,
    chain: bool = False,
) -> list[dict[str, Any]]:
    """Median ms of each step at each size (diff and timeline only for `sizes`)."""
    rows = []
    for n in sorted({*sizes, *load_only}):
        text_a = set_text(n, chain=chain)
        text_b = set_text(n, changed=True, statuses=statuses, chain=chain)
        a, b = parse_set(text_a), parse_set(text_b)
        load = _median_ms(lambda t=text_a: parse_set(t), repeats)
        row: dict[str, Any] = {"deals": n, "load": load}
        if n in sizes:
            row["timeline"] = _median_ms(lambda s=a: compute_timeline(s), repeats)
            row["diff"] = _median_ms(lambda x=a, y=b: diff_timelines(x, y), repeats)
            row["diff_per_timeline"] = row["diff"] / row["timeline"]
        rows.append(row)
    return rows


def measure_cli(
    sizes: Sequence[int], runs: int, warmups: int, statuses: bool = True, chain: bool = False
) -> list[dict[str, Any]]:
    """Median ms of `timeline --json` and `diff --timeline --json` as commands at each size
    (the console script beside the interpreter, else python -m gwcalc), and their ratio."""
    script = console_script()
    prefix = (str(script),) if script is not None else (PY, "-m", "gwcalc")
    rows = []
    with tempfile.TemporaryDirectory(prefix="gwcalc-scaling-") as folder:
        commands = []
        for n in sizes:
            a, b = Path(folder) / f"a{n}.toml", Path(folder) / f"b{n}.toml"
            a.write_text(set_text(n, chain=chain), encoding="utf-8")
            b.write_text(set_text(n, True, statuses, chain), encoding="utf-8")
            commands += [
                Command(f"timeline {n}", (*prefix, "timeline", "-a", str(a), "--json"), None, True),
                Command(
                    f"diff {n}",
                    (*prefix, "diff", str(a), str(b), "--timeline", "--json"),
                    None,
                    True,
                ),
            ]
        results = measure_commands(commands, runs, warmups, bytecode_cache=True)
    for i, n in enumerate(sizes):
        timeline, diff = results[2 * i], results[2 * i + 1]
        rows.append(
            {
                "deals": n,
                "timeline_ms": timeline.median_ms,
                "diff_ms": diff.median_ms,
                "timeline_min_ms": timeline.min_ms,
                "diff_min_ms": diff.min_ms,
                "diff_per_timeline": diff.median_ms / timeline.median_ms,
            }
        )
    return rows


def cli_table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| deals | `timeline --json` ms (min) | `diff --timeline --json` ms (min) "
        "| diff ÷ timeline | target |",
        "| ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        out.append(
            f"| {row['deals']:,} | {row['timeline_ms']:.0f} ({row['timeline_min_ms']:.0f}) | "
            f"{row['diff_ms']:.0f} ({row['diff_min_ms']:.0f}) | {row['diff_per_timeline']:.2f}× "
            f"| {'≤ 3×' if row['deals'] == 1000 else ''} |"
        )
    return "\n".join(out)


def table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| deals | load ms | ×growth | timeline ms | ×growth | diff --timeline ms | ×growth "
        "| diff ÷ timeline |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    previous: dict[str, Any] | None = None
    for row in rows:
        cells = [f"{row['deals']:,}"]
        for key in ("load", "timeline", "diff"):
            if key not in row:
                cells += ["—", "—"]
                continue
            growth = row[key] / previous[key] if previous and key in previous else None
            cells += [f"{row[key]:.1f}", f"{growth:.1f}×" if growth else "—"]
        cells.append(f"{row['diff_per_timeline']:.2f}×" if "diff" in row else "—")
        out.append("| " + " | ".join(cells) + " |")
        previous = row
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="deal counts for every step")
    parser.add_argument("--load-sizes", default="10000", help="further counts, loading only")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--keep-statuses", action="store_true", help="B counts the same statuses as A"
    )
    parser.add_argument(
        "--links",
        choices=("pairs", "chain"),
        default="pairs",
        help="a third of the deals restate the one before (pairs), or all do (one chain)",
    )
    parser.add_argument("--cli", action="store_true", help="also time the commands")
    parser.add_argument("--cli-sizes", default="1000", help="deal counts for --cli")
    parser.add_argument("--runs", type=int, default=9, help="timed runs per command (--cli)")
    parser.add_argument("--warmups", type=int, default=1, help="untimed runs first (--cli)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    def counts(text: str) -> list[int]:
        return [int(x) for x in text.split(",") if x.strip()]

    statuses, chain = not args.keep_statuses, args.links == "chain"
    rows = measure(counts(args.sizes), counts(args.load_sizes), args.repeats, statuses, chain)
    cli = (
        measure_cli(counts(args.cli_sizes), args.runs, args.warmups, statuses, chain)
        if args.cli
        else []
    )
    facts = machine_facts(args.runs, args.warmups, True)
    if args.json:
        doc = {"python": platform.python_version(), "rows": rows}
        if args.cli:
            doc |= {"cli": cli, "machine": facts}
        print(json.dumps(doc, indent=2))
        return 0
    print(f"Python {platform.python_version()}, median of {args.repeats} runs in process")
    if rows:
        print(table(rows))
    if args.cli:
        print(
            f"\nAs commands: median of {args.runs} runs each, round-robin, load average "
            f"{facts.get('loadavg')} (at the end), {facts['cpus']} CPUs"
        )
        print(cli_table(cli))
    return 0


if __name__ == "__main__":
    sys.exit(main())
