"""Rich tables of `gwcalc timeline`: years, the catch-up, the scope of each side, the deals."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from gwcalc.cli.output import plain
from gwcalc.cli.render_common import (
    SET_OVERRIDES,
    bar,
    bar_width,
    legend,
    print_caveats,
    set_title,
    value_cell,
)
from gwcalc.engine.outputs import SERIES
from gwcalc.report.contracts import value_check_text
from gwcalc.report.scopes import booked_past_lines, share_cell
from gwcalc.report.scopes import verdict as verdict_words
from gwcalc.report.timeline_rows import when_text
from gwcalc.report.titles import timeline_title
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter, Source
from gwcalc.timelines.compute import ComputedTimeline
from gwcalc.timelines.deals import DealView, checked_values
from gwcalc.timelines.diff import TimelineDiff
from gwcalc.timelines.scopes import Comparison, Scopes, compare
from gwcalc.units import DEFAULT_UNIT
from gwcalc.units.floats import BEYOND, LARGEST, float_fault
from gwcalc.units.registry import Q_, format_percent, format_quantity, parse_unit, unit_label


def whole_percent(ratio: float) -> str:
    """A share in whole percent ('27%'); one beyond floats as a bound ('>2e+307%'), not 'inf%'."""
    if float_fault(ratio) == BEYOND:
        return ("<-" if ratio < 0 else ">") + format_percent(LARGEST, 0)
    return format_percent(ratio, 0)


def years_table(result: ComputedTimeline, scopes: Scopes, console_width: int = 80) -> Table:
    """One row a year: supply built, demand due, running sums, the gap and a coverage bar;
    when the sides differ in scope, demand as a share of supply instead (no coverage)."""
    market = scopes.market
    table = Table(title=timeline_title(result, scopes, SET_OVERRIDES), title_justify="left")
    for name in ("year", *(s.heading for s in SERIES)):
        table.add_column(name, justify="right", no_wrap=True, min_width=4)
    table.add_column("covered" if market.matched else "Σ demand ÷ Σ supply", no_wrap=True)
    width = bar_width(console_width) if console_width >= 100 else 6
    for row in result.rows:
        if market.matched:
            ratio = row.cumulative_supply / row.cumulative_demand if row.cumulative_demand else None
            share = "—" if ratio is None else f"{bar(ratio, width)} {whole_percent(ratio)}"
        else:
            ratio = row.cumulative_demand / row.cumulative_supply if row.cumulative_supply else None
            share = "—" if ratio is None else whole_percent(ratio)
        table.add_row(str(row.year), *(_amount(v) for v in row.values()), share)
    return table


def _amount(value: float) -> str:
    return format_quantity(Q_(value, "dimensionless"))


def verdict(result: ComputedTimeline, scopes: Scopes) -> Text:
    """The answer in words, naming both sides' scopes (gwcalc.report.scopes.verdict)."""
    words = verdict_words(result, scopes)
    style = {"good": "bold green", "bad": "bold red"}.get(words.tone, "bold")
    return plain(words.text, style=style)


def shares_table(title: str, comparisons: tuple[Comparison, ...], first: str) -> Table:
    """Each comparison's demand as a share of its supply to date, by year ('!' past it)."""
    table = Table(title=title, title_justify="left")
    table.add_column(first, overflow="fold")
    years = [y.year for y in comparisons[0].years]
    for year in years:
        table.add_column(str(year), justify="right", no_wrap=True)
    for c in comparisons:
        cells = [share_cell(c, y) for y in years]
        table.add_row(
            plain(c.name), *(plain(x, style="bold red") if "!" in x else x for x in cells)
        )
    return table


def print_scopes(out: Any, result: ComputedTimeline, scopes: Scopes) -> None:
    """Each vendor's book against its output, the buyer asked for, and what is booked past
    its output or has no supply in the set."""
    if scopes.vendors:
        title = "Vendors: book as a share of output to date (! past it)"
        out.print(shares_table(title, scopes.vendors, "vendor"))
    if scopes.buyer_name is not None:
        title = f"{scopes.buyer_name}: demand as a share of each vendor's output to date"
        out.print(shares_table(title, scopes.buyer, "vendor"))
    for line in booked_past_lines(result, scopes):
        out.print(plain(line, style="bold red" if line.startswith("Booked") else ""))


