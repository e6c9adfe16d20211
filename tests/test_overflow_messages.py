"""Outputs that overflow are refused naming the figures; the size limit is said as it is."""

from __future__ import annotations

import sys

from gwcalc.units.floats import BEYOND, LARGEST
from tests.helpers import assert_user_error, invoke

MARKET = "market-2026@4"


def test_an_economics_output_that_overflows_is_refused_naming_its_figures() -> None:
    result = invoke("economics", "-a", MARKET, "--set", "price_per_gpu_hour=1e300", "-q")
    message = assert_user_error(result, "revenue_per_gw_year is beyond", "price_per_gpu_hour")
    assert "∞" not in message and "gpus_per_gw" in message and "utilization" in message


def test_a_payback_that_never_comes_is_still_never() -> None:
    result = invoke("economics", "-a", MARKET, "--set", "price_per_gpu_hour=0.01", "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "payback_years never" in result.stdout.splitlines()


def test_sensitivity_of_a_huge_capex_does_not_overflow_its_variance() -> None:
    result = invoke("sensitivity", "--output", "payback_years", "-a", MARKET,
                    "--set", "all_in_cost_per_gw=1e300")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "at every figure's value: 7.595e+289 yr" in result.stdout.replace("\n", " ")


def test_the_size_limit_is_said_as_the_one_applied() -> None:
    assert sys.float_info.max > LARGEST  # 1e308 is a float, but above gwcalc's limit
    result = invoke("economics", "-a", MARKET, "--set", "price_per_gpu_hour=1e308", "-q")
    message = assert_user_error(result, "value 1e+308 is out of range", BEYOND)
    assert "above about 1.8e305" in message and "to 1.8e305 in size" in message
