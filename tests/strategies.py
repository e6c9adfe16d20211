"""Shared Hypothesis strategies: magnitudes, units per kind, and consistent assumption sets."""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from functools import cache
from typing import Any

from hypothesis import strategies as st

from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter, Source, validate_parameter
from gwcalc.sets.find import bundled_dir, find_set_path
from gwcalc.sets.read import load_set
from gwcalc.sets.specs import FLOW_KINDS, FLOW_STATUSES, INVESTMENT_KINDS, SPECS
from gwcalc.sets.time_axis import Period
from gwcalc.units.registry import KINDS, Q_, Quantity, dimensions, parse_unit

# ---------------------------------------------------------------- the shipped sets


@cache
def shipped(name: str) -> AssumptionSet:
    """A set shipped with gwcalc, read once (sets are immutable)."""
    return load_set(find_set_path(name, [bundled_dir()]))


SEED = shipped("seed-2025")
# Version 1 (the mid-2025 view, all-in dollars per GW of facility power): the tests of its
# arithmetic keep testing it; tests/test_versions.py covers version 2.
INDEPENDENT = shipped("independent-2026@1")
INDEPENDENT_V2 = shipped("independent-2026")  # all-in dollars per GW of IT power
BASES_2025 = shipped("bases-2025")
BASES = (SEED, INDEPENDENT, INDEPENDENT_V2, BASES_2025)

# ---------------------------------------------------------------- numbers and units

# Every kind gwcalc counts, with units a user may type for it (several scales of each).
KIND_UNITS: dict[str, tuple[str, ...]] = {
    "[wafer]": ("wafer", "kwafer"),
    "[gpu_package]": ("gpu", "GPU", "package", "kgpu", "Mgpu"),
    "[die]": ("die", "kdie"),
    "[it_power]": ("W", "kW", "MW", "GW", "TW", "GW_IT"),
    "[facility_power]": ("W_facility", "MW_facility", "GW_facility"),
    "[hardware_money]": ("USD", "USD_hw", "dollar", "$"),
    "[all_in_money]": ("USD_all_in", "kUSD_all_in"),
    "[contract_money]": ("USD_contract", "GUSD_contract"),
    "[equity_money]": ("USD_equity", "GUSD_equity"),
    "[revenue_money]": ("USD_revenue", "MUSD_revenue"),
    "[nominal_money]": ("USD_nominal", "GUSD_nominal"),
}
assert set(KIND_UNITS) == set(KINDS), "a kind was added to gwcalc: give it units here"

TIME_UNITS = ("year", "yr", "quarter", "month", "mo", "week", "day")

# Magnitudes in sane ranges: far from float overflow and underflow even after a chain of rates.
magnitudes = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False, allow_infinity=False)
factors = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)
# Any finite float that gwcalc can print and read back without overflowing.
printable_floats = st.floats(
    min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False
)
significant_digits = st.integers(min_value=1, max_value=12)


def unit_for(kind: str) -> st.SearchStrategy[str]:
    """A unit string for one kind, e.g. 'MW' for [it_power]."""
    return st.sampled_from(KIND_UNITS[kind])


def per_time() -> st.SearchStrategy[str | None]:
    """None (a total) or a time unit (a rate per that time)."""
    return st.none() | st.sampled_from(TIME_UNITS)


def unit_expr(kind_unit: str, time_unit: str | None) -> Any:
    """pint Units for 'gpu' or 'gpu/month'."""
    text = kind_unit if time_unit is None else f"{kind_unit}/{time_unit}"
    return parse_unit(text)


# ---------------------------------------------------------------- consistent sets

# Valid ranges of the parameters with bounds (vendor_share is a share, pue a ratio ≥ 1).
_BOUNDED = {
    "vendor_share": st.floats(min_value=1e-3, max_value=1.0),
    "pue": st.floats(min_value=1.0, max_value=3.0),
}


def _value(name: str, shipped_value: float) -> st.SearchStrategy[float]:
    if name in _BOUNDED:
        return _BOUNDED[name]
    return factors.map(lambda f: shipped_value * f)


