"""The conversion graph and the gap: exact cases, errors, and properties over random sets."""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.engine.graph import convert, related_units
from gwcalc.engine.plan import compute_gap
from gwcalc.errors import DimensionError, GwcalcError, UnitError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.units.registry import KINDS, Q_, dimensions, parse_quantity, parse_unit, unit_text, ureg
from tests import strategies as gs
from tests.strategies import INDEPENDENT, SEED

REL = 1e-9  # chains of a few float products and unit scalings


def display(kind: str, per: str | None = None) -> Any:
    """The display unit of a kind, per a time unit or not: gpu, gpu/month."""
    return gs.unit_expr(KINDS[kind].display_unit, per)


def value_in(q: Any, units: Any) -> float:
    return float(q.to(units).magnitude)


def kind_of(q: Any) -> str:
    (kind,) = (d for d in dimensions(q) if d in KINDS)
    return kind


@st.composite
def conversion_cases(draw: st.DrawFn, count: int = 2) -> tuple[AssumptionSet, list[Any], Any]:
    """A random consistent set, count linked kinds as units (all per the same time, or all
    totals), and a quantity in the first of them."""
    aset = draw(gs.assumption_sets())
    kinds = draw(gs.linked_kinds(aset, count))
    per = draw(gs.per_time())
    units = [gs.unit_expr(draw(gs.unit_for(k)), per) for k in kinds]
    q = Q_(draw(gs.magnitudes), units[0])
    return aset, units, q


# ---------------------------------------------------------------- exact chains in seed-2025


@pytest.mark.parametrize(
    ("text", "target", "value", "path", "operations"),
    [
        ("6 GW", "gpu", 3e6, ["gpus_per_gw"], ["×"]),
        ("6 GW", "die", 3e6, ["gpus_per_gw", "dies_per_gpu"], ["×", "×"]),
        ("6 GW", "wafer", 200e3, ["gpus_per_gw", "gpus_per_wafer"], ["×", "÷"]),
        ("6 GW", "USD", 120e9, ["hardware_cost_per_gw"], ["×"]),
        ("450k wafer/year", "GW/year", 13.5, ["gpus_per_wafer", "gpus_per_gw"], ["×", "÷"]),
        ("75k wafer/month", "GW/year", 27, ["gpus_per_wafer", "gpus_per_gw"], ["×", "÷"]),
        ("$1T", "gpu", 25e6, ["hardware_cost_per_gw", "gpus_per_gw"], ["÷", "×"]),
        ("6 GW", "MW", 6000, [], []),
    ],
)
def test_seed_chains(
    text: str, target: str, value: float, path: list[str], operations: list[str]
) -> None:
    conv = convert(parse_quantity(text), parse_unit(target), SEED)
    assert value_in(conv.result, parse_unit(target)) == pytest.approx(value, rel=1e-12)
    assert conv.path == path
    assert [s.operation for s in conv.steps] == operations
    assert conv.input == parse_quantity(text)


def test_independent_chain_goes_through_facility_power() -> None:
    # contract dollars are all-in dollars per GW of facility power; ÷ pue gives IT power
    conv = convert(INDEPENDENT.quantity("contracted_spend"), parse_unit("GW"), INDEPENDENT)
    assert conv.path == ["all_in_cost_per_gw", "pue"]
    expected = 1e12 / INDEPENDENT.parameters["all_in_cost_per_gw"].value
    expected /= INDEPENDENT.parameters["pue"].value
    assert value_in(conv.result, parse_unit("GW")) == pytest.approx(expected, rel=1e-12)


def test_an_inverse_quantity_converts_with_inverted_rates() -> None:
    # 1 per GW is 1 per 500k GPUs
    conv = convert(parse_quantity("1 /GW"), parse_unit("1/gpu"), SEED)
    assert value_in(conv.result, parse_unit("1/gpu")) == pytest.approx(2e-6, rel=1e-12)
    assert [s.operation for s in conv.steps] == ["÷"]  # 1/GW ÷ 500k gpu/GW


def test_an_overflowing_result_is_an_error() -> None:
    with pytest.raises(DimensionError):
        convert(parse_quantity("1e300 GW"), parse_unit("USD"), SEED)
    with pytest.raises(DimensionError):
        compute_gap(SEED, unit="USD", demand=parse_quantity("1e300 GW"))


