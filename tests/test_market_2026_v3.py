"""market-2026 v3: version 2 with the money between the parties ([[flows]]), the parameter that
values AMD's warrants, and AMD–OpenAI's chips (MI450). Version 2 is untouched, version 3 extends
it by its hash, every flow is sourced and dated, the arithmetic its notes state recomputes, and
the market's timeline is version 2's."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from functools import cache
from typing import Any

import pytest

from gwcalc import api
from gwcalc.sets.find import bundled_dir
from gwcalc.sets.flows import Flow
from gwcalc.sets.specs import FLOW_KINDS, FLOW_STATUSES, FLOW_UNITS

V1, V2 = "market-2026@2", "market-2026@3"  # the version extended, and this one
V1_FILE_SHA256 = "4d509b0ab43681080ca66a9d379c953b0890d7c7f46fde5cc99615589af5d501"
V1_SHA256 = "0943e250c8b6a177fa0a79239a73658f29acc7d28c4325f3e74e2c1bf56a311e"
SET_DATE = dt.date(2026, 12, 6)
# the parties issue 18 (item 7) names; each must pay or receive in some flow
PARTIES = {
    "OpenAI",
    "NVIDIA",
    "AMD",
    "Broadcom",
    "Oracle",
    "Microsoft",
    "CoreWeave",
    "Nebius",
    "xAI",
    "Anthropic",
    "Google",
    "Amazon",
    "Meta",
}


@cache
def data(ref: str) -> dict[str, Any]:
    with (bundled_dir() / f"{ref}.toml").open("rb") as f:
        return tomllib.load(f)


def raw_flows() -> list[dict[str, Any]]:
    return list(data(V2)["flows"])


def flows() -> tuple[Flow, ...]:
    aset = api.load_set(V2)
    assert aset.timeline is not None
    return aset.timeline.flows


def flow(name: str) -> Flow:
    (found,) = [f for f in flows() if f.name == name]
    return found


def _date(text: str) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD as a real calendar date (its first day)."""
    assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text), text
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def billions(amount: str) -> float:
    number, _, _ = amount.partition("B ")
    return float(number) * 1e9


# --- Version 2 untouched, version 3 extends it -------------------------------------------------


def test_version_2_is_unchanged_byte_for_byte() -> None:
    path = bundled_dir() / f"{V1}.toml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == V1_FILE_SHA256
    assert api.load_set(V1).sha256 == V1_SHA256
    assert "flows" not in data(V1)


def test_version_3_extends_version_2_by_its_hash() -> None:
    v1, v2 = api.load_set(V1), api.load_set(V2)
    assert (v2.id, v2.version, v2.date) == ("market-2026", 3, "2026-12-06")
    assert v2.extends == f"market-2026 v2 sha256:{v1.sha256}"
    assert api.load_set("market-2026@4").extends == f"market-2026 v3 sha256:{v2.sha256}"
    assert data(V2)["changes"], "a new version says what it changes"


def test_version_3_adds_flows_one_parameter_and_amds_chips() -> None:
    one, two = data(V1), data(V2)
    header = {"version", "title", "description", "extends", "changes"}
    for key in (set(one) | set(two)) - header - {"parameters", "flows", "deals"}:
        assert one[key] == two[key], key  # caveats, timeline, chips, mix…
    chips = [{**d, "chips": ["MI450"]} if d["name"] == "AMD–OpenAI" else d for d in one["deals"]]
    assert two["deals"] == chips  # AMD–OpenAI names its chips; no other deal changes
    assert set(two["parameters"]) - set(one["parameters"]) == {"amd_share_price"}
    for name, figure in one["parameters"].items():
        assert two["parameters"][name] == figure, name


def test_the_timeline_of_version_3_is_version_2s() -> None:
    """Flows are money, not capacity: every year and the market's verdict are version 2's (a
    chip line for AMD's MI450 is the one comparison added)."""
    one, two = api.timeline(V1).to_dict(), api.timeline(V2).to_dict()
    assert one["years"] == two["years"] and one["verdict"] == two["verdict"]
    added = [c["name"] for c in two["comparisons"]["vendors"] if c["level"] == "chips"]
    assert added == ["AMD (MI450)"]
    mi450 = two["comparisons"]["vendors"][-1]["years"][1]  # 2026: 0.667 GW due, 0.576 GW built
    assert mi450["share_of_supply"] == pytest.approx((6 / 9) / 0.576, rel=1e-3)


def test_the_timeline_default_is_the_newest_version_with_version_2s_numbers() -> None:
    default = api.timeline().to_dict()
    assert default["assumptions"]["version"] == 4  # version 3 extended by the economics
    assert default["years"] == api.timeline(V1).to_dict()["years"]


# --- Every flow sourced, dated and of a known kind ---------------------------------------------


