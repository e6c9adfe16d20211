"""The revenue gap by year on the toy market (tests/sets/econ-toy.toml), by hand."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.econ.by_year import YearInputs, by_year_values, revenue_gap_by_year
from gwcalc.errors import ParameterError
from gwcalc.sets.read import load_set, parse_set
from tests.test_economics_model import ROUND, TOY
from tests.tiny_sets import set_text

# The toy's demand (GW of IT): A 2 GW a year 2025–2027, B 3 GW a year 2027–2029, C $10B of AI
# capex a year at $40B per GW (0.25 GW) to 2026, then $50B per GW (0.2 GW).
DEMAND = {2025: 2.25, 2026: 2.25, 2027: 5.2, 2028: 3.2, 2029: 3.2, 2030: 0.2}
ALL_IN = {2025: 40e9, 2026: 40e9, 2027: 50e9, 2028: 50e9, 2029: 50e9, 2030: 50e9}
REVENUE = {2025: 50e9, 2026: 100e9, 2027: 150e9, 2028: 200e9, 2029: 250e9, 2030: 300e9}
OPEX = 1e6 * 1.25 * 8760 * 0.08 + 1e9  # per GW a year: energy at full draw + other


def toy_data() -> dict[str, Any]:
    return tomllib.loads(TOY.read_text(encoding="utf-8"))


def test_the_toy_by_hand() -> None:
    rows = revenue_gap_by_year(load_set(TOY)).rows
    assert list(rows) == list(DEMAND)
    for year, gw in DEMAND.items():
        row = rows[year]
        assert row["demand_gw"] == pytest.approx(gw)
        assert row["ai_capex"] == pytest.approx(gw * ALL_IN[year])
        assert row["revenue_needed_sequoia"] == pytest.approx(gw * ALL_IN[year] / 0.5)
        assert row["ai_revenue"] == REVENUE[year]
    # C's capex plan gives back its dollars: $10B of AI capex in 2030, its only demand
    assert rows[2030]["ai_capex"] == pytest.approx(10e9)
    # 2027: hardware $20B per GW (5 years), the rest of the all-in facility (20 years)
    hardware = [2.25 * 20e9, 2.25 * 20e9, 5.2 * 20e9]
    facility = [2.25 * 20e9, 2.25 * 20e9, 5.2 * 30e9]
    depreciation = sum(hardware) / 5 + sum(facility) / 20
    assert rows[2027]["depreciation"] == pytest.approx(depreciation)
    assert rows[2027]["installed_gw"] == pytest.approx(2.25 + 2.25 + 5.2)
    needed = (depreciation + 9.7 * OPEX) / 0.5
    assert rows[2027]["revenue_needed"] == pytest.approx(needed)
    assert rows[2027]["revenue_gap"] == pytest.approx(needed - 150e9)
    assert rows[2027]["revenue_covered"] == pytest.approx(150e9 / needed)
    # 2030: the hardware of 2025 has left (5 years: 2026–2030), installed 14.05 GW
    assert rows[2030]["installed_gw"] == pytest.approx(2.25 + 5.2 + 3.2 + 3.2 + 0.2)


def test_fractional_life_counts_the_last_years_share() -> None:
    # it_life 1.5: this year's capex ÷ 1.5, and half of last year's ÷ 1.5
    per_gw = {**ROUND, "it_life": 1.5, "facility_life": 1.0}
    market = {"end_user_margin": 0.0, "ai_revenue": 0.0}
    years = {y: YearInputs(gw, per_gw, market) for y, gw in {2025: 1.0, 2026: 2.0}.items()}
    rows = by_year_values(years)
    assert rows[2025]["depreciation"] == pytest.approx(20e9 / 1.5 + 20e9)
    assert rows[2026]["depreciation"] == pytest.approx((40e9 + 0.5 * 20e9) / 1.5 + 40e9)
    assert rows[2026]["installed_gw"] == pytest.approx(2.0 + 0.5)


def test_every_year_is_a_floor_while_the_facility_life_reaches_back() -> None:
    result = revenue_gap_by_year(load_set(TOY))
    assert result.floor_years == tuple(DEMAND)  # 20 years of facility life, 6 years of set
    assert any("floor" in c for c in result.caveats)


def test_a_timeline_of_listed_buyers_is_refused() -> None:
    data = toy_data()
    data["timeline"]["demand_buyers"] = "listed"
    with pytest.raises(ParameterError, match="unlike scopes"):
        revenue_gap_by_year(parse_set(set_text(data)))


def test_a_set_without_a_timeline_is_refused() -> None:
    data = toy_data()
    data["format"] = 1
    for name in ("timeline", "deals"):
        data.pop(name)
    for param in data["parameters"].values():
        param.pop("by_year", None)
    with pytest.raises(ParameterError, match="no timeline"):
        revenue_gap_by_year(parse_set(set_text(data)))


def test_a_set_without_the_market_figures_is_refused() -> None:
    data = toy_data()
    data["parameters"].pop("ai_revenue")
    with pytest.raises(ParameterError, match="has no ai_revenue"):
        revenue_gap_by_year(parse_set(set_text(data)))


@given(
    st.lists(st.floats(0, 100), min_size=1, max_size=8),
    st.integers(1, 4),
    st.integers(1, 10),
)
def test_depreciation_adds_up_to_the_capex(gws: list[float], it_life: int, life: int) -> None:
    # whole lives: each year's capex is written off over its life; what is written off within
    # the window never exceeds the capex, and all of it is once the window is long enough
    per_gw = {**ROUND, "it_life": float(it_life), "facility_life": float(life)}
    market = {"end_user_margin": 0.5, "ai_revenue": 0.0}
    padded = [*gws, *([0.0] * max(it_life, life))]
    years = {2025 + i: YearInputs(gw, per_gw, market) for i, gw in enumerate(padded)}
    rows = by_year_values(years)
    capex = sum(r["ai_capex"] for r in rows.values())
    written_off = sum(r["depreciation"] for r in rows.values())
    assert written_off == pytest.approx(capex, rel=1e-9, abs=1e-3)
    for row in rows.values():
        assert row["revenue_needed_sequoia"] == pytest.approx(row["ai_capex"] / 0.5)


@given(st.lists(st.floats(0, 100), min_size=1, max_size=8))
def test_lives_of_one_year_write_off_each_years_capex(gws: list[float]) -> None:
    per_gw = {**ROUND, "it_life": 1.0, "facility_life": 1.0}
    market = {"end_user_margin": 0.0, "ai_revenue": 0.0}
    rows = by_year_values({2025 + i: YearInputs(gw, per_gw, market) for i, gw in enumerate(gws)})
    for row in rows.values():
        assert row["depreciation"] == pytest.approx(row["ai_capex"], rel=1e-12)
        assert row["installed_gw"] == pytest.approx(row["demand_gw"], rel=1e-12)
