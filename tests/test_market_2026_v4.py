"""market-2026 v4: version 3 with the economics parameters (lives, utilization, the price of a
GPU-hour and of power, other running costs, the cost of capital, Sequoia's ratios and the whole
market's AI revenue by year). Version 3 is untouched, version 4 extends it by its hash, every new
figure is sourced, dated and ranged where sources disagree, its arithmetic recomputes, and the
timeline is version 3's."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from functools import cache
from typing import Any

import pytest

from gwcalc import api
from gwcalc.errors import ParameterError
from gwcalc.sets.figures import Parameter
from gwcalc.sets.find import bundled_dir

V3, V4 = "market-2026@3", "market-2026@4"  # the version extended, and this one
V3_FILE_SHA256 = "e0eefbfc41576787ea6ab6e14700354a2bbfb0438b96f81d9b9be395351de9ac"
V3_SHA256 = "0cbf9ab5c16f3c1226182e12a9da25c6599cb8cb8e66b7a8404ba2146d830c7a"
SET_DATE = dt.date(2026, 12, 6)
YEARS = range(2025, 2031)
# each new parameter -> its unit as the set writes it (issue 18's table of economics parameters)
NEW_UNITS = {
    "it_life": "year",
    "facility_life": "year",
    "utilization": "%",
    "price_per_gpu_hour": "USD_revenue/gpu/h",
    "power_price": "USD_all_in/kWh_facility",
    "other_opex_per_gw_year": "USD_all_in/GW/year",
    "cost_of_capital": "%",
    "end_user_margin": "%",
    "gpu_share_of_cost": "%",
    "ai_revenue": "USD_revenue/year",
}
# each new parameter -> (unit to read it in, value, low, high); None where it has no range
EXACT: dict[str, tuple[str, float, float | None, float | None]] = {
    "it_life": ("year", 5, 3, 6),
    "facility_life": ("year", 14, None, None),
    "utilization": ("%", 80, 70, 90),
    "price_per_gpu_hour": ("USD_revenue/gpu/h", 4.0, 2.0, 5.0),
    "power_price": ("USD_all_in/kWh_facility", 0.0859, 0.0604, 0.1301),
    "other_opex_per_gw_year": ("USD_all_in/GW/year", 0.3e9, None, None),
    "cost_of_capital": ("%", 9, 6.58, 11),
    "end_user_margin": ("%", 50, 47, 77),
    "gpu_share_of_cost": ("%", 50, 50, 70),
    "ai_revenue": ("USD_revenue/year", 120e9, 38e9, 240e9),  # the one-year view: 2026
}
# ai_revenue by year: (OpenAI, Anthropic) in $B, as the notes state them
LABS = {
    2025: (13.1, 4.7),
    2026: (30, 30),
    2027: (62, 38.9),
    2028: (100, 70),
    2029: (141, 99),
    2030: (200, 140),
}


@cache
def data(ref: str) -> dict[str, Any]:
    with (bundled_dir() / f"{ref}.toml").open("rb") as f:
        return tomllib.load(f)


def param(name: str) -> Parameter:
    return api.load_set(V4).parameters[name]


def _date(text: str) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD as a real calendar date (its first day)."""
    assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text), text
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def figures() -> list[tuple[str, dict[str, Any]]]:
    """Every new figure as written: each parameter and each of its years."""
    out = []
    for name in NEW_UNITS:
        raw = data(V4)["parameters"][name]
        out.append((name, raw))
        out += [(f"{name} {year}", entry) for year, entry in raw.get("by_year", {}).items()]
    return out


# --- Version 3 untouched, version 4 extends it -------------------------------------------------


def test_version_3_is_unchanged_byte_for_byte() -> None:
    path = bundled_dir() / f"{V3}.toml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == V3_FILE_SHA256
    assert api.load_set(V3).sha256 == V3_SHA256
    assert not set(NEW_UNITS) & set(data(V3)["parameters"])


def test_version_4_extends_version_3_by_its_hash_and_is_the_newest() -> None:
    v3, v4 = api.load_set(V3), api.load_set(V4)
    assert (v4.id, v4.version, v4.date) == ("market-2026", 4, "2026-12-06")
    assert v4.extends == f"market-2026 v3 sha256:{v3.sha256}"
    assert api.load_set("market-2026") == v4
    changes = " ".join(v4.changes)
    for name in NEW_UNITS:
        assert f"Adds {name}" in changes or f"and {name}" in changes, name


