"""timeline --samples: each year over a set's ranges, running sums per sample, and p_covered."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.errors import GwcalcError
from gwcalc.sets.find import resolve_set
from gwcalc.sets.ranges import QuantityRange
from gwcalc.sets.read import parse_set
from gwcalc.timelines.compute import compute_timeline
from gwcalc.uncertainty.timeline import timeline_uncertainty
from gwcalc.units.registry import parse_quantity
from tests.helpers import assert_user_error, invoke, json_output
from tests.tiny_sets import YEARS, by_year, deal, market_text, parse_tiny, tiny_text

Z90 = NormalDist().inv_cdf(0.95)


def ranged(aset: api.AssumptionSet, name: str, low: str, high: str) -> api.AssumptionSet:
    return aset.with_overrides([(name, QuantityRange(parse_quantity(low), parse_quantity(high)))])


def years_set(
    entries: dict[int, dict[str, float | str]], param_range: dict[str, float | str] | None = None
) -> api.AssumptionSet:
    """The tiny set with wafers by year (each entry a year's fields) and a parameter range."""
    return parse_tiny(parameters={"cowos_wafers_per_year": years_change(entries, param_range)})


def years_change(
    entries: dict[int, dict[str, float | str]], param_range: dict[str, float | str] | None = None
) -> dict[str, object]:
    return {**(param_range or {}), "by_year": by_year(entries)}


CONSTANT_YEARS: dict[int, dict[str, float | str]] = {y: {"value": 1000000} for y in YEARS}
WAFER_RANGE: dict[str, float | str] = {"low": 5e5, "high": 2e6}


def test_without_ranges_every_sample_is_the_point_result_exactly() -> None:
    aset = parse_tiny(deal("D", "40 GW", "2026", "2029"))
    result = compute_timeline(aset)
    u = timeline_uncertainty(result, 500)
    assert u.varied == ()
    for row, y in zip(result.rows, u.years, strict=True):
        s = y.summaries
        assert (s["supply"].p5, s["supply"].p50, s["supply"].p95) == (row.supply,) * 3
        assert s["cumulative_demand"].p50 == row.cumulative_demand
        assert s["gap"].p95 == row.gap
        # before any demand falls due (2025) nothing is covered: no probability at all
        due = row.cumulative_demand > 0
        assert y.p_covered == ((1.0 if row.gap <= 0 else 0.0) if due else None)


def test_zero_width_ranges_give_exactly_the_point_result() -> None:
    aset = ranged(parse_tiny(deal("D", "40 GW", "2026", "2029")), "gpus_per_gw", "4e5 gpu/GW",
                  "4e5 gpu/GW")  # fmt: skip
    result = compute_timeline(aset)
    u = timeline_uncertainty(result, 300)
    for row, y in zip(result.rows, u.years, strict=True):
        assert y.summaries["cumulative_supply"].p5 == row.cumulative_supply
        assert y.summaries["gap"].p50 == row.gap


def test_a_ratio_of_a_lognormal_matches_the_closed_form_every_year() -> None:
    """supply ∝ 1 / gpus_per_gw: its p5, p50 and p95 are S0·g0/H, S0·g0/√(LH), S0·g0/L; and
    with demand fixed in GW, P(covered in y) = P(g ≤ g0 · Σsupply0 / Σdemand) in closed form."""
    low, high = 2e5, 1.6e6
    aset = ranged(parse_tiny(deal("D", "60 GW", "2025", "2030")), "gpus_per_gw",
                  f"{low} gpu/GW", f"{high} gpu/GW")  # fmt: skip
    g0 = aset.parameters["gpus_per_gw"].value
    result = compute_timeline(aset)
    n = 40_000
    u = timeline_uncertainty(result, n, seed=7)
    mu, sigma = (math.log(low) + math.log(high)) / 2, (math.log(high) - math.log(low)) / (2 * Z90)
    normal = NormalDist(mu, sigma)
    in_between = 0
    for row, y in zip(result.rows, u.years, strict=True):
        s = y.summaries["cumulative_supply"]
        assert s.p5 == pytest.approx(row.cumulative_supply * g0 / high, rel=0.03)
        assert s.p50 == pytest.approx(row.cumulative_supply * g0 / math.sqrt(low * high), rel=0.02)
        assert s.p95 == pytest.approx(row.cumulative_supply * g0 / low, rel=0.03)
        assert y.summaries["cumulative_demand"].p95 == pytest.approx(row.cumulative_demand)
        expected = normal.cdf(math.log(g0 * row.cumulative_supply / row.cumulative_demand))
        assert y.p_covered == pytest.approx(expected, abs=4 * math.sqrt(0.25 / n) + 1e-3)
        in_between += 0.05 < expected < 0.95
    assert in_between >= 2  # the test looks at probabilities that are not 0 or 1


def test_running_sums_are_taken_sample_by_sample_with_one_draw_for_all_years() -> None:
    """A figure's years move together: with wafers ranged, every year's supply is the same
    ratio of its point value, so Σ p95 = p95 of Σ (it would not be for independent years),
    and gap = Σ demand − Σ supply sample by sample."""
    wafers = (1e6, 2e6, 3e6, 3e6, 3e6, 4e6)
    years: dict[int, dict[str, float | str]] = {
        y: {"value": v} for y, v in zip(YEARS, wafers, strict=True)
    }
    aset = years_set(years, WAFER_RANGE)
    result = compute_timeline(aset)
    u = timeline_uncertainty(result, 20_000)
    assert u.varied == ("cowos_wafers_per_year",)
    total = 0.0
    for row, y in zip(result.rows, u.years, strict=True):
        total += y.summaries["supply"].p95
        assert y.summaries["cumulative_supply"].p95 == pytest.approx(total, rel=1e-9)
        ratio = y.summaries["supply"].p95 / row.supply
        assert ratio == pytest.approx(u.years[0].summaries["supply"].p95 / result.rows[0].supply)


def test_a_years_own_range_is_used_and_the_others_scale_the_parameters() -> None:
    years = dict(CONSTANT_YEARS)
    years[2027] = {"value": 3000000, "low": 2900000, "high": 3100000}
    aset = years_set(years, WAFER_RANGE)
    param = aset.parameters["cowos_wafers_per_year"]
    own = param.at(2027).range
    assert own is not None and own.low == 2.9e6
    assert param.at(2026).range == param.range  # same value: the parameter's range
    u = timeline_uncertainty(compute_timeline(aset), 20_000)
    spread = {y.year: y.summaries["supply"].p95 / y.summaries["supply"].p5 for y in u.years}
    assert spread[2027] == pytest.approx(3.1 / 2.9, rel=0.02)
    assert spread[2026] == pytest.approx(4.0, rel=0.03)


def test_a_scaled_range_stays_within_the_figures_valid_range() -> None:
    years = by_year({y: 0.9 if y == 2030 else 0.5 for y in YEARS})
    aset = parse_tiny(parameters={"vendor_share": {"low": 0.3, "high": 0.8, "by_year": years}})
    r = aset.parameters["vendor_share"].at(2030).range
    assert r is not None and r.low == pytest.approx(0.54) and r.high == 1.0


def test_per_year_ranges_are_checked_and_round_trip() -> None:
    years = dict(CONSTANT_YEARS)
    years[2028] = {"value": 1000000, "low": 1100000, "high": 1200000}
    with pytest.raises(GwcalcError, match=r"2028.*does not hold the value"):
        years_set(years)
    years[2028] = {"value": 1000000, "low": 900000}
    with pytest.raises(GwcalcError, match="needs both 'low' and 'high'"):
        years_set(years)
    years[2028] = {"value": 1000000, "low": 900000, "high": 1200000, "distribution": "pert"}
    aset = years_set(years)
    again = parse_set(aset.to_toml())
    assert again.parameters["cowos_wafers_per_year"].by_year == (
        aset.parameters["cowos_wafers_per_year"].by_year
    )
    assert again.sha256 == aset.sha256


def test_a_group_moves_its_figures_together_in_every_year() -> None:
    """wafers and gpus_per_gw in one group with the same relative range: supply ∝ w / g does
    not vary at all."""
    aset = parse_tiny(
        parameters={
            "cowos_wafers_per_year": {**WAFER_RANGE, "group": "g"},
            "gpus_per_gw": {"low": 250000, "high": 1e6, "group": "g"},
        }
    )
    u = timeline_uncertainty(compute_timeline(aset), 2000)
    for y in u.years:
        s = y.summaries["supply"]
        assert s.p95 == pytest.approx(s.p5, rel=1e-9)


def test_the_same_seed_gives_the_same_document_and_another_seed_another() -> None:
    aset = ranged(resolve_set("seed-2025"), "gpus_per_gw", "330k gpu/GW", "600k gpu/GW")
    one = json.dumps(api.timeline(aset, samples=3000, seed=5).to_dict())
    assert one == json.dumps(api.timeline(aset, samples=3000, seed=5).to_dict())
    assert one != json.dumps(api.timeline(aset, samples=3000, seed=6).to_dict())


@pytest.fixture
def toy_market(tmp_path: Path) -> Path:
    """A like-for-like market (every buyer's plans against every vendor's chips), its all-in
    rate ranged, so that P(covered) is a claim it may make."""
    path = tmp_path / "market.toml"
    path.write_text(market_text({"low": 5e9, "high": 80e9}), encoding="utf-8")
    return path


def test_cli_timeline_samples_json_has_uncertainty_and_p_covered(toy_market: Path) -> None:
    result = invoke("timeline", "-a", str(toy_market), "--samples", "4000", "--seed", "3",
                    "--json")  # fmt: skip
    doc = json_output(result)
    assert result.stderr == ""
    u = doc["uncertainty"]
    assert (u["samples"], u["seed"], u["varied"]) == (4000, 3, ["all_in_cost_per_gw"])
    for year in doc["years"]:
        if not year["demand_due"]:
            continue
        assert 0 <= year["p_covered"] <= 1
        assert year["p_covered_standard_error"] >= 0
        for name in ("supply", "demand", "cumulative_supply", "cumulative_demand", "gap"):
            s = u["outputs"][f"{name}.{year['year']}"]
            assert s["p5"]["value"] <= s["p50"]["value"] <= s["p95"]["value"]
            assert s["p50"]["unit"] == "GW_IT"
    assert any(0 < (y["p_covered"] or 0) < 1 for y in doc["years"])


def test_cli_timeline_samples_table_csv_and_quiet(toy_market: Path) -> None:
    args = ["timeline", "-a", str(toy_market), "--samples", "2000"]
    table = invoke(*args)
    assert table.exit_code == 0 and table.stderr == ""
    assert "P(covered)" in table.stdout and "seed 20261202" in table.stdout  # the default
    assert "By 2030, cumulative supply covers cumulative demand in" in table.stdout
    text = invoke(*args, "--format", "csv").stdout
    assert text.splitlines()[0].endswith("gap_p95,p_covered,p_covered_standard_error")
    rows = list(csv.DictReader(io.StringIO(text)))
    market_rows = [r for r in rows if r["level"] == "market"]
    assert len(market_rows) == 6 and "cumulative_supply_p50" in rows[0]
    assert all(0 <= float(r["p_covered"]) <= 1 for r in market_rows)
    assert all(r["p_covered"] == "" for r in rows if r["level"] != "market")
    quiet = invoke(*args, "-q").stdout.splitlines()
    assert [line.split()[0] for line in quiet[-6:]] == [f"p_covered.{y}" for y in range(2025, 2031)]


def test_cli_timeline_samples_of_one_buyer_make_no_probability_claim() -> None:
    args = ["timeline", "-a", "seed-2025", "--set", "gpus_per_gw=330k..3M", "--samples", "2000"]
    doc = json_output(invoke(*args, "--json"))
    assert all(y["p_covered"] is None for y in doc["years"])
    assert [y["demand_due"] for y in doc["years"]] == [False] + [True] * 5  # from 2026-H2
    assert doc["verdict"]["matched"] is False and doc["coverage"] == "scopes-differ"
    table = invoke(*args).stdout
    assert "No P(covered): the two sides differ in scope" in table
    assert "By 2030, cumulative supply covers" not in table


def test_cli_timeline_samples_refuses_bad_counts_and_a_lone_seed() -> None:
    assert_user_error(invoke("timeline", "--samples", "0"), "--samples", code=2)
    assert_user_error(invoke("timeline", "--seed", "4"), "--seed needs --samples", code=2)


def test_assumptions_show_prints_each_years_range_and_marks_a_scaled_one(tmp_path: Path) -> None:
    years = dict(CONSTANT_YEARS)
    years[2027] = {"value": 3000000, "low": 2900000, "high": 3100000}
    path = tmp_path / "t.toml"
    path.write_text(years_set(years, WAFER_RANGE).to_toml(), encoding="utf-8")
    shown = invoke("assumptions", "show", str(path))
    assert shown.exit_code == 0, shown.stderr
    rows = shown.stdout.split("Values by year")[1]
    assert "2.9M wafer/yr …" in rows and "3.1M wafer/yr" in rows
    assert "(lognormal 90%, scaled)" in rows  # the other years take the parameter's range


@pytest.mark.parametrize("extra", [(), ("--json",), ("--format", "csv"), ("--samples", "100")])
def test_an_amount_beyond_a_float_is_refused_never_printed_as_inf(extra: tuple[str, ...]) -> None:
    result = invoke("timeline", "-a", "independent-2026@4", "--set", "all_in_cost_per_gw=1e-300",
                    *extra)  # fmt: skip
    if "--json" in extra:
        assert result.exit_code == 1 and "inf" not in result.stdout
        assert "beyond the range of a floating-point number" in result.stdout
    else:
        assert_user_error(result, "demand in 2025 is beyond the range of a floating-point number")


@given(
    st.floats(0.3, 1.0), st.floats(1.0, 3.0), st.floats(0.3, 1.0), st.floats(1.0, 3.0),
    st.floats(1.0, 200.0), st.integers(0, 2**32),
)  # fmt: skip
def test_sampled_timelines_keep_their_invariants(
    g_low: float, g_high: float, c_low: float, c_high: float, size_b: float, seed: int
) -> None:
    """Whatever the ranges: percentiles in order, running sums that never fall from one year
    to the next (p5, p50 and p95 alike: each sample's sums only grow), p_covered in [0, 1] and
    consistent with the gap's percentiles."""
    aset = parse_tiny(deal("D", f"${size_b}B", "2026", "2029"), deal("E", "5 GW", "2025", "2026"))
    aset = ranged(aset, "gpus_per_gw", f"{5e5 * g_low} gpu/GW", f"{5e5 * g_high} gpu/GW")
    aset = ranged(aset, "hardware_cost_per_gw", f"{20 * c_low}B USD/GW", f"{20 * c_high}B USD/GW")
    n = 400
    u = timeline_uncertainty(compute_timeline(aset), n, seed)
    previous = {"cumulative_supply": -math.inf, "cumulative_demand": -math.inf}
    for y in u.years:
        for s in y.summaries.values():
            assert s.p5 <= s.p50 <= s.p95
        for name in previous:
            assert y.summaries[name].p5 >= previous[name] - 1e-9
            previous[name] = y.summaries[name].p5
        p = y.p_covered
        if p is None:  # no demand due by this year: nothing to cover in any sample
            assert not y.demand_due
            continue
        assert 0.0 <= p <= 1.0
        gap = y.summaries["gap"]
        if gap.p95 < 0:
            assert p >= 0.95 - 1 / n
        if gap.p5 > 0:
            assert p <= 0.05 + 1 / n


def test_a_bad_years_range_is_reported_at_its_own_line(tmp_path: Path) -> None:
    years = dict(CONSTANT_YEARS)
    years[2027] = {"value": 1000000, "low": 1100000, "high": 1200000}
    text = tiny_text(parameters={"cowos_wafers_per_year": years_change(years)})
    path = tmp_path / "t.toml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("low = 1100000") + 1
    stderr = assert_user_error(invoke("assumptions", "check", str(path)))
    assert f"t.toml:{line} " in stderr and "in 2027: the range" in stderr
    assert "around its value" in stderr  # the hint comes along
