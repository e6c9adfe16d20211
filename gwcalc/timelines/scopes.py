"""Comparisons at matched scopes: the market, each vendor, one buyer.

A comparison sets a demand against a supply year by year, and says what each side counts
(which buyers, which vendors). Only a like-for-like comparison may claim "covered":
- market: all demand against all supply. Like for like only when the set's demand counts every
  buyer (`demand_buyers = "all"`: the owners' plans, the rest as one line); otherwise its demand
  is some buyers' and its supply everyone's, and no covered or ahead claim is made;
- vendor: the counted records (plans or deals) whose supplier is the vendor, against the output
  of the vendor's chips. A book past the output is flagged (that holds however few buyers the
  set names); a book within it is only a share, since other buyers' orders may be missing;
- buyer: one buyer's counted records by vendor, each as a share of that vendor's output, never
  as covered.
Within a comparison, a record whose same_capacity_as chain reaches a counted record of the same
comparison is left out (its machines are counted once)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from gwcalc.errors import ParameterError
from gwcalc.sets.field_checks import nearest_name
from gwcalc.sets.ids import ascii_id, match_name
from gwcalc.sets.specs import PLAN_KINDS
from gwcalc.sets.time_axis import Deal
from gwcalc.timelines.compute import ComputedTimeline
from gwcalc.timelines.deals import DealView, counted_upstream
from gwcalc.units.registry import unit_text

# a record that names no vendor (e.g. a capex plan): in a buyer's view, set against all supply
NO_VENDOR = "(no vendor named: all supply)"


@dataclass(frozen=True)
class Side:
    """What one side of a comparison counts: which buyers and vendors (None: every one) and
    which records or chips."""

    buyers: tuple[str, ...] | None
    vendors: tuple[str, ...] | None
    counts: str  # e.g. "owners' plans", "deals", "chips in the mix"
    extra: str = ""  # what else a reader must know of it, e.g. the wafers left out
    text: str | None = None  # the whole description, when buyers and vendors cannot say it

    def describe(self) -> str:
        """'deals (buyer OpenAI; any vendor)', 'chips in the mix (every buyer; vendors …)'."""
        if self.text is not None:
            return self.text
        if self.buyers is None:
            buyers = "every buyer"
        else:
            buyers = ("buyer " if len(self.buyers) == 1 else "buyers ") + _names(self.buyers)
        if self.vendors is None:
            vendors = "any vendor"
        else:
            vendors = ("vendor " if len(self.vendors) == 1 else "vendors ") + _names(self.vendors)
        return f"{self.counts} ({buyers}; {vendors}{'; ' + self.extra if self.extra else ''})"

    def to_dict(self) -> dict[str, object]:
        return {
            "buyers": "all" if self.buyers is None else list(self.buyers),
            "vendors": "all" if self.vendors is None else list(self.vendors),
            "counts": self.counts,
            "text": self.describe(),
        }


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "none"


@dataclass(frozen=True)
class ScopeYear:
    """One year of a comparison, in the timeline's unit."""

    year: int
    supply: float
    demand: float
    cumulative_supply: float
    cumulative_demand: float

    @property
    def share(self) -> float | None:
        """Cumulative demand as a share of cumulative supply (None: no supply yet)."""
        return self.cumulative_demand / self.cumulative_supply if self.cumulative_supply else None

    @property
    def booked_past(self) -> bool:
        """Cumulative demand above cumulative supply (with demand due)."""
        return self.cumulative_demand > self.cumulative_supply and self.cumulative_demand > 0


@dataclass(frozen=True)
class Comparison:
    """Demand against supply at one scope, year by year, and whether the two sides match."""

    level: str  # "market", "vendor", "chips" (a chip line) or "buyer"
    name: str  # "market", or the vendor's name (a buyer's comparison: the vendor it is at)
    supply: Side
    demand: Side
    matched: bool  # like for like: a covered claim is allowed
    why_not: str | None  # why not, in words
    years: tuple[ScopeYear, ...]
    records: tuple[str, ...]  # the counted records' names

    @property
    def booked_past(self) -> tuple[int, ...]:
        """The years in which cumulative demand exceeds cumulative supply, for a vendor (or a
        buyer at a vendor) with supply in the set; () for the market, where that is "not
        covered", and for a vendor with no supply at all (see Scopes.no_supply)."""
        if self.level == "market" or not self.has_supply:
            return ()
        return tuple(y.year for y in self.years if y.booked_past)

    @property
    def has_supply(self) -> bool:
        return any(y.supply for y in self.years)

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "name": self.name,
            "id": ascii_id(self.name),
            "matched": self.matched,
            "why_not": self.why_not,
            "supply_scope": self.supply.to_dict(),
            "demand_scope": self.demand.to_dict(),
            "records": list(self.records),
            "booked_past_output": list(self.booked_past),
        }


