"""Each seller's round trip (how much of what a buyer paid it was money it had sent that buyer)
and each party's money in and out by kind."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from gwcalc.money.nominal import money_sum, nominal_dollars
from gwcalc.money.select import CountedFlow


class KindAmount(NamedTuple):
    """Money of one flow kind in one kind of dollars (a chip order may be in USD or
    USD_revenue: each is its own line)."""

    kind: str
    amount: float
    unit: str

    @property
    def nominal(self) -> float:
        return nominal_dollars(self.amount, self.unit)


def by_kind(flows: Iterable[CountedFlow]) -> tuple[KindAmount, ...]:
    """The flows' amounts summed by kind and unit, in the order each first appears."""
    sums: dict[tuple[str, str], list[float]] = {}
    for c in flows:
        sums.setdefault((c.flow.kind, c.unit), []).append(c.amount)
    return tuple(KindAmount(kind, money_sum(v), unit) for (kind, unit), v in sums.items())


def total(amounts: Iterable[KindAmount]) -> float:
    """Nominal dollars: the one sum across kinds of dollars (see gwcalc.money.nominal)."""
    return money_sum(a.nominal for a in amounts)


class RoundTrip(NamedTuple):
    """What buyer B paid seller S (gross), the money S sent B, and the part of the gross that
    money could have paid for: min(sent, gross), in nominal dollars."""

    seller: str
    buyer: str
    paid: tuple[KindAmount, ...]  # B → S: chip orders, cloud contracts, rent, revenue
    sent: tuple[KindAmount, ...]  # S → B: equity, warrants, loans, guarantees

    @property
    def gross(self) -> float:
        return total(self.paid)

    @property
    def sent_total(self) -> float:
        return total(self.sent)

    @property
    def part(self) -> float:
        """The round-trip part: min(sent, gross)."""
        return min(self.sent_total, self.gross)

    @property
    def share(self) -> float:
        """part ÷ gross, in [0, 1] (the gross is positive in every row)."""
        return round_trip_share(self.part, self.gross)

    @property
    def net_external(self) -> float:
        return self.gross - self.part


def round_trip_share(part: float, gross: float) -> float:
    """The round-trip part ÷ the gross, at most 1 (a float quotient may round above it)."""
    return min(1.0, part / gross)


class SellerTotal(NamedTuple):
    """A seller's round trips summed over its buyers (nominal dollars)."""

    seller: str
    gross: float
    part: float
    buyers: int
    sent: float = 0.0  # the money it sent its buyers (nominal dollars)

    @property
    def share(self) -> float:
        return round_trip_share(self.part, self.gross)

    @property
    def net_external(self) -> float:
        return self.gross - self.part


class PartyBalance(NamedTuple):
    """One party's money in and out, by kind, and net (nominal dollars)."""

    party: str
    money_in: tuple[KindAmount, ...]
    money_out: tuple[KindAmount, ...]

    @property
    def total_in(self) -> float:
        return total(self.money_in)

    @property
    def total_out(self) -> float:
        return total(self.money_out)

    @property
    def net(self) -> float:
        return self.total_in - self.total_out


def round_trips(counted: Iterable[CountedFlow]) -> tuple[RoundTrip, ...]:
    """A row for every seller and buyer with money paid (gross > 0), sellers and buyers in
    alphabetical order."""
    paid: dict[tuple[str, str], list[CountedFlow]] = {}
    sent: dict[tuple[str, str], list[CountedFlow]] = {}
    for c in counted:
        if c.flow.investment:  # the payer (a seller) sends money to the payee (its buyer)
            sent.setdefault((c.flow.payer, c.flow.payee), []).append(c)
        else:  # the payer (a buyer) pays the payee (its seller)
            paid.setdefault((c.flow.payee, c.flow.payer), []).append(c)
    rows = [
        RoundTrip(seller, buyer, by_kind(flows), by_kind(sent.get((seller, buyer), [])))
        for (seller, buyer), flows in sorted(paid.items())
    ]
    return tuple(row for row in rows if row.gross > 0)


def seller_totals(rows: Iterable[RoundTrip]) -> tuple[SellerTotal, ...]:
    """Each seller's rows summed, sellers by gross, largest first."""
    grouped: dict[str, list[RoundTrip]] = {}
    for row in rows:
        grouped.setdefault(row.seller, []).append(row)
    totals = [
        SellerTotal(
            seller,
            money_sum(r.gross for r in group),
            money_sum(r.part for r in group),
            len(group),
            money_sum(r.sent_total for r in group),
        )
        for seller, group in grouped.items()
    ]
    return tuple(sorted(totals, key=lambda t: (-t.gross, t.seller)))


def balances(counted: Iterable[CountedFlow]) -> tuple[PartyBalance, ...]:
    """Every party's money in and out by kind; parties by money moved, largest first."""
    flows = list(counted)
    parties = sorted({c.flow.payer for c in flows} | {c.flow.payee for c in flows})
    out = [
        PartyBalance(
            party,
            by_kind(c for c in flows if c.flow.payee == party),
            by_kind(c for c in flows if c.flow.payer == party),
        )
        for party in parties
    ]
    return tuple(sorted(out, key=lambda b: (-(b.total_in + b.total_out), b.party)))