# deals whose seller version 4 renames to its corporate group (the flows' party name)
GROUP_SELLERS = {
    "AWS–OpenAI": ("Amazon Web Services", "Amazon"),
    "AWS–OpenAI expansion (Trainium)": ("Amazon Web Services", "Amazon"),
    "AWS–Anthropic (Project Rainier, Trainium2)": ("Amazon Web Services", "Amazon"),
    "Google–Anthropic TPUs (2026)": ("Google Cloud", "Google"),
    "Google–Anthropic TPUs (from 2027)": ("Google Cloud (TPUs supplied by Broadcom)", "Google"),
    "xAI–Anthropic (Colossus)": ("xAI (SpaceX)", "xAI"),
}
# flows whose note version 4 extends or rewords (the warrants' vesting, the AWS contract's seller)
REWORDED_FLOWS = {"AMD–OpenAI warrant", "AMD–Meta warrant", "OpenAI–AWS cloud contract"}
VESTING_KEYS = {"vesting_deal": "AMD–OpenAI", "vesting_gw": "6 GW", "vesting_step": "1 GW"}


def test_version_4_only_adds_the_economics_parameters_and_two_caveats() -> None:
    """Besides the economics, version 4 changes exactly: the flow caveats of the timeline, the
    sellers (and notes) of six deals, the AMD–OpenAI warrant's vesting keys and three flows'
    notes. Everything else (chips, mix, every other key of the timeline, deal and flow) is
    version 3's."""
    three, four = data(V3), data(V4)
    header = {"version", "title", "description", "extends", "changes", "caveats", "parameters"}
    money = {"timeline", "deals", "flows"}
    for key in set(three) | set(four):
        if key not in header | money:
            assert three[key] == four[key], key  # chips, mix
    assert set(four["timeline"]) - set(three["timeline"]) == {"flow_caveats"}
    assert {k: four["timeline"][k] for k in three["timeline"]} == three["timeline"]
    assert [d["name"] for d in four["deals"]] == [d["name"] for d in three["deals"]]
    for old, new in zip(three["deals"], four["deals"], strict=True):
        if new["name"] not in GROUP_SELLERS:
            assert new == old, new["name"]
            continue
        assert (old["seller"], new["seller"]) == GROUP_SELLERS[new["name"]]
        assert new["note"].startswith(old["note"]) and "version 3 named" in new["note"]
        same = set(old) - {"seller", "note"}
        assert set(new) == set(old) and {k: new[k] for k in same} == {k: old[k] for k in same}
    assert [f["name"] for f in four["flows"]] == [f["name"] for f in three["flows"]]
    for old, new in zip(three["flows"], four["flows"], strict=True):
        if new["name"] not in REWORDED_FLOWS:
            assert new == old, new["name"]
            continue
        new_keys = VESTING_KEYS if new["name"] == "AMD–OpenAI warrant" else {}
        assert {k: new[k] for k in set(new) - set(old)} == new_keys, new["name"]
        same = set(old) - {"note"}
        assert {k: new[k] for k in same} == {k: old[k] for k in same}, new["name"]
    assert set(four["parameters"]) - set(three["parameters"]) == set(NEW_UNITS)
    for name, figure in three["parameters"].items():
        assert four["parameters"][name] == figure, name
    assert four["caveats"][: len(three["caveats"])] == three["caveats"]
    added = " ".join(four["caveats"][len(three["caveats"]) :])
    assert "ai_revenue" in added and "upper bound" in added and "debt cost" in added
    # the scope: end users' AI revenue against every owner's capex, internal uses included
    assert "internal uses" in added and "understates" in added


def test_the_timeline_of_version_4_is_version_3s() -> None:
    """The economics are money per GW, not capacity: every year, the verdict and every
    comparison of the timeline are version 3's."""
    three, four = api.timeline(V3).to_dict(), api.timeline(V4).to_dict()
    assert four["years"] == three["years"]
    assert four["verdict"] == three["verdict"]
    assert four["comparisons"] == three["comparisons"]
    year_2026 = four["years"][1]
    assert year_2026["supply"]["value"] == pytest.approx(27.317736)  # GW_IT, version 2's
    assert api.timeline().to_dict()["assumptions"]["version"] == 4  # the default set


