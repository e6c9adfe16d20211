"""Tables of the docs written from the code's own descriptions, so the docs cannot drift from it:
the set format's keys from gwcalc.sets.schema, the named parameters from gwcalc.sets.specs.

A page asks for one by a pair of comments; `python -m tests.update_readme` rewrites what lies
between them (and `--check`, like tests/test_readme.py, fails while it is stale):

    <!-- generated: set-keys -->
    …
    <!-- end generated: set-keys -->
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from gwcalc.sets.schema import TOP, Each, Key, Table
from gwcalc.sets.specs import SPECS, ParamSpec

BEGIN = re.compile(r"^<!-- generated: ([a-z-]+) -->$")


def _cell(text: str) -> str:
    """Text for a Markdown table cell: a `|` escaped, so it stays in its cell."""
    return text.replace("|", "\\|")


def _tables(table: Table = TOP) -> Iterator[Table]:
    """Every table of the format with fixed keys, each once, in the order a file meets them."""
    seen: set[str] = set()

    def walk(current: Table) -> Iterator[Table]:
        if current.header in seen:
            return
        seen.add(current.header)
        yield current
        for key in current.keys.values():
            holds = key.holds.holds if isinstance(key.holds, Each) else key.holds
            if holds is not None:
                yield from walk(holds)

    yield from walk(table)


def _key_row(name: str, key: Key) -> str:
    since = str(key.since) if key.since > 1 else "1"
    unit = f"`{key.unit}`" if key.unit and key.unit != "the figure's unit" else key.unit
    return f"| `{name}` | {key.type} | {_cell(unit)} | {since} | {_cell(key.meaning)} |"


def set_keys() -> list[str]:
    """One Markdown table per table of the set format: each key, its type, unit, format."""
    lines: list[str] = []
    for table in _tables():
        lines += [f"**{table.header}**", ""]
        lines += ["| key | type | unit | format | what it holds |", "|---|---|---|---|---|"]
        lines += [_key_row(name, key) for name, key in table.keys.items()]
        lines.append("")
    return lines[:-1]


def _limits(spec: ParamSpec) -> str:
    low = f"{'≥' if spec.minimum_inclusive else '>'} {spec.minimum:g}"
    return low if spec.maximum is None else f"{low}, ≤ {spec.maximum:g}"


def parameters() -> list[str]:
    """The parameters gwcalc knows by name: unit, meaning, valid range, required or not."""
    lines = ["| parameter | unit | what it is | valid values | required |", "|---|---|---|---|---|"]
    for name, spec in SPECS.items():
        units = " or ".join(f"`{unit}`" for unit in spec.units)
        required = "yes" if spec.required else ""
        row = f"| `{name}` | {units} | {_cell(spec.meaning)} | {_limits(spec)} | {required} |"
        lines.append(row)
    return lines


GENERATORS: dict[str, Callable[[], list[str]]] = {"set-keys": set_keys, "parameters": parameters}


def regenerated(lines: list[str]) -> list[str]:
    """A page's lines with every generated block rewritten from the code as it stands."""
    new: list[str] = []
    i = 0
    while i < len(lines):
        new.append(lines[i])
        match = BEGIN.match(lines[i])
        i += 1
        if match is None:
            continue
        name = match.group(1)
        end = f"<!-- end generated: {name} -->"
        if name not in GENERATORS or end not in lines[i:]:
            raise ValueError(f"no generator {name!r}, or no line {end!r} after its start")
        i = lines.index(end, i)
        new += ["", *GENERATORS[name](), ""]
    return new
