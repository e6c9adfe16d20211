"""gwcalc diff: parameter changes, output changes, and attribution that adds up exactly."""

from __future__ import annotations

import json
import math
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.analysis.diff import diff_sets
from gwcalc.cli import cli
from gwcalc.errors import GwcalcError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.write import write_set
from gwcalc.units.floats import LARGEST, SMALLEST
from gwcalc.units.registry import Q_, parse_quantity, parse_unit
from tests.helpers import strict_json
from tests.strategies import INDEPENDENT, SEED  # read from the bundled files, not the search path

# Multipliers applied to a set's parameters: wide, but keeping vendor_share ≤ 1 and pue ≥ 1.
factor = st.floats(min_value=0.2, max_value=5.0, allow_nan=False, allow_infinity=False)


def scaled(base: AssumptionSet, factors: dict[str, float]) -> AssumptionSet:
    overrides = []
    for name, f in factors.items():
        q = base.quantity(name)
        value = float(q.magnitude) * f
        if name == "vendor_share":
            value = min(value, 1.0)
        if name == "pue":
            value = min(max(value, 1.0), 3.0)
        overrides.append((name, Q_(value, q.units)))
    return base.with_overrides(overrides)


def random_set(base: AssumptionSet) -> st.SearchStrategy[AssumptionSet]:
    names = sorted(base.parameters)
    return st.dictionaries(st.sampled_from(names), factor, max_size=len(names)).map(
        lambda f: scaled(base, f)
    )


def total_delta(out: Any) -> float:
    return float(out.delta.magnitude)


def parts_sum(out: Any) -> float:
    return math.fsum(float(s.delta.to(out.before.units).magnitude) for s in out.attribution)


@given(a=random_set(INDEPENDENT), b=random_set(INDEPENDENT))
def test_attribution_sums_to_the_change_within_one_structure(
    a: AssumptionSet, b: AssumptionSet
) -> None:
    result = diff_sets(a, b)
    for out in result.output_changes:
        assert parts_sum(out) == pytest.approx(total_delta(out), rel=1e-9, abs=1e-9), out.name
        assert not any(s.chain_change for s in out.attribution), out.name


@given(a=random_set(SEED), b=random_set(INDEPENDENT))
def test_attribution_sums_to_the_change_across_structures(
    a: AssumptionSet, b: AssumptionSet
) -> None:
    result = diff_sets(a, b, conversions=[(parse_quantity("6 GW"), parse_unit("gpu"))])
    for out in result.output_changes:
        assert parts_sum(out) == pytest.approx(total_delta(out), rel=1e-9, abs=1e-9), out.name
        shares = [s.share for s in out.attribution if s.share is not None]
        if total_delta(out) != 0 and shares:
            assert math.fsum(shares) == pytest.approx(1.0, rel=1e-9)


@given(a=random_set(INDEPENDENT), b=random_set(INDEPENDENT))
def test_swapping_a_and_b_negates_every_change(a: AssumptionSet, b: AssumptionSet) -> None:
    forward, backward = diff_sets(a, b), diff_sets(b, a)
    for f, r in zip(forward.output_changes, backward.output_changes, strict=True):
        assert f.name == r.name
        assert float(r.delta.magnitude) == pytest.approx(-float(f.delta.magnitude), rel=1e-9)
        fwd = {s.parameters: float(s.delta.magnitude) for s in f.attribution}
        back = {s.parameters: float(s.delta.magnitude) for s in r.attribution}
        assert fwd.keys() == back.keys()
        for key, value in fwd.items():
            assert back[key] == pytest.approx(-value, rel=1e-9, abs=1e-12)
    assert [c.name for c in forward.parameter_changes] == [
        c.name for c in backward.parameter_changes
    ]
    for f_ch, b_ch in zip(forward.parameter_changes, backward.parameter_changes, strict=True):
        assert f_ch.before == b_ch.after and f_ch.after == b_ch.before


