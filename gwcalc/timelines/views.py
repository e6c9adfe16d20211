"""A set as the timeline sees it: each year's view, a chip's view, and chains of rates planned
through pint once per structure of a set, then evaluated as floats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from gwcalc.engine.graph import Factor
from gwcalc.engine.plan import Plan, compile_conversion
from gwcalc.errors import ParameterError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.sets.time_axis import Timeline
from gwcalc.units.registry import (
    Q_,
    Quantity,
    Unit,
    dimensions,
)

GPU_DIMENSION = "[gpu_package]"


def time_axis_of(aset: AssumptionSet) -> Timeline:
    """The set's time axis, or a clean error for a set without one (a format 1 file)."""
    if aset.timeline is None:
        raise ParameterError(
            f"assumption set {aset.label} has no time axis (it is a format {aset.format} file)",
            "use sets with a [timeline] (format 2), e.g. seed-2025 or independent-2026 (the "
            "newest versions), or 'gwcalc gap' for one year's view",
        )
    return aset.timeline


def year_view(aset: AssumptionSet, year: int) -> AssumptionSet:
    """The set as it stands in one year: every parameter at its value for that year."""
    params = {name: p.at(year) for name, p in aset.parameters.items()}
    return replace(aset, parameters=params)


def chip_view(aset: AssumptionSet, chip: str) -> AssumptionSet:
    """The set with one chip's own figures in place of its generic GPU rates: every rate that
    counts GPU packages is dropped and the chip's (CHIP.packages_per_wafer, …) added."""
    timeline = aset.timeline
    if timeline is None or chip not in timeline.chips:
        known = ", ".join(timeline.chips) if timeline and timeline.chips else "none"
        raise ParameterError(
            f"assumption set {aset.label} has no chip {chip!r}", f"its chips: {known}"
        )
    params = {
        name: p
        for name, p in aset.parameters.items()
        if GPU_DIMENSION not in dimensions(p.quantity)
    }
    params.update({p.name: p for p in timeline.chips[chip].figures.values()})
    return replace(aset, parameters=params)


class YearViews:
    """Each year's view of a set, and each year's factor from a unit into the target, built
    once per run (a view builds its own graph of rates)."""

    def __init__(self, aset: AssumptionSet, target: Unit) -> None:
        self.aset, self.target = aset, target
        self.years = time_axis_of(aset).years
        self.views: dict[int, AssumptionSet] = {}
        self.factors: dict[tuple[int, Unit], tuple[float, tuple[Factor, ...]]] = {}

    def view(self, year: int) -> AssumptionSet:
        """The set in that year (outside its timeline: its one-year values)."""
        if year not in self.views:
            self.views[year] = year_view(self.aset, year) if year in self.years else self.aset
        return self.views[year]

    def factor(self, year: int, units: Unit) -> tuple[float, tuple[Factor, ...]]:
        """One `units` in the target unit through that year's rates, and the parameters (with
        exponents) whose product that factor is."""
        key = (year, units)
        if key not in self.factors:
            self.factors[key] = in_unit(Q_(1.0, units), self.target, self.view(year))
        return self.factors[key]


def mix_view(years: YearViews, year: int, chip: str) -> AssumptionSet:
    """The year's set with one chip's figures and its share of the year's wafers (mix.CHIP)."""
    aset = years.aset
    assert aset.timeline is not None
    mix = aset.timeline.mix[year]
    view = chip_view(years.view(year), chip)
    share = Parameter(f"mix.{chip}", mix.shares[chip], "", mix.source, mix.note, mix.implied)
    return replace(view, parameters={**view.parameters, share.name: share})


_PLANS: dict[tuple[object, ...], tuple[Plan, float]] = {}  # a chain's plan, by its structure
SAFE = (1e-40, 1e40)  # values within: a chain of a few of them stays a normal float at each step


def planned(
    key: tuple[object, ...], view: AssumptionSet, plan_now: Callable[[], tuple[Plan, float]]
) -> tuple[Plan, float, tuple[float, ...]]:
    """(plan, factor, the view's values in its units): the plan made for an earlier set of the
    same structure (names and units: all a chain depends on) when every value is moderate,
    else planned now through pint, which checks each step (as a first plan always is)."""
    hit = _PLANS.get(key)
    if hit is not None:
        values = hit[0].values(view)
        if all(v == 0 or SAFE[0] < abs(v) < SAFE[1] for v in values):
            return hit[0], hit[1], values
    plan, factor = plan_now()
    if hit is None:
        if len(_PLANS) > 512:
            _PLANS.clear()
        _PLANS[key] = (plan, factor)
    return plan, factor, plan.values(view)


def in_unit(q: Quantity, target: Unit, aset: AssumptionSet) -> tuple[float, tuple[Factor, ...]]:
    """q in the target unit through the set's rates, and the chain's factors: planned through
    pint once per structure of the set (its names and units), evaluated here as floats."""
    if dimensions(q) == dimensions(Q_(1.0, target)):
        return float(q.to(target).magnitude), ()
    key = ("convert", q.units, target, structure(aset))
    plan, _, values = planned(key, aset, lambda: (compile_conversion(aset, q.units, target), 1.0))
    factor = plan.evaluate(values)[0] * float(q.magnitude)
    return factor, plan.outputs[0].factors


def structure(aset: AssumptionSet) -> tuple[tuple[str, str], ...]:
    """What a chain of rates depends on: the names of the parameters and their units."""
    return tuple(sorted((n, p.unit) for n, p in aset.parameters.items()))
