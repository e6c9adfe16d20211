"""The compiled evaluator agrees with pint; an output is one definition that flows everywhere."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.analysis.check import check_set
from gwcalc.analysis.diff import diff_sets
from gwcalc.engine import outputs
from gwcalc.engine.graph import convert, edges
from gwcalc.engine.outputs import Combination, Output, Product
from gwcalc.engine.plan import Plan, compile_conversion, compile_gap, compile_outputs
from gwcalc.errors import DimensionError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.units.registry import Q_, Quantity, parse_unit
from tests import strategies as gs
from tests.helpers import invoke, json_output, quantity
from tests.strategies import SEED

REL = 1e-12


def assert_close(compiled: float, exact: float, what: str) -> None:
    assert math.isclose(compiled, exact, rel_tol=REL, abs_tol=0.0), (what, compiled, exact)


def assert_agrees(plan: Plan, values: tuple[float, ...], reference: Plan) -> None:
    """plan.evaluate(values) equals every output of reference (planned through pint)."""
    for name, got in zip(plan.names, plan.evaluate(values), strict=True):
        want = reference[name].quantity.to(plan[name].units)
        assert_close(got, float(want.magnitude), name)


@st.composite
def gap_runs(draw: st.DrawFn) -> tuple[AssumptionSet, str, Quantity | None]:
    """A random consistent set, a unit of a kind its supply reaches, and perhaps a demand."""
    aset = draw(gs.assumption_sets())
    kinds = gs.reachable_kinds(aset, "[wafer]")
    unit = draw(gs.unit_for(draw(st.sampled_from(sorted(kinds)))))
    demand = None
    if draw(st.booleans()):
        demand_kind = draw(st.sampled_from(sorted(kinds)))
        demand = Q_(draw(gs.magnitudes), parse_unit(draw(gs.unit_for(demand_kind))))
    return aset, unit, demand


@given(run=gap_runs())
def test_compiled_outputs_equal_pint_in_the_planned_set(
    run: tuple[AssumptionSet, str, Quantity | None],
) -> None:
    aset, unit, demand = run
    plan = compile_gap(aset, unit, demand)
    assert_agrees(plan, plan.values(), plan)


@given(run=gap_runs(), data=st.data())
def test_compiled_outputs_equal_pint_for_new_values(
    run: tuple[AssumptionSet, str, Quantity | None], data: st.DataObject
) -> None:
    """New values for the same rate graph: the plan's float arithmetic equals planning anew."""
    aset, unit, demand = run
    plan = compile_gap(aset, unit, demand)
    params = dict(aset.parameters)
    for name in plan.parameters:
        bounded = {"vendor_share": (1e-3, 1.0), "pue": (1.0, 3.0)}.get(name)
        low, high = bounded or (params[name].value * 1e-2, params[name].value * 1e2)
        value = data.draw(st.floats(min_value=low, max_value=high), label=name)
        params[name] = replace(params[name], value=value)
    other = replace(aset, parameters=params)
    assert_agrees(plan, plan.values(other), compile_gap(other, unit, demand))


@given(run=gap_runs(), rows=st.lists(st.lists(gs.factors, min_size=12, max_size=12), max_size=5))
def test_columns_evaluate_as_rows_do(
    run: tuple[AssumptionSet, str, Quantity | None], rows: list[list[float]]
) -> None:
    plan = compile_gap(*run)
    vectors = [[v * f for v, f in zip(plan.values(), row, strict=False)] for row in rows]
    columns = [list(c) for c in zip(*vectors, strict=True)] or [[] for _ in plan.parameters]
    by_column = plan.evaluate_columns(columns)
    assert len(by_column) == len(plan.outputs)
    for i, vector in enumerate(vectors):
        assert tuple(col[i] for col in by_column) == plan.evaluate(vector)


def test_columns_must_match_the_parameters() -> None:
    plan = compile_gap(SEED)
    with pytest.raises(ValueError, match="columns"):
        plan.evaluate_columns([[1.0]])
    columns = [[v] for v in plan.values()]
    columns[2].append(1.0)
    with pytest.raises(ValueError, match="same lengths"):
        plan.evaluate_columns(columns)


def test_the_plan_reads_parameters_in_their_own_units() -> None:
    plan = compile_gap(SEED)
    assert plan.parameters == (
        "cowos_wafers_per_year",
        "vendor_share",
        "gpus_per_wafer",
        "gpus_per_gw",
        "contracted_spend",
        "hardware_cost_per_gw",
    )
    assert plan.values() == (900e3, 0.5, 15.0, 500e3, 1e12, 20e9)
    assert plan.evaluate(plan.values()) == pytest.approx((450e3, 13.5, 50.0, 36.5, 0.27, 50 / 13.5))


def test_a_given_demand_is_a_constant_of_the_plan() -> None:
    plan = compile_gap(SEED, "GW", Q_(26.0, parse_unit("GW")))
    assert "contracted_spend" not in plan.parameters
    assert plan.evaluate(plan.values())[plan.names.index("demand")] == 26.0


def test_a_zero_demand_is_refused_while_planning() -> None:
    with pytest.raises(DimensionError, match="demand must be greater than zero"):
        compile_gap(SEED, "GW", Q_(0.0, parse_unit("GW")))


@given(aset=gs.assumption_sets())
def test_a_set_built_consistent_is_check_clean(aset: AssumptionSet) -> None:
    report = check_set(aset)
    assert report.clean, [f.message for f in report.findings if f.level == "error"]


# ---------------------------------------------------------------- one definition per output

