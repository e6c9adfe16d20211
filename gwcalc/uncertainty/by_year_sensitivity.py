"""One-at-a-time swings (a tornado) and sampled variance shares of a by-year economics output
(the market's revenue gap, its revenue needed, … in one year)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from gwcalc.econ.by_year_model import by_year_values
from gwcalc.econ.by_year_study import (
    WANTED,
    ByYearStudy,
    Moves,
    by_year_output,
    inputs_read,
)
from gwcalc.econ.outputs_graph import evaluate_where
from gwcalc.errors import RUN_RANGE, GwcalcError, ParameterError
from gwcalc.uncertainty.econ_sensitivity import EconSensitivity, size_of_swing
from gwcalc.uncertainty.economics import draw_years
from gwcalc.uncertainty.sampling import DEFAULT_SEED, check_samples
from gwcalc.uncertainty.sensitivity import Effect, given_data_shares
from gwcalc.units.registry import Q_, format_quantity

if TYPE_CHECKING:
    from gwcalc.sets.figures import Parameter

HELD = (
    "the samples hold the timeline's demand as the economics' samples do (GW given as GW, capex "
    "plans' dollars), so the shares of {names} leave out {whose} effect on the demand"
)
SAMPLED_DEMAND = "all_in_cost_per_gw"  # the samples' capex plans buy GW at its draws


@dataclass(frozen=True)
class ByYearSensitivity(EconSensitivity):
    """A by-year output's sensitivity in `year` to each ranged figure it may read (the
    economics figures and the timeline's demand figures): a figure given by year moves in
    every year at once, to each year's low or high (the range shown is `year`'s)."""

    held: tuple[str, ...] = ()  # demand figures the samples hold at their values
    constant: bool = False  # the same in every sample: then no variance shares
    years: tuple[int, ...] = ()  # the set's timeline years

    @property
    def label(self) -> str:
        return f"{self.output.label} in {self.year}"

    @property
    def has_shares(self) -> bool:
        return super().has_shares and not self.constant

    @property
    def method(self) -> str:
        text = super().method
        if self.constant and not self.infinite:
            text = (
                f"none: {self.output.name} in {self.year} is the same in every one of the "
                f"{self.samples:,} samples (seed {self.seed}), so it has no variance to share"
            )
        if self.held:
            whose = "its" if len(self.held) == 1 else "their"
            text += "; " + HELD.format(names=", ".join(self.held), whose=whose)
        return text + (
            "; a figure given by year moves in every year, to each year's own low or high "
            f"(the range shown is {self.year}'s)"
        )

    def shown(self, name: str) -> Parameter:
        """A figure in the year, or in the last earlier year with a range (as its row)."""
        assert self.year is not None
        return _shown(self.aset.parameters[name], self.years, self.year)

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc sensitivity --json` for a by-year economics output."""
        doc = super().to_dict()
        doc["family"] = "economics_by_year"
        return doc


def _ranged(study: ByYearStudy, names: Sequence[str], year: int) -> list[str]:
    """The figures with a range in some year up to `year`."""
    return [
        n for n in names
        if any(study.parameter(n, y).range is not None for y in study.years if y <= year)
    ]  # fmt: skip


def _shown(param: Parameter, years: Sequence[int], year: int) -> Parameter:
    """A figure as its row shows it: in `year`, or in the last earlier year with a range."""
    ranged = [y for y in years if y <= year and param.at(y).range is not None]
    return param.at(year if year in ranged or not ranged else ranged[-1])


def _end(study: ByYearStudy, name: str, year: int, end: str) -> dict[int, float]:
    """The figure at its low (or high) in each year up to `year` (its value where it has none)."""
    out: dict[int, float] = {}
    for y in (y for y in study.years if y <= year):
        p = study.parameter(name, y)
        out[y] = p.value if p.range is None else getattr(p.range, end)
    return out


