"""Monte Carlo over ranges: closed forms, exact point results, seeds, groups, distributions."""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import random
import sys
from pathlib import Path
from statistics import NormalDist, stdev

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.errors import GwcalcError
from gwcalc.sets.ranges import Range
from gwcalc.sets.read import load_set
from gwcalc.uncertainty.distributions import Distribution
from gwcalc.uncertainty.sampling import (
    MAX_SAMPLES,
    Sampler,
    percentile,
    plan_uncertainty,
    probability,
    sample_columns,
    summarize,
)
from tests.helpers import assert_user_error, invoke, json_output
from tests.strategies import SEED

RANGES = Path(__file__).resolve().parent / "sets" / "independent-2026-ranges.toml"
Z90 = NormalDist().inv_cdf(0.95)
SUPPLY_RANGES = {
    "cowos_wafers_per_year": "1.1M..1.5M",
    "vendor_share": "0.6..0.73",
    "gpus_per_wafer": "8..12",
    "gpus_per_gw": "330k..478k",
}


def test_a_product_of_lognormals_matches_the_closed_form() -> None:
    # v3: no groups (in v4 a run range keeps gpus_per_wafer and gpus_per_gw moving together)
    aset = api.load_set("independent-2026@3", overrides=SUPPLY_RANGES)
    plan = api.gap(aset).plan
    supply = plan["supply_per_year"]
    # ln Y = ln C + Σ eᵢ ln xᵢ, each ln xᵢ normal: Y is lognormal with σ² = Σ σᵢ²
    y0 = plan.evaluate(plan.values())[plan.names.index("supply_per_year")]
    mu = math.log(y0)
    variance = 0.0
    for f in supply.factors:
        param = aset.parameters[f.parameter]
        assert param.range is not None
        lo, hi = math.log(param.range.low), math.log(param.range.high)
        mu += f.exponent * ((lo + hi) / 2 - math.log(param.value))
        variance += ((hi - lo) / (2 * Z90)) ** 2
    sigma = math.sqrt(variance)
    expected = [math.exp(mu - Z90 * sigma), math.exp(mu), math.exp(mu + Z90 * sigma)]
    summary = plan_uncertainty(aset, plan, 100_000, seed=7).summaries["supply_per_year"]
    got_all = (summary.p5, summary.p50, summary.p95)
    assert summary.errors is not None
    for got, want, error in zip(got_all, expected, summary.errors, strict=True):
        assert abs(got - want) < 4 * error, (got, want, error)
        assert got == pytest.approx(want, rel=0.01)
    assert summary.mean == pytest.approx(math.exp(mu + variance / 2), rel=0.01)


def test_zero_width_ranges_give_exactly_the_point_result() -> None:
    base = api.load_set("independent-2026@3")  # the newest version without ranges of its own
    names = ("cowos_wafers_per_year", "gpus_per_gw", "vendor_share", "all_in_cost_per_gw")
    ends = {n: f"{base.parameters[n].value!r}..{base.parameters[n].value!r}" for n in names}
    aset = api.load_set("independent-2026@3", overrides=ends)
    assert all(aset.parameters[n].range is not None for n in names)
    plan = api.gap(aset).plan
    assert plan.values() == api.gap(base).plan.values()
    point = plan.evaluate(plan.values())
    columns = sample_columns(aset, plan, 1000, seed=3)
    for i, out in enumerate(plan.evaluate_columns(columns)):
        assert set(out) == {point[i]}
    u = plan_uncertainty(aset, plan, 1000)
    for i, name in enumerate(plan.names):
        s = u.summaries[name]
        assert (s.p5, s.p50, s.p95, s.mean) == (point[i],) * 4


def test_a_set_without_ranges_gives_the_point_value_and_says_so() -> None:
    result = api.gap(SEED, samples=500)
    assert result.uncertainty is not None and result.uncertainty.varied == ()
    point = result.plan.evaluate(result.plan.values())
    for i, name in enumerate(result.plan.names):
        if name in result.uncertainty.summaries:
            s = result.uncertainty.summaries[name]
            assert s.p5 == s.p50 == s.p95 == point[i]
    table = invoke("gap", "--samples", "500")
    assert table.exit_code == 0, table.stderr
    assert "No parameter on these chains has a range" in table.stdout


def test_the_same_seed_gives_the_same_json_and_another_seed_does_not() -> None:
    args = ("gap", "-a", str(RANGES), "--samples", "2000", "--json")
    first, again = (json_output(invoke(*args)) for _ in range(2))
    assert first == again
    assert first["uncertainty"]["seed"] == 20261202
    other = json_output(invoke(*args, "--seed", "5"))
    assert other["uncertainty"]["seed"] == 5
    assert other["uncertainty"]["outputs"] != first["uncertainty"]["outputs"]
    assert {k: v for k, v in other.items() if k != "uncertainty"} == {
        k: v for k, v in first.items() if k != "uncertainty"
    }


