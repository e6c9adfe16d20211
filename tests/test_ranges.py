"""Ranges in sets: read and checked strictly (file, line and key), hashed only when present,
given for one run with --set NAME=LOW..HIGH, and recorded by `assumptions new`."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.errors import AssumptionFileError, GwcalcError, ParameterError
from gwcalc.sets.overrides import parse_override
from gwcalc.sets.read import load_set, parse_set
from tests.helpers import assert_user_error, invoke, json_error, json_output, shipped_file
from tests.strategies import INDEPENDENT
from tests.tiny_sets import figure, parse_tiny

RANGES = Path(__file__).resolve().parent / "sets" / "independent-2026-ranges.toml"
SEED_TEXT = shipped_file("seed-2025").read_text(encoding="utf-8")
GPUS = "[parameters.gpus_per_gw]"


def with_fields(*lines: str, table: str = GPUS, text: str = SEED_TEXT) -> tuple[str, int]:
    """text with lines added after the table's header; returns it and the first added line."""
    rows = text.splitlines()
    at = rows.index(table) + 1
    rows[at:at] = list(lines)
    return "\n".join(rows) + "\n", at + 1


def test_the_fixture_reads_with_every_kind_of_range() -> None:
    aset = load_set(RANGES)
    kinds = {n: p.range.distribution for n, p in aset.parameters.items() if p.range}
    assert kinds == {
        "cowos_wafers_per_year": "lognormal",
        "vendor_share": "lognormal",
        "gpus_per_wafer": "pert",
        "gpus_per_gw": "lognormal",
        "pue": "uniform",
        "hardware_cost_per_gw": "triangular",
        "all_in_cost_per_gw": "lognormal",
    }
    assert aset.parameters["gpus_per_gw"].group == "rubin-share"
    assert aset.parameters["gpus_per_wafer"].group == "rubin-share"
    # every range's note names where its ends come from
    for name, param in aset.parameters.items():
        if param.range is not None:
            assert param.note and param.note.startswith("Range from"), name


def test_a_set_without_ranges_keeps_its_canonical_form() -> None:
    for param in INDEPENDENT.parameters.values():
        assert param.range is None and param.group is None
        assert not {"low", "high", "distribution", "credibility", "group"} & set(param.to_dict())


def test_default_fields_hash_as_if_absent() -> None:
    plain, _ = with_fields("low = 400000", "high = 600000")
    spelled, _ = with_fields(
        "low = 400000", "high = 600000", 'distribution = "lognormal"', "credibility = 90"
    )
    assert parse_set(plain).sha256 == parse_set(spelled).sha256
    assert parse_set(plain).sha256 != parse_set(SEED_TEXT).sha256
    narrower, _ = with_fields("low = 400000", "high = 600000", "credibility = 80")
    assert parse_set(narrower).sha256 != parse_set(plain).sha256


def test_a_range_round_trips_through_toml() -> None:
    aset = load_set(RANGES)
    back = parse_set(aset.to_toml())
    assert back.parameters == aset.parameters
    assert back.sha256 == aset.sha256


BAD = [
    (("low = 600000", "high = 700000"), "low", "does not hold the value"),
    (("low = 100000", "high = 400000"), "high", "does not hold the value"),
    (("low = 0", "high = 600000"), "low", "needs low > 0"),
    (("low = -5", "high = 600000", 'distribution = "normal"'), "low", "out of range"),
    (("low = nan", "high = 600000"), "low", "not a finite number"),
    (("low = 400000", "high = inf"), "high", "not a finite number"),
    (("low = 400000",), "low", "needs both 'low' and 'high'"),
    (("high = 600000",), "high", "needs both 'low' and 'high'"),
    (('low = "400k"', "high = 600000"), "low", "'low' must be a number"),
    (("low = 400000", "high = 600000", 'distribution = "beta"'), "distribution", "not one of"),
    (("low = 400000", "high = 600000", "credibility = 100"), "credibility", "from 1 to 99.9"),
    (("low = 400000", "high = 600000", "credibility = 0"), "credibility", "from 1 to 99.9"),
    (
        ("low = 400000", "high = 600000", 'distribution = "pert"', "credibility = 80"),
        "credibility",
        "bounds",
    ),
    (('group = "mix"',), "group", "'group' needs a range"),
    (("low = 400000", "high = 600000", "group = 3"), "group", "non-empty string"),
]


