"""The unit economics of one GW of IT power for one year at steady state, as data and floats.

Inputs arrive as floats in their canonical units (gwcalc.econ.inputs plans them with pint
once); each output is a formula over the inputs and the outputs before it, evaluated in show
order. Costs are all-in dollars (hardware dollars are a part of them), revenue is revenue
dollars: where the two meet (margin, payback, break-even) the output is in nominal dollars,
compared through gwcalc.money.nominal, the one place that does so."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import NamedTuple

from gwcalc.errors import ParameterError
from gwcalc.money.nominal import nominal_dollars
from gwcalc.units.floats import BEYOND, float_fault
from gwcalc.units.registry import format_number

HOURS_PER_YEAR = 8_760.0  # 365 days of 24 hours: a year of full draw or of GPU-hours
KW_PER_GW = 1e6


class EconInput(NamedTuple):
    """One figure the model reads: its name in a set, its canonical unit, what it means."""

    name: str
    unit: str  # canonical: the set's figure is converted to it once
    label: str


class EconOutput(NamedTuple):
    """One figure the model computes: `formula` is the text explain shows, `depends` the
    inputs and outputs it reads."""

    name: str
    label: str
    unit: str
    formula: str
    depends: tuple[str, ...]
    percent: bool = False
    nominal: bool = False  # dollars of different kinds met: shown as USD_nominal, basis nominal


PER_GW_INPUTS: tuple[EconInput, ...] = (
    EconInput("all_in_cost_per_gw", "USD_all_in/GW", "all-in capex per GW of IT power"),
    EconInput("hardware_cost_per_gw", "USD/GW", "IT hardware part of the capex per GW of IT"),
    EconInput("gpus_per_gw", "gpu/GW", "accelerator packages per GW of IT power"),
    EconInput("pue", "W_facility/W", "facility power ÷ IT power"),
    EconInput("it_life", "year", "useful life of the IT hardware"),
    EconInput("facility_life", "year", "useful life of buildings, power and cooling"),
    EconInput("utilization", "", "share of accelerator-hours sold"),
    EconInput("price_per_gpu_hour", "USD_revenue/gpu/h", "price of a sold GPU-hour"),
    EconInput(
        "power_price",
        "USD_all_in/kWh_facility",
        "price of electricity per kWh drawn from the grid (facility energy)",
    ),
    EconInput(
        "other_opex_per_gw_year", "USD_all_in/GW/year", "staff, maintenance, other running costs"
    ),
    EconInput("cost_of_capital", "", "return the capital needs, per year"),
)

_CAPEX = "USD_all_in/GW"
_COST_YEAR = "USD_all_in/GW/year"  # hardware dollars are all-in dollars too (a part of them)
_NOMINAL_YEAR = "USD_nominal/GW/year"  # revenue less costs: nominal dollars, kinds met

PER_GW_OUTPUTS: tuple[EconOutput, ...] = (
    EconOutput("capex_per_gw", "capex (all-in $)", _CAPEX, "all_in_cost_per_gw",
               ("all_in_cost_per_gw",)),
    EconOutput("hardware_per_gw", "of which IT hardware (hardware $)", "USD/GW",
               "hardware_cost_per_gw", ("hardware_cost_per_gw",)),
    EconOutput("facility_capex_per_gw", "of which facility (all-in $)", _CAPEX,
               "capex − hardware", ("capex_per_gw", "hardware_per_gw")),
    EconOutput("depreciation_per_gw_year", "depreciation (all-in $ a year)", _COST_YEAR,
               "hardware ÷ it_life + facility ÷ facility_life",
               ("hardware_per_gw", "facility_capex_per_gw", "it_life", "facility_life")),
    EconOutput("capital_cost_per_gw_year", "capital cost: depreciation + return (all-in $ a year)",
               _COST_YEAR, "hardware × crf(cost_of_capital, it_life) + facility × "
               "crf(cost_of_capital, facility_life)",
               ("hardware_per_gw", "facility_capex_per_gw", "cost_of_capital", "it_life",
                "facility_life")),
    EconOutput("energy_per_gw_year", "energy at full draw all year, an upper bound (all-in $)",
               _COST_YEAR, "1 GW × pue × 8,760 h × power_price (per facility kWh)",
               ("pue", "power_price")),
    EconOutput("opex_per_gw_year", "opex: energy + other (all-in $ a year)", _COST_YEAR,
               "energy + other_opex_per_gw_year",
               ("energy_per_gw_year", "other_opex_per_gw_year")),
    EconOutput("cost_per_gw_year", "cost: capital cost + opex (all-in $ a year)", _COST_YEAR,
               "capital cost + opex", ("capital_cost_per_gw_year", "opex_per_gw_year")),
    EconOutput("revenue_per_gw_year", "revenue (revenue $ a year)", "USD_revenue/GW/year",
               "price_per_gpu_hour × gpus_per_gw × 8,760 h × utilization",
               ("price_per_gpu_hour", "gpus_per_gw", "utilization")),
    EconOutput("margin_per_gw_year", "margin: revenue − cost (nominal $ a year)", _NOMINAL_YEAR,
               "revenue − cost", ("revenue_per_gw_year", "cost_per_gw_year"), nominal=True),
    EconOutput("payback_years", "payback: capex ÷ operating cash (revenue − opex), "
               "undiscounted (never if revenue ≤ opex)", "year", "capex ÷ (revenue − opex)",
               ("capex_per_gw", "revenue_per_gw_year", "opex_per_gw_year")),
    EconOutput("cost_per_gpu_hour", "cost per available GPU-hour (all-in $)",
               "USD_all_in/gpu/h", "cost ÷ (gpus_per_gw × 8,760 h)",
               ("cost_per_gw_year", "gpus_per_gw")),
    EconOutput("break_even_utilization", "break-even utilization (> 100%: none pays)", "",
               "cost per GPU-hour ÷ price_per_gpu_hour",
               ("cost_per_gpu_hour", "price_per_gpu_hour"), percent=True),
    EconOutput("break_even_price", "break-even price per sold GPU-hour (nominal $)",
               "USD_nominal/gpu/h", "cost per GPU-hour ÷ utilization",
               ("cost_per_gpu_hour", "utilization"), nominal=True),
)  # fmt: skip


_ALL_IN = "USD_all_in/year"
_REVENUE = "USD_revenue/year"
_NOMINAL = "USD_nominal/year"

# The revenue gap by year (gwcalc.econ.by_year computes it), the market's: in show order
BY_YEAR_OUTPUTS: tuple[EconOutput, ...] = (
    EconOutput("demand_gw", "demand (GW of IT, every buyer)", "GW/year", "the timeline's demand",
               ("demand",)),
    EconOutput("ai_capex", "AI capex (all-in $)", _ALL_IN, "demand × all_in_cost_per_gw",
               ("demand_gw", "all_in_cost_per_gw")),
    EconOutput("depreciation", "depreciation of the capex since the first year (all-in $)",
               _ALL_IN, "Σ last it_life years of hardware ÷ it_life + Σ last facility_life years "
               "of facility ÷ facility_life",
               ("ai_capex", "hardware_cost_per_gw", "it_life", "facility_life")),
    EconOutput("installed_gw", "installed (GW of IT, last it_life years)", "GW",
               "Σ demand of the last it_life years", ("demand_gw", "it_life")),
    EconOutput("revenue_needed", "revenue needed: (depreciation + opex) ÷ (1 − margin) "
               "(nominal $)", _NOMINAL,
               "(depreciation + installed × opex_per_gw_year) ÷ (1 − end_user_margin)",
               ("depreciation", "installed_gw", "opex_per_gw_year", "end_user_margin"),
               nominal=True),
    EconOutput("revenue_needed_sequoia", "revenue needed, Sequoia: capex ÷ (1 − margin) "
               "(nominal $)", _NOMINAL,
               "ai_capex ÷ (1 − end_user_margin)", ("ai_capex", "end_user_margin"), nominal=True),
    EconOutput("ai_revenue", "AI revenue, every buyer (revenue $)", _REVENUE, "ai_revenue",
               ("ai_revenue",)),
    EconOutput("revenue_gap", "revenue gap: needed − AI revenue (nominal $)", _NOMINAL,
               "revenue_needed − ai_revenue", ("revenue_needed", "ai_revenue"), nominal=True),
    EconOutput("revenue_gap_sequoia", "revenue gap, Sequoia (nominal $)", _NOMINAL,
               "revenue_needed_sequoia − ai_revenue", ("revenue_needed_sequoia", "ai_revenue"),
               nominal=True),
    EconOutput("revenue_covered", "AI revenue ÷ revenue needed", "", "ai_revenue ÷ revenue_needed",
               ("ai_revenue", "revenue_needed"), percent=True),
    EconOutput("revenue_covered_sequoia", "AI revenue ÷ revenue needed, Sequoia", "",
               "ai_revenue ÷ revenue_needed_sequoia", ("ai_revenue", "revenue_needed_sequoia"),
               percent=True),
)  # fmt: skip


def figures_text(year: int | None) -> str:
    """The per-GW block's figures in words: 'figures of 2026', or "each figure's own value"."""
    return f"figures of {year}" if year is not None else "each figure's own value"


