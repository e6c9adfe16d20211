"""The per-GW model's outputs as a graph, for the tools that study them (sensitivity, explain,
diff): an output by name, the outputs and inputs it reads, whether a set has the inputs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from gwcalc.econ.model import PER_GW_INPUTS, PER_GW_OUTPUTS, EconOutput
from gwcalc.errors import GwcalcError, ParameterError

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet

INPUT_NAMES = tuple(i.name for i in PER_GW_INPUTS)
OUTPUT_NAMES = tuple(o.name for o in PER_GW_OUTPUTS)


def is_econ_output(name: str) -> bool:
    return name in OUTPUT_NAMES


def econ_output(name: str) -> EconOutput:
    """The per-GW output of that name, or an error listing them."""
    for out in PER_GW_OUTPUTS:
        if out.name == name:
            return out
    raise ParameterError(
        f"no economics output named {name!r}", "economics outputs: " + ", ".join(OUTPUT_NAMES)
    )


def steps_of(name: str, outputs: Sequence[EconOutput] = PER_GW_OUTPUTS) -> tuple[EconOutput, ...]:
    """The outputs computed on the way to `name` (itself last), in the model's order (of the
    per-GW model, or of other `outputs`: the revenue gap by year's)."""
    names = {o.name for o in outputs}
    needed = {name}
    for out in reversed(outputs):
        if out.name in needed:
            needed.update(d for d in out.depends if d in names)
    return tuple(o for o in outputs if o.name in needed)


def inputs_of(name: str) -> tuple[str, ...]:
    """The model's inputs an output reads, directly or through other outputs (model order)."""
    read = {d for out in steps_of(name) for d in out.depends}
    return tuple(n for n in INPUT_NAMES if n in read)


def evaluate_where(where: str, compute: Callable[[], float]) -> float:
    """compute(), the model's refusal naming where its figures came from ('with it_life at its
    low (3 yr)'), and arithmetic beyond floats a clear error."""
    try:
        return compute()
    except ParameterError as exc:
        raise ParameterError(f"{where}: {exc.message}", exc.hint) from exc
    except (ZeroDivisionError, OverflowError) as exc:
        raise GwcalcError(
            f"{where}: the model is beyond what can be computed (a divisor of zero, or a "
            "value beyond floats)",
            "narrow the ranges that reach zero or extreme values",
        ) from exc


def missing_inputs(aset: AssumptionSet) -> list[str]:
    """The model's inputs the set lacks (none: the set has the economics parameters)."""
    return [n for n in INPUT_NAMES if n not in aset.parameters]
