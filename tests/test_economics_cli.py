"""`gwcalc economics` through the CLI: every format, stdout and stderr apart, hostile input."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from gwcalc import api
from gwcalc.econ.model import BY_YEAR_OUTPUTS, PER_GW_INPUTS, PER_GW_OUTPUTS
from tests.helpers import assert_contract, assert_user_error, invoke, json_output
from tests.test_completion import SHIPPED, offered
from tests.test_economics_model import TOY
from tests.tiny_sets import set_text

TOY_ARGS = ("economics", "-a", str(TOY))


def test_the_table_shows_each_part() -> None:
    result = invoke(*TOY_ARGS)
    assert_contract(result)
    assert result.exit_code == 0
    out = result.stdout
    for text in ("Unit economics — econ-toy v1", "Per GW of IT power, one year", "Per GPU-hour",
                 "Revenue gap by year", "payback: capex ÷ operating cash", "5.811 yr", "86.8%",
                 "Floors: depreciation and revenue needed in 2025, 2026, 2027",
                 "Note: energy is priced at full draw"):  # fmt: skip
        assert text in out, text


def test_json_is_the_api_document() -> None:
    doc = json_output(invoke(*TOY_ARGS, "--json"))
    assert doc == api.economics(str(TOY)).to_dict()
    assert doc["format_version"] == 2 and doc["assumptions"]["id"] == "econ-toy"
    assert list(doc["per_gw"]) == [o.name for o in PER_GW_OUTPUTS]
    assert doc["per_gw"]["payback_years"]["value"] == pytest.approx(40e9 / (8.76e9 - 1.876e9))
    assert doc["per_gw"]["payback_years"]["unit"] == "yr"
    assert [row["year"] for row in doc["by_year"]] == list(range(2025, 2031))
    assert set(doc["by_year"][0]) == {"year", "depreciation_floor"} | {
        o.name for o in BY_YEAR_OUTPUTS
    }
    assert doc["by_year"][2]["ai_capex"] == {"value": pytest.approx(260e9), "unit": "USD_all_in/yr"}


def test_jsonl_is_one_line() -> None:
    result = invoke(*TOY_ARGS, "--format", "jsonl")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.count("\n") == 1


def test_csv_has_a_row_per_output() -> None:
    result = invoke(*TOY_ARGS, "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0] == "section,year,output,value,unit,basis"
    assert len(lines) == 1 + len(PER_GW_INPUTS) + len(PER_GW_OUTPUTS) + 6 * len(BY_YEAR_OUTPUTS)
    assert "by_year,2027,ai_capex,260000000000.0,USD_all_in/yr," in lines


def test_markdown_has_the_three_tables() -> None:
    out = invoke(*TOY_ARGS, "--format", "markdown", "--year", "2027").stdout
    assert out.startswith("**Unit economics — econ-toy v1, figures of 2027**")
    assert "| 2027 | 5.2 | 260 |" in out
    assert "Floors: depreciation and revenue needed in 2027 count capex from 2025 only" in out
    assert "| 2026" not in out  # --year shows that year's row only


def test_quiet_prints_the_headline_numbers() -> None:
    lines = invoke(*TOY_ARGS, "-q").stdout.splitlines()
    assert lines[1] == "payback_years 5.811 yr"
    assert lines[3] == "break_even_utilization 86.8%"
    assert "revenue_gap 2027 -11.41B USD_nominal/yr" in lines


def test_samples_in_every_format() -> None:
    args = (*TOY_ARGS, "--samples", "200", "--seed", "5")
    doc = json_output(invoke(*args, "--json"))
    u = doc["uncertainty"]
    assert u["samples"] == 200 and u["seed"] == 5
    assert u["varied"] == ["gpus_per_gw", "price_per_gpu_hour"]
    assert 0 <= u["p_payback_within_it_life"] <= 1
    assert u["by_year"][0]["p_revenue_covers"] == 1.0
    table = invoke(*args).stdout
    assert "Over 200 samples (seed 5)" in table and "P(payback within it_life)" in table
    assert invoke(*args, "--format", "csv").stdout.splitlines()[0].endswith(",p5,p50,p95")


def test_the_articles_scenario() -> None:
    low = json_output(invoke(*TOY_ARGS, "--set", "utilization=70%", "--json"))
    high = json_output(invoke(*TOY_ARGS, "--set", "utilization=90%", "--json"))
    assert low["per_gw"]["payback_years"]["value"] > high["per_gw"]["payback_years"]["value"]
    assert low["assumptions"]["overrides"]["utilization"] == {"value": 70.0, "unit": "%"}


def test_a_price_of_zero_never_pays_back() -> None:
    doc = json_output(invoke(*TOY_ARGS, "--set", "price_per_gpu_hour=0", "--json"))
    assert doc["per_gw"]["payback_years"]["value"] is None
    assert doc["per_gw"]["payback_years"]["never"] is True
    assert "payback_years never" in invoke(*TOY_ARGS, "--set", "price_per_gpu_hour=0", "-q").stdout
    assert math.isinf(api.economics(str(TOY), {"price_per_gpu_hour": "0"})["payback_years"])


# the toy set gives utilization in %: a bare number is percent (150 is 150 %, 1.5 is 1.5 %)
@pytest.mark.parametrize("value", ["0", "-0.1", "150", "1.5..150"])
def test_utilization_out_of_range_is_refused(value: str) -> None:
    assert_user_error(invoke(*TOY_ARGS, "--set", f"utilization={value}"), "utilization")


def test_an_unknown_override_names_the_nearest() -> None:
    result = invoke(*TOY_ARGS, "--set", "utilisation=0.7")
    assert_user_error(result, "unknown parameter 'utilisation'", "did you mean 'utilization'?")


def test_an_unknown_set_is_refused() -> None:
    assert_user_error(invoke("economics", "-a", "market-2062"), "no assumption set named")


def test_an_override_that_changes_nothing_is_refused() -> None:
    result = invoke(*TOY_ARGS, "--set", "cowos_wafers_per_year=2M")
    assert_user_error(result, "not used by the economics")


def test_a_set_without_the_parameters_is_refused_naming_them() -> None:
    stderr = assert_user_error(invoke("economics", "-a", "seed-2025"), "has no", "it_life")
    assert "the economics model needs them" in stderr


def test_a_wrong_unit_is_refused() -> None:
    result = invoke(*TOY_ARGS, "--set", "price_per_gpu_hour=2 USD/gpu/h")
    assert_user_error(result, "price_per_gpu_hour", "USD_revenue/gpu/h")


def test_a_year_outside_the_timeline_is_refused() -> None:
    assert_user_error(invoke(*TOY_ARGS, "--year", "2040"), "outside", "2025–2030")


def test_seed_without_samples_is_a_usage_error() -> None:
    assert_user_error(invoke(*TOY_ARGS, "--seed", "3"), "--seed needs --samples", code=2)


def test_the_default_set_is_the_newest_market_with_the_figures() -> None:
    doc = json_output(invoke("economics", "--json"))
    assert doc["assumptions"]["id"] == "market-2026"
    assert doc["assumptions"]["version"] >= 4


def test_completion_offers_set_names_and_parameters() -> None:
    assert offered("economics", "-a", "") == SHIPPED
    assert "utilization=" in offered("economics", "--set", "")


def test_a_market_with_no_demand_needs_nothing() -> None:
    data = tomllib.loads(TOY.read_text(encoding="utf-8"))
    for deal in data["deals"]:
        deal["status"] = "announced"  # listed, not counted (the set counts contracts)
    path = Path("no-demand.toml")  # in the test's own empty folder
    path.write_text(set_text(data), encoding="utf-8")
    doc = json_output(invoke("economics", "-a", str(path), "--json"))
    row = doc["by_year"][0]
    assert row["revenue_needed"]["value"] == 0
    assert row["revenue_covered"] == {
        "value": None,
        "unit": "",
        "infinite": True,
        "sign": 1,
        "nothing_needed": True,
    }
    out = invoke("economics", "-a", str(path)).stdout
    words = " ".join(out.split())
    assert "(—: nothing needed)" in words and "│ 2025 │ 0 │ 0 │" in words and "│ — │" in words


def test_one_years_override_moves_that_years_gap() -> None:
    lines = invoke(*TOY_ARGS, "--set", "ai_revenue.2027=250B", "-q").stdout.splitlines()
    assert "revenue_gap 2027 -111.4B USD_nominal/yr" in lines  # $138.6B needed − $250B
    assert "revenue_gap 2026 -38.12B USD_nominal/yr" in lines  # other years unchanged
