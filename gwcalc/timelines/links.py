"""diff --timeline's walks up same_capacity_as chains with some deals' records from A and some
from B: each link walked once per world (A's deals, B's, the unchanged ones), however long the
chains, and a walk that mixes A's and B's records steps only from one changed deal to the next.

Between two changed deals a chain runs through unchanged deals, whose records (and links) are
the same in A and B: that stretch is walked once and remembered (does a deal on it count, and
at which changed deal does it stop). A walk whose changed deals all come from A, or all from B,
is a walk in A's set or in B's, remembered whole. A mix of A's and B's links can loop where
neither set's do (each set's are checked on reading); then every walk is gwcalc.timelines.deals'
own, which reports the loop."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from collections.abc import Set as AbstractSet

from gwcalc.sets.time_axis import Deal
from gwcalc.timelines.deals import Counts, counted_upstream

A_SIDE, B_SIDE, UNCHANGED = 0, 1, 2  # the worlds a walk remembers: A's deals, B's, A's up to a
# changed deal (where the walk stops)
Found = tuple[bool, str | None]  # (a deal up the chain counts, the changed deal a walk stopped at)


class Links:
    """A's and B's deals by name, the changed ones, and the walks up their chains."""

    def __init__(
        self, a: Mapping[str, Deal], b: Mapping[str, Deal], changed: Collection[str]
    ) -> None:
        self.a, self.b, self.changed = a, b, frozenset(changed)
        self.acyclic = acyclic(a, b)
        self._memo: dict[tuple[int, Hashable], dict[str, Found]] = {}
        self._closures: dict[Hashable, dict[str, frozenset[str]]] = {}

    def record(self, name: str, chosen: Collection[str]) -> Deal | None:
        """A deal's record with the chosen changed deals from B."""
        return (self.b if name in chosen else self.a).get(name)

    def counted_above(
        self,
        deal: Deal,
        chosen: AbstractSet[str],
        above: AbstractSet[str],
        key: Hashable,
        counts: Counts,
        all_above: bool = False,
    ) -> bool:
        """Whether a deal up `deal`'s chains counts (then `deal` restates counted machines),
        with the chosen changed deals from B. `above`: every changed deal its chains can reach
        in A or in B (`all_above`: all of them are chosen); `key` names `counts` (each is
        remembered apart)."""
        if not self.acyclic:
            return counted_upstream(deal, lambda n: self.record(n, chosen), counts) is not None
        mine = len(above) if all_above else len(above & chosen)
        if mine in (0, len(above)):  # the whole walk in A's deals, or in B's
            return self._up(deal.same_capacity_as, key, counts, B_SIDE if mine else A_SIDE)[0]
        at = deal.same_capacity_as
        while at is not None:
            if at in self.changed:
                record = self.record(at, chosen)
                if record is None:
                    return False
                if counts(record):
                    return True
                at = record.same_capacity_as
            else:
                found, at = self._up(at, key, counts, UNCHANGED)
                if found:
                    return True
        return False

    def reachable(self, name: str) -> frozenset[str]:
        """The changed deals up `name`'s chains, through A's links and B's."""
        return self.closure(name, None, _never)

    def closure(self, name: str, key: Hashable, stops: Counts) -> frozenset[str]:
        """The changed deals up `name`'s chains through A's links and B's, a walk ending at a
        record that `stops` (`key` names it): no walk from `name` in any mix of A's and B's
        records, under counts that stop wherever `stops` does, reaches any other changed deal.
        Each changed deal's answer is remembered (deals between two changed deals share one)."""
        if not self.acyclic:
            return frozenset(self._whole(name))
        memo = self._closures.setdefault(key, {})
        firsts = self._firsts(name, key, stops, False)
        todo = [f for f in firsts if f not in memo]
        while todo:  # each changed deal once, its changed deals up the chain first
            at = todo[-1]
            if at in memo:
                todo.pop()
                continue
            ups = self._firsts(at, key, stops, True)
            missing = [u for u in ups if u not in memo]
            if missing:
                todo += missing
                continue
            todo.pop()
            memo[at] = frozenset([at]).union(*(memo[u] for u in ups))
        if len(firsts) == 1:
            return memo[firsts[0]]
        return frozenset().union(*(memo[f] for f in firsts))

    def _firsts(self, name: str, key: Hashable, stops: Counts, changed: bool) -> list[str]:
        """The first changed deal up each of `name`'s records' links (a changed deal's record
        that `stops` leads nowhere; `name`'s own records always lead on)."""
        found: list[str] = []
        for side in (self.a, self.b):
            record = side.get(name)
            if record is None or (changed and stops(record)):
                continue
            up = record.same_capacity_as
            if up is not None and up not in self.changed:
                stopped, up = self._up(up, key, stops, UNCHANGED)
                up = None if stopped else up
            if up is not None and up not in found:
                found.append(up)
        return found

    def _whole(self, name: str) -> set[str]:
        """reachable, each chain walked whole (links that may loop when mixed)."""
        found: set[str] = set()
        todo = [name]
        while todo:
            at = todo.pop()
            for side in (self.a, self.b):
                record = side.get(at)
                up = record.same_capacity_as if record else None
                if up is not None and up not in self.changed:
                    up = self._up(up, None, _never, UNCHANGED)[1]
                if up is not None and up not in found and up != name:
                    found.add(up)
                    todo.append(up)
        return found

    def _up(self, start: str | None, key: Hashable, counts: Counts, world: int) -> Found:
        """From `start` up its chain in one world: whether a deal counts, and (UNCHANGED) the
        changed deal the walk stopped at. Each deal's answer is remembered for the world."""
        memo = self._memo.setdefault((world, key), {})
        path: list[tuple[str, Deal]] = []
        at: str | None = start
        result: Found = (False, None)
        while at is not None:
            if at in memo:
                result = memo[at]
                break
            if world == UNCHANGED and at in self.changed:
                result = (False, at)
                break
            record = (self.b if world == B_SIDE and at in self.changed else self.a).get(at)
            if record is None:
                break
            path.append((at, record))
            if counts(record):
                break
            at = record.same_capacity_as
        for name, record in reversed(path):
            if counts(record):
                result = (True, None)
            memo[name] = result
        return result


def _never(deal: Deal) -> bool:
    return False


def acyclic(a: Mapping[str, Deal], b: Mapping[str, Deal]) -> bool:
    """Whether A's and B's links together loop nowhere (so no mix of their records loops)."""
    links: dict[str, set[str]] = {}
    for side in (a, b):
        for name, deal in side.items():
            if deal.same_capacity_as is not None:
                links.setdefault(name, set()).add(deal.same_capacity_as)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in links:
        if root in state:
            continue
        stack: list[tuple[str, list[str]]] = [(root, sorted(links.get(root, ())))]
        state[root] = 1
        while stack:
            node, rest = stack[-1]
            if not rest:
                state[node] = 2
                stack.pop()
                continue
            up = rest.pop()
            if state.get(up) == 1:
                return False
            if up not in state:
                state[up] = 1
                stack.append((up, sorted(links.get(up, ()))))
    return True