@pytest.mark.parametrize("aset", [SEED, INDEPENDENT], ids=lambda s: s.id)
def test_diff_of_a_set_with_itself_is_empty(aset: AssumptionSet) -> None:
    result = diff_sets(aset, aset)
    assert result.parameter_changes == ()
    assert not result.differs
    for out in result.output_changes:
        assert float(out.delta.magnitude) == 0.0
        assert out.attribution == ()


def test_a_single_override_explains_all_of_its_outputs_change() -> None:
    b = SEED.with_overrides([("gpus_per_wafer", parse_quantity("7.5 gpu/wafer"))])
    result = diff_sets(SEED, b)
    supply = next(o for o in result.output_changes if o.name == "supply_per_year")
    assert float(supply.after.magnitude) == pytest.approx(6.75, rel=1e-12)
    assert [s.parameters for s in supply.attribution] == [("gpus_per_wafer",)]
    assert supply.attribution[0].share == pytest.approx(1.0)
    demand = next(o for o in result.output_changes if o.name == "demand")
    assert demand.attribution == ()  # gpus_per_wafer is not on the demand chain


def test_seed_to_independent_groups_the_dollar_basis_change() -> None:
    result = diff_sets(SEED, INDEPENDENT)
    demand = next(o for o in result.output_changes if o.name == "demand")
    assert float(demand.before.magnitude) == pytest.approx(50.0)
    assert float(demand.after.magnitude) == pytest.approx(1e12 / 46.7e9 / 1.4, rel=1e-12)
    (group,) = demand.attribution
    assert group.chain_change
    assert set(group.parameters) == {
        "contracted_spend",
        "hardware_cost_per_gw",
        "all_in_cost_per_gw",
        "pue",
    }
    statuses = {c.name: c.status for c in result.parameter_changes}
    assert statuses["pue"] == "added" and statuses["all_in_cost_per_gw"] == "added"
    spend = next(c for c in result.parameter_changes if c.name == "contracted_spend")
    assert spend.change_pct is None  # USD_hw → USD_all_in: a new basis, not a percentage


def test_lmdi_split_of_a_two_factor_product_is_exact() -> None:
    # supply ∝ gpus_per_wafer / gpus_per_gw: double one, halve the other → no change at all,
    # yet each parameter's part is non-zero and they cancel exactly.
    b = SEED.with_overrides(
        [
            ("gpus_per_wafer", parse_quantity("30 gpu/wafer")),
            ("gpus_per_gw", parse_quantity("1M gpu/GW")),
        ]
    )
    supply = next(o for o in diff_sets(SEED, b).output_changes if o.name == "supply_per_year")
    assert float(supply.delta.magnitude) == pytest.approx(0.0, abs=1e-12)
    parts = {s.parameters[0]: float(s.delta.magnitude) for s in supply.attribution}
    assert parts["gpus_per_wafer"] == pytest.approx(13.5 * math.log(2))
    assert parts["gpus_per_gw"] == pytest.approx(-13.5 * math.log(2))
    assert all(s.share is None for s in supply.attribution)