def crf(rate: float, life: float) -> float:
    """The capital recovery factor: the level payment a year, for `life` years, that repays
    1 with a return of `rate` a year: rate ÷ (1 − (1 + rate)^−life); 1 ÷ life at rate 0."""
    if not life > 0:
        raise ParameterError(f"a life of {life:g} years: a useful life must be above 0")
    if not rate > -1:
        raise ParameterError(f"a cost of capital of {rate:.0%}: it must be above −100%")
    if abs(rate) < 1e-9:  # its series, exact to r² (and free of subnormal rounding)
        return 1.0 / life + rate * (life + 1) / (2 * life)
    # −expm1(−L·log1p(r)) = 1 − (1 + r)^−L, accurate for rates near 0
    return rate / -math.expm1(-life * math.log1p(rate))


def sequoia_revenue_needed(gpu_spend: float, gpu_share: float, margin: float) -> float:
    """Sequoia's revenue needed ('AI's $600B question'): GPU spend ÷ the GPUs' share of a data
    centre's cost (giving all-in capex) ÷ (1 − the end users' margin). $150B → $600B."""
    if not 0 < gpu_share <= 1:
        raise ParameterError(f"a GPU share of cost of {gpu_share:.0%}: it must be above 0, ≤ 100%")
    if not 0 <= margin < 1:
        raise ParameterError(f"an end-user margin of {margin:.0%}: it must be from 0 to below 100%")
    return gpu_spend / gpu_share / (1 - margin)