def test_amd_openai_warrant_vests_in_1_gw_tranches_with_the_deals_delivered_power() -> None:
    """Nothing vests before the first GW (the 8-K's first tranche), a third by the end of 2027
    (2 of 6 GW on the deal's even schedule 2026-H2–2030), all of it by 2030; Meta's warrant has
    no deal to vest with and counts in full, as its note says."""
    full = 160e6 * (203.71 - 0.01)  # at the set's share price
    by_year = {2026: 0.0, 2027: 2 / 6, 2028: 1 / 6, 2029: 1 / 6, 2030: 2 / 6}
    for year, share in by_year.items():
        rows = {f["name"]: f for f in api.flows(V4, party="AMD", year=year).to_dict()["flows"]}
        warrant = rows.get("AMD–OpenAI warrant")
        if share == 0:
            assert warrant is None or warrant["amount"]["value"] == 0, year
            continue
        assert warrant is not None, year
        assert warrant["amount"]["value"] == pytest.approx(full * share), year
    whole = {f["name"]: f for f in api.flows(V4, party="AMD").to_dict()["flows"]}
    vesting = whole["AMD–OpenAI warrant"]["vesting"]
    assert vesting["deal"] == "AMD–OpenAI" and vesting["step"] == "1 GW"
    assert vesting["vested_share"] == 1.0
    assert "vesting" not in whole["AMD–Meta warrant"]
    meta = next(f for f in data(V4)["flows"] if f["name"] == "AMD–Meta warrant")
    assert "no deal for Meta's MI450 order" in meta["note"] and "as if fully" in meta["note"]
    openai = next(f for f in data(V4)["flows"] if f["name"] == "AMD–OpenAI warrant")
    assert "NOT modelled: the share-price hurdles" in openai["note"]


def test_flow_caveats_state_the_moneys_known_faults() -> None:
    timeline = api.load_set(V4).timeline
    assert timeline is not None
    caveats = timeline.flow_caveats
    text = " ".join(caveats)
    for phrase in ("nominal dollars", "upper bounds", "lower bounds", "hurdles", "groups"):
        assert phrase in text, phrase
    assert api.flows(V4).to_dict()["flow_caveats"] == list(caveats)


def test_the_check_finds_no_party_with_two_names() -> None:
    """Every flow that is a deal runs between the deal's own parties: one name per group."""
    report = api.check_set(V4)
    assert not [f for f in report.findings if f.level == "warning"]
    deals = {d["name"]: d for d in data(V4)["deals"]}
    for flow in data(V4)["flows"]:
        if "deal" in flow:
            deal = deals[flow["deal"]]
            assert {flow["from"], flow["to"]} == {deal["buyer"], deal["seller"]}, flow["name"]


# --- Every new figure sourced, dated, ranged where sources disagree ------------------------------


