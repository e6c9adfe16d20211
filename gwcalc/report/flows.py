"""`gwcalc flows` as data: its JSON document, CSV, Markdown and -q lines. Sums across kinds of
dollars are nominal dollars (gwcalc.money.nominal), plain numbers in fields named *_nominal_usd;
each flow's own amount is a quantity in its own kind of dollars."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gwcalc.report.documents import envelope, quantity_json, set_json
from gwcalc.report.rows import Cell, Rows, ratio_text
from gwcalc.sets.ids import ascii_id
from gwcalc.units.registry import Q_, format_number, format_quantity, format_value

if TYPE_CHECKING:
    from gwcalc.money.balance import KindAmount, PartyBalance, RoundTrip, SellerTotal
    from gwcalc.money.compute import FlowsReport
    from gwcalc.money.loops import Loop
    from gwcalc.money.select import CountedFlow
    from gwcalc.sets.assumption_set import AssumptionSet

BASIS = "nominal dollars: money S sent B against money B paid S"


def amount_json(amount: float, unit: str) -> dict[str, Any]:
    return quantity_json(Q_(amount, unit))


def amount_text(amount: float, unit: str) -> str:
    """'30B USD_equity', '40B USD_hw'."""
    return format_quantity(Q_(amount, unit))


def kinds_json(amounts: Iterable[KindAmount]) -> list[dict[str, Any]]:
    return [{"kind": a.kind, **amount_json(a.amount, a.unit)} for a in amounts]


def kinds_text(amounts: Iterable[KindAmount]) -> str:
    """'chip-order 40B USD_revenue; cloud-contract 300B USD_contract' ('—' for none)."""
    return "; ".join(f"{a.kind} {amount_text(a.amount, a.unit)}" for a in amounts) or "—"


def flow_json(c: CountedFlow, aset: AssumptionSet) -> dict[str, Any]:
    flow = c.flow
    out: dict[str, Any] = {
        "name": flow.name,
        "id": ascii_id(flow.name),
        "from": flow.payer,
        "to": flow.payee,
        "kind": flow.kind,
        "amount": amount_json(c.amount, c.unit),
        "nominal_usd": c.nominal,
        "start": str(flow.start),
        "end": str(flow.last),
        "status": flow.status,
        "status_date": flow.status_date,
    }
    if flow.warrant is not None:
        w = flow.warrant
        price = aset.quantity(w.share_price)
        out["warrant"] = {
            "shares": int(w.shares) if w.shares.is_integer() else w.shares,
            "strike": quantity_json(Q_(w.strike, "USD_equity")),
            "share_price": w.share_price,
            "price": quantity_json(price),
        }
    for key, value in (
        ("history", list(flow.history)),
        ("conditions", flow.conditions),
        ("deal", flow.deal),
    ):
        if value:
            out[key] = value
    if c.vested is not None and c.full is not None and flow.vesting is not None:
        v = c.vested
        out["vesting"] = {
            "deal": flow.vesting.deal,
            "full_vesting": quantity_json(Q_(v.full, v.unit)),
            "step": flow.vesting.step_text,
            "delivered": quantity_json(Q_(v.delivered, v.unit)),
            "vested_share": v.share,
            "vested": amount_json(c.full * v.share, c.unit),
            "if_fully_vested": amount_json(c.full, c.unit),
        }
    out["implied"] = flow.implied
    if flow.note:
        out["note"] = flow.note
    out["source"] = flow.source.to_dict()
    return out


def vesting_text(c: CountedFlow, year: int | None) -> str:
    """A vesting flow's state: '100% vested: 6 of 6 GW_IT delivered under AMD–OpenAI; 95.9B
    USD_equity if fully vested' (by the end of the year, with one); '' for any other flow."""
    if c.vested is None or c.full is None or c.flow.vesting is None:
        return ""
    v = c.vested
    by = f" by the end of {year}" if year is not None else ""
    return (
        f"{ratio_text(v.share)} vested{by}: {format_number(v.delivered)} of "
        f"{format_value(v.full, v.unit)} delivered under {c.flow.vesting.deal}; "
        f"{amount_text(c.full, c.unit)} if fully vested"
    )


def flows_document(report: FlowsReport) -> dict[str, Any]:
    """`gwcalc flows --json`: the counted flows (amounts in their own dollars, and as nominal
    dollars), each seller's round trip with each buyer and in all, each party's money in and
    out, the loops, and the flows left out with why."""
    sel = report.selection
    return envelope(
        "flows",
        assumptions=set_json(report.aset),
        basis=BASIS,
        note=note(report),
        flow_caveats=list(report.aset.timeline.flow_caveats if report.aset.timeline else ()),
        loops_note=LOOPS_NOTE,
        counted_statuses=list(sel.statuses),
        year=sel.year,
        party=sel.party,
        round_trips=[_round_trip_json(r) for r in report.round_trips],
        sellers=[_seller_json(s) for s in report.sellers],
        parties=[_party_json(b) for b in report.parties],
        loops=[_loop_json(loop) for loop in report.loops],
        flows=[flow_json(c, report.aset) for c in report.counted],
        left_out=[
            {
                "name": x.flow.name,
                "id": ascii_id(x.flow.name),
                "from": x.flow.payer,
                "to": x.flow.payee,
                "reason": x.reason,
            }
            for x in report.left_out
        ],
    )


