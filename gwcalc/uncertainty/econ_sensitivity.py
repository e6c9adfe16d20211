"""One-at-a-time swings (a tornado) and sampled variance shares of a per-GW economics output."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwcalc.econ.inputs import (
    convert_inputs,
    price_per_it_energy,
    to_canonical,
    to_facility_price,
)
from gwcalc.econ.model import PER_GW_INPUTS, EconOutput, per_gw
from gwcalc.econ.outputs_graph import econ_output, evaluate_where, inputs_of
from gwcalc.errors import RUN_RANGE, ParameterError
from gwcalc.report.documents import envelope, range_json, set_json
from gwcalc.report.econ_rows import value_json, value_text
from gwcalc.uncertainty.econ_columns import econ_column
from gwcalc.uncertainty.sampling import DEFAULT_SEED, Column, Sampler, check_samples
from gwcalc.uncertainty.sensitivity import Effect, given_data_shares, sampled_text
from gwcalc.units.registry import Q_, Quantity, format_quantity

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.figures import Parameter

WANTED = {i.name: i for i in PER_GW_INPUTS}


@dataclass(frozen=True)
class EconSensitivity:
    """An economics output's sensitivity to each ranged input of the per-GW model, sorted by
    |swing|; variance shares sampled (the outputs are not products of the figures)."""

    aset: AssumptionSet
    output: EconOutput
    year: int | None  # the year of figures given by year (None: each figure's own value)
    point: float  # the output at every input's value
    effects: tuple[Effect, ...]
    samples: int
    seed: int
    infinite: int = 0  # samples in which the output is infinite: then no variance shares

    @property
    def label(self) -> str:
        return self.output.label

    def text(self, value: float) -> str:
        return value_text(self.output, value)

    def quantity(self, value: float) -> Quantity:
        return Q_(value, self.output.unit)

    @property
    def has_shares(self) -> bool:
        """False when the output is infinite in a sample: it has no variance to share."""
        return not self.infinite

    @property
    def method(self) -> str:
        if self.infinite:
            return (
                f"none: {self.output.name} is infinite in {self.infinite:,} of {self.samples:,} "
                f"samples (seed {self.seed}), so it has no variance to share"
            )
        return "sampled (the economics outputs are not products of the figures): " + (
            sampled_text(self.effects, self.samples, self.seed)
        )

    def to_dict(self) -> dict[str, Any]:
        """The document of `gwcalc sensitivity --json` for an economics output."""
        q = self._json
        return envelope(
            "sensitivity",
            assumptions=set_json(self.aset),
            output=self.output.name,
            family="economics",
            year=self.year,
            point=q(self.point),
            method="sampled",
            method_text=self.method,
            samples=self.samples,
            seed=self.seed,
            parameters=[
                {
                    "name": e.name,
                    "range": range_json(self.shown(e.name)),
                    "output_at_low": q(e.output_at_low),
                    "output_at_high": q(e.output_at_high),
                    "swing": q(e.swing),
                    "variance_share": e.variance_share if self.has_shares else None,
                }
                for e in self.effects
            ],
        )

    def _json(self, value: float) -> dict[str, object]:
        return value_json(self.output, value)

    def shown(self, name: str) -> Parameter:
        """A figure as its row shows it (its range): in the year, if the study has one."""
        return _parameter(self.aset, name, self.year)


def _parameter(aset: AssumptionSet, name: str, year: int | None) -> Parameter:
    param = aset.parameters[name]
    return param if year is None else param.at(year)


def _evaluate(values: dict[str, float], output: str, where: str, per_it: bool = False) -> float:
    """The output at these inputs (as the set gives them: a power_price per IT kWh is made
    one per facility kWh here, ÷ the pue of the same inputs); the model's refusal names
    where the inputs came from."""
    return evaluate_where(
        where, lambda: per_gw(to_facility_price(values, per_it), upto=output)[output]
    )


def _effect(
    aset: AssumptionSet, values: dict[str, float], output: str, name: str, year: int | None
) -> Effect:
    """One input's row: the output at its low and at its high (the rest at their values)."""
    param = _parameter(aset, name, year)
    assert param.range is not None
    units = param.quantity.units
    ends: list[float] = []
    for end, value in (("low", param.range.low), ("high", param.range.high)):
        moved = {**values, name: to_canonical(param, WANTED[name], value)}
        where = f"with {name} at its {end} ({format_quantity(Q_(value, units))})"
        ends.append(_evaluate(moved, output, where, price_per_it_energy(aset)))
    low, high = Q_(param.range.low, units), Q_(param.range.high, units)
    return Effect(name, low, high, param.range.text(), ends[0], ends[1], 0.0)