def chips_table(result: ComputedTimeline) -> Table | None:
    """Supply by chip (a row each, with its vendor) and year, when the set has a chip mix."""
    rows = [r for r in result.rows if r.supply_by_chip]
    if not rows:
        return None
    chips = list(dict.fromkeys(chip for r in rows for chip, _ in r.supply_by_chip))
    catalogue = result.timeline.chips
    table = Table(title="Supply by chip (chips in the mix)", title_justify="left")
    table.add_column("chip (vendor)", overflow="fold")
    for r in rows:
        table.add_column(str(r.year), justify="right", no_wrap=True)
    by_year = [dict(r.supply_by_chip) for r in rows]
    for chip in chips:
        vendor = catalogue[chip].vendor if chip in catalogue else ""
        cells = (_amount(y[chip]) if chip in y else "—" for y in by_year)
        table.add_row(plain(f"{chip} ({vendor})" if vendor else chip), *cells)
    return table


def deals_table(result: ComputedTimeline) -> Table | Group:
    """Every deal: who, what status, how large (as given and in the unit), when, counted; then
    what each contract value beside a stated size buys at the set's contract rate."""
    unit = unit_label(result.unit)
    table = Table(title="Deals", title_justify="left")
    words = [w for view in result.deals for w in view.deal.name.split()]
    table.add_column("deal", min_width=min(16, max(map(len, words), default=4)), overflow="fold")
    table.add_column("status", min_width=11, overflow="fold")  # 'letter-of-intent' may fold
    sizes = [_size_text(view) for view in result.deals]
    table.add_column("size", justify="right")  # narrow, it wraps between number and unit
    table.add_column(unit, justify="right", no_wrap=True)
    table.add_column("when", min_width=8, overflow="fold")
    for view, size in zip(result.deals, sizes, strict=True):
        deal = view.deal
        when = when_text(deal)
        table.add_row(
            plain(deal.name),
            _status(view.counted, deal.status),
            size,
            _amount(view.size) if view.schedule else "—",
            when,
        )
    notes = ["✓ counted as demand, ✗ not"]
    if any(v.deal.phasing_implied for v in result.deals):
        notes.append("* phasing implied: no source states the schedule")
    if any(v.deal.size_implied for v in result.deals):
        notes.append("† size implied: derived, see the deal's note")
    checks = [c for c in (value_check_text(v, result.unit) for v in result.deals) if c]
    if checks:
        notes.append("‡ contract dollars beside the size: checked below")
    table.caption = "; ".join(notes)
    table.caption_justify = "left"
    if not checks:
        return table
    lines = Table.grid(padding=(0, 1))  # what each contract's dollars buy at the contract rate
    lines.add_column(no_wrap=True)
    lines.add_column(overflow="fold")
    for i, check in enumerate(checks):
        lines.add_row("Value check:" if i == 0 else "", plain(check))
    return Group(table, lines)


def _size_text(view: DealView) -> str:
    """The size as given, marked † when implied and ‡ when a contract value is checked."""
    return (
        format_quantity(view.size_given)
        + ("†" if view.deal.size_implied else "")
        + ("‡" if view.value_check is not None else "")
    )


def _status(counted: bool, status: str) -> Text:
    if counted:
        return plain(f"{status} ✓", style="green")
    return plain(f"{status} ✗", style="yellow")


def not_counted(result: ComputedTimeline) -> Table | None:
    """'Not counted: A, B: why' for the deals the timeline leaves out, one line per reason."""
    by_reason: dict[str, list[str]] = {}
    for view in result.deals:
        if not view.counted:
            by_reason.setdefault(view.reason or "", []).append(view.deal.name)
    if not by_reason:
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for i, (reason, names) in enumerate(by_reason.items()):
        grid.add_row("Not counted:" if i == 0 else "", plain(f"{', '.join(names)}: {reason}"))
    return grid


