"""Why contract, investment and revenue dollars convert into nothing else directly: the words
of every refusal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gwcalc.errors import DimensionError
from gwcalc.units.registry import KINDS

CONTRACT_MONEY = "[contract_money]"
MONEY = ("[hardware_money]", "[all_in_money]")
PAID_OVER_A_TERM = (
    "a cloud contract's dollars pay for capacity, operations and margin over its term, so at a "
    "contract rate (contract_rate_per_gw_year, dollars per GW-year) they buy GW-years, not GW"
)
WHAT_TO_GIVE = (
    "give the contract's GW if its source states them (e.g. '4.5 GW'), or list the contract as a "
    "deal of a set with its term (size = '300B USD_contract', term_years = 5), which the "
    "timeline converts: GW = dollars ÷ term ÷ contract_rate_per_gw_year"
)


def contract_refusal(source: str, target: str | None) -> DimensionError | None:
    """The error for converting contract dollars into another kind (target None: into any), or
    another kind into them (kinds as pint dimensions); None when neither side is contract
    dollars, or both are."""
    if (source == CONTRACT_MONEY) == (target == CONTRACT_MONEY):
        return None
    if target is None:
        lead = "gwcalc converts contract dollars into no other kind"
    else:
        lead = f"gwcalc does not convert {KINDS[source].label} into {KINDS[target].label}"
        if source in MONEY or target in MONEY:
            lead += ", which are not the same dollars"
    return DimensionError(f"{lead}: {PAID_OVER_A_TERM}", WHAT_TO_GIVE)


def contract_mismatch(
    name: str, given: Mapping[str, int], wanted: Mapping[str, int], units: str
) -> DimensionError | None:
    """The error for a figure given in contract dollars where its unit has none (or the
    reverse): dimensions as pint's, units the figure's own as text; None when both or neither
    count contract dollars."""
    if (CONTRACT_MONEY in given) == (CONTRACT_MONEY in wanted):
        return None
    if CONTRACT_MONEY in given:
        lead = f"{name} is in {units}, not contract dollars"
        hint = f"give {name} in {units}; for a contract, {WHAT_TO_GIVE}"
    else:
        lead = f"{name} is in contract dollars ({units}), not hardware-only or all-in dollars"
        hint = f"give {name} in {units}"
    return DimensionError(f"{lead}: {PAID_OVER_A_TERM}", hint)


# investment dollars (equity, warrants, loans) and revenue dollars: money between parties
FLOW_MONEY = ("[equity_money]", "[revenue_money]")
BETWEEN_PARTIES = (
    "investment and revenue dollars are money between parties, not compute or its cost, so no "
    "rate converts them"
)
FLOW_HINT = (
    "list the money as a flow of a set ([[flows]]): flows compare it with what a buyer paid, "
    "as nominal dollars (gwcalc flows)"
)


def flow_money_refusal(source: str, target: str | None) -> DimensionError | None:
    """The error for converting investment or revenue dollars into another kind (target None:
    into any), or another kind into them; None when neither side is one of them, or both are
    the same kind."""
    if source not in FLOW_MONEY and target not in FLOW_MONEY:
        return None
    if source == target:
        return None
    if target is None:
        lead = f"gwcalc converts {KINDS[source].label} into no other kind"
    else:
        lead = f"gwcalc does not convert {KINDS[source].label} into {KINDS[target].label}"
    return DimensionError(f"{lead}: {BETWEEN_PARTIES}", FLOW_HINT)


def refusal_alone(kinds: Iterable[str]) -> DimensionError | None:
    """The error for a quantity of these kinds (pint dimensions) converted into every unit it
    relates to: contract, investment and revenue dollars relate to none."""
    for kind in kinds:
        if kind == CONTRACT_MONEY:
            return contract_refusal(CONTRACT_MONEY, None)
        if kind in FLOW_MONEY:
            return flow_money_refusal(kind, None)
    return None