def _derived(name: str, q: Quantity, unit: str) -> Parameter:
    return Parameter(name, float(q.to(parse_unit(unit)).magnitude), unit, Source("derived"))


# Figures for optional parameters a base set lacks (each then scaled by a random factor).
_OPTIONAL_DEFAULTS = {
    "all_in_cost_per_gw": (46.7e9, "USD_all_in/GW_facility"),
    "pue": (1.4, "W_facility/W"),
}


def _optional(draw: st.DrawFn, base: AssumptionSet, name: str) -> Parameter:
    if name in base.parameters:
        p = base.parameters[name]
        return replace(p, value=draw(_value(name, p.value)), range=None, group=None)
    value, unit = _OPTIONAL_DEFAULTS[name]
    return Parameter(name, draw(_value(name, value)), unit, Source("drawn"))


@st.composite
def assumption_sets(
    draw: st.DrawFn, base: AssumptionSet | None = None, cycles: bool | None = None
) -> AssumptionSet:
    """A random consistent rate graph: the required parameters of a shipped set (seed-2025,
    independent-2026 v1 or v2, or bases-2025) with random valid values, contracted spend in
    hardware or all-in dollars, a random subset of pue and all_in_cost_per_gw (both when the
    spend is all-in), and of gpu_price and it_power_per_gpu, derived so that every chain between
    two kinds gives the same answer. cycles=True adds both derived rates, False neither."""
    if base is None:
        base = draw(st.sampled_from(BASES))
    params = {
        # a drawn value is a new figure: the shipped range (around the old value) is dropped
        name: replace(p, value=draw(_value(name, p.value)), range=None, group=None)
        for name, p in base.parameters.items()
        if SPECS[name].required
    }
    spend = params["contracted_spend"]
    all_in = draw(st.booleans())
    for name in ("pue", "all_in_cost_per_gw"):
        if all_in or draw(st.booleans()):
            params[name] = _optional(draw, base, name)
    if all_in:
        params["contracted_spend"] = replace(spend, unit="USD_all_in")
    elif spend.unit == "USD_all_in":
        params["contracted_spend"] = replace(spend, unit="USD")
    aset = replace(base, parameters=params, overrides=())
    gpus_per_gw = aset.quantity("gpus_per_gw")
    derived = {
        "gpu_price": (aset.quantity("hardware_cost_per_gw") / gpus_per_gw, "USD/gpu"),
        "it_power_per_gpu": (1 / gpus_per_gw, "W/gpu"),
    }
    for name, (q, unit) in derived.items():
        if cycles or (cycles is None and draw(st.booleans())):
            params[name] = _derived(name, q, unit)
    for param in params.values():
        validate_parameter(param)  # a drawn set is one gwcalc would load
    return replace(aset, parameters=params)


def gw_equivalents(aset: AssumptionSet) -> dict[str, float]:
    """How many GW of IT power one display unit of each kind is worth in this set, from the
    parameters' meanings alone (an oracle independent of gwcalc's path search)."""

    def q(name: str) -> Quantity:
        return aset.quantity(name)

    one_gpu = (Q_(1.0, "gpu") / q("gpus_per_gw")).to("GW")
    out = {
        "[it_power]": Q_(1.0, "GW"),
        "[gpu_package]": one_gpu,
        "[die]": (Q_(1.0, "die") / q("dies_per_gpu")) * (one_gpu / Q_(1.0, "gpu")),
        "[wafer]": Q_(1.0, "wafer") * q("gpus_per_wafer") * (one_gpu / Q_(1.0, "gpu")),
        "[hardware_money]": (Q_(1.0, "USD") / q("hardware_cost_per_gw")).to("GW"),
    }
    worth = {kind: float(v.to("GW").magnitude) for kind, v in out.items()}
    # facility power: GW of IT power through pue; without pue facility power and all-in dollars
    # (at a rate per GW of facility power) are linked only to each other, so measure that
    # component in GW_facility
    pue = float(q("pue").to("W_facility/W").magnitude) if "pue" in aset else None
    worth["[facility_power]"] = 1 / pue if pue is not None else 1.0
    if "all_in_cost_per_gw" in aset:
        per_usd = Q_(1.0, "USD_all_in") / q("all_in_cost_per_gw")
        if "[facility_power]" in dimensions(per_usd):  # a rate per GW of facility power
            facility = float(per_usd.to("GW_facility").magnitude)
            worth["[all_in_money]"] = facility * worth["[facility_power]"]
        else:  # a rate per GW of IT power
            worth["[all_in_money]"] = float(per_usd.to("GW").magnitude)
    return worth


