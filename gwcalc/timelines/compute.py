"""The timeline: supply built and demand falling due each year, their running sums, catch-up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gwcalc.engine.outputs import SERIES, Output, Product, gap_outputs
from gwcalc.engine.plan import OutputPlan, Plan, compile_outputs, one_kind_unit
from gwcalc.errors import DimensionError, ParameterError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.specs import DEAL_STATUSES
from gwcalc.sets.time_axis import Timeline
from gwcalc.timelines.deals import DealView, deal_views
from gwcalc.timelines.views import (
    YearViews,
    mix_view,
    planned,
    structure,
    time_axis_of,
)
from gwcalc.units import DEFAULT_UNIT
from gwcalc.units.floats import BEYOND, check_normal, float_fault
from gwcalc.units.registry import (
    Q_,
    Quantity,
    Unit,
    dimensions,
    unit_text,
    ureg,
)

WAFERS = "cowos_wafers_per_year"


# ---------------------------------------------------------------- views of a set


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class YearRow:
    """One year: amounts in the timeline's unit (supply built, demand due, and running sums)."""

    year: int
    supply: float
    demand: float
    cumulative_supply: float
    cumulative_demand: float
    supply_by_chip: tuple[tuple[str, float], ...] = ()

    @property
    def gap(self) -> float:
        """Cumulative demand − cumulative supply: > 0 while supply is behind."""
        return self.cumulative_demand - self.cumulative_supply

    def values(self) -> tuple[float, ...]:
        """The year's value of each series, in SERIES order."""
        return tuple(getattr(self, s.name) for s in SERIES)


@dataclass(frozen=True)
class SupplyPart:
    """One chip's supply in one year (chip None: the set's generic chain): its planned output
    and the year's set it was planned in, whose parameters give each factor's value."""

    year: int
    chip: str | None
    plan: OutputPlan  # the chain and its factors (its quantity: of the set it was planned in)
    rates: AssumptionSet
    amount: float  # the year's supply in the timeline's unit


@dataclass(frozen=True)
class ComputedTimeline:
    """Year by year: can the supply build what was contracted, and when does it catch up?"""

    aset: AssumptionSet
    unit: Unit  # of one kind, e.g. GW
    rows: tuple[YearRow, ...]
    deals: tuple[DealView, ...]
    counted_statuses: tuple[str, ...]
    supply_parts: tuple[SupplyPart, ...]  # each year's supply, chip by chip

    @property
    def timeline(self) -> Timeline:
        assert self.aset.timeline is not None
        return self.aset.timeline

    @property
    def covered_in(self) -> int | None:
        """The catch-up year as arithmetic; a claim only when `matched` (see scopes)."""
        return covered_in(self.rows)

    @property
    def in_power(self) -> bool:
        """Whether the unit is power (IT or facility): the unit comparisons are made in. In
        another unit (wafer, gpu, die, dollars) demand converts at the set's average rates,
        not through the chips that make the supply, so a share or a claim would depend on it."""
        return set(dimensions(Q_(1.0, self.unit))) <= POWER_KINDS

    @property
    def matched(self) -> bool:
        """Like for like: the demand counts every buyer (demand_buyers = "all", owners'
        plans), the supply every vendor's chips in the mix, and both are in power; only then
        is "covered" a claim about supply and demand rather than about two different scopes."""
        return self.timeline.demand_buyers == "all" and bool(self.timeline.mix) and self.in_power

    @property
    def coverage(self) -> str:
        """Why covered_in is what it is: COVERED, NOT_COVERED or NO_DEMAND_DUE."""
        return coverage(self.rows)

    def quantity(self, value: float) -> Quantity:
        return Q_(value, self.unit)


# What covered_in's answer means: a year (from it on, supply covers the demand due), or None for
# one of two reasons: demand falls due but supply never stays ahead, or no demand falls due at all.
COVERED, NOT_COVERED, NO_DEMAND_DUE = "covered", "not-covered", "no-demand-due"


