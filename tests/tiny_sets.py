"""A tiny assumption set as data (as pint's `registry_tiny`): the seven figures of the gap's
chains, each with a source, and for format 2 a time axis 2025..2030. A test names only what it
changes (keyword overrides), and the set is written with tomli_w, as gwcalc writes sets.

Keep inline TOML for tests about the exact text of a file (syntax, line numbers, key spelling);
build every other whole set here. conftest.py offers the common case as fixtures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import tomli_w

from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.read import parse_set

# name: (value, unit). Supply: 1M wafers × 0.5 × 10 gpus ÷ 500k gpus per GW = 10 GW a year;
# demand: $1T ÷ $20B per GW = 50 GW.
FIGURES: dict[str, tuple[float, str]] = {
    "cowos_wafers_per_year": (1_000_000, "wafer/year"),
    "vendor_share": (0.5, ""),
    "gpus_per_wafer": (10, "gpu/wafer"),
    "dies_per_gpu": (2, "die/gpu"),
    "gpus_per_gw": (500_000, "gpu/GW"),
    "hardware_cost_per_gw": (20e9, "USD/GW"),
    "contracted_spend": (1e12, "USD"),
}
YEARS = range(2025, 2031)  # format 2's time axis
SOURCE = {"title": "test"}


def figure(value: float, unit: str, **fields: Any) -> dict[str, Any]:
    """One parameter's table: value, unit, any other fields (low, high, group, by_year…),
    and a source."""
    return {"value": value, "unit": unit, **fields, "source": dict(SOURCE)}


def by_year(values: Mapping[int, float | Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """A by_year table: each year's value, or its fields (value, low, high…)."""
    return {
        str(year): dict(v) if isinstance(v, Mapping) else {"value": v} for year, v in values.items()
    }


def deal(name: str, size: str, start: str, end: str, **fields: Any) -> dict[str, Any]:
    """One [[deals]] entry: a contracted chips deal from B to S unless fields say otherwise
    (kind, status, same_capacity_as, phasing, shares…)."""
    head = {"name": name, "buyer": "B", "seller": "S", "kind": "chips", "status": "contract"}
    return {**head, "size": size, "start": start, "end": end, **fields, "source": dict(SOURCE)}


def tiny_set(
    fmt: int = 2,
    *,
    parameters: Mapping[str, Mapping[str, Any] | None] | None = None,
    deals: Iterable[Mapping[str, Any]] = (),
    **top: Any,
) -> dict[str, Any]:
    """The tiny set as data, of format `fmt`. `parameters` changes figures field by field (a
    new name adds a figure, None drops one); `deals` are [[deals]] (format 2); any other
    keyword sets a top-level key (id, title, timeline, chips, mix…), None dropping it."""
    data: dict[str, Any] = {
        "format": fmt,
        "id": "t",
        "version": 1,
        "date": "2026-12-01",
        "title": "a tiny set for tests",
    }
    figures = {name: figure(value, unit) for name, (value, unit) in FIGURES.items()}
    for name, change in (parameters or {}).items():
        if change is None:
            figures.pop(name)
        else:
            figures[name] = {**figures.get(name, {"source": dict(SOURCE)}), **change}
    data["parameters"] = figures
    if fmt >= 2:
        data["timeline"] = {"start": YEARS[0], "end": YEARS[-1]}
    data.update(top)
    if deals:
        data["deals"] = [dict(d) for d in deals]
    return {key: value for key, value in data.items() if value is not None}


def set_text(data: Mapping[str, Any]) -> str:
    """A set's TOML text, as gwcalc writes sets."""
    return tomli_w.dumps(data)


def tiny_text(*deals: Mapping[str, Any], **changes: Any) -> str:
    """The tiny set's text with these deals and changes (tiny_set's keywords)."""
    return set_text(tiny_set(deals=deals, **changes))


def parse_tiny(*deals: Mapping[str, Any], **changes: Any) -> AssumptionSet:
    """The tiny set with these deals and changes, read through gwcalc's reader."""
    return parse_set(tiny_text(*deals, **changes))


def chip(name: str, it_power_unit: str = "W/gpu") -> dict[str, dict[str, Any]]:
    """A [chips] entry: 10 packages a wafer, 2 dies each, 2 kW each."""
    return {
        name: {
            "label": "a chip",
            "vendor": "V",
            "packages_per_wafer": figure(10, "gpu/wafer"),
            "dies_per_package": figure(2, "die/gpu"),
            "it_power_per_package": figure(2000, it_power_unit),
        }
    }


def mix(shares: Mapping[str, float], years: Iterable[int] = YEARS) -> dict[str, Any]:
    """A [mix] table: the same chip shares in every year given."""
    return {str(y): {"shares": dict(shares), "source": dict(SOURCE)} for y in years}


# ---------------------------------------------------------------- a like-for-like toy market

