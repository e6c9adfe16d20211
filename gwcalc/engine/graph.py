"""The conversion graph over a set's rates, and the supply–demand gap built on it."""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from gwcalc.errors import RUN_OVERRIDE, DimensionError, GwcalcError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.contract_money import contract_refusal, flow_money_refusal
from gwcalc.sets.specs import SPECS
from gwcalc.units.floats import BEYOND, check_normal, float_fault
from gwcalc.units.registry import (
    KINDS,
    Q_,
    TIME,
    Quantity,
    Unit,
    describe_dimensions,
    dimensions,
    parse_unit,
    ureg,
)


class Step(NamedTuple):
    """One link of a chain: multiply (or divide) by a parameter to go from one kind to another."""

    parameter: str
    operation: str  # "×" or "÷"
    from_kind: str
    to_kind: str

    @property
    def exponent(self) -> int:
        return 1 if self.operation == "×" else -1


class Conversion(NamedTuple):
    """A converted quantity and the chain of steps that produced it."""

    input: Quantity
    result: Quantity
    steps: tuple[Step, ...]

    @property
    def path(self) -> list[str]:
        return [s.parameter for s in self.steps]


Graph = dict[str, list[tuple[str, str, int]]]
_GRAPHS: dict[int, tuple[weakref.ref[AssumptionSet], Graph]] = {}


def edges(aset: AssumptionSet) -> Graph:
    """Adjacency: kind -> [(other kind, parameter, exponent)] for every rate of form kindA/kindB.
    Built once per set (sets are immutable); callers must not change it."""
    key = id(aset)
    hit = _GRAPHS.get(key)
    if hit is not None and hit[0]() is aset:
        return hit[1]
    graph = _build_edges(aset)
    _GRAPHS[key] = (weakref.ref(aset, lambda _: _GRAPHS.pop(key, None)), graph)
    return graph


def _build_edges(aset: AssumptionSet) -> Graph:
    graph: dict[str, list[tuple[str, str, int]]] = {k: [] for k in KINDS}
    for name, param in aset.parameters.items():
        dims = dimensions(param.quantity)
        if len(dims) != 2 or sorted(dims.values()) != [-1, 1]:
            continue
        top = next(d for d, e in dims.items() if e == 1)
        bottom = next(d for d, e in dims.items() if e == -1)
        if top in KINDS and bottom in KINDS:
            graph[bottom].append((top, name, 1))  # bottom × (top/bottom) -> top
            graph[top].append((bottom, name, -1))  # top ÷ (top/bottom) -> bottom
    return graph


def _split(dims: dict[str, int]) -> tuple[str, int, dict[str, int]]:
    """(kind, its exponent, the rest) for a quantity of exactly one kind, e.g. wafer/month."""
    kinds = {d: e for d, e in dims.items() if d in KINDS}
    rest = {d: e for d, e in dims.items() if d not in KINDS}
    if len(kinds) != 1 or abs(next(iter(kinds.values()))) != 1:
        raise DimensionError(
            f"gwcalc converts quantities of one kind (optionally per time); "
            f"this is {describe_dimensions(dims)}",
            "use wafers, GPUs, dies, power or dollars, e.g. '6 GW', '75k wafer/month', '$20B'",
        )
    kind, exponent = next(iter(kinds.items()))
    if exponent == 1 and rest.get(TIME, 0) > 0:  # energy, GPU-years, dollar-years
        power = kind in ("[it_power]", "[facility_power]")
        raise DimensionError(
            f"gwcalc does not convert {describe_dimensions(dims)} (a total times a time, "
            "such as energy)",
            "energy per time is a power: write '5 TWh/year' (average power), or convert into "
            "'TWh/year', not 'TWh'"
            if power
            else "use a total or a rate per time, e.g. '3M gpu' or '3M gpu/year'",
        )
    return kind, exponent, rest


def find_path(aset: AssumptionSet, source: str, target: str) -> tuple[Step, ...]:
    """The shortest chain of the set's rates from one kind to another (breadth-first); never
    between contract dollars and another kind (they buy GW-years over a term, not GW), nor
    between investment or revenue dollars and another kind (money between parties)."""
    refusal = contract_refusal(source, target) or flow_money_refusal(source, target)
    if refusal is not None:
        raise refusal
    graph = edges(aset)
    previous: dict[str, tuple[str, str, int] | None] = {source: None}
    queue = deque([source])
    while queue:
        kind = queue.popleft()
        if kind == target:
            break
        for other, name, exponent in sorted(graph[kind], key=lambda e: e[1]):
            if other not in previous:
                previous[other] = (kind, name, exponent)
                queue.append(other)
    if target not in previous:
        raise DimensionError(
            f"assumption set {aset.label} has no chain of rates from {KINDS[source].label} "
            f"to {KINDS[target].label}",
            _bridge_hint(target, graph, previous),
        )
    steps: list[Step] = []
    kind = target
    while (link := previous[kind]) is not None:
        before, name, exponent = link
        steps.append(Step(name, "×" if exponent == 1 else "÷", before, kind))
        kind = before
    return tuple(reversed(steps))