@dataclass(frozen=True)
class Scopes:
    """A timeline's comparisons: the market, each vendor, and (when asked) one buyer."""

    market: Comparison
    vendors: tuple[Comparison, ...]
    buyer: tuple[Comparison, ...]  # one buyer's demand at each vendor (empty: none asked)
    buyer_name: str | None
    no_supply: tuple[str, ...]  # vendors named by counted records with no chip in the set
    unnamed: tuple[str, ...] = ()  # counted deals (not plans) that name no vendor: in no book

    @property
    def over_booked(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.vendors if c.has_supply and c.booked_past)


def compare(result: ComputedTimeline, buyer: str | None = None) -> Scopes:
    """The market, every vendor and (with `buyer`) one buyer's comparisons of a timeline."""
    ledger = _Ledger(result)
    # without a chip mix the supply is one chain, whose vendors the set does not name; in a
    # unit other than power a share would depend on the unit (see ComputedTimeline.in_power)
    names = ledger.vendor_names() if result.timeline.mix and result.in_power else ()
    vendors = tuple(ledger.vendor(v) for v in names)
    if names:  # a deal naming its chips is also set against those chips' output (a chip line)
        vendors += tuple(ledger.chip_line(chips) for chips in ledger.chip_lines())
    wanted = () if buyer is None else ledger.buyer(buyer)
    no_supply = ledger.without_supply() if names else ()
    unnamed = ledger.unnamed() if names else ()
    return Scopes(ledger.market(), vendors, wanted, buyer, no_supply, unnamed)


def check_buyer(result: ComputedTimeline, buyer: str) -> str:
    """The buyer's name (given as written or as its ASCII id), a buyer the set names with records
    counted under the run's statuses: otherwise the comparison would show nothing."""
    if not result.in_power:
        raise ParameterError(
            f"a buyer's share of each vendor's output is compared in power, not in "
            f"{unit_text(result.unit)}: demand converts at the set's average rates, not "
            "through each vendor's chips",
            "measure it in GW (IT power) or GW_facility",
        )
    buyers = _distinct(v.deal.buyer for v in result.deals)
    buyer = match_name(buyer, buyers) or buyer
    if buyer not in buyers:
        near = nearest_name(buyer, buyers)
        raise ParameterError(
            f"{result.aset.label} has no buyer {buyer!r}"
            + (f"; did you mean {near!r}?" if near else ""),
            "buyers: " + (", ".join(buyers) or "none (the set has no deals)"),
        )
    statuses = result.counted_statuses
    if not any(v.deal.buyer == buyer and v.deal.status in statuses for v in result.deals):
        raise ParameterError(
            f"none of {buyer}'s records has a counted status ({', '.join(statuses) or 'none'})",
            "count more deal statuses, or choose another buyer",
        )
    return buyer


