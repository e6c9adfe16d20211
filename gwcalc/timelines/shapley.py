"""Shapley values: each player's average marginal effect over every order of the players.

Exact (every coalition, 2^n values) for up to EXACT_LIMIT players; above that, the mean over
SAMPLED_ORDERS random orders drawn with a fixed seed (the same parts on every run). Either way
the parts add up to value(all) − value(none): in each order the steps telescope."""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

P = TypeVar("P", bound=Hashable)

EXACT_LIMIT = 12
SAMPLED_ORDERS = 256
SEED = 15


def shapley(
    players: Sequence[P], value: Callable[[frozenset[P]], float]
) -> tuple[dict[P, float], bool]:
    """(each player's Shapley value, exact?) for the game `value` over `players`. Players are
    taken in the order given; pass them in a canonical order for results that do not depend
    on how the caller found them (the sampled orders are drawn from it)."""
    if len(players) <= EXACT_LIMIT:
        return _exact(players, value), True
    return _sampled(players, value), False


def _exact(players: Sequence[P], value: Callable[[frozenset[P]], float]) -> dict[P, float]:
    n = len(players)
    if n == 1:  # the common case (a deal whose only changed input is itself)
        return {players[0]: value(frozenset(players)) - value(frozenset())}
    values = [value(frozenset(p for i, p in enumerate(players) if mask >> i & 1))
              for mask in range(1 << n)]  # fmt: skip
    weights = _weights(n)
    parts: dict[P, float] = {}
    for i, player in enumerate(players):
        bit = 1 << i
        steps = [
            weights[mask.bit_count()] * (values[mask | bit] - values[mask])
            for mask in range(1 << n)
            if not mask & bit
        ]
        parts[player] = math.fsum(steps)
    return parts


@functools.cache
def _weights(n: int) -> list[float]:
    """The weight of a coalition of s players (s = 0 … n − 1) in a player's Shapley value."""
    return [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]


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
