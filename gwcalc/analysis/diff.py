"""Compare two assumption sets: changed parameters, changed outputs, and which input moved each.

Attribution method (exact, stated in the output): every output but the gap is a pure product
of parameters along its chain, so its change is split by the log-mean Divisia index (LMDI-I):
parameter p gets L(after, before) × Δ(e_p · ln p), with L(x, y) = (x − y) / ln(x / y). The
parts add up to the change exactly. The gap (demand − a year of supply) gets each parameter's
demand part minus its supply part. Where the two sets convert through different parameters
(a parameter on one chain only, or whose unit changed dimension: e.g. hardware dollars at a
hardware rate vs all-in dollars at an all-in rate), the split among those parameters would
depend on the choice of units, so they are reported together as one "chain change" entry.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gwcalc.engine.outputs import Combination, Output, Product, gap_outputs
from gwcalc.engine.plan import Plan, compile_outputs
from gwcalc.errors import GwcalcError
from gwcalc.money.diff import FlowsDiff, diff_flows
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.timelines.inputs import DealChange, deal_changes
from gwcalc.units import DEFAULT_UNIT
from gwcalc.units.floats import finite
from gwcalc.units.logs import log_base_magnitude
from gwcalc.units.registry import Quantity, Unit, dimensions, format_quantity, unit_text

METHOD = (
    "LMDI-I (log-mean Divisia) decomposition over each output's chain of parameters; exact "
    "for products; the gap's parts are its demand parts minus its supply parts; parameters "
    "that change the chain itself are reported together"
)
REL_TOL = 1e-12


@dataclass(frozen=True)
class ParameterChange:
    """A parameter that differs between the two sets."""

    name: str
    before: Parameter | None
    after: Parameter | None

    @property
    def status(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    @property
    def change_pct(self) -> float | None:
        """Percent change, when both sides exist and have the same dimension."""
        if self.before is None or self.after is None:
            return None
        b, a = self.before.quantity, self.after.quantity
        if dimensions(b) != dimensions(a) or b.magnitude == 0:
            return None
        pct = (float(a.to(b.units).magnitude) / float(b.magnitude) - 1) * 100
        return finite(pct, f"the change in {self.name} in percent")


@dataclass(frozen=True)
class Share:
    """How much of an output's change one parameter (or a group of them) explains."""

    parameters: tuple[str, ...]
    delta: Quantity  # in the output's unit
    share: float | None  # fraction of the total change; None when the total is zero
    chain_change: bool = False  # parameters that change the chain itself, reported together

    @property
    def label(self) -> str:
        names = " + ".join(self.parameters)
        return f"{names} (chain change)" if self.chain_change else names


@dataclass(frozen=True)
class OutputChange:
    """One output before and after, and its attribution."""

    name: str
    before: Quantity
    after: Quantity
    attribution: tuple[Share, ...]
    output: Output | None = None  # its definition (None for outputs built elsewhere)

    @property
    def delta(self) -> Quantity:
        delta: Quantity = self.after - self.before
        return delta

    @property
    def change_pct(self) -> float | None:
        before = float(self.before.magnitude)
        if before == 0:
            return None
        pct = (float(self.after.to(self.before.units).magnitude) / before - 1) * 100
        return finite(pct, f"the change in {self.name} in percent")


@dataclass(frozen=True)
class SetDiff:
    """Everything `gwcalc diff` reports."""

    before: AssumptionSet
    after: AssumptionSet
    parameter_changes: tuple[ParameterChange, ...]
    output_changes: tuple[OutputChange, ...]
    method: str = METHOD
    money: FlowsDiff | None = None  # the flows of money compared (None: neither set has any)
    deals: tuple[DealChange, ...] = ()  # the timeline's deals added, removed or changed
    range_changes: tuple[str, ...] = ()  # figures of equal value whose ranges differ

    @property
    def differs(self) -> bool:
        money = self.money is not None and self.money.differs
        return (
            bool(self.parameter_changes)
            or bool(self.range_changes)
            or bool(self.deals)
            or money
            or any(not _same(o.before, o.after) for o in self.output_changes)
        )


def _same(a: Quantity, b: Quantity) -> bool:
    if dimensions(a) != dimensions(b):
        return False
    x, y = float(a.magnitude), float(b.to(a.units).magnitude)
    return math.isclose(x, y, rel_tol=REL_TOL, abs_tol=0.0)