@pytest.mark.parametrize(("lines", "key", "message"), BAD, ids=[b[2] + b[1] for b in BAD])
def test_a_bad_range_names_file_line_and_key(
    tmp_path: Path, lines: tuple[str, ...], key: str, message: str
) -> None:
    text, first = with_fields(*lines)
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AssumptionFileError) as caught:
        load_set(path)
    assert message in caught.value.message
    assert caught.value.key == "gpus_per_gw"
    assert caught.value.line == first + next(i for i, x in enumerate(lines) if x.startswith(key))
    assert caught.value.message.startswith(f"{path}:{caught.value.line} [gpus_per_gw]: ")
    result = invoke("gap", "-a", str(path))
    assert_user_error(result, f"{path}:{caught.value.line} [gpus_per_gw]", message)


def test_a_range_beyond_a_share_is_refused(tmp_path: Path) -> None:
    text, first = with_fields("low = 0.4", "high = 1.2", table="[parameters.vendor_share]")
    path = tmp_path / "share.toml"
    path.write_text(text, encoding="utf-8")
    error = json_error(invoke("gap", "-a", str(path), "--json"))
    assert error["key"] == "vendor_share" and error["line"] == first + 1
    assert "high 1.2 is out of range" in error["message"]


def test_a_lognormal_reaching_zero_is_refused() -> None:
    text, _ = with_fields("low = 0", "high = 0.5", "value = 0.2", table="[parameters.vendor_share]")
    text = text.replace("value = 0.5\n", "", 1)
    with pytest.raises(AssumptionFileError, match=r"out of range|needs low > 0"):
        parse_set(text)


# ---------------------------------------------------------------- --set NAME=LOW..HIGH


@pytest.mark.parametrize(
    "text",
    [
        "gpus_per_gw=330k..478k",
        "gpus_per_gw=330k..478k gpu/GW",
        "gpus_per_gw=330 gpu/MW..478 gpu/MW",
    ],
)
def test_a_range_for_one_run(text: str) -> None:
    aset = INDEPENDENT.with_overrides([parse_override(text)])
    param = aset.parameters["gpus_per_gw"]
    assert param.range is not None
    assert (param.range.low, param.range.high) == (330e3, 478e3)
    assert param.range.distribution == "lognormal" and param.range.credibility == 90
    assert param.value == pytest.approx(math.sqrt(330e3 * 478e3))
    assert param.unit == INDEPENDENT.parameters["gpus_per_gw"].unit


def test_a_plain_override_drops_the_range() -> None:
    ranged = load_set(RANGES)
    plain = ranged.with_overrides([parse_override("gpus_per_gw=400k")])
    assert plain.parameters["gpus_per_gw"].range is None
    assert plain.parameters["gpus_per_gw"].group is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("gpus_per_gw=478k..330k", "LOW ≤ HIGH"),
        ("gpus_per_gw=330k..", "not a range"),
        ("gpus_per_gw=..478k", "not a range"),
        ("gpus_per_gw=330k gpu/GW..5 GW", "does not match gpus_per_gw's unit"),
        ("gpus_per_gw=330k..1,000k", "separators"),
        ("vendor_share=0.5..1.5", "high 1.5 is out of range"),
        ("pue=0.9..1.4", "low 0.9 is out of range"),
    ],
)
def test_a_bad_range_for_one_run_is_refused(text: str, fragment: str) -> None:
    with pytest.raises(GwcalcError) as caught:
        INDEPENDENT.with_overrides([parse_override(text)])
    assert fragment in caught.value.message + (caught.value.hint or "")
    result = invoke("gap", "-a", "independent-2026", "--set", text)
    assert_user_error(result, fragment)