def test_the_uncertainty_object() -> None:
    doc = json_output(invoke("gap", "-a", str(RANGES), "--samples", "1000", "--json"))
    u = doc["uncertainty"]
    assert set(u) == {"samples", "seed", "varied", "outputs"}
    assert u["samples"] == 1000
    assert set(u["outputs"]) == {"supply_per_year", "demand", "gap", "coverage", "years_to_cover"}
    for name, summary in u["outputs"].items():
        assert {"p5", "p50", "p95", "mean", "standard_error"} <= set(summary)
        assert summary["p50"]["unit"] == doc[name]["unit"]
        assert summary["p5"]["value"] <= summary["p50"]["value"] <= summary["p95"]["value"]
    assert "pue" not in u["varied"]  # not on these chains
    assert json.dumps(doc, allow_nan=False)


def test_drawing_in_chunks_gives_the_same_columns() -> None:
    aset = load_set(RANGES)
    plan = api.gap(aset).plan
    whole = Sampler.for_set(aset, plan, 11).columns(300)
    chunked = Sampler.for_set(aset, plan, 11)
    parts = [chunked.columns(100), chunked.columns(200)]
    assert [a + b for a, b in zip(*parts, strict=True)] == whole


def test_a_group_moves_together() -> None:
    aset = load_set(RANGES)
    plan = api.gap(aset).plan
    columns = sample_columns(aset, plan, 2000, seed=1)
    wafer = columns[plan.parameters.index("gpus_per_wafer")]
    per_gw = columns[plan.parameters.index("gpus_per_gw")]
    rank = sorted(range(2000), key=wafer.__getitem__)
    assert rank == sorted(range(2000), key=per_gw.__getitem__)  # comonotonic: the same order
    alone = sample_columns(aset, plan, 2000, seed=1)[plan.parameters.index("vendor_share")]
    assert sorted(range(2000), key=alone.__getitem__) != rank


def test_a_figure_gets_the_same_draws_in_any_set() -> None:
    # (a figure of a group draws from its group's stream: v4's gpus_per_gw is in one, v3's not)
    a = api.load_set("independent-2026@3", overrides={"gpus_per_gw": "330k..478k"})
    b = api.load_set("seed-2025", overrides={"gpus_per_gw": "330k..478k"})
    col_a = sample_columns(a, api.gap(a).plan, 50, 9)[
        api.gap(a).plan.parameters.index("gpus_per_gw")
    ]
    col_b = sample_columns(b, api.gap(b).plan, 50, 9)[
        api.gap(b).plan.parameters.index("gpus_per_gw")
    ]
    assert col_a == col_b


@pytest.mark.parametrize("credibility", [90.0, 80.0, 50.0])
@pytest.mark.parametrize("kind", ["lognormal", "normal"])
def test_interval_distributions_put_low_and_high_at_their_percentiles(
    kind: str, credibility: float
) -> None:
    dist = Distribution(Range(300.0, 500.0, kind, credibility), 400.0)
    tail = (100 - credibility) / 200
    assert dist.quantile(tail) == pytest.approx(300.0, rel=1e-9)
    assert dist.quantile(1 - tail) == pytest.approx(500.0, rel=1e-9)
    rng = random.Random(4)
    samples = sorted(dist.from_uniforms([rng.random() or 0.5 for _ in range(100_000)]))
    assert percentile(samples, tail * 100) == pytest.approx(300.0, rel=0.005)
    assert percentile(samples, 100 - tail * 100) == pytest.approx(500.0, rel=0.005)


def test_bounded_distributions_match_their_definitions() -> None:
    rng = random.Random(5)
    us = [rng.random() or 0.5 for _ in range(200_000)]
    uniform = sorted(Distribution(Range(2.0, 4.0, "uniform"), 3.0).from_uniforms(us))
    assert percentile(uniform, 5) == pytest.approx(2.1, rel=0.005)
    assert percentile(uniform, 95) == pytest.approx(3.9, rel=0.005)
    tri = Distribution(Range(1.0, 4.0, "triangular"), 2.0)
    for p in (0.05, 0.2, 0.5, 0.95):  # F(x) = (x−a)²/((b−a)(c−a)) below the mode, …
        x = tri.quantile(p)
        cdf = (x - 1) ** 2 / 3 if x <= 2 else 1 - (4 - x) ** 2 / 6
        assert cdf == pytest.approx(p, rel=1e-9)
    pert = Distribution(Range(9.0, 16.0, "pert"), 9.1)
    alpha, beta = 1 + 4 * 0.1 / 7, 1 + 4 * 6.9 / 7
    betas = sorted(9 + 7 * rng.betavariate(alpha, beta) for _ in range(200_000))
    sampled = sorted(pert.from_uniforms(us))
    for q in (5, 50, 95):
        assert percentile(sampled, q) == pytest.approx(percentile(betas, q), rel=0.01)
    assert math.fsum(sampled) / len(sampled) == pytest.approx((9 + 4 * 9.1 + 16) / 6, rel=0.005)


