"""A contract's dollars checked against its stated size, in words (tables, Markdown, notes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwcalc.units.registry import Q_, Unit, format_number, format_percent, format_quantity

if TYPE_CHECKING:
    from gwcalc.timelines.deals import DealView


def value_check_text(view: DealView, unit: Unit, named: bool = True) -> str | None:
    """'Oracle–OpenAI: 300B USD_contract over 5 y at 13B USD_contract/GW_IT/yr = 4.615 GW_IT
    against 4.5 GW_IT stated (+2.6%)', or why the value is unchecked; None without a value.
    named=False leaves out the deal's name."""
    check = view.value_check
    if check is None:
        return None
    head = f"{format_quantity(check.value)} over {format_number(check.term_years)} y"
    head = f"{view.deal.name}: {head}" if named else head
    if check.at_rate is None or check.stated is None:
        return f"{head}, unchecked: {check.reason}"
    rate = check.rate
    if rate is not None:
        at = f"at {format_quantity(rate)}"
    else:
        ordered = sorted((r for _, r in check.rates), key=lambda r: float(r.magnitude))
        at = f"at {format_quantity(ordered[0])} to {format_quantity(ordered[-1])} by year"
    ratio = check.ratio
    diff = "" if ratio is None else f" ({format_percent(ratio - 1, sign=True)})"
    bought, stated = (
        format_quantity(Q_(check.at_rate, unit)),
        format_quantity(Q_(check.stated, unit)),
    )
    return f"{head} {at} = {bought} against {stated} stated{diff}"