def test_cli_diff_json_has_the_documented_shape() -> None:
    result = CliRunner().invoke(cli, ["diff", "seed-2025", "independent-2026@1", "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert doc["format_version"] == 2
    assert doc["before"]["id"] == "seed-2025" and doc["after"]["id"] == "independent-2026"
    assert len(doc["before"]["sha256"]) == 64
    names = [c["name"] for c in doc["parameter_changes"]]
    assert "gpus_per_wafer" in names and "pue" in names
    for change in doc["parameter_changes"]:
        assert set(change) >= {"name", "before", "after", "change_pct", "sources"}
    outputs = doc["output_changes"]
    assert set(outputs) == {"supply_per_year", "demand", "gap", "coverage", "years_to_cover"}
    for name, out in outputs.items():
        total = out["delta"]["value"]
        parts = math.fsum(p["delta"]["value"] for p in out["attribution"])
        assert parts == pytest.approx(total, rel=1e-9, abs=1e-12), name
        assert {"inputs", "ids", "kind", "delta", "share"} <= set(out["attribution"][0])
        for q in (out["before"], out["after"], out["delta"]):
            assert set(q) == {"value", "unit"}


def test_cli_diff_with_set_overrides_and_conversions() -> None:
    result = CliRunner().invoke(
        cli,
        ["diff", "seed-2025", "--set", "dies_per_gpu=2", "--convert", "6 GW", "--to", "die"],
    )
    assert result.exit_code == 0, result.stderr
    assert "dies_per_gpu" in result.stdout
    assert "6 GW_IT -> die" in result.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["diff", "seed-2025", "seed-2025", "--exit-code"], 0),
        (["diff", "seed-2025", "independent-2026", "--exit-code"], 1),
        (["diff", "seed-2025", "--set", "vendor_share=0.6", "--exit-code"], 1),
        (["diff", "seed-2025", "no-such-set", "--exit-code"], 2),
        (["diff", "seed-2025", "no-such-set"], 1),
        (["diff", "seed-2025", "--to", "gpu"], 2),
    ],
)
def test_cli_diff_exit_codes(args: list[str], code: int) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_diff_missing_set_is_an_error_not_a_difference() -> None:
    result = CliRunner().invoke(cli, ["diff", "seed-2025", "no-such-set", "--exit-code"])
    assert result.stderr.startswith("Error: no assumption set named 'no-such-set'")
    assert result.stdout == ""


# ---------------------------------------------------------------- extreme ratios (issue 6)


def assert_parts_sum(outputs: list[Any]) -> None:
    """Every output's parts sum to its change within 1e-9 relative; the gap (demand − supply)
    relative to the larger of the two it is the difference of. A change below 1e-12 of the
    output is rounding noise (diff reports it as no change), and may go unexplained; so are a
    few ulps of the parts themselves, where they cancel."""
    by_name = {o.name: o for o in outputs}
    for out in outputs:
        total = total_delta(out)
        scale = abs(total)
        if scale <= 1e-12 * abs(float(out.before.magnitude)):
            scale = abs(float(out.before.magnitude)) * 1e-3
        if out.name == "gap":
            scale = max(
                abs(float(q.magnitude))
                for name in ("demand", "supply_per_year")
                for q in (by_name[name].before, by_name[name].after)
            )
        # Parts that cancel (×10 and ÷10 of the same output) each carry a float's rounding of
        # their own size, which no split can remove: a few ulps of the parts' sizes on top.
        sizes = math.fsum(
            abs(float(s.delta.to(out.before.units).magnitude)) for s in out.attribution
        )
        noise = 8 * sys.float_info.epsilon * sizes
        assert abs(parts_sum(out) - total) <= 1e-9 * scale + noise, (
            out.name,
            parts_sum(out),
            total,
        )


