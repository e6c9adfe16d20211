"""A set's figures as the economics model's floats: each converted with pint once, to the
model's canonical unit, so that the model itself is float arithmetic (plan once, evaluate many)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pint.errors import DimensionalityError

from gwcalc.econ.model import PER_GW_INPUTS, EconInput
from gwcalc.errors import DimensionError, ParameterError
from gwcalc.sets.catalog import shipped_hint, shipped_sets_with
from gwcalc.sets.ranges import parse_unit_or_dimensionless
from gwcalc.units.registry import Q_, unit_text

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.figures import Parameter

# The market's figures for the revenue gap by year (Sequoia's method and the depreciation basis)
MARKET_INPUTS: tuple[EconInput, ...] = (
    EconInput("end_user_margin", "", "end users' gross margin (Sequoia: 50%)"),
    EconInput("ai_revenue", "USD_revenue/year", "end users' AI revenue, whole market, a year"),
)
# a price per kWh of IT energy (kWh, kWh_IT): read in this unit, then converted to a price per
# facility kWh explicitly, ÷ pue (to_facility_price), and said so (IT_PRICE_NOTE)
IT_ENERGY_PRICE = "USD_all_in/kWh"
ALTERNATE_UNITS = {"power_price": IT_ENERGY_PRICE}
IT_PRICE_NOTE = (
    "power_price is given per kWh of IT energy ({unit}): it is converted to a price per kWh "
    "drawn from the grid (facility energy) ÷ pue, so that energy = 1 GW × pue × 8,760 h × "
    "price counts pue once; a price per grid kWh (EIA's prices are) is written "
    "USD_all_in/kWh_facility"
)


def check_present(aset: AssumptionSet, inputs: Sequence[EconInput]) -> None:
    """Refuse a set missing any of the inputs, naming every one missing."""
    missing = [i.name for i in inputs if i.name not in aset.parameters]
    if not missing:
        return
    having = set.intersection(*(set(shipped_sets_with(name)) for name in missing))
    them = "them" if len(missing) > 1 else "it"
    where = (
        f"; the shipped set{'s' if len(having) > 1 else ''} {', '.join(sorted(having))} "
        f"{'have' if len(having) > 1 else 'has'} {'them all' if len(missing) > 1 else 'it'}"
        if having
        else shipped_hint(missing)
    )
    raise ParameterError(
        f"assumption set {aset.label!r} has no {', '.join(missing)}: the economics model needs "
        f"{them}",
        f"add {them} to the set's file, or use a set that has {them}" + where,
    )


def to_canonical(param: Parameter, wanted: EconInput, value: float | None = None) -> float:
    """The parameter's value (or `value`, in its unit) in the input's canonical unit; a
    parameter in another dimension is a DimensionError naming it."""
    q = Q_(param.value if value is None else value, parse_unit_or_dimensionless(param.unit))
    for unit in (wanted.unit, ALTERNATE_UNITS.get(wanted.name)):
        if unit is None:
            continue
        try:
            return float(q.to(parse_unit_or_dimensionless(unit)).magnitude)
        except DimensionalityError:
            continue
    expected = unit_text(parse_unit_or_dimensionless(wanted.unit)) or "a plain fraction (or %)"
    raise DimensionError(
        f"{wanted.name} is in {param.unit or 'a plain number'}: the economics model reads it in "
        f"{expected} ({wanted.label})",
        f"give {wanted.name} in {expected}",
    )


def convert_inputs(
    aset: AssumptionSet, inputs: Sequence[EconInput], year: int | None = None
) -> dict[str, float]:
    """The inputs' values (in `year`, for a figure given by year) in their canonical units."""
    check_present(aset, inputs)
    out: dict[str, float] = {}
    for wanted in inputs:
        param = aset.parameters[wanted.name]
        out[wanted.name] = to_canonical(param if year is None else param.at(year), wanted)
    return out


def per_gw_inputs(aset: AssumptionSet, year: int | None = None) -> dict[str, float]:
    """The per-GW model's inputs from the set (in `year` for figures given by year; None: each
    figure's own value), as floats in their canonical units (power_price per facility kWh)."""
    values = convert_inputs(aset, PER_GW_INPUTS, year)
    return to_facility_price(values, price_per_it_energy(aset))


def price_per_it_energy(aset: AssumptionSet) -> bool:
    """Whether the set's power_price is given per kWh of IT energy, not per kWh drawn from the
    grid (USD_all_in/kWh_facility)."""
    param = aset.parameters.get("power_price")
    if param is None:
        return False
    unit = parse_unit_or_dimensionless(param.unit)
    return bool(Q_(1.0, unit).is_compatible_with(parse_unit_or_dimensionless(IT_ENERGY_PRICE)))


def to_facility_price(values: Mapping[str, float], per_it_energy: bool) -> dict[str, float]:
    """The inputs with a power_price given per IT kWh made a price per facility kWh: ÷ pue
    (a kWh of IT energy takes pue kWh from the grid)."""
    if not per_it_energy:
        return dict(values)
    if not values["pue"] > 0:
        raise ParameterError(
            f"pue is {values['pue']:g}: a power_price per IT kWh converts to one per facility "
            "kWh ÷ pue, which needs a pue above 0",
            "give pue above 0, or power_price in USD_all_in/kWh_facility",
        )
    return {**values, "power_price": values["power_price"] / values["pue"]}
