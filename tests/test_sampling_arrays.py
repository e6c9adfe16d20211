"""Sampling with numpy (from ARRAYS_FROM samples on) gives the float path's numbers to the bit."""

from __future__ import annotations

import bisect
import math
import random
import subprocess
import sys
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.errors import GwcalcError
from gwcalc.sets.ranges import Range
from gwcalc.uncertainty import arrays, sampling
from gwcalc.uncertainty.distributions import Distribution
from gwcalc.uncertainty.sampling import diff_uncertainty, plan_uncertainty
from gwcalc.uncertainty.summary import ranks, summarize
from gwcalc.uncertainty.timeline import timeline_uncertainty
from tests.helpers import assert_user_error, invoke

RANGES = Path(__file__).resolve().parent / "sets" / "independent-2026-ranges.toml"
RUN_RANGES = {  # bench_samples.py's five ranges: lognormal, two groups
    "cowos_wafers_per_year": "1.1M..1.5M",
    "vendor_share": "0.6..0.73",
    "gpus_per_wafer": "9..16",
    "gpus_per_gw": "330k..478k",
    "all_in_cost_per_gw": "38B..50B",
}


@pytest.fixture
def floats_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sampling, "ARRAYS_FROM", sampling.MAX_SAMPLES + 1)


@pytest.fixture
def arrays_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sampling, "ARRAYS_FROM", 1)


def both_paths(monkeypatch: pytest.MonkeyPatch, run: object) -> tuple[object, object]:
    """run() on the float path, then with arrays."""
    assert callable(run)
    monkeypatch.setattr(sampling, "ARRAYS_FROM", sampling.MAX_SAMPLES + 1)
    floats = run()
    monkeypatch.setattr(sampling, "ARRAYS_FROM", 1)
    assert sampling.use_arrays(1)
    return floats, run()


def test_the_threshold_between_floats_and_arrays() -> None:
    assert not sampling.use_arrays(sampling.ARRAYS_FROM - 1)
    assert sampling.use_arrays(sampling.ARRAYS_FROM)


@given(seed=st.integers(0, 2**63 - 1), counts=st.lists(st.integers(1, 3000), max_size=4))
def test_numpy_carries_on_pythons_random_stream(seed: int, counts: list[int]) -> None:
    """The same draws as `random() or 0.5`, and Python's stream carries on after numpy's."""
    stream, reference = random.Random(f"{seed}/x"), random.Random(f"{seed}/x")
    for count in counts:
        drawn = arrays.uniforms(stream, count).tolist()
        assert drawn == [reference.random() or 0.5 for _ in range(count)]
    assert stream.random() == reference.random()


def test_the_normal_quantile_is_cpythons_to_the_bit() -> None:
    ps = np.concatenate(
        [
            np.geomspace(1e-300, 0.5, 20_000),
            1 - np.geomspace(1e-16, 0.5, 20_000),
            np.random.default_rng(5).random(50_000),
            [0.075, 0.925, 0.5 - 0.425, 0.5 + 0.425, math.exp(-25), 1 - math.exp(-25)],
        ]
    )
    ps = ps[(ps > 0) & (ps < 1)]
    for mu, sigma in ((0.0, 1.0), (3.5, 0.2), (-1e6, 7e4)):
        expected = [NormalDist(mu, sigma).inv_cdf(p) for p in ps.tolist()]
        assert arrays.inverse_normal(ps, mu, sigma).tolist() == expected