def _round_trip_json(r: RoundTrip) -> dict[str, Any]:
    return {
        "seller": r.seller,
        "buyer": r.buyer,
        "paid": kinds_json(r.paid),
        "sent": kinds_json(r.sent),
        "gross_nominal_usd": r.gross,
        "sent_nominal_usd": r.sent_total,
        "round_trip_nominal_usd": r.part,
        "round_trip_share": r.share,
        "net_external_nominal_usd": r.net_external,
    }


def _seller_json(s: SellerTotal) -> dict[str, Any]:
    return {
        "seller": s.seller,
        "id": ascii_id(s.seller),
        "buyers": s.buyers,
        "gross_nominal_usd": s.gross,
        "round_trip_nominal_usd": s.part,
        "round_trip_share": s.share,
        "net_external_nominal_usd": s.net_external,
    }


def _party_json(b: PartyBalance) -> dict[str, Any]:
    return {
        "party": b.party,
        "id": ascii_id(b.party),
        "in": kinds_json(b.money_in),
        "out": kinds_json(b.money_out),
        "in_nominal_usd": b.total_in,
        "out_nominal_usd": b.total_out,
        "net_nominal_usd": b.net,
    }


def _loop_json(loop: Loop) -> dict[str, Any]:
    start = loop.time_order
    return {
        "parties": list(loop.parties),
        "nominal_usd": loop.amount,
        "in_time_order": start is not None,
        "time_order_from": None if start is None else start.payer,
        "edges": [
            {"from": e.payer, "to": e.payee, "nominal_usd": e.amount, "flows": list(e.flows)}
            for e in loop.edges
        ],
    }


# ---------------------------------------------------------------- rows

ROUND_TRIP_HEADER = (
    "seller",
    "buyer",
    "gross_nominal_usd",
    "sent_nominal_usd",
    "round_trip_nominal_usd",
    "round_trip_share",
    "net_external_nominal_usd",
)
ALL_BUYERS = "(all buyers)"


def flows_csv(report: FlowsReport) -> Rows:
    """One row per seller and buyer, then one per seller over all its buyers ('(all buyers)'):
    gross, money sent (to the buyers that paid it: money sent to a party that paid it nothing
    is no round trip, so counts in no row), the round-trip part and share, net external
    revenue (nominal dollars)."""
    rows: list[list[Cell]] = [
        [r.seller, r.buyer, r.gross, r.sent_total, r.part, r.share, r.net_external]
        for r in report.round_trips
    ]
    rows += [
        [s.seller, ALL_BUYERS, s.gross, s.sent, s.part, s.share, s.net_external]
        for s in report.sellers
    ]
    return Rows(ROUND_TRIP_HEADER, rows, (2, 3, 4, 5, 6))


def round_trip_rows(report: FlowsReport) -> Rows:
    """The round trips for people: what B paid S by kind, what S sent B, the part and share."""
    header = ("seller", "buyer", "paid (B → S)", "sent (S → B)", "round trip", "share", "net")
    rows: list[list[Cell]] = [
        [
            r.seller,
            r.buyer,
            kinds_text(r.paid),
            kinds_text(r.sent),
            format_number(r.part),
            ratio_text(r.share),
            format_number(r.net_external),
        ]
        for r in report.round_trips
    ]
    return Rows(header, rows, (4, 5, 6))


def seller_rows(report: FlowsReport) -> Rows:
    header = ("seller", "buyers", "gross", "round trip", "share", "net external")
    rows: list[list[Cell]] = [
        [
            s.seller,
            s.buyers,
            format_number(s.gross),
            format_number(s.part),
            ratio_text(s.share),
            format_number(s.net_external),
        ]
        for s in report.sellers
    ]
    return Rows(header, rows, (1, 2, 3, 4, 5))


def party_rows(report: FlowsReport) -> Rows:
    header = ("party", "money in", "money out", "in", "out", "net")
    rows: list[list[Cell]] = [
        [
            b.party,
            kinds_text(b.money_in),
            kinds_text(b.money_out),
            format_number(b.total_in),
            format_number(b.total_out),
            format_number(b.net),
        ]
        for b in report.parties
    ]
    return Rows(header, rows, (3, 4, 5))


def time_order_text(loop: Loop) -> str:
    """'from Oracle → NVIDIA (2025)', or 'not in time order'."""
    start = loop.time_order
    if start is None:
        return "not in time order"
    half = "" if start.first % 2 == 0 else "-H2"
    return f"from {start.payer} → {start.payee} ({start.first // 2}{half})"