def _columns(aset: AssumptionSet, year: int | None) -> list[Column]:
    """The model's inputs as the sampler's columns (as economics --samples draws them)."""
    return [econ_column(aset, wanted, year) for wanted in PER_GW_INPUTS]


def _sampled(
    aset: AssumptionSet, values: dict[str, float], output: str, year: int | None, n: int, seed: int
) -> tuple[list[float], dict[str, list[float]]]:
    """n seeded samples of the output, and the draws of each input (in the model's units)."""
    columns = Sampler.of_columns(_columns(aset, year), seed).columns(n)
    names = [w.name for w in PER_GW_INPUTS]
    per_it = price_per_it_energy(aset)
    out: list[float] = []
    for i in range(n):
        drawn = {name: column[i] for name, column in zip(names, columns, strict=True)}
        out.append(_evaluate(drawn, output, f"in sample {i + 1:,} (seed {seed})", per_it))
    return out, dict(zip(names, columns, strict=True))


def econ_sensitivity(
    aset: AssumptionSet,
    output: str,
    samples: int = 20_000,
    seed: int = DEFAULT_SEED,
    year: int | None = None,
) -> EconSensitivity:
    """Every ranged input of the per-GW model against one of its outputs: the output at the
    input's low and high (the rest at their values), and its first-order share of the
    output's variance from `samples` seeded samples (none when the output is infinite in a
    sample: a payback that never comes)."""
    out = econ_output(output)
    check_samples(samples)
    values = convert_inputs(aset, PER_GW_INPUTS, year)  # as given: _evaluate converts the price
    ranged = [n for n in values if _parameter(aset, n, year).range is not None]
    if not ranged:
        raise ParameterError(
            f"no input of the economics model in {aset.label} has a range",
            f"give ranges in the set (low and high), or {RUN_RANGE}",
        )
    point = _evaluate(values, output, f"{aset.label}'s figures", price_per_it_energy(aset))
    reads = inputs_of(output)
    effects = [
        _effect(aset, values, output, name, year)
        if name in reads
        else Effect(name, *_ends(aset, name, year), point, point, 0.0)
        for name in ranged
    ]
    drawn, columns = _sampled(aset, values, output, year, samples, seed)
    infinite = sum(1 for y in drawn if math.isinf(y))
    if not infinite:
        moving = {n: columns[n] for n in ranged if n in reads}
        shares = given_data_shares(drawn, moving, ranged)
        effects = [_with_share(e, shares[e.name]) for e in effects]
    effects.sort(key=lambda e: (-size_of_swing(e.swing), e.name))
    return EconSensitivity(aset, out, year, point, tuple(effects), samples, seed, infinite)


def _ends(aset: AssumptionSet, name: str, year: int | None) -> tuple[Quantity, Quantity, str]:
    param = _parameter(aset, name, year)
    assert param.range is not None
    units = param.quantity.units
    return Q_(param.range.low, units), Q_(param.range.high, units), param.range.text()


def _with_share(effect: Effect, share: float) -> Effect:
    from dataclasses import replace

    return replace(effect, variance_share=share)


def size_of_swing(swing: float) -> float:
    """|swing| for sorting; a swing to or from infinity (NaN or ∞) first."""
    return math.inf if math.isnan(swing) else abs(swing)


def econ_figures(output: str) -> Sequence[str]:
    """The set's figures an economics output reads (an override of another is refused)."""
    return inputs_of(output)
