"""`gwcalc gap`: the table for people and the JSON for scripts."""

from __future__ import annotations

import re

import pytest

from gwcalc import __version__
from gwcalc.engine.plan import compute_gap
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.units.registry import parse_quantity, parse_unit
from tests.helpers import invoke, json_output, quantity
from tests.strategies import INDEPENDENT, SEED

GAP_KEYS = ("supply_per_year", "demand", "gap", "coverage", "years_to_cover")
ANSI = re.compile(r"\x1b\[")


def test_gap_table_names_the_set_and_shows_the_numbers() -> None:
    result = invoke("gap")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "seed-2025 v3" in out
    assert SEED.date in out
    assert SEED.sha256[:12] in out
    assert "13.5 GW_IT/yr" in out
    assert "50 GW_IT" in out
    assert "36.5 GW_IT" in out
    assert "27.0%" in out
    # the parameters used, each with its source
    for name in ("cowos_wafers_per_year", "vendor_share", "gpus_per_wafer", "gpus_per_gw"):
        assert name in out
    assert "hardware_cost_per_gw" in out and "contracted_spend" in out
    assert "集微网" in out and "seed 00" not in out  # the outlet, never an internal file name
    # right under the numbers: what is known to be wrong with them, and the correcting command
    table_end = out.index("└")
    caveats = out.index("Caveats of seed-2025 v3:")
    assert table_end < caveats < out.index("How:")
    assert "gwcalc diff seed-2025 bases-2025" in out[caveats:]
    assert not ANSI.search(out), "colour codes in output that is not a terminal"


def test_gap_table_for_independent_2026() -> None:
    result = invoke("gap", "-a", "independent-2026@1", "--unit", "GW_facility")
    assert result.exit_code == 0, result.stderr
    assert "independent-2026 v1" in result.stdout  # @1 reaches version 1
    assert "GW_facility" in result.stdout
    assert "all_in_cost_per_gw" in result.stdout


def test_gap_table_when_supply_exceeds_demand() -> None:
    result = invoke("gap", "--demand", "1 GW")
    assert result.exit_code == 0, result.stderr
    assert "-12.5 GW_IT" in result.stdout
    assert "1350.0%" in result.stdout
    assert "--demand" in result.stdout


def test_gap_json_document() -> None:
    result = invoke("gap", "--json")
    doc = json_output(result)
    assert doc["format_version"] == 2
    assert doc["gwcalc_version"] == __version__
    assert set(GAP_KEYS) | {"assumptions", "supply_path", "demand_path"} <= set(doc)
    meta = doc["assumptions"]
    assert {k: meta[k] for k in ("id", "version", "date", "sha256")} == {
        "id": "seed-2025",
        "version": 3,
        "date": SEED.date,
        "sha256": SEED.sha256,
    }
    assert meta["path"] == str(SEED.path)
    assert "overrides" not in meta
    assert doc["supply_path"] == [
        "cowos_wafers_per_year",
        "vendor_share",
        "gpus_per_wafer",
        "gpus_per_gw",
    ]
    assert doc["demand_path"] == ["contracted_spend", "hardware_cost_per_gw"]
    assert not ANSI.search(result.stdout)


@pytest.mark.parametrize(
    ("args", "aset", "unit"),
    [
        ((), SEED, "GW"),
        (("--unit", "gpu"), SEED, "gpu"),
        (("--unit", "MW"), SEED, "MW"),
        (("--unit", "$"), SEED, "$"),
        (("-a", "independent-2026@1"), INDEPENDENT, "GW"),
        (("-a", "independent-2026@1", "--unit", "GW_facility"), INDEPENDENT, "GW_facility"),
        (("-a", "independent-2026@1", "--unit", "USD_all_in"), INDEPENDENT, "USD_all_in"),
    ],
)
def test_gap_json_quantities_are_exactly_the_models(
    args: tuple[str, ...], aset: AssumptionSet, unit: str
) -> None:
    doc = json_output(invoke("gap", *args, "--json"))
    gap = compute_gap(aset, unit)
    for key in GAP_KEYS:
        got, want = quantity(doc[key]), getattr(gap, key)
        assert got.units == want.units, key  # the unit string reads back as the same unit
        assert got.magnitude == want.magnitude, key  # and the number is not rounded


def test_gap_json_with_a_demand() -> None:
    doc = json_output(invoke("gap", "--demand", "26 GW", "--json"))
    assert doc["demand_source"] == "--demand"
    assert doc["demand_path"] == []
    assert quantity(doc["demand"]).to(parse_unit("GW")).magnitude == pytest.approx(26)


def test_gap_json_with_overrides() -> None:
    doc = json_output(invoke("gap", "--set", "gpus_per_gw=400k gpu/GW", "--json"))
    supply = quantity(doc["supply_per_year"]).to(parse_unit("GW/year")).magnitude
    assert supply == pytest.approx(450_000 * 15 / 400_000, rel=1e-12)
    meta = doc["assumptions"]
    assert meta["sha256"] != SEED.sha256
    assert quantity(meta["overrides"]["gpus_per_gw"]) == parse_quantity("400k gpu/GW")


def test_gap_with_overrides_in_other_units_gives_the_same_numbers() -> None:
    base = json_output(invoke("gap", "--json"))
    other = json_output(
        invoke(
            "gap",
            "--set",
            "cowos_wafers_per_year=75k wafer/month",
            "--set",
            "vendor_share=50%",
            "--set",
            "hardware_cost_per_gw=20M USD/MW",
            "--json",
        )
    )
    for key in GAP_KEYS:
        a, b = quantity(base[key]), quantity(other[key])
        assert b.to(a.units).magnitude == pytest.approx(a.magnitude, rel=1e-12), key


def test_default_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWCALC_DEFAULT_SET", "independent-2026@1")  # a NAME@VERSION works too
    doc = json_output(invoke("gap", "--json"))
    assert doc["assumptions"]["id"] == "independent-2026"
    assert doc["assumptions"]["sha256"] == INDEPENDENT.sha256


def test_gap_says_its_demand_is_a_total_and_its_supply_one_years() -> None:
    """Issue 17: gap compares a total falling due over years with one year of supply; every
    format with room for a note says so (the table, Markdown, JSON), -q and CSV stay data."""
    note = (
        "Demand is a total (contracts falling due over several years); supply is one year's "
        "output: the gap compares a stock with a flow. Their scopes are the set's: supply is the "
        "vendor_share of all CoWoS wafers (every buyer of that vendor), demand is "
        "contracted_spend (whose, its note says), so coverage is the set's arithmetic, not a "
        "like-for-like verdict. See gwcalc timeline for the years, at matched scopes."
    )
    table = invoke("gap", env={"COLUMNS": "400"})
    printed = " ".join(table.stdout.split())  # the note may wrap, even at 400 columns
    assert table.exit_code == 0 and note in printed
    assert printed.index("years to cover") < printed.index(note)
    markdown = invoke("gap", "--format", "markdown").stdout
    assert markdown.rstrip().endswith(note)
    assert json_output(invoke("gap", "--json"))["demand_note"] == note
    assert json_output(invoke("gap", "--demand", "26 GW", "--json"))["demand_note"] == note
    assert note not in invoke("gap", "-q").stdout
    assert note not in invoke("gap", "--format", "csv").stdout