def parameter_changes(a: AssumptionSet, b: AssumptionSet) -> tuple[ParameterChange, ...]:
    """Parameters whose value differs (in a's order, then b's additions)."""
    changes = []
    for name in [*a.parameters, *(n for n in b.parameters if n not in a.parameters)]:
        pa, pb = a.parameters.get(name), b.parameters.get(name)
        if pa is not None and pb is not None and _same(pa.quantity, pb.quantity):
            continue
        changes.append(ParameterChange(name, pa, pb))
    return tuple(changes)


def range_changes(a: AssumptionSet, b: AssumptionSet) -> tuple[str, ...]:
    """Figures in both sets with the same value whose ranges differ (a range added, removed or
    moved): no point output changes, but what --samples draws does."""
    return tuple(
        name
        for name, pa in a.parameters.items()
        if (pb := b.parameters.get(name)) is not None
        and _same(pa.quantity, pb.quantity)
        and (pa.range, pa.group) != (pb.range, pb.group)
    )


# ---------------------------------------------------------------- attribution


Exponents = dict[str, int]  # parameter -> exponent


def _chain(factors: Iterable[tuple[str, int]]) -> Exponents:
    out: Exponents = {}
    for name, exponent in factors:
        out[name] = out.get(name, 0) + exponent
    return {n: e for n, e in out.items() if e}


def _log_base(aset: AssumptionSet, name: str) -> float:
    """ln of the parameter in base units, from its own value and unit (never underflows)."""
    return log_base_magnitude(aset.quantity(name), name)


def _log_terms(
    a: AssumptionSet, chain_a: Exponents, b: AssumptionSet, chain_b: Exponents
) -> tuple[dict[str, float], dict[str, float]]:
    """Per-parameter Δ(e·ln p): comparable ones, and the chain-change ones (grouped later)."""
    comparable: dict[str, float] = {}
    structural: dict[str, float] = {}
    for name in dict.fromkeys([*chain_a, *chain_b]):
        ea, eb = chain_a.get(name, 0), chain_b.get(name, 0)
        same_role = (
            ea == eb and dimensions(a.quantity(name)) == dimensions(b.quantity(name))
            if ea and eb
            else False
        )
        term = (eb * _log_base(b, name) if eb else 0.0) - (ea * _log_base(a, name) if ea else 0.0)
        if same_role:
            if term != 0.0:
                comparable[name] = term
        else:
            structural[name] = term
    return comparable, structural


def _log_mean(after: float, before: float, log_ratio: float) -> float:
    """L(after, before) = (after − before) / ln(after / before). Near a ratio of 1 from the
    ratio (stable however close the two are); beyond, with ln(after / before) given as the sum
    of the parameters' log terms, so that no ratio a float can hold overflows or underflows."""
    if abs(log_ratio) < 1 and after > 0 and before > 0:
        d = after / before - 1
        return before if d == 0 else before * d / math.log1p(d)
    if log_ratio == 0.0:
        return after / 2 + before / 2
    return (after - before) / log_ratio


@dataclass
class _Parts:
    """An output's change split into per-parameter parts and one chain-change group."""

    named: dict[str, float]
    group: list[str]
    group_value: float = 0.0

    def minus(self, other: _Parts) -> _Parts:
        named = dict(self.named)
        for name, value in other.named.items():
            named[name] = named.get(name, 0.0) - value
        group = [*self.group, *(n for n in other.group if n not in self.group)]
        return _Parts(named, group, self.group_value - other.group_value)

    def settled(self, total: float) -> _Parts:
        """The parts, with the rounding left between their sum and the total given to the
        largest part, so that they sum to the total; refused when a part is beyond floats."""
        values = [*self.named.values(), self.group_value]
        for name, value in [*self.named.items(), (" + ".join(self.group), self.group_value)]:
            if not math.isfinite(value):
                raise GwcalcError(
                    f"the part of the change due to {name} is beyond the range of a "
                    "floating-point number: the change cannot be split",
                    "compare sets whose figures differ by less",
                )
        residual = total - math.fsum(values)
        if residual == 0.0 or not any(values):
            return self
        if self.group and abs(self.group_value) >= max(map(abs, self.named.values()), default=0):
            return _Parts(self.named, self.group, self.group_value + residual)
        largest = max(self.named, key=lambda n: abs(self.named[n]))
        named = {**self.named, largest: self.named[largest] + residual}
        return _Parts(named, self.group, self.group_value)

    def shares(self, total: float, units: Unit) -> tuple[Share, ...]:
        from gwcalc.units.registry import Q_

        finite(total, "the change")
        if total and not all(
            math.isfinite(v / total) for v in [*self.named.values(), self.group_value]
        ):
            raise GwcalcError(
                "a part of the change is beyond the range of a floating-point number as a "
                "share of it: the change cannot be split",
                "compare sets whose figures differ by less",
            )
        out = [
            Share((name,), Q_(value, units), value / total if total else None)
            for name, value in self.named.items()
            if value != 0.0
        ]
        if self.group:
            value = self.group_value
            out.append(
                Share(tuple(self.group), Q_(value, units), value / total if total else None, True)
            )
        return tuple(sorted(out, key=lambda s: -abs(float(s.delta.magnitude))))


