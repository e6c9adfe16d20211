"""diff --timeline's attribution: the cumulative gap split into terms, each shared out exactly.

The gap by a year is Σ demand − Σ supply, a sum of terms: each chip's supply (or the supply
chain of a set without a mix), and one term per deal (its schedule while it is counted).
Shapley values are linear in the game, so each input's part of the gap's change is the sum of
its Shapley values in the terms. Each term depends on a few inputs only: a chip's supply on the
mix, the chip's figures and the parameters on its chain; a deal on its own record, the deals up
its same_capacity_as chains, the counted statuses and the parameters on its conversion (a
chain's parameters: those A's and B's timelines used). So each term's Shapley values are exact
(every coalition of its few inputs) and the whole costs time linear in the number of deals. A
term with more than EXACT_LIMIT inputs is shared out over sampled orders (gwcalc.shapley), and
the method says so. A change no term places is left to the caller's residual."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from gwcalc.errors import DimensionError, GwcalcError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.time_axis import Deal
from gwcalc.timelines.compute import ComputedTimeline, supply_part
from gwcalc.timelines.deals import Counts, deal_view, market_counts
from gwcalc.timelines.inputs import LINKED, ORDER, ChangedInput, hybrid
from gwcalc.timelines.links import Links
from gwcalc.timelines.shapley import EXACT_LIMIT
from gwcalc.timelines.views import YearViews, mix_view

Series = tuple[tuple[float, ...], tuple[float, ...]]  # (supply, demand) in each year of the window
ALWAYS = "counts whatever the statuses"  # names the walks that stop where every coalition would


def canonical(inputs: Iterable[ChangedInput]) -> list[ChangedInput]:
    """Inputs in one order whatever order the files list them in: by kind, then by name."""
    return sorted(inputs, key=lambda i: (ORDER.index(i.kind), i.name))


@dataclass(frozen=True)
class Term:
    """One term of the gap: the inputs it depends on, and its value with some of them from B."""

    name: str
    players: tuple[ChangedInput, ...]
    # its value, and whether a deal borrowed B's rates to be measured (see Mixer.schedule)
    evaluate: Callable[[frozenset[ChangedInput]], tuple[Series, bool]]
    # a player standing for several inputs (the changed deals up a long chain of links), each
    # given an equal share of the group's part: empty unless the term had too many inputs
    groups: Mapping[ChangedInput, tuple[ChangedInput, ...]] = field(default_factory=dict)
    # players that never change its value (deals up its chains that no walk from it reaches
    # in any mix of A's and B's records: a record that counts whatever the statuses is nearer)
    null: frozenset[ChangedInput] = frozenset()
    moved: tuple[ChangedInput, ...] = ()  # a group's deals that a walk from it may reach

    def members(self, player: ChangedInput) -> tuple[ChangedInput, ...]:
        """The inputs a player stands for: itself, or a group's deals."""
        return self.groups.get(player, (player,))

    def movers(self) -> list[ChangedInput]:
        """The inputs that may change its value when taken from B alone: the others never do."""
        alone = [p for p in self.players if p not in self.groups and p not in self.null]
        return alone + list(self.moved)


class Linked(Mapping[ChangedInput, tuple[ChangedInput, ...]]):
    """A term's one group player and the deals it stands for, put in order only when asked
    for (a long chain's groups are large, and most of their parts are zero)."""

    def __init__(
        self,
        player: ChangedInput,
        names: frozenset[str],
        order: Callable[[frozenset[str]], tuple[ChangedInput, ...]],
    ) -> None:
        self.player, self.names, self.order = player, names, order

    def __getitem__(self, key: ChangedInput) -> tuple[ChangedInput, ...]:
        if key != self.player:
            raise KeyError(key)
        return self.order(self.names)

    def __contains__(self, key: object) -> bool:
        return key == self.player

    def __iter__(self) -> Iterator[ChangedInput]:
        return iter((self.player,))

    def __len__(self) -> int:
        return 1