@pytest.mark.parametrize("value", ["15e15", "15e16", "15e20", "15e-16", "15e-20", "15e250"])
def test_cli_attribution_sums_at_extreme_ratios(value: str) -> None:
    result = CliRunner().invoke(
        cli, ["diff", "seed-2025", "--set", f"gpus_per_wafer={value}", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    doc = strict_json(result.stdout)
    supply = doc["output_changes"]["supply_per_year"]
    (part,) = supply["attribution"]
    assert part["inputs"] == ["gpus_per_wafer"] and part["kind"] == "parameter"
    assert part["delta"]["value"] == pytest.approx(supply["delta"]["value"], rel=1e-12)
    assert part["share"] == pytest.approx(1.0, rel=1e-12)
    expected = 13.5 * (float(value) / 15 - 1)
    assert supply["delta"]["value"] == pytest.approx(expected, rel=1e-12)


def test_cli_diff_with_a_percent_beyond_floats_is_a_clean_error(tmp_path: Path) -> None:
    sets = []
    for name, value in (("tiny", 1e-10), ("huge", 1e300)):
        aset = SEED.with_overrides([("gpus_per_wafer", Q_(value, "gpu/wafer"))])
        sets.append(str(write_set(replace(aset, id=name, path=None), tmp_path / f"{name}.toml")))
    result = CliRunner().invoke(cli, ["diff", *sets])
    assert result.exit_code == 1
    assert result.stdout == ""  # refused before anything is shown
    assert result.stderr.startswith("Error: the change in gpus_per_wafer in percent is beyond")
    assert "internal" not in result.stderr


# every parameter but the bounded ones (vendor_share ≤ 1, 1 ≤ pue ≤ 3)
SCALABLE = sorted(set(INDEPENDENT.parameters) - {"vendor_share", "pue"})
decades = st.floats(min_value=-300, max_value=300, allow_nan=False)


def rescaled(base: AssumptionSet, powers: dict[str, float]) -> AssumptionSet:
    """The set with each named figure × 10^power, held within the figures a set may hold
    (LARGEST: 1.4e12 × 10^300 is inf, or beyond what gwcalc shows; SMALLEST: below it a figure
    is subnormal): the property is about every figure gwcalc accepts, and those beyond are
    refused where they are written (tests/test_output_range.py)."""
    overrides = []
    for name, power in powers.items():
        q = base.quantity(name)
        value = min(max(float(q.magnitude) * 10.0**power, SMALLEST), LARGEST)
        overrides.append((name, Q_(value, q.units)))
    return base.with_overrides(overrides)


def far_apart_sets() -> st.SearchStrategy[AssumptionSet]:
    """independent-2026 with some parameters scaled by up to 10^±300 (one parameter alone,
    or several by up to 10^±60 each, so that most outputs stay within floats)."""
    one = st.tuples(st.sampled_from(SCALABLE), decades).map(lambda t: {t[0]: t[1]})
    several = st.dictionaries(st.sampled_from(SCALABLE), st.floats(-60, 60), max_size=5)
    return (one | several).map(lambda p: rescaled(INDEPENDENT, p))


@given(a=far_apart_sets(), b=far_apart_sets())
def test_attribution_sums_to_the_change_at_any_finite_ratio(
    a: AssumptionSet, b: AssumptionSet
) -> None:
    try:
        result = diff_sets(a, b, conversions=[(parse_quantity("6 GW"), parse_unit("gpu"))])
    except GwcalcError as exc:  # an output or percent beyond floats: said, never internal
        assert "beyond the range" in exc.message or "too small" in exc.message, exc.message
        return
    assert_parts_sum(list(result.output_changes))
    for out in result.output_changes:
        for share in out.attribution:
            assert share.share is None or math.isfinite(share.share)


@pytest.mark.parametrize("value", ["1e-320", "5e-324"])
def test_cli_subnormal_rate_is_refused_by_name(value: str) -> None:
    result = CliRunner().invoke(cli, ["diff", "seed-2025", "--set", f"gpus_per_gw={value}"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"Error: gpus_per_gw: value {float(value)!r} is too small to compute"
    )


@given(k=st.floats(min_value=1e-6, max_value=1e6).filter(lambda k: abs(math.log(k)) > 1e-4))
def test_changes_that_cancel_get_their_exact_log_mean_parts(k: float) -> None:
    # supply ∝ gpus_per_wafer / gpus_per_gw: both × k leaves it unchanged (up to rounding), and
    # L(after, before) is then before itself: each part is ±before · ln k, whatever the noise
    b = INDEPENDENT.with_overrides(
        [("gpus_per_wafer", Q_(9.1 * k, "gpu/wafer")), ("gpus_per_gw", Q_(451e3 * k, "gpu/GW"))]
    )
    supply = next(
        o for o in diff_sets(INDEPENDENT, b).output_changes if o.name == "supply_per_year"
    )
    parts = {s.parameters[0]: float(s.delta.magnitude) for s in supply.attribution}
    expected = float(supply.before.magnitude) * math.log(k)
    assert parts["gpus_per_wafer"] == pytest.approx(expected, rel=1e-9)
    assert parts["gpus_per_gw"] == pytest.approx(-expected, rel=1e-9)