@pytest.mark.parametrize("raw", raw_flows(), ids=lambda f: f["name"])
def test_every_flow_has_a_dated_source_someone_outside_can_find(raw: dict[str, Any]) -> None:
    src = raw["source"]
    assert src["publisher"].strip() and src["title"].strip(), raw["name"]
    assert re.fullmatch(r"https://[^\s]+", src["url"]), src["url"]
    assert _date(src["date"]) <= SET_DATE, raw["name"]
    assert _date(raw["status_date"]) <= SET_DATE, raw["name"]
    assert raw["status"] in FLOW_STATUSES and raw["kind"] in FLOW_KINDS
    for line in raw.get("history", []):
        assert re.match(r"\d{4}(-\d{2}(-\d{2})?)? ", line), f"{raw['name']}: undated {line!r}"
    assert raw.get("note", "").strip(), f"{raw['name']}: no note"


@pytest.mark.parametrize("raw", raw_flows(), ids=lambda f: f["name"])
def test_implied_amounts_give_their_reasoning(raw: dict[str, Any]) -> None:
    if raw.get("implied"):
        assert "implied" in raw["note"].lower(), raw["name"]
        assert "=" in raw["note"] or "least" in raw["note"] or "bound" in raw["note"], raw["name"]


def test_every_flow_amount_is_in_the_dollars_of_its_kind() -> None:
    for f in flows():
        assert f.unit() in FLOW_UNITS[f.kind], f.name


def test_every_party_of_the_issue_pays_or_receives() -> None:
    seen = {f.payer for f in flows()} | {f.payee for f in flows()}
    assert seen >= PARTIES, PARTIES - seen


def test_flow_names_are_unique_and_each_deal_is_one_record() -> None:
    names = [f.name for f in flows()]
    assert len(names) == len(set(names))
    linked = [f.deal for f in flows() if f.deal is not None]
    assert len(linked) == len(set(linked)), "a deal is one record: one flow at most"
    deals = {d["name"]: d for d in data(V2)["deals"]}
    for f in flows():
        if f.deal is not None:
            assert f.deal in deals, f.name
            assert f.status == deals[f.deal]["status"], f"{f.name}: status differs from its deal"
            assert f.payer == deals[f.deal]["buyer"], f.name


def test_the_cloud_contracts_that_are_deals_carry_the_deals_dollars() -> None:
    deals = {d["name"]: d for d in data(V2)["deals"]}
    for raw in raw_flows():
        deal = deals.get(raw.get("deal", ""))
        if deal is None:
            continue
        dollars = deal.get("value") or deal["size"]
        if dollars.endswith("USD_contract"):
            assert raw["amount"] == dollars, raw["name"]


# --- The letter of intent stays visible; statuses dated ----------------------------------------


def test_nvidias_letter_of_intent_is_the_history_of_its_30b_of_equity() -> None:
    equity = flow("NVIDIA–OpenAI equity (2026 round)")
    assert (equity.kind, equity.status, equity.status_date) == ("equity", "closed", "2026-03-31")
    assert equity.amount(api.load_set(V2).parameters) == 30e9
    assert equity.history[0].startswith("2025-09-22 letter of intent")
    assert "$100B" in equity.history[0] and "$10B per GW" in equity.history[0]
    assert 100e9 / 10 == 10e9  # $100B ÷ 10 GW = $10B per GW, as the history says
    systems = flow("OpenAI–NVIDIA systems (10 GW letter of intent)")
    assert (systems.status, systems.deal, systems.implied) == ("converted", "NVIDIA–OpenAI", True)


def test_conditional_money_is_announced_not_counted() -> None:
    counted = {"contract", "closed"}
    for name in (
        "Amazon–OpenAI equity (2026 round, conditional $35B)",
        "Google–Anthropic equity (2026, conditional $30B)",
        "Amazon–Anthropic equity (2026, conditional $20B)",
        "xAI SPV–NVIDIA GPUs (Colossus 2)",
    ):
        assert flow(name).status not in counted, name
    amazon = [f for f in flows() if f.payer == "Amazon" and f.payee == "OpenAI"]
    assert sum(billions(f.amount_text or "") for f in amazon) == 50e9  # $15B + $35B
    to_anthropic = [f for f in flows() if f.payer == "Amazon" and f.payee == "Anthropic"]
    assert sum(billions(f.amount_text or "") for f in to_anthropic) == 25e9  # $5B + up to $20B


# --- The warrant, exactly ----------------------------------------------------------------------


