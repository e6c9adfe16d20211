"""Chip names as units: '2M GB300' is 2M GPU packages of GB300, converted by GB300's figures.

A chip's name is read in any case ('2M gb300') unless the name as written is a unit; a name
that is neither a unit nor a chip is refused with the chips listed in the hint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gwcalc.errors import QuantityError, UnitError
from gwcalc.units.grammar import Factors, read_quantity, read_unit
from gwcalc.units.registry import is_unit_name, unknown_unit

GPU = "gpu"


def chip_named(name: str, chips: Mapping[str, object]) -> str | None:
    """The catalogue's chip a name as written means ('gb300' → 'GB300'), None if it is a unit
    or no chip; two chips that differ only in case are refused."""
    if name in chips:
        return name
    if is_unit_name(name):
        return None
    matches = [chip for chip in chips if chip.casefold() == name.casefold()]
    if len(matches) > 1:
        raise UnitError(
            f"{name!r} could be any of the chips {', '.join(matches)}",
            "write the chip's name in the catalogue's case",
        )
    return matches[0] if matches else None


def _names(
    factors: Factors, chips: Mapping[str, object], text: str, error: type[QuantityError | UnitError]
) -> list[tuple[str, int, str]]:
    """(name as written, position, chip) for each chip named; a name that is neither a unit nor
    a chip is refused here, where the chips can be listed."""
    found = []
    for name, pos, _ in factors:
        chip = chip_named(name, chips)
        if chip is not None:
            found.append((name, pos, chip))
        elif name not in ("$", "%") and not is_unit_name(name):
            raise unknown_unit(name, text, error, list(chips))
    return found


def chip_unit(unit: str, chip: str | None) -> str:
    """A unit's text with gpu written as the chip it counts ('gpu/GW_IT' → 'GB300/GW_IT'), so
    that what gwcalc prints reads back as the same chip's packages (no chip: as it is)."""
    if chip is None:
        return unit
    import re

    return re.sub(r"(?<![A-Za-z0-9_])gpu(?![A-Za-z0-9_])", chip, unit)


def _replaced(text: str, found: list[tuple[str, int, str]]) -> str:
    for name, pos, _ in sorted(found, key=lambda f: -f[1]):  # from the end: positions stay valid
        text = text[:pos] + GPU + text[pos + len(name) :]
    return text


def strip_chips(
    quantity: str, units: Iterable[str], chips: Mapping[str, object]
) -> tuple[str, list[str], str | None]:
    """The quantity and target units with every chip name read as 'gpu', and the chip named
    (None if none). One chip per conversion: two different chips are refused."""
    stripped = quantity.strip(" \t\r\n")
    found = _names(read_quantity(stripped).factors, chips, stripped, QuantityError)
    quantity_out = _replaced(stripped, found)
    units_out = []
    named = [chip for _, _, chip in found]
    for unit in units:
        unit = unit.strip(" \t\r\n")
        in_unit = _names(read_unit(unit), chips, unit, UnitError)
        named += [chip for _, _, chip in in_unit]
        units_out.append(_replaced(unit, in_unit))
    chosen = set(named)
    if len(chosen) > 1:
        raise UnitError(
            f"one conversion can use one chip's figures; this names {', '.join(sorted(chosen))}",
            "convert each chip on its own, or through gpu (the set's generic rates)",
        )
    return quantity_out, units_out, next(iter(chosen), None)
