"""Time one-shot gwcalc CLI commands against interpreter floors (`import pint`, `import click`)."""

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
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gwcalc.__main__ import PINT_EXTRAS

PY = sys.executable  # deliberately not resolved: a venv's python is a symlink to the base one
PINT_FLOOR = "python -c 'import pint'"
# numpy is a dependency of gwcalc (issue 19: sampling); pint imports it (and scipy, babel,
# uncertainties) when it is installed, ~180 ms, while the gwcalc program hides them from pint
# (gwcalc/__main__.py). The floor is pint as gwcalc imports it, not a pint slowed by numpy.
PINT_HIDDEN = (  # the program's own list of what it hides (gwcalc.__main__.PINT_EXTRAS)
    f"import sys\nfor n in {PINT_EXTRAS!r}:\n    sys.modules.setdefault(n, None)\nimport pint"
)
CLICK_FLOOR = "python -c 'import click'"
BARE = "python -c pass"
BUDGETS: dict[str, tuple[str, float]] = {
    # command key -> (floor label, allowed ratio of median to the floor's median)
    "convert": (PINT_FLOOR, 1.3),
    "gap": (PINT_FLOOR, 1.3),
    "timeline": (PINT_FLOOR, 1.6),  # 6 years × 5 chips planned through pint, 10 deals
    "timeline diff": (PINT_FLOOR, 3.0),  # two timelines, then Shapley terms
    "help": (CLICK_FLOOR, 1.5),
    "complete": (PINT_FLOOR, 1.3),  # a TAB must never cost more than a command
}
# Issue 19's ratios to reach for a repeated command (warm: its answer kept by gwcalc.answers
# during the warm-ups), against `import pint`
TARGETS = {"convert": 0.6, "gap": 0.6, "timeline": 0.8, "complete": 0.6}
CONVERT_ARGS = ("convert", "6 GW", "--to", "gpu", "--json")
GAP_ARGS = ("gap", "--json")
TIMELINE_ARGS = ("timeline", "-a", "independent-2026", "--json")
TIMELINE_DIFF_ARGS = ("diff", "seed-2025", "independent-2026", "--timeline", "--json")
HELP_ARGS = ("--help",)
# bash's completion protocol: a TAB after `gwcalc gap -a ` (set names), `--to g` (unit names)
COMPLETE_SET = (
    ("_GWCALC_COMPLETE", "bash_complete"), ("COMP_WORDS", "gwcalc gap -a "), ("COMP_CWORD", "3")
)  # fmt: skip
COMPLETE_UNIT = (
    ("_GWCALC_COMPLETE", "bash_complete"),
    ("COMP_WORDS", "gwcalc convert 6GW --to g"),
    ("COMP_CWORD", "4"),
)


@dataclass(frozen=True)
class Command:
    """One command line to time."""

    label: str  # what the table shows
    argv: tuple[str, ...]
    budget_key: str | None = None  # key into BUDGETS; None for floors and context rows
    expects_json: bool = False  # check once that stdout parses as JSON
    env: tuple[tuple[str, str], ...] = ()  # set for this command (e.g. shell completion's)
    cold: bool = False  # with the kept answers off: held to BUDGETS; warm rows to TARGETS


@dataclass
class Result:
    """Timings of one command, in milliseconds."""

    label: str
    argv: list[str]
    samples_ms: list[float] = field(default_factory=list)
    median_ms: float = 0.0
    min_ms: float = 0.0
    floor: str | None = None
    ratio: float | None = None
    budget: float | None = None
    within_budget: bool | None = None
    target: float | None = None  # issue 19's ratio to reach, against the same floor


class CommandFailed(RuntimeError):
    """A timed command exited non-zero or printed something unexpected."""


def console_script() -> Path | None:
    """The `gwcalc` console script installed next to sys.executable, if there is one."""
    bindir = Path(PY).parent
    for name in ("gwcalc", "gwcalc.exe"):
        candidate = bindir / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def build_commands(entry: str) -> list[Command]:
    """Floors first, then gwcalc commands for the chosen entry points."""
    commands = [
        Command(BARE, (PY, "-c", "pass")),
        Command(PINT_FLOOR, (PY, "-c", PINT_HIDDEN)),
        Command(CLICK_FLOOR, (PY, "-c", "import click")),
    ]
    prefixes: list[tuple[str, tuple[str, ...]]] = []
    if entry in ("module", "both"):
        prefixes.append(("python -m gwcalc", (PY, "-m", "gwcalc")))
    if entry in ("script", "both"):
        script = console_script()
        if script is None:
            if entry == "script":
                raise SystemExit(f"no gwcalc console script next to {PY}")
            print(f"note: no gwcalc console script next to {PY}; timing -m only", file=sys.stderr)
        else:
            prefixes.append(("gwcalc", (str(script),)))
    for shown, prefix in prefixes:
        for cold in (False, True):
            commands += gwcalc_commands(shown, prefix, cold)
    return commands


