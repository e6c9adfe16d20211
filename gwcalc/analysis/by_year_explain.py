"""The arithmetic behind one output of the revenue gap by year in one year: each figure it reads
(in each year it reads it) with its value, range and source, then each output on the way, its
formula with that year's values put in."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwcalc.analysis.econ_explain import input_json
from gwcalc.econ.by_year_model import FLOOR_CAVEAT, by_year_values
from gwcalc.econ.by_year_study import WANTED, ByYearStudy, by_year_output, steps_of
from gwcalc.econ.inputs import IT_ENERGY_PRICE, price_per_it_energy
from gwcalc.econ.model import EconOutput, per_gw
from gwcalc.econ.outputs_graph import econ_output
from gwcalc.report.documents import envelope, set_json
from gwcalc.report.econ_rows import value_json, value_text
from gwcalc.units.registry import Q_, Quantity, format_number, format_percent, format_quantity

if TYPE_CHECKING:
    from gwcalc.econ.by_year_model import YearInputs
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.figures import Parameter

OPEX_STEPS = ("energy_per_gw_year", "opex_per_gw_year")  # the per-GW opex, in the year asked
PERCENT = ("end_user_margin",)


@dataclass(frozen=True)
class ByYearInput:
    """One figure the output reads, in one year (`year` None: a figure not given by year)."""

    figure: str
    year: int | None
    parameter: Parameter  # in that year (its range scaled to the year's value)
    model_value: Quantity  # as the model reads it

    @property
    def name(self) -> str:
        """NAME, or NAME.YEAR for one year of a figure given by year (as --set names it)."""
        return self.figure if self.year is None else f"{self.figure}.{self.year}"

    def to_dict(self) -> dict[str, Any]:
        doc = input_json(self.name, self.parameter, self.model_value)
        return {**doc, "figure": self.figure, "year": self.year}


@dataclass(frozen=True)
class ByYearStep:
    """One output on the way, in one year: its formula, with the values in, and its value."""

    output: EconOutput
    year: int
    formula: str
    substituted: str
    result: float
    shown_year: bool = False  # named NAME.YEAR: a year before the one asked for

    @property
    def name(self) -> str:
        return f"{self.output.name}.{self.year}" if self.shown_year else self.output.name

    @property
    def text(self) -> str:
        return value_text(self.output, self.result)

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": self.output.name,
            "year": self.year,
            "label": self.output.label,
            "formula": self.formula,
            "substituted": self.substituted,
            "result": value_json(self.output, self.result),
        }


@dataclass(frozen=True)
class ByYearExplanation:
    """The figures a by-year output reads in `year`, then each output on the way (itself last)."""

    aset: AssumptionSet
    output: EconOutput
    year: int
    inputs: tuple[ByYearInput, ...]
    steps: tuple[ByYearStep, ...]
    caveats: tuple[str, ...] = ()

    @property
    def result(self) -> float:
        return self.steps[-1].result

    @property
    def label(self) -> str:
        return f"{self.output.label} in {self.year}"

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc explain --json` for a by-year economics output."""
        return envelope(
            "explain-economics",
            assumptions=set_json(self.aset),
            output=self.output.name,
            family="economics_by_year",
            year=self.year,
            result=value_json(self.output, self.result),
            inputs=[i.to_dict() for i in self.inputs],
            steps=[s.to_dict() for s in self.steps],
            caveats=list(self.caveats),
        )

    def __str__(self) -> str:
        lines = [f"{self.label} — {self.aset.label}"]
        for i in self.inputs:
            lines.append(f"  {i.name} = {format_quantity(i.parameter.quantity)}")
        for s in self.steps:
            lines.append(f"  {s.name} = {s.formula} = {s.substituted} = {s.text}")
        return "\n".join(lines)


def _number(value: float) -> str:
    return format_number(value, 4)


def _put(formula: str, values: Mapping[str, str]) -> str:
    """The formula with each name in `values` (a whole word) replaced by its text."""
    names = sorted(values, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, names)) + r")(?![\w])")
    return pattern.sub(lambda m: values[m.group(1)], formula)


def _inputs(study: ByYearStudy, output: str, year: int) -> tuple[ByYearInput, ...]:
    """Each figure the output reads: once if the set gives it one value, else in each year."""
    out: list[ByYearInput] = []
    seen: set[str] = set()
    per_it = price_per_it_energy(study.aset)
    for name, y in study.figures_used(output, year):
        own = study.aset.parameters[name]
        by_year = bool(own.by_year)
        if not by_year and name in seen:
            continue
        seen.add(name)
        param = study.parameter(name, y)
        if name in WANTED:
            unit = IT_ENERGY_PRICE if per_it and name == "power_price" else WANTED[name].unit
            model: Quantity = Q_(study.values[y][name], unit)
        else:
            model = param.quantity
        out.append(ByYearInput(name, y if by_year else None, param, model))
    return tuple(out)


def _weight_text(weight: float, text: str) -> str:
    return text if weight == 1 else f"{_number(weight)} × {text}"