def test_pue_range_around_its_value() -> None:
    aset = INDEPENDENT.with_overrides([parse_override("pue=1.2..1.6")])
    assert aset.parameters["pue"].value == pytest.approx(math.sqrt(1.2 * 1.6))


def test_assumptions_new_records_the_range(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    result = invoke(
        "assumptions",
        "new",
        str(target),
        "--from",
        "independent-2026",
        "--set",
        "gpus_per_gw=330k..478k",
        "--date",
        "2026-12-02",
        "--json",
    )
    doc = json_output(result)
    assert doc["written"] == str(target)
    written = load_set(target)
    param = written.parameters["gpus_per_gw"]
    assert param.range is not None and (param.range.low, param.range.high) == (330e3, 478e3)
    assert "low = 330000.0" in target.read_text(encoding="utf-8")
    assert any("330k" in change and "478k" in change for change in written.changes)


def test_api_load_set_reads_a_range() -> None:
    from gwcalc import api

    aset = api.load_set("independent-2026", overrides={"gpus_per_gw": "330k..478k"})
    assert aset.parameters["gpus_per_gw"].range is not None


def test_override_errors_are_parameter_errors() -> None:
    with pytest.raises(ParameterError):
        parse_override("gpus_per_gw=..")


def test_a_range_of_a_figure_gwcalc_does_not_know_stays_positive() -> None:
    def racks(low: float) -> dict[str, dict[str, object]]:
        return {"racks_per_gw": figure(7000, "", low=low, high=8000, distribution="uniform")}

    with pytest.raises(AssumptionFileError, match="low 0 must be greater than zero"):
        parse_tiny(fmt=1, parameters=racks(0))
    assert parse_tiny(fmt=1, parameters=racks(6000)).parameters["racks_per_gw"].range


@given(
    low=st.floats(min_value=1.0, max_value=500e3),
    high=st.floats(min_value=500e3, max_value=1e12),
    distribution=st.sampled_from(["lognormal", "normal", "uniform", "triangular", "pert"]),
    credibility=st.floats(min_value=1.0, max_value=99.0),
)
def test_any_valid_range_reads_and_round_trips(
    low: float, high: float, distribution: str, credibility: float
) -> None:
    lines = [f"low = {low!r}", f"high = {high!r}", f'distribution = "{distribution}"']
    if distribution in ("lognormal", "normal"):
        lines.append(f"credibility = {credibility!r}")
    text, _ = with_fields(*lines)
    aset = parse_set(text)
    param = aset.parameters["gpus_per_gw"]
    assert param.range is not None and (param.range.low, param.range.high) == (low, high)
    back = parse_set(aset.to_toml())
    assert back.parameters == aset.parameters and back.sha256 == aset.sha256


def test_a_run_range_from_zero_names_its_low_end_not_a_value() -> None:
    stderr = assert_user_error(invoke("gap", "--set", "all_in_cost_per_gw=0..60B"))
    assert "a lognormal range needs low > 0 (low is 0)" in stderr
    assert "value 0" not in stderr


def test_a_run_range_keeps_the_figures_group_and_a_plain_value_leaves_it() -> None:
    from gwcalc import api

    base = api.load_set("independent-2026@4")
    assert base.parameters["gpus_per_wafer"].group == "rubin-share"
    ranged = api.load_set("independent-2026@4", overrides={"gpus_per_wafer": "9.5..11"})
    assert ranged.parameters["gpus_per_wafer"].group == "rubin-share"
    fixed = api.load_set("independent-2026@4", overrides={"gpus_per_wafer": "10"})
    assert fixed.parameters["gpus_per_wafer"].group is None
    assert fixed.parameters["gpus_per_wafer"].range is None
