"""The one float evaluator (formulas coefficient first, chains in pint's order) and the one
sampler (the gap's and the timeline's draws of a figure are the same draws)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.engine.codegen import (
    Formula,
    chain_source,
    compile_chain,
    functions,
    generate_source,
)
from gwcalc.errors import DimensionError
from gwcalc.sets.find import resolve_set
from gwcalc.sets.ranges import QuantityRange
from gwcalc.uncertainty.distributions import distribution_of
from gwcalc.uncertainty.sampling import Sampler, plan_uncertainty
from gwcalc.uncertainty.timeline import timeline_uncertainty
from gwcalc.units.floats import LARGEST, SMALLEST
from gwcalc.units.registry import parse_quantity

VALUES = st.floats(1e-3, 1e3)


def reference(formula: Formula, values: list[float]) -> float:
    """A formula computed as documented: each term's coefficient first, then each factor in
    order, the terms added left to right."""
    total = None
    for coefficient, factors in formula:
        term = coefficient
        for variable, exponent in factors:
            x = values[variable]
            term = term * x if exponent == 1 else term / x if exponent == -1 else term * x**exponent
        total = term if total is None else total + term
    return 0.0 if total is None else total


@st.composite
def formulas(draw: st.DrawFn, inputs: int, before: int) -> Formula:
    """A sum of terms over `inputs` inputs and the `before` outputs that precede it."""
    variable = st.integers(0, inputs + before - 1)
    exponent = st.sampled_from([1, -1, 2, -2, 3])
    factor = st.tuples(variable, exponent)
    coefficient = st.one_of(st.just(1.0), st.floats(-5.0, 5.0).filter(lambda c: abs(c) > 1e-3))
    term = st.tuples(coefficient, st.lists(factor, max_size=4).map(tuple))
    return tuple(draw(st.lists(term, max_size=3)))


@given(st.data(), st.integers(1, 4))
def test_formulas_evaluate_by_vector_and_by_column_as_written(data: st.DataObject, k: int) -> None:
    shapes = [data.draw(formulas(k, j)) for j in range(3)]
    rows = data.draw(st.lists(st.lists(VALUES, min_size=k, max_size=k), min_size=1, max_size=3))
    wanted = []
    for row in rows:
        values = list(row)
        try:
            for formula in shapes:
                values.append(reference(formula, values))
        except (ZeroDivisionError, OverflowError):
            assume(False)  # an output divided by is zero, or a power overflowed
        wanted.append(tuple(values[k:]))
    evaluate, by_columns = functions(generate_source(shapes, k))
    columns = by_columns([list(c) for c in zip(*rows, strict=True)], len(rows))
    for i, row in enumerate(rows):
        assert evaluate(row) == wanted[i]  # to the last bit
        assert tuple(c[i] for c in columns) == wanted[i]


def test_a_formula_reads_no_input_and_a_coefficient_must_be_finite() -> None:
    _, by_columns = functions(generate_source([(), ((2.5, ()), (0.5, ()))], 1))
    assert by_columns([[7.0, 8.0]], 2) == ([0.0, 0.0], [3.0, 3.0])
    with pytest.raises(DimensionError, match="beyond the range of a floating-point number"):
        generate_source([((math.inf, ((0, 1),)),)], 1)


@given(
    st.lists(st.tuples(st.floats(1e-200, 1e200), st.sampled_from([1, -1])), max_size=5),
    st.floats(1e-30, 1e30),
    st.floats(-1e300, 1e300),
)
def test_a_chain_is_pints_order_checked_at_every_step(
    rates: list[tuple[float, int]], factor: float, x: float
) -> None:
    want: float | None = x
    for rate, exponent in [*rates, (factor, 1)]:
        assert want is not None
        want = want * rate if exponent == 1 else want / rate
        if not SMALLEST <= abs(want) <= LARGEST:
            want = None
            break
    chain = compile_chain(chain_source(rates, factor, (SMALLEST, LARGEST)))
    assert chain(x) == want


def test_the_gap_and_the_timeline_draw_a_figure_through_one_sampler() -> None:
    """gpus_per_gw alone ranged: the gap's supply per year and each year of the timeline's
    supply are the same draws, scaled (1 / gpus_per_gw), so their spreads agree to rounding."""
    low, high = parse_quantity("330k gpu/GW"), parse_quantity("600k gpu/GW")
    aset = resolve_set("seed-2025").with_overrides([("gpus_per_gw", QuantityRange(low, high))])
    plan = api.gap(aset).plan
    point = plan["supply_per_year"].quantity.magnitude
    gap = plan_uncertainty(aset, plan, 3000, seed=11).summaries["supply_per_year"]
    timeline = api.timeline(aset).computed
    sampled = timeline_uncertainty(timeline, 3000, seed=11)
    assert sampled.varied == ("gpus_per_gw",)
    for row, year in zip(timeline.rows, sampled.years, strict=True):
        s = year.summaries["supply"]
        for got, want in ((s.p5, gap.p5), (s.p50, gap.p50), (s.p95, gap.p95)):
            assert got / row.supply == pytest.approx(want / point, rel=1e-12)


def test_a_sampler_of_a_plan_with_ranges_held_elsewhere_draws_as_the_sets_own() -> None:
    """Sampler(plan, distributions, groups, seed), as docs/python-api.md offers it, draws what
    Sampler.for_set draws when the distributions are the set's."""
    aset = api.load_set("independent-2026")
    plan = api.gap(aset).plan
    params = [aset.parameters[name] for name in plan.parameters]
    dists = {p.name: d for p in params if (d := distribution_of(p)) is not None}
    groups = {p.name: p.group for p in params if p.group is not None and p.name in dists}
    assert len(dists) >= 3 and groups
    held = Sampler(plan, dists, groups, 5).columns(200)
    assert held == Sampler.for_set(aset, plan, 5).columns(200)
