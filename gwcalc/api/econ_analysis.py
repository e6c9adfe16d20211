"""sensitivity and explain of the per-GW economics outputs (`api.sensitivity` and `api.explain`
come here for an output of the economics model): the family of an output name, the checks that
the set has the family's figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.econ.by_year_study import STUDIED as BY_YEAR_NAMES
from gwcalc.econ.outputs_graph import OUTPUT_NAMES, inputs_of, missing_inputs
from gwcalc.engine.outputs import gap_outputs
from gwcalc.errors import ParameterError
from gwcalc.sets.overrides import check_used

if TYPE_CHECKING:
    from gwcalc.analysis.econ_explain import EconExplanation
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.econ_sensitivity import EconSensitivity

GAP_NAMES = tuple(o.name for o in gap_outputs())


def family(output: str) -> str:
    """'economics', 'gap' or 'flows': the family of an output name (an unknown one lists
    them all)."""
    from gwcalc.money.outputs import FLOW_OUTPUT_NAMES

    if output in OUTPUT_NAMES or output in BY_YEAR_NAMES:
        return "economics"
    if output in FLOW_OUTPUT_NAMES:
        return "flows"
    if output in (o.name for o in gap_outputs()):
        return "gap"
    from gwcalc.sets.field_checks import nearest_name

    near = nearest_name(output, [*GAP_NAMES, *OUTPUT_NAMES, *BY_YEAR_NAMES, *FLOW_OUTPUT_NAMES])
    hint = f"did you mean {near}? " if near else ""
    raise ParameterError(
        f"no output named {output!r}",
        f"{hint}gap outputs: {', '.join(GAP_NAMES)}; economics outputs (per GW): "
        + ", ".join(OUTPUT_NAMES)
        + "; economics outputs by year (the market's, in a year): "
        + ", ".join(BY_YEAR_NAMES)
        + "; flows outputs: "
        + ", ".join(FLOW_OUTPUT_NAMES),
    )


def check_econ_set(aset: AssumptionSet, output: str) -> None:
    """Refuse a set without the economics model's figures, naming the output's family."""
    missing = missing_inputs(aset)
    if missing:
        raise ParameterError(
            f"{output} is an output of the economics model, and {aset.label} has no "
            f"{', '.join(missing)}",
            "use a set with the economics figures (market-2026@4 or later), or study a gap "
            f"output ({', '.join(GAP_NAMES)})",
        )


def check_gap_set(aset: AssumptionSet, output: str) -> None:
    """Refuse a set without the gap's figures for a gap output, when it has the economics
    model's: the user may have meant one of those."""
    from gwcalc.engine.plan import compile_gap

    try:
        compile_gap(aset).depends_on(output)
    except ParameterError as exc:
        if missing_inputs(aset):
            raise
        raise ParameterError(
            f"{output} is an output of the gap, and {aset.label} cannot compute it: {exc.message}",
            "economics outputs (per GW) this set has: " + ", ".join(OUTPUT_NAMES),
        ) from exc


def econ_sensitivity(
    aset: AssumptionSet | str | None = None,
    output: str = "payback_years",
    samples: int = 20_000,
    seed: int | None = None,
    year: int | str | None = None,
) -> EconSensitivity:
    """Each ranged input's effect on one per-GW output of the economics model (of `aset`,
    default the newest market-2026 with the model's figures; in `year` for figures given by
    year): the output at the input's low and high (the rest at their values), and its
    first-order share of the output's variance from `samples` seeded samples (the outputs are
    not products)."""
    from gwcalc.uncertainty.econ_sensitivity import econ_sensitivity as _sensitivity
    from gwcalc.uncertainty.sampling import DEFAULT_SEED

    _not_by_year(output, "by_year_sensitivity")
    chosen = chosen_set(aset)
    check_econ_set(chosen, output)
    result = _sensitivity(chosen, output, samples, DEFAULT_SEED if seed is None else seed,
                          year_of(year))  # fmt: skip
    check_used(chosen, _used(output, result.year), f"the economics output {output}")
    return result


def _not_by_year(output: str, function: str) -> None:
    """Point an output of the revenue gap by year to its own function."""
    if output in BY_YEAR_NAMES:
        raise ParameterError(
            f"{output} is an output of the revenue gap by year, not per GW",
            f"study it in a year with gwcalc.api.{function}",
        )


def _used(output: str, year: int | None) -> tuple[str, ...]:
    """The figures an economics output reads, and with a year their values of that year
    (NAME.YEAR: a one-year override of another year changes nothing)."""
    names = inputs_of(output)
    return (*names, *(f"{n}.{year}" for n in names if year is not None))


def econ_explain(
    output: str, aset: AssumptionSet | str | None = None, year: int | str | None = None
) -> EconExplanation:
    """Every step behind one per-GW output of the economics model: each input it reads (value,
    unit, range, source, implied), then each output on the way, its formula with the values
    put in; str() shows it, .to_dict() is `gwcalc explain --json`."""
    from gwcalc.analysis.econ_explain import econ_explain as _explain

    _not_by_year(output, "by_year_explain")
    chosen = chosen_set(aset)
    check_econ_set(chosen, output)
    result = _explain(chosen, output, year_of(year))
    check_used(chosen, _used(output, result.year), f"the economics output {output}")
    return result


def chosen_set(aset: AssumptionSet | str | None) -> AssumptionSet:
    """A set given as itself, a name or a path (None: the newest market-2026 with the
    economics figures, as `economics` defaults to)."""
    from gwcalc.econ.default_set import default_economics_set
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.find import resolve_set

    if isinstance(aset, AssumptionSet):
        return aset
    return default_economics_set() if aset is None else resolve_set(aset, timeline=True)


def year_of(value: int | str | None) -> int | None:
    from gwcalc.sets.field_checks import read_year

    return None if value is None else read_year(value)


def check_gap_output(aset: AssumptionSet, output: str, econ_function: str) -> None:
    """A gap output's name (an economics or flows one points to its function) and a set that
    has the gap's figures."""
    found = family(output)
    if found != "gap":
        model = "the economics model" if found == "economics" else "the flows"
        function = econ_function if found == "economics" else f"flows_{econ_function[5:]}"
        raise ParameterError(
            f"{output} is an output of {model}, not of the gap",
            f"study it with gwcalc.api.{function}",
        )
    check_gap_set(aset, output)