def print_timeline(out: Any, result: ComputedTimeline, scopes: Scopes) -> None:
    """`gwcalc timeline`'s tables: years, the verdict, scopes, each vendor and the buyer asked
    for, chips, deals, caveats, units."""
    out.print(years_table(result, scopes, out.width))
    out.print(verdict(result, scopes))
    timeline = result.timeline
    scope = Table.grid(padding=(0, 1))
    scope.add_column(no_wrap=True)
    scope.add_column(overflow="fold")
    market = scopes.market
    supply = f". {timeline.supply_scope}" if timeline.supply_scope else ""
    scope.add_row("Supply:", plain(f"{market.supply.describe()}{supply}"))
    counted = ", ".join(result.counted_statuses) or "none"
    demand = f". {timeline.demand_scope}" if timeline.demand_scope else ""
    scope.add_row("Demand:", plain(f"{market.demand.describe()}{demand}"))
    note = "change with --status"
    if set(result.counted_statuses) != set(timeline.counted_statuses):
        note = f"this run's --status; the set counts {', '.join(timeline.counted_statuses)}"
    scope.add_row("Counted:", f"deals whose status is {counted} ({note})")
    out.print(scope)
    print_scopes(out, result, scopes)
    chips = chips_table(result)
    if chips is not None:
        out.print(chips)
    out.print(deals_table(result))
    left_out = not_counted(result)
    if left_out is not None:
        out.print(left_out)
    print_caveats(out, result.aset)
    out.print(legend([Q_(1.0, result.unit)]))
    out.print(
        "Each year's factors: gwcalc timeline --json (supply_factors); every figure with its "
        f"source: gwcalc assumptions show {result.aset.id}@{result.aset.version}"
    )


# ---------------------------------------------------------------- `assumptions show`


def _cited(source: Source, note: str | None, implied: bool) -> Text:
    text = source.cite() + (f"\n{note}" if note else "")
    if implied:
        text = "IMPLIED: no source states this figure; the note gives the reasoning.\n" + text
    return plain(text)


