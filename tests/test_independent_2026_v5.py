"""independent-2026 v5 is v4 with an audit's corrections and cloud contracts in contract dollars:
the changed figures' arithmetic, version 4's file unchanged, every change sourced and dated, and
everything else kept as version 4 has it."""

from __future__ import annotations

import hashlib
import re
import tomllib
from typing import Any

import pytest

from gwcalc import api
from gwcalc.sets.find import bundled_dir
from tests.helpers import invoke, json_output

V4, V5 = "independent-2026@4", "independent-2026@5"
V4_FILE_SHA256 = "07981838080fed46992658cdc34bede10f6c98780626209a9cba7ca3c14ea2ad"
V4_SHA256 = "bb0ec53c33bfaa98de57fa4c66c5fd846e837a53906bfe6333711b15d9a024c3"
VENDORS = {"NVIDIA", "AMD", "Google", "AWS", "Broadcom", "Meta", "Microsoft", "Cerebras", "Other"}
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

# The contract rate: Oracle's ~$300B over ~5 years for ~4.5 GW (WSJ, 2025-09-10).
RATE = 300e9 / 5 / 4.5
# The cloud contracts: (size in contract dollars, term in years), or a GW their source states.
CONTRACTS = {
    "Oracle–OpenAI": 4.5,
    "Microsoft–OpenAI": 250e9 / 7 / RATE,
    "AWS–OpenAI": 38e9 / 7 / RATE,
    "AWS–OpenAI expansion (Trainium)": 2.0,
    "CoreWeave–OpenAI": 22.4e9 / 5 / RATE,
}


def _toml(ref: str) -> dict[str, Any]:
    with (bundled_dir() / f"{ref}.toml").open("rb") as f:
        return tomllib.load(f)


def test_v4s_file_is_unchanged() -> None:
    path = bundled_dir() / f"{V4}.toml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == V4_FILE_SHA256
    assert api.load_set(V4).sha256 == V4_SHA256


def test_v5_extends_v4_by_its_sha256_and_says_what_changed() -> None:
    new = api.load_set(V5)
    assert (new.id, new.version) == ("independent-2026", 5)
    assert new.extends == f"independent-2026 v4 sha256:{V4_SHA256}"
    assert api.load_set("independent-2026") == new  # the newest version
    changes = " ".join(new.changes)
    for fragment in ("19.3 → 16.56", "21.41 → 12.85", "21.93 → 24.26", "178.7 → 190.2"):
        assert fragment in changes  # the before → after numbers of the gap and the timeline
    assert "gwcalc diff independent-2026@4 independent-2026@5" in (new.description or "")


def test_the_one_year_cowos_figure_cites_the_source_of_its_run_rates() -> None:
    old, new = api.load_set(V4), api.load_set(V5)
    cowos = new.parameters["cowos_wafers_per_year"]
    assert cowos.value == old.parameters["cowos_wafers_per_year"].value == 1.2e6
    assert cowos.value == (75e3 + 125e3) / 2 * 12  # TrendForce's run rates
    assert cowos.source.publisher is not None and "TrendForce" in cowos.source.publisher
    assert cowos.source == cowos.at(2026).source  # the same source as the 2026 value
    assert pytest.approx(0.975e6) == (70e3 + 92.5e3) / 2 * 12  # Morgan Stanley's 90–95k
    assert cowos.note is not None and "0.98M" in cowos.note
    assert "Morgan Stanley" in (old.parameters["cowos_wafers_per_year"].source.publisher or "")


def test_tpu_v7_it_power_is_epochs_nesting_not_its_floor() -> None:
    new = api.load_set(V5)
    assert new.timeline is not None
    tpu = new.timeline.chips["TPU_v7"]
    power = tpu.figures["it_power_per_package"]
    assert power.value == round(960 * 1.53 * 1.14) == 1674
    assert power.range is not None
    assert power.range.low == round(10e6 / 9216) == 1085  # the pod figure, a floor
    assert power.range.high == round(960 * 1.53 * 1.35) == 1983  # Epoch AI's p95 overhead
    assert power.range.low < power.value < power.range.high
    assert tpu.vendor == "Google"


