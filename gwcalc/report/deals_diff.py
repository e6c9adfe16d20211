"""What `gwcalc diff` shows of the deals that differ (name-matched; their terms as
gwcalc.timelines.inputs.deal_changes compares them): a JSON part, CSV rows, a table, -q lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gwcalc.report.rows import Cell, Rows
from gwcalc.sets.ids import ascii_id

if TYPE_CHECKING:
    from gwcalc.timelines.inputs import DealChange


def _side(terms: dict[str, str] | None, fields: Sequence[str]) -> str:
    if terms is None:
        return "—"
    return "; ".join(f"{f} {terms[f]}" for f in fields)


def deals_json(changes: Sequence[DealChange]) -> list[dict[str, Any]]:
    """The deals part of `gwcalc diff --json`: each deal that differs, its fields, its terms."""
    return [
        {
            "name": c.name,
            "id": ascii_id(c.name),
            "change": c.change,
            "fields": list(c.fields),
            "before": c.before,
            "after": c.after,
        }
        for c in changes
    ]


def deal_rows(changes: Sequence[DealChange]) -> Rows:
    """The deals that differ: what changed, the fields in A and in B (an added or removed
    deal: its size, buyer, seller and when)."""
    shown = ("size", "buyer", "seller", "when")
    rows: list[list[Cell]] = []
    for c in changes:
        fields = c.fields if c.change == "changed" else shown
        change = ", ".join(c.fields) if c.change == "changed" else c.change
        rows.append([c.name, change, _side(c.before, fields), _side(c.after, fields)])
    return Rows(("deal", "change", "A", "B"), rows)


def deal_csv_rows(changes: Sequence[DealChange]) -> list[list[Cell]]:
    """Rows of diff's CSV, one per field that differs: ('deal_seller', NAME, A's text, '',
    B's text, '', '') — an added or removed deal has every field, its missing side empty."""
    rows: list[list[Cell]] = []
    for c in changes:
        for field in c.fields:
            a = c.before[field] if c.before is not None else None
            b = c.after[field] if c.after is not None else None
            rows.append([f"deal_{field}", c.name, a, None, b, None, None])
    return rows


def deal_quiet(changes: Sequence[DealChange]) -> list[str]:
    """'deal changed size,seller NAME' per deal ('deal added - NAME'); names last."""
    return [
        f"deal {c.change} {','.join(c.fields) if c.change == 'changed' else '-'} {c.name}"
        for c in changes
    ]