def _bridge_hint(
    target: str,
    graph: dict[str, list[tuple[str, str, int]]],
    reached: Collection[str],  # the kinds reached from the source
) -> str:
    """Name the known parameters that would connect what is reachable to the target."""
    reachable_from_target = {target}
    stack = [target]
    while stack:
        for other, _, _ in graph[stack.pop()]:
            if other not in reachable_from_target:
                reachable_from_target.add(other)
                stack.append(other)
    bridges = []
    for name, spec in SPECS.items():
        for unit in spec.units:
            dims = dimensions(Q_(1.0, parse_unit(unit))) if unit != "dimensionless" else {}
            ends = set(dims)
            if (
                len(ends) == 2
                and any(e in reached for e in ends)
                and any(e in reachable_from_target for e in ends)
            ):
                bridges.append(f"{name} ({unit})")
    if bridges:
        from gwcalc.sets.catalog import shipped_hint

        names = [b.split(" ")[0] for b in bridges]
        lead = "a parameter such as " + " or ".join(bridges) + " would bridge them"
        return f"{lead}: {RUN_OVERRIDE}{shipped_hint(names)}"
    return f"a rate parameter linking the two kinds would bridge them: {RUN_OVERRIDE}"


def convert(quantity: Quantity, target_units: Unit, aset: AssumptionSet) -> Conversion:
    """Convert a quantity into target units through the set's rates, choosing the path by units."""
    src_kind, src_exp, src_rest = _split(dimensions(quantity))
    tgt_dims = dimensions(Q_(1.0, target_units))
    if not tgt_dims:
        raise DimensionError(
            "cannot convert into a plain number", "ask for a unit such as gpu, GW or USD"
        )
    tgt_kind, tgt_exp, tgt_rest = _split(tgt_dims)
    if src_rest != tgt_rest or src_exp != tgt_exp:
        raise DimensionError(
            f"cannot convert {describe_dimensions(dimensions(quantity))} into "
            f"{describe_dimensions(tgt_dims)}: one is a total and the other a rate per time, "
            "or their kinds are inverted",
            "a rate converts only into a rate per time, e.g. wafer/month -> GW/year",
        )
    steps = find_path(aset, src_kind, tgt_kind)
    if src_exp == -1:  # 1/GW -> 1/gpu divides where GW -> gpu multiplies
        steps = tuple(s._replace(operation="÷" if s.exponent == 1 else "×") for s in steps)
    value = quantity
    zero_ok = float(quantity.magnitude) == 0  # 0 GW is 0 gpu; anything else must not underflow
    check_normal(quantity, "the quantity", zero_ok=True)
    for step in steps:
        rate = aset.quantity(step.parameter)
        check_normal(rate, step.parameter)
        value = value * rate if step.exponent == 1 else value / rate
        check_normal(
            value, f"the value after {step.parameter}", zero_ok, figures_hint([step.parameter])
        )
    try:
        result = value.to(target_units)
    except Exception as exc:  # pint.DimensionalityError: would be a bug in the path search
        raise GwcalcError(f"internal error converting to {target_units}: {exc}") from exc
    figures = [s.parameter for s in steps]
    check_finite(result, "the result", figures)
    check_normal(result, "the result", zero_ok, figures_hint(figures) if figures else None)
    return Conversion(quantity, result, steps)


def check_finite(q: Quantity, what: str, figures: Sequence[str] = ()) -> None:
    """Refuse a result too large for a float, rather than print 'inf'; the hint names the
    figures it is computed from, if given."""
    if float_fault(float(q.magnitude)) == BEYOND:
        raise DimensionError(f"{what} is {BEYOND}", figures_hint(figures))


def figures_hint(figures: Sequence[str]) -> str:
    """Where to look when a result leaves floats: the figures it comes from, or the quantity."""
    if not figures:
        return "use a smaller quantity, or a unit with a larger prefix"
    names = ", ".join(dict.fromkeys(figures))
    return (
        f"it is computed through {names}: look for an extreme value, there or in what it converts"
    )


def related_units(quantity: Quantity, aset: AssumptionSet) -> list[Unit]:
    """The display unit of every kind reachable from the quantity's kind, per the same time."""
    kind, exponent, rest = _split(dimensions(quantity))
    graph = edges(aset)
    seen = [kind]
    queue = deque([kind])
    while queue:
        for other, _, _ in sorted(graph[queue.popleft()], key=lambda e: e[1]):
            if other not in seen:
                seen.append(other)
                queue.append(other)
    suffix = _rest_units(rest)
    units: list[Unit] = []
    for k in seen:
        base = parse_unit(KINDS[k].display_unit) ** exponent
        units.append(base * suffix if suffix is not None else base)
    return units


def _rest_units(rest: dict[str, int]) -> Unit | None:
    """The non-kind part of a quantity's units, shown per year (e.g. wafer/month -> gpu/yr)."""
    if not rest:
        return None
    return ureg.year ** rest.get(TIME, 0)


# ---------------------------------------------------------------- the gap


class Factor(NamedTuple):
    """A parameter raised to a power, one factor of an output that is a product."""

    parameter: str
    exponent: int


def figures_of(conversions: Iterable[Conversion]) -> list[str]:
    """The rates along conversions' chains (a chip's figures by their CHIP.FIELD names)."""
    return list(dict.fromkeys(name for c in conversions for name in c.path))
