"""Loops of money: directed cycles A → B → … → A of counted flows, each listed once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from gwcalc.errors import GwcalcError
from gwcalc.money.nominal import money_sum
from gwcalc.money.select import CountedFlow

MAX_LOOPS = 500  # more simple cycles than a reader can take in: ask for one party's
MAX_STEPS = 200_000  # paths walked while looking for them: the same limit, reached sooner


class Edge(NamedTuple):
    """All counted money one party paid another (nominal dollars), and the flows it sums."""

    payer: str
    payee: str
    amount: float
    flows: tuple[str, ...]  # the flows' names
    first: int = 0  # the first half-year any of its flows falls in (year × 2, + 1 for H2)
    last: int = 0  # the last


class Loop(NamedTuple):
    """A directed cycle of parties, starting at the first in alphabetical order; its amount is
    the smallest edge on it (what can have gone all the way round)."""

    edges: tuple[Edge, ...]

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(e.payer for e in self.edges)

    @property
    def amount(self) -> float:
        return min(e.amount for e in self.edges)

    def text(self) -> str:
        """'NVIDIA → OpenAI → NVIDIA'."""
        return " → ".join([*self.parties, self.parties[0]])

    @property
    def time_order(self) -> Edge | None:
        """The leg from which the money can have gone round in time order: from it, each leg's
        flows end no earlier than the leg before it begins (its money can follow the money
        before it); None when no leg is such a start (the loop is not in time order: some
        money comes back before it went out)."""
        n = len(self.edges)
        for k in range(n):
            legs = self.edges[k:] + self.edges[:k]
            if all(legs[i + 1].last >= legs[i].first for i in range(n - 1)):
                return legs[0]
        return None


def edges(counted: Iterable[CountedFlow]) -> dict[tuple[str, str], Edge]:
    """The graph of counted money: one edge per payer and payee, its flows summed."""
    grouped: dict[tuple[str, str], list[CountedFlow]] = {}
    for c in counted:
        grouped.setdefault((c.flow.payer, c.flow.payee), []).append(c)
    return {
        pair: Edge(
            *pair,
            money_sum(c.nominal for c in flows),
            tuple(c.flow.name for c in flows),
            min(c.flow.start.first_half() for c in flows),
            max(c.flow.last.last_half() for c in flows),
        )
        for pair, flows in sorted(grouped.items())
    }


def find_loops(graph: dict[tuple[str, str], Edge], through: str | None = None) -> tuple[Loop, ...]:
    """Every simple directed cycle (through one party, if given), once each, largest amount
    first. Each is found from its alphabetically first party through parties after it only, or,
    through a party, from that party; either way it is shown from its first party."""
    after: dict[str, list[str]] = {}
    for payer, payee in graph:
        after.setdefault(payer, []).append(payee)
    loops: list[Loop] = []
    steps = 0
    for start in sorted(after) if through is None else [through]:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            steps += 1
            for nxt in sorted(after.get(node, []), reverse=True):
                if nxt == start:
                    loop = _loop(graph, path)
                    if loop.amount > 0:  # a warrant out of the money moved nothing round
                        loops.append(loop)
                elif (through is not None or nxt > start) and nxt not in path:
                    stack.append((nxt, [*path, nxt]))
            if len(loops) > MAX_LOOPS:
                raise GwcalcError(
                    f"the counted flows form more than {MAX_LOOPS} loops, too many to list",
                    "choose one party's flows, a year, or fewer statuses",
                )
            if steps > MAX_STEPS:
                raise GwcalcError(
                    f"the search for loops stopped after {MAX_STEPS:,} steps through the graph of "
                    "counted flows (a long chain or a dense web of parties), before it could "
                    "list them all",
                    "choose one party's flows, a year, or fewer statuses",
                )
    return tuple(sorted(loops, key=lambda loop: (-loop.amount, loop.parties)))


def _loop(graph: dict[tuple[str, str], Edge], path: list[str]) -> Loop:
    first = path.index(min(path))
    path = path[first:] + path[:first]
    pairs = zip(path, [*path[1:], path[0]], strict=True)
    return Loop(tuple(graph[pair] for pair in pairs))