def gwcalc_commands(shown: str, prefix: tuple[str, ...], cold: bool) -> list[Command]:
    """The timed gwcalc commands, warm (a repeat: the kept answer, gwcalc.answers, after the
    warm-ups) or cold (GWCALC_NO_CACHE: computed every time, as a new query is)."""
    mode = " (cold)" if cold else " (warm)"
    off = (("GWCALC_NO_CACHE", "1"),) if cold else ()
    return [
        Command(
            f"{shown} convert '6 GW' --to gpu --json{mode}",
            (*prefix, *CONVERT_ARGS),
            "convert",
            True,
            off,
            cold,
        ),
        Command(f"{shown} gap --json{mode}", (*prefix, *GAP_ARGS), "gap", True, off, cold),
        Command(
            f"{shown} timeline -a independent-2026 --json{mode}",
            (*prefix, *TIMELINE_ARGS),
            "timeline",
            True,
            off,
            cold,
        ),
        Command(
            f"{shown} diff seed-2025 independent-2026 --timeline --json{mode}",
            (*prefix, *TIMELINE_DIFF_ARGS),
            "timeline diff",
            True,
            off,
            cold,
        ),
        Command(f"{shown} --help{mode}", (*prefix, *HELP_ARGS), "help", False, off, cold),
        Command(
            f"{shown}: TAB after gap -a{mode}", prefix, "complete", False, COMPLETE_SET + off, cold
        ),
        Command(
            f"{shown}: TAB after --to g{mode}", prefix, "complete", False, COMPLETE_UNIT + off, cold
        ),
    ]