def test_zero_converts_to_zero() -> None:
    conv = convert(parse_quantity("0 GW"), parse_unit("gpu"), SEED)
    assert conv.result.magnitude == 0


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("6 GW", "wafer/year"),  # a total into a rate
        ("6 GW/year", "gpu"),  # a rate into a total
        ("6 GW", "1/gpu"),  # inverted kinds
        ("6 GW", "dimensionless"),  # a plain number
        ("6 GW", "%"),
        ("5", "gpu"),  # from a plain number
        ("6 gpu/GW", "gpu"),  # two kinds at once
        ("6 GW", "GW*GW"),
        ("6 GW", "GW_facility"),  # seed-2025 has no pue
        ("6 GW", "USD_all_in"),  # nor an all-in cost
    ],
)
def test_convert_refuses_what_does_not_convert(text: str, target: str) -> None:
    units = ureg.dimensionless if target == "dimensionless" else parse_unit(target)
    with pytest.raises(DimensionError) as info:
        convert(parse_quantity(text), units, SEED)
    assert info.value.message


def test_a_missing_link_names_the_parameter_that_would_bridge_it() -> None:
    with pytest.raises(DimensionError) as info:
        convert(parse_quantity("6 GW"), parse_unit("GW_facility"), SEED)
    assert "seed-2025" in info.value.message
    assert info.value.hint is not None and "pue" in info.value.hint


def test_adding_the_missing_link_with_an_override_makes_the_chain() -> None:
    aset = SEED.with_overrides([("pue", parse_quantity("1.4 W_facility/W"))])
    conv = convert(parse_quantity("6 GW"), parse_unit("GW_facility"), aset)
    assert value_in(conv.result, parse_unit("GW_facility")) == pytest.approx(8.4, rel=1e-12)
    assert conv.path == ["pue"]


def test_related_units_of_six_gw_in_seed() -> None:
    units = related_units(parse_quantity("6 GW"), SEED)
    assert units[0] == parse_unit("GW")  # the input's own kind first
    kinds = {kind_of(Q_(1.0, u)) for u in units}
    assert kinds == {"[it_power]", "[gpu_package]", "[die]", "[wafer]", "[hardware_money]"}


def test_related_units_of_a_rate_are_per_year() -> None:
    units = related_units(parse_quantity("75k wafer/month"), SEED)
    assert len(units) == 5
    for u in units:
        assert dimensions(Q_(1.0, u))["[time]"] == -1
        assert unit_text(u).endswith("/yr")


# ---------------------------------------------------------------- conversion properties


@given(case=conversion_cases())
def test_convert_agrees_with_the_gw_equivalent_oracle(case: Any) -> None:
    aset, (ua, ub), q = case
    a, b = kind_of(q), kind_of(Q_(1.0, ub))
    per = ua / display(a)  # the time part, if any (dimensionless for totals)
    worth = gs.gw_equivalents(aset)
    expected = value_in(q, display(a) * per) * worth[a] / worth[b]
    result = convert(q, ub, aset).result
    assert value_in(result, display(b) * per) == pytest.approx(expected, rel=REL)


@given(case=conversion_cases())
def test_round_trip_is_the_identity(case: Any) -> None:
    aset, (ua, ub), q = case
    there = convert(q, ub, aset)
    back = convert(there.result, ua, aset)
    assert back.result.units == ua
    assert back.result.magnitude == pytest.approx(q.magnitude, rel=REL)
    # the way back takes the same parameters, in reverse
    assert back.path == there.path[::-1]


@given(case=conversion_cases(count=3))
def test_path_independence(case: Any) -> None:
    aset, (_, ub, uc), q = case
    via_b = convert(convert(q, ub, aset).result, uc, aset).result
    direct = convert(q, uc, aset).result
    assert via_b.units == direct.units == uc
    assert via_b.magnitude == pytest.approx(direct.magnitude, rel=REL)


scalars = gs.factors | gs.factors.map(lambda f: -f) | st.just(0.0)


@given(case=conversion_cases(), k=scalars)
def test_linearity(case: Any, k: float) -> None:
    aset, (_, ub), q = case
    scaled = convert(q * k, ub, aset).result
    assert scaled.magnitude == pytest.approx(k * convert(q, ub, aset).result.magnitude, rel=REL)


@given(case=conversion_cases(), other=st.data())
def test_additivity(case: Any, other: st.DataObject) -> None:
    aset, (_, ub), q = case
    q2 = Q_(other.draw(gs.magnitudes), q.units)
    together = convert(q + q2, ub, aset).result.magnitude
    apart = convert(q, ub, aset).result.magnitude + convert(q2, ub, aset).result.magnitude
    assert together == pytest.approx(apart, rel=REL)


@given(case=conversion_cases(), data=st.data())
def test_the_input_unit_does_not_matter(case: Any, data: st.DataObject) -> None:
    aset, (ua, ub), q = case
    a = kind_of(q)
    per = ua / display(a)
    other_unit = gs.unit_expr(data.draw(gs.unit_for(a)), None) * per
    rewritten = q.to(other_unit)  # e.g. 6 GW -> 6000 MW, 75k wafer/month -> 900k wafer/year
    assert convert(rewritten, ub, aset).result.magnitude == pytest.approx(
        convert(q, ub, aset).result.magnitude, rel=REL
    )