def _window_sum(
    years: Mapping[int, YearInputs], year: int, life: float, term: Callable[[YearInputs], str]
) -> tuple[list[str], bool]:
    """The terms of a trailing sum over `life` years to `year` (each × its share of the year
    when the life ends within it), and whether the window reaches before the first year."""
    parts = []
    for y in sorted(years):
        age = year - y
        weight = max(0.0, min(1.0, life - age))
        if weight > 0 and y <= year:
            parts.append(_weight_text(weight, term(years[y])))
    return parts, year - min(years) + 1 < life


def _depreciation(years: Mapping[int, YearInputs], year: int, first: int) -> str:
    """Σ hardware (demand × hardware_cost_per_gw) ÷ it_life + Σ facility (demand ×
    (all_in_cost_per_gw − hardware_cost_per_gw)) ÷ facility_life, each year's figures in."""
    d = years[year].per_gw
    hardware, floor_h = _window_sum(
        years, year, d["it_life"],
        lambda v: f"{_number(v.demand)} × {_number(v.per_gw['hardware_cost_per_gw'])}",
    )  # fmt: skip
    facility, floor_f = _window_sum(
        years, year, d["facility_life"],
        lambda v: f"{_number(v.demand)} × ({_number(v.per_gw['all_in_cost_per_gw'])} − "
        f"{_number(v.per_gw['hardware_cost_per_gw'])})",
    )  # fmt: skip
    text = (
        f"({' + '.join(hardware)}) ÷ {_number(d['it_life'])} + "
        f"({' + '.join(facility)}) ÷ {_number(d['facility_life'])}"
    )
    if floor_h or floor_f:
        text += f" (capex before {first} is unknown and counts 0: a floor)"
    return text


def _demand_text(study: ByYearStudy, v: YearInputs, year: int) -> tuple[str, str]:
    """The demand's formula and its values: GW given + plans' all-in dollars ÷ all-in cost."""
    dollars = study.by_year.plan_capex.get(year, 0.0)
    if not dollars:
        return "the timeline's demand (GW of IT, every buyer)", _number(v.demand)
    cost = v.per_gw["all_in_cost_per_gw"]
    given = v.demand - dollars / cost
    return (
        "GW given + capex plans' all-in $ ÷ all_in_cost_per_gw",
        f"{_number(max(given, 0.0))} + {_number(dollars)} ÷ {_number(cost)}",
    )


def _texts(year: int, v: YearInputs, row: Mapping[str, float]) -> dict[str, str]:
    """Each name a formula may read, as the text put in it."""
    texts = {k: _number(x) for k, x in {**v.per_gw, **v.market, **row}.items()}
    texts.update({k: format_percent(v.market[k]) for k in PERCENT})
    texts.update(demand=_number(row["demand_gw"]), installed=_number(row["installed_gw"]))
    opex = per_gw(v.per_gw, upto="opex_per_gw_year")
    texts.update({k: _number(opex[k]) for k in OPEX_STEPS}, energy=_number(opex[OPEX_STEPS[0]]))
    return texts


def _opex_steps(v: YearInputs, year: int, texts: Mapping[str, str]) -> list[ByYearStep]:
    values = per_gw(v.per_gw, upto="opex_per_gw_year")
    steps = []
    for name in OPEX_STEPS:
        out = econ_output(name)
        formula = out.formula
        steps.append(ByYearStep(out, year, formula, _put(formula, texts), values[name]))
    return steps


def by_year_explain(study: ByYearStudy, output: str, year: int) -> ByYearExplanation:
    """Every step behind a by-year output in `year` (one of the set's timeline years)."""
    out = by_year_output(output)
    years = study.inputs(year)
    rows = by_year_values(years)
    window = study.window(output, year)
    texts = _texts(year, years[year], rows[year])
    steps: list[ByYearStep] = []
    for step in steps_of(output):
        if step.name == "demand_gw":
            for y in window:
                formula, values = _demand_text(study, years[y], y)
                steps.append(ByYearStep(step, y, formula, values, rows[y][step.name], y != year))
            continue
        if step.name == "revenue_needed":
            steps += _opex_steps(years[year], year, texts)
        substituted = _substituted(step, years, year, texts, min(study.years))
        steps.append(ByYearStep(step, year, step.formula, substituted, rows[year][step.name]))
    caveats = (FLOOR_CAVEAT,) if year in study.by_year.floor_years and len(window) > 1 else ()
    return ByYearExplanation(
        study.aset, out, year, _inputs(study, output, year), tuple(steps), caveats
    )


def _substituted(
    step: EconOutput,
    years: Mapping[int, YearInputs],
    year: int,
    texts: Mapping[str, str],
    first: int,
) -> str:
    if step.name == "depreciation":
        return _depreciation(years, year, first)
    if step.name == "installed_gw":
        parts, _ = _window_sum(years, year, years[year].per_gw["it_life"],
                               lambda v: _number(v.demand))  # fmt: skip
        return " + ".join(parts)
    return _put(step.formula, texts)