def _figures_table(title: str, rows: list[tuple[str, str, Parameter]]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("", style="bold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("source and note", overflow="fold")
    for label, value, param in rows:
        table.add_row(plain(label), value, _cited(param.source, param.note, param.implied))
    return table


def print_time_axis(out: Any, aset: AssumptionSet) -> None:
    """A format 2 set's time axis: values by year, chips, the mix and deals, each sourced."""
    timeline = aset.timeline
    assert timeline is not None
    out.print(f"Timeline {timeline.start}–{timeline.end}", style="bold")
    rows = [
        (f"{name} {y.year}", value_cell(p.at(y.year), scaled=y.range is None), p.at(y.year))
        for name, p in aset.parameters.items()
        for y in p.by_year
    ]
    if rows:
        out.print(_figures_table("Values by year (a range marked scaled is the parameter's)", rows))
    chip_rows = [
        (f"{name} ({chip.vendor}): {field.replace('_', ' ')}", value_cell(p), p)
        for name, chip in timeline.chips.items()
        for field, p in chip.figures.items()
    ]
    if chip_rows:
        out.print(_figures_table("Chips (each a unit: '2M GB300')", chip_rows))
    if timeline.mix:
        title = "Mix: shares of each year's wafers"
        mix = Table(title=title, title_justify="left", show_lines=True)
        mix.add_column("year", justify="right")
        mix.add_column("shares", overflow="fold")
        mix.add_column("source and note", overflow="fold")
        for year, m in sorted(timeline.mix.items()):
            shares = ", ".join(f"{c} {s:.3g}" for c, s in m.shares.items())
            cited = _cited(m.source, m.note, m.implied)
            mix.add_row(str(year), f"{shares}; other {m.other:.3g}", cited)
        out.print(mix)
    if timeline.deals:
        out.print(_deals_detail(aset))
    if timeline.flows:
        from gwcalc.cli.render_flows import flows_detail

        out.print(flows_detail(aset))
    counted = ", ".join(timeline.counted_statuses)
    out.print(plain(f"Counted as demand: deals whose status is {counted}."))


def _deals_detail(aset: AssumptionSet) -> Table:
    assert aset.timeline is not None
    table = Table(title="Deals", title_justify="left", show_lines=True)
    table.add_column("deal", style="bold", overflow="fold")
    table.add_column("terms", overflow="fold")
    table.add_column("source and note", overflow="fold", ratio=2)
    unit = parse_unit(DEFAULT_UNIT)  # a contract value is checked in GW, as timeline's default
    checks = checked_values(aset, unit)
    for d in aset.timeline.deals:
        terms = (
            f"{d.buyer} from {d.seller}, {d.kind}, {d.status}; {d.size_text}; {d.start}–{d.end}, "
            + ("phased by year" if d.phasing == "shares" else "even")
            + (" (implied)" if d.phasing_implied else "")
            + (f"; same capacity as {d.same_capacity_as}" if d.same_capacity_as else "")
        )
        if d.term_years is not None and d.value_text is None:
            terms += f"; paid over {d.term_years:g} y, at contract_rate_per_gw_year"
        check = checks.get(d.name)
        if check is not None:
            terms += f"; value {value_check_text(check, unit, named=False)}"
        table.add_row(plain(d.name), plain(terms), _cited(d.source, d.note, d.size_implied))
    return table


# ---------------------------------------------------------------- `diff --timeline`


def print_timeline_diff(out: Any, result: TimelineDiff) -> None:
    """`gwcalc diff A B --timeline`: the gap in one year before and after, what moved it, and
    what moves the catch-up year."""
    before, after, year = result.before, result.after, result.year
    unit = unit_label(before.unit)
    out.print(plain(f"A {set_title(before.aset)}"))
    out.print(plain(f"B {set_title(after.aset)}"))
    rows = result.row(before), result.row(after)
    table = Table(title=f"Timelines {before.rows[0].year}–{before.rows[-1].year} ({unit})",
                  title_justify="left")  # fmt: skip
    for name, justify in (("", "left"), ("A", "right"), ("B", "right"), ("change", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]  # rich wants a Literal
    for label, attr in (("Σ supply", "cumulative_supply"), ("Σ demand", "cumulative_demand"),
                        ("gap (Σ demand − Σ supply)", "gap")):  # fmt: skip
        a, b = getattr(rows[0], attr), getattr(rows[1], attr)
        table.add_row(f"{label} by {year}", _amount(a), _amount(b), _amount(b - a))
    if before.matched:  # both or neither (diff refuses sets that count different buyers)
        caught = [r.covered_in for r in (before, after)]
        table.add_row("supply catches up in", *(str(c) if c else "not yet" for c in caught), "")
    out.print(table)
    for side, computed in (("A", before), ("B", after)):
        market = compare(computed).market
        out.print(
            plain(f"{side}: demand counts {market.demand.describe()}; supply counts "
                  f"{market.supply.describe()}")
        )  # fmt: skip
    print_caveats(out, before.aset, after.aset)
    if not result.parts:
        out.print("No input of the timeline differs.")
        return
    out.print(_parts_table(result, unit))
    out.print(plain(f"Parts add up to the change. Method: {result.method}."))
    if before.matched:
        out.print(_catch_up_table(result))
    else:
        out.print(plain(NO_CATCH_UP))


NO_CATCH_UP = (
    "No catch-up year: the sets' demand does not count every buyer, while their supply counts "
    "every buyer's chips, so neither says when supply covers demand (`gwcalc timeline` names "
    "both scopes)."
)


def _parts_table(result: TimelineDiff, unit: str) -> Table:
    change = result.gap_change
    table = Table(title=f"What moved the gap by {result.year} ({unit})", title_justify="left")
    table.add_column("input", overflow="fold")
    table.add_column("part", justify="right", no_wrap=True)
    table.add_column("share", justify="right", no_wrap=True)
    for item, part in sorted(result.parts, key=lambda p: -abs(p[1])):
        if part != 0:
            share = whole_percent(part / change) if change else "—"
            table.add_row(plain(item.label), _amount(part), share)
    still = [item.label for item, part in result.parts if part == 0]
    if still:
        table.caption = "Changed, but no part of the gap: " + ", ".join(still)
        table.caption_justify = "left"
    return table


def _catch_up_table(result: TimelineDiff) -> Table | Text:
    base = result.before.covered_in
    moved = [(item, year) for item, year in result.catch_up if year != base]
    head = f"A catches up in {base or 'no year'}, B in {result.after.covered_in or 'no year'}"
    if not moved:
        return plain(f"{head}; no input of B alone moves A's catch-up year.")
    table = Table(
        title=f"{head}. Inputs of B that alone move A's catch-up year:", title_justify="left"
    )
    table.add_column("input", overflow="fold")
    table.add_column("catches up in", justify="right", no_wrap=True)
    for item, year in moved:
        table.add_row(plain(item.label), str(year) if year else "not in these years")
    return table
