"""Time `gwcalc convert -` on a stream of quantities: lines per second, per output format."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PY = sys.executable  # deliberately not resolved: a venv's python is a symlink to the base one
FORMATS: dict[str, tuple[str, ...]] = {
    "--json (JSON Lines)": ("--json",),
    "--format csv": ("--format", "csv"),
    "-q": ("-q",),
}


def gwcalc_command() -> list[str]:
    """The console script beside the interpreter (as users run it), else `python -m gwcalc`."""
    script = Path(PY).parent / "gwcalc"
    return [str(script)] if script.exists() else [PY, "-m", "gwcalc"]


def timed(argv: list[str], stdin: Path, cwd: str, env: dict[str, str]) -> tuple[float, bytes]:
    with stdin.open("rb") as source:
        start = time.perf_counter()
        done = subprocess.run(
            argv, stdin=source, capture_output=True, cwd=cwd, env=env, check=False
        )
        elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[:500]}")
    return elapsed, done.stdout


def measure(lines: int, runs: int, warmups: int, unit: str, target: str) -> dict[str, Any]:
    command = gwcalc_command()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GWCALC_")}
    env["GWCALC_NO_CACHE"] = "1"  # computed every time (a stream reads stdin: never kept anyway)
    with tempfile.TemporaryDirectory() as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        big, one = Path(tmp) / "big.txt", Path(tmp) / "one.txt"
        big.write_text("".join(f"{i} {unit}\n" for i in range(1, lines + 1)))
        one.write_text(f"1 {unit}\n")
        rows: dict[str, Any] = {}
        for label, args in FORMATS.items():
            argv = [*command, "convert", "-", "--to", target, *args]
            for _ in range(warmups):
                _, out = timed(argv, big, tmp, env)
                count = out.count(b"\n")
                if count < lines:
                    raise SystemExit(f"{label}: {count} lines out for {lines} in")
            walls = [timed(argv, big, tmp, env)[0] for _ in range(runs)]
            starts = [timed(argv, one, tmp, env)[0] for _ in range(runs)]
            wall, start = statistics.median(walls), statistics.median(starts)
            rows[label] = {
                "median_s": wall,
                "lines_per_s": lines / wall,
                "one_line_s": start,
                "after_start_up_lines_per_s": lines / (wall - start) if wall > start else None,
                "samples_s": walls,
            }
    return rows


def in_process(lines: int, runs: int, unit: str, target: str) -> dict[str, float]:
    """CPU seconds (time.process_time, which other jobs on the machine disturb less than wall
    time) of the command itself, run in this process with stdin and stdout in memory: lines/s."""
    import io

    from gwcalc.cli import cli

    data = "".join(f"{i} {unit}\n" for i in range(1, lines + 1)).encode()
    out: dict[str, float] = {}
    saved = sys.stdin, sys.stdout
    for label, args in FORMATS.items():
        times = []
        for _ in range(runs + 1):  # the first run imports what the command needs
            sys.stdin = io.TextIOWrapper(io.BytesIO(data))
            sys.stdout = io.StringIO()
            start = time.process_time()
            code = cli.main(["convert", "-", "--to", target, *args], standalone_mode=False)
            times.append(time.process_time() - start)
            sys.stdin, sys.stdout = saved
            if code:
                raise SystemExit(f"{label}: exit {code}")
        out[label] = lines / statistics.median(times[1:])
    return out


def markdown(rows: dict[str, Any], lines: int) -> str:
    out = [
        f"| `convert - --to gpu …`, {lines:,} lines | median s | lines/s | one line, s | "
        "lines/s after start-up | in-process CPU lines/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, r in rows.items():
        after = r["after_start_up_lines_per_s"]
        cells = [
            f"`{label}`",
            f"{r['median_s']:.3f}",
            f"{r['lines_per_s']:,.0f}",
            f"{r['one_line_s']:.3f}",
            f"{after:,.0f}" if after else "—",
            f"{r['in_process_cpu_lines_per_s']:,.0f}",
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmups", type=int, default=1)
    parser.add_argument("--unit", default="GW", help="unit of every input line (default GW)")
    parser.add_argument("--to", default="gpu", help="target unit (default gpu)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    rows = measure(args.lines, args.runs, args.warmups, args.unit, args.to)
    cpu = in_process(args.lines, args.runs, args.unit, args.to)
    for label, rate in cpu.items():
        rows[label]["in_process_cpu_lines_per_s"] = rate
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if args.json:
        info = {"python": platform.python_version(), "load_average": load, "lines": args.lines}
        print(json.dumps({**info, "runs": args.runs, "results": rows}, indent=2))
    else:
        print(markdown(rows, args.lines))
        print(f"\nPython {platform.python_version()}, {args.runs} runs, load average {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
