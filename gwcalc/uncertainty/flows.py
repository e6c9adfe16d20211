"""Monte Carlo over the flows' ranged figures (a warrant's share price): p5, p50 and p95 of each
counted warrant's value and of each seller's round-trip share, through the one Sampler."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from gwcalc.errors import ParameterError
from gwcalc.money.balance import round_trips, seller_totals
from gwcalc.money.compute import FlowsReport
from gwcalc.money.select import CountedFlow
from gwcalc.uncertainty.distributions import distribution_of
from gwcalc.uncertainty.sampling import (
    Column,
    Sampler,
    Summary,
    check_samples,
    chunks,
    summarize,
)
from gwcalc.units.registry import Q_


@dataclass(frozen=True)
class FlowsUncertainty:
    """Each counted warrant's value (USD_equity, its counted part) and each seller's round-trip
    share over N samples of the ranged figures the flows use."""

    samples: int
    seed: int
    varied: tuple[str, ...]  # the ranged figures drawn
    warrants: tuple[tuple[str, Summary], ...]  # (flow name, its value in USD_equity)
    shares: tuple[tuple[str, Summary], ...]  # (seller, its round-trip share over all buyers)


def flow_columns(report: FlowsReport) -> list[Column]:
    """A column per ranged figure the counted flows use, in USD_equity per share."""
    columns = []
    for name in report.figures:
        param = report.aset.parameters[name]
        dist = distribution_of(param)
        value = float(param.quantity.to("USD_equity").magnitude)
        if dist is None or dist.point is not None:
            continue
        factor = float(Q_(1.0, param.quantity.units).to("USD_equity").magnitude)
        columns.append(Column(name, value, dist, f"parameter:{name}", factor))
    if not columns:
        _no_range(report)
    return columns


def _no_range(report: FlowsReport) -> None:
    """Refuse sampling flows with no ranged figure, saying where --set pinned one."""
    used = ", ".join(report.figures) or "none"
    pinned = [n for n in report.figures if n in report.aset.overrides]
    if not pinned:
        raise ParameterError(
            f"no figure the counted flows use has a range (they use: {used}), so every sample "
            "would be the same",
            "give a warrant's share price a range (low and high) to sample it",
        )
    effects = dict(report.aset.override_effects)
    removed = [n for n in pinned if "range" in effects.get(n, "")]
    how = "removed the range the set gives" if removed == pinned else "left no range"
    raise ParameterError(
        f"no figure the counted flows use has a range (they use: {used}): the override of "
        f"{', '.join(pinned)} gave one value and {how}, so every sample would be the same",
        "to keep a range, give the override one: " + ", ".join(f"{n}=LOW..HIGH" for n in pinned),
    )


def at_prices(counted: Sequence[CountedFlow], prices: dict[str, float]) -> list[CountedFlow]:
    """The counted flows with each warrant valued at the drawn prices (its counted part: the
    year's or the vested share of its value, as at the set's price)."""
    out = []
    for c in counted:
        w = c.flow.warrant
        if w is None or w.share_price not in prices:
            out.append(c)
        else:
            out.append(c._replace(amount=w.value(prices[w.share_price]) * c.share))
    return out


def flows_uncertainty(report: FlowsReport, samples: int, seed: int) -> FlowsUncertainty:
    """Draw the ranged figures the counted flows use (Sampler, seeded) and recompute each
    warrant's value and each seller's round trip per sample."""
    check_samples(samples)
    columns = flow_columns(report)
    sampler = Sampler.of_columns(columns, seed)
    counted = report.selection.counted
    warrants = [c for c in report.counted if c.flow.warrant is not None]
    sellers = [s.seller for s in report.sellers]
    values = {c.flow.name: array("d") for c in warrants}
    shares = {s: array("d") for s in sellers}
    for count in chunks(samples):
        drawn = sampler.columns(count)
        for i in range(count):
            prices = {col.name: drawn[j][i] for j, col in enumerate(columns)}
            flows = at_prices(counted, prices)
            for c in flows:
                if c.flow.name in values:
                    values[c.flow.name].append(c.amount)
            totals = {t.seller: t.share for t in seller_totals(round_trips(flows))}
            for s in sellers:
                shares[s].append(totals.get(s, 0.0))
    return FlowsUncertainty(
        samples,
        seed,
        tuple(c.name for c in columns),
        tuple((name, summarize(v)) for name, v in values.items()),
        tuple((s, summarize(v)) for s, v in shares.items()),
    )