def reachable_kinds(aset: AssumptionSet, start: str) -> set[str]:
    """Kinds linked to start by the set's rates (of form kindA/kindB), found independently."""
    links: dict[str, set[str]] = {k: set() for k in KINDS}
    for param in aset.parameters.values():
        dims = dimensions(param.quantity)
        if sorted(dims.values()) == [-1, 1] and all(d in KINDS for d in dims):
            a, b = dims
            links[a].add(b)
            links[b].add(a)
    seen = {start}
    queue = deque([start])
    while queue:
        for other in links[queue.popleft()] - seen:
            seen.add(other)
            queue.append(other)
    return seen


@st.composite
def linked_kinds(draw: st.DrawFn, aset: AssumptionSet, count: int) -> list[str]:
    """count kinds (repeats allowed) that the set's rates link together."""
    first = draw(st.sampled_from(sorted(KINDS)).filter(lambda k: len(reachable_kinds(aset, k)) > 1))
    pool = sorted(reachable_kinds(aset, first))
    return [first] + [draw(st.sampled_from(pool)) for _ in range(count - 1)]


# ---------------------------------------------------------------- text for TOML round trips

# Arbitrary text, except the two-character sequence CR LF: tomli-w writes strings that contain
# a newline as TOML multi-line strings and normalises CR LF to LF there (see test_sets).
texts = st.text().filter(lambda s: "\r\n" not in s)
nonblank_texts = texts.filter(lambda s: s.strip() != "")
optional_texts = st.none() | texts.filter(lambda s: s != "")
set_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,30}", fullmatch=True)
parameter_names = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
# Dates as a set file may write them (a real date: YYYY-MM-DD, YYYY-MM or YYYY).
iso_dates = st.dates().flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])
)
# Web addresses: http(s), a host, then any text without spaces or control characters.
urls = st.builds(
    "{}://{}/{}".format,
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"[a-z0-9][a-z0-9.-]{0,20}", fullmatch=True),
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"))),
)


@st.composite
def sources(draw: st.DrawFn) -> Source:
    return Source(draw(nonblank_texts), draw(st.none() | urls), draw(st.none() | iso_dates))


@st.composite
def documented_sets(draw: st.DrawFn) -> AssumptionSet:
    """A random consistent set with random text in every free-text field, a random id and
    version, and possibly extra parameters gwcalc does not know (any positive value)."""
    aset = draw(assumption_sets())
    params = {
        name: replace(p, note=draw(optional_texts), source=draw(sources()))
        for name, p in aset.parameters.items()
    }
    for name in draw(st.lists(parameter_names, max_size=3, unique=True)):
        if name not in params and name not in SPECS:
            unit = draw(st.sampled_from(["", "gpu", "W/gpu", "USD/yr", "%"]))
            params[name] = Parameter(
                name, draw(magnitudes), unit, draw(sources()), draw(optional_texts)
            )
    return replace(
        aset,
        id=draw(set_ids),
        version=draw(st.integers(min_value=1, max_value=10**6)),
        date=draw(iso_dates),
        title=draw(texts),
        description=draw(texts),
        extends=draw(optional_texts),
        changes=tuple(draw(st.lists(texts, max_size=3))),
        parameters=params,
        path=None,
    )


# ---------------------------------------------------------------- timeline rows