def _product_parts(
    before: float,
    after: float,
    a: AssumptionSet,
    chain_a: Exponents,
    b: AssumptionSet,
    chain_b: Exponents,
) -> _Parts:
    """LMDI-I parts of a product output, in the output's units."""
    comparable, structural = _log_terms(a, chain_a, b, chain_b)
    weight = _log_mean(after, before, math.fsum([*comparable.values(), *structural.values()]))
    parts = _Parts(
        {name: weight * term for name, term in comparable.items()},
        list(structural),
        weight * math.fsum(structural.values()),
    )
    total = after - before
    noise = abs(total) <= REL_TOL * abs(before)  # rounding noise: no change to split
    return parts.settled(0.0 if noise else total)


def _scaled_parts(parts: _Parts, factor: float) -> _Parts:
    if factor == 1.0:
        return parts
    named = {name: value * factor for name, value in parts.named.items()}
    return _Parts(named, list(parts.group), parts.group_value * factor)


def _output_parts(
    name: str, plan_a: Plan, plan_b: Plan, done: dict[str, _Parts], after: float, before: float
) -> _Parts:
    """An output's parts: LMDI-I for products (and ratios of products); a difference's parts
    are its left parts minus its right parts (each times the plan's coefficient)."""
    out_a, out_b = plan_a[name], plan_b[name]
    rule = out_a.output.rule
    if out_a.is_product and out_b.is_product:
        chain_a = _chain((f.parameter, f.exponent) for f in out_a.factors)
        chain_b = _chain((f.parameter, f.exponent) for f in out_b.factors)
        return _product_parts(before, after, plan_a.aset, chain_a, plan_b.aset, chain_b)
    if isinstance(rule, Combination) and rule.op == "difference":
        left, right = out_a.coefficients
        return _scaled_parts(done[rule.left], left).minus(_scaled_parts(done[rule.right], right))
    return _Parts({}, [])  # a ratio of a difference: not attributed


def conversion_outputs(conversions: Sequence[tuple[Quantity, Unit]]) -> tuple[Output, ...]:
    """A conversion compared between sets, as outputs whose start quantity is given."""
    return tuple(
        Output(
            f"{format_quantity(q)} -> {unit_text(target)}",
            f"{format_quantity(q)} -> {unit_text(target)}",
            Product((), unit_text(target)),
            attributed_in_table=True,
        )
        for q, target in conversions
    )


def diff_sets(
    a: AssumptionSet,
    b: AssumptionSet,
    unit: str = DEFAULT_UNIT,
    conversions: Sequence[tuple[Quantity, Unit]] = (),
) -> SetDiff:
    """Compare set a (before) with set b (after) on the gap outputs and any conversions."""
    extra = conversion_outputs(conversions)
    outputs = (*gap_outputs(), *extra)
    starts = {o.name: q for o, (q, _) in zip(extra, conversions, strict=True)}
    plan_a = compile_outputs(a, outputs, unit, starts)
    plan_b = compile_outputs(b, outputs, unit, starts)
    parts: dict[str, _Parts] = {}
    results: list[OutputChange] = []
    for out in plan_a.outputs:
        before = out.quantity
        after = plan_b[out.name].quantity.to(before.units)
        magnitudes = float(after.magnitude), float(before.magnitude)
        parts[out.name] = _output_parts(out.name, plan_a, plan_b, parts, *magnitudes)
        if not out.output.shown:
            continue
        total = float((after - before).magnitude)
        if abs(total) <= REL_TOL * abs(float(before.magnitude)):
            total = 0.0  # rounding noise: no share of it is meaningful
        shares = parts[out.name].shares(total, before.units)
        results.append(OutputChange(out.name, before, after, shares, out.output))
    changes = parameter_changes(a, b)
    # a percent beyond floats is refused here, before anything is shown
    _ = [c.change_pct for c in changes], [o.change_pct for o in results]
    deals = deal_changes(a, b)
    money = diff_flows(a, b, {d.name for d in deals})
    ranges = range_changes(a, b)
    return SetDiff(a, b, changes, tuple(results), money=money, deals=deals, range_changes=ranges)
