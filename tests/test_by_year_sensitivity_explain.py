"""`gwcalc sensitivity` and `gwcalc explain` of the revenue gap by year (issue 18 item 6): each
by-year output in one year, on the toy market with ranges (tests/sets/econ-toy.toml), by hand."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.shell_completion import ShellComplete

from gwcalc import api
from gwcalc.cli import cli
from gwcalc.econ.by_year import by_year_study
from gwcalc.econ.by_year_study import STUDIED
from gwcalc.econ.model import HOURS_PER_YEAR
from gwcalc.errors import GwcalcError
from gwcalc.uncertainty.by_year_sensitivity import ByYearSensitivity, sample_output
from gwcalc.uncertainty.econ_sensitivity import EconSensitivity
from gwcalc.uncertainty.economics import economics_uncertainty
from gwcalc.uncertainty.sampling import summarize
from tests.helpers import assert_user_error, invoke, json_output, quantity
from tests.tiny_sets import set_text

TOY = Path(__file__).parent / "sets" / "econ-toy.toml"
# The toy in 2027 (tests/test_economics_by_year.py): demand 2.25, 2.25 and 5.2 GW of IT in
# 2025–2027 (5.0 GW given as GW, 0.2 from C's $10B a year of capex at $50B per GW; 0.25 at $40B
# to 2026), hardware $20B per GW over 5 years, the rest of the all-in over 20 (every year's capex
# still counted: a floor), opex $1.876B per GW a year, end users' margin 50%, AI revenue $150B.
DEMAND = 2.25 + 2.25 + 5.2
HARDWARE = DEMAND * 20e9  # 2025–2027's hardware dollars
FACILITY = 2.25 * 20e9 + 2.25 * 20e9 + 5.2 * 30e9  # all-in $40B − $20B, then $50B − $20B
OPEX = 1e6 * 1.25 * HOURS_PER_YEAR * 0.08 + 1e9
COSTS = HARDWARE / 5 + FACILITY / 20 + DEMAND * OPEX  # depreciation + installed × opex
CAPEX = 5.0 * 50e9 + 10e9  # 2027's AI capex: the plan's dollars stay $10B at any cost per GW


def ranged_data() -> dict[str, Any]:
    """The toy with ranges: end_user_margin 40–60%, ai_revenue in 2027 $100B–$250B, hardware
    $16B–$24B per GW, it_life 4–6 years (each uniform), and its own gpus_per_gw and
    price_per_gpu_hour ranges (the revenue gap reads neither)."""
    data = tomllib.loads(TOY.read_text(encoding="utf-8"))
    params = data["parameters"]
    uniform = {"distribution": "uniform"}
    params["end_user_margin"].update(low=40, high=60, **uniform)
    params["ai_revenue"]["by_year"]["2027"].update(low=100e9, high=250e9, **uniform)
    params["hardware_cost_per_gw"].update(low=16e9, high=24e9, **uniform)
    params["it_life"].update(low=4, high=6, **uniform)
    return data


@pytest.fixture
def ranged(tmp_path: Path) -> Path:
    path = tmp_path / "econ-toy-ranged.toml"
    path.write_text(set_text(ranged_data()), encoding="utf-8")
    return path


def effects(result: EconSensitivity) -> dict[str, tuple[float, float, float]]:
    return {e.name: (e.output_at_low, e.output_at_high, e.swing) for e in result.effects}


# ---------------------------------------------------------------- sensitivity


def test_swings_of_the_revenue_gap_are_the_closed_forms(ranged: Path) -> None:
    result = api.by_year_sensitivity(api.load_set(ranged), "revenue_gap", 2027, samples=4_000)
    assert isinstance(result, ByYearSensitivity) and isinstance(result, EconSensitivity)
    assert result.point == pytest.approx(COSTS / 0.5 - 150e9, rel=1e-12)
    rows = effects(result)
    approx = pytest.approx
    # ai_revenue: the gap moves by exactly −(high − low)
    assert rows["ai_revenue"][2] == approx(-(250e9 - 100e9), rel=1e-12)
    assert rows["ai_revenue"][0] == approx(COSTS / 0.5 - 100e9, rel=1e-12)
    # the margin: costs ÷ (1 − m), from 40% to 60%
    assert rows["end_user_margin"][0] == approx(COSTS / 0.6 - 150e9, rel=1e-12)
    assert rows["end_user_margin"][2] == approx(COSTS * (1 / 0.4 - 1 / 0.6), rel=1e-12)
    # hardware $16B → $24B per GW: hardware ÷ 5 gains, the facility part ÷ 20 loses
    assert rows["hardware_cost_per_gw"][2] == approx(8e9 * DEMAND * (1 / 5 - 1 / 20) / 0.5)
    # it_life 4 → 6 years: the hardware over a longer life (installed GW stay 9.7: all 3 years)
    assert rows["it_life"][2] == approx(HARDWARE * (1 / 6 - 1 / 4) / 0.5, rel=1e-12)
    # figures the gap does not read: exactly zero swing and zero share, at the point value
    for name in ("gpus_per_gw", "price_per_gpu_hour"):
        assert rows[name] == (result.point, result.point, 0.0)
    order = [e.name for e in result.effects]
    assert order == ["ai_revenue", "end_user_margin", "it_life", "hardware_cost_per_gw",
                     "gpus_per_gw", "price_per_gpu_hour"]  # fmt: skip


def test_sequoias_gap_reads_the_years_capex_and_margin_only(ranged: Path) -> None:
    aset = api.load_set(ranged)
    result = api.by_year_sensitivity(aset, "revenue_gap_sequoia", 2027, samples=2_000)
    rows = effects(result)
    assert result.point == pytest.approx(CAPEX / 0.5 - 150e9, rel=1e-12)
    assert rows["end_user_margin"][2] == pytest.approx(CAPEX * (1 / 0.4 - 1 / 0.6), rel=1e-12)
    assert rows["it_life"][2] == rows["hardware_cost_per_gw"][2] == 0.0
    shares = {e.name: e.variance_share for e in result.effects}
    assert shares["it_life"] == shares["hardware_cost_per_gw"] == 0.0
    covered = api.by_year_sensitivity(aset, "revenue_covered", 2027, samples=2_000)
    low, high, _ = effects(covered)["ai_revenue"]
    assert [low, high] == pytest.approx([100e9 / (COSTS / 0.5), 250e9 / (COSTS / 0.5)])


def test_a_demand_figure_moves_the_gw_of_capex_plans_not_their_dollars(tmp_path: Path) -> None:
    # all_in_cost_per_gw ±20% (its range scaled to each year's value: $40B–$60B in 2027): the
    # capex plan's $10B stays $10B, the 5 GW given as GW cost 5 × the all-in
    data = ranged_data()
    data["parameters"]["all_in_cost_per_gw"].update(low=32e9, high=48e9)
    path = tmp_path / "econ-toy-all-in.toml"
    path.write_text(set_text(data), encoding="utf-8")
    aset = api.load_set(path)
    result = api.by_year_sensitivity(aset, "ai_capex", 2027, samples=1_000)
    assert result.point == pytest.approx(CAPEX, rel=1e-12)
    low, high, swing = effects(result)["all_in_cost_per_gw"]
    assert [low, high] == pytest.approx([5.0 * 40e9 + 10e9, 5.0 * 60e9 + 10e9], rel=1e-12)
    assert swing == pytest.approx(5.0 * 20e9, rel=1e-12)


def test_shares_come_from_the_economics_draws_and_are_reproducible(ranged: Path) -> None:
    aset = api.load_set(ranged)
    result = api.by_year_sensitivity(aset, "revenue_gap", 2027, samples=3_000, seed=11)
    assert result == api.by_year_sensitivity(aset, "revenue_gap", 2027, samples=3_000, seed=11)
    shares = {e.name: e.variance_share for e in result.effects}
    assert shares["gpus_per_gw"] == shares["price_per_gpu_hour"] == 0.0
    assert max(shares, key=lambda n: shares[n]) == "ai_revenue"
    assert 0.9 <= sum(shares.values()) <= 1.1 and "3,000 samples (seed 11)" in result.method
    # the samples are those of `economics --samples`: the same percentiles of the gap
    study = by_year_study(aset)
    drawn, _ = sample_output(study, "revenue_gap", 2027, 3_000, 11)
    rows = study.by_year.rows
    uncertainty = economics_uncertainty(
        aset, 3_000, 11, None, {y: r["demand_gw"] for y, r in rows.items()},
        study.by_year.plan_capex,
    )  # fmt: skip
    ours, theirs = summarize(drawn), uncertainty.by_year[2027]["revenue_gap"]
    assert (ours.p5, ours.p50, ours.p95) == (theirs.p5, theirs.p50, theirs.p95)


def test_the_year_is_required_and_must_be_the_timelines(ranged: Path) -> None:
    aset = api.load_set(ranged)
    with pytest.raises(GwcalcError, match=r"needs a year .*2025, 2026, 2027, 2028, 2029, 2030"):
        api.by_year_sensitivity(aset, "revenue_gap")
    with pytest.raises(GwcalcError, match="year 2031 is outside"):
        api.by_year_explain("revenue_gap", aset, 2031)
    run = invoke("sensitivity", "--output", "revenue_gap", "-a", str(ranged))
    assert_user_error(run, "needs a year of", "2025, 2026, 2027, 2028, 2029, 2030")
    run = invoke("explain", "depreciation", "-a", str(ranged), "--year", "2040")
    assert_user_error(run, "year 2040 is outside", "give a year from 2025 to 2030")


def test_an_override_the_output_does_not_read_is_refused(ranged: Path) -> None:
    run = invoke("sensitivity", "--output", "revenue_gap_sequoia", "--year", "2027",
                 "-a", str(ranged), "--set", "facility_life=10..30")  # fmt: skip
    assert_user_error(
        run, "facility_life: not used by the by-year output revenue_gap_sequoia in 2027"
    )
    # a year of a figure the output does not read: 2026's AI revenue in 2027's gap
    run = invoke("explain", "revenue_gap", "--year", "2027", "-a", str(ranged),
                 "--set", "ai_revenue.2026=90B")  # fmt: skip
    assert_user_error(run, "ai_revenue.2026: not used by the by-year output revenue_gap")
    # 2025's all-in cost is read by 2027's depreciation (its capex is still counted)
    run = invoke("explain", "depreciation", "--year", "2027", "-a", str(ranged),
                 "--set", "all_in_cost_per_gw.2025=45B", "-q")  # fmt: skip
    assert run.exit_code == 0 and run.stderr == ""
    assert run.stdout == "depreciation 2027 51.52B USD_all_in/yr\n"
    # at $45B C's $10B is 2/9 GW: 2025's demand 2 + 2/9 GW, its facility $25B per GW
    gw = 2 + 10 / 45
    by_hand = (gw + 2.25 + 5.2) * 20e9 / 5 + (gw * 25e9 + 2.25 * 20e9 + 5.2 * 30e9) / 20
    aset = api.load_set(ranged, overrides={"all_in_cost_per_gw.2025": "45B"})
    assert api.by_year_explain("depreciation", aset, 2027).result == pytest.approx(by_hand)


def test_unknown_and_other_family_names_are_refused_clearly(ranged: Path) -> None:
    run = invoke("sensitivity", "--output", "revenue_gapp", "--year", "2027", "-a", str(ranged))
    assert_user_error(run, "did you mean revenue_gap?", "economics outputs by year")
    # a timeline of some buyers' demand against the whole market's AI revenue: refused
    run = invoke("explain", "revenue_gap", "--year", "2027", "-a", "seed-2025")
    assert_user_error(run, "unlike scopes")
    with pytest.raises(GwcalcError, match="no by-year economics output named 'payback_years'"):
        api.by_year_explain("payback_years", api.load_set(ranged), 2027)
    with pytest.raises(GwcalcError, match="revenue gap by year, not per GW") as refused:
        api.econ_sensitivity(api.load_set(ranged), "revenue_gap")
    assert refused.value.hint is not None and "api.by_year_sensitivity" in refused.value.hint


def test_sensitivity_cli_in_every_format(ranged: Path) -> None:
    args = ("sensitivity", "--output", "revenue_gap", "--year", "2027", "-a", str(ranged),
            "--samples", "2000")  # fmt: skip
    run = invoke(*args, "--json")
    assert run.stderr == ""
    doc = json_output(run)
    assert doc["output"] == "revenue_gap" and doc["family"] == "economics_by_year"
    assert doc["year"] == 2027 and doc["method"] == "sampled" and doc["samples"] == 2000
    assert doc["point"] == {"value": doc["point"]["value"], "unit": "USD_nominal/yr"}
    assert quantity(doc["point"]).magnitude == pytest.approx(COSTS / 0.5 - 150e9)
    first = doc["parameters"][0]
    assert first["name"] == "ai_revenue" and first["range"]["low"]["value"] == 100e9
    assert first["swing"]["value"] == pytest.approx(-150e9)
    assert set(first) == {"name", "range", "output_at_low", "output_at_high", "swing",
                          "variance_share"}  # fmt: skip
    table = invoke(*args)
    assert table.exit_code == 0 and table.stderr == ""
    text = " ".join(table.stdout.split())
    assert "revenue gap: needed − AI revenue (nominal $) in 2027" in text
    assert "moves in every year" in text and "-150B USD_nominal/yr" in text
    rows = list(csv.reader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    assert rows[0][0] == "parameter" and rows[1][0] == "ai_revenue"
    assert rows[1][8] == "USD_nominal/yr" and float(rows[1][7]) == pytest.approx(-150e9)
    markdown = invoke(*args, "--format", "markdown").stdout
    assert markdown.startswith("| parameter |") and "| ai_revenue |" in markdown
    quiet = invoke(*args, "-q").stdout.splitlines()
    assert quiet[0].startswith("ai_revenue -150B USD_nominal/yr ") and len(quiet) == 6


def test_help_and_completion_name_every_by_year_output() -> None:
    for command in ("sensitivity", "explain"):
        text = " ".join(invoke(command, "--help").stdout.split())
        for name in STUDIED:
            assert name in text, (command, name)
    complete = ShellComplete(cli, {}, "gwcalc", "_GWCALC_COMPLETE")
    offered = [i.value for i in complete.get_completions(["explain"], "revenue_g")]
    assert offered == ["revenue_gap", "revenue_gap_sequoia"]


# ---------------------------------------------------------------- explain


def test_explain_puts_the_years_values_in_each_formula(ranged: Path) -> None:
    result = api.by_year_explain("revenue_gap", api.load_set(ranged), 2027)
    assert result.result == pytest.approx(COSTS / 0.5 - 150e9, rel=1e-12)
    steps = {s.name: s for s in result.steps}
    assert list(steps) == [
        "demand_gw.2025", "demand_gw.2026", "demand_gw", "ai_capex", "depreciation",
        "installed_gw", "energy_per_gw_year", "opex_per_gw_year", "revenue_needed",
        "ai_revenue", "revenue_gap",
    ]  # fmt: skip
    assert steps["demand_gw"].substituted == "5 + 10B ÷ 50B"
    assert steps["ai_capex"].substituted == "5.2 × 50B"
    assert steps["depreciation"].substituted == (
        "(2.25 × 20B + 2.25 × 20B + 5.2 × 20B) ÷ 5 + (2.25 × (40B − 20B) + 2.25 × (40B − 20B) + "
        "5.2 × (50B − 20B)) ÷ 20 (capex before 2025 is unknown and counts 0: a floor)"
    )
    assert steps["depreciation"].result == pytest.approx(HARDWARE / 5 + FACILITY / 20)
    assert steps["installed_gw"].substituted == "2.25 + 2.25 + 5.2"
    assert steps["revenue_needed"].substituted == "(51.1B + 9.7 × 1.876B) ÷ (1 − 50.0%)"
    assert steps["revenue_gap"].substituted == "138.6B − 150B"
    inputs = [i.name for i in result.inputs]
    assert inputs == [
        "all_in_cost_per_gw.2025", "all_in_cost_per_gw.2026", "all_in_cost_per_gw.2027",
        "hardware_cost_per_gw", "pue", "it_life", "facility_life", "power_price",
        "other_opex_per_gw_year", "end_user_margin", "ai_revenue.2027",
    ]  # fmt: skip
    assert result.caveats and "floors" in result.caveats[0]


def test_a_fractional_life_shows_the_last_years_share(ranged: Path) -> None:
    aset = api.load_set(ranged, overrides={"it_life": "1.5", "facility_life": "1"})
    steps = {s.name: s for s in api.by_year_explain("depreciation", aset, 2027).steps}
    assert steps["depreciation"].substituted == (
        "(0.5 × 2.25 × 20B + 5.2 × 20B) ÷ 1.5 + (5.2 × (50B − 20B)) ÷ 1"
    )
    assert steps["depreciation"].result == pytest.approx((0.5 * 2.25 + 5.2) * 20e9 / 1.5 + 156e9)
    assert [s.name for s in api.by_year_explain("depreciation", aset, 2027).inputs][:2] == [
        "all_in_cost_per_gw.2026",
        "all_in_cost_per_gw.2027",
    ]


def test_sequoia_explains_in_the_year_alone(ranged: Path) -> None:
    result = api.by_year_explain("revenue_covered_sequoia", api.load_set(ranged), 2027)
    assert [s.name for s in result.steps] == [
        "demand_gw",
        "ai_capex",
        "revenue_needed_sequoia",
        "ai_revenue",
        "revenue_covered_sequoia",
    ]
    assert result.steps[2].substituted == "260B ÷ (1 − 50.0%)"
    assert result.result == pytest.approx(150e9 / (CAPEX / 0.5))
    assert result.steps[-1].text == "28.8%" and result.caveats == ()


def test_explain_cli_in_every_format(ranged: Path) -> None:
    args = ("explain", "revenue_gap", "--year", "2027", "-a", str(ranged))
    table = invoke(*args)
    assert table.exit_code == 0 and table.stderr == ""
    text = " ".join(table.stdout.split())
    for part in ("Inputs", "Steps", "ai_revenue.2027", "test: round figure", "demand_gw.2025",
                 "138.6B − 150B", "a floor", "nominal dollars"):  # fmt: skip
        assert part in text, part
    run = invoke(*args, "--json")
    assert run.stderr == ""
    doc = json_output(run)
    assert doc["family"] == "economics_by_year" and doc["year"] == 2027
    assert doc["result"]["unit"] == "USD_nominal/yr"
    revenue = next(i for i in doc["inputs"] if i["name"] == "ai_revenue.2027")
    assert revenue["figure"] == "ai_revenue" and revenue["year"] == 2027
    assert revenue["source"] == {"title": "test: round figure"}
    assert revenue["range"]["high"]["value"] == 250e9
    step = doc["steps"][-1]
    assert step["formula"] == "revenue_needed − ai_revenue" and step["year"] == 2027
    rows = list(csv.reader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    assert rows[0][:3] == ["kind", "name", "value"]
    assert next(r[1] for r in rows if r[0] == "output") == "demand_gw.2025"
    markdown = invoke(*args, "--format", "markdown").stdout
    assert "| input |" in markdown and "| output | formula |" in markdown
    assert "floors" in markdown
    quiet = invoke(*args, "-q")
    assert re.fullmatch(r"revenue_gap 2027 -11\.41B USD_nominal/yr\n", quiet.stdout)


def test_an_output_the_samples_do_not_move_has_no_shares(ranged: Path) -> None:
    # no ranged figure the toy's 2027 AI capex reads: every swing zero, no variance to share
    result = api.by_year_sensitivity(api.load_set(ranged), "ai_capex", 2027, samples=500)
    assert all(e.swing == 0.0 for e in result.effects) and not result.has_shares
    assert "is the same in every one of the 500 samples" in result.method
    doc = result.to_dict()
    assert all(p["variance_share"] is None for p in doc["parameters"])
    # market-2026@4's demand is capex plans: their dollars, not their GW, make the AI capex, so
    # the all-in cost per GW moves it by nothing (not by a rounding of dollars ÷ cost × cost)
    market = api.by_year_sensitivity("market-2026@4", "ai_capex", 2027, samples=500)
    assert {e.swing for e in market.effects} == {0.0} and not market.has_shares


def test_a_demand_in_facility_gw_moves_with_the_pue(tmp_path: Path) -> None:
    # 3 GW of facility power over 2026–2028: 1 GW_facility a year, ÷ pue GW of IT
    data = ranged_data()
    data["parameters"]["pue"].update(low=1.0, high=1.5, distribution="uniform")
    data["deals"].append({"name": "D", "buyer": "D", "seller": "-", "kind": "gw-plan",
                          "status": "contract", "size": "3 GW_facility", "start": "2026",
                          "end": "2028", "source": {"title": "test"}})  # fmt: skip
    path = tmp_path / "econ-toy-facility.toml"
    path.write_text(set_text(data), encoding="utf-8")
    result = api.by_year_sensitivity(api.load_set(path), "ai_capex", 2027, samples=500)
    assert result.point == pytest.approx(CAPEX + 1 / 1.25 * 50e9, rel=1e-12)
    low, high, _ = effects(result)["pue"]
    assert [low, high] == pytest.approx([CAPEX + 50e9, CAPEX + 50e9 / 1.5], rel=1e-12)
    assert result.held == ("pue",) and "the shares of pue leave out its effect" in result.method


def test_a_range_of_an_earlier_year_alone_moves_that_years_capex() -> None:
    # 2025's all-in cost $30B–$50B: 2025's demand is 2 GW + C's $10B ÷ cost, its hardware $20B
    # per GW ÷ 5 years, its facility (cost − $20B) ÷ 20 years, all still counted in 2027
    aset = api.load_set(TOY, overrides={"all_in_cost_per_gw.2025": "30B..50B"})
    result = api.by_year_sensitivity(aset, "depreciation", 2027, samples=300)

    def depreciation_2025(cost: float) -> float:
        gw = 2 + 10e9 / cost
        return gw * 20e9 / 5 + gw * (cost - 20e9) / 20

    _, _, swing = effects(result)["all_in_cost_per_gw"]
    assert swing == pytest.approx(depreciation_2025(50e9) - depreciation_2025(30e9), rel=1e-12)
    row = result.to_dict()["parameters"][0]
    assert row["name"] == "all_in_cost_per_gw" and row["range"]["low"]["value"] == 30e9
