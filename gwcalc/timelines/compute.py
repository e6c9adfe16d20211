"""The timeline: supply built and demand falling due each year, their running sums, catch-up."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from gwcalc.engine.graph import Factor
from gwcalc.engine.outputs import SERIES, Output, Product, gap_outputs
from gwcalc.engine.plan import OutputPlan, Plan, compile_conversion, compile_outputs, one_kind_unit
from gwcalc.errors import DimensionError, GwcalcError, ParameterError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.sets.specs import DEAL_STATUSES
from gwcalc.sets.time_axis import Deal, Timeline
from gwcalc.units import DEFAULT_UNIT
from gwcalc.units.floats import BEYOND, check_normal, float_fault
from gwcalc.units.registry import (
    Q_,
    Quantity,
    Unit,
    dimensions,
    parse_quantity,
    unit_text,
    ureg,
)

GPU_DIMENSION = "[gpu_package]"
WAFERS = "cowos_wafers_per_year"


# ---------------------------------------------------------------- views of a set


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
        self.years = _timeline_of(aset).years
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
            self.factors[key] = _in_unit(Q_(1.0, units), self.target, self.view(year))
        return self.factors[key]


def mix_view(years: YearViews, year: int, chip: str) -> AssumptionSet:
    """The year's set with one chip's figures and its share of the year's wafers (mix.CHIP)."""
    aset = years.aset
    assert aset.timeline is not None
    mix = aset.timeline.mix[year]
    view = chip_view(years.view(year), chip)
    share = Parameter(f"mix.{chip}", mix.shares[chip], "", mix.source, mix.note, mix.implied)
    return replace(view, parameters={**view.parameters, share.name: share})


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
class DealView:
    """A deal as the timeline counts it: counted or not (and why), its size and schedule."""

    deal: Deal
    counted: bool
    reason: str | None  # why it is not counted
    size_given: Quantity
    schedule: tuple[tuple[int, float], ...]  # (year, amount in the timeline's unit)
    factors: tuple[tuple[Factor, ...], ...] = ()  # each year's conversion: figures, exponents

    @property
    def size(self) -> float:
        return sum(amount for _, amount in self.schedule)


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
        return covered_in(self.rows)

    def quantity(self, value: float) -> Quantity:
        return Q_(value, self.unit)


def covered_in(rows: Sequence[YearRow]) -> int | None:
    """The first year from which cumulative supply stays at or above cumulative demand to the
    end of the window (None if it never does, or no demand falls due in the window)."""
    if not rows or rows[-1].cumulative_demand <= 0:
        return None
    found = None
    for row in rows:
        if row.gap > 0:
            found = None
        elif found is None:
            found = row.year
    return found


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
    timeline = _timeline_of(aset)
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
    timeline = _timeline_of(aset)
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


def _timeline_of(aset: AssumptionSet) -> Timeline:
    if aset.timeline is None:
        raise ParameterError(
            f"assumption set {aset.label} has no time axis (it is a format {aset.format} file)",
            "use a set with a [timeline], e.g. -a seed-2025 or -a independent-2026 (the newest "
            "versions), or 'gwcalc gap' for one year's view",
        )
    return aset.timeline


def _statuses(timeline: Timeline, statuses: Sequence[str] | None) -> tuple[str, ...]:
    if statuses is None:
        return timeline.counted_statuses
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
    timeline = _timeline_of(years.aset)
    if not timeline.mix:
        return [supply_part(years.view(year), year, None, years.target)]
    return [
        supply_part(mix_view(years, year, chip), year, chip, years.target)
        for chip in timeline.mix[year].shares
    ]


_PLANS: dict[tuple[object, ...], tuple[Plan, float]] = {}  # a chain's plan, by its structure
SAFE = (1e-40, 1e40)  # values within: a chain of a few of them stays a normal float at each step


