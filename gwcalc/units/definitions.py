"""gwcalc's own units, defined as pint definition objects (no text to parse at start-up)."""

# Small on purpose: pint's default registry is slow to load and its names collide (B is byte,
# M is molar, T is tesla). Every basis is its own dimension, so pint refuses to mix them:
#   - power: IT power (W, the default: what the servers draw) vs facility power (W_facility,
#     what the site draws from the grid); `pue` (W_facility/W) converts one into the other.
#   - counts: accelerator packages (gpu) vs compute dies (die); `dies_per_gpu` converts.
#   - money: hardware-only dollars (USD, $) vs all-in dollars (USD_all_in: hardware plus
#     buildings, power and cooling) vs contract dollars (USD_contract: what a buyer pays a cloud
#     over a contract's term, for capacity, operations and margin; converted through a contract
#     rate per GW-year, never through a capex rate) vs investment dollars (USD_equity: equity,
#     warrants, loans, guarantees one party puts into another) vs revenue dollars (USD_revenue:
#     what a seller books as revenue). Flows compare them only through one explicit function,
#     whose results are nominal dollars (USD_nominal: a label, never converted to a kind).
# Built from these tables in about 2 ms; pint's parser took about 17 ms for the same lines.

from __future__ import annotations

from collections.abc import Callable
from numbers import Number
from typing import cast

import pint
from pint.facets.plain import DimensionDefinition, PrefixDefinition, ScaleConverter, UnitDefinition
from pint.util import UnitsContainer

PREFIXES: tuple[tuple[str, float, str], ...] = (  # name, factor, symbol
    ("tera", 1e12, "T"),
    ("giga", 1e9, "G"),
    ("mega", 1e6, "M"),
    ("kilo", 1e3, "k"),
    ("milli", 1e-3, "m"),
)
# name, dimension, symbol, aliases: each the one base unit of its own dimension
BASE_UNITS: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("second", "[time]", "s", ("sec",)),
    ("wafer", "[wafer]", None, ()),  # no symbol: its name is short (pint warns on name = symbol)
    ("gpu", "[gpu_package]", None, ("GPU", "package", "pkg")),
    ("die", "[die]", None, ()),
    ("watt_it", "[it_power]", "W_IT", ("watt", "W")),
    ("watt_facility", "[facility_power]", "W_facility", ()),
    ("usd_hardware", "[hardware_money]", "USD_hw", ("USD", "dollar")),
    ("usd_all_in", "[all_in_money]", "USD_all_in", ()),
    ("usd_contract", "[contract_money]", "USD_contract", ()),
    ("usd_equity", "[equity_money]", "USD_equity", ()),
    ("usd_revenue", "[revenue_money]", "USD_revenue", ()),
    # dollars of different kinds met (revenue less costs, a gap): only ever a label of a result
    # that gwcalc.money.nominal computed on magnitudes; nothing converts into or out of it
    ("usd_nominal", "[nominal_money]", "USD_nominal", ()),
)
# name, factor, of what (units and powers), symbol, aliases: in order, each from those above
DERIVED_UNITS: tuple[tuple[str, float, dict[str, int], str, tuple[str, ...]], ...] = (
    ("minute", 60, {"second": 1}, "min", ()),
    ("hour", 60, {"minute": 1}, "h", ("hr",)),
    ("day", 24, {"hour": 1}, "d", ()),
    ("week", 7, {"day": 1}, "wk", ()),
    ("year", 365.25, {"day": 1}, "yr", ()),
    ("month", 1 / 12, {"year": 1}, "mo", ()),
    ("quarter", 1 / 4, {"year": 1}, "qtr", ()),
    ("percent", 0.01, {}, "%", ()),
    ("watt_hour_it", 1, {"watt_it": 1, "hour": 1}, "Wh_IT", ("Wh",)),
    ("watt_hour_facility", 1, {"watt_facility": 1, "hour": 1}, "Wh_facility", ()),
)


def build_registry() -> pint.UnitRegistry[float]:
    """A registry holding gwcalc's units and nothing else."""
    ureg: pint.UnitRegistry[float] = pint.UnitRegistry(
        None, cache_folder=None, autoconvert_offset_to_baseunit=False
    )
    # define() takes "str or Definition" (pint's docstring); its annotation says str | type
    define = cast(Callable[[object], None], ureg.define)
    for name, factor, prefix_symbol in PREFIXES:
        # pint hints a prefix's factor as numbers.Number, which type checkers do not see a float as
        define(PrefixDefinition(name, cast(Number, factor), prefix_symbol, ()))
    for name, dimension, base_symbol, aliases in BASE_UNITS:
        define(DimensionDefinition(dimension))
        reference = UnitsContainer({dimension: 1})
        define(UnitDefinition(name, base_symbol, aliases, ScaleConverter(1), reference))
    for name, factor, of, symbol, aliases in DERIVED_UNITS:
        converter = ScaleConverter(factor)
        define(UnitDefinition(name, symbol, aliases, converter, UnitsContainer(of)))
    return ureg
