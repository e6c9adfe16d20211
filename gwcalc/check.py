"""Validate a set beyond loading it: sources, and over-determined rates whose paths disagree."""

from __future__ import annotations

import math
from dataclasses import dataclass

from gwcalc.assumptions import OVERRIDE_SOURCE, AssumptionSet
from gwcalc.model import Step, edges
from gwcalc.schema import SPECS
from gwcalc.units import KINDS

Graph = dict[str, list[tuple[str, str, int]]]
DEFAULT_TOLERANCE = 0.01  # 1%: sources round their figures


@dataclass(frozen=True)
class PathPair:
    """Two chains of rates between the same two kinds, and how far apart they land."""

    from_kind: str
    to_kind: str
    direct: tuple[Step, ...]
    other: tuple[Step, ...]
    direct_factor: float  # base-unit factor along each path
    other_factor: float

    @property
    def difference(self) -> float:
        """other ÷ direct − 1 (e.g. 0.14 = the longer path gives 14% more)."""
        return self.other_factor / self.direct_factor - 1


@dataclass(frozen=True)
class Finding:
    """One line of a check report."""

    level: str  # "error", "warning" or "ok"
    parameters: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class CheckReport:
    aset: AssumptionSet
    findings: tuple[Finding, ...]
    path_pairs: tuple[PathPair, ...]
    tolerance: float

    @property
    def clean(self) -> bool:
        return not any(f.level == "error" for f in self.findings)


def _simple_paths(graph: Graph, start: str, goal: str) -> list[tuple[Step, ...]]:
    """Every chain of distinct rates from start to goal that visits no kind twice."""
    found: list[tuple[Step, ...]] = []

    def walk(kind: str, visited: tuple[str, ...], steps: tuple[Step, ...]) -> None:
        if kind == goal and steps:
            found.append(steps)
            return
        for other, name, exponent in sorted(graph[kind], key=lambda e: (e[1], e[0])):
            if other in visited and other != goal:
                continue
            if other == start or any(s.parameter == name for s in steps):
                continue
            op = "×" if exponent == 1 else "÷"
            walk(other, (*visited, other), (*steps, Step(name, op, kind, other)))

    walk(start, (start,), ())
    return found


def _factor(aset: AssumptionSet, steps: tuple[Step, ...]) -> float:
    value = 1.0
    for step in steps:
        magnitude = float(aset.quantity(step.parameter).to_base_units().magnitude)
        value *= magnitude if step.exponent == 1 else 1 / magnitude
    return value


def over_determined(aset: AssumptionSet) -> list[PathPair]:
    """Each cycle of rates once: the shortest path between two kinds against another path."""
    graph = edges(aset)
    pairs: list[PathPair] = []
    seen: set[frozenset[str]] = set()
    kinds = list(KINDS)
    candidates: list[tuple[int, str, str, tuple[Step, ...], tuple[Step, ...]]] = []
    for i, start in enumerate(kinds):
        for goal in kinds[i + 1 :]:
            paths = sorted(
                _simple_paths(graph, start, goal), key=lambda p: (len(p), [s.parameter for s in p])
            )
            for j, first in enumerate(paths):
                for second in paths[j + 1 :]:
                    if {s.parameter for s in first} & {s.parameter for s in second}:
                        continue  # shares a rate: not a cycle of its own
                    candidates.append((len(first), start, goal, first, second))
    for _, start, goal, first, second in sorted(candidates, key=lambda c: (c[0], len(c[4]))):
        cycle = frozenset(s.parameter for s in (*first, *second))
        if cycle in seen:
            continue
        seen.add(cycle)
        pairs.append(
            PathPair(start, goal, first, second, _factor(aset, first), _factor(aset, second))
        )
    return pairs


def check_set(aset: AssumptionSet, tolerance: float = DEFAULT_TOLERANCE) -> CheckReport:
    """Findings for a set that loaded (units, ranges and titles are checked on load)."""
    findings: list[Finding] = []
    for name, param in aset.parameters.items():
        if not param.source.date and param.source.title != OVERRIDE_SOURCE:
            findings.append(Finding("warning", (name,), "source has no date"))
        if name not in SPECS:
            findings.append(
                Finding(
                    "warning", (name,), "not a parameter gwcalc knows: only its unit is checked"
                )
            )
    pairs = over_determined(aset)
    for pair in pairs:
        names = tuple(s.parameter for s in (*pair.direct, *pair.other))
        a = " ".join(f"{s.operation} {s.parameter}" for s in pair.direct)
        b = " ".join(f"{s.operation} {s.parameter}" for s in pair.other)
        route = f"{KINDS[pair.from_kind].label} → {KINDS[pair.to_kind].label}"
        text = f"{route}: [{a}] and [{b}] differ by {pair.difference:+.2%}"
        if not math.isfinite(pair.difference) or abs(pair.difference) > tolerance:
            findings.append(Finding("error", names, text + f" (tolerance {tolerance:.2%})"))
        else:
            findings.append(Finding("ok", names, text + f" (within {tolerance:.2%})"))
    if not findings:
        findings.append(
            Finding("ok", (), "every figure has a dated source; no rate is over-determined")
        )
    return CheckReport(aset, tuple(findings), tuple(pairs), tolerance)