def loop_rows(report: FlowsReport) -> Rows:
    header = ("loop", "amount", "time order", "edges")
    rows: list[list[Cell]] = [
        [
            loop.text(),
            format_number(loop.amount),
            time_order_text(loop),
            "; ".join(f"{e.payer} → {e.payee} {format_number(e.amount)}" for e in loop.edges),
        ]
        for loop in report.loops
    ]
    return Rows(header, rows, (1,))


def flow_rows(report: FlowsReport) -> Rows:
    """The counted flows: an amount no source states is marked '(implied)'; each with its
    source, so every dollar can be traced."""
    header = ("flow", "from", "to", "kind", "amount", "when", "status", "source")
    rows: list[list[Cell]] = [
        [
            c.flow.name,
            c.flow.payer,
            c.flow.payee,
            c.flow.kind,
            amount_text(c.amount, c.unit)
            + (" (implied)" if c.flow.implied else "")
            + (f" ({text})" if (text := vesting_text(c, report.selection.year)) else ""),
            str(c.flow.start) if c.flow.end is None else f"{c.flow.start}–{c.flow.end}",
            f"{c.flow.status} {c.flow.status_date}",
            c.flow.source.cite(),
        ]
        for c in report.counted
    ]
    return Rows(header, rows, (4,))


def title(report: FlowsReport) -> str:
    sel = report.selection
    scope = [f"year {sel.year}" if sel.year is not None else "", sel.party or ""]
    extra = ", ".join(s for s in scope if s)
    statuses = ", ".join(sel.statuses)
    return (
        f"Money flows — {report.aset.label}" + (f" ({extra})" if extra else "")
        + f"; counted statuses: {statuses}"
    )  # fmt: skip


NOTE = (
    "Amounts compared across kinds are nominal dollars: money S sent B against money B paid S; "
    "round trip = min(sent, paid), share = round trip ÷ paid, net = paid − round trip."
)
UNCONDITIONAL_WARRANT = (
    "A warrant with no vesting condition is valued as if fully vested, at its set's share "
    "price (its tranches' hurdles are not modelled)."
)
VESTING = (
    "Money that vests with a deal counts amount × min(1, GW delivered under the deal ÷ GW for "
    "full vesting), by the end of the deal (with --year: the part that vests in that year)."
)


def note(report: FlowsReport) -> str:
    """NOTE, and what the counted flows need said: a warrant valued as if fully vested (only
    where no vesting condition is given), money that vests with a deal."""
    counted = report.selection.counted
    parts = [NOTE]
    if any(c.flow.warrant is not None and c.flow.vesting is None for c in counted):
        parts.append(UNCONDITIONAL_WARRANT)
    if any(c.flow.vesting is not None for c in counted):
        parts.append(VESTING)
    return " ".join(parts)


# what a loop is, and is not: said wherever loops are shown
LOOPS_NOTE = (
    "A loop is a circle of parties each paying the next; its amount is its smallest edge, and "
    "loops that share an edge each count it, so their amounts must not be added. It is in time "
    "order from a leg when, from that leg on, each leg's flows end no earlier than the leg "
    "before begins (its money can follow the money before it); a loop in time order from no "
    "leg is marked 'not in time order': some money came back before it went out."
)


def flows_markdown(report: FlowsReport) -> list[Rows | str]:
    """Markdown: a title, the round trips, the sellers, the parties, the loops, the flows."""
    parts: list[Rows | str] = [f"**{title(report)}**", note(report)]
    for heading, rows in (
        ("Round trips (seller S, buyer B)", round_trip_rows(report)),
        ("Sellers", seller_rows(report)),
        ("Money in and out", party_rows(report)),
        ("Loops", loop_rows(report)),
        ("Counted flows", flow_rows(report)),
    ):
        parts.append(f"**{heading}**" + (f" ({LOOPS_NOTE})" if heading == "Loops" else ""))
        parts.append(rows if rows.rows else "none")
    return parts


NOMINAL = "USD_nominal"  # money of different kinds compared (gwcalc.money.nominal)


def flows_quiet(report: FlowsReport) -> list[str]:
    """'round_trip_share 37.5% NVIDIA' and 'net_external 50B USD_nominal NVIDIA' per seller,
    'net 50B USD_nominal NVIDIA' per party, 'loop 30B USD_nominal NVIDIA → OpenAI → NVIDIA' per
    loop (names last: they may hold spaces; whether a loop is in time order: JSON, the tables)."""
    lines = []
    for s in report.sellers:
        lines.append(f"round_trip_share {ratio_text(s.share)} {s.seller}")
        lines.append(f"net_external {format_number(s.net_external)} {NOMINAL} {s.seller}")
    lines += [f"net {format_number(b.net)} {NOMINAL} {b.party}" for b in report.parties]
    lines += [f"loop {format_number(loop.amount)} {NOMINAL} {loop.text()}" for loop in report.loops]
    return lines
