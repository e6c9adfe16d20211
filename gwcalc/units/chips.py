"""Chip names as units: '2M GB300' is 2M GPU packages of GB300, converted by GB300's figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gwcalc.errors import UnitError
from gwcalc.units.grammar import Factors, read_quantity, read_unit

GPU = "gpu"


def _names(factors: Factors, chips: Mapping[str, object]) -> list[tuple[str, int]]:
    return [(name, pos) for name, pos, _ in factors if name in chips]


def _replaced(text: str, found: list[tuple[str, int]]) -> str:
    for name, pos in sorted(found, key=lambda f: -f[1]):  # from the end: positions stay valid
        text = text[:pos] + GPU + text[pos + len(name) :]
    return text


def strip_chips(
    quantity: str, units: Iterable[str], chips: Mapping[str, object]
) -> tuple[str, list[str], str | None]:
    """The quantity and target units with every chip name read as 'gpu', and the chip named
    (None if none). One chip per conversion: two different chips are refused."""
    stripped = quantity.strip(" \t\r\n")
    found = _names(read_quantity(stripped).factors, chips)
    quantity_out = _replaced(stripped, found)
    units_out = []
    named = [name for name, _ in found]
    for unit in units:
        unit = unit.strip(" \t\r\n")
        in_unit = _names(read_unit(unit), chips)
        named += [name for name, _ in in_unit]
        units_out.append(_replaced(unit, in_unit))
    chosen = set(named)
    if len(chosen) > 1:
        raise UnitError(
            f"one conversion can use one chip's figures; this names {', '.join(sorted(chosen))}",
            "convert each chip on its own, or through gpu (the set's generic rates)",
        )
    return quantity_out, units_out, next(iter(chosen), None)
