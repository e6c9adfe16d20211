"""The per-GW economics model: exact closed forms on round figures, and its properties."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gwcalc.econ.inputs import per_gw_inputs, to_canonical
from gwcalc.econ.model import (
    HOURS_PER_YEAR,
    PER_GW_INPUTS,
    PER_GW_OUTPUTS,
    crf,
    per_gw,
    sequoia_revenue_needed,
)
from gwcalc.errors import DimensionError, GwcalcError, ParameterError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.read import load_set, parse_set
from gwcalc.units.registry import parse_quantity
from tests.tiny_sets import figure, set_text, tiny_set

TOY = Path(__file__).parent / "sets" / "econ-toy.toml"

# Round figures: $40B all-in per GW, half of it hardware; 500k GPUs at 1.25 pue; lives 5 and 20
# years; 80% of hours sold at $2.50; power $0.08/kWh; $1B of other opex; capital at 0%.
ROUND: dict[str, float] = {
    "all_in_cost_per_gw": 40e9,
    "hardware_cost_per_gw": 20e9,
    "gpus_per_gw": 500_000,
    "pue": 1.25,
    "it_life": 5,
    "facility_life": 20,
    "utilization": 0.8,
    "price_per_gpu_hour": 2.5,
    "power_price": 0.08,
    "other_opex_per_gw_year": 1e9,
    "cost_of_capital": 0.0,
}


def toy() -> AssumptionSet:
    return load_set(TOY)


def test_round_figures_by_hand() -> None:
    out = per_gw(ROUND)
    assert out["facility_capex_per_gw"] == 20e9
    assert out["depreciation_per_gw_year"] == 20e9 / 5 + 20e9 / 20 == 5e9
    assert out["capital_cost_per_gw_year"] == pytest.approx(5e9, rel=1e-15)  # r = 0: depreciation
    assert out["energy_per_gw_year"] == pytest.approx(1e6 * 1.25 * 8760 * 0.08)  # $876M
    assert out["opex_per_gw_year"] == pytest.approx(1.876e9)
    assert out["cost_per_gw_year"] == pytest.approx(6.876e9)
    assert out["revenue_per_gw_year"] == pytest.approx(2.5 * 500_000 * 8760 * 0.8)  # $8.76B
    assert out["margin_per_gw_year"] == pytest.approx(8.76e9 - 6.876e9)
    assert out["payback_years"] == pytest.approx(40e9 / (8.76e9 - 1.876e9))
    cost_per_hour = 6.876e9 / (500_000 * 8760)
    assert out["cost_per_gpu_hour"] == pytest.approx(cost_per_hour)
    assert out["break_even_utilization"] == pytest.approx(cost_per_hour / 2.5)
    assert out["break_even_price"] == pytest.approx(cost_per_hour / 0.8)


def test_capital_cost_with_a_return() -> None:
    out = per_gw({**ROUND, "cost_of_capital": 0.1})
    expected = 20e9 * 0.1 / (1 - 1.1**-5) + 20e9 * 0.1 / (1 - 1.1**-20)
    assert out["capital_cost_per_gw_year"] == pytest.approx(expected, rel=1e-12)


def test_crf() -> None:
    assert crf(0, 5) == 1 / 5
    assert crf(0, 2.5) == 0.4
    assert crf(0.1, 1) == pytest.approx(1.1)  # one year: repay 1 and its 10%
    assert crf(1e-12, 5) == pytest.approx(0.2, rel=1e-9)  # continuous at 0
    with pytest.raises(ParameterError, match="life"):
        crf(0.1, 0)
    with pytest.raises(ParameterError, match="cost of capital"):
        crf(-1, 5)


def test_sequoia() -> None:
    # AI's $600B question: $150B of GPUs ÷ 0.5 (GPUs are half the cost) ÷ (1 − 50% margin)
    assert sequoia_revenue_needed(150e9, 0.5, 0.5) == 600e9
    with pytest.raises(ParameterError, match="margin"):
        sequoia_revenue_needed(150e9, 0.5, 1.0)
    with pytest.raises(ParameterError, match="GPU share"):
        sequoia_revenue_needed(150e9, 0.0, 0.5)


def test_articles_six_gw() -> None:
    # 6 GW × 500k GPUs per GW = 3M GPUs; × $20B of hardware per GW = $120B
    q = parse_quantity("6 GW") * parse_quantity("500k gpu/GW")
    assert q.to("gpu").magnitude == pytest.approx(3e6)
    hardware = 6 * per_gw(ROUND)["hardware_per_gw"]
    assert hardware == 120e9


def test_price_zero_never_pays() -> None:
    out = per_gw({**ROUND, "price_per_gpu_hour": 0.0})
    assert out["revenue_per_gw_year"] == 0
    assert out["payback_years"] == math.inf
    assert out["break_even_utilization"] == math.inf


@pytest.mark.parametrize("utilization", [0.0, -0.1])
def test_utilization_zero_or_negative_refused(utilization: float) -> None:
    with pytest.raises(ParameterError, match="utilization"):
        per_gw({**ROUND, "utilization": utilization})


def test_hardware_above_all_in_refused() -> None:
    with pytest.raises(ParameterError, match=r"hardware_cost_per_gw .* above all_in_cost_per_gw"):
        per_gw({**ROUND, "hardware_cost_per_gw": 41e9})


def test_outputs_read_only_inputs_and_outputs_before_them() -> None:
    known = {i.name for i in PER_GW_INPUTS}
    for output in PER_GW_OUTPUTS:
        assert set(output.depends) <= known, output.name
        known.add(output.name)
    assert list(per_gw(ROUND)) == [o.name for o in PER_GW_OUTPUTS]


# ---------------------------------------------------------------- a set's figures as inputs


def test_inputs_from_the_toy_set() -> None:
    values = per_gw_inputs(toy())
    assert values == {**ROUND, "cost_of_capital": 0.1}  # 80% → 0.8, 10% → 0.1
    assert per_gw_inputs(toy(), 2027)["all_in_cost_per_gw"] == 50e9  # the year's value


def _toy_data(**changes: dict[str, Any] | None) -> str:
    import tomllib

    data = tomllib.loads(TOY.read_text(encoding="utf-8"))
    for name, change in changes.items():
        if change is None:
            data["parameters"].pop(name)
        else:
            data["parameters"][name] = change
    return set_text(data)


def test_a_missing_parameter_is_named() -> None:
    aset = parse_set(_toy_data(it_life=None, utilization=None))
    with pytest.raises(ParameterError, match="has no it_life, utilization"):
        per_gw_inputs(aset)


def test_a_set_without_any_is_refused() -> None:
    with pytest.raises(ParameterError, match="all_in_cost_per_gw, pue, it_life"):
        per_gw_inputs(parse_set(set_text(tiny_set())))


def test_power_price_per_facility_kwh() -> None:
    aset = parse_set(_toy_data(power_price=figure(0.08, "USD_all_in/kWh_facility")))
    assert per_gw_inputs(aset)["power_price"] == pytest.approx(0.08)


def test_wrong_unit_is_named() -> None:
    # a figure gwcalc knows by name is checked on reading; the model checks its own units too
    with pytest.raises(GwcalcError, match="price_per_gpu_hour"):
        per_gw_inputs(parse_set(_toy_data(price_per_gpu_hour=figure(2.5, "USD/gpu/h"))))
    gpus = toy().parameters["gpus_per_gw"]
    with pytest.raises(DimensionError, match=r"all_in_cost_per_gw is in gpu/GW: .* USD_all_in"):
        to_canonical(gpus, PER_GW_INPUTS[0])


# ---------------------------------------------------------------- properties

money = st.floats(1e6, 1e12)
positive = st.floats(0.01, 100)
rates = st.floats(0, 0.5)


@st.composite
def inputs(draw: st.DrawFn) -> dict[str, float]:
    capex = draw(money)
    return {
        "all_in_cost_per_gw": capex,
        "hardware_cost_per_gw": capex * draw(st.floats(0, 1)),
        "gpus_per_gw": draw(st.floats(1e3, 1e7)),
        "pue": draw(st.floats(1, 3)),
        "it_life": draw(st.floats(0.5, 30)),
        "facility_life": draw(st.floats(0.5, 50)),
        "utilization": draw(st.floats(0.01, 1)),
        "price_per_gpu_hour": draw(positive),
        "power_price": draw(st.floats(0, 1)),
        "other_opex_per_gw_year": draw(st.floats(0, 1e10)),
        "cost_of_capital": draw(rates),
    }


@given(inputs())
def test_break_even_utilization_times_price_is_the_cost(v: dict[str, float]) -> None:
    out = per_gw(v)
    product = out["break_even_utilization"] * v["price_per_gpu_hour"]
    assert product == pytest.approx(out["cost_per_gpu_hour"], rel=1e-12)


@given(inputs())
def test_revenue_at_break_even_utilization_is_the_cost(v: dict[str, float]) -> None:
    out = per_gw(v)
    at_break_even = per_gw({**v, "utilization": out["break_even_utilization"]})
    assert at_break_even["revenue_per_gw_year"] == pytest.approx(out["cost_per_gw_year"], rel=1e-9)
    assert at_break_even["margin_per_gw_year"] == pytest.approx(
        0, abs=1e-9 * out["cost_per_gw_year"]
    )
    at_break_even_price = v["price_per_gpu_hour"] * HOURS_PER_YEAR * v["gpus_per_gw"]
    assert out["break_even_price"] * v["utilization"] * at_break_even_price / v[
        "price_per_gpu_hour"
    ] == pytest.approx(out["cost_per_gw_year"], rel=1e-9)


@given(inputs(), st.floats(1.01, 10))
def test_payback_falls_as_price_rises(v: dict[str, float], factor: float) -> None:
    low = per_gw(v)["payback_years"]
    high = per_gw({**v, "price_per_gpu_hour": v["price_per_gpu_hour"] * factor})["payback_years"]
    assume(math.isfinite(high))
    assert high < low


@given(inputs())
def test_capital_cost_is_at_least_depreciation(v: dict[str, float]) -> None:
    out = per_gw(v)
    assert out["capital_cost_per_gw_year"] >= out["depreciation_per_gw_year"] * (1 - 1e-12)


@given(rates, st.floats(0.5, 50))
def test_crf_is_at_least_straight_line(rate: float, life: float) -> None:
    assert crf(rate, life) >= (1 / life) * (1 - 1e-12)
    assert crf(rate, life) >= rate * (1 - 1e-12)