def _payback(v: Mapping[str, float]) -> float:
    earned = v["revenue_per_gw_year"] - v["opex_per_gw_year"]
    return v["capex_per_gw"] / earned if earned > 0 else math.inf


def _ratio(top: float, bottom: float) -> float:
    """top ÷ bottom, +∞ for a positive top over 0 (a price of 0: no utilization pays)."""
    return top / bottom if bottom else math.inf


def _parts_capital(v: Mapping[str, float]) -> float:
    r = v["cost_of_capital"]
    return v["hardware_per_gw"] * crf(r, v["it_life"]) + v["facility_capex_per_gw"] * crf(
        r, v["facility_life"]
    )


_FORMULAS: dict[str, Callable[[Mapping[str, float]], float]] = {
    "capex_per_gw": lambda v: nominal_dollars(v["all_in_cost_per_gw"], "USD_all_in"),
    "hardware_per_gw": lambda v: nominal_dollars(v["hardware_cost_per_gw"], "USD"),
    "facility_capex_per_gw": lambda v: v["capex_per_gw"] - v["hardware_per_gw"],
    "depreciation_per_gw_year": lambda v: (
        v["hardware_per_gw"] / v["it_life"] + v["facility_capex_per_gw"] / v["facility_life"]
    ),
    "capital_cost_per_gw_year": _parts_capital,
    "energy_per_gw_year": lambda v: KW_PER_GW * v["pue"] * HOURS_PER_YEAR * v["power_price"],
    "opex_per_gw_year": lambda v: v["energy_per_gw_year"] + v["other_opex_per_gw_year"],
    "cost_per_gw_year": lambda v: v["capital_cost_per_gw_year"] + v["opex_per_gw_year"],
    "revenue_per_gw_year": lambda v: nominal_dollars(
        v["price_per_gpu_hour"] * v["gpus_per_gw"] * HOURS_PER_YEAR * v["utilization"],
        "USD_revenue",
    ),
    "margin_per_gw_year": lambda v: v["revenue_per_gw_year"] - v["cost_per_gw_year"],
    "payback_years": _payback,
    "cost_per_gpu_hour": lambda v: v["cost_per_gw_year"] / (v["gpus_per_gw"] * HOURS_PER_YEAR),
    "break_even_utilization": lambda v: _ratio(v["cost_per_gpu_hour"], v["price_per_gpu_hour"]),
    "break_even_price": lambda v: v["cost_per_gpu_hour"] / v["utilization"],
}