@given(aset=gs.assumption_sets(), x=gs.magnitudes)
def test_per_month_converts_as_twelve_per_year(aset: AssumptionSet, x: float) -> None:
    monthly = convert(Q_(x, parse_unit("wafer/month")), parse_unit("GW/year"), aset).result
    yearly = convert(Q_(12 * x, parse_unit("wafer/year")), parse_unit("GW/year"), aset).result
    assert monthly.magnitude == pytest.approx(yearly.magnitude, rel=REL)


def _distance(aset: AssumptionSet, a: str, b: str) -> int:
    """Links on the shortest chain of rates between two kinds (breadth-first, independently)."""
    frontier, seen, steps = deque([(a, 0)]), {a}, 0
    while frontier:
        kind, steps = frontier.popleft()
        if kind == b:
            return steps
        for p in aset.parameters.values():
            dims = dimensions(p.quantity)
            if kind in dims and sorted(dims.values()) == [-1, 1]:
                (other,) = (d for d in dims if d != kind)
                if other in KINDS and other not in seen:
                    seen.add(other)
                    frontier.append((other, steps + 1))
    raise AssertionError("not linked")


@given(case=conversion_cases())
def test_the_chain_is_a_shortest_connected_path(case: Any) -> None:
    aset, (_, ub), q = case
    a, b = kind_of(q), kind_of(Q_(1.0, ub))
    steps = convert(q, ub, aset).steps
    assert len(steps) == _distance(aset, a, b)
    kind = a
    for step in steps:
        assert step.from_kind == kind
        rate = dimensions(aset.quantity(step.parameter))
        assert rate == {step.to_kind: step.exponent, step.from_kind: -step.exponent}
        kind = step.to_kind
    assert kind == b


@given(aset=gs.assumption_sets(), data=st.data())
def test_related_units_reach_exactly_the_linked_kinds(
    aset: AssumptionSet, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(sorted(KINDS)))
    q = Q_(1.0, display(kind))
    units = related_units(q, aset)
    assert units[0] == display(kind)
    assert {kind_of(Q_(1.0, u)) for u in units} == gs.reachable_kinds(aset, kind)
    assert len(units) == len(set(units))
    for u in units:  # each one converts
        convert(q, u, aset)


# ---------------------------------------------------------------- the gap


def test_gap_in_other_units_of_seed() -> None:
    gpu = compute_gap(SEED, unit="gpu")
    assert value_in(gpu.supply_per_year, parse_unit("gpu/year")) == pytest.approx(6.75e6)
    assert value_in(gpu.demand, parse_unit("gpu")) == pytest.approx(25e6)
    wafer = compute_gap(SEED, unit="wafer")
    assert wafer.supply_chain == ()
    assert value_in(wafer.supply_per_year, parse_unit("wafer/year")) == pytest.approx(450e3)


def test_gap_with_a_demand_given() -> None:
    gap = compute_gap(SEED, demand=parse_quantity("26 GW"))
    assert gap.demand_source == "given"  # the JSON still says "--demand"
    assert [f.parameter for f in gap.demand_factors] == []
    assert value_in(gap.demand, parse_unit("GW")) == pytest.approx(26, rel=1e-12)
    assert value_in(gap.coverage, ureg.dimensionless) == pytest.approx(13.5 / 26, rel=1e-12)


def test_gap_when_supply_exceeds_demand_is_negative() -> None:
    gap = compute_gap(SEED, demand=parse_quantity("1 GW"))
    assert value_in(gap.gap, parse_unit("GW")) == pytest.approx(-12.5, rel=1e-12)
    assert value_in(gap.coverage, ureg.dimensionless) == pytest.approx(13.5, rel=1e-12)


def test_gap_of_independent_2026_in_facility_power() -> None:
    it = compute_gap(INDEPENDENT)
    facility = compute_gap(INDEPENDENT, unit="GW_facility")
    pue = INDEPENDENT.parameters["pue"].value
    assert value_in(facility.demand, parse_unit("GW_facility")) == pytest.approx(
        pue * value_in(it.demand, parse_unit("GW")), rel=REL
    )
    assert [f.parameter for f in it.demand_factors] == [
        "contracted_spend",
        "all_in_cost_per_gw",
        "pue",
    ]


