"""Overrides for one run: a parameter (NAME), one year of a figure given by year (NAME.YEAR) or
a chip's figure (CHIP.FIELD), each end of a range read as the value alone would be; what each
override did, in words; and the check that a run uses every figure it was given."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from gwcalc.errors import ParameterError
from gwcalc.sets.bare_numbers import (
    check_size,
    given_value,
    is_bare,
    meant_percent,
    percent_hint,
    read_bare,
)
from gwcalc.sets.bare_numbers import parse_override as parse_override  # NAME=QUANTITY, read
from gwcalc.sets.contract_money import contract_mismatch
from gwcalc.sets.figures import OVERRIDE_SOURCE, Parameter, Source, YearValue, validate_parameter
from gwcalc.sets.ranges import (
    Given,
    QuantityRange,
    Range,
    parse_unit_or_dimensionless,
)
from gwcalc.sets.specs import SPECS
from gwcalc.sets.time_axis import CHIP_FIGURES
from gwcalc.units.registry import (
    Q_,
    Quantity,
    describe_dimensions,
    dimensions,
    format_value,
    unit_text,
    ureg,
)

if TYPE_CHECKING:
    from gwcalc.sets.assumption_set import AssumptionSet
    from gwcalc.sets.time_axis import Chip


def apply_overrides(aset: AssumptionSet, overrides: Iterable[tuple[str, Given]]) -> AssumptionSet:
    """A copy of the set with some figures replaced: NAME (a parameter; one the set lacks is
    added if gwcalc knows its name; a plain value replaces every year of a figure given by
    year), NAME.YEAR (one year of such a figure) or CHIP.FIELD (a chip's figure). Each change
    is described in words in the copy's override_effects."""
    pairs = [(name, given_value(name, given)) for name, given in overrides]
    _refuse_twice([name for name, _ in pairs])
    params = dict(aset.parameters)
    chips: dict[str, Chip] = dict(aset.timeline.chips) if aset.timeline is not None else {}
    effects = dict(aset.override_effects)
    changed: list[str] = []
    chips_changed = False
    for name, given in pairs:
        head, dot, tail = name.partition(".")
        if not dot:
            params[name], effects[name] = _parameter(params, name, given)
        elif tail.isascii() and tail.isdigit():
            params[head], effects[name] = _one_year(params, head, tail, given)
        else:
            chips[head], effects[name] = _chip_figure(aset, params, chips, name, given)
            chips_changed = True
        changed.append(name)
    if not changed:
        return aset
    timeline = aset.timeline
    if chips_changed and timeline is not None:
        timeline = timeline._replace(chips=chips)
    return replace(
        aset,
        parameters=params,
        timeline=timeline,
        overrides=(*aset.overrides, *changed),
        override_effects=tuple(effects.items()),
    )


def _refuse_twice(names: list[str]) -> None:
    """A figure is changed once in a run: a second value would silently replace the first, and
    a whole series set beside one of its years leaves it unclear which wins."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ParameterError(
                f"{name} is given twice in this run",
                "give each figure once (a later value would silently replace the earlier)",
            )
        seen.add(name)
    for name in names:
        head, dot, tail = name.partition(".")
        if dot and tail.isascii() and tail.isdigit() and head in seen:
            raise ParameterError(
                f"{head} is given both for every year ({head}=…) and for one year ({name}=…)",
                f"set every year with {head}=… or single years with {head}.YEAR=…, not both",
            )


def _parameter(params: Mapping[str, Parameter], name: str, given: Given) -> tuple[Parameter, str]:
    old = params.get(name)
    if old is None and name not in SPECS:
        from gwcalc.sets.field_checks import nearest_name

        names = sorted(set(params) | set(SPECS))
        near = nearest_name(name, names)
        known = ", ".join(names)
        raise ParameterError(
            f"unknown parameter {name!r} to override"
            + (f"; did you mean {near!r}?" if near else ""),
            f"known parameters: {known} (a chip's figure is CHIP.FIELD, one year NAME.YEAR)",
        )
    spec = SPECS.get(name)
    choices = [old.unit] if old is not None else []
    choices += [u for u in (spec.units if spec else ()) if u not in choices]
    new = overridden(name, given, old, choices)
    if old is None:
        return new, f"added as {value_text(new)}"
    if old.by_year:
        values = [y.value for y in old.by_year]
        unit = unit_text(old.quantity.units)
        low, high = min(values), max(values)
        was = format_value(high, unit)
        if low != high:  # '675k–2.04M wafer/yr'
            was = f"{format_value(low, '')}–{was}"
        return new, f"every year set to {value_text(new)}; was {was}"
    return new, f"set to {value_text(new)} (was {_was(old)})"


def _was(old: Parameter) -> str:
    """A figure's value before its override, e.g. '2.217k W_IT/gpu', with its range if it had
    one (an override of the same value still drops the range)."""
    unit = unit_text(old.quantity.units)
    was = format_value(old.value, unit)
    r = old.range
    if r is None or r.width_zero:
        return was
    return f"{was}, range {format_value(r.low, '')}..{format_value(r.high, unit)} {r.text()}"


def _one_year(
    params: dict[str, Parameter], name: str, year_text: str, given: Given
) -> tuple[Parameter, str]:
    """One year of a figure given by year, replaced."""

    by_year = {p.name: p for p in params.values() if p.by_year}
    param = params.get(name)
    if param is None or not param.by_year:
        what = "has no values by year" if param is not None else "is not a parameter"
        raise ParameterError(
            f"{name}.{year_text}: {name} {what}",
            "figures given by year: " + (", ".join(sorted(by_year)) or "none in this set"),
        )
    years = [y.year for y in param.by_year]
    year = int(year_text)
    if year_text != str(year):  # one spelling of a year: the name a run reports as used
        raise ParameterError(
            f"{name}.{year_text}: {year_text!r} is not a year as the set writes its years",
            f"write the year in four digits, e.g. {name}.{years[0]}",
        )
    if year not in years:
        raise ParameterError(
            f"{name}.{year_text}: {name} has values for {', '.join(map(str, years))}, "
            f"not for {year_text}",
            f"set one of those years, or every year with {name}=QUANTITY",
        )
    old = param.at(year)
    new = overridden(name, given, old, [param.unit])
    span = new.range if new.range is not None else Range(new.value, new.value)  # a point
    entry = YearValue(year, new.value, Source(OVERRIDE_SOURCE), new.note, range=span)
    entries = tuple(entry if y.year == year else y for y in param.by_year)
    return replace(param, by_year=entries), f"set to {value_text(new)} (was {_was(old)})"


def _chip_figure(
    aset: AssumptionSet,
    params: Mapping[str, Parameter],
    chips: dict[str, Chip],
    name: str,
    given: Given,
) -> tuple[Chip, str]:
    """One chip's figure, replaced (or added, for a figure the chip may have: its price)."""

    head, _, field = name.partition(".")
    chip = chips.get(head)
    if chip is None:
        if head in params or head in SPECS:
            raise ParameterError(
                f"{name!r}: one year of {head} is {head}.YEAR, e.g. {head}.2027",
                f"or set every year with {head}=QUANTITY",
            )
        raise ParameterError(
            f"{name!r}: {aset.label} has no chip {head!r} and no parameter of that name",
            "chips: " + (", ".join(chips) or "none in this set") + "; a chip's figure is "
            "CHIP.FIELD, e.g. GB300.it_power_per_package",
        )
    if field not in CHIP_FIGURES:
        raise ParameterError(
            f"{name!r}: a chip has no figure {field!r}",
            f"{head}'s figures: " + ", ".join(f"{head}.{f}" for f in CHIP_FIGURES),
        )
    old = chip.figures.get(field)
    choices = [old.unit] if old is not None else []
    choices += [u for u in (CHIP_FIGURES[field][0],) if u not in choices]
    new = overridden(name, _per_package(given, CHIP_FIGURES[field][0]), old, choices)
    effect = f"set to {value_text(new)} (was {_was(old)})" if old else f"added as {value_text(new)}"
    return chip._replace(figures={**chip.figures, field: new}), effect


def _per_package(given: Given, unit: str) -> Given:
    """A chip's figure is per package: '2.5kW' for its IT power per package is 2.5 kW/gpu."""
    per = parse_unit_or_dimensionless(unit)

    def read(q: Quantity) -> Quantity:
        one = Q_(1.0, per)
        if q.units == ureg.dimensionless or dimensions(q) == dimensions(one):
            return q
        per_gpu: Quantity = q / Q_(1.0, ureg.gpu)
        return per_gpu if dimensions(per_gpu) == dimensions(one) else q

    if isinstance(given, QuantityRange):
        return QuantityRange(read(given.low), read(given.high))
    return read(given)


def overridden(name: str, given: Given, old: Parameter | None, choices: list[str]) -> Parameter:
    """The figure as given for this run, in its unit (a range: lognormal 90%, the value its
    geometric mean), checked as a figure in a file is."""

    unit, ends = in_unit(name, given, choices)
    span: Range | None = None
    if len(ends) == 2:  # the midpoint where low ≤ 0, so that the error names the low end
        low, high = ends
        value = math.sqrt(low) * math.sqrt(high) if 0 < low <= high else (low + high) / 2
        value = min(max(value, low), high)  # √(low·high) may round outside
        span = Range(low, high)
    else:
        value = ends[0]
    param = Parameter(
        name,
        value,
        unit,
        Source(OVERRIDE_SOURCE),
        note=f"was {old.value:g} {old.unit}" if old else "added for this run",
        range=span,
        # a new range keeps the figure's group: it still moves with its partners
        group=old.group if old is not None and span is not None else None,
    )
    try:
        validate_parameter(param)
    except ParameterError as error:
        alternative = meant_percent(given) if unit in ("", "1", "dimensionless") else None
        if alternative is None or not _valid(name, alternative, old, choices):
            raise
        raise ParameterError(error.message, percent_hint(name, alternative)) from None
    return param


def _valid(name: str, given: Given, old: Parameter | None, choices: list[str]) -> bool:
    try:
        overridden(name, given, old, choices)
    except ParameterError:
        return False
    return True


def in_unit(name: str, given: Given, choices: list[str]) -> tuple[str, tuple[float, ...]]:
    """(unit, magnitudes in it): a value, or each end of a range read as that end alone would
    be (a bare number in the figure's unit, a number with a unit converted into it), then
    compared: LOW ≤ HIGH."""
    if not isinstance(given, QuantityRange):
        unit, value = _end_in_unit(name, given, choices)
        return unit, (value,)
    _refuse_half_united(name, given, choices[0])
    (unit, low), (high_unit, high) = (_end_in_unit(name, q, choices) for q in given)
    if unit != high_unit:
        raise ParameterError(
            f"{name}: the ends of the range are of different kinds ({unit}, {high_unit})",
            f"write both ends in {unit}, or both in {high_unit}",
        )
    if not low <= high:
        raise ParameterError(
            f"{name}: {format_value(low, unit)}..{format_value(high, unit)} is not a range "
            "LOW..HIGH with LOW ≤ HIGH (each end read in the figure's unit, as alone)",
            "for example: 330k..478k gpu/GW; a bare number is in the figure's own unit",
        )
    return unit, (low, high)


def _refuse_half_united(name: str, given: QuantityRange, unit: str) -> None:
    """'75k..100k wafer/month' for a figure in wafer/yr: the bare end is in the figure's own
    unit, the other in the unit written, 12x apart. That reads as one unit meant for both ends,
    so it is refused rather than guessed. (A bare end of a plain ratio, '0.5..70%', is clear.)"""
    units = parse_unit_or_dimensionless(unit)
    if not dimensions(Q_(1.0, units)):
        return
    bare = [q.units == ureg.dimensionless for q in given]
    if bare.count(True) != 1:
        return
    written = next(q for q in given if q.units != ureg.dimensionless)
    if dimensions(written) == dimensions(Q_(1.0, units)) and written.units == units:
        return  # the unit written is the figure's own: both ends read alike
    both = [format_value(float(q.magnitude), unit_text(written.units)) for q in given]
    ends = " and ".join(
        f"{end} {'has no unit' if q.units == ureg.dimensionless else 'is in ' + unit_text(q.units)}"
        for end, q in zip(("the low end", "the high end"), given, strict=True)
    )
    raise ParameterError(
        f"{name}: {ends}: a bare end is read in {name}'s own unit ({unit_text(units)}), which "
        "is likely not what was meant",
        f"write the unit on both ends ({'..'.join(both)}), or on neither (in {unit_text(units)})",
    )


def _end_in_unit(name: str, q: Quantity, choices: list[str]) -> tuple[str, float]:
    """A value in the figure's unit: a bare number is in the set's unit (choices[0]); a unit
    picks the first of the choices of its dimension (contracted_spend in USD or USD_all_in)."""
    unit = choices[0]
    units = parse_unit_or_dimensionless(unit)
    typed = q
    if is_bare(q):  # 'pue=1.2', 'cost_of_capital=9' (9 %): the set's unit
        q = read_bare(name, float(q.magnitude), units)
    for choice in choices:
        if dimensions(q) == dimensions(Q_(1.0, parse_unit_or_dimensionless(choice))):
            unit, units = choice, parse_unit_or_dimensionless(choice)
            break
    if dimensions(q) != dimensions(Q_(1.0, units)):
        wanted = " or ".join(unit_text(parse_unit_or_dimensionless(c)) for c in choices)
        refusal = contract_mismatch(name, dimensions(q), dimensions(Q_(1.0, units)), wanted)
        if refusal is not None:
            raise refusal
        raise ParameterError(
            f"{name}: {unit_text(q.units)} ({describe_dimensions(dimensions(q))}) "
            f"does not match {name}'s unit {unit_text(units)} "
            f"({describe_dimensions(dimensions(Q_(1.0, units)))})",
            f"give {name} in {unit_text(units)}, or a unit of the same dimension",
        )
    # same figure, same canonical form: 50% and 0.5 hash alike
    value = float(q.to(units).magnitude)
    check_size(name, typed, value, units)
    return unit, value


def value_text(param: Parameter) -> str:
    """'1.5M wafer/yr', or a range '1M..2M wafer/yr (lognormal 90%)'."""
    unit = unit_text(param.quantity.units)
    r = param.range
    if r is None or r.width_zero:
        return format_value(param.value, unit)
    return f"{format_value(r.low, '')}..{format_value(r.high, unit)} ({r.text()})"


# ---------------------------------------------------------------- what an override did


def effects(aset: AssumptionSet) -> list[str]:
    """'NAME: what it did' for each override of the set, in the order given."""
    said = dict(aset.override_effects)
    return [f"{n}: {said.get(n, 'overridden')}" for n in dict.fromkeys(aset.overrides)]


def overridden_quantity(aset: AssumptionSet, name: str) -> Quantity:
    """An override's value: a parameter's, one year's (NAME.YEAR) or a chip's figure's."""
    head, dot, tail = name.partition(".")
    if not dot:
        return aset.quantity(name)
    if tail.isdigit():
        param = aset.parameters[head]
        return param.at(int(tail)).quantity
    assert aset.timeline is not None
    return aset.timeline.chips[head].figures[tail].quantity


# ---------------------------------------------------------------- the figures a run uses


def check_used(aset: AssumptionSet, used: Iterable[str], run: str) -> None:
    """Refuse an override of a figure that no chain of the run uses: it would change nothing
    while the results say they were computed with it."""
    found = dict.fromkeys(used)
    unused = [n for n in dict.fromkeys(aset.overrides) if n not in found]
    if not unused:
        return
    shown = sorted(n for n in found if not n.startswith("mix.") and not n.endswith(".start"))
    raise ParameterError(
        f"{', '.join(unused)}: not used by {run}, so overriding it would change nothing",
        f"used by {run}: {', '.join(shown) or 'none of the set’s figures'}",
    )