def test_the_warrant_at_the_600_hurdle_is_exact() -> None:
    aset = api.load_set(V2, overrides={"amd_share_price": "600 USD_equity"})
    assert aset.timeline is not None
    warrants = [f for f in aset.timeline.flows if f.kind == "warrant"]
    assert [(w.payer, w.payee) for w in warrants] == [("AMD", "OpenAI"), ("AMD", "Meta")]
    for w in warrants:
        assert w.warrant is not None
        assert (w.warrant.shares, w.warrant.strike, w.warrant.share_price) == (
            160_000_000,
            0.01,
            "amd_share_price",
        )
        assert w.amount(aset.parameters) == 95_998_400_000  # 160M × ($600 − $0.01)


def test_the_warrant_at_the_2025_10_06_close() -> None:
    aset = api.load_set(V2)
    price = aset.parameters["amd_share_price"]
    assert price.quantity.to("USD_equity").magnitude == pytest.approx(203.71)
    assert round(164.67 * 1.2371, 2) == 203.71  # the 2025-10-03 close × the day's +23.71%
    assert price.range is not None
    assert (price.range.low, price.range.high, price.range.distribution) == (164.67, 600, "pert")
    w = flow("AMD–OpenAI warrant")
    assert w.amount(aset.parameters) == pytest.approx(32_592_000_000, abs=1)  # 160M × $203.70
    order = flow("OpenAI–AMD GPUs (6 GW)")
    assert order.amount(aset.parameters) == 6 * 17.5e9 == 105e9  # 6 GW × $17.5B per GW
    assert w.amount(aset.parameters) / order.amount(aset.parameters) == pytest.approx(0.3104, 1e-3)
    at_hurdle = 160_000_000 * (600 - 0.01)
    assert at_hurdle / order.amount(aset.parameters) == pytest.approx(0.9143, 1e-3)  # 91%


# --- Arithmetic the notes state ----------------------------------------------------------------


def amount(name: str) -> float:
    return billions(flow(name).amount_text or "")


def test_the_sums_the_notes_state() -> None:
    coreweave = [11.9e9, 4e9, 6.5e9]  # CoreWeave–OpenAI's three contracts (Reuters)
    assert amount("OpenAI–CoreWeave contracts") == pytest.approx(sum(coreweave))
    assert amount("Anthropic–Broadcom TPU racks") == 10e9 + 11e9  # Q3 + Q4 FY2025 orders
    assert amount("OpenAI–NVIDIA systems (10 GW letter of intent)") == 10 * 35e9
    anthropic = [
        f for f in flows() if f.payee == "Anthropic" and f.payer in ("NVIDIA", "Microsoft")
    ]
    assert sum(billions(f.amount_text or "") for f in anthropic) == 15e9  # up to $10B + $5B
    google = [f for f in flows() if f.payer == "Google" and f.payee == "Anthropic"]
    assert sum(billions(f.amount_text or "") for f in google) == 40e9  # $10B + up to $30B
    nvidia_shares = amount("NVIDIA–CoreWeave equity (2026)") / 87.20  # at $87.20 a share
    assert nvidia_shares == pytest.approx(22.94e6, rel=1e-3)
    openai_shares = amount("CoreWeave–OpenAI equity (shares with the first contract)") / 40
    assert openai_shares == 8.75e6  # at the $40 IPO price


# --- What `gwcalc flows` answers with this set ---------------------------------------------------


def sellers(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["seller"]: s for s in doc["sellers"]}


def test_amds_round_trip_is_its_warrants_at_the_share_price() -> None:
    at_close = sellers(api.flows(V2).to_dict())["AMD"]
    assert at_close["gross_nominal_usd"] == 105e9 + 100e9  # OpenAI's 6 GW + Meta's 6 GW
    assert at_close["round_trip_nominal_usd"] == pytest.approx(2 * 32_592_000_000, abs=1)
    hurdle = api.load_set(V2, overrides={"amd_share_price": "600 USD_equity"})
    at_600 = sellers(api.flows(hurdle).to_dict())["AMD"]
    assert at_600["round_trip_nominal_usd"] == 2 * 95_998_400_000
    assert at_600["round_trip_share"] == pytest.approx(191_996_800_000 / 205e9)  # ≈ 94%


def test_nvidias_equity_comes_back_only_round_a_loop_through_the_clouds() -> None:
    doc = api.flows(V2).to_dict()
    assert sellers(doc)["NVIDIA"]["round_trip_nominal_usd"] == 0  # no counted direct sale
    loop = {tuple(lp["parties"]): lp["nominal_usd"] for lp in doc["loops"]}
    assert loop[("NVIDIA", "OpenAI", "Oracle")] == 30e9  # its $30B, the smallest edge
    everything = ("contract", "closed", "converted", "announced")
    nvidia = sellers(api.flows(V2, statuses=everything).to_dict())["NVIDIA"]
    assert nvidia["gross_nominal_usd"] == 350e9 + 40e9 + 20e9  # the LOI, Oracle, the xAI vehicle
    assert nvidia["round_trip_nominal_usd"] == 30e9 + 2e9  # to OpenAI, to the xAI vehicle
