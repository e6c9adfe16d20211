"""gwcalc assumptions check: every check can fail, one finding per independent cycle of rates,
in polynomial time."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.analysis.check import check_set
from gwcalc.errors import GwcalcError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter, Source
from gwcalc.sets.write import write_set
from gwcalc.units.registry import KINDS
from tests.helpers import assert_user_error, invoke, json_error, strict_json
from tests.strategies import INDEPENDENT

KIND_LIST = list(KINDS)[:7]  # the seven kinds of power, counts and money the test was built on
UNIT = {k: KINDS[k].display_unit for k in KINDS}

Edge = tuple[int, int]  # (bottom kind index, top kind index): a rate top/bottom


def rate(name: str, bottom: int, top: int, value: float) -> Parameter:
    unit = f"{UNIT[KIND_LIST[top]]}/{UNIT[KIND_LIST[bottom]]}"
    return Parameter(name, value, unit, Source("test", None, "2026-11-25"))


def components(edges: list[Edge]) -> int:
    """Connected components of the 7 kinds under the edges (isolated kinds count), by
    union-find: an oracle independent of gwcalc's breadth-first forest."""
    root = list(range(len(KIND_LIST)))

    def find(i: int) -> int:
        while root[i] != i:
            i = root[i]
        return i

    for a, b in edges:
        root[find(a)] = find(b)
    return len({find(i) for i in range(len(KIND_LIST))})


def rate_set(edges: list[Edge], values: list[float], factors: dict[int, float]) -> AssumptionSet:
    """A set of only these rates (named r00, r01…), each = ratio of its ends' kind values, times
    factors[i] for the perturbed ones."""
    params = {}
    for i, (bottom, top) in enumerate(edges):
        name = f"r{i:02d}"
        params[name] = rate(name, bottom, top, values[bottom] / values[top] * factors.get(i, 1.0))
    return replace(INDEPENDENT, parameters=params, path=None)


def cycle_findings(aset: AssumptionSet) -> list[str]:
    report = check_set(aset)
    return [f.level for f in report.findings if len(f.parameters) >= 2]


def all_pairs_and_parallels() -> list[Edge]:
    """Every pair of the 7 kinds once (21 rates), plus 15 parallel rates: 36 rates."""
    n = len(KIND_LIST)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    return pairs + [(b, a) for a, b in pairs[:15]]


def test_a_set_of_36_rates_gets_one_finding_per_independent_cycle() -> None:
    edges = all_pairs_and_parallels()
    values = [10.0 ** (3 * i - 9) for i in range(len(KIND_LIST))]
    aset = rate_set(edges, values, {})
    levels = cycle_findings(aset)
    assert len(levels) == len(edges) - len(KIND_LIST) + components(edges) == 30
    assert set(levels) == {"ok"}


def test_check_of_36_rates_from_the_command_line(tmp_path: Path) -> None:
    edges = all_pairs_and_parallels()
    values = [1.0 + i for i in range(len(KIND_LIST))]
    extra = rate_set(edges, values, {3: 1.5}).parameters  # one rate 50% off
    aset = replace(INDEPENDENT, parameters={**INDEPENDENT.parameters, **extra}, path=None)
    path = write_set(aset, tmp_path / "many.toml")
    result = invoke("assumptions", "check", str(path), "--json")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    doc = strict_json(result.stdout)
    assert doc["clean"] is False
    cycles = [f for f in doc["findings"] if len(f["parameters"]) >= 2]
    shipped_rates = 6  # independent-2026 links the 7 kinds by a tree of 6 rates: no cycle
    assert check_set(INDEPENDENT).path_pairs == ()
    assert len(cycles) == len(edges) + shipped_rates - len(KIND_LIST) + 1
    assert any(f["level"] == "error" and "r03" in f["parameters"] for f in cycles)


@st.composite
def rate_graphs(draw: st.DrawFn) -> tuple[list[Edge], list[float]]:
    n = len(KIND_LIST)
    edge = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1])
    edges = draw(st.lists(edge, min_size=1, max_size=40))
    values = draw(st.lists(st.floats(-60, 60).map(lambda x: 10.0**x), min_size=n, max_size=n))
    return edges, values


def on_a_cycle(edges: list[Edge], i: int) -> bool:
    """Whether the ends of edge i stay connected without it."""
    rest = edges[:i] + edges[i + 1 :]
    a, b = edges[i]
    return components(rest) == components([*rest, (a, b)])


