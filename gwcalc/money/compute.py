"""Everything `flows` shows for one run: round trips, each seller's totals, each party's money
in and out, the graph of counted money and its loops (for one party when one is chosen)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gwcalc.money.balance import (
    PartyBalance,
    RoundTrip,
    SellerTotal,
    balances,
    round_trips,
    seller_totals,
)
from gwcalc.money.loops import Edge, Loop, edges, find_loops
from gwcalc.money.select import CountedFlow, LeftOut, Selection, select_flows
from gwcalc.sets.assumption_set import AssumptionSet


@dataclass(frozen=True)
class FlowsReport:
    """One run's flows: every view computed over all counted flows, then narrowed to the chosen
    party's rows (round trips it is in, its own totals and balance, its edges and loops)."""

    selection: Selection
    round_trips: tuple[RoundTrip, ...]
    sellers: tuple[SellerTotal, ...]
    parties: tuple[PartyBalance, ...]
    edges: tuple[Edge, ...]
    loops: tuple[Loop, ...]

    @property
    def aset(self) -> AssumptionSet:
        return self.selection.aset

    @property
    def counted(self) -> tuple[CountedFlow, ...]:
        """The counted flows shown: all, or those the chosen party pays or receives."""
        touches = self.selection.touches
        return tuple(
            c for c in self.selection.counted if touches(c.flow.payer) or touches(c.flow.payee)
        )

    @property
    def left_out(self) -> tuple[LeftOut, ...]:
        touches = self.selection.touches
        return tuple(
            x for x in self.selection.left_out if touches(x.flow.payer) or touches(x.flow.payee)
        )

    @property
    def figures(self) -> tuple[str, ...]:
        """The set's parameters the amounts used (each counted warrant's share price)."""
        names = (c.flow.warrant.share_price for c in self.selection.counted if c.flow.warrant)
        return tuple(dict.fromkeys(names))


def compute_flows(
    aset: AssumptionSet,
    party: str | None = None,
    year: int | None = None,
    statuses: Sequence[str] | None = None,
) -> FlowsReport:
    """The set's counted flows (see select_flows) netted and traced."""
    selection = select_flows(aset, party, year, statuses)
    counted = selection.counted
    trips = round_trips(counted)
    graph = edges(counted)
    loops = find_loops(graph, selection.party)
    touches = selection.touches
    return FlowsReport(
        selection,
        tuple(r for r in trips if touches(r.seller) or touches(r.buyer)),
        tuple(s for s in seller_totals(trips) if touches(s.seller)),
        tuple(b for b in balances(counted) if touches(b.party)),
        tuple(e for e in graph.values() if touches(e.payer) or touches(e.payee)),
        loops,
    )
