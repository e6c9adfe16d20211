"""Plain-data views of results (the JSON schema), shared by the CLI's JSON and table output."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gwcalc import __version__
from gwcalc.engine.graph import Conversion, Step
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.sets.ids import ascii_id
from gwcalc.units.registry import (
    KINDS,
    Quantity,
    Unit,
    describe_dimensions,
    dimensions,
    format_quantity,
    unit_text,
)

if TYPE_CHECKING:
    from gwcalc.analysis.check import CheckReport
    from gwcalc.analysis.diff import SetDiff
    from gwcalc.engine.plan import Gap, OutputPlan
    from gwcalc.sets.find import ListedSet, SetListing
    from gwcalc.uncertainty.sampling import DiffUncertainty, Summary, Uncertainty

FORMAT_VERSION = 2  # 2: one attribution item and summary everywhere, ids, "schema"
# demand_source in the gap's JSON: format 1 names a demand given with the run "--demand"
DEMAND_SOURCE_JSON = {"contracted_spend": "contracted_spend", "given": "--demand"}


def quantity_json(q: Quantity) -> dict[str, Any]:
    """{"value": 13.5, "unit": "GW_IT/yr"}: a unit string gwcalc (pint) parses back."""
    unit = unit_text(q.units)
    return {"value": float(q.magnitude), "unit": "" if unit == "dimensionless" else unit}


def set_json(aset: AssumptionSet) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": aset.id,
        "version": aset.version,
        "date": aset.date,
        "sha256": aset.sha256,
        "path": str(aset.path) if aset.path else None,
    }
    if aset.extends:
        out["extends"] = aset.extends
    out["caveats"] = list(aset.caveats)  # what is known to be wrong with the set (maybe none)
    if aset.overrides:
        from gwcalc.sets.overrides import overridden_quantity

        names = dict.fromkeys(aset.overrides)
        out["overrides"] = {n: quantity_json(overridden_quantity(aset, n)) for n in names}
        said = dict(aset.override_effects)  # what each did: 'every year set to 1.5M …; was …'
        out["override_effects"] = {n: said.get(n, "overridden") for n in names}
    return out


def envelope(schema: str, /, **body: object) -> dict[str, Any]:
    """The fields every JSON document starts with: the format's version, the name of the
    document's JSON Schema (docs/schemas/SCHEMA.schema.json) and gwcalc's version."""
    return {
        "format_version": FORMAT_VERSION,
        "schema": f"{schema}.schema.json",
        "gwcalc_version": __version__,
        **body,
    }


def step_json(step: Step, aset: AssumptionSet) -> dict[str, Any]:
    return {
        "parameter": step.parameter,
        "operation": "multiply" if step.exponent == 1 else "divide",
        "value": quantity_json(aset.quantity(step.parameter)),
        "from": KINDS[step.from_kind].label,
        "to": KINDS[step.to_kind].label,
    }


def conversion_json(conv: Conversion, aset: AssumptionSet) -> dict[str, Any]:
    return {
        **quantity_json(conv.result),
        "path": conv.path,
        "steps": [step_json(s, aset) for s in conv.steps],
    }


def gap_json(gap: Gap) -> dict[str, Any]:
    """The gap's outputs, the parameters along each chain, and where demand came from."""
    out: dict[str, Any] = {o.name: quantity_json(o.quantity) for o in gap.shown}
    for o in gap.shown:
        if o.output.path_key:
            out[o.output.path_key] = [f.parameter for f in o.factors]
    out["demand_source"] = DEMAND_SOURCE_JSON[gap.demand_source]
    return out


def basis_of(q: Quantity) -> str:
    """'IT power per year': what a number counts."""
    dims = dimensions(q)
    per_time = dims.pop("[time]", 0)
    text = describe_dimensions(dims)
    if per_time == -1:
        text += " per year" if unit_text(q.units).endswith("/yr") else " per unit of time"
    return text


def output_text(out: OutputPlan, value: float | None = None) -> str:
    """An output's value for people (or another value in its unit, e.g. a percentile):
    '13.5 GW_IT/yr', or '27.0%' for a share."""
    magnitude = float(out.quantity.magnitude) if value is None else value
    from gwcalc.units.registry import Q_, format_percent

    if out.output.percent:
        return format_percent(magnitude)
    return format_quantity(Q_(magnitude, out.quantity.units), out.output.sig)


def summary_json(summary: Summary, units: Unit) -> dict[str, Any]:
    """{"p5", "p50", "p95", "mean"} as quantities, and the percentiles' Monte Carlo errors (each
    null below 2 samples: no spread to estimate them from)."""
    from gwcalc.units.registry import Q_

    def q(value: float) -> dict[str, Any]:
        return quantity_json(Q_(value, units))

    errors = (None if e is None else q(e) for e in summary.standard_errors)
    return {
        "p5": q(summary.p5),
        "p50": q(summary.p50),
        "p95": q(summary.p95),
        "mean": q(summary.mean),
        "standard_error": dict(zip(("p5", "p50", "p95"), errors, strict=True)),
    }


