"""Money that vests with the power a deal delivers (a flow's vesting_deal and vesting_gw): the
share vested by the end of each year of the deal's schedule."""

from __future__ import annotations

from typing import NamedTuple

from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.flows import Flow, Vesting
from gwcalc.units.registry import parse_quantity, unit_text


class Vested(NamedTuple):
    """How much of a flow has vested by the end of a year (or of the deal): the delivered
    power, the power for full vesting (one unit), and the vested share of the amount."""

    delivered: float
    full: float
    unit: str  # of delivered and full ('GW')
    share: float  # in [0, 1]


class Schedule(NamedTuple):
    """A vesting flow's delivered power by year (cumulative, end of each year of the deal)."""

    vesting: Vesting
    delivered: tuple[tuple[int, float], ...]  # (year, GW delivered by its end), in unit
    full: float
    step: float | None
    unit: str

    def by(self, year: int | None) -> Vested:
        """Vested by the end of `year` (None: of the whole deal)."""
        done = 0.0
        for y, cumulative in self.delivered:
            if year is None or y <= year:
                done = cumulative
        share = self.vesting.fraction(done, self.full, self.step)
        return Vested(done, self.full, self.unit, share)

    def in_year(self, year: int) -> float:
        """The share of the amount that vests in `year`: vested by its end less by the last."""
        return max(0.0, self.by(year).share - self.by(year - 1).share)

    @property
    def years(self) -> tuple[int, ...]:
        """The years in which some of it vests."""
        return tuple(y for y, _ in self.delivered if self.in_year(y) > 0)


def vesting_schedule(aset: AssumptionSet, flow: Flow) -> Schedule:
    """The power a vesting flow's deal delivers, year by year as the deal is phased, in
    vesting_gw's unit (the reader checks the deal is sized in that kind of power)."""
    vesting = flow.vesting
    assert vesting is not None and aset.timeline is not None
    deal = aset.timeline.deal(vesting.deal)
    assert deal is not None  # the reader checks the name
    full = parse_quantity(vesting.full_text)
    units = full.units
    size = float(parse_quantity(deal.size_text).to(units).magnitude)
    step = parse_quantity(vesting.step_text).to(units).magnitude if vesting.step_text else None
    cumulative, delivered = 0.0, []
    for year, share in deal.year_shares().items():
        cumulative += size * share
        delivered.append((year, cumulative))
    if delivered:  # the last year delivers the rest: all of the size, exactly
        delivered[-1] = (delivered[-1][0], size)
    return Schedule(vesting, tuple(delivered), float(full.magnitude), step, unit_text(units))