def clean_env(workdir: str, bytecode_cache: bool, answers: bool = False) -> dict[str, str]:
    """The caller's environment without GWCALC_* settings, which would change what runs, and
    with the program's kept answers (gwcalc.answers) off: every run computes, as a new query
    does. With answers, they are on, kept in WORKDIR's cache folder (not the user's).

    With bytecode_cache, every child writes and reads .pyc files under WORKDIR (never the
    repo), so after the warm-ups no row pays for compiling source, as with an installed wheel;
    without it, the caller's PYTHONDONTWRITEBYTECODE / PYTHONPYCACHEPREFIX are left as they are.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GWCALC_")}
    if answers:  # the platform's cache folder, as a user's run finds it (not GWCALC_CACHE_DIR)
        env["XDG_CACHE_HOME"] = env["LOCALAPPDATA"] = str(Path(workdir) / "cache")
        env["HOME"] = str(Path(workdir) / "home")  # macOS: ~/Library/Caches
    else:
        env["GWCALC_NO_CACHE"] = "1"
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(workdir) / "pycache")
    return env


def run_once(cmd: Command, cwd: str, env: dict[str, str], check_output: bool = False) -> float:
    """Run the command once; return its wall time in ms, or raise CommandFailed."""
    env = dict(env, **dict(cmd.env))
    start = time.perf_counter()
    proc = subprocess.run(cmd.argv, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = (time.perf_counter() - start) * 1000.0
    if proc.returncode != 0:
        raise CommandFailed(
            f"{cmd.label!r} exited {proc.returncode}\n  argv: {list(cmd.argv)}\n"
            f"  stderr: {proc.stderr.decode(errors='replace').strip()}"
        )
    if check_output and cmd.expects_json:
        try:
            json.loads(proc.stdout)
        except ValueError as exc:
            raise CommandFailed(f"{cmd.label!r} did not print JSON: {exc}") from exc
    return elapsed


def measure(
    commands: Sequence[Command],
    runs: int,
    warmups: int,
    bytecode_cache: bool,
    answers: bool = False,
) -> list[Result]:
    """Warm up every command, then time them round-robin so drift hits all rows alike. With
    answers, the program's kept answers are on (the warm-ups keep them; a command marked cold
    turns them off); without, every run computes."""
    results = [Result(c.label, list(c.argv)) for c in commands]
    with tempfile.TemporaryDirectory(prefix="gwcalc-bench-") as workdir:
        cwd = str(Path(workdir) / "cwd")  # empty: no ./assumptions, nothing written here
        os.mkdir(cwd)
        env = clean_env(workdir, bytecode_cache, answers)
        for cmd in commands:
            for i in range(warmups):
                run_once(cmd, cwd, env, check_output=i == 0)
        for _ in range(runs):
            for cmd, res in zip(commands, results, strict=True):
                res.samples_ms.append(run_once(cmd, cwd, env))
    for res in results:
        res.median_ms = statistics.median(res.samples_ms)
        res.min_ms = min(res.samples_ms)
    floors = {r.label: r.median_ms for r in results}
    for cmd, res in zip(commands, results, strict=True):
        if cmd.budget_key is None:
            continue
        floor, budget = BUDGETS[cmd.budget_key]
        res.floor = floor
        res.ratio = res.median_ms / floors[floor]
        if cmd.cold:  # computed: the budgets of every run
            res.budget, res.within_budget = budget, res.ratio <= budget
        else:  # a repeat: issue 19's targets
            res.target = TARGETS.get(cmd.budget_key)
    return results


def machine_facts(runs: int, warmups: int, bytecode_cache: bool) -> dict[str, Any]:
    """What the numbers were measured on (the machine is shared: read them as a guide)."""
    facts: dict[str, Any] = {
        "python": sys.version.split()[0],
        "executable": PY,
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "runs": runs,
        "warmups": warmups,
        "bytecode_cache": bytecode_cache,
    }
    if hasattr(os, "getloadavg"):
        facts["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    return facts


def markdown(results: Sequence[Result], facts: dict[str, Any]) -> str:
    """The results as a Markdown table, with the machine facts above it."""
    lines = [
        f"Python {facts['python']} ({facts['executable']}), {facts['cpus']} CPUs, "
        f"{facts['platform']}; median of {facts['runs']} runs after {facts['warmups']} "
        f"warm-up(s); bytecode cache {'on' if facts['bytecode_cache'] else 'as in env'}; "
        f"load average {facts.get('loadavg', 'n/a')}",
        "",
        "| command | median ms | min ms | ratio to floor | budget (cold) | within budget? "
        "| issue 19 target (warm) |",
        "| --- | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for r in results:
        target = ""
        if r.ratio is None:
            ratio, budget, within = "—", "floor" if r.label != BARE else "context", "—"
        else:
            ratio = f"{r.ratio:.2f}× `{r.floor}`"
            budget = f"≤ {r.budget:.1f}×" if r.budget is not None else ""
            within = {True: "yes", False: "**no**", None: ""}[r.within_budget]
            if r.target is not None:
                target = f"≤ {r.target}× ({'reached' if r.ratio <= r.target else 'not yet'})"
        lines.append(
            f"| `{r.label}` | {r.median_ms:.1f} | {r.min_ms:.1f} | {ratio} | {budget} | {within} "
            f"| {target} |"
        )
    lines += ["", "Timings are informational: the exit code does not depend on them."]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (default 15)")
    parser.add_argument(
        "--warmups", type=int, default=2, help="untimed runs per command first (default 2)"
    )
    parser.add_argument(
        "--entry",
        choices=("both", "module", "script"),
        default="both",
        help="time 'python -m gwcalc', the gwcalc console script, or both (default both)",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        dest="bytecode_cache",
        action="store_false",
        help="keep the caller's PYTHONDONTWRITEBYTECODE/PYTHONPYCACHEPREFIX instead of giving "
        "the children a private .pyc cache in the temporary directory",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmups < 0:
        parser.error("--runs must be ≥ 1 and --warmups ≥ 0")
    if args.runs < 10:
        print("note: fewer than 10 runs; medians will be noisy", file=sys.stderr)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    commands = build_commands(args.entry)
    try:
        results = measure(commands, args.runs, args.warmups, args.bytecode_cache, answers=True)
    except CommandFailed as exc:
        print(f"bench_cli: command failed: {exc}", file=sys.stderr)
        return 1
    facts = machine_facts(args.runs, args.warmups, args.bytecode_cache)
    if args.json:
        print(json.dumps({"machine": facts, "results": [asdict(r) for r in results]}, indent=2))
    else:
        print(markdown(results, facts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
