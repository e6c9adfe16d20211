"""What `gwcalc diff` shows of the money: the flows that differ and each seller's round-trip
share in A and in B, as a JSON part, CSV rows, Markdown or Rich tables and -q lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwcalc.report.deals_diff import deal_csv_rows, deal_quiet, deal_rows
from gwcalc.report.flows import amount_json, amount_text
from gwcalc.report.rows import Cell, Rows, diff_csv, diff_markdown, diff_quiet, ratio_text
from gwcalc.sets.ids import ascii_id
from gwcalc.units.registry import format_number

if TYPE_CHECKING:
    from gwcalc.analysis.diff import SetDiff
    from gwcalc.money.diff import FlowsDiff, FlowSide, SellerShare

MONEY_BASIS = (
    "Flows are matched by name; an amount is the flow's terms at its set's figures (a warrant "
    "at its share price, as if fully vested). Round-trip shares are each set's own: money a "
    "seller sent its buyers against money they paid it (nominal dollars), at the set's counted "
    "flow statuses."
)


def _value(side: FlowSide, field: str) -> str:
    f = side.flow
    if field == "amount":
        return amount_text(side.amount, side.unit)
    if field == "when":
        return str(f.start) if f.end is None else f"{f.start}–{f.end}"
    if field == "vesting":
        v = f.vesting
        return (
            "no vesting condition"
            if v is None
            else f"vests with {v.deal}, in full at {v.full_text}"
        )
    if field == "vesting_deal":
        return f"vests with {side.field(field)}, a deal that differs"
    value = side.field(field)
    return str(value)


def side_text(side: FlowSide | None, fields: tuple[str, ...]) -> str:
    """'100B USD_equity; letter-of-intent; 2025-09-22': the fields that differ ('—': absent)."""
    if side is None:
        return "—"
    return "; ".join(_value(side, f) for f in fields)


def terms_text(side: FlowSide | None) -> str:
    """An added or removed flow's terms: 'NVIDIA → OpenAI, equity 30B USD_equity, closed
    2026-03-31' ('—': absent)."""
    if side is None:
        return "—"
    f = side.flow
    amount = _value(side, "amount")
    return f"{f.payer} → {f.payee}, {f.kind} {amount}, {f.status} {f.status_date}"


def _side_json(side: FlowSide | None) -> dict[str, Any] | None:
    if side is None:
        return None
    f = side.flow
    return {
        "from": f.payer,
        "to": f.payee,
        "kind": f.kind,
        "amount": amount_json(side.amount, side.unit),
        "status": f.status,
        "status_date": f.status_date,
        "start": str(f.start),
        "end": str(f.last),
        "counted": side.counted,
    }


def money_diff_json(m: FlowsDiff) -> dict[str, Any]:
    """The money part of `gwcalc diff --json`."""
    return {
        "differs": m.differs,
        "basis": MONEY_BASIS,
        "flows": [
            {
                "name": c.name,
                "id": ascii_id(c.name),
                "change": c.change,
                "fields": list(c.fields),
                "counted": c.counted,
                "before": _side_json(c.before),
                "after": _side_json(c.after),
            }
            for c in m.changes
        ],
        "sellers": [
            {
                "seller": s.seller,
                "id": ascii_id(s.seller),
                "gross_nominal_usd": {"before": s.gross_before, "after": s.gross_after},
                "round_trip_nominal_usd": {"before": s.part_before, "after": s.part_after},
                "round_trip_share": {"before": s.share_before, "after": s.share_after},
            }
            for s in m.sellers
        ],
    }


def money_flow_rows(m: FlowsDiff) -> Rows:
    """The flows that differ: what changed, the fields in A and in B."""
    rows: list[list[Cell]] = []
    for c in m.changes:
        if c.change == "changed":
            a, b = side_text(c.before, c.fields), side_text(c.after, c.fields)
            if c.counted:  # its status moved into (or out of) the counted statuses
                a, b = (f"{t} ({'' if s and s.counted else 'not '}counted)" for t, s in
                        ((a, c.before), (b, c.after)))  # fmt: skip
            rows.append([c.name, ", ".join(c.fields), a, b])
        else:
            rows.append([c.name, c.change, terms_text(c.before), terms_text(c.after)])
    return Rows(("flow", "change", "A", "B"), rows)


def _share_text(share: float | None) -> str:
    return "—" if share is None else ratio_text(share)


def _gross_text(gross: float | None) -> str:
    return "—" if gross is None else format_number(gross)


SELLERS_TITLE = "Money: round-trip share by seller"


def money_seller_rows(m: FlowsDiff) -> Rows:
    """The round-trip share and gross in A and in B (nominal dollars) of each seller whose
    share moved (as CSV and -q list them; seller_lines says how many did not)."""
    rows: list[list[Cell]] = [
        [
            s.seller,
            _share_text(s.share_before),
            _share_text(s.share_after),
            _gross_text(s.gross_before),
            _gross_text(s.gross_after),
        ]
        for s in _moved(m)
    ]
    header = ("seller", "share A", "share B", "gross A", "gross B")
    return Rows(header, rows, (1, 2, 3, 4))