def test_one_count_of_nvidias_2026_wafers_in_the_gap_and_the_timeline() -> None:
    new = api.load_set(V5)
    assert new.timeline is not None
    wafers = new.parameters["cowos_wafers_per_year"].value
    gap_wafers = wafers * new.parameters["vendor_share"].value
    assert gap_wafers == pytest.approx(708e3, rel=1e-12)  # Morgan Stanley's 59% of 1.20M
    vendor_of = {name: chip.vendor for name, chip in new.timeline.chips.items()}
    mix = _toml(V5)["mix"]["2026"]["shares"]
    nvidia = sum(share for chip, share in mix.items() if vendor_of[chip] == "NVIDIA")
    assert wafers * nvidia == pytest.approx(gap_wafers, rel=1e-12)  # the timeline's count
    doc = json_output(invoke("gap", "-a", V5, "--json"))
    assert doc["supply_per_year"]["value"] == pytest.approx(708e3 * 9.1 / 389e3, rel=1e-12)


def test_the_gaps_demand_is_openais_600b_through_2030() -> None:
    new = api.load_set(V5)
    spend = new.parameters["contracted_spend"]
    assert spend.value == 600e9 and "USD_all_in" in str(spend.quantity.units)
    assert spend.source.date == "2026-02-20" and "CNBC" in (spend.source.publisher or "")
    assert spend.note is not None and "1.4T" in spend.note and "$1T" in spend.note
    doc = json_output(invoke("gap", "-a", V5, "--json"))
    assert doc["demand"]["value"] == pytest.approx(600e9 / 46.7e9, rel=1e-12)
    assert doc["coverage"]["value"] == pytest.approx(
        (708e3 * 9.1 / 389e3) / (600e9 / 46.7e9), rel=1e-12
    )
    assert any("$1.4T" in c for c in new.caveats)


def test_the_contract_rate_is_oracles_with_a_sourced_range() -> None:
    rate = api.load_set(V5).parameters["contract_rate_per_gw_year"]
    assert rate.value == pytest.approx(RATE, abs=1.0)
    assert rate.range is not None
    assert rate.range.low == 8.5e9  # Epoch AI's cost of ownership per GW-year (2026-05-14)
    assert rate.range.high == pytest.approx(300e9 / 5 / (4.5 / 1.4), rel=1e-3)  # facility GW
    assert rate.note is not None and "2026-05-14" in rate.note and "Epoch AI" in rate.note
    assert rate.range.low > 100e9 / 8 / 2  # the Trainium contract is cheaper: said in the note
    assert "$6.25B" in rate.note


def test_cloud_contracts_are_contract_dollars_over_their_terms() -> None:
    doc = json_output(invoke("timeline", "-a", V5, "--json"))
    deals = {d["name"]: d for d in doc["deals"]}
    for name, gw in CONTRACTS.items():
        assert deals[name]["size"]["value"] == pytest.approx(gw, rel=1e-9), name
    data = {d["name"]: d for d in _toml(V5)["deals"]}
    for name in CONTRACTS:
        deal = data[name]
        dollars = deal.get("value", deal["size"])
        assert dollars.endswith("USD_contract") and deal["term_years"] > 0, name
    assert (data["Oracle–OpenAI"]["value"], data["Oracle–OpenAI"]["term_years"]) == (
        "300B USD_contract",
        5,
    )
    trainium = data["AWS–OpenAI expansion (Trainium)"]
    assert (trainium["size"], trainium["value"], trainium["term_years"]) == (
        "2 GW",
        "100B USD_contract",
        8,
    )
    assert not any("USD_all_in" in d["size"] for d in data.values())


def test_every_deal_and_chip_names_a_vendor_the_comparisons_know() -> None:
    data = _toml(V5)
    assert {chip["vendor"] for chip in data["chips"].values()} <= VENDORS
    for deal in data["deals"]:
        assert deal["vendor"] in VENDORS, deal["name"]
    vendors = {d["name"]: d["vendor"] for d in data["deals"]}
    assert vendors["AWS–OpenAI expansion (Trainium)"] == "AWS"
    assert vendors["Cerebras–OpenAI"] == "Cerebras"
    assert vendors["Oracle–OpenAI"] == vendors["Microsoft–OpenAI"] == "NVIDIA"


