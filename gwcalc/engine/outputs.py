"""Outputs as data: what each result counts and how it is built from parameters or other outputs."""

from __future__ import annotations

from typing import NamedTuple


class Product(NamedTuple):
    """Parameters multiplied into a start quantity, then carried along the set's chain of rates
    into a unit (the chain is found once per set from the unit graph)."""

    start: tuple[str, ...]  # parameters multiplied into the start quantity (a run may give it)
    unit: str | None = None  # the result's unit; None: the unit the run asks for (e.g. GW)
    per_year: bool = False  # the result is that unit per year
    start_unit: str | None = None  # the unit the start quantity is shown in, e.g. wafer/year


class Combination(NamedTuple):
    """Two other outputs combined: left − right, or left ÷ right (each times a duration)."""

    op: str  # "difference" or "ratio"
    left: str
    right: str
    unit: str | None = None  # None: the run's unit
    left_times: str | None = None  # e.g. "1 year": a year of a rate
    right_times: str | None = None


class Output(NamedTuple):
    """One output: its name (the JSON key), a label, what it counts, and how it is built."""

    name: str
    label: str
    rule: Product | Combination
    counts: str | None = None  # None: described from its unit (e.g. "IT power per year")
    shown: bool = True  # in the tables and the JSON (False: an intermediate result)
    percent: bool = False  # a ratio shown as a percentage
    bar: str | None = None  # "scale": bars against the largest; "fraction": bar of the value
    sig: int = 4  # significant digits in tables
    path_key: str | None = None  # JSON key listing the parameters along its chain
    attributed_in_table: bool = False  # diff's table shows which input moved it


GAP_OUTPUTS: tuple[Output, ...] = (
    Output(
        "wafers_per_year",
        "wafers per year",
        Product(("cowos_wafers_per_year", "vendor_share"), "wafer", True, "wafer/year"),
        shown=False,
    ),
    Output(
        "supply_per_year",
        "supply per year",
        Product(("cowos_wafers_per_year", "vendor_share"), None, True, "wafer/year"),
        bar="scale",
        path_key="supply_path",
        attributed_in_table=True,
    ),
    Output(
        "demand",
        "contracted demand",
        Product(("contracted_spend",)),
        bar="scale",
        path_key="demand_path",
        attributed_in_table=True,
    ),
    Output(
        "gap",
        "gap",
        Combination("difference", "demand", "supply_per_year", right_times="1 year"),
        counts="demand − one year of supply",
        attributed_in_table=True,
    ),
    Output(
        "coverage",
        "coverage",
        Combination("ratio", "supply_per_year", "demand", "dimensionless", left_times="1 year"),
        counts="one year of supply ÷ demand",
        percent=True,
        bar="fraction",
    ),
    Output(
        "years_to_cover",
        "years to cover",
        Combination("ratio", "demand", "supply_per_year", "year"),
        counts="demand ÷ supply per year",
        sig=3,
    ),
)
DEMAND = "demand"  # the output a run may give a start quantity for (--demand in the CLI)


def gap_outputs() -> tuple[Output, ...]:
    """The gap's outputs, read at call time (so a definition added to GAP_OUTPUTS flows
    everywhere)."""
    return GAP_OUTPUTS


class Series(NamedTuple):
    """One series of the timeline, a number a year in the timeline's unit: its name (the key in
    JSON and CSV, and the attribute of YearRow) and its heading in tables."""

    name: str
    heading: str


# The timeline's series, in the order every format shows them: data, as the gap's outputs are.
SERIES = (
    Series("supply", "supply"),
    Series("demand", "demand"),
    Series("cumulative_supply", "Σ supply"),
    Series("cumulative_demand", "Σ demand"),
    Series("gap", "gap"),
)
SERIES_NAMES = tuple(s.name for s in SERIES)
