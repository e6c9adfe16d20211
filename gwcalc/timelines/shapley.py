"""Shapley values: each player's average marginal effect over every order of the players.

Exact (every coalition, 2^n values) for up to EXACT_LIMIT players; above that, the mean over
SAMPLED_ORDERS random orders drawn with a fixed seed (the same parts on every run). Either way
the parts add up to value(all) − value(none): in each order the steps telescope."""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable, Hashable, Sequence
from collections.abc import Set as AbstractSet
from typing import TypeVar

P = TypeVar("P", bound=Hashable)

EXACT_LIMIT = 12
SAMPLED_ORDERS = 256
SEED = 15


def shapley(
    players: Sequence[P],
    value: Callable[[frozenset[P]], float],
    null: AbstractSet[P] = frozenset(),
) -> tuple[dict[P, float], bool]:
    """(each player's Shapley value, exact?) for the game `value` over `players`. Players are
    taken in the order given; pass them in a canonical order for results that do not depend
    on how the caller found them (the sampled orders are drawn from it). `null`: players the
    caller knows never change the value (a coalition with one is worth the same without it);
    the exact values then come from the coalitions of the others, to the bit the same."""
    if len(players) <= EXACT_LIMIT:
        return _exact(players, value, null), True
    return _sampled(players, value), False


def _exact(
    players: Sequence[P], value: Callable[[frozenset[P]], float], null: AbstractSet[P]
) -> dict[P, float]:
    """Each player's mean step over every coalition of the others, as math.fsum of the steps
    weighted by the coalition's size. A coalition of the live players and r of the z null
    ones steps as the live players alone: its weighted step is counted C(z, r) times, and
    math.fsum, correctly rounded, gives the same sum in any order. A zero step adds nothing."""
    n = len(players)
    if n == 1:  # the common case (a deal whose only changed input is itself)
        return {players[0]: value(frozenset(players)) - value(frozenset())}
    live = [p for p in players if p not in null]
    values = [value(frozenset(p for i, p in enumerate(live) if mask >> i & 1))
              for mask in range(1 << len(live))]  # fmt: skip
    if len(live) < n and not all(abs(v) < LARGE for v in values):
        return _exact(players, value, frozenset())  # no shortcut past an overflow or a NaN
    weights, spread = _weights(n), _spread(n - len(live))
    parts: dict[P, float] = {}
    for player in players:
        if player not in live:
            parts[player] = 0.0  # every step is zero: fsum of zeros
            continue
        bit = 1 << live.index(player)
        steps: list[float] = []
        for mask in range(1 << len(live)):
            if mask & bit:
                continue
            step = values[mask | bit] - values[mask]
            if step == 0.0:
                continue
            size = mask.bit_count()
            for more, count in spread:
                steps += [weights[size + more] * step] * count
        parts[player] = math.fsum(steps)
    return parts


LARGE = 1e300  # values beyond this (or NaN) take every coalition in the order it always had


@functools.cache
def _weights(n: int) -> list[float]:
    """The weight of a coalition of s players (s = 0 … n − 1) in a player's Shapley value."""
    return [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]


@functools.cache
def _spread(nulls: int) -> tuple[tuple[int, int], ...]:
    """(r, how many coalitions of `nulls` null players have r of them), r = 0 … nulls."""
    return tuple((r, math.comb(nulls, r)) for r in range(nulls + 1))


def _sampled(players: Sequence[P], value: Callable[[frozenset[P]], float]) -> dict[P, float]:
    rng = random.Random(SEED)
    seen: dict[frozenset[P], float] = {}

    def cached(coalition: frozenset[P]) -> float:
        if coalition not in seen:
            seen[coalition] = value(coalition)
        return seen[coalition]

    steps: dict[P, list[float]] = {p: [] for p in players}
    for _ in range(SAMPLED_ORDERS):
        order = list(players)
        rng.shuffle(order)
        chosen: frozenset[P] = frozenset()
        previous = cached(chosen)
        for player in order:
            chosen = chosen | {player}
            current = cached(chosen)
            steps[player].append(current - previous)
            previous = current
    return {p: math.fsum(s) / SAMPLED_ORDERS for p, s in steps.items()}