POWER_KINDS = frozenset({"[it_power]", "[facility_power]"})
CLOSE = 1e-12  # a gap within this share of the sums is zero: float rounding, not a shortfall


def behind(demand: float, supply: float) -> bool:
    """Cumulative demand above cumulative supply by more than float rounding (6 GW − 6 GW
    computed two ways may differ by 1e-15: that is not a shortfall)."""
    return demand - supply > CLOSE * max(abs(demand), abs(supply))


def demand_due(row: YearRow) -> bool:
    """Whether any counted demand has fallen due by the end of the year: before it, supply
    covers nothing, so the year is neither covered nor a catch-up year."""
    return row.cumulative_demand > 0


def covered_in(rows: Sequence[YearRow]) -> int | None:
    """The first year with demand due from which cumulative supply stays at or above cumulative
    demand to the end of the window (None if it never does, or no demand falls due in the
    window: coverage says which). A year with no demand due yet is never that year."""
    if not rows or not demand_due(rows[-1]):
        return None
    found = None
    for row in rows:
        if behind(row.cumulative_demand, row.cumulative_supply) or not demand_due(row):
            found = None
        elif found is None:
            found = row.year
    return found


def coverage(rows: Sequence[YearRow]) -> str:
    """COVERED (covered_in is a year), NOT_COVERED (demand falls due and supply is still
    behind at the end) or NO_DEMAND_DUE (no counted demand falls due in the window)."""
    if not rows or not demand_due(rows[-1]):
        return NO_DEMAND_DUE
    return NOT_COVERED if covered_in(rows) is None else COVERED


# ---------------------------------------------------------------- computing


def compute_timeline(
    aset: AssumptionSet,
    unit: str = DEFAULT_UNIT,
    first: int | None = None,
    last: int | None = None,
    statuses: Sequence[str] | None = None,
) -> ComputedTimeline:
    """Supply built and demand falling due in each year from first to last (default: the set's
    timeline), in one unit; deals count when their status is counted (default: the set's)."""
    timeline = time_axis_of(aset)
    target = one_kind_unit(unit)
    first, last = _window(aset, first, last)
    counted = _statuses(timeline, statuses)
    years = range(first, last + 1)
    cache = YearViews(aset, target)
    plans = {year: _supply_plans(cache, year) for year in years}
    deals = deal_views(aset, target, counted, cache)
    due: dict[int, float] = {}
    for view in deals:
        for year, amount in view.schedule if view.counted else ():
            due[year] = due.get(year, 0.0) + amount
    rows: list[YearRow] = []
    total_supply = total_demand = 0.0
    for year in years:
        by_chip = tuple((s.chip or "", s.amount) for s in plans[year])
        supply = sum(amount for _, amount in by_chip)
        total_supply += supply
        total_demand += due.get(year, 0.0)
        shown = by_chip if timeline.mix else ()
        rows.append(YearRow(year, supply, due.get(year, 0.0), total_supply, total_demand, shown))
    _check_amounts(rows, deals)
    parts = tuple(part for year in years for part in plans[year])
    return ComputedTimeline(aset, target, tuple(rows), deals, counted, parts)


def _window(aset: AssumptionSet, first: int | None, last: int | None) -> tuple[int, int]:
    """The years asked for (default: the set's timeline), each inside it and in order."""
    timeline = time_axis_of(aset)
    if first is not None and last is not None and first > last:
        raise ParameterError(
            f"the years are reversed: from {first} to {last}",
            f"give the earlier year first, e.g. from {last} to {first}",
        )
    outside = [
        y for y in (first, last) if y is not None and not timeline.start <= y <= timeline.end
    ]
    if outside:
        raise ParameterError(
            f"{aset.label} has a timeline from {timeline.start} to {timeline.end}; "
            f"{' and '.join(map(str, dict.fromkeys(outside)))} "
            + ("is" if len(set(outside)) == 1 else "are")
            + " outside it",
            f"choose years from {timeline.start} to {timeline.end}",
        )
    return (timeline.start if first is None else first), (timeline.end if last is None else last)


