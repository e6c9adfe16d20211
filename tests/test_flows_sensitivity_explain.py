"""sensitivity and explain of the flows outputs: a seller's round_trip_share and
net_external_revenue, a warrant's warrant_value; exact against hand arithmetic on the tiny money
set (AMD's 160M shares at $0.01 against OpenAI's $120B order), every refusal naming why."""

from __future__ import annotations

from typing import Any

import pytest

from gwcalc import api
from gwcalc.errors import GwcalcError, ParameterError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.ranges import parse_value
from gwcalc.sets.read import parse_set
from gwcalc.units.registry import Q_
from tests.test_flows_vesting import vesting_set
from tests.tiny_sets import MONEY_FLOWS, figure, flow, money_set, set_text

SHARES, STRIKE, AMD_GROSS = 160e6, 0.01, 120e9  # AMD's warrant; OpenAI's $120B AMD order
WARRANT = "AMD–OpenAI warrant"


def worth(price: float) -> float:
    """The warrant as Warrant.value computes it: 160M × price − 160M × $0.01."""
    return max(0.0, SHARES * price - SHARES * STRIKE)


def tiny(**overrides: Any) -> AssumptionSet:
    """The money set (amd_share_price 165, range 100..600, lognormal), with overrides: a
    quantity, or a range as text ('100..900')."""
    aset = parse_set(set_text(money_set()))
    given = {n: parse_value(v) if isinstance(v, str) else v for n, v in overrides.items()}
    return aset.with_overrides(given.items()) if given else aset


def nvda_set() -> AssumptionSet:
    """The money set and NVIDIA's own warrant to OpenAI (10M shares at a ranged price)."""
    nvda = flow("NVIDIA–OpenAI warrant", "NVIDIA", "OpenAI", "warrant", None, shares=10_000_000,
                strike="0.01 USD_equity", share_price="nvda_share_price")  # fmt: skip
    price = {"nvda_share_price": figure(100, "USD_equity", low=50, high=200)}
    return parse_set(set_text(money_set(*MONEY_FLOWS, nvda, parameters=price)))


# ---------------------------------------------------------------- the warrant's value


def test_amds_warrant_at_600_explained_is_95_998_400_000_dollars_exactly() -> None:
    result = api.flows_explain("warrant_value", tiny(amd_share_price=Q_(600.0)), flow=WARRANT)
    assert result.result == 95_998_400_000.0 and result.text == "95.9984B USD_equity"
    (step,) = result.steps  # no vesting condition: valued as if fully vested
    assert step.formula == "shares × max(0, price − strike)"
    assert step.substituted == "160M × max(0, 600 − 0.01)"
    assert result.parameters == ("amd_share_price",) and [c.flow.name for c in result.flows] == [
        WARRANT
    ]
    doc = result.to_dict()
    assert doc["family"] == "flows" and doc["flow"] == WARRANT and "party" not in doc
    assert doc["result"] == {"value": 95_998_400_000.0, "unit": "USD_equity"}
    assert doc["flows"][0]["source"]["title"] and doc["parameters"][0]["source"]["title"]


def test_a_vesting_warrant_counts_its_part_of_the_year() -> None:
    """6 GW even over 2026-H2–2030 (nine half-years): 2 GW by the end of 2027, two of six 1 GW
    tranches, none by the end of 2026: a third of the value vests in 2027."""
    aset = parse_set(set_text(vesting_set(vesting_step="1 GW")))
    aset = aset.with_overrides([("amd_share_price", Q_(600.0))])
    result = api.flows_explain("warrant_value", aset, flow=WARRANT, year=2027)
    assert result.result == pytest.approx(worth(600) * 2 / 6, rel=1e-15)
    full, counted = result.steps
    assert full.value == worth(600) and counted.name == "warrant_value"
    assert counted.formula == "value × share vesting in 2027" and "33.333%" in counted.substituted
    whole = api.flows_explain("warrant_value", aset, flow=WARRANT).steps[-1]
    assert whole.formula == "value × vested share" and whole.value == worth(600)


# ---------------------------------------------------------------- round trips