def uncertainty_json(u: Uncertainty, keys: dict[str, str] | None = None) -> dict[str, Any]:
    """{"samples", "seed", "varied", "outputs": {NAME: summary}} (keys renames outputs)."""
    keys = keys or {}
    return {
        "samples": u.samples,
        "seed": u.seed,
        "varied": list(u.varied),
        "outputs": {
            keys.get(name, name): summary_json(s, u.units[name]) for name, s in u.summaries.items()
        },
    }


def diff_uncertainty_json(u: DiffUncertainty) -> dict[str, Any]:
    """`diff --samples`: outputs are the change B − A; before and after each set's outputs."""
    out = uncertainty_json(u.change)
    out["before"] = uncertainty_json(u.before)["outputs"]
    out["after"] = uncertainty_json(u.after)["outputs"]
    return out


# What gap compares: said beside its table, its Markdown and its JSON (issue 17)
GAP_DEMAND_NOTE = (
    "Demand is a total (contracts falling due over several years); supply is one year's output: "
    "the gap compares a stock with a flow. Their scopes are the set's: supply is the "
    "vendor_share of all CoWoS wafers (every buyer of that vendor), demand is contracted_spend "
    "(whose, its note says), so coverage is the set's arithmetic, not a like-for-like verdict. "
    "See gwcalc timeline for the years, at matched scopes."
)


def gap_document(gap: Gap, uncertainty: Uncertainty | None = None) -> dict[str, Any]:
    """`gwcalc gap --json` (with --samples: and its "uncertainty"), with the note that its
    demand is a total and its supply one year's."""
    extra = {"uncertainty": uncertainty_json(uncertainty)} if uncertainty is not None else {}
    return envelope(
        "gap",
        assumptions=set_json(gap.plan.aset),
        **gap_json(gap),
        demand_note=GAP_DEMAND_NOTE,
        **extra,
    )


