"""The compiled evaluator: plan outputs once through pint, then evaluate them as plain floats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from gwcalc.engine.codegen import Evaluate, EvaluateColumns, Formula, functions, generate_source
from gwcalc.engine.graph import Factor, Step, check_finite, convert, figures_hint
from gwcalc.engine.outputs import DEMAND, Combination, Output, Product, gap_outputs
from gwcalc.errors import DimensionError, GwcalcError, ParameterError
from gwcalc.sets.assumption_set import AssumptionSet, parse_unit_or_dimensionless
from gwcalc.sets.contract_money import CONTRACT_MONEY, PAID_OVER_A_TERM
from gwcalc.units import DEFAULT_UNIT
from gwcalc.units.floats import check_normal
from gwcalc.units.registry import (
    KINDS,
    Q_,
    Quantity,
    Unit,
    describe_dimensions,
    dimensions,
    parse_quantity,
    unit_text,
    ureg,
)


@dataclass(frozen=True)
class OutputPlan:
    """One output as planned for a set: its value there, its chain, and its float formula."""

    output: Output
    quantity: Quantity  # its value in the planned set, computed through pint
    factors: tuple[Factor, ...] = ()  # parameters and exponents, when it is a product of them
    is_product: bool = True  # factors describe it exactly (times a constant)
    steps: tuple[Step, ...] = ()  # the chain of rates (products)
    start: Quantity | None = None  # the start quantity (products)
    given: bool = False  # the run gave its start quantity
    coefficients: tuple[float, ...] = ()  # product: (C,); difference: (a, b); ratio: (c,)
    start_input: str | None = None  # the evaluator input that carries the start's magnitude

    @property
    def name(self) -> str:
        return self.output.name

    @property
    def units(self) -> Unit:
        return self.quantity.units


@dataclass(frozen=True)
class Plan:
    """Outputs planned for one set and unit: pint results, and a float evaluator of them.

    A plan fixes everything that depends on units: each output's chain of rates, its unit and
    one conversion coefficient. Evaluating it for new parameter values (each a magnitude in the
    parameter's own unit in the planned set) is then a generated function of plain floats:
    products of parameters, and differences and ratios of outputs, with no pint objects.
    Values must be positive, as every rate in a set is (a zero divisor raises
    ZeroDivisionError)."""

    aset: AssumptionSet
    unit: str
    outputs: tuple[OutputPlan, ...]
    parameters: tuple[str, ...]  # the evaluator's inputs, in order
    parameter_units: tuple[Unit, ...]  # each parameter's own unit in the planned set
    source: str = field(repr=False)  # the generated Python code
    _evaluate: Evaluate = field(repr=False, compare=False)
    _columns: EvaluateColumns = field(repr=False, compare=False)
    inputs: Mapping[str, float] = field(default_factory=dict)  # start inputs' planned values

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.outputs)

    def __getitem__(self, name: str) -> OutputPlan:
        for out in self.outputs:
            if out.name == name:
                return out
        raise KeyError(name)

    def output(self, name: str) -> OutputPlan:
        """The output of that name, or an error listing the outputs there are."""
        for out in self.outputs:
            if out.name == name:
                return out
        raise ParameterError(
            f"no output named {name!r}", "outputs: " + ", ".join(o.name for o in self.outputs)
        )

    def depends_on(self, name: str) -> tuple[str, ...]:
        """The evaluator inputs an output reads, directly or through the outputs it combines."""
        out = self.output(name)
        rule = out.output.rule
        if isinstance(rule, Combination):
            both = (*self.depends_on(rule.left), *self.depends_on(rule.right))
            return tuple(dict.fromkeys(both))
        starts = [out.start_input] if out.start_input else []
        return tuple(dict.fromkeys([*starts, *(f.parameter for f in out.factors)]))

    def quantities(self) -> dict[str, Quantity]:
        """Every output's value in the planned set (through pint)."""
        return {o.name: o.quantity for o in self.outputs}

    def values(self, aset: AssumptionSet | None = None) -> tuple[float, ...]:
        """The parameters' magnitudes in the planned units, from this set or another."""
        source = aset or self.aset
        return tuple(
            self.inputs[name] if name in self.inputs else _magnitude(source.quantity(name), units)
            for name, units in zip(self.parameters, self.parameter_units, strict=True)
        )

    def evaluate(self, values: Sequence[float]) -> tuple[float, ...]:
        """Every output's magnitude (in its planned unit), in the order of `outputs`."""
        return self._evaluate(values)

    def vector(self, changes: Mapping[str, float] | None = None) -> list[float]:
        """The planned values in evaluator order, with some inputs replaced by name."""
        values = list(self.values())
        for name, value in (changes or {}).items():
            values[self.parameters.index(name)] = value
        return values

    def evaluate_columns(self, columns: Sequence[Sequence[float]]) -> tuple[list[float], ...]:
        """Many evaluations: one sequence of values per parameter (all of one length) in,
        one list of magnitudes per output out."""
        if len(columns) != len(self.parameters):
            raise ValueError(f"expected {len(self.parameters)} columns, got {len(columns)}")
        if len({len(column) for column in columns}) > 1:
            raise ValueError("every column must hold one value per evaluation (same lengths)")
        return self._columns(columns, len(columns[0]) if columns else 0)


def _magnitude(q: Quantity, units: Unit) -> float:
    """q's magnitude in units (no conversion when it is already in them)."""
    return float(q.magnitude if q.units == units else q.to(units).magnitude)


# ---------------------------------------------------------------- planning through pint


@lru_cache(maxsize=64)
def _times(text: str | None) -> Quantity | None:
    return parse_quantity(text) if text else None


def _scaled(q: Quantity, times: Quantity | None) -> Quantity:
    return q * times if times is not None else q


def _plan_product(
    out: Output,
    rule: Product,
    aset: AssumptionSet,
    target: Unit,
    given: Quantity | None,
    as_input: bool = False,
) -> OutputPlan:
    units = parse_unit_or_dimensionless(rule.unit) if rule.unit else target
    if rule.per_year:
        units = units / ureg.year
    start_factors: tuple[Factor, ...] = ()
    if given is not None:
        start = given
    else:
        start = aset.quantity(rule.start[0]) if rule.start else Q_(1.0)
        for name in rule.start[1:]:
            start = start * aset.quantity(name)
        start_factors = tuple(Factor(name, 1) for name in rule.start)
    if rule.start_unit:
        start = start.to(parse_unit_or_dimensionless(rule.start_unit))
    if given is None and rule.start:  # a product of figures that underflowed prints wrong
        check_normal(start, " × ".join(rule.start), zero_ok=len(rule.start) == 1)
    conv = convert(start, units, aset)
    factors = start_factors + tuple(Factor(s.parameter, s.exponent) for s in conv.steps)
    unit_product = given.units if given is not None else ureg.dimensionless
    for f in factors:
        unit_product = unit_product * aset.quantity(f.parameter).units ** f.exponent
    start_input = f"{out.name}.start" if given is not None and as_input else None
    magnitude = float(given.magnitude) if given is not None and not start_input else 1.0
    coefficient = float(Q_(magnitude, unit_product).to(units).magnitude)
    return OutputPlan(
        out, conv.result, factors, True, conv.steps, start, given is not None, (coefficient,),
        start_input,
    )  # fmt: skip


def _plan_combination(
    out: Output, rule: Combination, done: Mapping[str, OutputPlan], target: Unit
) -> OutputPlan:
    left, right = done[rule.left], done[rule.right]
    units = parse_unit_or_dimensionless(rule.unit) if rule.unit else target
    lt, rt = _times(rule.left_times), _times(rule.right_times)
    one_left = _scaled(Q_(1.0, left.units), lt)
    one_right = _scaled(Q_(1.0, right.units), rt)
    if rule.op == "difference":
        value = _scaled(left.quantity, lt).to(units) - _scaled(right.quantity, rt).to(units)
        coefficients = (float(one_left.to(units).magnitude), float(one_right.to(units).magnitude))
        return OutputPlan(out, value.to(units), is_product=False, coefficients=coefficients)
    if rule.op != "ratio":
        raise GwcalcError(f"internal error: output {out.name} has an unknown rule {rule.op!r}")
    if float(right.quantity.magnitude) <= 0:
        raise DimensionError(f"{right.name.replace('_', ' ')} must be greater than zero")
    value = (_scaled(left.quantity, lt) / _scaled(right.quantity, rt)).to(units)
    factors = (*left.factors, *(Factor(f.parameter, -f.exponent) for f in right.factors))
    coefficient = float((one_left / one_right).to(units).magnitude)
    is_product = left.is_product and right.is_product
    return OutputPlan(out, value, factors, is_product, coefficients=(coefficient,))


def compile_outputs(
    aset: AssumptionSet,
    outputs: Sequence[Output],
    unit: str = DEFAULT_UNIT,
    starts: Mapping[str, Quantity] | None = None,
    starts_as_inputs: bool = False,
) -> Plan:
    """Plan outputs for a set: each product's chain found once, each output's unit and float
    coefficients fixed. starts gives some products' start quantities (e.g. a demand): constants
    of the plan, or, with starts_as_inputs, inputs of the evaluator named 'OUTPUT.start' (in
    the given quantity's unit), e.g. for converting many values."""
    target = one_kind_unit(unit)
    starts = starts or {}
    done: dict[str, OutputPlan] = {}
    for out in outputs:
        rule = out.rule
        if isinstance(rule, Product):
            given = starts.get(out.name)
            planned = _plan_product(out, rule, aset, target, given, starts_as_inputs)
        else:
            planned = _plan_combination(out, rule, done, target)
        figures = [f.parameter for f in planned.factors]
        check_finite(planned.quantity, out.label, figures)
        hint = figures_hint(figures) if figures else None
        check_normal(planned.quantity, out.label, zero_ok=True, hint=hint)
        done[out.name] = planned
    planned_outputs = tuple(done.values())
    inputs = {o.start_input: starts[o.name] for o in planned_outputs if o.start_input}
    names = [
        name
        for o in planned_outputs
        if isinstance(o.output.rule, Product)
        for name in ([o.start_input] if o.start_input else []) + [f.parameter for f in o.factors]
    ]
    parameters = tuple(dict.fromkeys(names))
    units = tuple(inputs[p].units if p in inputs else aset.quantity(p).units for p in parameters)
    source = generate_source(_formulas(planned_outputs, parameters), len(parameters))
    evaluate, evaluate_columns = functions(source)
    values = {name: float(q.magnitude) for name, q in inputs.items()}
    return Plan(
        aset, unit, planned_outputs, parameters, units, source, evaluate, evaluate_columns, values
    )


def _formulas(outputs: Sequence[OutputPlan], parameters: Sequence[str]) -> list[Formula]:
    """Each planned output as a formula of the evaluator's inputs and the outputs before it:
    a product's coefficient times its start input and factors; a difference a·left − b·right;
    a ratio c·left / right."""
    index = {name: i for i, name in enumerate(parameters)}
    position = {o.name: len(parameters) + j for j, o in enumerate(outputs)}
    formulas: list[Formula] = []
    for out in outputs:
        rule = out.output.rule
        if isinstance(rule, Product):
            starts = [(index[out.start_input], 1)] if out.start_input else []
            factors = starts + [(index[f.parameter], f.exponent) for f in out.factors]
            formulas.append(((out.coefficients[0], tuple(factors)),))
            continue
        left, right = position[rule.left], position[rule.right]
        if rule.op == "difference":
            a, b = out.coefficients
            formulas.append(((a, ((left, 1),)), (-b, ((right, 1),))))
        else:
            formulas.append(((out.coefficients[0], ((left, 1), (right, -1))),))
    return formulas


def compile_conversion(aset: AssumptionSet, source: Unit, target: Unit) -> Plan:
    """Converting many values from one unit into another: evaluate([x]) gives (x in source
    units, converted into target units,) through the set's chain of rates."""
    out = Output("result", "result", Product((), unit_text(target)))
    return compile_outputs(aset, (out,), starts={"result": Q_(1.0, source)}, starts_as_inputs=True)


def one_kind_unit(unit: str) -> Unit:
    """The run's unit (gap, timeline): one kind, e.g. GW, GW_facility, gpu, die or USD."""
    from gwcalc.units.registry import parse_unit

    target = parse_unit(unit)
    tgt_dims = dimensions(Q_(1.0, target))
    kinds = [d for d in tgt_dims if d in KINDS]
    if len(tgt_dims) != 1 or len(kinds) != 1 or tgt_dims[kinds[0]] != 1:
        raise DimensionError(
            f"the gap is measured in one kind, e.g. GW, GW_facility or gpu; {unit!r} is "
            f"{describe_dimensions(tgt_dims)}",
            "measure it in GW (IT power), GW_facility, gpu, die or USD",
        )
    if kinds[0] == CONTRACT_MONEY:
        raise DimensionError(
            f"supply and demand are not measured in contract dollars: {PAID_OVER_A_TERM}",
            "measure them in GW (IT power), GW_facility, gpu, die, USD or USD_all_in",
        )
    return target


# ---------------------------------------------------------------- the gap


def compile_gap(
    aset: AssumptionSet, unit: str = DEFAULT_UNIT, demand: Quantity | None = None
) -> Plan:
    """The gap's outputs planned for a set: supply per year against demand, in one unit."""
    starts = {DEMAND: demand} if demand is not None else {}
    return compile_outputs(aset, gap_outputs(), unit, starts)


@dataclass(frozen=True)
class Gap:
    """Supply per year against contracted demand, both in the same unit (a planned result)."""

    plan: Plan

    def __getitem__(self, name: str) -> Quantity:
        return self.plan[name].quantity

    @property
    def demand_source(self) -> str:
        """'contracted_spend', or 'given' when the run gave the demand."""
        return "given" if self.plan[DEMAND].given else "contracted_spend"

    @property
    def shown(self) -> tuple[OutputPlan, ...]:
        return tuple(o for o in self.plan.outputs if o.output.shown)

    # the gap's own outputs by name, for readers of one result
    supply_per_year = property(lambda self: self["supply_per_year"])
    demand = property(lambda self: self["demand"])
    gap = property(lambda self: self["gap"])
    coverage = property(lambda self: self["coverage"])
    years_to_cover = property(lambda self: self["years_to_cover"])

    @property
    def supply_chain(self) -> tuple[Step, ...]:
        return self.plan["supply_per_year"].steps

    @property
    def supply_factors(self) -> tuple[Factor, ...]:
        return self.plan["supply_per_year"].factors

    @property
    def demand_factors(self) -> tuple[Factor, ...]:
        return self.plan[DEMAND].factors


def compute_gap(
    aset: AssumptionSet, unit: str = DEFAULT_UNIT, demand: Quantity | None = None
) -> Gap:
    """Supply per year (wafers × vendor share → … → unit) against contracted demand (→ unit)."""
    return Gap(compile_gap(aset, unit, demand))


def plan_figures(plan: Plan, output: str | None = None) -> list[str]:
    """The figures a gap's planned outputs read (or one output, with what it combines)."""
    names = plan.depends_on(output) if output is not None else plan.parameters
    return [n for n in names if n not in plan.inputs]