def test_round_trip_share_explained_step_by_step() -> None:
    result = api.flows_explain("round_trip_share", tiny(), party="AMD")
    part = worth(165)  # 26.3984B < the $120B OpenAI paid: all of it is a round trip
    assert result.result == pytest.approx(part / AMD_GROSS, rel=1e-15)
    steps = {(s.scope, s.name): s for s in result.steps}
    assert steps["OpenAI → AMD", "gross"].substituted == "120B (OpenAI–AMD chips)"
    assert steps["OpenAI → AMD", "sent"].substituted == "26.4B (AMD–OpenAI warrant)"
    assert steps["OpenAI → AMD", "round trip"].substituted == "min(26.4B, 120B)"
    assert steps["OpenAI → AMD", "share"].substituted == "26.4B ÷ 120B"
    assert steps["AMD–OpenAI warrant", "value if fully vested"].value == worth(165)
    assert result.steps[-1].scope == "AMD, all buyers" and result.text == "22.0%"
    kinds = {c.flow.name: c.flow.kind for c in result.flows}
    assert kinds == {WARRANT: "warrant", "OpenAI–AMD chips": "chip-order"}


def test_net_external_revenue_is_gross_less_the_round_trip() -> None:
    result = api.flows_explain("net_external_revenue", tiny(), party="NVIDIA")
    # NVIDIA: OpenAI paid 40B and got 30B of equity (30B round trip); Oracle paid 40B, got none
    assert result.result == 50e9 and result.text == "50B USD_nominal"
    assert result.steps[-1].substituted == "(40B + 40B) − (30B + 0)"
    assert result.parameters == ()  # no warrant: it reads no figure of the set
    assert result.to_dict()["result"] == {"value": 50e9, "unit": "USD_nominal"}


# ---------------------------------------------------------------- the tornado


def test_the_tornado_of_amds_round_trip_share_by_hand() -> None:
    result = api.flows_sensitivity(tiny(), "round_trip_share", party="AMD", samples=2000)
    (e,) = result.effects
    assert e.name == "amd_share_price" and (e.low.magnitude, e.high.magnitude) == (100, 600)
    assert e.output_at_low == pytest.approx(worth(100) / AMD_GROSS, rel=1e-15)  # 13.3%
    assert e.output_at_high == pytest.approx(worth(600) / AMD_GROSS, rel=1e-15)  # 80.0%
    assert e.swing == pytest.approx(500 * SHARES / AMD_GROSS, rel=1e-12)  # 2/3 exactly
    assert result.point == pytest.approx(worth(165) / AMD_GROSS, rel=1e-15)
    assert e.variance_share == 1.0  # the only figure that moves it
    assert result.label == "round-trip share of AMD" and "sampled" in result.method
    net = api.flows_sensitivity(tiny(), "net_external_revenue", party="AMD", samples=500)
    assert net.effects[0].output_at_low == pytest.approx(AMD_GROSS - worth(100), rel=1e-15)
    assert net.effects[0].output_at_high == pytest.approx(AMD_GROSS - worth(600), rel=1e-15)


def test_a_round_trip_above_the_gross_is_capped_at_all_of_it() -> None:
    aset = tiny(amd_share_price="100..900")  # at $900: 143.998B sent against 120B paid
    (e,) = api.flows_sensitivity(aset, "round_trip_share", party="AMD", samples=500).effects
    assert e.output_at_high == 1.0 and e.output_at_low == pytest.approx(worth(100) / AMD_GROSS)


def test_a_figure_the_output_does_not_read_has_zero_swing_and_zero_share() -> None:
    aset = nvda_set()
    amd = api.flows_sensitivity(aset, "round_trip_share", party="AMD", samples=2000)
    rows = {e.name: e for e in amd.effects}
    assert rows["nvda_share_price"].swing == 0.0 and rows["nvda_share_price"].variance_share == 0
    assert rows["amd_share_price"].variance_share == 1.0
    assert [e.name for e in amd.effects] == ["amd_share_price", "nvda_share_price"]  # by swing
    nvidia = api.flows_sensitivity(aset, "round_trip_share", party="NVIDIA", samples=2000)
    nv = {e.name: e for e in nvidia.effects}
    # NVIDIA sent OpenAI 30B + 10M × (price − 0.01) against the 40B OpenAI paid it
    assert nv["nvda_share_price"].output_at_high == pytest.approx(
        (30e9 + (10e6 * 200 - 10e6 * 0.01)) / 80e9, rel=1e-15
    )
    assert nv["amd_share_price"].swing == 0.0 and nv["amd_share_price"].variance_share == 0.0