DIES = Output(
    "dies_per_year",
    "dies per year",
    Product(("cowos_wafers_per_year", "vendor_share"), "die", True, "wafer/year"),
    attributed_in_table=True,
)
DIES_SHARE = Output(
    "demand_to_supply",
    "demand to supply",
    Combination("ratio", "demand", "supply_per_year", "year"),
)


@pytest.fixture
def extra_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gap with two more outputs, each added by its definition alone."""
    monkeypatch.setattr(outputs, "GAP_OUTPUTS", (*outputs.GAP_OUTPUTS, DIES, DIES_SHARE))


@pytest.mark.usefixtures("extra_outputs")
def test_an_added_output_flows_into_the_evaluator() -> None:
    plan = compile_gap(SEED)
    values = dict(zip(plan.names, plan.evaluate(plan.values()), strict=True))
    assert values["dies_per_year"] == pytest.approx(6.75e6, rel=REL)  # 450k wafers × 15 × 1
    assert values["demand_to_supply"] == pytest.approx(50 / 13.5, rel=REL)
    assert str(plan["dies_per_year"].units) == "die / yr"  # the registry prints short names


@pytest.mark.usefixtures("extra_outputs")
def test_an_added_output_flows_into_the_json_and_the_table() -> None:
    doc = json_output(invoke("gap", "--json"))
    assert quantity(doc["dies_per_year"]).to(parse_unit("die/year")).magnitude == pytest.approx(
        6.75e6
    )
    assert doc["demand_to_supply"]["unit"] == "yr"
    table = invoke("gap")
    assert table.exit_code == 0, table.stderr
    assert "dies per year" in table.stdout
    assert "6.75M die/yr" in table.stdout


@pytest.mark.usefixtures("extra_outputs")
def test_an_added_output_flows_into_diff() -> None:
    b = SEED.with_overrides([("gpus_per_wafer", Q_(7.5, parse_unit("gpu/wafer")))])
    result = diff_sets(SEED, b)
    dies = next(o for o in result.output_changes if o.name == "dies_per_year")
    assert dies.change_pct == pytest.approx(-50)
    assert [s.parameters for s in dies.attribution] == [("gpus_per_wafer",)]
    doc = json_output(invoke("diff", "seed-2025", "--set", "gpus_per_wafer=7.5", "--json"))
    assert doc["output_changes"]["dies_per_year"]["change_pct"] == pytest.approx(-50)
    table = invoke("diff", "seed-2025", "--set", "gpus_per_wafer=7.5")
    assert "dies per year (die/yr)" in table.stdout


def test_outputs_plan_in_the_order_they_are_defined() -> None:
    plan = compile_outputs(SEED, (DIES, *outputs.GAP_OUTPUTS[1:3]), "gpu")
    assert plan.names == ("dies_per_year", "supply_per_year", "demand")
    demand_path = ["contracted_spend", "hardware_cost_per_gw", "gpus_per_gw"]
    assert [f.parameter for f in plan["demand"].factors] == demand_path


# ---------------------------------------------------------------- many values, some inputs


@given(aset=gs.assumption_sets(), data=st.data())
def test_a_compiled_conversion_equals_convert(aset: AssumptionSet, data: st.DataObject) -> None:
    kinds = data.draw(gs.linked_kinds(aset, 2))
    per = data.draw(gs.per_time())
    source, target = (gs.unit_expr(data.draw(gs.unit_for(k)), per) for k in kinds)
    xs = data.draw(st.lists(gs.magnitudes, min_size=1, max_size=4))
    plan = compile_conversion(aset, source, target)
    (results,) = plan.evaluate_columns(
        [xs if name == "result.start" else [value] * len(xs) for name, value in _named(plan)]
    )
    for x, got in zip(xs, results, strict=True):
        want = convert(Q_(x, source), target, aset).result
        assert_close(got, float(want.to(plan["result"].units).magnitude), f"{x} {source}")
        assert plan.evaluate(plan.vector({"result.start": x})) == (got,)


def _named(plan: Plan) -> list[tuple[str, float]]:
    return list(zip(plan.parameters, plan.values(), strict=True))


def test_evaluate_columns_varies_one_input_and_keeps_the_others() -> None:
    plan = compile_gap(SEED)
    supply = plan.names.index("supply_per_year")
    columns = [
        [500e3, 250e3] if name == "gpus_per_gw" else [value] * 2 for name, value in _named(plan)
    ]
    assert plan.evaluate_columns(columns)[supply] == pytest.approx([13.5, 27.0], rel=REL)


def test_the_rate_graph_is_built_once_per_set() -> None:
    assert edges(SEED) is edges(SEED)
    changed = SEED.with_overrides([("pue", Q_(1.3, parse_unit("W_facility/W")))])
    graph = edges(changed)
    assert graph is not edges(SEED)
    assert any(name == "pue" for links in graph.values() for _, name, _ in links)
    assert not any(name == "pue" for links in edges(SEED).values() for _, name, _ in links)


def test_a_given_start_as_input_is_read_in_the_given_unit() -> None:
    """A demand given in MW is an input in MW, whatever unit the gap is measured in."""
    demand = Q_(26_000.0, parse_unit("MW"))
    plan = compile_outputs(SEED, outputs.GAP_OUTPUTS, "GW", {"demand": demand}, True)
    assert plan.parameter_units[plan.parameters.index("demand.start")] == parse_unit("MW")
    got = plan.evaluate(plan.vector({"demand.start": 13_000.0}))
    assert got[plan.names.index("demand")] == pytest.approx(13.0, rel=REL)
    assert got[plan.names.index("coverage")] == pytest.approx(13.5 / 13, rel=REL)