@pytest.mark.parametrize(("name", "raw"), figures(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_new_figure_has_a_dated_source_someone_outside_can_find(
    name: str, raw: dict[str, Any]
) -> None:
    src = raw["source"]
    assert src["publisher"].strip() and src["title"].strip(), name
    assert _date(src["date"]) <= SET_DATE, name
    assert re.fullmatch(r"https://[^\s]+", src["url"]), name
    if "github.com" in src["url"]:  # a data file at a pinned commit
        assert re.search(r"/blob/[0-9a-f]{40}/", src["url"]), name
    assert raw["note"].strip(), name
    if raw.get("implied"):
        assert "implied" in raw["note"].lower(), f"{name}: implied without its reasoning"


@pytest.mark.parametrize(("name", "raw"), figures(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_range_contains_its_value_and_names_its_ends(name: str, raw: dict[str, Any]) -> None:
    if "low" not in raw:
        assert "high" not in raw, name
        return
    assert raw["low"] <= raw["value"] <= raw["high"] and raw["low"] < raw["high"], name
    assert "Range:" in raw["note"], name
    tail = raw["note"].split("Range:")[-1]
    assert "low" in tail and "high" in tail, f"{name}: the range's note names each end"


def test_the_labs_revenue_cites_the_lab_or_a_news_agency_not_a_blog() -> None:
    """Anthropic's run rate from Anthropic's own post, OpenAI's 2025 revenue from Reuters."""
    raw = data(V4)["parameters"]["ai_revenue"]
    for src in (raw["source"], raw["by_year"]["2026"]["source"]):
        assert src["publisher"] == "Anthropic" and src["date"] == "2026-04-06"
        assert src["url"].startswith("https://www.anthropic.com/news/")
    assert "Reuters" in raw["by_year"]["2025"]["source"]["publisher"]
    weak = ("GMT Eight", "Sonnet Code", "Coolest Gadgets")
    for name, entry in figures():
        assert not any(w in entry["source"]["publisher"] for w in weak), name


@pytest.mark.parametrize("name", sorted(NEW_UNITS))
def test_each_new_parameter_has_the_unit_of_the_issue(name: str) -> None:
    assert data(V4)["parameters"][name]["unit"] == NEW_UNITS[name]


# --- Exact values -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXACT))
def test_the_exact_values_of_the_new_figures(name: str) -> None:
    unit, value, low, high = EXACT[name]
    p = param(name)
    assert p.quantity.to(unit).magnitude == pytest.approx(value, rel=1e-12)
    if low is None:
        assert p.range is None
    else:
        assert p.range is not None
        assert (p.range.low, p.range.high) == pytest.approx((low, high), rel=1e-12)


def test_percent_figures_are_fractions_in_canonical_units() -> None:
    assert param("utilization").quantity.to("dimensionless").magnitude == pytest.approx(0.8)
    assert param("cost_of_capital").quantity.to("dimensionless").magnitude == pytest.approx(0.09)
    # the articles' low scenario: a bare number is in the set's unit, %, so 70 (0.7 is refused
    # as ambiguous: 0.7 % or a share of 0.7; tests/test_bare_numbers.py)
    aset = api.load_set(V4, overrides={"utilization": "70"})
    assert aset.parameters["utilization"].quantity.to("%").magnitude == pytest.approx(70)
    with pytest.raises(ParameterError, match=r"0\.7 would be 0\.7 %"):
        api.load_set(V4, overrides={"utilization": "0.7"})


def test_the_market_ai_revenue_by_year_is_twice_the_two_labs() -> None:
    p = param("ai_revenue")
    assert [y.year for y in p.by_year] == list(YEARS)
    raw = data(V4)["parameters"]["ai_revenue"]["by_year"]
    for year, (openai, anthropic) in LABS.items():
        labs = (openai + anthropic) * 1e9
        entry = raw[str(year)]
        assert entry["value"] == pytest.approx(2 * labs, rel=1e-12), year
        assert entry["implied"] is True
        assert entry["high"] == pytest.approx(1e11 if year == 2025 else 4 * labs), year
        if year >= 2027:  # half the labs' own projections
            assert entry["low"] == pytest.approx(labs / 2), year
    assert raw["2025"]["low"] == 17.8e9  # the two labs alone
    assert raw["2026"]["low"] == pytest.approx(5.7e9 * 4 + 15.2e9)  # OpenAI Q1 × 4 + projection
    assert LABS[2029][0] == round((100 * 200) ** 0.5)  # geometric middle of 2028 and 2030
    assert LABS[2029][1] == round(70 * 2**0.5) and LABS[2030][1] == 70 * 2
    top = data(V4)["parameters"]["ai_revenue"]
    assert (top["value"], top["low"], top["high"]) == tuple(
        raw["2026"][k] for k in ("value", "low", "high")
    )


def test_other_opex_is_epochs_opex_less_its_energy() -> None:
    opex = param("other_opex_per_gw_year").quantity.magnitude
    assert opex == pytest.approx(0.9e9 - 0.6e9)  # $0.9B of opex less $0.6B of energy


def test_sequoias_method_with_the_sets_ratios() -> None:
    share = param("gpu_share_of_cost").quantity.to("dimensionless").magnitude
    margin = param("end_user_margin").quantity.to("dimensionless").magnitude
    assert 150e9 / share / (1 - margin) == pytest.approx(600e9)  # "AI's $600B Question"


def test_the_gpu_hour_price_is_gb200s_and_the_mixs_average_lies_in_its_range() -> None:
    """$4.00 is GB200's rental; weighting SemiAnalysis's rental prices by the 2026 mix's
    packages (the chips it prices) gives ≈ $4.70, as the note says, inside $2.00–$5.00."""
    raw = data(V4)
    shares = raw["mix"]["2026"]["shares"]
    wafers = raw["parameters"]["cowos_wafers_per_year"]["by_year"]["2026"]["value"]
    per_wafer = {chip: raw["chips"][chip]["packages_per_wafer"]["value"] for chip in shares}
    packages = {chip: shares[chip] * wafers * per_wafer[chip] for chip in shares}
    assert sum(packages.values()) == pytest.approx(14_160_000)
    rental = {"GB200": 4.0, "GB300": 5.0, "Rubin": 8.5, "H100": 2.0, "TPU_v7": 2.0, "MI355X": 2.9}
    priced = sum(packages[c] for c in rental)
    assert priced == pytest.approx(11_304_000)
    average = sum(packages[c] * price for c, price in rental.items()) / priced
    assert round(average, 2) == 4.70
    p = param("price_per_gpu_hour")
    assert p.range is not None and p.range.low <= average <= p.range.high
    assert "GB200" in (p.note or "") and "SemiAnalysis" in (p.source.publisher or "")