@st.composite
def timeline_rows(draw: st.DrawFn) -> list[Any]:
    """A timeline's years from 2025: each year's supply and demand (demand often zero, so that
    some windows start, or stay, with none due), with their running sums."""
    from gwcalc.timelines.compute import YearRow

    amounts = st.sampled_from([0.0, 0.5, 1.0, 3.0]) | st.floats(0, 100)
    count = draw(st.integers(min_value=1, max_value=8))
    rows, total_supply, total_demand = [], 0.0, 0.0
    for i in range(count):
        supply, demand = draw(amounts), draw(st.just(0.0) | amounts)
        total_supply += supply
        total_demand += demand
        rows.append(YearRow(2025 + i, supply, demand, total_supply, total_demand))
    return rows


# ---------------------------------------------------------------- flows of money

FLOW_UNIT_TEXT = {  # each kind -> the units its amount may be written in (prefixes included)
    **{k: ("USD_equity", "GUSD_equity", "kUSD_equity") for k in INVESTMENT_KINDS},
    "chip-order": ("USD", "$", "USD_revenue", "MUSD_revenue"),
    "cloud-contract": ("USD_contract", "GUSD_contract"),
    "rental": ("USD_revenue",),
    "revenue": ("USD_revenue", "TUSD_revenue"),
}
assert set(FLOW_UNIT_TEXT) == set(FLOW_KINDS), "a flow kind was added: give it units here"
# party names: any printable text (quotes, brackets, '|', '#', non-Latin letters, emoji); control
# and invisible format characters (Cc, Cf) are refused by the reader, and tested as refused
PARTY_NAMES = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=12
    )
    .map(str.strip)
    .filter(bool)
)


def _period(draw: st.DrawFn, first: int = 2000, last: int = 2060) -> Period:
    """A year or a half-year."""
    return Period(draw(st.integers(first, last)), draw(st.sampled_from([None, 1, 2])))


@st.composite
def flow_entries(draw: st.DrawFn, parties: list[str], index: int) -> dict[str, Any]:
    """One [[flows]] entry among the parties: any kind, any counted or uncounted status, an
    amount from a dollar to a hundred trillion in any of the kind's units, any schedule."""
    payer, payee = draw(st.lists(st.sampled_from(parties), min_size=2, max_size=2, unique=True))
    kind = draw(st.sampled_from(FLOW_KINDS))
    start = _period(draw)
    entry: dict[str, Any] = {"name": f"flow {index}", "from": payer, "to": payee, "kind": kind}
    if kind == "warrant":
        entry["shares"] = draw(st.integers(1, 10**12))
        entry["strike"] = f"{draw(st.floats(0, 1e3)):.6g} USD_equity"
        entry["share_price"] = "share_price"
    else:
        unit = draw(st.sampled_from(FLOW_UNIT_TEXT[kind]))
        value = draw(st.floats(1.0, 1e14))
        scale = {"G": 1e9, "k": 1e3, "M": 1e6, "T": 1e12}.get(unit[0], 1.0)
        number = f"{value / scale:.6g}"
        entry["amount"] = f"${number}" if unit == "$" else f"{number} {unit}"
    entry["start"] = str(start)
    end = _period(draw, start.year, start.year + 10) if draw(st.booleans()) else None
    if end is not None and end != start and end.last_half() >= start.first_half():
        entry["end"] = str(end)
    entry["status"] = draw(st.sampled_from(FLOW_STATUSES))
    entry["status_date"] = "2026-01-01"
    entry["source"] = {"title": "test"}
    return entry


@st.composite
def flow_set_texts(draw: st.DrawFn, max_parties: int = 6, max_flows: int = 14) -> str:
    """A tiny set's text with flows among a few parties (each flow between two of them) and a
    share price for any warrant."""
    from tests.tiny_sets import figure, set_text, tiny_set

    parties = draw(st.lists(PARTY_NAMES, min_size=2, max_size=max_parties, unique=True))
    count = draw(st.integers(1, max_flows))
    flows = [draw(flow_entries(parties, i)) for i in range(count)]
    price = figure(draw(st.floats(0.01, 1e4)), "USD_equity")
    return set_text(tiny_set(flows=flows, parameters={"share_price": price}))
