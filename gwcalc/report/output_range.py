"""The check every result passes before any format is written: no number of its document (from
which the table, JSON, CSV, Markdown and -q are all made) is inf, NaN or subnormal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gwcalc.errors import OutputRangeError
from gwcalc.units.floats import BEYOND, LARGEST, float_fault


def check_document(document: dict[str, Any]) -> dict[str, Any]:
    """The document every output format is made from, if each of its numbers is in range;
    else OutputRangeError naming the first that is not, and the figures it comes from."""
    for path, value in _numbers(document, ""):
        fault = float_fault(value)
        if fault == BEYOND:
            fault = f"{value:.3g}, beyond the range gwcalc shows (about ±{LARGEST:.2g})"
        if fault is not None:
            raise OutputRangeError(
                f"the result's {path} is {fault}: nothing is shown", _inputs_hint(document)
            )
    return document


def _numbers(node: object, path: str) -> Iterator[tuple[str, float]]:
    """(path, value) of every float in a JSON-like document: 'outputs.gap.value', and list items
    by their name or year where they have one ('parameters[gpus_per_gw].swing')."""
    if isinstance(node, float):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _numbers(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            label: object = i
            if isinstance(item, dict):
                label = item.get("name", item.get("year", i))
            yield from _numbers(item, f"{path}[{label}]")


def _inputs_hint(document: dict[str, Any]) -> str:
    """Which figures to look at: this run's overrides, if any, else the set's figures."""
    given = sorted({name for doc in _sets(document) for name in doc.get("overrides", {})})
    if given:
        return (
            f"it is computed from this run's overrides ({', '.join(given)}) and the set's "
            "figures: use values nearer the set's own, or narrower ranges"
        )
    return (
        "it is computed from the set's figures and the quantities given: look for a figure or "
        "quantity far beyond the others"
    )


def _sets(node: object) -> Iterator[dict[str, Any]]:
    """Every mapping in the document that lists overrides (one per set compared)."""
    if isinstance(node, dict):
        if isinstance(node.get("overrides"), dict):
            yield node
        for value in node.values():
            yield from _sets(value)
    elif isinstance(node, list):
        for item in node:
            yield from _sets(item)
