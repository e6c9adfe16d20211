"""`gwcalc economics` after a hostile review: numbers whole at narrow widths, power priced per
facility kWh, overrides that change nothing refused, nominal dollars said so, payback against
the hardware's life, --year in every format, samples in -q and CSV, the help's default set."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from gwcalc import api
from gwcalc.cli.render_economics import print_economics
from gwcalc.econ.model import HOURS_PER_YEAR
from gwcalc.econ.views import BY_YEAR_COLUMNS, short
from tests.helpers import assert_contract, assert_user_error, invoke, json_output
from tests.test_economics_model import TOY, _toy_data
from tests.tiny_sets import figure

TOY_ARGS = ("economics", "-a", str(TOY))
NOMINAL = ("revenue_needed", "revenue_needed_sequoia", "revenue_gap", "revenue_gap_sequoia")


def _text(width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False)
    print_economics(console, api.economics())
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 70, 60])
def test_the_by_year_table_keeps_every_number_whole(width: int) -> None:
    text = _text(width)
    doc = api.economics().to_dict()
    for row in doc["by_year"]:
        assert re.search(rf"[ │]{row['year']}[ │]", text), (width, row["year"])
        for name, _ in BY_YEAR_COLUMNS:
            value = row[name]["value"]
            cell = short(name, value if value is not None else float("inf"))
            assert re.search(rf"[ │]{re.escape(cell)}[ │]", text), (width, row["year"], name)


def test_the_set_of_the_articles_keeps_its_year_rows_at_80() -> None:
    text = _text(80)
    assert "│ 2027 │ 30.57 │ 1,162 │" in text  # a row a year where it fits
    assert "≥" not in text.split("Revenue gap by year")[1].split("Caveats")[0]
    assert "Floors: depreciation and revenue needed in 2025" in " ".join(text.split())


def test_narrow_terminals_get_a_column_a_year() -> None:
    text = _text(60)
    assert re.search(r"┃\s+┃  2025 ┃  2026 ┃  2027 ┃  2028 ┃  2029 ┃  2030 ┃", text)
    assert re.search(r"│ capex\s+│ 466.7 │ 776.8 │ 1,162 │", text)


# ---------------------------------------------------------------- power price (3)


def _energy(unit: str) -> float:
    aset = _toy_data(power_price=figure(0.08, unit))
    path = Path("power.toml")  # in the test's own empty folder
    path.write_text(aset, encoding="utf-8")
    doc = json_output(invoke("economics", "-a", str(path), "--json"))
    assert doc["inputs"]["power_price"]["unit"] == "USD_all_in/kWh_facility"
    return float(doc["per_gw"]["energy_per_gw_year"]["value"])


def test_a_price_per_it_kwh_is_not_multiplied_by_pue() -> None:
    facility = _energy("USD_all_in/kWh_facility")
    it = _energy("USD_all_in/kWh")
    assert facility == pytest.approx(1e6 * 1.25 * HOURS_PER_YEAR * 0.08)  # pue × grid kWh
    assert it == pytest.approx(1e6 * HOURS_PER_YEAR * 0.08)  # IT kWh: pue counted no more


def test_a_price_per_it_kwh_is_said_in_every_format() -> None:
    Path("power.toml").write_text(
        _toy_data(power_price=figure(0.08, "USD_all_in/kWh")), encoding="utf-8"
    )
    args = ("economics", "-a", "power.toml")
    doc = json_output(invoke(*args, "--json"))
    assert any("per kWh of IT energy" in c for c in doc["caveats"])
    for fmt in ("table", "markdown"):
        out = " ".join(invoke(*args, "--format", fmt).stdout.split())
        assert "power_price is given per kWh of IT energy (USD_all_in/kWh)" in out, fmt
        assert "÷ pue" in out and "power_price (per facility kWh)" in out
    csv = invoke(*args, "--format", "csv").stdout.splitlines()
    assert "input,2025,power_price,0.064,USD_all_in/kWh_facility," in csv  # 0.08 ÷ 1.25


def test_the_toys_grid_price_is_read_as_is() -> None:
    doc = json_output(invoke(*TOY_ARGS, "--json"))
    assert doc["inputs"]["power_price"] == {"value": 0.08, "unit": "USD_all_in/kWh_facility"}
    assert not any("IT energy" in c for c in doc["caveats"])


# ---------------------------------------------------------------- overrides (4)


def test_the_per_gw_block_says_its_year() -> None:
    out = invoke("economics").stdout
    assert out.startswith("Unit economics — market-2026 v")
    assert out.splitlines()[0].endswith(", figures of 2026")
    assert "Per GW of IT power, one year, figures of 2026" in out
    assert json_output(invoke("economics", "--json"))["year"] == 2026


def test_a_one_year_override_of_the_blocks_year_moves_it() -> None:
    base = json_output(invoke("economics", "--json"))["per_gw"]
    doc = json_output(invoke("economics", "--set", "gpus_per_gw.2026=400k", "--json"))
    assert doc["per_gw"]["revenue_per_gw_year"]["value"] == pytest.approx(
        base["revenue_per_gw_year"]["value"] * 400 / 518
    )
    capex = json_output(invoke("economics", "--set", "all_in_cost_per_gw.2026=50B", "--json"))
    assert capex["per_gw"]["capex_per_gw"]["value"] == 50e9
    assert capex["by_year"][1]["ai_capex"] != doc["by_year"][1]["ai_capex"]


def test_a_year_nothing_reads_is_refused() -> None:
    result = invoke("economics", "--set", "gpus_per_gw.2027=400k")
    stderr = assert_user_error(result, "gpus_per_gw.2027", "change nothing", "figures of 2026")
    assert "--year 2027" in stderr
    result = invoke("economics", "--year", "2027", "--set", "all_in_cost_per_gw.2028=50B")
    assert_user_error(result, "all_in_cost_per_gw.2028", "2025–2027")


def test_the_contract_rate_and_the_gpu_share_are_refused() -> None:
    for name in ("contract_rate_per_gw_year=1B", "gpu_share_of_cost=70%"):
        stderr = assert_user_error(invoke("economics", "--set", name), "change nothing")
        used = stderr.split("used by the economics:")[1]
        assert "contract_rate_per_gw_year" not in used and "gpu_share_of_cost" not in used


def test_a_set_without_the_gpu_share_is_enough() -> None:
    Path("share.toml").write_text(_toy_data(gpu_share_of_cost=None), encoding="utf-8")
    doc = json_output(invoke("economics", "-a", "share.toml", "--json"))
    assert "gpu_spend" not in doc["by_year"][0]
    assert doc["by_year"][2]["revenue_needed_sequoia"]["value"] == pytest.approx(260e9 / 0.5)


def test_one_missing_figure_is_it() -> None:
    Path("one.toml").write_text(_toy_data(utilization=None), encoding="utf-8")
    stderr = assert_user_error(invoke("economics", "-a", "one.toml"), "has no utilization")
    assert "the economics model needs it" in stderr and "needs them" not in stderr


# ---------------------------------------------------------------- nominal dollars (6)


def test_mixed_dollars_are_nominal_in_every_format() -> None:
    doc = json_output(invoke(*TOY_ARGS, "--json"))
    margin = doc["per_gw"]["margin_per_gw_year"]
    assert margin["unit"] == "USD_nominal/GW_IT/yr" and set(margin) == {
        "value",
        "unit",
        "label",
        "formula",
    }
    assert doc["per_gw"]["revenue_per_gw_year"]["unit"] == "USD_revenue/GW_IT/yr"
    assert "basis" not in doc["per_gw"]["revenue_per_gw_year"]
    for name in NOMINAL:
        assert doc["by_year"][0][name]["unit"] == "USD_nominal/yr", name
        assert set(doc["by_year"][0][name]) == {"value", "unit"}, name  # the unit says nominal
    quiet = invoke(*TOY_ARGS, "-q").stdout
    assert re.search(r"^margin_per_gw_year -?[0-9.]+[MB] USD_nominal/GW_IT/yr$", quiet, re.M)
    assert "USD_revenue" not in quiet
    csv = invoke(*TOY_ARGS, "--format", "csv").stdout
    assert ",revenue_gap,-111400000000.0" not in csv
    assert re.search(r"by_year,2027,revenue_gap,[-0-9.e]+,USD_nominal/yr,nominal", csv)
    assert "margin (nominal $ a year)" not in invoke(*TOY_ARGS).stdout.replace("\n", " ")
    assert "USD_nominal/GW_IT/yr" in invoke(*TOY_ARGS).stdout


# ---------------------------------------------------------------- payback and lives (7)


def test_a_payback_past_the_hardwares_life_says_so() -> None:
    args = (*TOY_ARGS, "--set", "it_life=0.5")
    lines = invoke(*args, "-q").stdout.splitlines()
    assert lines[0].startswith("margin_per_gw_year -")
    assert lines[1].startswith("payback_years ")
    assert lines[2] == "payback_within_it_life no"
    table = " ".join(invoke(*args).stdout.split())
    assert "not within the hardware's life (it_life 0.5 yr)" in table
    doc = json_output(invoke(*args, "--json"))
    assert doc["per_gw"]["payback_years"]["within_it_life"] is False
    assert "capex ÷ the operating cash a year (revenue − opex)" in doc["basis"]
    # the toy's 5.81 years is past its it_life of 5; at 10 it comes within
    assert (
        json_output(invoke(*TOY_ARGS, "--json"))["per_gw"]["payback_years"]["within_it_life"]
        is False
    )
    longer = json_output(invoke(*TOY_ARGS, "--set", "it_life=10", "--json"))
    assert longer["per_gw"]["payback_years"]["within_it_life"] is True


# ---------------------------------------------------------------- --year (8)


def test_year_is_honoured_in_every_format() -> None:
    args = (*TOY_ARGS, "--year", "2027")
    quiet = invoke(*args, "-q").stdout
    assert "revenue_gap 2027 " in quiet and "revenue_gap 2026" not in quiet
    csv = invoke(*args, "--format", "csv").stdout.splitlines()
    years = {line.split(",")[1] for line in csv if line.startswith("by_year,")}
    assert years == {"2027"}
    doc = json_output(invoke(*args, "--json"))
    assert [row["year"] for row in doc["by_year"]] == [2027] and doc["years"] == [2027]
    sampled = json_output(invoke(*args, "--samples", "50", "--json"))
    assert [row["year"] for row in sampled["uncertainty"]["by_year"]] == [2027]
    table = invoke(*args).stdout
    assert "│ 2027 │" in table and "│ 2026 │" not in table


# ---------------------------------------------------------------- samples (9, 10, 16)


def test_quiet_with_samples_is_refused() -> None:
    result = invoke(*TOY_ARGS, "--samples", "50", "-q")
    assert_user_error(result, "--samples prints a table, JSON or CSV", code=2)
    # flows --samples -q now prints p5/p50/p95 lines (tests/test_flows_sensitivity_cli.py)


def test_csv_with_samples_has_the_probabilities() -> None:
    result = invoke(*TOY_ARGS, "--samples", "200", "--seed", "5", "--format", "csv")
    assert_contract(result)
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    names = [line.split(",")[2] for line in lines[1:]]
    assert names.count("p_revenue_covers") == 6 and names.count("p_revenue_covers_sequoia") == 6
    assert names.count("p_payback_within_it_life") == 1
    assert "by_year,2025,p_revenue_covers,1.0,,,,," in lines


def test_sampled_input_rows_show_their_spread() -> None:
    out = invoke(*TOY_ARGS, "--samples", "200", "--seed", "5").stdout
    row = next(line for line in out.splitlines() if "price_per_gpu_hour (input)" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[1] == "USD_revenue/gpu/h" and len(cells) == 6  # value, p5, p50, p95 shown
    assert all(re.fullmatch(r"[0-9.]+", c) for c in cells[2:])
    doc = json_output(invoke(*TOY_ARGS, "--samples", "200", "--seed", "5", "--json"))
    spread = doc["uncertainty"]["inputs"]["price_per_gpu_hour"]
    assert spread["p5"]["value"] < spread["p50"]["value"] < spread["p95"]["value"]


# ---------------------------------------------------------------- help (13)


def test_the_help_names_the_default_set_economics_reads() -> None:
    out = " ".join(invoke("economics", "--help").stdout.split())
    assert "economics: the newest market-2026 with the economics figures" in out
    assert "The default set is the newest version of market-2026 that has the economics" in out
    assert "USD_revenue/yr" not in out


# ---------------------------------------------------------------- the API's name


def test_gwcalc_economics_is_the_apis_function() -> None:
    import gwcalc

    assert "economics" in api.__all__
    assert gwcalc.economics is api.economics
    assert gwcalc.economics(str(TOY))["payback_years"] == api.economics(str(TOY))["payback_years"]