def convert_document(
    aset: AssumptionSet,
    quantity: Quantity,
    results: list[Conversion],
    rates: AssumptionSet | None = None,
    chip: str | None = None,
    uncertainty: Uncertainty | None = None,
    input_range: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`gwcalc convert --json` (rates: the set the chains use, e.g. with a chip's figures; with
    --samples, its "uncertainty", keyed by unit; an input typed as a range: "input_range", and
    "input" is its median)."""
    extra: dict[str, Any] = {"chip": chip} if chip is not None else {}
    if input_range is not None:
        extra["input_range"] = input_range
    if uncertainty is not None:
        extra["uncertainty"] = uncertainty_json(uncertainty)
    return envelope(
        "convert",
        assumptions=set_json(aset),
        input=quantity_json(quantity),
        results=[conversion_json(c, rates or aset) for c in results],
        **extra,
    )


def attribution_item(
    inputs: Iterable[str], kind: str, delta: dict[str, Any] | None, share: float | None
) -> dict[str, Any]:
    """One part of a change, in every diff: the inputs that explain it (their names as the set
    writes them and their ASCII ids), what they are ("parameter"; "chain": parameters that
    change the chain itself; "chip", "mix", "deal", "statuses", "linked deals"; "demand"), the
    part of the change (a quantity) and its share of the whole (None when the whole is 0).
    Without a delta (diff --timeline's catch_up): the inputs and their kind only."""
    names = list(inputs)
    out = {"inputs": names, "ids": [ascii_id(n) for n in names], "kind": kind}
    return out if delta is None else {**out, "delta": delta, "share": share}


def diff_document(result: SetDiff) -> dict[str, Any]:
    """`gwcalc diff --json`."""
    params = []
    for ch in result.parameter_changes:
        params.append(
            {
                "name": ch.name,
                "status": ch.status,
                "before": quantity_json(ch.before.quantity) if ch.before else None,
                "after": quantity_json(ch.after.quantity) if ch.after else None,
                "change_pct": ch.change_pct,
                "sources": {
                    "before": ch.before.source.to_dict() if ch.before else None,
                    "after": ch.after.source.to_dict() if ch.after else None,
                },
            }
        )
    outputs = {}
    for out in result.output_changes:
        outputs[out.name] = {
            "before": quantity_json(out.before),
            "after": quantity_json(out.after),
            "delta": quantity_json(out.delta),
            "change_pct": out.change_pct,
            "attribution": [
                attribution_item(
                    s.parameters,
                    "chain" if s.chain_change else "parameter",
                    quantity_json(s.delta),
                    s.share,
                )
                for s in out.attribution
            ],
        }
    return envelope(
        "diff",
        before=set_json(result.before),
        after=set_json(result.after),
        differs=result.differs,
        method="lmdi",
        method_text=result.method,
        parameter_changes=params,
        range_changes=list(result.range_changes),
        output_changes=outputs,
    )


def range_json(p: Parameter) -> dict[str, Any] | None:
    """A figure's range in every document: its ends in the figure's unit, the distribution and
    the credibility of the interval (None without a range)."""
    if p.range is None:
        return None
    from gwcalc.units.registry import Q_

    return {
        "low": quantity_json(Q_(p.range.low, p.quantity.units)),
        "high": quantity_json(Q_(p.range.high, p.quantity.units)),
        "distribution": p.range.distribution,
        "credibility": p.range.credibility,
    }


def _parameter_json(p: Parameter) -> dict[str, Any]:
    """A parameter for `assumptions show --json`: its range and group only when it has them."""
    out: dict[str, Any] = {**quantity_json(p.quantity)}
    if p.range is not None:
        out["range"] = range_json(p)
    if p.group is not None:
        out["group"] = p.group
    return {**out, "source": p.source.to_dict(), "note": p.note, "implied": p.implied}


def show_document(aset: AssumptionSet) -> dict[str, Any]:
    """`gwcalc assumptions show --json`."""
    params = {n: _parameter_json(p) for n, p in aset.parameters.items()}
    for n, p in aset.parameters.items():
        if p.by_year:
            params[n]["by_year"] = {
                str(y.year): {**quantity_json(p.at(y.year).quantity), **y.to_dict()}
                for y in p.by_year
            }
    extra = aset.timeline.to_dict() if aset.timeline is not None else {}
    for key in ("deals", "flows"):  # each with its ASCII id beside its name
        if key in extra:
            extra[key] = [{"name": d["name"], "id": ascii_id(d["name"]), **d} for d in extra[key]]
    return envelope(
        "assumptions-show",
        assumptions=set_json(aset),
        title=aset.title,
        description=aset.description,
        extends=aset.extends,
        parameters=params,
        **extra,
    )


def listed_set_json(listed: ListedSet) -> dict[str, Any]:
    """One row of `gwcalc assumptions list --json`: the set, or why its file is unreadable."""
    item = listed.item
    if not isinstance(item, AssumptionSet):
        return {"name": listed.ref, "path": str(listed.path), "error": item.message}
    return {
        **set_json(item),
        "name": listed.ref,
        "title": item.title,
        "parameter_count": len(item.parameters),
        "default": listed.default,
        "timeline_default": listed.timeline_default,
        "newest": listed.newest,
    }


def list_document(listing: SetListing) -> dict[str, Any]:
    """`gwcalc assumptions list --json`."""
    return envelope(
        "assumptions-list",
        search_path=[str(d) for d in listing.dirs],
        default=listing.default,
        timeline_default=listing.timeline_default,
        sets=[listed_set_json(s) for s in listing.sets],
    )


def new_document(aset: AssumptionSet) -> dict[str, Any]:
    """`gwcalc assumptions new --json`: the set as written (its path), and what changed."""
    return envelope(
        "assumptions-new",
        written=str(aset.path),
        assumptions=set_json(aset),
        changes=list(aset.changes),
    )


def check_document(report: CheckReport) -> dict[str, Any]:
    """`gwcalc assumptions check --json`."""
    return envelope(
        "assumptions-check",
        assumptions=set_json(report.aset),
        clean=report.clean,
        tolerance_pct=report.tolerance * 100,
        findings=[
            {"level": f.level, "parameters": list(f.parameters), "message": f.message}
            for f in report.findings
        ],
    )


def chain_text(
    start: Quantity,
    steps: tuple[Step, ...],
    aset: AssumptionSet,
    result: Quantity,
    start_label: str = "",
) -> str:
    """'6 GW_IT × 500k gpu/GW_IT (gpus_per_gw) = 3M gpu' — arithmetic a reader can check."""
    if not steps and format_quantity(start) == format_quantity(result):
        return format_quantity(result)
    parts = [format_quantity(start) + (f" ({start_label})" if start_label else "")]
    raw = start
    for step in steps:
        rate = aset.quantity(step.parameter)
        parts.append(f"{step.operation} {format_quantity(rate)} ({step.parameter})")
        raw = raw * rate if step.exponent == 1 else raw / rate
    ratio = (raw / result).to("dimensionless").magnitude if result.magnitude else 1.0
    if abs(float(ratio) - 1) > 1e-9:
        # only a per-month input shown per year (or similar): show both, so each checks
        parts.append(f"= {format_quantity(raw.to_reduced_units())}")
    parts.append(f"= {format_quantity(result)}")
    return " ".join(parts)
