"""Time loading a set, `timeline` and `diff --timeline` as the number of deals grows ×10.

Each size N generates a format 2 set with N deals (in GW and in dollars, a third of them
restating an earlier deal with same_capacity_as, in chains) and a B that differs from it in
one rate (hardware_cost_per_gw, on the chain of every dollar deal), its counted statuses (so
every deal's term changes) and one deal in ten (resized). Each step runs in process `--repeats`
times; the table shows the median and the growth from the size before (deals ×10: time ×~10
when the cost is linear)."""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

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


def set_text(deals: int, changed: bool = False, statuses: bool = True) -> str:
    """A set with `deals` deals; changed: B (another rate, one deal in ten and, if statuses,
    the counted statuses)."""
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
        if i % 3 == 2:  # restates the deal before it (chains of linked deals)
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
    sizes: Sequence[int], load_only: Sequence[int], repeats: int, statuses: bool = True
) -> list[dict[str, Any]]:
    """Median ms of each step at each size (diff and timeline only for `sizes`)."""
    rows = []
    for n in sorted({*sizes, *load_only}):
        text_a, text_b = set_text(n), set_text(n, changed=True, statuses=statuses)
        a, b = parse_set(text_a), parse_set(text_b)
        load = _median_ms(lambda t=text_a: parse_set(t), repeats)
        row: dict[str, Any] = {"deals": n, "load": load}
        if n in sizes:
            row["timeline"] = _median_ms(lambda s=a: compute_timeline(s), repeats)
            row["diff"] = _median_ms(lambda x=a, y=b: diff_timelines(x, y), repeats)
            row["diff_per_timeline"] = row["diff"] / row["timeline"]
        rows.append(row)
    return rows


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
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    def counts(text: str) -> list[int]:
        return [int(x) for x in text.split(",") if x.strip()]

    rows = measure(
        counts(args.sizes), counts(args.load_sizes), args.repeats, not args.keep_statuses
    )
    if args.json:
        print(json.dumps({"python": platform.python_version(), "rows": rows}, indent=2))
    else:
        print(f"Python {platform.python_version()}, median of {args.repeats} runs in process")
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
