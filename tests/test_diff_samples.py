"""`gwcalc diff --samples` of the per-GW economics: p5/p50/p95 in A, in B and of B − A sample by
sample, as the gap's outputs; closed forms on the toy set, the same seed giving the same numbers,
and every format diff has. Also diff's economics when no input differs."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest

from gwcalc import api
from gwcalc.econ.model import HOURS_PER_YEAR, PER_GW_OUTPUTS
from gwcalc.uncertainty.econ_diff import EconDiffUncertainty, sample_change, summarize_infinite
from gwcalc.uncertainty.economics import econ_diff_uncertainty
from tests.helpers import assert_contract, invoke, json_output, strict_json

TOY = Path(__file__).parent / "sets" / "econ-toy.toml"
NAMES = [o.name for o in PER_GW_OUTPUTS]
N = 101  # (N − 1) × 5% is a whole rank: each percentile is one sample, exactly


def toy(**overrides: str) -> api.AssumptionSet:
    return api.load_set(TOY, overrides=overrides or None)


def drawn(n: int = N, seed: int = 7, **overrides: str) -> EconDiffUncertainty:
    return econ_diff_uncertainty(toy(), toy(**overrides), n, seed)


def percentiles(summaries: object, name: str) -> tuple[float, float, float]:
    s = summaries[name]  # type: ignore[index]
    return s.p5, s.p50, s.p95


# ---------------------------------------------------------------- closed forms


def test_a_point_change_of_utilization_scales_revenue_sample_by_sample() -> None:
    # revenue = price × gpus × 8,760 h × utilization, price and gpus ranged (uniform) in both
    # sets with the same draws: at 90% against 80%, B = A × 9/8 and B − A = A ÷ 8 in every
    # sample, so in every percentile
    u = drawn(utilization="90%")
    assert u.varied == ("gpus_per_gw", "price_per_gpu_hour")
    a, b, change = (percentiles(x, "revenue_per_gw_year") for x in (u.before, u.after, u.change))
    for x, y, d in zip(a, b, change, strict=True):
        assert y == pytest.approx(x * 9 / 8, rel=1e-12)
        assert d == pytest.approx(x / 8, rel=1e-12)
    # bounds of the product of the two uniform ranges: $2–3 × 400k–600k × 8,760 h × 0.8
    k = HOURS_PER_YEAR * 0.8
    assert 2 * 400e3 * k <= a[0] < a[1] < a[2] <= 3 * 600e3 * k
    # margin = revenue − cost, and costs do not move with utilization: the same change
    assert percentiles(u.change, "margin_per_gw_year") == pytest.approx(change, rel=1e-9)
    for name in ("capex_per_gw", "cost_per_gw_year", "break_even_utilization"):
        assert percentiles(u.change, name) == (0.0, 0.0, 0.0), name


def test_a_point_change_of_a_figure_without_range_is_the_change_in_every_sample() -> None:
    u = drawn(all_in_cost_per_gw="45B")
    assert percentiles(u.change, "capex_per_gw") == (5e9, 5e9, 5e9)
    assert percentiles(u.before, "capex_per_gw") == (40e9, 40e9, 40e9)
    # depreciation: the facility part (all-in − hardware) over facility_life grows by 5B ÷ 20
    change = percentiles(u.change, "depreciation_per_gw_year")
    assert change == pytest.approx((5e9 / 20,) * 3, rel=1e-12)


def test_the_same_set_twice_changes_nothing_in_any_sample() -> None:
    # a range in both sets gets the same draws in both: B − A is exactly 0, never noise
    u = econ_diff_uncertainty(toy(), toy(), 2000, 11)
    for name in NAMES:
        assert percentiles(u.change, name) == (0.0, 0.0, 0.0), name
        assert percentiles(u.before, name) == percentiles(u.after, name), name


def test_a_range_given_in_b_only_widens_b_and_not_a() -> None:
    u = drawn(n=4001, utilization="70%..90%")
    assert "utilization" in u.varied
    a, b = (percentiles(x, "revenue_per_gw_year") for x in (u.before, u.after))
    assert b[2] - b[0] > a[2] - a[0]
    assert u.before == drawn(n=4001).before  # A's draws do not depend on B's ranges


def test_the_same_seed_gives_the_same_numbers_and_another_seed_others() -> None:
    first, again = drawn(n=500, seed=3, utilization="90%"), drawn(n=500, seed=3, utilization="90%")
    assert first == again
    other = drawn(n=500, seed=4, utilization="90%")
    assert percentiles(other.change, "revenue_per_gw_year") != percentiles(
        first.change, "revenue_per_gw_year"
    )


def test_infinite_samples_are_summarised_without_nan() -> None:
    assert sample_change(math.inf, math.inf) == 0.0
    assert sample_change(2.0, math.inf) == math.inf
    assert sample_change(math.inf, 2.0) == -math.inf
    s = summarize_infinite([-math.inf, *([1.0] * 98), 2.0, math.inf])
    assert (s.p5, s.p50, s.p95) == (1.0, 1.0, 1.0)
    low = summarize_infinite([-math.inf] * 10 + [1.0] * 91)
    assert low.p5 == -math.inf and low.p50 == 1.0
    high = summarize_infinite([1.0] * 90 + [3.0, math.inf] * 5 + [math.inf])
    assert high.p95 == math.inf and not math.isnan(high.p50)


# ---------------------------------------------------------------- the CLI


ARGS = ("diff", str(TOY), "--set", "utilization=90%", "--samples", "2000", "--seed", "5")


def run(*extra: str) -> str:
    result = invoke(*ARGS, *extra)
    assert_contract(result)
    assert result.exit_code == 0 and result.stderr == ""
    return str(result.stdout)


def test_json_has_the_economics_samples_beside_the_gaps() -> None:
    doc = json_output(invoke(*ARGS, "--json"))
    assert doc["uncertainty"]["seed"] == 5  # the gap's, as before
    u = doc["economics"]["uncertainty"]
    assert (u["samples"], u["seed"]) == (2000, 5)
    assert u["varied"] == ["gpus_per_gw", "price_per_gpu_hour"]
    assert list(u["outputs"]) == NAMES and list(u["before"]) == NAMES == list(u["after"])
    revenue = u["outputs"]["revenue_per_gw_year"]
    assert set(revenue) == {"p5", "p50", "p95", "mean", "standard_error"}
    assert revenue["p50"]["unit"] == "USD_revenue/GW_IT/yr"
    a = u["before"]["revenue_per_gw_year"]["p50"]["value"]
    assert revenue["p50"]["value"] == pytest.approx(a / 8, rel=1e-12)
    assert u["outputs"]["capex_per_gw"]["p95"]["value"] == 0.0
    # the same seed, the same document; jsonl is the same document on one line
    assert invoke(*ARGS, "--json").stdout == run("--json")
    assert strict_json(run("--format", "jsonl")) == doc


def test_table_shows_the_economics_samples_after_the_gaps() -> None:
    text = run()
    gap_at = text.index("Uncertainty — 2,000 samples, seed 5")
    econ_at = text.index("Uncertainty — 2,000 samples, seed 5: economics per GW of IT power")
    assert gap_at < econ_at
    flat = " ".join(text[econ_at:].split())
    assert "Ranges sampled: gpus_per_gw, price_per_gpu_hour." in flat
    assert "B − A is taken sample by sample" in flat


def test_csv_and_markdown_have_the_samples_of_both() -> None:
    rows = list(csv.reader(io.StringIO(run("--format", "csv"))))
    kinds = {r[0] for r in rows}
    assert {"output_sampled", "output_sampled_change", "economics_sampled",
            "economics_sampled_change"} <= kinds  # fmt: skip
    by_name = {(r[0], r[1]): r for r in rows}
    a, b = by_name["economics_sampled", "revenue_per_gw_year:p50"][2:5:2]
    change = by_name["economics_sampled_change", "revenue_per_gw_year:p50"]
    assert float(change[2]) == 0.0 and float(change[4]) == pytest.approx(float(a) / 8, rel=1e-12)
    assert float(b) == pytest.approx(float(a) * 9 / 8, rel=1e-12)
    assert by_name["output_sampled", "gap:p5"][3] == "GW_IT"
    md = run("--format", "markdown")
    assert "| output, p50 (p5 – p95) | unit | A | B | B − A |" in md
    assert "| economics per GW, p50 (p5 – p95) | unit | A | B | B − A |" in md
    row = "| capex_per_gw | USD_all_in/GW_IT | 40B (40B – 40B) | 40B (40B – 40B) | 0 (0 – 0) |"
    assert row in md


def test_quiet_with_samples_is_refused_as_economics_refuses_it() -> None:
    result = invoke(*ARGS, "-q")
    assert_contract(result)
    assert result.exit_code == 2 and result.stdout == ""
    assert "-q prints one value a line, not p5/p50/p95" in result.stderr


def test_a_payback_that_never_comes_in_b_is_valid_json_and_said() -> None:
    args = ("diff", str(TOY), "--set", "price_per_gpu_hour=0.4", "--samples", "300")
    doc = strict_json(invoke(*args, "--json").stdout)
    after = doc["economics"]["uncertainty"]["after"]["payback_years"]
    assert after["p50"] == {"value": None, "unit": "yr", "infinite": True, "sign": 1}
    table = invoke(*args)
    assert_contract(table)
    assert "never" in table.stdout.split("economics per GW of IT power")[-1]
    rows = list(csv.reader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    row = next(r for r in rows if r[:2] == ["economics_sampled", "payback_years:p50"])
    assert row[4] == ""  # an empty cell, not inf


def test_only_one_set_with_the_figures_samples_no_economics() -> None:
    result = invoke("diff", "seed-2025", str(TOY), "--samples", "100", "--json")
    doc = json_output(result)
    assert doc["economics"]["compared"] is False and "uncertainty" not in doc["economics"]
    assert "uncertainty" in doc  # the gap's, as before


# ---------------------------------------------------------------- no economics input differs


def test_no_input_differs_is_one_line_and_json_keeps_the_data() -> None:
    same = invoke("diff", str(TOY), str(TOY))
    assert_contract(same)
    text = " ".join(same.stdout.split())
    assert "No input of the per-GW model differs." in text
    assert "Economics per GW of IT power (a year at steady state)" not in text
    assert "No figure of the revenue gap by year differs" in text
    assert "Revenue gap by year (the market" not in text
    doc = json_output(invoke("diff", str(TOY), str(TOY), "--json"))
    econ = doc["economics"]
    assert econ["differs"] is False and econ["by_year"]["differs"] is False
    assert list(econ["outputs"]) == NAMES  # the data kept
    md = invoke("diff", str(TOY), str(TOY), "--format", "markdown").stdout
    assert "| economics per GW |" not in md and "No input of the per-GW model differs." in md


def test_a_market_change_keeps_the_years_table_and_says_the_per_gw_are_the_same() -> None:
    run_ = invoke("diff", str(TOY), "--set", "ai_revenue.2027=200B")
    assert_contract(run_)
    text = " ".join(run_.stdout.split())
    assert "No input of the per-GW model differs." in text
    assert "Revenue gap by year (the market" in text
    doc = json_output(invoke("diff", str(TOY), "--set", "ai_revenue.2027=200B", "--json"))
    assert doc["economics"]["differs"] is False and doc["economics"]["by_year"]["differs"] is True


# ---------------------------------------------------------------- the revenue gap by year


def test_one_years_ai_revenue_moves_that_years_sampled_gap_by_minus_its_change() -> None:
    # the toy's market has no range: AI revenue $150B → $200B in 2027 lowers that year's gap
    # by $50B in every sample, and no other year's; P(revenue covers) is each set's point answer
    from gwcalc.econ.by_year import revenue_gap_by_year

    a, b = toy(), toy(**{"ai_revenue.2027": "200B"})
    years = (revenue_gap_by_year(a), revenue_gap_by_year(b))
    u = econ_diff_uncertainty(a, b, N, 7, years)
    assert sorted(u.years) == sorted(years[0].rows)
    for year, y in u.years.items():
        expected = -50e9 if year == 2027 else 0.0
        for name in ("revenue_gap", "revenue_gap_sequoia"):
            assert percentiles(y.change, name) == pytest.approx((expected,) * 3, abs=1e-3), year
        for (p, _), rows in zip(y.covers, (years[0].rows, years[1].rows), strict=True):
            row = rows[year]
            assert p == (1.0 if row["ai_revenue"] >= row["revenue_needed"] else 0.0), year


def test_the_sampled_revenue_gap_by_year_in_every_format() -> None:
    args = ("diff", str(TOY), "--set", "ai_revenue.2027=200B", "--samples", "200")
    doc = json_output(invoke(*args, "--json"))
    year = doc["economics"]["uncertainty"]["by_year"]["2027"]
    assert year["outputs"]["revenue_gap"]["p50"]["value"] == pytest.approx(-50e9)
    assert set(year["p_revenue_covers"]) == {"before", "after", "standard_error"}
    table = invoke(*args)
    assert_contract(table)
    assert "revenue gap by year (the market)" in table.stdout
    rows = list(csv.reader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    names = {(r[0], r[1]) for r in rows}
    assert ("economics_sampled_change", "revenue_gap.2027:p50") in names
    assert ("economics_probability", "p_revenue_covers.2027") in names
    md = invoke(*args, "--format", "markdown").stdout
    assert "| 2027 | P(revenue covers) |" in md


def test_a_range_that_differs_alone_makes_the_sets_differ() -> None:
    """--set utilization=80% is market-2026@4's own value without its 70–90% range: no point
    output moves, but the samples do, so the sets differ (exit 1 with --exit-code) and diff
    names the figure; two identical sets still exit 0."""
    moved = invoke("diff", "market-2026@4", "--set", "utilization=80%", "--exit-code", "--json")
    assert moved.exit_code == 1
    doc = strict_json(moved.stdout)
    assert doc["range_changes"] == ["utilization"] and doc["parameter_changes"] == []
    table = invoke("diff", "market-2026@4", "--set", "utilization=80%")
    assert "Same value, another range" in table.stdout and "No parameter's value" in table.stdout
    same = invoke("diff", "market-2026@4", "market-2026@4", "--exit-code", "-q")
    assert same.exit_code == 0


def test_an_input_the_revenue_gap_does_not_read_leaves_it_unchanged() -> None:
    """utilization moves revenue per GW, not the revenue gap by year (which reads capex, lives
    and opex): its by-year part says it does not differ."""
    result = invoke("diff", "market-2026@4", "market-2026@4", "--set", "utilization=70%", "--json")
    years = strict_json(result.stdout)["economics"]["by_year"]
    assert years["differs"] is False and years["changed_inputs"] == []
    it_life = invoke("diff", "market-2026@4", "market-2026@4", "--set", "it_life=4", "--json")
    assert strict_json(it_life.stdout)["economics"]["by_year"]["changed_inputs"] == [["it_life"]]
