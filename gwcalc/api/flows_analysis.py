"""sensitivity and explain of the flows outputs (a seller's round_trip_share and
net_external_revenue, a warrant's warrant_value): the one output of one seller or warrant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.errors import ParameterError
from gwcalc.money.outputs import FLOW_OUTPUT_NAMES, FlowTarget, flow_output, flow_target
from gwcalc.sets.overrides import check_used

if TYPE_CHECKING:
    from gwcalc.analysis.flows_explain import FlowsExplanation
    from gwcalc.money.compute import FlowsReport
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.uncertainty.flows_sensitivity import FlowsSensitivity


def _target(
    aset: AssumptionSet | str | None,
    output: str,
    party: str | None,
    flow: str | None,
    year: int | str | None,
) -> tuple[FlowsReport, FlowTarget]:
    """The run's counted flows (the set's counted statuses; `year`'s part) and the output of
    the seller `party` or of the warrant `flow`, whichever the output takes; an override of a
    figure the output does not read is refused."""
    from gwcalc.money.compute import compute_flows
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.field_checks import read_year
    from gwcalc.sets.find import resolve_set

    out = flow_output(output)
    given, other = (party, flow) if out.takes == "party" else (flow, party)
    if other is not None:
        wrong = "flow" if out.takes == "party" else "party"
        raise ParameterError(
            f"{output} takes a {out.takes}, not a {wrong} ({other!r})",
            "a seller's outputs (party): round_trip_share, net_external_revenue; a warrant's "
            "(flow): warrant_value",
        )
    chosen = aset if isinstance(aset, AssumptionSet) else resolve_set(aset, timeline=True)
    when = None if year is None else read_year(year)
    report = compute_flows(chosen, given if out.takes == "party" else None, when)
    target = flow_target(report.selection, output, given)
    check_used(chosen, target.reads(report.selection.counted), f"the flows' {target.title}")
    return report, target


def flows_sensitivity(
    aset: AssumptionSet | str | None = None,
    output: str = "round_trip_share",
    party: str | None = None,
    flow: str | None = None,
    year: int | str | None = None,
    samples: int = 20_000,
    seed: int | None = None,
) -> FlowsSensitivity:
    """Each ranged figure's effect on one flows output of `aset` (default: the timeline's
    default set) — the round-trip share or net external revenue of the seller `party`, or the
    value of the warrant `flow` (in `year`: its part of that year): the output at the figure's
    low and high (the rest at their values), and its first-order share of the output's
    variance from `samples` seeded samples."""
    from gwcalc.uncertainty.flows_sensitivity import flows_sensitivity as _sensitivity
    from gwcalc.uncertainty.sampling import DEFAULT_SEED

    report, target = _target(aset, output, party, flow, year)
    return _sensitivity(report, target, samples, DEFAULT_SEED if seed is None else seed)


def flows_explain(
    output: str,
    aset: AssumptionSet | str | None = None,
    party: str | None = None,
    flow: str | None = None,
    year: int | str | None = None,
) -> FlowsExplanation:
    """Every step behind one flows output (see flows_sensitivity): each flow it reads with its
    kind, status, vesting and source, each figure with its range and source, then per buyer the
    gross, the money sent, min(sent, gross) and its share, with the values put in; a warrant's
    shares × max(0, price − strike). str() shows it, .to_dict() is `gwcalc explain --json`."""
    from gwcalc.analysis.flows_explain import flows_explain as _explain

    report, target = _target(aset, output, party, flow, year)
    return _explain(report, target)


__all__ = ["FLOW_OUTPUT_NAMES", "flows_explain", "flows_sensitivity"]
