"""Time the compiled evaluator: evaluations of all gap outputs per second, against pint."""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from gwcalc.engine.plan import compile_gap
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.find import resolve_set


def _rate(run: Callable[[], int], repeats: int) -> tuple[float, float]:
    """(median, best) evaluations per second over repeats of run (which returns its count)."""
    rates = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()  # as timeit does: time the arithmetic, not the collector's passes
        try:
            start = time.perf_counter()
            count = run()
            rates.append(count / (time.perf_counter() - start))
        finally:
            gc.enable()
    return statistics.median(rates), max(rates)


def measure(aset: AssumptionSet, samples: int, repeats: int, seed: int) -> list[dict[str, Any]]:
    plan = compile_gap(aset)
    rng = random.Random(seed)
    base = plan.values()
    share = plan.parameters.index("vendor_share")
    vectors = [[v * rng.uniform(0.5, 1.5) for v in base] for _ in range(samples)]
    for row in vectors:
        row[share] = min(row[share], 1.0)
    columns = [list(col) for col in zip(*vectors, strict=True)]
    pint_runs = max(samples // 500, 20)

    def one_vector() -> int:
        evaluate = plan.evaluate
        kept = [evaluate(row) for row in vectors]  # keep the results, as sampling does
        return len(kept)

    def columns_batch() -> int:
        plan.evaluate_columns(columns)
        return samples

    def planning() -> int:
        for _ in range(pint_runs):
            compile_gap(aset)
        return pint_runs

    rows = []
    for label, run in (
        ("pint: compile_gap (every output through pint, as one CLI run does)", planning),
        ("compiled: plan.evaluate(vector), one call per vector", one_vector),
        ("compiled: plan.evaluate_columns(columns), one call per batch", columns_batch),
    ):
        median, best = _rate(run, repeats)
        rows.append({"path": label, "median_per_s": median, "best_per_s": best})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--set",
        default="independent-2026",
        help="set to evaluate: NAME (its newest version), NAME@VERSION or a .toml path",
    )
    parser.add_argument("--samples", type=int, default=100_000, help="vectors per timed run")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per path")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    aset = resolve_set(args.set)  # found as the CLI finds it: a bare NAME is the newest version
    rows = measure(aset, args.samples, args.repeats, args.seed)
    if args.json:
        meta = {"python": platform.python_version(), "numpy": "numpy" in sys.modules}
        print(json.dumps({**meta, **vars(args), "version": aset.version, "rows": rows}, indent=2))
        return 0
    outputs = len(compile_gap(aset).outputs)
    print(f"{aset.label}: {outputs} outputs per evaluation, {args.samples:,} vectors, "
          f"median of {args.repeats} runs, Python {platform.python_version()}, "
          f"numpy imported: {'numpy' in sys.modules}")  # fmt: skip
    print()
    print("| path | evaluations/s (median) | best | vs pint |")
    print("| --- | ---: | ---: | ---: |")
    floor = rows[0]["median_per_s"]
    for row in rows:
        ratio = row["median_per_s"] / floor
        print(
            f"| {row['path']} | {row['median_per_s']:,.0f} | {row['best_per_s']:,.0f} "
            f"| {ratio:,.0f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