def unchanged_sellers_line(m: FlowsDiff) -> str | None:
    """'Money: no seller's round-trip share differs (11 sellers).', or beside a table of the
    sellers whose share moved, how many others kept theirs (None: every one moved)."""
    same = len(m.sellers) - len(_moved(m))
    if same == len(m.sellers):
        return f"Money: no seller's round-trip share differs ({_sellers(same)})."
    if not same:
        return None
    return f"Round-trip share the same in A and B for the other {_sellers(same)}."


def _sellers(count: int) -> str:
    return f"{count} seller" + ("" if count == 1 else "s")


def money_csv_rows(m: FlowsDiff) -> list[list[Cell]]:
    """Rows of diff's CSV (kind, name, before_value, before_unit, after_value, after_unit,
    change_pct), one per field that differs: a flow's amount ('flow_amount'), its other fields
    as text ('flow_status', 'flow_from', 'flow_when', 'flow_vesting'…, units empty), whether it
    counts ('flow_counted'), each seller's round-trip share that moved ('round_trip_share')."""
    rows: list[list[Cell]] = []
    for c in m.changes:
        x, y = c.before, c.after
        if "amount" in c.fields:
            a = [x.amount, x.unit] if x is not None else [None, None]
            b = [y.amount, y.unit] if y is not None else [None, None]
            same_unit = x is not None and y is not None and x.unit == y.unit and x.amount
            pct = (y.amount / x.amount - 1) * 100 if same_unit and x and y else None
            rows.append(["flow_amount", c.name, *a, *b, pct])
        for field in (f for f in c.fields if f != "amount"):
            before = _value(x, field) if x is not None else None
            after = _value(y, field) if y is not None else None
            rows.append([f"flow_{field}", c.name, before, None, after, None, None])
        if c.counted and x is not None and y is not None:
            counted = [str(x.counted).lower(), None, str(y.counted).lower(), None, None]
            rows.append(["flow_counted", c.name, *counted])
    for s in _moved(m):
        rows.append(["round_trip_share", s.seller, s.share_before, "", s.share_after, "", None])
    return rows


def _moved(m: FlowsDiff) -> list[SellerShare]:
    """The sellers whose round-trip share moved (or who are sellers in one set only)."""
    return [s for s in m.sellers if s.share_before != s.share_after]


def money_quiet(m: FlowsDiff) -> list[str]:
    """'flow changed amount,status,status_date NAME' per flow (and 'flow_counted no yes NAME'
    when it moves into the counted statuses), 'round_trip_share 0 0.75 NAME' per seller whose
    share moved, as '0.0% 75.0%' ('-' where it is no seller); names last (they may hold spaces)."""
    lines = []
    for c in m.changes:
        lines.append(
            f"flow {c.change} {','.join(c.fields) if c.change == 'changed' else '-'} {c.name}"
        )
        if c.counted:
            lines.append(
                f"flow_counted {'no yes' if c.counted == 'now counted' else 'yes no'} {c.name}"
            )
    for s in _moved(m):
        a, b = (("-" if v is None else ratio_text(v)) for v in (s.share_before, s.share_after))
        lines.append(f"round_trip_share {a} {b} {s.seller}")
    return lines


def diff_csv_with_money(result: SetDiff) -> Rows:
    """diff's CSV rows, then the deals' (deal_csv_rows) and the money's (money_csv_rows)."""
    rows = diff_csv(result)
    more = deal_csv_rows(result.deals)
    if result.money is not None:
        more += money_csv_rows(result.money)
    return Rows(rows.header, [*rows.rows, *more], rows.numeric)


def diff_markdown_with_money(result: SetDiff) -> list[Rows | str]:
    """diff's Markdown tables, then the flows that differ and the round-trip shares."""
    parts = diff_markdown(result)
    if result.deals:
        parts.append(deal_rows(result.deals))  # its heading 'deal' says what it holds
    if result.money is not None:
        flows = money_flow_rows(result.money)
        parts += ["**Money: flows that differ**", flows if flows.rows else "none"]
        sellers, line = money_seller_rows(result.money), unchanged_sellers_line(result.money)
        parts += [f"**{SELLERS_TITLE}**", sellers] if sellers.rows else []
        parts += [line] if line is not None else []
        parts.append(MONEY_BASIS)
    return parts


def diff_quiet_with_money(result: SetDiff) -> list[str]:
    lines = diff_quiet(result)
    gap = sum("->" not in o.name for o in result.output_changes)  # then the conversions
    lines[gap:gap] = deal_quiet(result.deals)
    return lines + (money_quiet(result.money) if result.money is not None else [])
