"""What changed in the money between two sets: flows added, removed or changed (amount, status,
its date, kind, parties, schedule), and each seller's round-trip share before and after."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from gwcalc.errors import ParameterError
from gwcalc.money.balance import round_trip_share
from gwcalc.money.compute import compute_flows
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.flows import Flow

# the fields of a flow compared, in the order they are shown
FIELDS = ("from", "to", "kind", "amount", "status", "status_date", "when", "vesting")


class FlowSide(NamedTuple):
    """One flow as one set has it: its terms, and its amount at that set's figures (a
    warrant's at its share price; as if fully vested: the terms, not what counted)."""

    flow: Flow
    amount: float  # in unit
    unit: str
    counted: bool = True  # its status is one its set counts

    def field(self, name: str) -> object:
        f = self.flow
        values: dict[str, object] = {
            "from": f.payer,
            "to": f.payee,
            "kind": f.kind,
            "amount": (self.amount, self.unit),
            "status": f.status,
            "status_date": f.status_date,
            "when": (f.start, f.end),
            "vesting": f.vesting,
            "vesting_deal": f.vesting.deal if f.vesting is not None else None,
        }
        return values[name]


class FlowChange(NamedTuple):
    """A flow of either set that is not the same in both (matched by name)."""

    name: str
    before: FlowSide | None
    after: FlowSide | None
    fields: tuple[str, ...]  # what differs (every field for an added or removed flow)

    @property
    def change(self) -> str:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"

    @property
    def counted(self) -> str | None:
        """'now counted' or 'no longer counted' when its status moved into or out of the
        statuses its sets count (None: no such move; or the flow is in one set only)."""
        x, y = self.before, self.after
        if x is None or y is None or x.counted == y.counted:
            return None
        return "now counted" if y.counted else "no longer counted"


class SellerShare(NamedTuple):
    """A seller's round trip over all buyers in each set (None: not a seller there), in
    nominal dollars: money it sent its buyers against money they paid it."""

    seller: str
    gross_before: float | None
    part_before: float | None
    gross_after: float | None
    part_after: float | None

    @property
    def share_before(self) -> float | None:
        return _share(self.part_before, self.gross_before)

    @property
    def share_after(self) -> float | None:
        return _share(self.part_after, self.gross_after)


def _share(part: float | None, gross: float | None) -> float | None:
    return None if part is None or not gross else round_trip_share(part, gross)


class FlowsDiff(NamedTuple):
    """The money of two sets compared (each at its own counted flow statuses)."""

    changes: tuple[FlowChange, ...]
    sellers: tuple[SellerShare, ...]

    @property
    def differs(self) -> bool:
        return bool(self.changes) or any(
            s.share_before != s.share_after or s.gross_before != s.gross_after for s in self.sellers
        )


def _flows(aset: AssumptionSet) -> dict[str, FlowSide]:
    if aset.timeline is None:
        return {}
    counted = set(aset.timeline.counted_flow_statuses)
    return {
        f.name: FlowSide(f, f.amount(aset.parameters), f.unit(), f.status in counted)
        for f in aset.timeline.flows
    }


def _fields(x: FlowSide, y: FlowSide, changed_deals: Collection[str]) -> tuple[str, ...]:
    """The fields of a flow that differ: its terms, and 'vesting_deal' when
    it vests with a deal that differs (its vested amount by year differs with the deal's)."""
    fields = [f for f in FIELDS if x.field(f) != y.field(f)]
    if "vesting" not in fields and y.field("vesting_deal") in changed_deals:
        fields.append("vesting_deal")
    return tuple(fields)


def _sellers(aset: AssumptionSet) -> dict[str, tuple[float, float]]:
    """Each seller's gross and round-trip part, at the set's counted statuses ({} when no flow
    of the set counts)."""
    try:
        report = compute_flows(aset)
    except ParameterError:  # no flows, or none counts: no seller
        return {}
    return {s.seller: (s.gross, s.part) for s in report.sellers}


def diff_flows(
    a: AssumptionSet, b: AssumptionSet, changed_deals: Collection[str] = ()
) -> FlowsDiff | None:
    """The money of set a (before) against set b (after); None when neither has flows. A flow
    vesting with one of `changed_deals` (the deals that differ) is flagged as changed."""
    before, after = _flows(a), _flows(b)
    if not before and not after:
        return None
    changes = []
    for name in [*before, *(n for n in after if n not in before)]:
        x, y = before.get(name), after.get(name)
        if x is None or y is None:
            changes.append(FlowChange(name, x, y, FIELDS))
            continue
        if fields := _fields(x, y, changed_deals):
            changes.append(FlowChange(name, x, y, fields))
    sa, sb = _sellers(a), _sellers(b)
    sellers = [
        SellerShare(seller, *sa.get(seller, (None, None)), *sb.get(seller, (None, None)))
        for seller in sorted({*sa, *sb})
    ]
    order = sorted(sellers, key=lambda s: (-max(s.gross_before or 0, s.gross_after or 0), s.seller))
    return FlowsDiff(tuple(changes), tuple(order))