def check_inputs(values: Mapping[str, float]) -> None:
    """Refuse inputs the model cannot read: a missing one, hardware above all-in, a utilization
    of 0 or less, a negative price or cost, no GPUs."""
    missing = [i.name for i in PER_GW_INPUTS if i.name not in values]
    if missing:
        raise ParameterError(f"the economics model needs {', '.join(missing)}")
    if values["hardware_cost_per_gw"] > values["all_in_cost_per_gw"]:
        raise ParameterError(
            f"hardware_cost_per_gw (${format_number(values['hardware_cost_per_gw'])} hardware "
            f"per GW) is above all_in_cost_per_gw (${format_number(values['all_in_cost_per_gw'])} "
            "all-in per GW)",
            "the hardware is a part of the all-in capex: lower the hardware or raise the all-in",
        )
    if not values["utilization"] > 0:
        raise ParameterError(
            f"a utilization of {values['utilization']:.0%}: no GPU-hour is sold, so nothing "
            "breaks even",
            "give a utilization above 0 and at most 100%",
        )
    for name in ("gpus_per_gw", "it_life", "facility_life"):
        if not values[name] > 0:
            raise ParameterError(f"{name} is {values[name]:g}: it must be above 0")
    for name in ("price_per_gpu_hour", "power_price", "other_opex_per_gw_year", "pue"):
        if not values[name] >= 0:
            raise ParameterError(f"{name} is {values[name]:g}: it must not be negative")


def per_gw(values: Mapping[str, float], upto: str | None = None) -> dict[str, float]:
    """Every output of PER_GW_OUTPUTS from the inputs (canonical floats), in show order (with
    `upto`, those up to and including that output only)."""
    check_inputs(values)
    known: dict[str, float] = {i.name: float(values[i.name]) for i in PER_GW_INPUTS}
    out: dict[str, float] = {}
    for output in PER_GW_OUTPUTS:
        out[output.name] = known[output.name] = _FORMULAS[output.name](known)
        _check_finite(output, known)
        if output.name == upto:
            break
    return out


def _inputs_of(name: str) -> list[str]:
    """The model's inputs an output reads, directly or through other outputs, in input order."""
    outputs = {o.name: o for o in PER_GW_OUTPUTS}
    seen: set[str] = set()
    todo = [name]
    while todo:
        for read in outputs[todo.pop()].depends:
            if read not in seen:
                seen.add(read)
                todo += [read] if read in outputs else []
    return [i.name for i in PER_GW_INPUTS if i.name in seen]


def _check_finite(output: EconOutput, known: Mapping[str, float]) -> None:
    """Refuse an output beyond the range gwcalc computes with (an overflow: ∞, NaN or above
    about 1.8e305), naming the figures it reads; the designed ∞ of a payback that never comes
    (revenue ≤ opex) or of a break-even utilization at a price of 0 is kept."""
    value = known[output.name]
    if float_fault(value) != BEYOND:
        return
    reads = [known[d] for d in output.depends]
    if (
        value == math.inf
        and all(float_fault(r) is None for r in reads)
        and (output.name in ("payback_years", "break_even_utilization"))
    ):
        return
    figures = ", ".join(f"{n} = {known[n]:.4g}" for n in _inputs_of(output.name))
    raise ParameterError(
        f"{output.name} is {BEYOND}: the figures it reads overflow ({figures})",
        "give figures of an ordinary size",
    )
