"""Numbers at the edges of the float range: subnormal inputs, rates and results are refused by
name (never a ZeroDivisionError, never a number that lost its digits), and --json output never
carries NaN or Infinity."""

from __future__ import annotations

import pytest

from tests.helpers import assert_user_error, invoke, json_error, strict_json

SUBNORMAL_CASES: list[tuple[tuple[str, ...], str]] = [
    (("convert", "5e-324 GW", "--to", "gpu"), "the quantity is too small to compute with"),
    (("convert", "5e-324 GW"), "the quantity is too small to compute with"),
    (("convert", "1e-300 W", "--to", "GW"), "the result is too small to compute with"),
    (("convert", "1e-320 wafer/yr", "--to", "GW/yr"), "the quantity is too small"),
    (("gap", "--set", "gpus_per_gw=1e-320"), "gpus_per_gw: value 1e-320 is too small to compute"),
    (("gap", "--set", "hardware_cost_per_gw=1e-320 USD/GW"), "hardware_cost_per_gw: value 1e-320"),
    (("gap", "--set", "cowos_wafers_per_year=1e-320 wafer/yr"), "cowos_wafers_per_year: value"),
    (("gap", "--set", "vendor_share=1e-320"), "vendor_share: value 1e-320 is too small"),
    (  # each figure a normal float, their product not: the chain's own check names the step
        ("gap", "--set", "cowos_wafers_per_year=1e-160 wafer/yr", "--set", "vendor_share=1e-160"),
        "cowos_wafers_per_year × vendor_share is too small",
    ),
    (
        ("gap", "--set", "contracted_spend=5e-324 USD"),
        "contracted_spend: value 5e-324 is too small",
    ),
    (("gap", "--demand", "5e-324 GW"), "the quantity is too small to compute with"),
    (("diff", "seed-2025", "--set", "gpus_per_gw=1e-320"), "gpus_per_gw: value 1e-320 is too"),
    (("diff", "seed-2025", "--convert", "5e-324 GW", "--to", "gpu"), "the quantity is too small"),
]


@pytest.mark.parametrize(("args", "message"), SUBNORMAL_CASES, ids=lambda a: " ".join(a))
def test_subnormal_figures_are_refused_by_name(args: tuple[str, ...], message: str) -> None:
    stderr = assert_user_error(invoke(*args), message)
    assert stderr.startswith(f"Error: {message}")
    error = json_error(invoke(*args, "--json"))
    assert error["message"].startswith(message)


def test_zero_still_converts_exactly() -> None:
    result = invoke("convert", "0 GW", "--to", "gpu", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert strict_json(result.stdout)["results"][0]["value"] == 0.0


def test_the_smallest_normal_figures_still_compute() -> None:
    result = invoke("convert", "1e-300 gpu", "--to", "GW", "--json")
    assert result.exit_code == 0, result.stderr
    value = strict_json(result.stdout)["results"][0]["value"]
    assert value == pytest.approx(1e-300 / 500e3, rel=1e-12)  # gpus_per_gw = 500k gpu/GW