@pytest.mark.parametrize(
    ("unit", "error"),
    [
        ("GW/year", DimensionError),
        ("wafer/year", DimensionError),
        ("gpu/GW", DimensionError),
        ("%", DimensionError),
        ("GW*GW", DimensionError),
        ("GW_facility", DimensionError),  # seed-2025 has no pue
        ("furlong", UnitError),
        ("", GwcalcError),
    ],
)
def test_gap_refuses_units_it_cannot_measure_in(unit: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        compute_gap(SEED, unit=unit)


@pytest.mark.parametrize("demand", ["0 GW", "-5 GW", "5 GW/year", "5 gpu/GW", "1 GW_facility"])
def test_gap_refuses_a_demand_it_cannot_use(demand: str) -> None:
    with pytest.raises(DimensionError):
        compute_gap(SEED, demand=parse_quantity(demand))


@given(aset=gs.assumption_sets())
def test_gap_identities(aset: AssumptionSet) -> None:
    gap = compute_gap(aset)
    one_year = (gap.supply_per_year * Q_(1.0, "year")).to(gap.demand.units)
    assert gap.gap.to(gap.demand.units).magnitude == pytest.approx(
        (gap.demand - one_year).magnitude, rel=REL, abs=1e-9 * gap.demand.magnitude
    )
    assert value_in(gap.coverage, ureg.dimensionless) == pytest.approx(
        value_in(one_year / gap.demand, ureg.dimensionless), rel=REL
    )
    assert value_in(gap.coverage * gap.years_to_cover, parse_unit("year")) == pytest.approx(
        1.0, rel=REL
    )


@given(aset=gs.assumption_sets())
def test_gap_agrees_with_the_gw_equivalent_oracle(aset: AssumptionSet) -> None:
    worth = gs.gw_equivalents(aset)
    wafers = value_in(aset.quantity("cowos_wafers_per_year"), parse_unit("wafer/year"))
    wafers *= value_in(aset.quantity("vendor_share"), ureg.dimensionless)
    spend = aset.quantity("contracted_spend")
    spend_kind = kind_of(spend)
    gap = compute_gap(aset)
    assert value_in(gap.supply_per_year, parse_unit("GW/year")) == pytest.approx(
        wafers * worth["[wafer]"], rel=REL
    )
    assert value_in(gap.demand, parse_unit("GW")) == pytest.approx(
        value_in(spend, display(spend_kind)) * worth[spend_kind], rel=REL
    )


@given(aset=gs.assumption_sets(), data=st.data())
def test_coverage_does_not_depend_on_the_unit(aset: AssumptionSet, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(sorted(gs.reachable_kinds(aset, "[wafer]"))))
    unit = data.draw(gs.unit_for(kind))
    base, other = compute_gap(aset), compute_gap(aset, unit=unit)
    assert value_in(other.coverage, ureg.dimensionless) == pytest.approx(
        value_in(base.coverage, ureg.dimensionless), rel=REL
    )
    assert value_in(other.years_to_cover, parse_unit("year")) == pytest.approx(
        value_in(base.years_to_cover, parse_unit("year")), rel=REL
    )
    assert other.demand.units == parse_unit(unit)


@given(aset=gs.assumption_sets(), k=gs.factors)
def test_demand_scales_with_contracted_spend(aset: AssumptionSet, k: float) -> None:
    spend = aset.parameters["contracted_spend"]
    params = dict(aset.parameters, contracted_spend=replace(spend, value=spend.value * k))
    scaled = compute_gap(replace(aset, parameters=params))
    base = compute_gap(aset)
    assert scaled.demand.magnitude == pytest.approx(k * base.demand.magnitude, rel=REL)
    assert scaled.supply_per_year == base.supply_per_year
    assert scaled.coverage.magnitude == pytest.approx(base.coverage.magnitude / k, rel=REL)


@given(aset=gs.assumption_sets(), x=gs.magnitudes)
def test_a_given_demand_is_converted_like_convert_does(aset: AssumptionSet, x: float) -> None:
    demand = Q_(x, parse_unit("USD"))
    gap = compute_gap(aset, demand=demand)
    assert gap.demand.magnitude == pytest.approx(
        convert(demand, parse_unit("GW"), aset).result.magnitude, rel=REL
    )
    assert gap.demand_source == "given"  # the JSON still says "--demand"


def test_the_supply_input_unit_does_not_matter() -> None:
    monthly = SEED.with_overrides([("cowos_wafers_per_year", parse_quantity("75k wafer/month"))])
    a, b = compute_gap(SEED), compute_gap(monthly)
    for name in ("supply_per_year", "demand", "gap", "coverage", "years_to_cover"):
        qa, qb = getattr(a, name), getattr(b, name)
        assert qb.to(qa.units).magnitude == pytest.approx(qa.magnitude, rel=1e-12), name


def test_the_bridge_hint_speaks_no_cli_words() -> None:
    with pytest.raises(DimensionError) as info:
        convert(parse_quantity("6 GW"), parse_unit("GW_facility"), SEED)
    assert info.value.hint is not None
    assert "for this run as NAME=QUANTITY" in info.value.hint
    assert "--" not in info.value.hint