@pytest.mark.parametrize("libm", [True, False])
def test_exp_and_log_are_pythons(libm: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """numpy's own exp and log where they are libm's (checked), else Python's per element."""
    if not libm:
        monkeypatch.setattr(arrays, "libm_alike", lambda: False)
    xs = np.random.default_rng(3).normal(0.0, 20.0, 100_000)
    assert arrays.exp(xs).tolist() == [math.exp(x) for x in xs.tolist()]
    ps = np.random.default_rng(4).random(100_000) + 1e-300
    assert arrays.log(ps).tolist() == [math.log(p) for p in ps.tolist()]
    with pytest.raises(OverflowError):
        arrays.exp(np.array([1.0, 800.0]))


@given(
    kind=st.sampled_from(["lognormal", "normal", "uniform", "triangular", "pert"]),
    ends=st.lists(
        st.floats(min_value=1e-3, max_value=1e9, allow_nan=False), min_size=3, max_size=3
    ),
    credibility=st.floats(min_value=50.0, max_value=99.0),
    truncated=st.booleans(),
    seed=st.integers(0, 2**32),
)
def test_every_distribution_gives_the_float_paths_samples(
    kind: str, ends: list[float], credibility: float, truncated: bool, seed: int
) -> None:
    low, mode, high = sorted(ends)
    bounded = kind in ("uniform", "triangular", "pert")
    assume(low * (1 + 1e-9) < high < low * 1e6)
    bounds = (low * 0.999, high * 1.001) if truncated else (0.0, math.inf)
    dist = Distribution(Range(low, high, kind, 90.0 if bounded else credibility), mode, *bounds)
    us = arrays.uniforms(random.Random(seed), 2000)
    us[:3] = (1e-300, 0.5, 1 - 2**-53)
    assert arrays.column(dist, us).tolist() == dist.from_uniforms(us.tolist())


@given(
    table=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=50).map(sorted),
    xs=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=50),
)
def test_the_guided_search_is_bisect_left(table: list[float], xs: list[float]) -> None:
    found = arrays.bisect_left(np.array(table), np.array(xs)).tolist()
    assert found == [bisect.bisect_left(table, x) for x in xs]


@given(values=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=200))
def test_the_exact_sum_is_fsums(values: list[float]) -> None:
    try:
        expected = math.fsum(values)
    except OverflowError:
        with pytest.raises(OverflowError):
            arrays.exact_sum(np.array(values))
        return
    assert repr(arrays.exact_sum(np.array(values))) == repr(expected)


@pytest.mark.parametrize("spread", [0.1, 3.0, 40.0])
def test_the_exact_sum_of_a_million(spread: float) -> None:
    rng = np.random.default_rng(int(spread))
    values = rng.lognormal(0.0, spread, 1_000_000) * rng.choice([-1.0, 1.0], 1_000_000)
    assert arrays.exact_sum(values) == math.fsum(values.tolist())


def test_a_point_range_is_its_point() -> None:
    dist = Distribution(Range(2.0, 2.0, "lognormal"), 2.0)
    assert arrays.column(dist, np.full(3, 0.3)).tolist() == [2.0, 2.0, 2.0]


samples = st.lists(
    st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        st.sampled_from([0.0, -0.0, 1.0, -1.0]),
    ),
    min_size=1,
    max_size=300,
)


@given(values=samples)
def test_selection_summarises_as_sorting_does(values: list[float]) -> None:
    """The same Summary, bit for bit, signed zeros and ties included."""
    try:
        expected = summarize(values)
    except (OverflowError, GwcalcError) as exc:  # beyond a float: the same error
        with pytest.raises(type(exc)):
            arrays.summarize_array(np.array(values))
        return
    got = arrays.summarize_array(np.array(values))
    assert repr(got) == repr(expected)


