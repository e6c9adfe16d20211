"""The parameters gwcalc knows by name: the unit each must have, its basis, and its valid range."""

from __future__ import annotations

from typing import NamedTuple


class ParamSpec(NamedTuple):
    """What a named parameter means and which values make sense for it."""

    units: tuple[str, ...]  # any one of these dimensions is accepted
    meaning: str
    minimum: float = 0.0  # exclusive unless minimum_inclusive
    maximum: float | None = None  # inclusive
    minimum_inclusive: bool = False
    required: bool = False


SPECS: dict[str, ParamSpec] = {
    "cowos_wafers_per_year": ParamSpec(
        ("wafer/year",),
        "CoWoS wafers packaged per year, all customers together",
        required=True,
    ),
    "vendor_share": ParamSpec(
        ("dimensionless",),
        "share of CoWoS capacity that goes to the modelled accelerator vendor (0 to 1)",
        maximum=1.0,
        required=True,
    ),
    "gpus_per_wafer": ParamSpec(
        ("gpu/wafer",),
        "accelerators (as counted by the set: see its note) per CoWoS wafer",
        required=True,
    ),
    "dies_per_gpu": ParamSpec(
        ("die/gpu",), "compute dies in one accelerator package", required=True
    ),
    "gpus_per_gw": ParamSpec(("gpu/GW",), "accelerator packages per GW of IT power", required=True),
    "hardware_cost_per_gw": ParamSpec(
        ("USD/GW",), "hardware-only dollars per GW of IT power", required=True
    ),
    "contracted_spend": ParamSpec(
        ("USD", "USD_all_in"),
        "contracted compute demand in dollars (hardware-only USD or all-in USD_all_in)",
        required=True,
    ),
    "pue": ParamSpec(
        ("W_facility/W",),
        "facility power per unit of IT power (power usage effectiveness)",
        minimum=1.0,
        minimum_inclusive=True,
        maximum=3.0,
    ),
    "all_in_cost_per_gw": ParamSpec(
        ("USD_all_in/GW_facility", "USD_all_in/GW"),
        "all-in dollars (hardware, buildings, power, cooling) per GW of facility or IT power",
    ),
    "contract_rate_per_gw_year": ParamSpec(
        ("USD_contract/GW/year", "USD_contract/GW_facility/year"),
        "contract dollars a buyer pays per GW of IT (or facility) power for one year of a cloud "
        "contract (capacity, operations and margin): converts a contract's dollars over its term "
        "into GW",
    ),
    "gpu_price": ParamSpec(("USD/gpu",), "hardware-only dollars per accelerator package"),
    "it_power_per_gpu": ParamSpec(("W/gpu",), "IT power drawn per accelerator package"),
    # the economics model's figures (gwcalc.econ)
    "it_life": ParamSpec(("year",), "useful (depreciation) life of the IT hardware"),
    "facility_life": ParamSpec(("year",), "useful life of buildings, power and cooling"),
    "utilization": ParamSpec(
        ("dimensionless",),
        "share of accelerator-hours sold, above 0 and at most 100% (write it with %, e.g. 70%: "
        "a bare number is read in the figure's own unit, as the set gives it)",
        maximum=1.0,
    ),
    "price_per_gpu_hour": ParamSpec(
        ("USD_revenue/gpu/h",),
        "price a GPU-hour sells for (revenue dollars)",
        minimum_inclusive=True,
    ),
    "power_price": ParamSpec(
        ("USD_all_in/kWh", "USD_all_in/kWh_facility"),
        "price of electricity drawn by the facility",
        minimum_inclusive=True,
    ),
    "other_opex_per_gw_year": ParamSpec(
        ("USD_all_in/GW/year",),
        "staff, maintenance, network and other running costs per GW of IT power a year",
        minimum_inclusive=True,
    ),
    "cost_of_capital": ParamSpec(
        ("dimensionless",), "return the capital needs a year (a rate)", minimum_inclusive=True
    ),
    "end_user_margin": ParamSpec(
        ("dimensionless",),
        "end users' gross margin on AI revenue",
        minimum_inclusive=True,
        maximum=0.99,
    ),
    "gpu_share_of_cost": ParamSpec(
        ("dimensionless",), "GPUs' share of a data centre's cost", maximum=1.0
    ),
    "ai_revenue": ParamSpec(
        ("USD_revenue/year",),
        "end users' AI revenue of the whole market a year",
        minimum_inclusive=True,
    ),
}

REQUIRED = tuple(name for name, spec in SPECS.items() if spec.required)

# Deals (format 2 sets): what kind of deal, how far it has got, and which count as demand.
DEAL_STATUSES = ("announced", "letter-of-intent", "contract", "converted", "cancelled")
# chips: a chip purchase; cloud: a contract for cloud capacity; capex-plan: a buyer's spending
# plan (its AI share counted); backlog: contracted revenue a seller reports (RPO); gw-plan: a
# buyer's stated GW of capacity; equity: money, not compute; other: an umbrella or the rest.
DEAL_KINDS = ("chips", "cloud", "capex-plan", "backlog", "gw-plan", "equity", "other")
PLAN_KINDS = ("capex-plan", "gw-plan")  # what owners plan to build: the market's demand
# [timeline] demand_buyers: "all" when the demand counts every buyer (the rest as one line), so
# that a comparison with all supply is like for like
DEMAND_BUYERS = ("all", "listed")
DEFAULT_COUNTED_STATUSES = ("contract",)

# Flows (format 2 sets): money one party pays another, of a kind whose unit says which dollars.
FLOW_STATUSES = ("announced", "letter-of-intent", "contract", "closed", "converted", "cancelled")
DEFAULT_COUNTED_FLOW_STATUSES = ("contract", "closed")
# money put into another party (investment dollars); money paid for what a seller sells
INVESTMENT_KINDS = ("equity", "warrant", "loan", "capacity-guarantee")
PAYMENT_KINDS = ("chip-order", "cloud-contract", "rental", "revenue")
FLOW_KINDS = INVESTMENT_KINDS + PAYMENT_KINDS
# each kind -> the units its amount may have (each a kind of dollars of its own)
FLOW_UNITS: dict[str, tuple[str, ...]] = {
    **{kind: ("USD_equity",) for kind in INVESTMENT_KINDS},
    "chip-order": ("USD", "USD_revenue"),
    "cloud-contract": ("USD_contract",),
    "rental": ("USD_revenue",),
    "revenue": ("USD_revenue",),
}
