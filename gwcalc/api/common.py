"""What the API's functions share: reading what a caller gives (quantities, ranges typed in a
quantity, overrides, seeds, years), choosing a set (by itself, a name or a path), and the sets'
own functions: load, list, write and check (re-exported by gwcalc.api)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from gwcalc.errors import QuantityError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.find import resolve_set
from gwcalc.sets.read import load_set as _load_file
from gwcalc.units.registry import Quantity, parse_quantity

if TYPE_CHECKING:
    from gwcalc.analysis.check import CheckReport
    from gwcalc.sets.find import SetListing
    from gwcalc.sets.ranges import Given, QuantityRange
    from gwcalc.uncertainty.ranged_input import QuantityInterval

# An override's value: a quantity, or a range LOW..HIGH (QuantityRange), or either as text, or a
# plain number (read in the figure's own unit, as a bare number on the command line).
Override: TypeAlias = "Quantity | QuantityRange | str | float"
Overrides = Mapping[str, Override] | Iterable[tuple[str, Override]]


def quantity_of(value: Quantity | str) -> Quantity:
    return parse_quantity(value) if isinstance(value, str) else value


def strip_range_chips(
    quantity: str, targets: list[str], chips: Mapping[str, object]
) -> tuple[str, list[str], str | None]:
    """units.chips.strip_chips, each end of a range ('1M..2M GB300') on its own."""
    from gwcalc.units.chips import strip_chips

    if ".." not in quantity:
        return strip_chips(quantity, targets, chips)
    low, _, high = quantity.partition("..")
    low, _, low_chip = strip_chips(low, [], chips)
    high, stripped, high_chip = strip_chips(high, targets, chips)
    named = {c for c in (low_chip, high_chip) if c is not None}
    if low_chip is not None and high_chip is not None and len(named) > 1:
        raise QuantityError(f"{quantity.strip()!r} names two chips: {', '.join(sorted(named))}")
    return f"{low}..{high}", stripped, next(iter(named), None)


def refuse_chips(
    conversions: Iterable[tuple[object, object]], sets: Iterable[AssumptionSet]
) -> None:
    """A diff converts through each set's parameters: a chip's name (a unit of convert's, for
    that chip's packages) there would compare no chip at all, so it is refused, named."""
    from gwcalc.units.chips import strip_chips

    for aset in sets:
        chips = aset.timeline.chips if aset.timeline is not None else {}
        texts = [(q, u) for q, u in conversions if isinstance(q, str) and isinstance(u, str)]
        for quantity, target in texts if chips else ():
            chip = strip_chips(quantity, [target], chips)[2]
            if chip is not None:
                raise QuantityError(
                    f"{chip!r} is a chip of {aset.label}: a diff converts through each set's "
                    "parameters, not through one chip's figures",
                    f"convert through {chip} in each set and compare the two, or convert "
                    "into gpu (packages) here",
                )


def interval_of(quantity: Quantity | str, samples: int | None) -> QuantityInterval | None:
    """A quantity typed as a range ('40..60 GW'): its ends, sampled only with samples (a
    range's ends would otherwise change nothing: refused)."""
    from gwcalc.uncertainty.ranged_input import is_range, read_interval

    if not is_range(quantity):
        return None
    interval = read_interval(str(quantity))
    if samples is None:
        raise QuantityError(
            f"{interval.text!r} is a range: its ends count only with samples",
            "add --samples N (p5, p50 and p95 of each result; the range's ends are its p5 and "
            "p95), or give one value",
        )
    return interval


def override_value(name: str, value: Override) -> Given:
    """An override's value: text ('400k gpu/GW', or a range '330k..478k gpu/GW') is read; a
    plain number is a bare number; any other type is refused (ParameterError)."""
    from gwcalc.sets.bare_numbers import given_value
    from gwcalc.sets.ranges import parse_value

    return parse_value(value) if isinstance(value, str) else given_value(name, value)


def load_set(
    name_or_path: str | Path | None = None,
    overrides: Overrides | None = None,
    assumptions_dir: str | Path | None = None,
    timeline: bool = False,
) -> AssumptionSet:
    """A set by name ('seed-2025', searched as the CLI searches; None: the default set, or
    with `timeline` the timeline's, market-2026) or path to a .toml file, with some parameters
    overridden: {'gpus_per_gw': '400k gpu/GW'} or [(name, Quantity)]; a range 'LOW..HIGH'
    ('330k..478k gpu/GW') is read as a lognormal 90% interval. Every command loads its sets
    here."""
    user_dir = Path(assumptions_dir) if assumptions_dir is not None else None
    if isinstance(name_or_path, Path):
        aset = _load_file(name_or_path.expanduser())
    else:
        aset = resolve_set(name_or_path, user_dir, timeline)
    if not overrides:
        return aset
    pairs = overrides.items() if isinstance(overrides, Mapping) else overrides
    return aset.with_overrides((name, override_value(name, q)) for name, q in pairs)


def list_sets(assumptions_dir: str | Path | None = None) -> SetListing:
    """Every set gwcalc can find (the folders searched, in order, and each set's header; a
    file that cannot be read is listed with its error), as `gwcalc assumptions list`."""
    from gwcalc.sets.find import list_sets as find_sets

    return find_sets(Path(assumptions_dir) if assumptions_dir is not None else None)


def new_set(
    name: str,
    base: str,
    overrides: Overrides | None = None,
    assumptions_dir: str | Path | None = None,
    *,
    today: str,
    source: str = "override",
    force: bool = False,
) -> tuple[AssumptionSet, AssumptionSet]:
    """Write a new set NAME (a name, or a path ending in .toml) that extends the set `base`
    with some figures changed, as `gwcalc assumptions new`: (base, the set as written)."""
    from gwcalc.sets.write import write_new_set

    pairs = overrides.items() if isinstance(overrides, Mapping) else overrides or ()
    folder = Path(assumptions_dir) if assumptions_dir is not None else None
    changes = [(n, override_value(n, q)) for n, q in pairs]
    return write_new_set(name, base, changes, folder, today=today, source=source, force=force)


def check_set(aset: AssumptionSet | str | None = None, tolerance: float = 0.01) -> CheckReport:
    """A set's over-determined rates: where two chains of rates join the same two units, how
    far apart they land (a disagreement beyond `tolerance`, a fraction, is reported)."""
    from gwcalc.analysis.check import check_set as _check

    return _check(pick_set(aset), tolerance)


def seed_of(seed: int | None) -> int:
    """The seed of a Monte Carlo run: the one given, else gwcalc's default (20261202)."""
    from gwcalc.uncertainty.sampling import DEFAULT_SEED  # imported only when sampling

    return DEFAULT_SEED if seed is None else seed


def pick_set(aset: AssumptionSet | str | None, timeline: bool = False) -> AssumptionSet:
    """A set given as itself, a name or a path (None: the default set; the timeline's when
    `timeline`)."""
    if isinstance(aset, AssumptionSet):
        return aset
    if aset is not None and not isinstance(aset, str | Path):
        raise TypeError(f"aset is an AssumptionSet, a set's name or a path, not {aset!r}")
    return resolve_set(None if aset is None else str(aset), timeline=timeline)


def year_of(value: int | str | None) -> int | None:
    """A year given as text ('2028') or a number, checked as a set file's years are."""
    from gwcalc.sets.field_checks import read_year

    return None if value is None else read_year(value)