@pytest.mark.parametrize("n", [1, 2, 3, 19, 20, 21, 100, 12_345, 1_000_000])
def test_ranks_are_every_order_statistic_read(n: int) -> None:
    values = np.random.default_rng(n).lognormal(0.0, 1.0, n)
    values[n // 2] = values[0]  # a tie
    assert arrays.summarize_array(values) == summarize(values.tolist())
    assert all(0 <= k < n for k in ranks(n)) and len(ranks(n)) <= 14


def test_values_beyond_a_float_summarise_as_before() -> None:
    values = np.array([1.0, math.inf, 2.0, 3.0])
    with pytest.raises(GwcalcError) as floats:
        summarize(values.tolist())
    with pytest.raises(GwcalcError) as selected:
        arrays.summarize_array(values)
    assert str(selected.value) == str(floats.value)
    huge = np.array([1.0, 2.0, 1e308, 1e308])
    with pytest.raises(OverflowError):
        summarize(huge.tolist())  # math.fsum: intermediate overflow
    with pytest.raises(OverflowError):
        arrays.summarize_array(huge)


def test_a_plan_gives_the_same_uncertainty_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    aset = api.load_set("independent-2026", overrides=RUN_RANGES)
    plan = api.gap(aset).plan
    floats, arrays_ = both_paths(monkeypatch, lambda: plan_uncertainty(aset, plan, 25_000, 9))
    assert floats == arrays_


def test_a_diff_gives_the_same_uncertainty_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    before = api.gap("independent-2026@3").plan
    after = api.gap(api.load_set("independent-2026", overrides=RUN_RANGES)).plan
    floats, arrays_ = both_paths(monkeypatch, lambda: diff_uncertainty(before, after, 25_000))
    assert floats == arrays_


def test_a_timeline_gives_the_same_uncertainty_both_ways(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    computed = api.timeline("independent-2026").computed
    floats, arrays_ = both_paths(monkeypatch, lambda: timeline_uncertainty(computed, 20_000, 4))
    assert floats == arrays_


@pytest.mark.parametrize(
    "args",
    [
        ("gap", "-a", str(RANGES), "--samples", "20000", "--json"),
        ("convert", "1 GW", "--to", "gpu", "-a", str(RANGES), "--samples", "20000", "--json"),
        ("timeline", "-a", "independent-2026", "--samples", "20000", "--json"),
        ("timeline", "-a", "independent-2026", "--samples", "20000"),
    ],
)
def test_the_cli_prints_the_same_bytes_both_ways(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    floats, arrays_ = both_paths(monkeypatch, lambda: invoke(*args))
    for result in (floats, arrays_):
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert (floats.stdout, floats.stderr) == (arrays_.stdout, arrays_.stderr)  # type: ignore[attr-defined]


def test_samples_beyond_a_float_are_the_same_clean_error(
    tmp_path: Path, arrays_always: None
) -> None:
    text = RANGES.read_text(encoding="utf-8").replace(
        "low = 1100000\n", "low = 1\ncredibility = 1\n", 1
    )
    path = tmp_path / "wide.toml"
    path.write_text(text, encoding="utf-8")
    assert_user_error(
        invoke("gap", "--samples", "1000", "-a", str(path)),
        "a sample is beyond what can be computed",
    )


def _run(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


PROGRAM = (
    "import sys, io, contextlib\n"
    "from gwcalc.__main__ import hide_pint_extras\n"
    "hide_pint_extras()\n"
    "from gwcalc.cli import cli\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    cli.main({args!r}, standalone_mode=False)\n"
    "import pint.compat\n"
    "print(pint.compat.HAS_NUMPY, sys.modules.get('numpy') is not None)\n"
)


@pytest.mark.parametrize(
    ("args", "numpy"),
    [
        (["gap", "--json"], False),
        (["timeline", "--json"], False),
        (["gap", "-a", str(RANGES), "--samples", "99999", "--json"], False),
        (["gap", "-a", str(RANGES), "--samples", "100000", "--json"], True),
        (["timeline", "--samples", "16666", "--json"], False),  # 6 years: 99,996
        (["timeline", "--samples", "16667", "--json"], True),
    ],
)
def test_the_program_imports_numpy_only_to_sample_many(args: list[str], numpy: bool) -> None:
    """The program (numpy hidden from pint at start-up) lets numpy in only for ARRAYS_FROM
    samples or more, after pint: pint keeps plain floats."""
    assert _run(PROGRAM.format(args=args)) == ["False", str(numpy)]


def test_without_numpy_sampling_takes_floats(tmp_path: Path) -> None:
    (tmp_path / "numpy.py").write_text("raise ImportError('as if not installed')\n", "utf-8")
    code = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        "from gwcalc.uncertainty import sampling\n"
        "print(sampling.use_arrays(sampling.ARRAYS_FROM))\n"
    )
    assert _run(code) == ["False"]