def _check_amounts(rows: Sequence[YearRow], deals: Sequence[DealView]) -> None:
    """Refuse an amount a float cannot hold (inf, or digits lost below about 2.2e-308): a
    figure so extreme would print 'inf' or a wrong number."""
    for row in rows:
        for series, value in zip(SERIES, row.values(), strict=True):
            _check_amount(value, f"{series.heading} in {row.year}")
    for view in deals:
        for year, amount in view.schedule:
            _check_amount(amount, f"deal {view.deal.name!r} in {year}")


def _check_amount(value: float, what: str) -> None:
    fault = float_fault(value)
    if fault is None:
        return  # the common case, without building a quantity
    if fault == BEYOND:
        raise DimensionError(
            f"{what} is {BEYOND}",
            "a figure on its chain is too extreme: check the figures' values and units",
        )
    check_normal(Q_(value), what, zero_ok=True)


def _statuses(timeline: Timeline, statuses: Sequence[str] | None) -> tuple[str, ...]:
    if statuses is None:
        return timeline.counted_statuses
    if isinstance(statuses, str) or not statuses:  # 'contract' would read as 'c', 'o', …
        raise ParameterError(
            f"statuses is {statuses!r}: give a list of one or more deal statuses",
            "statuses: " + ", ".join(DEAL_STATUSES),
        )
    unknown = [s for s in statuses if s not in DEAL_STATUSES]
    if unknown:
        raise ParameterError(
            f"unknown deal status {unknown[0]!r}", "statuses: " + ", ".join(DEAL_STATUSES)
        )
    return tuple(dict.fromkeys(statuses))


def supply_output(chip: str | None) -> Output:
    """Supply per year: the year's wafers (× the chip's share of them) through the chain."""
    if chip is None:
        return next(o for o in gap_outputs() if o.name == "supply_per_year")
    rule = Product((WAFERS, f"mix.{chip}"), None, True, "wafer/year")
    return Output(f"supply_per_year.{chip}", f"supply per year ({chip})", rule)


def _supply_plans(years: YearViews, year: int) -> list[SupplyPart]:
    """The year's supply: one planned output per chip of the year's mix, or the set's generic
    chain (wafers × vendor_share → GPUs → unit) when it has no mix."""
    timeline = time_axis_of(years.aset)
    if not timeline.mix:
        return [supply_part(years.view(year), year, None, years.target)]
    return [
        supply_part(mix_view(years, year, chip), year, chip, years.target)
        for chip in timeline.mix[year].shares
    ]


def supply_part(view: AssumptionSet, year: int, chip: str | None, target: Unit) -> SupplyPart:
    """One chip's supply in a year: its chain planned through pint once for every set of the
    same structure, then evaluated with this year's values as floats."""
    unit = unit_text(target)

    def plan_now() -> tuple[Plan, float]:
        plan = compile_outputs(view, (supply_output(chip),), unit)
        return plan, float((Q_(1.0, plan.outputs[0].units) * ureg.year).to(target).magnitude)

    plan, per_year, values = planned((chip, unit, structure(view)), view, plan_now)
    amount = plan.evaluate(values)[0] * per_year
    return SupplyPart(year, chip, plan.outputs[0], view, amount)


def timeline_figures(result: ComputedTimeline) -> list[str]:
    """The figures a timeline's numbers are made of: the parameters and chip figures on each
    year's supply chains and deal conversions, and NAME.YEAR for each year of a figure given
    by year that one of them uses."""
    params = result.aset.parameters
    years = set(result.timeline.years)
    found: dict[str, None] = {}

    def add(name: str, year: int) -> None:
        found[name] = None
        param = params.get(name)
        if param is not None and year in years and any(y.year == year for y in param.by_year):
            found[f"{name}.{year}"] = None

    for part in result.supply_parts:
        for f in part.plan.factors:
            add(f.parameter, part.year)
    for view in result.deals:
        for (year, _), chain in zip(view.schedule, view.factors, strict=True):
            for f in chain:
                add(f.parameter, year)
    return list(found)
