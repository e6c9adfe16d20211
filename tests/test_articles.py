"""The source articles' own arithmetic, reproduced exactly from the seed-2025 set."""

from __future__ import annotations

import pytest

from gwcalc.engine.graph import convert
from gwcalc.engine.plan import compute_gap
from gwcalc.units.registry import Quantity, parse_quantity, parse_unit
from tests.helpers import invoke, json_output, quantity
from tests.strategies import SEED

REL = 1e-12


def magnitude_in(q: Quantity, unit: str) -> float:
    return float(q.to(parse_unit(unit)).magnitude)


def test_the_seed_set_holds_the_articles_figures() -> None:
    # The figures the articles state; everything below is derived from these alone.
    expected = {
        "cowos_wafers_per_year": (900_000, "wafer/year"),
        "vendor_share": (0.5, ""),
        "gpus_per_wafer": (15, "gpu/wafer"),
        "gpus_per_gw": (500_000, "gpu/GW"),
        "hardware_cost_per_gw": (20e9, "USD/GW"),
        "contracted_spend": (1e12, "USD"),
    }
    for name, (value, unit) in expected.items():
        q = SEED.quantity(name)
        assert magnitude_in(q, unit or "dimensionless") == pytest.approx(value, rel=REL), name


def test_supply_is_6_75m_gpus_a_year() -> None:
    # 900k wafers × 50% × 15 GPUs per wafer = 6.75M GPUs a year
    gap = compute_gap(SEED, unit="gpu")
    assert magnitude_in(gap.supply_per_year, "gpu/year") == pytest.approx(6.75e6, rel=REL)


def test_supply_is_13_5_gw_a_year() -> None:
    # 6.75M GPUs ÷ 500k GPUs per GW = 13.5 GW a year
    gap = compute_gap(SEED)
    assert magnitude_in(gap.supply_per_year, "GW/year") == pytest.approx(13.5, rel=REL)
    as_gw = convert(parse_quantity("6.75M gpu/year"), parse_unit("GW/year"), SEED)
    assert magnitude_in(as_gw.result, "GW/year") == pytest.approx(13.5, rel=REL)


def test_demand_is_50_gw() -> None:
    # $1T ÷ $20B per GW = 50 GW
    gap = compute_gap(SEED)
    assert magnitude_in(gap.demand, "GW") == pytest.approx(50, rel=REL)
    direct = convert(parse_quantity("$1T"), parse_unit("GW"), SEED)
    assert magnitude_in(direct.result, "GW") == pytest.approx(50, rel=REL)
    assert direct.path == ["hardware_cost_per_gw"]


def test_gap_coverage_and_years_to_cover() -> None:
    gap = compute_gap(SEED)
    assert magnitude_in(gap.gap, "GW") == pytest.approx(36.5, rel=REL)
    assert magnitude_in(gap.coverage, "dimensionless") == pytest.approx(0.27, rel=REL)
    assert magnitude_in(gap.years_to_cover, "year") == pytest.approx(50 / 13.5, rel=REL)


def test_six_gw_is_three_million_gpus_and_120_billion_dollars() -> None:
    # Article 002: AMD–OpenAI's 6 GW ≈ 3M GPUs ≈ more than $120B of hardware.
    six_gw = parse_quantity("6 GW")
    gpus = convert(six_gw, parse_unit("gpu"), SEED)
    dollars = convert(six_gw, parse_unit("USD"), SEED)
    assert magnitude_in(gpus.result, "gpu") == pytest.approx(3e6, rel=REL)
    assert magnitude_in(dollars.result, "USD") == pytest.approx(120e9, rel=REL)
    assert gpus.path == ["gpus_per_gw"]
    assert dollars.path == ["hardware_cost_per_gw"]
    # and back: 3M GPUs and $120B are each 6 GW
    for text in ("3M gpu", "$120B"):
        back = convert(parse_quantity(text), parse_unit("GW"), SEED)
        assert magnitude_in(back.result, "GW") == pytest.approx(6, rel=REL), text


def test_the_gap_factors_are_the_articles_chain() -> None:
    gap = compute_gap(SEED)
    assert [f.parameter for f in gap.supply_factors] == [
        "cowos_wafers_per_year",
        "vendor_share",
        "gpus_per_wafer",
        "gpus_per_gw",
    ]
    assert [f.exponent for f in gap.supply_factors] == [1, 1, 1, -1]
    assert [f.parameter for f in gap.demand_factors] == ["contracted_spend", "hardware_cost_per_gw"]
    assert [f.exponent for f in gap.demand_factors] == [1, -1]


def test_cli_gap_json_reproduces_the_articles() -> None:
    doc = json_output(invoke("gap", "-a", "seed-2025", "--json"))
    checks = {
        "supply_per_year": (13.5, "GW/year"),
        "demand": (50, "GW"),
        "gap": (36.5, "GW"),
        "coverage": (0.27, "dimensionless"),
        "years_to_cover": (50 / 13.5, "year"),
    }
    for key, (value, unit) in checks.items():
        assert magnitude_in(quantity(doc[key]), unit) == pytest.approx(value, rel=REL), key


def test_cli_convert_json_six_gw() -> None:
    doc = json_output(invoke("convert", "6 GW", "--to", "gpu", "--to", "$", "--json"))
    gpus, dollars = (quantity(r) for r in doc["results"])
    assert magnitude_in(gpus, "gpu") == pytest.approx(3e6, rel=REL)
    assert magnitude_in(dollars, "USD") == pytest.approx(120e9, rel=REL)


def test_cli_gap_table_shows_the_articles_numbers() -> None:
    result = invoke("gap")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for text in ("13.5 GW_IT/yr", "50 GW_IT", "36.5 GW_IT", "27.0%", "3.7 yr", "450k wafer/yr"):
        assert text in out, text