def _planned(
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


def supply_part(view: AssumptionSet, year: int, chip: str | None, target: Unit) -> SupplyPart:
    """One chip's supply in a year: its chain planned through pint once for every set of the
    same structure, then evaluated with this year's values as floats."""
    unit = unit_text(target)

    def plan_now() -> tuple[Plan, float]:
        plan = compile_outputs(view, (supply_output(chip),), unit)
        return plan, float((Q_(1.0, plan.outputs[0].units) * ureg.year).to(target).magnitude)

    plan, per_year, values = _planned((chip, unit, _structure(view)), view, plan_now)
    amount = plan.evaluate(values)[0] * per_year
    return SupplyPart(year, chip, plan.outputs[0], view, amount)


def deal_views(
    aset: AssumptionSet,
    target: Unit,
    counted_statuses: Sequence[str],
    years: YearViews | None = None,
) -> tuple[DealView, ...]:
    """Every deal of the set: whether it counts (status, same capacity), and its schedule."""
    timeline = _timeline_of(aset)
    years = years or YearViews(aset, target)
    by_name = {d.name: d for d in timeline.deals}
    memo: dict[str, str | None] = {}  # each link walked once, however long the chains
    views = []
    for deal in timeline.deals:
        restated = counted_upstream(deal, by_name.get, counted_statuses, memo)
        is_counted = deal.status in counted_statuses and restated is None
        reason = None if is_counted else _reason(deal, counted_statuses, restated)
        views.append(deal_view(years, deal, is_counted, reason))
    return tuple(views)


def counted_upstream(
    deal: Deal,
    record: Callable[[str], Deal | None],
    counted_statuses: Sequence[str],
    memo: dict[str, str | None] | None = None,
) -> str | None:
    """The deal that counts the machines `deal` restates: of the deals up its same_capacity_as
    chain (the deal it restates, the one that one restates, …), the one nearest the chain's
    head whose status is counted; None if none is. A deal counts only when none is: the
    machines of a chain (A ← B ← C) or a tree (B → A ← C) are counted once, by the counted deal
    nearest the head. A link to a deal the set lacks ends the chain. memo (deal → its answer)
    lets a caller asking for every deal walk each link once."""
    chain: list[Deal] = []  # the deals up the chain, nearest first
    seen, at, found = {deal.name}, deal.same_capacity_as, None
    while at is not None:
        if memo is not None and at in memo:
            found = memo[at]
            chain.append(record(at))  # type: ignore[arg-type]  # in memo: in the set
            break
        other = record(at)
        if other is None:
            break
        if at in seen:  # a file's links are checked on load; a mixed set's may loop
            raise ParameterError(
                f"same_capacity_as links loop back to deal {at!r}",
                "mark only the deal that restates the other",
            )
        chain.append(other)
        seen.add(at)
        at = other.same_capacity_as
    for above in reversed(chain):  # found: the answer for `above`, from the head down
        if memo is not None:
            memo[above.name] = found
        if found is None and above.status in counted_statuses:
            found = above.name
    if memo is not None:
        memo[deal.name] = found
    return found


def _reason(deal: Deal, counted: Sequence[str], restated: str | None) -> str:
    if deal.status not in counted:
        return f"{deal.status} is not a counted status ({', '.join(counted) or 'none'})"
    if restated == deal.same_capacity_as:
        return f"same capacity as {restated}, which is counted"
    return f"same capacity as {deal.same_capacity_as}, whose machines {restated} counts"


@functools.lru_cache(maxsize=4096)
def sized(text: str, target: Unit) -> tuple[Quantity, Unit, float, float | None]:
    """A deal's size as written: the quantity, its units, its magnitude, and its total in the
    target unit when it is of the target's kind (None: it converts through a year's rates).
    Read once per text (a set of thousands of deals repeats a few sizes)."""
    size = parse_quantity(text)
    same = dimensions(size) == dimensions(Q_(1.0, target))
    total = float(size.to(target).magnitude) if same else None
    return size, size.units, float(size.magnitude), total


def deal_view(years: YearViews, deal: Deal, counted: bool, reason: str | None) -> DealView:
    """A deal as the timeline sees it: its size and its amount in each year, in the target unit
    (diff --timeline measures deals with other rates through it too)."""
    target = years.target
    size, units, magnitude, total = sized(deal.size_text, target)
    schedule: list[tuple[int, float]] = []
    factors: list[tuple[Factor, ...]] = []
    for year, share in deal.year_shares().items():
        try:
            factor, chain = years.factor(year, units)
            amount = magnitude * share * factor
        except GwcalcError as exc:
            if not counted:
                return DealView(deal, counted, reason, size, ())
            raise DimensionError(
                f"deal {deal.name!r} ({deal.size_text}) cannot be measured in "
                f"{unit_text(target)}: {exc.message}",
                exc.hint,
            ) from exc
        schedule.append((year, amount))
        factors.append(chain)
    if schedule and total is not None:
        # the same kind as the unit: the last year takes the rest, so the amounts add up to the
        # size exactly (six halves of 1/6 would not)
        year, _ = schedule[-1]
        schedule[-1] = (year, total - sum(amount for _, amount in schedule[:-1]))
    return DealView(deal, counted, reason, size, tuple(schedule), tuple(factors))


def _in_unit(q: Quantity, target: Unit, aset: AssumptionSet) -> tuple[float, tuple[Factor, ...]]:
    """q in the target unit through the set's rates, and the chain's factors: planned through
    pint once per structure of the set (its names and units), evaluated here as floats."""
    if dimensions(q) == dimensions(Q_(1.0, target)):
        return float(q.to(target).magnitude), ()
    key = ("convert", q.units, target, _structure(aset))
    plan, _, values = _planned(key, aset, lambda: (compile_conversion(aset, q.units, target), 1.0))
    factor = plan.evaluate(values)[0] * float(q.magnitude)
    return factor, plan.outputs[0].factors


def _structure(aset: AssumptionSet) -> tuple[tuple[str, str], ...]:
    """What a chain of rates depends on: the names of the parameters and their units."""
    return tuple(sorted((n, p.unit) for n, p in aset.parameters.items()))