def test_a_tail_beyond_the_valid_range_is_cut_off() -> None:
    share = Distribution(Range(0.5, 0.99, "normal"), 0.9, 0.0, 1.0)
    samples = share.from_uniforms([i / 10_000 for i in range(1, 10_000)])
    assert min(samples) > 0 and max(samples) <= 1.0


@pytest.mark.parametrize("n", ["0", "-3", str(MAX_SAMPLES + 1)])
def test_the_number_of_samples_is_bounded(n: str) -> None:
    """Out of range is a usage error (exit 2), as a count that is no number is; the API says
    the same in its own words."""
    from gwcalc.cli.options import MAX_SAMPLES as CLI_MAX

    assert CLI_MAX == MAX_SAMPLES
    for command in (("gap",), ("timeline",), ("sensitivity", "-a", "independent-2026")):
        result = invoke(*command, "--samples", n)
        assert_user_error(result, "--samples", f"{n} samples: give a whole number from 1", code=2)
    assert_user_error(invoke("gap", "--samples", "abc"), "'abc' is not a valid integer.", code=2)
    with pytest.raises(GwcalcError, match="the number of samples must be a whole number"):
        api.gap(SEED, samples=int(n))


def test_a_seed_needs_samples() -> None:
    result = invoke("gap", "--seed", "3")
    assert_user_error(result, "--seed needs --samples", code=2)


def test_summaries() -> None:
    values = [float(i) for i in range(101)]
    s = summarize(values)
    assert (s.p5, s.p50, s.p95, s.mean) == (5.0, 50.0, 95.0, 50.0)
    assert s.errors is not None and all(e > 0 for e in s.errors)
    assert summarize([2.5] * 10).errors == (0.0, 0.0, 0.0)


def test_convert_and_diff_take_samples() -> None:
    doc = json_output(
        invoke("convert", "6 GW", "--to", "gpu", "-a", str(RANGES), "--samples", "500", "--json")
    )
    gpu = doc["uncertainty"]["outputs"]["gpu"]
    assert gpu["p5"]["value"] < doc["results"][0]["value"] < gpu["p95"]["value"]
    diff = json_output(
        invoke("diff", "independent-2026@3", str(RANGES), "--samples", "500", "--json")
    )
    u = diff["uncertainty"]
    assert set(u["outputs"]) == set(u["before"]) == set(u["after"])
    before = u["before"]["demand"]
    assert before["p5"] == before["p95"]  # independent-2026@3 has no ranges
    change, after = u["outputs"]["demand"], u["after"]["demand"]
    assert change["p50"]["value"] == pytest.approx(after["p50"]["value"] - before["p50"]["value"])
    table = invoke("diff", "independent-2026@3", str(RANGES), "--samples", "500")
    assert table.exit_code == 0, table.stderr
    assert "B − A" in table.stdout and "seed 20261202" in table.stdout