def test_an_output_that_never_moves_says_so() -> None:
    result = api.flows_sensitivity(tiny(), "round_trip_share", party="NVIDIA", samples=300)
    assert result.effects[0].swing == 0.0 and result.constant
    assert "is the same in all 300 samples" in result.method


def test_the_json_document() -> None:
    doc = api.flows_sensitivity(tiny(), "warrant_value", flow=WARRANT, samples=300).to_dict()
    assert doc["family"] == "flows" and doc["flow"] == WARRANT and doc["year"] is None
    assert doc["point"] == {"value": worth(165), "unit": "USD_equity"}
    (p,) = doc["parameters"]
    assert p["output_at_high"] == {"value": worth(600), "unit": "USD_equity"}
    assert p["variance_share"] == 1.0 and doc["method"] == "sampled" and doc["samples"] == 300


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("output", "scope", "fragments"),
    [
        ("round_trip_share", {}, ["round_trip_share is a seller (party)'s: name one"]),
        ("warrant_value", {}, ["warrant flow (flow)'s", "warrants: AMD–OpenAI warrant"]),
        ("round_trip_share", {"party": "AMD", "flow": WARRANT}, ["takes a party, not a flow"]),
        ("warrant_value", {"flow": "AMD-OpenAI warant"}, ["did you mean 'AMD–OpenAI warrant'?"]),
        ("warrant_value", {"flow": "OpenAI–AMD chips"}, ["is a chip-order, not a warrant"]),
        ("round_trip_share", {"party": "OpenAI"}, ["OpenAI sells nothing", "sellers with"]),
        ("round_trip_share", {"party": "amd"}, ["did you mean 'AMD'?"]),
        ("round_trip_share", {"party": "AMD", "year": 2031}, ["none of AMD's flows counts in"]),
    ],
)
def test_refusals_name_why(output: str, scope: dict[str, Any], fragments: list[str]) -> None:
    for study in (api.flows_sensitivity, api.flows_explain):
        with pytest.raises(ParameterError) as caught:
            study(aset=tiny(), output=output, **scope)
        text = f"{caught.value.message} {caught.value.hint}"
        assert all(f in text for f in fragments), text


def test_a_warrant_that_does_not_count_in_the_year_is_refused_with_why() -> None:
    aset = parse_set(set_text(vesting_set(vesting_step="1 GW")))
    with pytest.raises(ParameterError, match="does not count in 2026: vests with the GW"):
        api.flows_explain("warrant_value", aset, flow=WARRANT, year=2026)


def test_an_override_the_output_does_not_read_is_refused() -> None:
    with pytest.raises(ParameterError, match="not used by the flows' round-trip share of NVIDIA"):
        api.flows_sensitivity(tiny(amd_share_price="100..700"), party="NVIDIA", samples=100)
    with pytest.raises(ParameterError, match="no figure the counted flows use has a range"):
        api.flows_sensitivity(tiny(amd_share_price=Q_(600.0)), party="AMD", samples=100)


def test_the_gap_functions_point_to_the_flows_ones() -> None:
    with pytest.raises(ParameterError) as caught:
        api.sensitivity(tiny(), "round_trip_share")
    assert "an output of the flows" in caught.value.message
    assert caught.value.hint == "study it with gwcalc.api.flows_sensitivity"


# ---------------------------------------------------------------- market-2026@4


def test_amds_round_trip_share_in_market_2026_v4() -> None:
    """AMD booked $105B from OpenAI and $100B from Meta, and sent each a warrant for 160M
    shares: each round trip is the warrant's value, at $600 96B, just below what each paid."""
    result = api.flows_sensitivity("market-2026@4", party="AMD", samples=2000)
    (e,) = result.effects
    assert e.output_at_low == pytest.approx(2 * worth(164.67) / 205e9, rel=1e-15)
    assert e.output_at_high == pytest.approx((2 * worth(600)) / 205e9, rel=1e-15)  # 93.7%
    assert result.point == pytest.approx(2 * worth(203.71) / 205e9, rel=1e-15)  # 31.8%
    assert e.variance_share == 1.0


def test_a_range_beyond_floats_is_an_error_saying_so() -> None:
    aset = tiny(amd_share_price="100..1e301")  # 160M × 1e301 is no float
    for output, party, name in (
        ("warrant_value", None, WARRANT),
        ("round_trip_share", "AMD", None),
    ):
        with pytest.raises(GwcalcError, match="a sum of the flows' money is beyond the range"):
            api.flows_sensitivity(aset, output, party, name, samples=100)
