"""`gwcalc convert`: with and without --to, as a table and as JSON."""

from __future__ import annotations

import pytest

from gwcalc.engine.graph import convert
from gwcalc.units.registry import parse_quantity, parse_unit, unit_text
from tests.helpers import assert_contract, invoke, json_output, quantity
from tests.strategies import SEED, shipped


def test_convert_without_to_shows_every_reachable_unit() -> None:
    doc = json_output(invoke("convert", "6 GW", "--json"))
    assert quantity(doc["input"]) == parse_quantity("6 GW")
    got = {r["unit"]: r["value"] for r in doc["results"]}
    assert got == pytest.approx(
        {"GW_IT": 6, "gpu": 3e6, "USD_hw": 120e9, "die": 3e6, "wafer": 200e3}, rel=1e-12
    )
    assert doc["results"][0]["path"] == []  # the input's own kind comes first


def test_convert_with_to_keeps_the_order_asked_for() -> None:
    doc = json_output(
        invoke("convert", "6 GW", "--to", "wafer", "--to", "gpu", "--to", "MW", "--json")
    )
    assert [r["unit"] for r in doc["results"]] == ["wafer", "gpu", "MW_IT"]
    assert [r["path"] for r in doc["results"]] == [
        ["gpus_per_gw", "gpus_per_wafer"],
        ["gpus_per_gw"],
        [],
    ]


def test_convert_json_steps() -> None:
    doc = json_output(invoke("convert", "6 GW", "--to", "wafer", "--json"))
    (result,) = doc["results"]
    assert [s["parameter"] for s in result["steps"]] == result["path"]
    first, second = result["steps"]
    assert (first["operation"], first["from"], first["to"]) == (
        "multiply",
        "IT power",
        "GPU packages",
    )
    assert (second["operation"], second["from"], second["to"]) == (
        "divide",
        "GPU packages",
        "CoWoS wafers",
    )
    assert quantity(first["value"]) == SEED.quantity("gpus_per_gw")
    assert quantity(second["value"]) == SEED.quantity("gpus_per_wafer")
    # the steps are arithmetic a reader can redo
    redo = parse_quantity("6 GW") * quantity(first["value"]) / quantity(second["value"])
    assert redo.to(parse_unit("wafer")).magnitude == pytest.approx(result["value"], rel=1e-12)


@pytest.mark.parametrize(
    ("args", "set_name"),
    [
        (("75k wafer/month", "--to", "GW/year", "--to", "die/year"), "seed-2025"),
        (("1 /GW", "--to", "1/gpu"), "seed-2025"),
        (("$1T", "--to", "GW"), "independent-2026@1"),
        (("1T USD_all_in", "--to", "GW", "--to", "GW_facility"), "independent-2026@1"),
        (("3.2M gpu",), "independent-2026@1"),
    ],
)
def test_convert_json_results_are_exactly_the_models(args: tuple[str, ...], set_name: str) -> None:
    doc = json_output(invoke("convert", *args, "-a", set_name, "--json"))
    assert doc["assumptions"]["id"] == set_name.split("@")[0]
    q = parse_quantity(args[0])
    assert doc["results"]
    for r in doc["results"]:
        target = parse_unit(r["unit"])  # every unit string reads back
        want = convert(q, target, shipped(set_name)).result
        assert quantity(r) == want
        assert r["unit"] == unit_text(want.units)


def test_convert_uses_overrides() -> None:
    doc = json_output(
        invoke("convert", "6 GW", "--to", "gpu", "--set", "gpus_per_gw=400k gpu/GW", "--json")
    )
    assert doc["results"][0]["value"] == pytest.approx(2.4e6, rel=1e-12)
    assert "gpus_per_gw" in doc["assumptions"]["overrides"]


def test_convert_table() -> None:
    result = invoke("convert", "6 GW", "--to", "gpu", "--to", "USD")
    assert_contract(result)
    assert result.exit_code == 0
    out = result.stdout
    assert "6 GW_IT" in out and "seed-2025 v3" in out
    assert "3M gpu" in out and "120B USD_hw" in out
    assert "6 GW_IT × 500k gpu/GW_IT (gpus_per_gw) = 3M gpu" in out
    assert "6 GW_IT × 20B USD_hw/GW_IT (hardware_cost_per_gw) = 120B USD_hw" in out
    assert "Parameters used" in out


def test_convert_table_of_a_rate_shows_both_time_units() -> None:
    result = invoke("convert", "75k wafer/month", "--to", "GW/year")
    assert result.exit_code == 0, result.stderr
    assert "27 GW_IT/yr" in result.stdout
    assert "75k wafer/mo" in result.stdout


def test_numbers_printed_by_convert_read_back() -> None:
    # what the table prints can be typed back in and gives the same result
    first = invoke("convert", "6.75M gpu", "--to", "GW")
    assert "13.5 GW_IT" in first.stdout
    again = json_output(invoke("convert", "13.5 GW_IT", "--to", "gpu", "--json"))
    assert again["results"][0]["value"] == pytest.approx(6.75e6, rel=1e-12)


def test_negative_quantities_after_a_double_dash() -> None:
    doc = json_output(invoke("convert", "--json", "--to", "gpu", "--", "-6 GW"))
    assert doc["results"][0]["value"] == pytest.approx(-3e6, rel=1e-12)