def _changed(old: Any, new: Any, path: str = "") -> list[str]:
    """The paths where two TOML trees differ (notes left out: they are compared apart)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(old.keys() | new.keys()):
            if key == "note":
                continue
            if key not in old or key not in new:
                out.append(f"{path}.{key}")
            else:
                out += _changed(old[key], new[key], f"{path}.{key}")
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            p
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for p in _changed(a, b, f"{path}[{i}]")
        ]
    return [] if old == new else [path]


# Every path of the file that version 5 changes (deals by index, as in the file).
CHANGED = {
    ".version", ".extends", ".date", ".title", ".description", ".changes", ".caveats",
    ".parameters.cowos_wafers_per_year.source.publisher",
    ".parameters.cowos_wafers_per_year.source.title",
    ".parameters.cowos_wafers_per_year.source.url",
    ".parameters.cowos_wafers_per_year.source.date",
    ".parameters.vendor_share.value", ".parameters.vendor_share.implied",
    ".parameters.vendor_share.source.publisher", ".parameters.vendor_share.source.title",
    ".parameters.vendor_share.source.url", ".parameters.vendor_share.source.date",
    ".parameters.contracted_spend.value",
    ".parameters.contracted_spend.source.publisher", ".parameters.contracted_spend.source.title",
    ".parameters.contracted_spend.source.url", ".parameters.contracted_spend.source.date",
    ".parameters.contract_rate_per_gw_year",
    ".timeline.supply_scope", ".timeline.demand_scope",
    ".chips.TPU_v7.vendor", ".chips.TPU_v7.it_power_per_package.value",
    ".chips.TPU_v7.it_power_per_package.high",
    ".mix.2026.shares.GB300",
    *(f".deals[{i}].vendor" for i in range(10)),
    ".deals[3].size", ".deals[3].value", ".deals[3].term_years",
    ".deals[4].size", ".deals[4].term_years",
    ".deals[5].size", ".deals[5].term_years",
    ".deals[6].size", ".deals[6].value", ".deals[6].term_years",
    ".deals[7].size", ".deals[7].term_years",
}  # fmt: skip
REWRITTEN_NOTES = {"vendor_share", "contracted_spend"}  # the rest only grow


def test_everything_else_is_v4s() -> None:
    old, new = _toml(V4), _toml(V5)
    assert set(_changed(old, new)) == CHANGED
    for name, param in old["parameters"].items():
        if name not in REWRITTEN_NOTES:
            assert new["parameters"][name]["note"].startswith(param["note"]), name
        for year, entry in param.get("by_year", {}).items():
            assert new["parameters"][name]["by_year"][year]["note"].startswith(entry["note"])
    for chip, figures in old["chips"].items():
        for field, figure in figures.items():
            if isinstance(figure, dict):
                assert new["chips"][chip][field]["note"].startswith(figure["note"]), chip
    for year, mix in old["mix"].items():
        assert new["mix"][year]["note"].startswith(mix["note"]), year
    for was, now in zip(old["deals"], new["deals"], strict=True):
        assert now["note"].startswith(was["note"]), was["name"]


def test_every_changed_figure_has_a_dated_source_and_says_what_changed() -> None:
    old, new = api.load_set(V4), api.load_set(V5)
    for name, param in new.parameters.items():
        was = old.parameters.get(name)
        if was is not None and (param.value, param.range, param.source) == (
            was.value,
            was.range,
            was.source,
        ):
            continue
        assert param.source.date is not None and DATE.fullmatch(param.source.date), name
        assert param.source.url, name
        assert param.note is not None, name
        if was is not None:
            assert "v5" in param.note or "Version 5" in param.note, name
    assert old.timeline is not None and new.timeline is not None
    tpu = new.timeline.chips["TPU_v7"].figures["it_power_per_package"]
    assert tpu.source.date is not None and DATE.fullmatch(tpu.source.date)
    assert tpu.note is not None and "Version 5" in tpu.note and "Range (v5)" in tpu.note
    for deal in new.timeline.deals:
        assert deal.source is not None and deal.source.date is not None
        assert DATE.fullmatch(deal.source.date), deal.name
        if deal.name in CONTRACTS or deal.vendor != deal.seller:  # a cloud's chips
            assert deal.note is not None and "Version 5" in deal.note, deal.name
    mix_2026 = _toml(V5)["mix"]["2026"]
    assert DATE.fullmatch(mix_2026["source"]["date"]) and "Version 5" in mix_2026["note"]


def test_the_timeline_uses_the_contract_rate_not_the_all_in_rate() -> None:
    doc = json_output(invoke("timeline", "-a", V5, "--samples", "200", "--json"))
    varied = doc["uncertainty"]["varied"]
    assert "contract_rate_per_gw_year" in varied and "all_in_cost_per_gw" not in varied
    years = {y["year"]: y for y in doc["years"]}
    by_chip = years[2026]["supply_by_chip"]
    assert by_chip["GB300"]["value"] == pytest.approx(1.2e6 * 0.32 * 12 * 2217e-9, rel=1e-12)
    assert by_chip["TPU_v7"]["value"] == pytest.approx(1.2e6 * 0.15 * 16 * 1674e-9, rel=1e-12)
