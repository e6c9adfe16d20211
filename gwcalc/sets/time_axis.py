"""A set's time axis (format 2): values by year, a chip catalogue, the chip mix and the deals."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from gwcalc.errors import ParameterError
from gwcalc.sets.field_checks import read_year
from gwcalc.sets.figures import Parameter, Source
from gwcalc.sets.specs import DEFAULT_COUNTED_FLOW_STATUSES, DEFAULT_COUNTED_STATUSES

if TYPE_CHECKING:
    from gwcalc.sets.flows import Flow

# A chip's figures: field name -> (unit they must have, required)
CHIP_FIGURES: dict[str, tuple[str, bool]] = {
    "packages_per_wafer": ("gpu/wafer", True),
    "dies_per_package": ("die/gpu", True),
    "it_power_per_package": ("W/gpu", True),
    "price": ("USD/gpu", False),
}


class _NoEntries(Mapping[Any, Any]):
    """An empty mapping no one can change: the records' shared default (it copies and
    pickles, as a read-only proxy of a dict would not)."""

    def __getitem__(self, key: object) -> NoReturn:
        raise KeyError(key)

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"


NO_ENTRIES: Mapping[Any, Any] = _NoEntries()
PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<half>H[12]))?")


class Chip(NamedTuple):
    """One chip of the catalogue: its figures are parameters named CHIP.FIELD."""

    name: str
    label: str
    vendor: str
    figures: Mapping[str, Parameter]  # field -> Parameter named f"{name}.{field}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "vendor": self.vendor}
        for key, param in self.figures.items():
            out[key] = param.to_dict()
        return out


class Mix(NamedTuple):
    """Which chips one year's CoWoS wafers make: shares of all of that year's wafers."""

    year: int
    shares: Mapping[str, float]  # chip -> share of the year's wafers (sum ≤ 1)
    source: Source
    note: str | None = None
    implied: bool = False

    @property
    def other(self) -> float:
        """The share of wafers that make chips outside the catalogue (not counted)."""
        return max(0.0, 1.0 - sum(self.shares.values()))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"shares": dict(self.shares)}
        if self.implied:
            out["implied"] = True
        if self.note:
            out["note"] = self.note
        out["source"] = self.source.to_dict()
        return out


class Period(NamedTuple):
    """A year, or a half-year ('2026-H2'): where a deal starts or ends."""

    year: int
    half: int | None = None  # 1 or 2; None: the whole year

    @staticmethod
    def parse(text: str) -> Period:
        found = PERIOD.fullmatch(text)
        if found is None:
            raise ValueError(f"{text[:40]!r} is not a year ('2027') or a half-year ('2026-H2')")
        try:
            year = read_year(found["year"])
        except ParameterError as exc:
            raise ValueError(exc.message) from None
        half = found["half"]
        return Period(year, int(half[1]) if half else None)

    def first_half(self) -> int:
        """Index of its first half-year (year × 2 + 0 for H1, + 1 for H2)."""
        return self.year * 2 + (1 if self.half == 2 else 0)

    def last_half(self) -> int:
        return self.year * 2 + (0 if self.half == 1 else 1)

    def __str__(self) -> str:
        return f"{self.year}" if self.half is None else f"{self.year}-H{self.half}"


def even_shares(start: Period, end: Period) -> dict[int, float]:
    """Each year's share of an amount spread evenly over the half-years from start to end
    ('2026-H2' to '2029' is 7 halves: 1/7 in 2026, 2/7 in each year after)."""
    first, last = start.first_half(), end.last_half()
    count = last - first + 1
    out: dict[int, float] = {}
    for half in range(first, last + 1):
        out[half // 2] = out.get(half // 2, 0.0) + 1.0 / count
    return out


class Deal(NamedTuple):
    """A compute deal: who buys what from whom, how large, when, and how sure it is."""

    name: str
    buyer: str
    seller: str
    kind: str
    status: str
    size_text: str  # as written, e.g. "6 GW" or "$300B" (its unit says the basis)
    start: Period
    end: Period
    source: Source
    phasing: str = "even"  # "even" over the half-years, or "shares" by year
    shares: Mapping[int, float] = NO_ENTRIES
    phasing_implied: bool = False
    size_implied: bool = False  # no source states the size (derived: the note shows how)
    same_capacity_as: str | None = None
    note: str | None = None
    vendor: str | None = None  # whose chip output stands behind it (None: the seller's, for chips)
    term_years: float | None = None  # a contract's term: its dollars are paid over these years
    value_text: str | None = None  # a contract's dollars when its size is stated in GW (checked)
    ai_share: float | None = None  # of a capex plan: the share of the size that is AI compute
    chips: tuple[str, ...] = ()  # the catalogue's chips its capacity runs on (a chip line)

    @property
    def supplier(self) -> str | None:
        """The vendor whose output this demand draws on: the deal's vendor, else the seller of
        a chip purchase; None when the set does not say (e.g. a capex plan)."""
        if self.vendor is not None:
            return self.vendor
        return self.seller if self.kind == "chips" else None

    def year_shares(self) -> dict[int, float]:
        """The share of the deal that falls due in each year (summing to 1)."""
        if self.phasing == "shares":
            return dict(sorted(self.shares.items()))
        return even_shares(self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "buyer": self.buyer,
            "seller": self.seller,
            "kind": self.kind,
            "status": self.status,
            "size": self.size_text,
            "start": str(self.start),
            "end": str(self.end),
            "phasing": self.phasing,
        }
        if self.phasing == "shares":
            out["shares"] = {str(y): s for y, s in sorted(self.shares.items())}
        if self.phasing_implied:
            out["phasing_implied"] = True
        if self.size_implied:
            out["size_implied"] = True
        if self.same_capacity_as:
            out["same_capacity_as"] = self.same_capacity_as
        if self.vendor is not None:
            out["vendor"] = self.vendor
        if self.term_years is not None:
            out["term_years"] = self.term_years
        if self.value_text is not None:
            out["value"] = self.value_text
        if self.ai_share is not None:
            out["ai_share"] = self.ai_share
        if self.chips:
            out["chips"] = list(self.chips)
        if self.note:
            out["note"] = self.note
        out["source"] = self.source.to_dict()
        return out


class Timeline(NamedTuple):
    """A set's time axis: the years it covers, what counts as demand, chips, mix and deals, and
    the flows of money between parties."""

    start: int
    end: int
    counted_statuses: tuple[str, ...] = DEFAULT_COUNTED_STATUSES
    supply_scope: str = ""
    demand_scope: str = ""
    demand_buyers: str = "listed"  # "all": the demand counts every buyer (see DEMAND_BUYERS)
    chips: Mapping[str, Chip] = NO_ENTRIES
    mix: Mapping[int, Mix] = NO_ENTRIES
    deals: tuple[Deal, ...] = ()
    counted_flow_statuses: tuple[str, ...] = DEFAULT_COUNTED_FLOW_STATUSES
    flows: tuple[Flow, ...] = ()
    flow_caveats: tuple[str, ...] = ()  # what is known to be wrong with the money

    @property
    def years(self) -> range:
        return range(self.start, self.end + 1)

    def deal(self, name: str) -> Deal | None:
        return next((d for d in self.deals if d.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """The sections a format 2 file adds after its parameters."""
        head: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "counted_statuses": list(self.counted_statuses),
        }
        if self.supply_scope:
            head["supply_scope"] = self.supply_scope
        if self.demand_scope:
            head["demand_scope"] = self.demand_scope
        if self.demand_buyers != "listed":
            head["demand_buyers"] = self.demand_buyers
        if self.counted_flow_statuses != DEFAULT_COUNTED_FLOW_STATUSES:
            head["counted_flow_statuses"] = list(self.counted_flow_statuses)
        if self.flow_caveats:
            head["flow_caveats"] = list(self.flow_caveats)
        out: dict[str, Any] = {"timeline": head}
        if self.chips:
            out["chips"] = {name: chip.to_dict() for name, chip in self.chips.items()}
        if self.mix:
            out["mix"] = {str(y): m.to_dict() for y, m in sorted(self.mix.items())}
        if self.deals:
            out["deals"] = [d.to_dict() for d in self.deals]
        if self.flows:
            out["flows"] = [f.to_dict() for f in self.flows]
        return out