@given(graph=rate_graphs(), data=st.data())
def test_consistent_rates_are_clean_and_one_rate_off_is_not(
    graph: tuple[list[Edge], list[float]], data: st.DataObject
) -> None:
    edges, values = graph
    aset = rate_set(edges, values, {})
    levels = cycle_findings(aset)
    assert len(levels) == len(edges) - len(KIND_LIST) + components(edges)
    assert check_set(aset).clean

    cyclic = [i for i in range(len(edges)) if on_a_cycle(edges, i)]
    if not cyclic:
        return
    i = data.draw(st.sampled_from(cyclic))
    factor = data.draw(st.floats(1.02, 1e6) | st.floats(1e-6, 1 / 1.02))
    off = check_set(rate_set(edges, values, {i: factor}))
    assert not off.clean
    assert all(f"r{i:02d}" in f.parameters for f in off.findings if f.level == "error")
    for pair in off.path_pairs:  # each cycle through the rate is off by exactly its factor
        names = {s.parameter for s in (*pair.direct, *pair.other)}
        expected = abs(math.log(factor)) if f"r{i:02d}" in names else 0.0
        assert abs(pair.log_ratio) == pytest.approx(expected, abs=1e-9)


def test_the_shipped_example_still_holds() -> None:
    result = invoke(
        "assumptions", "check", "independent-2026@1", "--set", "gpu_price=43k USD/gpu", "--json"
    )
    assert result.exit_code == 1
    assert result.stderr == ""
    (finding,) = [f for f in strict_json(result.stdout)["findings"] if f["level"] == "error"]
    assert finding["parameters"] == ["gpus_per_gw", "gpu_price", "hardware_cost_per_gw"]
    assert (
        "[÷ gpus_per_gw] and [× gpu_price ÷ hardware_cost_per_gw] differ by -14.19%"
        in (finding["message"])
    )


@pytest.mark.parametrize("tolerance", ["nan", "inf", "-inf", "1e400", "100", "-1", "1e6", "x"])
def test_a_tolerance_that_could_never_fail_is_a_usage_error(tolerance: str) -> None:
    result = invoke(
        "assumptions", "check", "independent-2026", "--set", "gpu_price=43k USD/gpu",
        "--tolerance", tolerance,
    )  # fmt: skip
    assert_user_error(result, "--tolerance", repr(tolerance), "from 0 up to", code=2)
    as_json = invoke("assumptions", "check", "independent-2026", "--tolerance", tolerance, "--json")
    assert "from 0 up to" in json_error(as_json, code=2)["message"]


def test_a_tolerance_just_below_100_percent_still_fails_a_factor_of_three() -> None:
    result = invoke(
        "assumptions", "check", "independent-2026", "--set", "gpu_price=150k USD/gpu",
        "--tolerance", "99.9", "--json",
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr
    assert strict_json(result.stdout)["tolerance_pct"] == 99.9


def test_the_core_refuses_a_tolerance_that_cannot_fail() -> None:
    for tolerance in (float("nan"), float("inf"), 1.0, -0.1):
        with pytest.raises(GwcalcError, match="tolerance"):
            check_set(INDEPENDENT, tolerance)


def test_rates_a_float_cannot_multiply_are_compared_in_logs() -> None:
    # 1e300 × 1e300 overflows a float; the two paths still differ by a factor of 10^-300
    # wafer -> gpu at 1e300 against wafer -> die -> gpu: 1e300 ÷ 1e-300 = 1e600 overflows
    params = [rate("r00", 0, 1, 1e300), rate("r01", 1, 2, 1e-300), rate("r02", 0, 2, 1e300)]
    aset = replace(INDEPENDENT, parameters={p.name: p for p in params}, path=None)
    (finding,) = [f for f in check_set(aset).findings if len(f.parameters) == 3]
    assert "[× r00] and [× r02 ÷ r01]" in finding.message
    assert finding.level == "error"
    assert "a factor of 10^+300.0" in finding.message


def test_a_rate_of_zero_is_refused_by_name() -> None:
    aset = rate_set([(0, 1), (0, 1)], [1.0, 1.0], {1: 0.0})
    with pytest.raises(GwcalcError, match="r01"):
        check_set(aset)