def _effect(study: ByYearStudy, output: str, year: int, name: str, reads: bool) -> Effect:
    """One figure's row: the output at its low and high (the rest at their values)."""
    shown = _shown(study.aset.parameters[name], study.years, year)
    assert shown.range is not None
    units = shown.quantity.units
    point = study.by_year.rows[year][output]
    ends = [point, point]  # a figure the output does not read: a swing of exactly zero
    for i, end in enumerate(("low", "high") if reads else ()):
        moves: Moves = {name: _end(study, name, year, end)}
        value = getattr(shown.range, end)
        where = f"with {name} at its {end} ({format_quantity(Q_(value, units))} in {year})"
        moved = evaluate_where(where, partial(study.value, output, year, moves))
        ends[i] = point if _same(moved, point) else moved
    low, high = Q_(shown.range.low, units), Q_(shown.range.high, units)
    return Effect(name, low, high, shown.range.text(), ends[0], ends[1], 0.0)


def sample_output(
    study: ByYearStudy, output: str, year: int, n: int, seed: int
) -> tuple[list[float], dict[str, Sequence[float]]]:
    """n seeded samples of the output (the draws of economics_uncertainty), and each figure's
    draws (those of `year`, or of the last earlier year that varies)."""
    by_year = study.by_year
    years = [y for y in study.years if y <= year]
    demand = {y: by_year.rows[y]["demand_gw"] for y in years}
    draws, sample = draw_years(study.aset, demand, by_year.plan_capex, n, seed)
    out: list[float] = []
    for i in range(n):
        try:
            out.append(by_year_values(sample(i))[year][output])
        except GwcalcError as exc:
            raise GwcalcError(
                f"in sample {i + 1:,} (seed {seed}): {exc.message}",
                "narrow the ranges that reach it (the figures' low and high)",
            ) from exc
        except (ZeroDivisionError, OverflowError) as exc:
            raise GwcalcError(
                f"in sample {i + 1:,} (seed {seed}): beyond what can be computed",
                "narrow the ranges that reach zero or extreme values",
            ) from exc
    columns: dict[str, Sequence[float]] = {}
    for name in WANTED:
        varying = [draws[name, y] for y in reversed(years) if len(set(draws[name, y])) > 1]
        if varying:
            columns[name] = varying[0]
    return out, columns


def by_year_sensitivity(
    study: ByYearStudy, output: str, year: int, samples: int = 20_000, seed: int = DEFAULT_SEED
) -> ByYearSensitivity:
    """Every ranged figure a by-year output may read against it in `year`: the output at the
    figure's low and high (the rest at their values), and its first-order share of the
    output's variance from `samples` seeded samples of economics_uncertainty's draws."""
    out = by_year_output(output)
    check_samples(samples)
    demand = study.demand_names()
    direct = {*inputs_read(output), *(n for n in demand if n == SAMPLED_DEMAND)}
    reads = {*direct, *demand}
    ranged = _ranged(study, list(dict.fromkeys([*WANTED, *demand])), year)
    if not ranged:
        raise ParameterError(
            f"no figure the revenue gap by year reads in {study.aset.label} has a range",
            f"give ranges in the set (low and high), or {RUN_RANGE}",
        )
    effects = [_effect(study, output, year, n, n in reads) for n in ranged]
    drawn, columns = sample_output(study, output, year, samples, seed)
    infinite = sum(1 for y in drawn if math.isinf(y))
    constant = not infinite and _same(min(drawn), max(drawn))
    if not infinite and not constant:
        moving = {n: columns[n] for n in ranged if n in direct and n in columns}
        shares = given_data_shares(drawn, moving, ranged)
        effects = [replace(e, variance_share=shares[e.name]) for e in effects]
    effects.sort(key=lambda e: (-size_of_swing(e.swing), e.name))
    held = tuple(n for n in ranged if n in demand and n != SAMPLED_DEMAND)
    point = study.by_year.rows[year][output]
    return ByYearSensitivity(
        study.aset, out, year, point, tuple(effects), samples, seed, infinite, held, constant,
        study.years,
    )  # fmt: skip


def _same(a: float, b: float) -> bool:
    """Equal but for rounding: a capex plan's dollars ÷ a cost per GW × the same cost come back
    within a few units in the last place, not exactly."""
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
