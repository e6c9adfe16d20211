"""A bare number in --set (or a plain int/float through the API) is read in the figure's own unit,
as docs/commands.md says: `cost_of_capital=9` for a figure the set gives in % is 9 %, not 900 %;
a bare number that is likely not what was meant is refused with the reading that would be
accepted; a value too large for a float is named as it was typed (issue 18, hostile review, items
1 to 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from gwcalc import api
from gwcalc.errors import ParameterError
from gwcalc.sets.find import bundled_dir
from gwcalc.sets.overrides import parse_override
from gwcalc.sets.read import load_set as load_file
from tests.helpers import assert_user_error, invoke, json_output

SHIPPED = sorted(bundled_dir().glob("*.toml"))
MARKET = "market-2026@4"
PERCENT = ("utilization", "cost_of_capital", "end_user_margin", "gpu_share_of_cost")


def _own_values(path: Path) -> list[tuple[str, float, float]]:
    """(override name, the figure's value as a bare number, the value) for every figure."""
    aset = load_file(path)
    found: list[tuple[str, float, float]] = []
    for name, param in aset.parameters.items():
        if param.by_year:
            found += [(f"{name}.{y.year}", y.value, y.value) for y in param.by_year]
        else:
            found.append((name, param.value, param.value))
    if aset.timeline is not None:
        for chip in aset.timeline.chips.values():
            found += [(p.name, p.value, p.value) for p in chip.figures.values()]
    return found


def _value_after(path: Path, name: str, text: str) -> float:
    aset = load_file(path).with_overrides([parse_override(f"{name}={text}")])
    head, _, tail = name.partition(".")
    if tail.isdigit():
        return aset.parameters[head].at(int(tail)).value
    if tail:
        assert aset.timeline is not None
        return aset.timeline.chips[head].figures[tail].value
    return aset.parameters[name].value


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_figure_given_its_own_value_as_a_bare_number_is_unchanged(path: Path) -> None:
    """The property: --set NAME=<the set's own value, bare> reads back as that value (the CLI
    refuses such an override as changing nothing, so the parsed figure is compared)."""
    for name, bare, value in _own_values(path):
        assert _value_after(path, name, repr(bare)) == value, name


def test_market_2026_v4_has_the_percent_figures_this_test_reads() -> None:
    aset = load_file(bundled_dir() / f"{MARKET}.toml")
    in_percent = sorted(n for n, p in aset.parameters.items() if p.unit == "%")
    assert in_percent == sorted(PERCENT)


@pytest.mark.parametrize("name", PERCENT)
def test_a_bare_number_for_a_percent_figure_is_percent(name: str) -> None:
    path = bundled_dir() / f"{MARKET}.toml"
    assert _value_after(path, name, "42") == 42.0  # 42 %, not 4200 %
    assert _value_after(path, name, "42%") == 42.0


def test_cost_of_capital_9_is_9_percent_on_the_command_line() -> None:
    result = invoke("economics", "-a", MARKET, "--set", "cost_of_capital=10", "--json")
    doc = json_output(result)
    assert result.stderr == ""
    assert doc["assumptions"]["overrides"]["cost_of_capital"] == {"value": 10.0, "unit": "%"}
    assert doc["inputs"]["cost_of_capital"]["value"] == pytest.approx(0.10)
    same = invoke("economics", "-a", MARKET, "--set", "cost_of_capital=9", "-q")
    assert same.exit_code == 0, same.stderr
    assert same.stderr == ""  # 9 is the set's own 9 % (only its range is dropped): same figures
    assert same.stdout == invoke("economics", "-a", MARKET, "-q").stdout


def test_utilization_80_is_the_sets_80_percent() -> None:
    as_percent = invoke("economics", "-a", MARKET, "--set", "utilization=70", "-q")
    assert as_percent.exit_code == 0, as_percent.stderr
    assert as_percent.stderr == ""
    assert (
        as_percent.stdout
        == invoke("economics", "-a", MARKET, "--set", "utilization=70%", "-q").stdout
    )
    same = invoke("economics", "-a", MARKET, "--set", "utilization=80", "--json")
    assert same.stderr == ""
    assert json_output(same)["assumptions"]["override_effects"]["utilization"].startswith(
        "set to 80 % (was 80 %"
    )


@pytest.mark.parametrize("value", ["0.7", "0.7..0.9", "70..0.9"])
def test_a_fraction_for_a_percent_figure_is_refused_with_both_readings(value: str) -> None:
    result = invoke("economics", "-a", MARKET, "--set", f"utilization={value}")
    assert result.stdout == ""
    message = assert_user_error(result, "utilization", "would be 0.", "likely not what was meant")
    assert "utilization=70 (or 70%)" in message or "utilization=90 (or 90%)" in message


def test_a_bare_number_out_of_range_for_a_ratio_names_the_percent_reading() -> None:
    result = invoke("gap", "--set", "vendor_share=89")
    assert result.stdout == ""
    assert_user_error(result, "vendor_share", "out of range", "vendor_share=89%", "0.89")


def test_out_of_range_said_in_the_figures_own_unit() -> None:
    result = invoke("economics", "-a", MARKET, "--set", "utilization=800")
    assert result.stdout == ""
    assert_user_error(result, "value 800 % is out of range", "≤ 100 %")


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("utilization", "1e308", "value 1e+308 is out of range"),
        ("cost_of_capital", "1e308", "value 1e+308 is out of range"),
        ("cost_of_capital", "1e300..1e308", "high 1e+308 is beyond"),
    ],
)
def test_a_huge_number_is_named_as_typed(name: str, value: str, said: str) -> None:
    # was: 'value inf is not a finite number' (1e308 read as a ratio, × 100 into %)
    result = invoke("economics", "-a", MARKET, "--set", f"{name}={value}")
    assert result.stdout == ""
    message = assert_user_error(result, f"{name}: {said}", "floating-point")
    assert "inf" not in message


