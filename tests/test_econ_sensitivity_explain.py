"""`gwcalc sensitivity` and `gwcalc explain` of the per-GW economics outputs (issue 18 item 6)."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from gwcalc import api
from gwcalc.analysis.econ_explain import substitute
from gwcalc.cli import cli
from gwcalc.econ.model import HOURS_PER_YEAR, PER_GW_OUTPUTS
from gwcalc.econ.outputs_graph import inputs_of, steps_of
from gwcalc.errors import GwcalcError
from gwcalc.uncertainty.econ_sensitivity import EconSensitivity
from tests.helpers import assert_contract, assert_user_error, invoke, json_output, quantity

TOY = Path(__file__).parent / "sets" / "econ-toy.toml"
NAMES = [o.name for o in PER_GW_OUTPUTS]
# the toy's figures (in the model's units): opex = 1.25 GW × 8,760 h × $0.08/kWh + $1B
OPEX = 1.25 * 1e6 * HOURS_PER_YEAR * 0.08 + 1e9


def toy(**overrides: str) -> api.AssumptionSet:
    return api.load_set(TOY, overrides=overrides or None)


def payback(gpus: float, price: float, utilization: float = 0.8) -> float:
    """The closed form: capex ÷ (revenue − opex)."""
    return 40e9 / (price * gpus * HOURS_PER_YEAR * utilization - OPEX)


# ---------------------------------------------------------------- sensitivity


def test_swings_are_the_closed_form_at_each_end() -> None:
    result = api.econ_sensitivity(toy(), "payback_years", samples=4_000)
    assert result.point == pytest.approx(payback(500e3, 2.5), rel=1e-12)
    by_name = {e.name: e for e in result.effects}
    assert set(by_name) == {"gpus_per_gw", "price_per_gpu_hour"}  # the toy's two ranges
    gpus, price = by_name["gpus_per_gw"], by_name["price_per_gpu_hour"]
    assert gpus.output_at_low == pytest.approx(payback(400e3, 2.5), rel=1e-12)
    assert gpus.output_at_high == pytest.approx(payback(600e3, 2.5), rel=1e-12)
    assert price.output_at_low == pytest.approx(payback(500e3, 2.0), rel=1e-12)
    assert price.output_at_high == pytest.approx(payback(500e3, 3.0), rel=1e-12)
    assert result.has_shares and "not products" in result.method


def ranged_life(tmp_path: Path) -> Path:
    """The toy with a range on it_life in its file (an override revenue does not read would be
    refused)."""
    text = TOY.read_text().replace(
        'value = 5\nunit = "year"', 'value = 5\nunit = "year"\nlow = 4\nhigh = 6'
    )
    assert "low = 4" in text
    path = tmp_path / "econ-toy-life.toml"
    path.write_text(text)
    return path


def test_variance_shares_are_sampled_reproducible_and_zero_for_unread_inputs(
    tmp_path: Path,
) -> None:
    aset = api.load_set(ranged_life(tmp_path), overrides={"utilization": "60%..95%"})
    result = api.econ_sensitivity(aset, "revenue_per_gw_year", samples=5_000, seed=7)
    again = api.econ_sensitivity(aset, "revenue_per_gw_year", samples=5_000, seed=7)
    assert result == again
    other = api.econ_sensitivity(aset, "revenue_per_gw_year", samples=5_000, seed=8)
    assert [e.variance_share for e in other.effects] != [e.variance_share for e in result.effects]
    by_name = {e.name: e for e in result.effects}
    it_life = by_name["it_life"]  # revenue does not read the life of the IT
    assert it_life.swing == 0.0 and it_life.variance_share == 0.0
    assert it_life.output_at_low == it_life.output_at_high == result.point
    shares = [e.variance_share for e in result.effects]
    assert all(0 <= s <= 1 for s in shares)
    # revenue = price × gpus × 8,760 h × utilization: three independent figures, so
    # first-order shares add up to nearly all of the variance (the interactions are small)
    assert 0.9 < math.fsum(shares) <= 1.05
    assert result.effects[0].name == "utilization"  # the widest relative range swings most
    assert [abs(e.swing) for e in result.effects] == sorted(
        (abs(e.swing) for e in result.effects), reverse=True
    )


def test_an_output_infinite_in_some_samples_has_no_variance_shares() -> None:
    # at $0.20 a GPU-hour, revenue is below opex: the payback never comes
    aset = toy(price_per_gpu_hour="0.2..3")
    result = api.econ_sensitivity(aset, "payback_years", samples=2_000)
    assert not result.has_shares and result.infinite > 0
    assert "infinite in" in result.method
    price = next(e for e in result.effects if e.name == "price_per_gpu_hour")
    assert math.isinf(price.output_at_low) and result.text(price.output_at_low) == "never"
    run = invoke("sensitivity", "--output", "payback_years", "-a", str(TOY),
                 "--set", "price_per_gpu_hour=0.2..3", "--samples", "2000", "--json")  # fmt: skip
    doc = json_output(run)  # strict JSON: no Infinity
    row = next(p for p in doc["parameters"] if p["name"] == "price_per_gpu_hour")
    assert row["output_at_low"] == {"value": None, "unit": "yr", "infinite": True, "sign": 1}
    assert all(p["variance_share"] is None for p in doc["parameters"])
    table = invoke("sensitivity", "--output", "payback_years", "-a", str(TOY),
                   "--set", "price_per_gpu_hour=0.2..3", "--samples", "2000")  # fmt: skip
    assert table.exit_code == 0 and table.stderr == ""
    assert "never" in table.stdout and "no variance to share" in table.stdout


def test_sensitivity_cli_in_every_format() -> None:
    args = (
        "sensitivity",
        "--output",
        "break_even_utilization",
        "-a",
        str(TOY),
        "--samples",
        "3000",
    )
    doc = json_output(invoke(*args, "--json"))
    assert doc["output"] == "break_even_utilization" and doc["family"] == "economics"
    assert doc["method"] == "sampled" and doc["samples"] == 3000
    assert quantity(doc["point"]).magnitude == pytest.approx(
        api.econ_explain("break_even_utilization", toy()).result
    )
    table = invoke(*args)
    assert table.exit_code == 0 and table.stderr == ""
    assert "break-even utilization" in table.stdout and "%" in table.stdout
    rows = list(csv.reader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    assert rows[0][0] == "parameter" and {r[0] for r in rows[1:]} == {
        "gpus_per_gw",
        "price_per_gpu_hour",
    }
    markdown = invoke(*args, "--format", "markdown").stdout
    assert markdown.startswith("| parameter |")
    quiet = invoke(*args, "-q").stdout.splitlines()
    assert len(quiet) == 2 and all(re.fullmatch(r"\w+ -?[\d.]+% [\d.]+%", q) for q in quiet)


def test_help_and_completion_name_every_economics_output() -> None:
    for command in ("sensitivity", "explain"):
        text = " ".join(invoke(command, "--help").stdout.split())
        for name in NAMES:
            assert name in text, (command, name)
    complete = ShellComplete(cli, {}, "gwcalc", "_GWCALC_COMPLETE")
    offered = [i.value for i in complete.get_completions(["sensitivity", "--output"], "")]
    assert set(NAMES) <= set(offered) and "coverage" in offered
    offered = [i.value for i in complete.get_completions(["explain"], "break")]
    assert offered == ["break_even_utilization", "break_even_price"]


def test_an_output_of_the_other_family_is_refused_clearly() -> None:
    # a gap set has no economics figures: the error names the family and what is missing
    run = invoke("sensitivity", "--output", "payback_years", "-a", "seed-2025")
    assert_user_error(run, "payback_years is an output of the economics model", "it_life")
    run = invoke("explain", "margin_per_gw_year", "-a", "seed-2025")
    assert_user_error(run, "economics model", "utilization")
    # an unknown name lists both families and suggests the nearest
    run = invoke("sensitivity", "--output", "payback_yeras", "-a", str(TOY))
    assert_user_error(run, "did you mean payback_years?", "gap outputs", "economics outputs")
    # the API's gap functions point to the economics ones
    with pytest.raises(GwcalcError, match="economics model, not of the gap"):
        api.sensitivity(toy(), "payback_years")
    with pytest.raises(GwcalcError, match="economics model") as refused:
        api.explain("payback_years", toy())
    assert refused.value.hint is not None and "api.econ_explain" in refused.value.hint
    # --year is for the economics outputs
    run = invoke("explain", "gap", "-a", str(TOY), "--year", "2027")
    assert_user_error(run, "--year is for the economics outputs", code=2)


def test_an_override_the_economics_output_does_not_read_is_refused() -> None:
    run = invoke("sensitivity", "--output", "payback_years", "-a", str(TOY),
                 "--set", "it_life=4..6")  # fmt: skip
    assert_user_error(run, "it_life: not used by the economics output payback_years")
    run = invoke("explain", "revenue_per_gw_year", "-a", str(TOY), "--set", "pue=1.3")
    assert_user_error(run, "pue: not used by the economics output revenue_per_gw_year")


@pytest.mark.parametrize(
    "args",
    [
        ["sensitivity", "--output", "payback_years", "-a", str(TOY), "--samples", "0"],
        ["sensitivity", "--output", "payback_years", "-a", str(TOY), "--year", "20x7"],
        ["explain", "payback_years", "-a", str(TOY), "--year", "-1"],
        ["sensitivity", "--output", "payback_years", "-a", str(TOY), "--set", "utilization=200%"],
        ["sensitivity", "--output", "payback_years", "-a", str(TOY), "--set", "pue=1 GW"],
        ["explain", "payback_years\x00", "-a", str(TOY)],
        ["explain", "", "-a", str(TOY)],
        [
            "sensitivity",
            "--output",
            "break_even_price",
            "-a",
            str(TOY),
            "--set",
            "hardware_cost_per_gw=30B..60B",
            "--samples",
            "500",
        ],
    ],
)
def test_hostile_input_is_a_clear_error(args: list[str]) -> None:
    run = invoke(*args)
    assert_contract(run)
    assert run.exit_code in (1, 2) and run.stdout == ""


def test_a_sample_the_model_refuses_says_which_and_why() -> None:
    # hardware drawn above the all-in capex: not a GW anyone builds
    aset = toy(hardware_cost_per_gw="30B..60B")
    with pytest.raises(GwcalcError, match=r"hardware_cost_per_gw .* is above all_in_cost_per_gw"):
        api.econ_sensitivity(aset, "break_even_price", samples=500)


# ---------------------------------------------------------------- explain


def test_explain_lists_each_input_then_each_step_with_the_values_in() -> None:
    result = api.econ_explain("payback_years", toy())
    assert [i.name for i in result.inputs] == list(inputs_of("payback_years"))
    assert [s.output.name for s in result.steps] == [
        "capex_per_gw",
        "energy_per_gw_year",
        "opex_per_gw_year",
        "revenue_per_gw_year",
        "payback_years",
    ]
    last = result.steps[-1]
    assert last.output.formula == "capex ÷ (revenue − opex)"
    assert last.substituted == "40B ÷ (8.76B − 1.876B)"
    assert result.result == pytest.approx(payback(500e3, 2.5), rel=1e-12)
    assert str(result).endswith("= 5.811 yr")
    energy = next(s for s in result.steps if s.output.name == "energy_per_gw_year")
    assert energy.substituted == "1 GW × 1.25 × 8,760 h × 0.08 (per facility kWh)"


@pytest.mark.parametrize("name", NAMES)
def test_every_name_a_formula_reads_is_put_in(name: str) -> None:
    # each formula's words must name every input and output it reads (else a value is missing)
    for step in steps_of(name):
        marks = {d: f"<{d}>" for d in step.depends}
        text = substitute(step.formula, step.depends, marks)
        for d in step.depends:
            assert f"<{d}>" in text, (step.name, d, text)
    doc = api.econ_explain(name, toy()).to_dict()
    assert doc["steps"][-1]["output"] == name


def test_explain_json_has_each_input_with_value_unit_range_source_and_implied() -> None:
    doc = json_output(invoke("explain", "break_even_price", "-a", str(TOY), "--json"))
    assert doc["family"] == "economics" and doc["output"] == "break_even_price"
    inputs = {i["name"]: i for i in doc["inputs"]}
    assert set(inputs) == set(inputs_of("break_even_price"))
    gpus = inputs["gpus_per_gw"]
    assert gpus["value"] == {"value": 500000.0, "unit": "gpu/GW_IT"}
    assert gpus["range"]["distribution"] == "uniform"
    assert gpus["source"] == {"title": "test: round figure"} and gpus["implied"] is False
    assert inputs["utilization"]["value"]["unit"] == "%"
    assert inputs["utilization"]["model_value"] == {"value": 0.8, "unit": ""}
    last = doc["steps"][-1]
    assert last["formula"] == "cost per GPU-hour ÷ utilization"
    assert set(last["reads"]) == {"cost_per_gpu_hour", "utilization"}
    assert quantity(last["result"]).magnitude == pytest.approx(
        quantity(last["reads"]["cost_per_gpu_hour"]).magnitude / 0.8
    )


def test_explain_year_reads_figures_of_that_year() -> None:
    # the toy's all-in capex is $40B per GW to 2026, $50B from 2027
    assert api.econ_explain("capex_per_gw", toy(), 2027).result == 50e9
    assert api.econ_explain("capex_per_gw", toy(), "2026").result == 40e9
    run = invoke("explain", "capex_per_gw", "-a", str(TOY), "--year", "2027", "-q")
    assert run.stdout == "capex_per_gw 50B USD_all_in/GW_IT\n" and run.stderr == ""


def test_explain_cli_in_every_format() -> None:
    args = ("explain", "margin_per_gw_year", "-a", str(TOY))
    table = invoke(*args)
    assert table.exit_code == 0 and table.stderr == ""
    for text in ("Inputs", "Steps", "revenue − cost", "test: round figure", "nominal dollars"):
        assert text in " ".join(table.stdout.split())
    rows = list(csv.reader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    kinds = [r[0] for r in rows[1:]]
    assert rows[0][:3] == ["kind", "name", "value"] and kinds[-1] == "output"
    assert kinds.count("input") == len(inputs_of("margin_per_gw_year"))
    markdown = invoke(*args, "--format", "markdown").stdout
    assert "| input |" in markdown and "| output | formula |" in markdown
    quiet = invoke(*args, "-q").stdout
    assert quiet.startswith("margin_per_gw_year ") and quiet.endswith("USD_nominal/GW_IT/yr\n")


def test_an_infinite_payback_explains_as_never() -> None:
    result = api.econ_explain("payback_years", toy(price_per_gpu_hour="0.4"))
    assert result.steps[-1].text == "never"
    doc = json_output(invoke("explain", "payback_years", "-a", str(TOY),
                             "--set", "price_per_gpu_hour=0.4", "--json"))  # fmt: skip
    assert doc["result"]["value"] is None and doc["result"]["infinite"] is True


def test_economics_sensitivity_result_type() -> None:
    assert isinstance(api.econ_sensitivity(toy(), samples=100), EconSensitivity)


def test_a_one_year_override_counts_in_its_year_only() -> None:
    args = ("explain", "capex_per_gw", "-a", str(TOY), "--set", "all_in_cost_per_gw.2027=60B")
    run = invoke(*args, "--year", "2027", "-q")
    assert run.stdout == "capex_per_gw 60B USD_all_in/GW_IT\n" and run.stderr == ""
    # without --year (each figure's own value) or in another year it changes nothing: refused
    for extra in ((), ("--year", "2026")):
        refused = invoke(*args, *extra)
        assert_user_error(refused, "all_in_cost_per_gw.2027: not used by the economics output")
    ranged = ("--set", "all_in_cost_per_gw.2027=40B..60B", "--year", "2027", "--samples", "500")
    run = invoke("sensitivity", "--output", "capex_per_gw", "-a", str(TOY), *ranged, "-q")
    assert run.exit_code == 0 and run.stdout.startswith("all_in_cost_per_gw ")