# Supply: chip A (vendor V1) takes 0.3 of the 1M wafers a year, B (V2) 0.2; 10 packages a wafer
# at 2 kW each: A = 300k × 10 × 2 kW = 6 GW a year, B = 4 GW a year, 10 GW in all.
MARKET_CHIPS = {**chip("A"), **chip("B")}
MARKET_CHIPS["A"]["vendor"], MARKET_CHIPS["B"]["vendor"] = "V1", "V2"
# Demand: X plans $600B of capex over 2025–2030 with half of it AI: $50B a year ÷ $50B per GW
# = 1 GW a year; Y plans 30 GW over the six years = 5 GW a year: 6 GW a year in all.
MARKET_PLANS = (
    deal("X capex", "600B USD_all_in", "2025", "2030", buyer="X", kind="capex-plan",
         seller="-", ai_share=0.5),
    deal("Y GW", "30 GW", "2025", "2030", buyer="Y", kind="gw-plan", seller="-"),
)  # fmt: skip
# Deals: X buys 12 GW of V1's chips over 2026–2027 (6 GW a year: V1 makes 6, so 50% of its
# output to the end of 2026); Y rents 10 GW on V2's chips in 2026 (V2 made 8 GW by then: 125%).
MARKET_DEALS = (
    deal("X–V1", "12 GW", "2026", "2027", buyer="X", seller="V1"),
    deal("Y–cloud", "10 GW", "2026", "2026", buyer="Y", seller="cloud", kind="cloud", vendor="V2"),
)


def market(all_in: Mapping[str, Any] | None = None, **timeline: Any) -> dict[str, Any]:
    """tiny_set's keywords for the toy market: two vendors' chips, the all-in rate (fields of
    all_in_cost_per_gw, e.g. low and high), and [timeline] keys (e.g. demand_buyers)."""
    rate = {**figure(50e9, "USD_all_in/GW"), **(all_in or {})}
    return {
        "chips": MARKET_CHIPS,
        "mix": mix({"A": 0.3, "B": 0.2}),
        "parameters": {"all_in_cost_per_gw": rate, "pue": figure(1.3, "W_facility/W")},
        "timeline": {"start": YEARS[0], "end": YEARS[-1], **timeline},
    }


def market_text(all_in: Mapping[str, Any] | None = None, **timeline: Any) -> str:
    """The toy market whose demand counts every buyer (a like-for-like comparison)."""
    timeline.setdefault("demand_buyers", "all")
    return tiny_text(*MARKET_PLANS, *MARKET_DEALS, **market(all_in, **timeline))


# ---------------------------------------------------------------- flows of money


def flow(
    name: str,
    payer: str,
    payee: str,
    kind: str,
    amount: str | None,
    start: str = "2026",
    **fields: Any,
) -> dict[str, Any]:
    """One [[flows]] entry, closed on 2026-02-27 unless fields say otherwise (status, end,
    deal, history…); amount None leaves it out (a warrant gives shares, strike, share_price)."""
    head = {"name": name, "from": payer, "to": payee, "kind": kind}
    if amount is not None:
        head["amount"] = amount
    tail = {"start": start, "status": "closed", "status_date": "2026-02-27"}
    return {**head, **tail, **fields, "source": dict(SOURCE)}  # fmt: skip


# The articles' money, in miniature: NVIDIA's $30B of equity in OpenAI (which replaced a $100B
# letter of intent), AMD's warrant for 160M shares at $0.01 (worth 160M × ($165 − $0.01) at the
# price below), OpenAI's orders for AMD's and NVIDIA's chips, OpenAI's Oracle contract and
# Oracle's NVIDIA chips. Round trips: AMD 26.3984B of 120B, NVIDIA 30B of 40B from OpenAI.
MONEY_FLOWS = (
    flow("NVIDIA–OpenAI equity", "NVIDIA", "OpenAI", "equity", "30B USD_equity",
         history=["2025-09-22 letter of intent: up to $100B, $10B per GW deployed"]),
    flow("AMD–OpenAI warrant", "AMD", "OpenAI", "warrant", None, shares=160_000_000,
         strike="0.01 USD_equity", share_price="amd_share_price",
         conditions="vests as OpenAI deploys AMD GPUs and as AMD's price reaches $600"),
    flow("OpenAI–AMD chips", "OpenAI", "AMD", "chip-order", "$120B", start="2026-H2",
         end="2030", status="contract"),
    flow("OpenAI–NVIDIA systems", "OpenAI", "NVIDIA", "chip-order", "40B USD_revenue",
         end="2027"),
    flow("OpenAI–Oracle", "OpenAI", "Oracle", "cloud-contract", "300B USD_contract",
         start="2027", end="2031", status="contract"),
    flow("Oracle–NVIDIA chips", "Oracle", "NVIDIA", "chip-order", "$40B", end="2027"),
    flow("NVIDIA–OpenAI letter of intent", "NVIDIA", "OpenAI", "equity", "100B USD_equity",
         start="2026-H2", end="2030", status="converted", status_date="2026-02-27"),
)  # fmt: skip
AMD_SHARE_PRICE = {"amd_share_price": figure(165, "USD_equity", low=100, high=600)}


def money_set(*flows: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """tiny_set's data with these flows (default MONEY_FLOWS) and AMD's share price."""
    params = {**AMD_SHARE_PRICE, **changes.pop("parameters", {})}
    return tiny_set(flows=[dict(f) for f in flows or MONEY_FLOWS], parameters=params, **changes)