def test_a_conversion_beyond_a_float_is_named_as_typed() -> None:
    result = invoke("gap", "--set", "all_in_cost_per_gw=1e305 USD_all_in/MW")
    assert result.stdout == ""
    assert_user_error(result, "1e+305 USD_all_in/MW_IT is out of range", "floating-point")


# ---------------------------------------------------------------- item 2: the API


@pytest.mark.parametrize("number", [70, 70.0])
def test_the_api_reads_a_plain_number_as_a_bare_number(number: float) -> None:
    result = api.economics("market-2026", overrides={"utilization": number})
    assert result.to_dict() == api.economics("market-2026", {"utilization": "70%"}).to_dict()
    aset = api.load_set("market-2026", overrides={"utilization": number})
    assert aset.parameters["utilization"].value == 70.0
    assert api.load_set("independent-2026", {"vendor_share": 0.5}).parameters[
        "vendor_share"
    ].value == pytest.approx(0.5)


@pytest.mark.parametrize("value", [0.7, True, [70], None, float("nan"), b"70"])
def test_the_api_refuses_other_values_with_a_parameter_error(value: object) -> None:
    with pytest.raises(ParameterError, match="utilization"):
        api.load_set("market-2026", overrides={"utilization": cast(Any, value)})


@pytest.mark.parametrize("value", ["1", "1..90"])
def test_a_bare_one_for_a_percent_figure_is_refused_as_ambiguous(value: str) -> None:
    result = invoke("economics", "-a", MARKET, "--set", f"utilization={value}", "-q")
    assert result.stdout == ""
    message = assert_user_error(result, "utilization", "would be 1 % (not 100 %)", "ambiguous")
    assert "utilization=100 (or 100%)" in message and "utilization=1%" in message


def test_one_percent_written_with_its_sign_is_read() -> None:
    result = invoke("economics", "-a", MARKET, "--set", "utilization=1%", "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "payback_years never" in result.stdout.splitlines()


def test_the_utilization_hint_says_how_a_bare_number_is_read() -> None:
    result = invoke("economics", "-a", MARKET, "--set", "utilization=150%")
    message = assert_user_error(result, "value 150 % is out of range")
    assert "0 to 1" not in message
    assert "a bare number is read in the figure's own unit" in message
