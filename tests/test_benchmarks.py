"""The benchmark scripts still run with their defaults (they sit outside the test suite)."""

from __future__ import annotations

import importlib.util
import json
import sys
from types import ModuleType

import pytest

from tests.conftest import REPO


def _script(name: str) -> ModuleType:
    """A benchmark script as a module, loaded from benchmarks/ (not a package)."""
    path = REPO / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_bench_engine_runs_with_its_default_set(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _script("bench_engine")
    assert bench.main(["--samples", "20", "--repeats", "1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["set"], doc["version"]) == ("independent-2026", 5)  # the newest shipped
    assert [row["median_per_s"] > 0 for row in doc["rows"]] == [True] * 3


@pytest.mark.parametrize(
    ("name", "label"), [("seed-2025", "seed-2025 v3"), ("seed-2025@1", "seed-2025 v1")]
)
def test_bench_engine_takes_a_name_or_a_version(
    name: str, label: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _script("bench_engine")
    assert bench.main(["--set", name, "--samples", "20", "--repeats", "1"]) == 0
    assert capsys.readouterr().out.startswith(f"{label}: 6 outputs per evaluation")


def test_bench_samples_times_the_timeline_in_process() -> None:
    bench = _script("bench_samples")
    (row,) = bench.timeline_in_process((200,), 1)
    assert (row["samples"], row["years"]) == (200, 6)
    assert row["us_per_sample_year"] > 0
    labels = [c.label for c in bench.commands((1_000,), (10_000,))]
    assert labels[-2:] == [
        "gwcalc timeline -a independent-2026 --json",
        "gwcalc timeline --json --samples 10,000",
    ] or labels[-2].startswith("python -m gwcalc timeline")


def test_bench_scaling_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _script("bench_scaling")
    args = ["--sizes", "3,30", "--load-sizes", "60", "--repeats", "1", "--json"]
    assert bench.main(args) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [row["deals"] for row in rows] == [3, 30, 60]
    assert {"load", "timeline", "diff"} <= set(rows[1]) and "diff" not in rows[2]


def test_bench_scaling_sets_differ_and_their_parts_add_up() -> None:
    """The benchmark's A and B: every part from a Shapley term, none left over."""
    import math

    from gwcalc.sets.read import parse_set
    from gwcalc.timelines.diff import diff_timelines

    bench = _script("bench_scaling")
    a, b = parse_set(bench.set_text(40)), parse_set(bench.set_text(40, changed=True))
    result = diff_timelines(a, b)
    assert result.gap_change != 0
    assert "other" not in {item.kind for item, _ in result.parts}
    total = math.fsum(part for _, part in result.parts)
    assert total == pytest.approx(result.gap_change, rel=1e-9)


def test_bench_numpy_compares_or_says_why_not(capsys: pytest.CaptureFixture[str]) -> None:
    """With numpy installed it times each command both ways; without, it says there is nothing
    to compare and succeeds."""
    bench = _script("bench_numpy")
    assert bench.main(["--runs", "1", "--warmups", "0", "--json"]) == 0
    out, err = capsys.readouterr()
    if importlib.util.find_spec("numpy") is None:
        assert out == ""
        assert "numpy is not installed" in err
    else:
        doc = json.loads(out)
        assert [len(r["with_ms"]) for r in doc["results"]] == [1] * 5
        assert all(r["ratio"] > 0 for r in doc["results"])


def test_bench_scaling_times_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """--cli runs `timeline` and `diff --timeline` as commands on one chain of deals and
    gives their ratio (only that it runs: timings never pass or fail a test)."""
    bench = _script("bench_scaling")
    args = ["--sizes", "", "--load-sizes", "", "--links", "chain", "--json"]
    assert bench.main([*args, "--cli", "--cli-sizes", "4", "--runs", "1", "--warmups", "1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (row,) = doc["cli"]
    assert row["deals"] == 4 and row["diff_per_timeline"] > 0 and doc["rows"] == []
    assert bench.set_text(3, chain=True).count("same_capacity_as") == 2
