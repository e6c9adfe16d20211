"""What `gwcalc diff` shows of the money: the flows that differ and each seller's round-trip
share in A and in B, as a JSON part, CSV rows, Markdown or Rich tables and -q lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwcalc.report.flows import amount_json, amount_text
from gwcalc.report.rows import Cell, Rows, diff_csv, diff_markdown, diff_quiet, ratio_text
from gwcalc.units.registry import format_number

if TYPE_CHECKING:
    from gwcalc.analysis.diff import SetDiff
    from gwcalc.money.diff import FlowsDiff, FlowSide

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
    }


def money_diff_json(m: FlowsDiff) -> dict[str, Any]:
    """The money part of `gwcalc diff --json`."""
    return {
        "differs": m.differs,
        "basis": MONEY_BASIS,
        "flows": [
            {
                "name": c.name,
                "change": c.change,
                "fields": list(c.fields),
                "before": _side_json(c.before),
                "after": _side_json(c.after),
            }
            for c in m.changes
        ],
        "sellers": [
            {
                "seller": s.seller,
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
            rows.append([c.name, ", ".join(c.fields), a, b])
        else:
            rows.append([c.name, c.change, terms_text(c.before), terms_text(c.after)])
    return Rows(("flow", "change", "A", "B"), rows)


def _share_text(share: float | None) -> str:
    return "—" if share is None else ratio_text(share)


def _gross_text(gross: float | None) -> str:
    return "—" if gross is None else format_number(gross)


def money_seller_rows(m: FlowsDiff) -> Rows:
    """Each seller's round-trip share and gross in A and in B (nominal dollars)."""
    rows: list[list[Cell]] = [
        [
            s.seller,
            _share_text(s.share_before),
            _share_text(s.share_after),
            _gross_text(s.gross_before),
            _gross_text(s.gross_after),
        ]
        for s in m.sellers
    ]
    header = ("seller", "share A", "share B", "gross A", "gross B")
    return Rows(header, rows, (1, 2, 3, 4))


def money_csv_rows(m: FlowsDiff) -> list[list[Cell]]:
    """Rows of diff's CSV (kind, name, before_value, before_unit, after_value, after_unit,
    change_pct): a flow's amount ('flow_amount'), its status, status date and kind as text
    ('flow_status'…, units empty), each seller's round-trip share ('round_trip_share')."""
    rows: list[list[Cell]] = []
    for c in m.changes:
        x, y = c.before, c.after
        a = [x.amount, x.unit] if x is not None else [None, None]
        b = [y.amount, y.unit] if y is not None else [None, None]
        same_unit = x is not None and y is not None and x.unit == y.unit and x.amount
        pct = (y.amount / x.amount - 1) * 100 if same_unit and x and y else None
        rows.append(["flow_amount", c.name, *a, *b, pct])
        for field in ("status", "status_date", "kind"):
            before = str(x.field(field)) if x is not None else None
            after = str(y.field(field)) if y is not None else None
            if before != after:
                rows.append([f"flow_{field}", c.name, before, None, after, None, None])
    for s in m.sellers:
        rows.append(["round_trip_share", s.seller, s.share_before, "", s.share_after, "", None])
    return rows


def money_quiet(m: FlowsDiff) -> list[str]:
    """'flow changed amount,status,status_date NAME' per flow, 'round_trip_share 0 0.75 NAME'
    per seller ('-' where it is no seller); names last (they may hold spaces)."""
    lines = [
        f"flow {c.change} {','.join(c.fields) if c.change == 'changed' else '-'} {c.name}"
        for c in m.changes
    ]
    for s in m.sellers:
        a, b = (("-" if v is None else f"{v:.4g}") for v in (s.share_before, s.share_after))
        lines.append(f"round_trip_share {a} {b} {s.seller}")
    return lines


def diff_csv_with_money(result: SetDiff) -> Rows:
    """diff's CSV rows, then the money's (money_csv_rows)."""
    rows = diff_csv(result)
    if result.money is None:
        return rows
    return Rows(rows.header, [*rows.rows, *money_csv_rows(result.money)], rows.numeric)


def diff_markdown_with_money(result: SetDiff) -> list[Rows | str]:
    """diff's Markdown tables, then the flows that differ and the round-trip shares."""
    parts = diff_markdown(result)
    if result.money is not None:
        flows = money_flow_rows(result.money)
        parts += ["**Money: flows that differ**", flows if flows.rows else "none"]
        parts += ["**Money: round-trip share by seller**", money_seller_rows(result.money)]
        parts.append(MONEY_BASIS)
    return parts


def diff_quiet_with_money(result: SetDiff) -> list[str]:
    lines = diff_quiet(result)
    return lines + (money_quiet(result.money) if result.money is not None else [])