def test_sampling_leaves_numpy_alone() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from gwcalc import api; "
        "api.gap(api.load_set('independent-2026', overrides={'pue': '1.2..1.4'}), 'GW_facility', "
        "samples=100); "
        "print('numpy' in sys.modules and 'numpy' not in sys.argv)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    baseline = subprocess.run(
        [sys.executable, "-c", "import sys, pint; print('numpy' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == baseline.stdout.strip()  # no more than pint itself imports


def test_the_normal_quantile_without_cpythons_accelerator(monkeypatch: pytest.MonkeyPatch) -> None:
    # a normal range's quantiles: CPython's accelerator when it has one, else the public (and
    # checked) NormalDist.inv_cdf, which agrees with it
    import statistics

    calls: list[float] = []
    inv_cdf = statistics.NormalDist.inv_cdf

    def counted(self: NormalDist, p: float) -> float:
        calls.append(p)
        return inv_cdf(self, p)

    ps = [1e-9, 0.05, 0.5, 0.95]
    dist = Distribution(Range(2.0 - 3.0 * Z90, 2.0 + 3.0 * Z90, "normal"), 2.0)
    assert dist.point is None  # its normal (mean 2, σ 3) built before counting
    monkeypatch.setattr(statistics.NormalDist, "inv_cdf", counted)
    fast = dist.from_uniforms(ps)
    accelerated = importlib.util.find_spec("_statistics") is not None
    assert calls == ([] if accelerated else ps)
    calls.clear()
    monkeypatch.setitem(sys.modules, "_statistics", None)  # importing it now fails
    slow = dist.from_uniforms(ps)
    assert calls == ps  # the public method, not the accelerator
    for s, f, p in zip(slow, fast, ps, strict=True):
        assert s == pytest.approx(f, rel=1e-12)
        assert s == pytest.approx(NormalDist(2.0, 3.0).inv_cdf(p), rel=1e-12)


@given(
    kind=st.sampled_from(["lognormal", "normal", "uniform", "triangular", "pert"]),
    ends=st.lists(
        st.floats(min_value=1e-3, max_value=1e9, allow_nan=False), min_size=3, max_size=3
    ),
    credibility=st.floats(min_value=50.0, max_value=99.0),
)
def test_quantiles_rise_and_samples_agree_with_them(
    kind: str, ends: list[float], credibility: float
) -> None:
    low, mode, high = sorted(ends)
    bounded = kind in ("uniform", "triangular", "pert")
    assume(low * (1 + 1e-9) < high < low * 1e6)  # ranges of sane spread
    dist = Distribution(Range(low, high, kind, 90.0 if bounded else credibility), mode, minimum=0.0)
    ps = [i / 20 for i in range(1, 20)]
    xs = [dist.quantile(p) for p in ps]
    assert all(math.isfinite(x) for x in xs)
    assert all(a <= b * (1 + 1e-12) for a, b in itertools.pairwise(xs))
    if bounded:
        assert all(low * (1 - 1e-12) <= x <= high * (1 + 1e-12) for x in xs)
    else:
        assert min(xs) > 0  # truncated at the figure's minimum
    assert dist.from_uniforms(ps) == pytest.approx(xs, rel=1e-9)


def test_samples_beyond_a_float_are_a_clean_error(tmp_path: Path) -> None:
    text = RANGES.read_text(encoding="utf-8").replace(
        "low = 1100000\n", "low = 1\ncredibility = 1\n", 1
    )
    path = tmp_path / "wide.toml"
    path.write_text(text, encoding="utf-8")
    for args in (("gap", "--samples", "1000"), ("sensitivity", "--output", "gap")):
        assert_user_error(invoke(*args, "-a", str(path)), "a sample is beyond what can be computed")


def test_plain_commands_do_not_load_the_sampler() -> None:
    import subprocess

    code = (
        "import sys, io, contextlib; from gwcalc.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(['gap', '-a', 'independent-2026', '--json'], standalone_mode=False)\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "gwcalc.engine.plan" in loaded
    assert (
        not {"gwcalc.uncertainty.sampling", "gwcalc.uncertainty.distributions", "statistics"}
        & loaded
    )


def test_probability_of_an_event_with_its_error() -> None:
    aset = load_set(RANGES)
    plan = api.gap(aset).plan
    coverage = plan.evaluate_columns(sample_columns(aset, plan, 4000, seed=2))[
        plan.names.index("coverage")
    ]
    flags = [c >= 1 for c in coverage]
    p, error = probability(flags)
    # s/√n with s the sample standard deviation (n − 1): √(p(1−p)/3999); this asserted
    # √(p(1−p)/4000), the divisor n, which gives 0 for one sample where no error is known
    assert 0 < p < 1 and error == pytest.approx(math.sqrt(p * (1 - p) / 3999), rel=1e-12)
    assert error == pytest.approx(stdev(map(float, flags)) / math.sqrt(4000))
    assert probability([True, True]) == (1.0, 0.0)
    assert probability([True]) == (1.0, None)


def test_ends_so_close_that_the_spread_rounds_to_zero_are_a_point() -> None:
    """499999.99999999994..500000: low ≠ high, but ln(high) − ln(low) rounds to 0, so σ = 0
    (this crashed with an internal error in NormalDist.inv_cdf)."""
    dist = Distribution(Range(499999.99999999994, 500000.0), 500000.0)
    assert dist.point == pytest.approx(500000.0, rel=1e-15)
    assert dist.from_uniforms([0.01, 0.5, 0.99]) == [dist.point] * 3
    assert dist.quantile(0.3) == dist.point
    for command in ("gap", "timeline"):
        result = invoke(command, "-a", "seed-2025", "--set",
                        "gpus_per_gw=499999.99999999994..500000", "--samples", "50",
                        "--json")  # fmt: skip
        assert json_output(result)["uncertainty"]["varied"] == []