class Mixer:
    """A's and B's inputs, and the terms of the gap with any of B's inputs in A's place."""

    def __init__(
        self,
        before: ComputedTimeline,
        after: ComputedTimeline,
        inputs: Sequence[ChangedInput],
        statuses: tuple[str, ...] | None,
    ) -> None:
        a, b = before.aset, after.aset
        self.a, self.b, self.ta, self.tb = a, b, before.timeline, after.timeline
        self.inputs, self.statuses = list(inputs), statuses
        self.years = range(before.rows[0].year, before.rows[-1].year + 1)
        self.target = before.unit  # pint Units of one kind
        self.zeros = (0.0,) * len(self.years)
        self.deals = {d.name: d for d in self.ta.deals}, {d.name: d for d in self.tb.deals}
        self.params = [i for i in inputs if i.kind == "parameter"]
        self.shapes = [i for i in self.params if _unit(a, i.name) != _unit(b, i.name)]
        self.changed = {i.name for i in inputs if i.kind == "deal"}
        self.links = Links(*self.deals, self.changed)  # walks up chains of mixed records
        self.status_input = next((i for i in inputs if i.kind == "statuses"), None)
        self.always = self._always()
        self._linked: dict[frozenset[str], tuple[ChangedInput, ...]] = {}
        self.deal_inputs = {i.name: i for i in inputs if i.kind == "deal"}
        self.no_deals = replace(a, timeline=self.ta._replace(deals=()))
        self._rates: dict[frozenset[ChangedInput], YearViews] = {}
        self._schedules: dict[
            tuple[str, int, frozenset[ChangedInput]], tuple[float, ...] | GwcalcError
        ]
        self._schedules = {}
        self._chains: dict[str | None, set[str]] = {}  # chip (None: no mix) -> names on its chain
        for part in (*before.supply_parts, *after.supply_parts):
            names = self._chains.setdefault(part.chip, set())
            names |= {f.parameter for f in part.plan.factors}
            if not part.plan.is_product:
                names |= {i.name for i in self.params}
        self._conversions: dict[str, set[str]] = {}  # deal -> names on its conversion, A and B
        for side, result in enumerate((before, after)):
            for view in result.deals:
                self._conversions.setdefault(view.deal.name, set()).update(
                    f.parameter for year in view.factors for f in year
                )
                if view.schedule:  # measured: keep its amounts for the coalitions like it
                    name = view.deal.name
                    record = side if name in self.changed else 0  # unchanged: one record
                    key = (name, record, self._params_of(name, side))
                    self._schedules[key] = self._window(view.schedule)

    # ------------------------------------------------------------ the supply

    def supply(self, chip: str | None, chosen: frozenset[ChangedInput]) -> Series:
        """One chip's supply in each year (None: the chain of a set without a mix), with the
        chosen inputs from B: zero where that year's mix has no such chip."""
        mixed = hybrid(self.no_deals, self.b, canonical(chosen))
        assert mixed.timeline is not None
        mix, years = mixed.timeline.mix, YearViews(mixed, self.target)
        if chip is None:
            amounts = tuple(
                0.0 if mix else supply_part(years.view(y), y, None, self.target).amount
                for y in self.years
            )
        else:
            amounts = tuple(
                supply_part(mix_view(years, y, chip), y, chip, self.target).amount
                if mix and chip in mix[y].shares
                else 0.0
                for y in self.years
            )
        return _finite(amounts, "supply"), self.zeros

    def supply_terms(self) -> list[Term]:
        """The supply split by chip (and the chain of a set without a mix): each term's inputs
        are those on its chain in A or in B (its figures, the parameters, the mix)."""
        mixes = [t.mix for t in (self.ta, self.tb)]
        chips: list[str | None] = [None] if not all(mixes) else []
        chips += sorted({c for mix in mixes for m in mix.values() for c in m.shares})
        terms = []
        for chip in chips:
            names = self._chains.get(chip, set())
            players = [
                i
                for i in self.inputs
                if i.kind == "mix"
                or (i.kind == "parameter" and i.name in names)
                or (i.kind == "chip" and i.name == chip)
            ]
            terms.append(Term(f"supply {chip or ''}", tuple(players), self._supply_value(chip)))
        return terms

    def _supply_value(
        self, chip: str | None
    ) -> Callable[[frozenset[ChangedInput]], tuple[Series, bool]]:
        return lambda chosen: (self.supply(chip, chosen), False)

    # ------------------------------------------------------------ the deals

    def rates(self, chosen: Iterable[ChangedInput]) -> YearViews:
        """The years' rates with the chosen parameters from B (one per combination)."""
        key = frozenset(i for i in chosen if i.kind == "parameter")
        if key not in self._rates:
            params = dict(self.a.parameters)
            for item in key:
                if item.name in self.b.parameters:
                    params[item.name] = self.b.parameters[item.name]
                else:
                    params.pop(item.name, None)
            self._rates[key] = YearViews(replace(self.a, parameters=params), self.target)
        return self._rates[key]

    def conversion_players(self, name: str) -> frozenset[ChangedInput]:
        """The changed parameters on the deal's conversion, in A or in B."""
        names = self._conversions.get(name, set())
        return frozenset(i for i in self.params if i.name in names)

    def _params_of(self, name: str, side: int) -> frozenset[ChangedInput]:
        """The parameters a coalition takes from B when the deal is measured as in A (none)
        or as in B (all of its conversion's)."""
        return frozenset() if side == 0 else self.conversion_players(name)

    def _always(self) -> Counts:
        """Whether a record counts under every statuses a coalition may count (a walk up a
        chain stops there whichever of A's and B's inputs are taken)."""
        if self.statuses is not None:
            possible = [self.statuses]
        else:
            possible = [self.ta.counted_statuses]
            if self.status_input is not None:
                possible.append(self.tb.counted_statuses)
        tests = [market_counts(self.ta, s) for s in possible]
        return lambda deal: all(counts(deal) for counts in tests)

    def linked(self, names: frozenset[str]) -> tuple[ChangedInput, ...]:
        """Changed deals as inputs, in canonical order (deals on one stretch share them)."""
        if names not in self._linked:  # canonical: one kind, so by name
            self._linked[names] = tuple(map(self.deal_inputs.__getitem__, sorted(names)))
        return self._linked[names]

    def deal_term(self, name: str) -> Term | None:
        """The deal's term: its record, the deals linked with it, the statuses and the
        parameters of its conversion (None if none of them changed)."""
        above = self.links.reachable(name)  # the changed deals up its chains
        acyclic = self.links.acyclic
        reached = self.links.closure(name, ALWAYS, self.always)  # those a walk can reach
        players = {ChangedInput("deal", name)} if name in self.changed else set()
        if self.status_input is not None:
            players.add(self.status_input)
        players |= self.conversion_players(name)
        group, groups = None, None
        null: frozenset[ChangedInput] = frozenset()
        moved: tuple[ChangedInput, ...] = ()
        if len(players) + len(above) > EXACT_LIMIT:  # a long chain: its deals as one player
            group = ChangedInput(LINKED, f"linked with {name}")
            players.add(group)
            groups = Linked(group, above, self.linked)
            null, moved = (frozenset() if reached else frozenset([group])), self.linked(reached)
        else:
            players |= set(self.linked(above))
            null = frozenset(ChangedInput("deal", n) for n in above - reached)
        if not players:
            return None

        def value(chosen: frozenset[ChangedInput]) -> tuple[Series, bool]:
            picked = frozenset(i.name for i in chosen if i.kind == "deal")  # deals from B
            if group in chosen:  # its deals from B too (walks that jump need not list them)
                return self.deal(name, chosen, picked if acyclic else picked | above, above, True)
            return self.deal(name, chosen, picked, above)

        players_in_order = tuple(canonical(players))
        return Term(f"deal {name}", players_in_order, value, groups or {}, null, moved)

    def deal(
        self,
        name: str,
        chosen: frozenset[ChangedInput],
        picked: frozenset[str],
        above: frozenset[str],
        linked: bool = False,
    ) -> tuple[Series, bool]:
        """The deal's demand in each year with the chosen inputs from B (`picked`: the deals
        among them, a group's too), and whether it borrowed B's rates (see schedule); `above`:
        the changed deals up its chains (`linked`: all of them are from B, listed in `picked`
        or not)."""
        if self.statuses is not None:
            statuses = self.statuses
        elif self.status_input in chosen:
            statuses = self.tb.counted_statuses
        else:
            statuses = self.ta.counted_statuses
        deal = self.links.record(name, picked)
        counts = market_counts(self.ta, statuses)  # both sets count the market alike (diff)
        if deal is None or not counts(deal):
            return (self.zeros, self.zeros), False
        if self.links.counted_above(deal, picked, above, tuple(statuses), counts, linked):
            return (self.zeros, self.zeros), False
        side = 1 if name in picked else 0
        params = frozenset(i for i in chosen if i.kind == "parameter")
        amounts, borrowed = self.schedule(deal, side, params)
        return (self.zeros, amounts), borrowed

    def schedule(
        self, deal: Deal, side: int, params: frozenset[ChangedInput]
    ) -> tuple[tuple[float, ...], bool]:
        """A deal's amount in each year through the rates with the chosen parameters from B,
        and whether it borrowed: a deal that cannot be measured so (B's deal in all-in dollars,
        and A has no all-in rate) is measured with its own set's parameters that change a
        chain's shape."""
        try:
            return self._measured(deal, side, params), False
        except GwcalcError:
            own = params | set(self.shapes) if side else params - set(self.shapes)
            if own == params:
                raise
            return self._measured(deal, side, own), True

    def _measured(
        self, deal: Deal, side: int, params: frozenset[ChangedInput]
    ) -> tuple[float, ...]:
        key = (deal.name, side, params)
        found = self._schedules.get(key)
        if found is None:
            try:
                found = self._window(deal_view(self.rates(params), deal, True, None).schedule)
            except GwcalcError as exc:
                found = exc
            self._schedules[key] = found
        if isinstance(found, GwcalcError):
            raise found
        return found

    def _window(self, schedule: Sequence[tuple[int, float]]) -> tuple[float, ...]:
        """A deal's amounts in the window's years (0 where none falls due)."""
        first, count = self.years.start, len(self.years)
        amounts = [0.0] * count
        for year, amount in schedule:
            if 0 <= year - first < count:
                amounts[year - first] = amount
        return _finite(tuple(amounts), "a deal")

    def terms(self) -> list[Term]:
        """The supply's term and each deal's whose inputs changed, in a canonical order."""
        out = self.supply_terms()
        names = sorted(set(self.deals[0]) | set(self.deals[1]))
        out += [t for t in (self.deal_term(n) for n in names) if t is not None]
        return [t for t in out if t.players]


def _unit(aset: AssumptionSet, name: str) -> str | None:
    param = aset.parameters.get(name)
    return None if param is None else param.unit


def _finite(amounts: tuple[float, ...], what: str) -> tuple[float, ...]:
    if not all(math.isfinite(a) for a in amounts):
        raise DimensionError(f"{what} is beyond the range of a floating-point number")
    return amounts
