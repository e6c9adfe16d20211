"""A quantity typed as a range, LOW..HIGH (issue 20 item 3): read as a lognormal 90% interval
and sampled with the set's ranges, in `convert` and `gap --demand`; refused without samples."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.errors import QuantityError
from gwcalc.uncertainty.ranged_input import read_interval
from gwcalc.units.registry import Q_
from tests.helpers import assert_contract, assert_user_error, invoke, json_output


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("40..60 GW", 40, 60, "GW_IT"),
        ("1.2M..1.8M wafer/yr", 1.2e6, 1.8e6, "wafer/yr"),
        ("40 GW..60", 40, 60, "GW_IT"),
        ("40 GW..0.06 TW", 40, 60, "GW_IT"),  # both ends with units: in the low end's
        ("2 million..3 million gpu", 2e6, 3e6, "gpu"),
    ],
)
def test_read_interval(text: str, low: float, high: float, unit: str) -> None:
    interval = read_interval(text)
    assert interval.low == Q_(low, unit)
    assert interval.high.to(unit).magnitude == pytest.approx(high, rel=1e-15)
    assert interval.point.magnitude == pytest.approx(math.sqrt(low * high), rel=1e-15)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("40 GW..60 gpu", "different kinds"),
        ("60..40 GW", "0 < LOW ≤ HIGH"),
        ("0..40 GW", "0 < LOW ≤ HIGH"),
        ("-5..40 GW", "0 < LOW ≤ HIGH"),
        ("..40 GW", "not a range"),
        ("40 GW..", "not a range"),
        ("1..2..3 GW", "not a range"),
    ],
)
def test_bad_intervals_are_refused(text: str, says: str) -> None:
    with pytest.raises(QuantityError, match=says):
        read_interval(text)


@given(
    st.floats(min_value=1e-3, max_value=1e9, allow_nan=False),
    st.floats(min_value=1.0, max_value=1e3, allow_nan=False),
)
def test_the_point_is_the_geometric_mean_within_the_ends(low: float, ratio: float) -> None:
    high = low * ratio
    interval = read_interval(f"{low!r}..{high!r} GW")
    point = float(interval.point.magnitude)
    assert low <= point <= high
    assert point == pytest.approx(math.sqrt(low) * math.sqrt(high), rel=1e-12)


def _within(summary: dict[str, Any], key: str, expected: float) -> None:
    """A sampled percentile within 4 of its Monte Carlo standard errors of the closed form."""
    got, error = summary[key]["value"], summary["standard_error"][key]["value"]
    assert abs(got - expected) <= 4 * error, (key, got, expected, error)


def test_convert_samples_a_ranged_quantity_to_its_closed_form() -> None:
    """seed-2025 has no ranges: the result is the input × 15 ÷ 500k exactly, so its p5 and p95
    are 1.2M and 1.8M wafer/yr × 15 gpu/wafer ÷ 500k gpu/GW = 36 and 54 GW_IT/yr."""
    result = invoke(
        "convert", "1.2M..1.8M wafer/yr", "--to", "GW/yr", "--samples", "20000", "--json"
    )
    doc = json_output(result)
    assert doc["input_range"]["text"] == "1.2M..1.8M wafer/yr"
    assert doc["input"]["value"] == pytest.approx(math.sqrt(1.2e6 * 1.8e6), rel=1e-15)
    summary = doc["uncertainty"]["outputs"]["GW_IT/yr"]
    _within(summary, "p5", 36.0)
    _within(summary, "p95", 54.0)
    _within(summary, "p50", math.sqrt(36.0 * 54.0))
    assert doc["uncertainty"]["varied"] == ["given_quantity"]
    assert doc["results"][0]["value"] == pytest.approx(math.sqrt(36 * 54), rel=1e-12)


def test_a_range_without_samples_is_refused() -> None:
    for args in (("convert", "40..60 GW", "--to", "gpu"), ("gap", "--demand", "40..60 GW")):
        assert_user_error(invoke(*args), "is a range", "--samples")


def test_gap_samples_a_ranged_demand() -> None:
    doc = json_output(invoke("gap", "--demand", "40..60 GW", "--samples", "20000", "--json"))
    assert doc["demand_range"]["low"] == {"value": 40.0, "unit": "GW_IT"}
    assert doc["demand_source"] == "--demand"
    outputs = doc["uncertainty"]["outputs"]
    _within(outputs["demand"], "p5", 40.0)
    _within(outputs["demand"], "p95", 60.0)
    assert outputs["supply_per_year"]["p5"] == outputs["supply_per_year"]["p95"]  # no range
    assert doc["demand"]["value"] == pytest.approx(math.sqrt(40 * 60), rel=1e-12)


def test_the_tables_say_where_the_values_are() -> None:
    result = invoke("convert", "40..60", "GW", "--to", "gpu", "--samples", "500")
    assert_contract(result)
    assert result.stdout.startswith("40..60 GW (at its median, 48.99 GW_IT)")
    assert "p5 = 40 GW_IT and p95 = 60 GW_IT" in " ".join(result.stdout.split())
    gap = invoke("gap", "--demand", "40..60 GW", "--samples", "500")
    assert "The demand was given as 40..60 GW" in " ".join(gap.stdout.split())


def test_a_chip_on_a_range_uses_its_figures() -> None:
    result = api.convert("1M..2M gb300", "GW", "independent-2026", samples=200)
    assert result.chip == "GB300"
    assert result.uncertainty is not None
    assert "given_quantity" in result.uncertainty.varied
    assert "GB300.it_power_per_package" in result.uncertainty.varied


def test_two_chips_on_a_range_are_refused() -> None:
    with pytest.raises(QuantityError, match="two chips"):
        api.convert("1M GB300..2M GB200", "GW", "independent-2026", samples=10)
