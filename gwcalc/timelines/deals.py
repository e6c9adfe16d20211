"""The deals as the timeline counts them: which count (status, same capacity), and each one's
size and schedule in the timeline's unit."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from gwcalc.engine.graph import Factor
from gwcalc.errors import RUN_OVERRIDE, DimensionError, GwcalcError, ParameterError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.sets.specs import PLAN_KINDS
from gwcalc.sets.time_axis import Deal, Timeline
from gwcalc.timelines.views import YearViews, time_axis_of
from gwcalc.units.registry import (
    Q_,
    Quantity,
    Unit,
    dimensions,
    parse_quantity,
    unit_text,
)

Counts = Callable[[Deal], bool]  # whether a deal's status (and kind) count it


@dataclass(frozen=True)
class DealView:
    """A deal as the timeline counts it: counted or not (and why), its size and schedule."""

    deal: Deal
    counted: bool
    reason: str | None  # why it is not counted
    size_given: Quantity
    schedule: tuple[tuple[int, float], ...]  # (year, amount in the timeline's unit)
    factors: tuple[tuple[Factor, ...], ...] = ()  # each year's conversion: figures, exponents
    value_check: ValueCheck | None = None  # a contract value beside a stated size: checked

    @property
    def size(self) -> float:
        return sum(amount for _, amount in self.schedule)


@dataclass(frozen=True)
class ValueCheck:
    """A contract's dollars checked against its stated size: what the dollars buy at the set's
    contract rate (value ÷ term ÷ rate per GW-year, phased as the deal is), against the size
    its source states, both in the timeline's unit. Unchecked (at_rate None) with a reason
    when the set has no contract rate or the size cannot be measured."""

    value: Quantity  # the contract's dollars (USD_contract)
    term_years: float
    rates: tuple[tuple[int, Quantity], ...]  # the contract rate in each year of the deal
    at_rate: float | None  # what the dollars buy at the rate (None: unchecked)
    stated: float | None  # the stated size
    reason: str | None = None  # why unchecked

    @property
    def checked(self) -> bool:
        return self.at_rate is not None and self.stated is not None

    @property
    def ratio(self) -> float | None:
        """What the dollars buy ÷ the stated size (1.05: the dollars buy 5% more)."""
        if self.at_rate is None or not self.stated:
            return None
        return self.at_rate / self.stated

    @property
    def rate(self) -> Quantity | None:
        """The contract rate, when it is the same in every year of the deal."""
        distinct = {(float(q.magnitude), q.units) for _, q in self.rates}
        return self.rates[0][1] if len(distinct) == 1 else None


def market_counts(timeline: Timeline, counted_statuses: Sequence[str]) -> Counts:
    """Whether a deal's status and kind count it as market demand: its status is counted,
    and when the set's demand counts every buyer (demand_buyers = "all"), it is an owner's plan
    (capex-plan, gw-plan): deals book capacity with vendors and clouds that those plans pay for,
    so at market level they would count the same machines twice (the vendor and buyer
    comparisons count them)."""
    statuses = frozenset(counted_statuses)
    if timeline.demand_buyers == "all":
        return lambda deal: deal.status in statuses and deal.kind in PLAN_KINDS
    return lambda deal: deal.status in statuses


def deal_views(
    aset: AssumptionSet,
    target: Unit,
    counted_statuses: Sequence[str],
    years: YearViews | None = None,
) -> tuple[DealView, ...]:
    """Every deal of the set: whether it counts as market demand (status, kind, same
    capacity), and its schedule."""
    timeline = time_axis_of(aset)
    years = years or YearViews(aset, target)
    by_name = {d.name: d for d in timeline.deals}
    counts = market_counts(timeline, counted_statuses)
    memo: dict[str, str | None] = {}  # each link walked once, however long the chains
    views = []
    for deal in timeline.deals:
        restated = counted_upstream(deal, by_name.get, counts, memo)
        is_counted = counts(deal) and restated is None
        # a counted status whose kind the market leaves out: say so, not a same-capacity reason
        shown = restated if counts(deal) else None
        reason = None if is_counted else _reason(deal, counted_statuses, shown)
        view = deal_view(years, deal, is_counted, reason, deal.status in counted_statuses)
        if deal.value_text is not None:
            view = replace(view, value_check=check_value(years, view))
        views.append(view)
    return tuple(views)


def counted_upstream(
    deal: Deal,
    record: Callable[[str], Deal | None],
    counts: Counts | Sequence[str],
    memo: dict[str, str | None] | None = None,
) -> str | None:
    """The deal that counts the machines `deal` restates: of the deals up its same_capacity_as
    chain (the deal it restates, the one that one restates, …), the one nearest the chain's
    head that counts (`counts`: a test of a deal, or the counted statuses); None if none does.
    A deal counts only when none does: the machines of a chain (A ← B ← C) or a tree
    (B → A ← C) are counted once, by the counted deal nearest the head. A link to a deal the
    set lacks ends the chain. memo (deal → its answer) lets a caller asking for every deal walk
    each link once (with one test of counting)."""
    if not callable(counts):
        statuses = frozenset(counts)
        counts = lambda d: d.status in statuses  # noqa: E731
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
        if found is None and counts(above):
            found = above.name
    if memo is not None:
        memo[deal.name] = found
    return found


def _reason(deal: Deal, counted: Sequence[str], restated: str | None) -> str:
    if deal.status not in counted:
        return f"{deal.status} is not a counted status ({', '.join(counted) or 'none'})"
    if restated is None:  # counted status, but a deal where the market counts plans
        return (
            "a deal, where the market counts owners' plans (which pay for its capacity); "
            "counted in the vendor and buyer comparisons"
        )
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


CONTRACT_RATE = "contract_rate_per_gw_year"


def _contract_rate(view: AssumptionSet, deal: Deal) -> Parameter:
    rate = view.parameters.get(CONTRACT_RATE)
    if rate is None:
        raise ParameterError(
            f"deal {deal.name!r} is sized in contract dollars ({deal.size_text}), which convert "
            f"to GW only through {CONTRACT_RATE}, and {view.label} has none",
            f"add {CONTRACT_RATE} (USD_contract/GW/year, sourced) to the set, or "
            f"{RUN_OVERRIDE}, e.g. '{CONTRACT_RATE}=13B USD_contract/GW/year'",
        )
    return rate


@functools.lru_cache(maxsize=64)
def contract_power(per_year_units: Unit, rate_units: Unit) -> tuple[Unit, float]:
    """Contract dollars a year ÷ a contract rate (dollars per GW-year): the power unit it
    gives (W of IT or facility power) and the scale of one unit ÷ one rate unit in it."""
    q = (Q_(1.0, per_year_units) / Q_(1.0, rate_units)).to_root_units()
    return q.units, float(q.magnitude)


@functools.lru_cache(maxsize=64)
def per_year(units: Unit) -> Unit:
    """units per year: what a contract's dollars are, spread over its term."""
    unit: Unit = (Q_(1.0, units) / Q_(1.0, "year")).units
    return unit


