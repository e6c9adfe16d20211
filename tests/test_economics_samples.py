"""The economics model over samples: closed forms where one ranged figure maps through."""

from __future__ import annotations

import math
from typing import Any

import pytest

from gwcalc.econ.by_year import revenue_gap_by_year
from gwcalc.econ.inputs import per_gw_inputs
from gwcalc.econ.model import HOURS_PER_YEAR, per_gw
from gwcalc.errors import GwcalcError, ParameterError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.read import load_set, parse_set
from gwcalc.uncertainty.economics import economics_uncertainty, summarize_never
from tests.test_economics_by_year import toy_data
from tests.test_economics_model import TOY
from tests.tiny_sets import set_text

N = 101  # (N − 1) × 5% is a whole rank: each percentile is one sample, exactly


def price_only() -> AssumptionSet:
    """The toy with only price_per_gpu_hour ranged ($2 to $3, uniform)."""
    data: dict[str, Any] = toy_data()
    for name in ("low", "high", "distribution"):
        data["parameters"]["gpus_per_gw"].pop(name)
    return parse_set(set_text(data))


def test_a_single_range_maps_through_monotone_outputs() -> None:
    aset = price_only()
    u = economics_uncertainty(aset, N, seed=7)
    assert u.varied == ("price_per_gpu_hour",)
    break_even = u.per_gw["break_even_utilization"]  # cost ÷ price: falls as the price rises
    revenue = u.per_gw["revenue_per_gw_year"]  # price × k: rises with it
    k = 500_000 * HOURS_PER_YEAR * 0.8
    base = per_gw(per_gw_inputs(aset))
    cost_per_hour = base["cost_per_gpu_hour"]
    # the price sampled at p5/p95 is revenue's p5/p95 ÷ k; break-even maps it the other way
    assert break_even.p5 == pytest.approx(cost_per_hour / (revenue.p95 / k), rel=1e-12)
    assert break_even.p95 == pytest.approx(cost_per_hour / (revenue.p5 / k), rel=1e-12)
    assert 2 * k <= revenue.p5 < revenue.p50 < revenue.p95 <= 3 * k
    # costs do not move with the price
    assert u.per_gw["cost_per_gw_year"].p5 == u.per_gw["cost_per_gw_year"].p95
    payback = u.per_gw["payback_years"]
    opex, capex = base["opex_per_gw_year"], base["capex_per_gw"]
    assert payback.p95 == pytest.approx(capex / (revenue.p5 - opex), rel=1e-12)


def test_payback_within_life_is_the_share_of_prices_that_pay_back() -> None:
    # payback ≤ 5 years when revenue − opex ≥ $8B: price ≥ (8e9 + opex) ÷ k
    aset = price_only()
    u = economics_uncertainty(aset, 10_000, seed=3)
    base = per_gw(per_gw_inputs(aset))
    k = 500_000 * HOURS_PER_YEAR * 0.8
    threshold = (40e9 / 5 + base["opex_per_gw_year"]) / k
    p, error = u.payback_within_life
    assert error is not None  # 10,000 samples: known
    assert p == pytest.approx((3 - threshold) / (3 - 2), abs=4 * error + 1e-3)


def test_by_year_with_no_range_on_the_market_is_its_central_value() -> None:
    aset = price_only()
    result = revenue_gap_by_year(aset)
    demand = {y: row["demand_gw"] for y, row in result.rows.items()}
    u = economics_uncertainty(aset, N, demand=demand)
    for year, row in result.rows.items():
        needed = u.by_year[year]["revenue_needed"]  # the price does not enter the costs
        assert needed.p5 == needed.p95 == pytest.approx(row["revenue_needed"])
        p, _ = u.covers[year]
        assert p == (1.0 if row["ai_revenue"] >= row["revenue_needed"] else 0.0)


def test_a_ranged_revenue_gives_the_probability_it_covers() -> None:
    data = toy_data()
    # 2027: needed ≈ $138.6B; AI revenue uniform from $100B to $200B covers with P ≈ 0.614
    data["parameters"]["ai_revenue"]["by_year"]["2027"] = {
        "value": 150e9, "low": 100e9, "high": 200e9, "distribution": "uniform",
    }  # fmt: skip
    aset = parse_set(set_text(data))
    rows = revenue_gap_by_year(aset).rows
    demand = {y: row["demand_gw"] for y, row in rows.items()}
    u = economics_uncertainty(aset, 10_000, demand=demand)
    needed = rows[2027]["revenue_needed"]
    p, error = u.covers[2027]
    assert error is not None
    assert p == pytest.approx((200e9 - needed) / 100e9, abs=4 * error + 1e-3)


def test_never_is_kept_in_percentiles() -> None:
    s = summarize_never([1.0, 2.0, math.inf])
    assert s.p5 == pytest.approx(1.1)
    assert s.p95 == math.inf
    assert s.mean == math.inf


def test_samples_are_reproducible() -> None:
    aset = load_set(TOY)
    first = economics_uncertainty(aset, 50, seed=11)
    assert economics_uncertainty(aset, 50, seed=11) == first
    assert economics_uncertainty(aset, 50, seed=12) != first


def test_bad_sample_counts_and_missing_figures_are_refused() -> None:
    with pytest.raises(ParameterError, match="samples"):
        economics_uncertainty(load_set(TOY), 0)
    data = toy_data()
    data["parameters"].pop("ai_revenue")
    aset = parse_set(set_text(data))
    with pytest.raises(GwcalcError, match="has no ai_revenue"):
        economics_uncertainty(aset, 10, demand={2025: 1.0})


def test_capex_plans_keep_their_dollars_when_the_cost_per_gw_is_sampled() -> None:
    # only C's plan ($10B of AI capex a year), all_in_cost_per_gw ranged: its GW move, its
    # dollars do not; a plan given in GW (A's) keeps its GW and its capex moves
    data = toy_data()
    data["parameters"]["all_in_cost_per_gw"].update(low=30e9, high=60e9, distribution="uniform")
    data["deals"] = [d for d in data["deals"] if d["name"] != "B GW"]
    aset = parse_set(set_text(data))
    result = revenue_gap_by_year(aset)
    assert result.plan_capex[2030] == pytest.approx(10e9)
    demand = {y: row["demand_gw"] for y, row in result.rows.items()}
    u = economics_uncertainty(aset, N, demand=demand, plan_capex=result.plan_capex)
    only_plan = u.by_year[2030]["ai_capex"]
    assert only_plan.p5 == pytest.approx(10e9) and only_plan.p95 == pytest.approx(10e9)
    assert u.by_year[2030]["demand_gw"].p5 < u.by_year[2030]["demand_gw"].p95
    with_gw = u.by_year[2025]["ai_capex"]  # A's 2 GW × the sampled cost, + C's $10B
    assert with_gw.p5 < 2 * 40e9 + 10e9 < with_gw.p95
    # the demand's GW beyond A's 2: C's $10B at the sampled cost (between $30B and $60B)
    assert 2 + 10 / 60 <= u.by_year[2025]["demand_gw"].p5 < u.by_year[2025]["demand_gw"].p95
    assert u.by_year[2025]["demand_gw"].p95 <= 2 + 10 / 30
