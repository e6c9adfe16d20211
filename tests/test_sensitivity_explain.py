"""`gwcalc sensitivity` (swings and variance shares) and `gwcalc explain` (every step)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from gwcalc import api
from gwcalc.engine.outputs import GAP_OUTPUTS
from gwcalc.errors import GwcalcError
from gwcalc.sets.read import load_set
from gwcalc.uncertainty.distributions import distribution_of
from tests.helpers import assert_user_error, invoke, json_error, json_output, quantity

RANGES = Path(__file__).resolve().parent / "sets" / "independent-2026-ranges.toml"
PRODUCT_RANGES = {
    "gpus_per_gw": "330k..478k",
    "vendor_share": "0.6..0.73",
    "all_in_cost_per_gw": "38B..50B",
}


def ranged(output: str = "coverage") -> api.AssumptionSet:
    # v3: no ranges of its own, so only these independent lognormals vary (those on the
    # output's chains: an override the output does not use is refused)
    uses = api.compile_gap(api.load_set("independent-2026@3")).depends_on(output)
    ranges = {n: r for n, r in PRODUCT_RANGES.items() if n in uses}
    return api.load_set("independent-2026@3", overrides=ranges)


@pytest.mark.parametrize("output", ["coverage", "supply_per_year", "demand", "years_to_cover"])
def test_variance_shares_of_a_product_are_exact_and_sum_to_one(output: str) -> None:
    result = api.sensitivity(ranged(output), output)
    assert result.exact
    assert math.fsum(e.variance_share for e in result.effects) == pytest.approx(1.0, abs=1e-12)
    sampled = api.sensitivity(ranged(output), output, samples=40_000)
    assert sampled.exact  # still exact: samples are not drawn at all
    by_name = {e.name: e.variance_share for e in result.effects}
    # σᵢ² of the logs of each range (lognormal 90%): the larger range, the larger share
    sigma = {
        n: math.log(p.range.high / p.range.low)
        for n, p in ranged(output).parameters.items()
        if p.range is not None and n in result.plan.depends_on(output)
    }
    total = math.fsum(s * s for s in sigma.values())
    for name, s in sigma.items():
        assert by_name[name] == pytest.approx(s * s / total, rel=1e-9)


def test_a_figure_the_output_does_not_use_has_zero_swing_and_share() -> None:
    # a range of the set's own (not an override) on a figure the output does not use
    result = api.sensitivity(load_set(RANGES), "supply_per_year")
    unused = [e for e in result.effects if e.name in ("all_in_cost_per_gw", "pue")]
    assert len(unused) == 2
    for e in unused:
        assert e.swing == 0.0 and e.variance_share == 0.0
        assert e.output_at_low == e.output_at_high == result.point
    gap = api.sensitivity(ranged("gap"), "gap")  # sampled shares
    assert not gap.exact


def test_an_override_the_output_does_not_use_is_refused() -> None:
    # an override the studied output does not use (all_in_cost_per_gw: demand's chain) or no
    # chain uses (hardware_cost_per_gw) would show a zero swing while the title says the run
    # used it: refused (it used to be accepted)
    off_plan = {**PRODUCT_RANGES, "hardware_cost_per_gw": "22.6B..35B"}
    for overrides, unused in (
        (PRODUCT_RANGES, "all_in_cost_per_gw"),
        (off_plan, "all_in_cost_per_gw, hardware_cost_per_gw"),
    ):
        aset = api.load_set("independent-2026@3", overrides=overrides)
        with pytest.raises(GwcalcError, match=f"^{unused}: not used by the gap's supply_per_year"):
            api.sensitivity(aset, "supply_per_year")
    args = [f"--set={n}={v}" for n, v in PRODUCT_RANGES.items()]
    result = invoke("sensitivity", "-a", "independent-2026@3", "--output", "demand", *args)
    assert_user_error(
        result, "gpus_per_gw, vendor_share: not used by the gap's demand", "all_in_cost_per_gw"
    )


def test_sampled_shares_agree_with_the_exact_ones() -> None:
    # gap = demand − one year of supply: with ranges on supply's figures only, gap moves one
    # for one with supply, so its sampled first-order shares are supply's, whose shares (of
    # the product's log) are exact
    supply_ranges = {n: PRODUCT_RANGES[n] for n in ("gpus_per_gw", "vendor_share")}
    aset = api.load_set("independent-2026@3", overrides=supply_ranges)
    exact = api.sensitivity(aset, "supply_per_year")
    assert exact.exact
    sampled = api.sensitivity(aset, "gap", samples=40_000, seed=1)
    assert not sampled.exact
    shares = {e.name: e.variance_share for e in sampled.effects}
    assert set(shares) == set(supply_ranges)
    for e in exact.effects:
        assert shares[e.name] == pytest.approx(e.variance_share, abs=0.03)


def test_rows_are_sorted_by_the_swing_and_the_swings_are_one_at_a_time() -> None:
    result = api.sensitivity(ranged(), "coverage")
    swings = [abs(e.swing) for e in result.effects]
    assert swings == sorted(swings, reverse=True)
    assert result.effects[0].name == "gpus_per_gw"
    top = result.effects[0]
    at_low = {**PRODUCT_RANGES, "gpus_per_gw": "330k"}  # the others at their values
    base = api.gap(api.load_set("independent-2026@3", overrides=at_low))
    assert top.output_at_low == pytest.approx(float(base["coverage"].magnitude), rel=1e-12)


def test_sensitivity_json() -> None:
    doc = json_output(invoke("sensitivity", "-a", str(RANGES), "--json"))
    assert doc["output"] == "coverage"
    assert doc["method"] == "sampled"  # a group and bounded distributions: no closed form
    assert doc["samples"] == 20_000 and doc["seed"] == 20261202
    rows = doc["parameters"]
    assert [r["name"] for r in rows][-2:] == ["hardware_cost_per_gw", "pue"]  # not on coverage
    for row in rows:
        assert set(row) >= {
            "name", "range", "output_at_low", "output_at_high", "swing", "variance_share"
        }  # fmt: skip
        assert set(row["range"]) == {"low", "high", "distribution", "credibility"}  # as show's
        swing = quantity(row["output_at_high"]) - quantity(row["output_at_low"])
        assert quantity(row["swing"]).magnitude == pytest.approx(swing.magnitude)
    assert [abs(r["swing"]["value"]) for r in rows] == sorted(
        (abs(r["swing"]["value"]) for r in rows), reverse=True
    )
    again = json_output(invoke("sensitivity", "-a", str(RANGES), "--json"))
    assert again == doc


def test_sensitivity_table_and_errors() -> None:
    table = invoke("sensitivity", "-a", str(RANGES), "--output", "supply_per_year")
    assert table.exit_code == 0, table.stderr
    assert "Sensitivity of supply per year" in table.stdout and "█" in table.stdout
    none = invoke("sensitivity")
    assert_user_error(none, "no parameter of seed-2025 v3 has a range", "--set NAME=LOW..HIGH")
    unknown = invoke("sensitivity", "-a", str(RANGES), "--output", "nope")
    assert_user_error(unknown, "no output named 'nope'")
    assert "supply_per_year" in unknown.stderr


# ---------------------------------------------------------------- explain


@pytest.mark.parametrize("output", [o.name for o in GAP_OUTPUTS])
def test_every_output_can_be_explained(output: str) -> None:
    doc = json_output(invoke("explain", output, "-a", str(RANGES), "--json"))
    assert doc["output"] == output
    steps = doc["steps"]
    assert steps[-1]["output"] == output
    assert steps[-1]["result"] == doc["result"]
    gap = json_output(invoke("gap", "-a", str(RANGES), "--json"))
    if output in gap:
        assert doc["result"] == gap[output]


def test_explain_supply_per_year_step_by_step() -> None:
    result = api.explain("supply_per_year", load_set(RANGES))
    doc = result.to_dict()
    params = [s["parameter"] for s in doc["steps"]]
    assert params == ["cowos_wafers_per_year", "vendor_share", "gpus_per_wafer", "gpus_per_gw"]
    ops = [s["operation"] for s in doc["steps"]]
    assert ops == ["start", "multiply", "multiply", "divide"]
    first, last = doc["steps"][0], doc["steps"][-1]
    assert first["implied"] is True and first["source"]["publisher"].startswith("Morgan Stanley")
    assert first["range"]["low"] == {"value": 1100000.0, "unit": "wafer/yr"}
    assert last["group"] == "rubin-share"  # beside its range, as in assumptions show
    assert quantity(last["result"]).magnitude == pytest.approx(
        float(api.gap(load_set(RANGES))["supply_per_year"].magnitude)
    )
    assert "gpus_per_gw" in str(result)


def test_explain_gap_lists_both_chains_then_the_difference() -> None:
    doc = api.explain("gap", "seed-2025").to_dict()
    outputs = [s["output"] for s in doc["steps"]]
    assert outputs == ["demand"] * 2 + ["supply_per_year"] * 4 + ["gap"]
    last = doc["steps"][-1]
    assert last["operation"] == "difference" and last["parameter"] is None
    assert last["formula"] == "demand − supply_per_year × 1 year"
    assert last["result"] == {"value": 36.5, "unit": "GW_IT"}


def test_explain_table_and_unknown_output() -> None:
    table = invoke("explain", "gap", "-a", "seed-2025")
    assert table.exit_code == 0, table.stderr
    assert "hardware_cost_per_gw" in table.stdout and "implied" in table.stdout
    bad = invoke("explain", "supply")
    stderr = assert_user_error(bad, "no output named 'supply'")
    for o in GAP_OUTPUTS:
        assert o.name in stderr
    error = json_error(invoke("explain", "supply", "--json"))
    assert error["type"] == "parameter"


def with_range(name: str, low: float, high: float, distribution: str) -> api.AssumptionSet:
    from dataclasses import replace

    from gwcalc.sets.ranges import Range

    aset = api.load_set("independent-2026@3")
    param = replace(aset.parameters[name], range=Range(low, high, distribution))
    return replace(aset, parameters={**aset.parameters, name: param})


@pytest.mark.parametrize("distribution", ["normal", "uniform", "pert", "triangular"])
def test_the_only_figure_moving_a_product_has_all_of_its_variance(distribution: str) -> None:
    """demand = spend ÷ all_in_cost_per_gw: its one ranged figure has a share of exactly 1,
    whatever the distribution (a sampled estimate gave 1% for a skewed normal range)."""
    aset = with_range("all_in_cost_per_gw", 5e9, 60e9, distribution)
    for seed in (1, 2):
        result = api.sensitivity(aset, "demand", seed=seed)
        assert result.exact
        shares = {e.name: e.variance_share for e in result.effects}
        assert shares == {"all_in_cost_per_gw": 1.0}


def test_shares_of_a_product_of_any_independent_ranges_are_of_the_variance_of_its_log() -> None:
    """coverage = supply ÷ demand with a PERT share and a uniform cost: shares are
    Var(ln Xᵢ) / Σ, each Var(ln Xᵢ) computed here by brute force from the quantiles."""
    from dataclasses import replace

    from gwcalc.sets.ranges import Range

    aset = with_range("vendor_share", 0.5, 0.8, "pert")
    cost = replace(aset.parameters["all_in_cost_per_gw"], range=Range(38e9, 60e9, "uniform"))
    aset = replace(aset, parameters={**aset.parameters, "all_in_cost_per_gw": cost})
    result = api.sensitivity(aset, "coverage")
    assert result.exact
    by_name = {e.name: e.variance_share for e in result.effects}
    # uniform on [a, b]: Var(ln X) in closed form
    a, b = 38e9, 60e9
    e1 = (b * math.log(b) - a * math.log(a)) / (b - a) - 1  # E[ln X]
    e2 = (b * (math.log(b) ** 2 - 2 * math.log(b) + 2) - a * (math.log(a) ** 2 - 2 * math.log(a)
          + 2)) / (b - a)  # fmt: skip
    var_cost = e2 - e1 * e1
    dist = distribution_of(aset.parameters["vendor_share"])
    assert dist is not None
    draws = [math.log(dist.quantile((i + 0.5) / 20_000)) for i in range(20_000)]
    mean = math.fsum(draws) / len(draws)
    var_share = math.fsum((x - mean) ** 2 for x in draws) / len(draws)
    expected = var_cost / (var_cost + var_share)
    assert by_name["all_in_cost_per_gw"] == pytest.approx(expected, rel=1e-3)
    assert math.fsum(by_name.values()) == pytest.approx(1.0, abs=1e-12)


def test_sampled_shares_say_how_much_of_the_variance_they_explain() -> None:
    aset = with_range("all_in_cost_per_gw", 5e9, 60e9, "normal")
    result = api.sensitivity(aset, "gap")
    assert not result.exact
    total = math.fsum(e.variance_share for e in result.effects)
    assert f"together {total:.0%}" in result.method


def test_a_column_that_never_varies_has_no_share() -> None:
    """given_data_shares: a figure whose draws are all equal explains nothing (exactly 0); with
    it the other figure is the only one that moves the output (exactly 1)."""
    from gwcalc.uncertainty.sensitivity import given_data_shares

    xs = [float(i % 97) for i in range(2000)]
    output = [x * 3.0 + 1.0 for x in xs]
    shares = given_data_shares(output, {"x": xs, "flat": [5.0] * 2000}, ["x", "flat"])
    assert shares == {"x": 1.0, "flat": 0.0}
