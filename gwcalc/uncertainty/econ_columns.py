"""The economics model's figures as the sampler's columns (one home: economics --samples and
sensitivity of an economics output draw them alike)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.econ.inputs import to_canonical
from gwcalc.uncertainty.distributions import distribution_of
from gwcalc.uncertainty.sampling import Column

if TYPE_CHECKING:
    from gwcalc.econ.model import EconInput
    from gwcalc.sets.assumption_set import AssumptionSet


def econ_column(aset: AssumptionSet, wanted: EconInput, year: int | None) -> Column:
    """One figure's column in a year, in the model's canonical unit; its driver is the
    parameter's (or its group's), so that every year of it moves with one draw."""
    own = aset.parameters[wanted.name]
    param = own if year is None else own.at(year)
    name = f"{wanted.name}@{year}" if year is not None else wanted.name
    dist = distribution_of(param)
    value = to_canonical(param, wanted)
    if dist is None or dist.point is not None:
        return Column(name, value)
    group = param.group or own.group
    driver = f"group:{group}" if group else f"parameter:{wanted.name}"
    return Column(name, value, dist, driver, to_canonical(param, wanted, 1.0))
