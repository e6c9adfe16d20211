"""A deal's checked fields beyond who, what and when: its size, the contract's term and value,
a capex plan's AI share, and what a plan's size may be."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from gwcalc.errors import GwcalcError, ParameterError
from gwcalc.sets.field_checks import check_text, shown
from gwcalc.sets.read_figures import Fail
from gwcalc.sets.time_axis import Deal
from gwcalc.units.registry import dimensions, parse_quantity

# what a plan's size may be: a capex plan is an owner's spending (hardware or all-in dollars),
# a GW plan its capacity (IT or facility power)
PLAN_SIZES = {
    "capex-plan": (
        {"[hardware_money]", "[all_in_money]"},
        "spending (hardware or all-in dollars)",
        "'190B USD_all_in'",
    ),
    "gw-plan": ({"[it_power]", "[facility_power]"}, "power (IT or facility)", "'5 GW'"),
}


def check_deal_size(text: str, key: str, fail: Fail) -> None:
    """A deal's size: a positive total of one kind (GW, GW_facility, USD, USD_all_in, gpu…)."""
    try:
        q = parse_quantity(text)
    except GwcalcError as exc:
        raise fail(f"{key}: size: {exc.message}", "deals", hint=exc.hint) from None
    dims = dimensions(q)
    if len(dims) != 1 or next(iter(dims.values())) != 1 or not float(q.magnitude) > 0:
        raise fail(
            f"{key}: size {text!r} is not a positive total of one kind",
            "deals",
            hint="e.g. '6 GW' (IT power), '4.5 GW_facility', '$300B' (hardware), "
            "'300B USD_all_in' (all-in) or '300B USD_contract' (a cloud contract)",
        )


def contract_fields(
    table: Mapping[str, Any], key: str, size_text: str, fail: Fail
) -> dict[str, Any]:
    """A deal's vendor, term, contract value and AI share, each checked: contract dollars need
    a term; a value is contract dollars beside a size that is not; an AI share is a fraction."""
    vendor = table.get("vendor")
    out: dict[str, Any] = {
        "vendor": None
        if vendor is None
        else read_text(vendor, f"{key}: vendor", fail, required=True)
    }
    term = _positive(table.get("term_years"), f"{key}: term_years", fail)
    value = table.get("value")
    if value is not None:
        value = read_text(value, f"{key}: value", fail, required=True)
        check_deal_size(value, key, fail)
        if not _is_contract(value) or _is_contract(size_text):
            raise fail(
                f"{key}: value {value!r} is checked against the size, so it is contract dollars "
                f"beside a size of another kind (size {size_text!r})",
                "deals",
                hint="e.g. size = '4.5 GW', value = '300B USD_contract', term_years = 5",
            )
    if (_is_contract(size_text) or value is not None) and term is None:
        raise fail(
            f"{key}: contract dollars are paid over a term: give term_years",
            "deals",
            hint="e.g. term_years = 5 (the contract's term, as its source states it)",
        )
    if term is not None and not (_is_contract(size_text) or value is not None):
        raise fail(
            f"{key}: term_years is given, but neither size nor value is in USD_contract, so it "
            "would change nothing",
            "deals",
            hint="drop term_years, or give the contract's dollars in USD_contract",
        )
    share = table.get("ai_share")
    if share is not None and (_positive(share, f"{key}: ai_share", fail) or 0) > 1:
        raise fail(
            f"{key}: ai_share is {float(share):g}, more than the whole plan",
            "deals",
            hint="a fraction in (0, 1], e.g. 0.8 for 80% of the capex",
        )
    out.update(term_years=term, value_text=value, ai_share=None if share is None else float(share))
    chips = table.get("chips")
    if chips is not None:
        if not isinstance(chips, list) or not chips or not all(isinstance(c, str) for c in chips):
            raise fail(f"{key}: chips is {shown(chips)}", "deals", hint="e.g. chips = ['MI450']")
        if len(set(chips)) != len(chips):
            raise fail(f"{key}: chips names a chip twice", "deals", hint="name each chip once")
        out["chips"] = tuple(chips)
    return out


def read_text(value: object, key: str, fail: Fail, *, required: bool = False) -> str:
    """A text field, stripped; a missing required one or a non-string is an error naming key."""
    try:
        return check_text(value, required=required).strip()
    except ParameterError as exc:
        raise fail(f"{key}: {exc.message}", key, hint=exc.hint) from None


def _positive(value: object, key: str, fail: Fail) -> float | None:
    if value is None:
        return None
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not math.isfinite(float(value)) or not float(value) > 0:  # type: ignore[arg-type]
        raise fail(f"{key} is {shown(value)}", "deals", hint="a positive number")
    return float(value)  # type: ignore[arg-type]


def _is_contract(text: str) -> bool:
    return "[contract_money]" in dimensions(parse_quantity(text))


def check_plan(deal: Deal, fail: Fail) -> None:
    """A plan's size is of its kind (a capex plan in spending dollars, never a contract's; a
    GW plan in power), and only a capex plan has an AI share (elsewhere it would silently
    scale a deal)."""
    allowed = PLAN_SIZES.get(deal.kind)
    key = f"deal {deal.name!r}"
    if allowed is not None and not set(dimensions(parse_quantity(deal.size_text))) <= allowed[0]:
        _, what, example = allowed
        raise fail(
            f"{key}: a {deal.kind}'s size is {what}, not {deal.size_text!r}",
            "deals",
            hint=f"e.g. {example}",
        )
    if deal.ai_share is not None and deal.kind != "capex-plan":
        raise fail(
            f"{key}: ai_share scales a capex plan's spending; on a {deal.kind} it would scale "
            "the deal itself",
            "deals",
            hint="drop ai_share, or make the deal a capex-plan",
        )


def check_chips(deal: Deal, catalogue: Mapping[str, Any], fail: Fail) -> None:
    """A deal's chips are the catalogue's (a misspelt one would leave its book empty)."""
    unknown = [c for c in deal.chips if c not in catalogue]
    if unknown:
        raise fail(
            f"deal {deal.name!r}: chips names {unknown[0]!r}, which is not in the catalogue",
            "deals",
            hint="chips: " + (", ".join(catalogue) or "none (the set has no [chips])"),
        )