class _Ledger:
    """A timeline's supply by vendor and its records' schedules, for slicing."""

    def __init__(self, result: ComputedTimeline) -> None:
        self.result = result
        timeline = result.timeline
        self.years = [r.year for r in result.rows]
        self.chip_vendor = {name: chip.vendor for name, chip in timeline.chips.items()}
        self.supply_by_vendor: dict[str, dict[int, float]] = {}
        for row in result.rows:
            for chip, amount in row.supply_by_chip:
                vendor = self.chip_vendor.get(chip, chip)
                by_year = self.supply_by_vendor.setdefault(vendor, {})
                by_year[row.year] = by_year.get(row.year, 0.0) + amount
        statuses = frozenset(result.counted_statuses)
        self.views = {v.deal.name: v for v in result.deals}
        self.status_counts: Callable[[Deal], bool] = lambda d: d.status in statuses

    # ------------------------------------------------------------ the three levels

    def market(self) -> Comparison:
        result, timeline = self.result, self.result.timeline
        counted = [v for v in result.deals if v.counted]
        plans = timeline.demand_buyers == "all"
        demand = Side(
            None if plans else _distinct(v.deal.buyer for v in counted),
            _vendors_of(counted),
            "owners' plans" if plans else "deals",
        )
        supply = self.supply_side(None)
        why = None
        if not result.in_power:
            why = (
                f"in {unit_text(result.unit)}, demand converts at the set's average rates, not "
                "through the chips that make the supply, so a claim would depend on the unit: "
                "comparisons are made in GW (IT or facility power)"
            )
        elif not plans:
            why = _mismatch(demand, supply)
        elif not result.timeline.mix:
            why = (
                "the demand counts every buyer, but the supply is the set's one chain (wafers × "
                "vendor_share: one vendor's share), not every vendor's chips"
            )
        years = tuple(
            ScopeYear(r.year, r.supply, r.demand, r.cumulative_supply, r.cumulative_demand)
            for r in result.rows
        )
        names = tuple(v.deal.name for v in counted)
        assert (why is None) == result.matched  # one rule for like for like
        return Comparison("market", "market", supply, demand, why is None, why, years, names)

    def vendor(self, vendor: str) -> Comparison:
        views = self.slice(lambda d: d.supplier == vendor)
        demand = Side(_distinct(v.deal.buyer for v in views), (vendor,), "records naming it")
        why = (
            f"{vendor}'s book counts only the records the set gives (other buyers' orders may "
            "be missing): a book past its output is flagged, a book within it is a share only"
        )
        return self._comparison("vendor", vendor, self.output(vendor), views, demand, why)

    def chip_lines(self) -> tuple[tuple[str, ...], ...]:
        """The distinct sets of chips counted deals name (e.g. ('MI450',))."""
        return _distinct_lines(v.deal.chips for v in self.slice(lambda d: bool(d.chips)))

    def chip_line(self, chips: tuple[str, ...]) -> Comparison:
        """The deals naming exactly these chips against those chips' output: AMD's whole
        output would hide a book past its MI450 output."""
        views = self.slice(lambda d: d.chips == chips)
        vendors = _distinct(self.chip_vendor.get(c, c) for c in chips)
        name = f"{', '.join(vendors)} ({', '.join(chips)})"
        demand = Side(_distinct(v.deal.buyer for v in views), vendors, f"records naming {name}")
        why = f"the records naming {', '.join(chips)} against those chips' output: a share only"
        output = {
            r.year: sum(a for chip, a in r.supply_by_chip if chip in chips)
            for r in self.result.rows
        }
        supply = Side(None, vendors, f"{', '.join(chips)} in the mix")
        return self._comparison("chips", name, (output, supply), views, demand, why)

    def buyer(self, buyer: str) -> tuple[Comparison, ...]:
        views = self.slice(lambda d: d.buyer == buyer)
        out = []
        named = _distinct(v.deal.supplier or NO_VENDOR for v in views)
        order = [*self.supply_by_vendor, *named]  # vendors with supply first, unnamed last
        for vendor in sorted(named, key=lambda n: (n == NO_VENDOR, order.index(n))):
            mine = [v for v in views if (v.deal.supplier or NO_VENDOR) == vendor]
            demand = Side((buyer,), (vendor,), f"{buyer}'s records")
            why = "one buyer's demand against a vendor's whole output: a share, never covered"
            supplier = None if vendor == NO_VENDOR else vendor
            out.append(self._comparison("buyer", vendor, self.output(supplier), mine, demand, why))
        return tuple(out)

    # ------------------------------------------------------------ helpers

    def slice(self, member: Callable[[Deal], bool]) -> list[DealView]:
        """The records of one comparison: counted status, in the slice, and not restating the
        machines of a counted record of the same slice."""
        deals = {name: v.deal for name, v in self.views.items()}

        def counts(deal: Deal) -> bool:
            return self.status_counts(deal) and member(deal)

        memo: dict[str, str | None] = {}
        return [
            v
            for v in self.views.values()
            if counts(v.deal) and counted_upstream(v.deal, deals.get, counts, memo) is None
        ]

    def output(self, vendor: str | None) -> tuple[dict[int, float], Side]:
        """A vendor's output by year and what it counts (None: all the supply)."""
        by_year = self.total_supply() if vendor is None else self.vendor_supply(vendor)
        return by_year, self.supply_side(vendor)

    def _comparison(
        self,
        level: str,
        name: str,
        output: tuple[dict[int, float], Side],
        views: Sequence[DealView],
        demand: Side,
        why: str,
    ) -> Comparison:
        """The records' schedules against an output, year by year (a share: no claim)."""
        due: dict[int, float] = {}
        for view in views:
            for year, amount in view.schedule:
                due[year] = due.get(year, 0.0) + amount
        years = _running(self.years, output[0], due)
        names = tuple(v.deal.name for v in views)
        return Comparison(level, name, output[1], demand, False, why, years, names)

    def supply_side(self, vendor: str | None) -> Side:
        timeline = self.result.timeline
        if not timeline.mix:
            return Side(None, None, "", text="one vendor's share of CoWoS wafers (vendor_share; "
                        "every buyer of that vendor)")  # fmt: skip
        if vendor is not None:
            return Side(None, (vendor,), f"{vendor}'s chips in the mix")
        return Side(None, tuple(self.supply_by_vendor), "chips in the mix", self.left_out())

    def left_out(self) -> str:
        """'11–30% of each year's CoWoS wafers not in the mix' (or '' when none is)."""
        years = {r.year for r in self.result.rows}
        mixes = [m for y, m in self.result.timeline.mix.items() if y in years]
        others = sorted(round(m.other * 100) for m in mixes)
        if not others or others[-1] == 0:
            return ""
        span = f"{others[0]}%" if others[0] == others[-1] else f"{others[0]}–{others[-1]}%"
        return f"{span} of each year's CoWoS wafers not in the mix"

    def total_supply(self) -> dict[int, float]:
        return {r.year: r.supply for r in self.result.rows}

    def vendor_supply(self, vendor: str) -> dict[int, float]:
        return self.supply_by_vendor.get(vendor, {})

    def vendor_names(self) -> tuple[str, ...]:
        """Vendors with chips in the mix, then vendors named by counted records."""
        named = (v.deal.supplier for v in self.slice(lambda d: d.supplier is not None))
        return _distinct([*self.supply_by_vendor, *(n for n in named if n is not None)])

    def without_supply(self) -> tuple[str, ...]:
        """Vendors named by counted records but with no chip in the set ('v1 (did you mean
        V1?)' when a chip vendor's name differs only in case or a letter)."""
        chips = list(self.supply_by_vendor)
        out = []
        for name in (v for v in self.vendor_names() if v not in self.supply_by_vendor):
            near = nearest_name(name, chips, 0.8)
            out.append(f"{name} (did you mean {near}?)" if near else name)
        return tuple(out)

    def unnamed(self) -> tuple[str, ...]:
        """Counted deals (not owners' plans, which name no vendor by nature) that name no
        vendor: they are in no vendor's book."""
        views = self.slice(lambda d: d.supplier is None and d.kind not in PLAN_KINDS)
        return tuple(v.deal.name for v in views)


def _running(
    years: Sequence[int], supply: dict[int, float], demand: dict[int, float]
) -> tuple[ScopeYear, ...]:
    out, total_s, total_d = [], 0.0, 0.0
    for year in years:
        s, d = supply.get(year, 0.0), demand.get(year, 0.0)
        total_s += s
        total_d += d
        out.append(ScopeYear(year, s, d, total_s, total_d))
    return tuple(out)


def _distinct(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _distinct_lines(lines: Iterable[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(dict.fromkeys(lines))


def _vendors_of(views: Sequence[DealView]) -> tuple[str, ...] | None:
    """The vendors behind counted records; None (every vendor) when one names none."""
    named = [v.deal.supplier for v in views]
    if any(n is None for n in named):
        return None
    return _distinct(n for n in named if n is not None)


def _mismatch(demand: Side, supply: Side) -> str:
    """Why a market comparison is not like for like, in words."""
    return (
        f"the two sides differ in scope: demand counts {demand.describe()}, supply counts "
        f"{supply.describe()}; the set's demand does not count every buyer (its "
        "demand_buyers is not 'all')"
    )
