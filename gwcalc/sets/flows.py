"""A flow of money between two parties ([[flows]] of a format 2 set), and a warrant's value."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from gwcalc.sets.figures import Parameter, Source
from gwcalc.sets.specs import INVESTMENT_KINDS
from gwcalc.sets.time_axis import Period, even_shares
from gwcalc.units.registry import parse_quantity


class Warrant(NamedTuple):
    """Shares granted at a strike price; worth shares × (price − strike), never below 0."""

    shares: float
    strike_text: str  # per share, as written ('0.01 USD_equity')
    share_price: str  # the name of the set's parameter that holds the price per share

    @property
    def strike(self) -> float:
        return float(parse_quantity(self.strike_text).to("USD_equity").magnitude)

    def value(self, price: float) -> float:
        """In USD_equity, at a price per share in USD_equity: shares × price − shares × strike
        (each product exact where it can be: 160M × $600 − 160M × $0.01 = $95,998,400,000)."""
        return max(0.0, self.shares * price - self.shares * self.strike)


class Vesting(NamedTuple):
    """Money that vests as a deal delivers power: fully at `full_text` delivered under `deal`,
    pro rata before (or in whole steps of `step_text`, the tranches, when given)."""

    deal: str  # the [[deals]] entry whose delivered power vests the flow
    full_text: str  # power delivered under it for full vesting, as written ('6 GW')
    step_text: str | None = None  # a tranche: vests only in whole steps of it ('1 GW')

    def fraction(self, delivered: float, full: float, step: float | None) -> float:
        """The share vested with `delivered` of `full` (both in one unit): delivered ÷ full,
        at most 1; with steps, only the whole steps delivered (1 GW of 6 is a sixth either way;
        0.9 GW of 6 is 0.15 pro rata, 0 in steps of 1 GW)."""
        if step is not None:
            steps = math.floor(delivered / step * (1 + 1e-12))  # 6 × (1/6) is not quite 1
            delivered = steps * step
        return max(0.0, min(1.0, delivered / full))

    def to_dict(self) -> dict[str, Any]:
        out = {"vesting_deal": self.deal, "vesting_gw": self.full_text}
        if self.step_text is not None:
            out["vesting_step"] = self.step_text
        return out


class Flow(NamedTuple):
    """Money one party pays another: equity, a loan, a chip order, a contract, rent…"""

    name: str
    payer: str  # `from` in the file
    payee: str  # `to`
    kind: str
    status: str
    status_date: str
    start: Period
    source: Source
    amount_text: str | None = None  # as written ('30B USD_equity'); None for a warrant
    warrant: Warrant | None = None
    end: Period | None = None  # None: all of it in the start period
    history: tuple[str, ...] = ()
    conditions: str | None = None
    deal: str | None = None  # the [[deals]] entry this flow is
    implied: bool = False
    note: str | None = None
    vesting: Vesting | None = None  # vests with a deal's delivered power (None: unconditional)

    @property
    def investment(self) -> bool:
        """Money put into the payee (equity, warrant, loan, guarantee), not paid for a sale."""
        return self.kind in INVESTMENT_KINDS

    @property
    def last(self) -> Period:
        return self.start if self.end is None else self.end

    def unit(self) -> str:
        """The unit its amount is in: a warrant's is investment dollars."""
        if self.amount_text is None:
            return "USD_equity"
        return _unit_name(self.amount_text)

    def amount(self, parameters: Mapping[str, Parameter]) -> float:
        """Its amount in its own unit: as written, or a warrant's at the share price the set's
        parameters give (so an override of the price moves it)."""
        if self.warrant is None:
            assert self.amount_text is not None  # the reader gives one or the other
            q = parse_quantity(self.amount_text)
            return float(q.to(self.unit()).magnitude)
        price = parameters[self.warrant.share_price].quantity.to("USD_equity").magnitude
        return self.warrant.value(float(price))

    def year_shares(self) -> dict[int, float]:
        """The share of the amount that falls in each year (evenly over its half-years)."""
        return even_shares(self.start, self.last)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "from": self.payer,
            "to": self.payee,
            "kind": self.kind,
        }
        if self.amount_text is not None:
            out["amount"] = self.amount_text
        if self.warrant is not None:
            shares = self.warrant.shares
            out["shares"] = int(shares) if shares.is_integer() else shares
            out["strike"] = self.warrant.strike_text
            out["share_price"] = self.warrant.share_price
        out["start"] = str(self.start)
        if self.end is not None:
            out["end"] = str(self.end)
        out["status"] = self.status
        out["status_date"] = self.status_date
        for key, value in (
            ("history", list(self.history)),
            ("conditions", self.conditions),
            ("deal", self.deal),
            *(self.vesting.to_dict().items() if self.vesting else ()),
            ("implied", self.implied),
            ("note", self.note),
        ):
            if value:
                out[key] = value
        out["source"] = self.source.to_dict()
        return out


def _unit_name(text: str) -> str:
    """The base unit of an amount's kind of dollars ('30B USD_equity' -> 'USD_equity')."""
    from gwcalc.units.registry import dimensions

    dims = dimensions(parse_quantity(text))
    names = {
        "[equity_money]": "USD_equity",
        "[revenue_money]": "USD_revenue",
        "[contract_money]": "USD_contract",
        "[hardware_money]": "USD",
        "[all_in_money]": "USD_all_in",
    }
    return names[next(iter(dims))]
