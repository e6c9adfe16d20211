"""Contract dollars (USD_contract): a contract value beside a stated size is checked at the
set's contract rate wherever the deal is shown; contract dollars are refused where hardware
or all-in dollars (or GW) are meant, with the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pint.errors import DimensionalityError

from gwcalc import api
from gwcalc.errors import DimensionError
from gwcalc.timelines.compute import compute_timeline
from gwcalc.timelines.deals import ValueCheck
from gwcalc.units.registry import Q_
from tests.helpers import assert_user_error, invoke, json_output, strict_json
from tests.tiny_sets import by_year, deal, figure, parse_tiny, tiny_text

RATE = {"contract_rate_per_gw_year": figure(13e9, "USD_contract/GW/year")}
ORACLE = deal(
    "Oracle–OpenAI",
    "4.5 GW",
    "2026",
    "2030",
    kind="cloud",
    buyer="OpenAI",
    seller="Oracle",
    value="300B USD_contract",
    term_years=5,
)


def _check(result: Any, name: str = "Oracle–OpenAI") -> ValueCheck:
    view = next(v for v in result.deals if v.deal.name == name)
    check: ValueCheck | None = view.value_check
    assert check is not None
    return check


# ---------------------------------------------------------------- the arithmetic


def test_a_contract_value_buys_value_over_term_over_rate() -> None:
    """$300B over 5 years = $60B a year; at $13B per GW-year that is 60/13 = 4.615 GW,
    against the 4.5 GW its source states: +2.56%. The size stated is what counts."""
    result = compute_timeline(parse_tiny(ORACLE, parameters=RATE))
    check = _check(result)
    assert check.at_rate == pytest.approx(300 / 5 / 13, rel=1e-12)
    assert check.stated == pytest.approx(4.5, rel=1e-12)
    assert check.ratio == pytest.approx(300 / 5 / 13 / 4.5, rel=1e-12)
    assert check.checked and check.reason is None and check.term_years == 5
    assert check.rate is not None and float(check.rate.magnitude) == 13e9
    assert result.rows[-1].cumulative_demand == pytest.approx(4.5, rel=1e-12)  # the stated size


def test_a_facility_rate_checks_in_the_timelines_unit() -> None:
    """A rate per GW of facility power buys GW_facility: ÷ pue 1.25 in GW (IT); the ratio is
    the same in either unit."""
    params = {
        "contract_rate_per_gw_year": figure(12e9, "USD_contract/GW_facility/year"),
        "pue": figure(1.25, "W_facility/W"),
    }
    aset = parse_tiny(ORACLE, parameters=params)
    it = _check(compute_timeline(aset))
    assert it.at_rate == pytest.approx(300 / 5 / 12 / 1.25, rel=1e-12)
    facility = _check(compute_timeline(aset, "GW_facility"))
    assert facility.at_rate == pytest.approx(300 / 5 / 12, rel=1e-12)
    assert facility.stated == pytest.approx(4.5 * 1.25, rel=1e-12)
    assert facility.ratio == pytest.approx(it.ratio, rel=1e-12)


def test_a_rate_by_year_is_taken_year_by_year_as_the_deal_is_phased() -> None:
    """Phased evenly over 2026..2027 (half a year each), the dollars buy ½·60/10 + ½·60/15 GW."""
    years = {2025: 10e9, 2026: 10e9, **dict.fromkeys(range(2027, 2031), 15e9)}
    rate = {**RATE["contract_rate_per_gw_year"], "by_year": by_year(years)}
    short = {**ORACLE, "start": "2026", "end": "2027"}
    check = _check(
        compute_timeline(parse_tiny(short, parameters={"contract_rate_per_gw_year": rate}))
    )
    assert check.at_rate == pytest.approx(0.5 * 60 / 10 + 0.5 * 60 / 15, rel=1e-12)
    assert check.rate is None and [y for y, _ in check.rates] == [2026, 2027]


def test_without_a_contract_rate_the_value_is_unchecked_and_the_timeline_runs() -> None:
    result = compute_timeline(parse_tiny(ORACLE))
    check = _check(result)
    assert (check.at_rate, check.ratio, check.checked) == (None, None, False)
    assert check.reason is not None and "contract_rate_per_gw_year" in check.reason
    assert result.rows[-1].cumulative_demand == pytest.approx(4.5, rel=1e-12)


def test_a_deal_without_a_value_has_no_check() -> None:
    plain = deal("Plain", "2 GW", "2026", "2027")
    result = compute_timeline(parse_tiny(plain, parameters=RATE))
    assert result.deals[0].value_check is None


# ---------------------------------------------------------------- where the deal is shown


def _write(tmp_path: Path, **changes: Any) -> str:
    path = tmp_path / "contract.toml"
    path.write_text(tiny_text(ORACLE, **changes), encoding="utf-8")
    return str(path)


def test_timeline_table_and_json_show_the_check(tmp_path: Path) -> None:
    path = _write(tmp_path, parameters=RATE)
    table = invoke("timeline", "-a", path)
    assert table.exit_code == 0 and table.stderr == ""
    assert "4.5 GW_IT‡" in table.stdout
    line = (
        "Value check: Oracle–OpenAI: 300B USD_contract over 5 y at 13B USD_contract/GW_IT/yr = "
        "4.615 GW_IT against 4.5 GW_IT stated (+2.6%)"
    )
    assert line in table.stdout
    doc = json_output(invoke("timeline", "-a", path, "--json"))
    check = doc["deals"][0]["value_check"]
    assert check["value"] == {"value": 300e9, "unit": "USD_contract"}
    assert check["term_years"] == 5
    assert check["rate"] == {"value": 13e9, "unit": "USD_contract/GW_IT/yr"}
    assert check["at_rate"]["value"] == pytest.approx(60 / 13, rel=1e-12)
    assert check["stated"] == {"value": 4.5, "unit": "GW_IT"}
    assert check["ratio"] == pytest.approx(60 / 13 / 4.5, rel=1e-12)
    assert (check["checked"], check["reason"]) == (True, None)


def test_timeline_without_a_rate_says_unchecked(tmp_path: Path) -> None:
    path = _write(tmp_path)
    table = invoke("timeline", "-a", path)
    assert table.exit_code == 0 and table.stderr == ""
    assert "Oracle–OpenAI: 300B USD_contract over 5 y, unchecked: t v1 has no" in table.stdout
    check = json_output(invoke("timeline", "-a", path, "--json"))["deals"][0]["value_check"]
    assert (check["checked"], check["at_rate"], check["ratio"]) == (False, None, None)
    assert "contract_rate_per_gw_year" in check["reason"]


def test_assumptions_show_lists_the_check(tmp_path: Path) -> None:
    wide = {"COLUMNS": "400"}  # the row on one line
    shown = invoke("assumptions", "show", _write(tmp_path, parameters=RATE), env=wide)
    assert shown.exit_code == 0 and shown.stderr == ""
    assert (
        "4.5 GW; 2026–2030, even; value 300B USD_contract over 5 y at 13B USD_contract/GW_IT/yr = "
        "4.615 GW_IT against 4.5 GW_IT stated (+2.6%)"
    ) in shown.stdout
    unchecked = invoke("assumptions", "show", _write(tmp_path))
    assert "unchecked" in unchecked.stdout and unchecked.exit_code == 0


def test_api_timeline_carries_the_check() -> None:
    result = api.timeline(parse_tiny(ORACLE, parameters=RATE))
    assert _check(result).ratio == pytest.approx(60 / 13 / 4.5, rel=1e-12)


def test_a_size_in_contract_dollars_shows_its_whole_unit(tmp_path: Path) -> None:
    cloud = deal("Cloud", "100B USD_contract", "2026", "2027", kind="cloud", term_years=2)
    path = tmp_path / "cloud.toml"
    path.write_text(tiny_text(cloud, parameters=RATE), encoding="utf-8")
    table = invoke("timeline", "-a", str(path))
    assert table.exit_code == 0 and "USD_contract" in table.stdout and "…" not in table.stdout
    assert "paid over 2 y" in invoke("assumptions", "show", str(path)).stdout


# ---------------------------------------------------------------- refused where they do not belong

WHY = "they buy GW-years, not GW"
WHAT = "term_years = 5"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("gap", "--demand", "300B USD_contract"), ("contract dollars into IT power", WHY, WHAT)),
        (("convert", "300B USD_contract", "--to", "GW"), ("into IT power", WHY, WHAT)),
        (("convert", "300B USD_contract", "--to", "USD"), ("not the same dollars", WHY)),
        (("convert", "300B USD_contract", "--to", "USD_all_in"), ("not the same dollars",)),
        (("convert", "6 GW", "--to", "USD_contract"), ("IT power into contract dollars", WHY)),
        (("convert", "300B USD_contract"), ("contract dollars into no other kind", WHY)),
        (("convert", "300B USD_contract/year", "--to", "GW/year"), ("into IT power", WHY)),
        (
            ("gap", "--set", "contracted_spend=300B USD_contract"),
            ("contracted_spend is in USD_hw or USD_all_in, not contract dollars", WHY, WHAT),
        ),
        (
            ("timeline", "--set", "contracted_spend=200B USD_contract..300B USD_contract"),
            ("not contract dollars", WHY),
        ),
        (
            ("gap", "--set", "hardware_cost_per_gw=20B USD_contract/GW"),
            ("hardware_cost_per_gw is in USD_hw/GW_IT, not contract dollars",),
        ),
        (
            (
                "timeline",
                "-a",
                "independent-2026",
                "--set",
                "contract_rate_per_gw_year=13B USD/GW/yr",
            ),
            ("contract_rate_per_gw_year is in contract dollars", "not hardware-only"),
        ),
        (("gap", "--unit", "USD_contract"), ("not measured in contract dollars", "USD_all_in")),
        (("timeline", "--unit", "USD_contract"), ("not measured in contract dollars",)),
    ],
)
def test_contract_dollars_are_refused_where_other_dollars_or_gw_are_meant(
    args: tuple[str, ...], fragments: tuple[str, ...]
) -> None:
    assert_user_error(invoke(*args), *fragments)


def test_the_refusal_is_a_json_error_document_too() -> None:
    result = invoke("gap", "--demand", "300B USD_contract", "--json")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    error = strict_json(result.stdout)["error"]
    assert error["type"] == "dimension" and WHY in error["message"] and WHAT in error["hint"]


def test_a_stream_of_quantities_refuses_the_contract_line_only() -> None:
    result = invoke(
        "convert", "-", "--to", "gpu", "--keep-going", "-q", stdin="6 GW\n300B USD_contract\n"
    )
    assert result.exit_code == 1
    assert result.stdout == "3M gpu\n"
    assert "line 2: gwcalc does not convert contract dollars into GPU packages" in result.stderr


def test_contract_dollars_do_not_add_to_hardware_or_all_in_dollars() -> None:
    for other in ("USD", "USD_all_in"):
        with pytest.raises(DimensionalityError):
            Q_(300e9, "USD_contract") + Q_(20e9, other)
    assert_user_error(invoke("convert", "300B USD_contract + 20B USD", "--to", "GW"), "'+'")
    with pytest.raises(DimensionError, match="not the same dollars"):
        api.convert("300B USD_contract", "USD")
    with pytest.raises(DimensionError, match=WHY):
        api.gap(demand="300B USD_contract")