def deal_view(
    years: YearViews, deal: Deal, counted: bool, reason: str | None, measured: bool = False
) -> DealView:
    """A deal as the timeline sees it: its size and its amount in each year, in the target unit
    (diff --timeline measures deals with other rates through it too). A deal that cannot be
    measured is an error when it counts, or when `measured` (its status counts, so a vendor or
    buyer comparison counts it even where the market does not); otherwise it shows no amounts."""
    target = years.target
    size, units, magnitude, total = sized(deal.size_text, target)
    if deal.ai_share is not None:  # a capex plan: only its AI share is demand for compute
        magnitude *= deal.ai_share
        total = None if total is None else total * deal.ai_share
    if deal.term_years is not None and deal.value_text is None:
        # contract dollars are paid over the term: per year, they buy GW at the contract rate
        units, magnitude, total = per_year(units), magnitude / deal.term_years, None
    schedule: list[tuple[int, float]] = []
    factors: list[tuple[Factor, ...]] = []
    contract = deal.term_years is not None and deal.value_text is None
    for year, share in deal.year_shares().items():
        try:
            if contract:  # dollars a year ÷ the contract rate per GW-year = GW (IT or facility)
                rate = _contract_rate(years.view(year), deal)
                power, scale = contract_power(units, rate.quantity.units)
                factor, chain = years.factor(year, power)
                amount = magnitude * share * scale / rate.value * factor
                chain = (Factor(CONTRACT_RATE, -1), *chain)
            else:
                factor, chain = years.factor(year, units)
                amount = magnitude * share * factor
        except GwcalcError as exc:
            if not (counted or measured):
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


def check_value(years: YearViews, stated: DealView) -> ValueCheck:
    """A deal's contract value (USD_contract over term_years) against its stated size: what
    the dollars buy at each year's contract rate, phased as the deal is, in the timeline's
    unit. Never fails: a set without a contract rate, or a size that cannot be measured,
    leaves the value unchecked, with the reason."""
    deal = stated.deal
    assert deal.value_text is not None and deal.term_years is not None  # checked on reading
    value, term = parse_quantity(deal.value_text), deal.term_years
    size = stated.size if stated.schedule else None
    rates = tuple(
        (year, rate.quantity)
        for year in deal.year_shares()
        if (rate := years.view(year).parameters.get(CONTRACT_RATE)) is not None
    )

    def unchecked(reason: str) -> ValueCheck:
        return ValueCheck(value, term, rates, None, size, reason)

    if not rates:
        return unchecked(f"{years.aset.label} has no {CONTRACT_RATE}")
    if size is None:
        return unchecked(f"its size ({deal.size_text}) cannot be measured in the unit")
    as_contract = deal._replace(size_text=deal.value_text, value_text=None, ai_share=None)
    try:
        bought = deal_view(years, as_contract, True, None)
    except GwcalcError as exc:
        return unchecked(exc.message)
    return ValueCheck(value, term, rates, bought.size, size)


def checked_values(aset: AssumptionSet, target: Unit) -> dict[str, DealView]:
    """Each deal with a contract value beside its size, checked in the target unit (for a
    set's own listing, outside any timeline: never fails, an unmeasurable size is unchecked)."""
    years = YearViews(aset, target)
    out = {}
    for deal in time_axis_of(aset).deals:
        if deal.value_text is not None:
            view = deal_view(years, deal, False, None)
            out[deal.name] = replace(view, value_check=check_value(years, view))
    return out
