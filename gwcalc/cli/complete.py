"""Shell completion of set names, units, parameter names and output names (click's shell_complete
callbacks)."""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from gwcalc.sets.paths import search_folders

# What --to and --unit offer: one unit per kind (as docs/units.md's table names them), and
# after 'UNIT/' the times a rate can be per. Every one parses (tests/test_completion.py).
KIND_UNITS = (
    "wafer",
    "gpu",
    "die",
    "GW",
    "MW",
    "GW_facility",
    "MW_facility",
    "USD",
    "USD_all_in",
    "USD_contract",
    "USD_equity",
    "USD_revenue",
)
PER_TIME = ("year", "quarter", "month", "week", "day")


def _looks_like_path(text: str) -> bool:
    return text.startswith((".", "~", "/")) or "/" in text or text.endswith(".toml")


def _set_files(ctx: click.Context) -> Iterator[Path]:
    """Every NAME.toml in the search folders, the first of a name only."""
    folder = ctx.params.get("assumptions_dir")
    seen: set[str] = set()
    for d in search_folders(folder if isinstance(folder, Path) else None):
        with contextlib.suppress(OSError, ValueError):  # unreadable folder, or a NUL in its name
            for path in sorted(d.glob("*.toml")):
                if path.stem not in seen:
                    seen.add(path.stem)
                    yield path


_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)  # a table header: the top-level keys end there
_PARAMETERS = re.compile(r"^[ \t]*\[[ \t]*parameters[ \t]*[\].]", re.MULTILINE)


def _set_table(path: Path) -> dict[str, Any] | None:
    """The file's TOML if it reads as a set at all (a cheap check: no units, no validation)."""
    try:
        data = tomllib.loads(_regular_text(path))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return data if isinstance(data.get("parameters"), dict) else None


def _regular_text(path: Path) -> str:
    """A regular file's text; OSError for anything else (a FIFO would block the TAB for ever)."""
    if not path.is_file():
        raise OSError(f"{path} is not a regular file")
    return path.read_text(encoding="utf-8")


def set_head(path: Path) -> dict[str, Any] | None:
    """The file's top-level keys (title, …) if it looks like a set: its head (the keys before
    the first table) reads as TOML and it has a [parameters] table. A cheap check, no units
    and no validation: a TAB parses no set in full (a set is thousands of lines)."""
    try:
        text = _regular_text(path)
        first_table = _TABLE.search(text)
        head = tomllib.loads(text[: first_table.start()] if first_table else text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return head if _PARAMETERS.search(text) else None


def _set_names(ctx: click.Context) -> Iterator[tuple[str, str]]:
    """NAME@VERSION for each versioned file, and each bare NAME once (its newest version)."""
    from gwcalc.sets.versions import file_ref

    bare: set[str] = set()
    for path in _set_files(ctx):
        data = set_head(path)
        if data is not None:
            title = data.get("title")
            title = title if isinstance(title, str) else ""
            name, version = file_ref(path)
            if version is not None:
                yield path.stem, title
            if name not in bare:
                bare.add(name)
                yield name, title


def complete_set(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Set names from the search folders (a broken file is skipped), or files for a path."""
    if _looks_like_path(incomplete):
        return [CompletionItem(incomplete, type="file")]
    with contextlib.suppress(Exception):  # completion never prints an error
        return [
            CompletionItem(name, help=title or None)
            for name, title in sorted(_set_names(ctx))
            if name.startswith(incomplete)
        ]
    return []


def complete_unit(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """A unit per kind; after 'UNIT/', the same unit per year, quarter, month…"""
    if "/" in incomplete:
        head, _, tail = incomplete.rpartition("/")
        return [f"{head}/{t}" for t in PER_TIME if t.startswith(tail)]
    return [u for u in KIND_UNITS if u.startswith(incomplete)]


_CHIP = re.compile(r"^[ \t]*\[[ \t]*chips\.([A-Za-z_][A-Za-z0-9_]*)[ \t]*\]", re.MULTILINE)


def complete_target(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """convert's --to: a unit per kind, and the chips of the set named on the command line
    (a chip's packages: '--to Rubin'), matched in any case as convert reads them."""
    units = complete_unit(ctx, param, incomplete)
    if "/" in incomplete:
        return units
    with contextlib.suppress(Exception):  # completion never prints an error
        chosen = str(ctx.params.get("set_name") or os.environ.get("GWCALC_DEFAULT_SET") or "")
        if chosen:
            path = Path(chosen).expanduser() if _looks_like_path(chosen) else _newest(ctx, chosen)
            chips = _CHIP.findall(_regular_text(path))
            wanted = incomplete.lower()
            units += [c for c in dict.fromkeys(chips) if c.lower().startswith(wanted)]
    return units


def _parameter_names(ctx: click.Context) -> dict[str, str]:
    """Every parameter gwcalc knows, plus those of the set named on this command line."""
    from gwcalc.sets.specs import SPECS

    names = {name: spec.meaning for name, spec in SPECS.items()}
    # -a or --from (click leaves positional arguments unparsed while an option wants its value)
    chosen = ctx.params.get("set_name") or ctx.params.get("base_name")
    chosen = str(chosen or os.environ.get("GWCALC_DEFAULT_SET") or "seed-2025")
    with contextlib.suppress(Exception):
        path = Path(chosen).expanduser() if _looks_like_path(chosen) else None
        path = path or _newest(ctx, chosen)
        table = _set_table(path) or {}
        for name, entry in table.get("parameters", {}).items():
            names.setdefault(str(name), "")
            for year in entry.get("by_year", {}) if isinstance(entry, dict) else ():
                names.setdefault(f"{name}.{year}", f"{name} in {year} alone")
        for chip, figures in table.get("chips", {}).items():  # a chip's figures are tables
            for field, value in figures.items() if isinstance(figures, dict) else ():
                if isinstance(value, dict):
                    names.setdefault(f"{chip}.{field}", f"{chip}'s {field.replace('_', ' ')}")
    return names


def _newest(ctx: click.Context, chosen: str) -> Path:
    """The file of a set named NAME or NAME@VERSION (by name alone: its newest version)."""
    if "@" in chosen:
        return next(p for p in _set_files(ctx) if p.stem == chosen)

    def version(p: Path) -> int:
        tail = p.stem.partition("@")[2]
        return int(tail) if tail.isdigit() else 0

    return max((p for p in _set_files(ctx) if p.stem.partition("@")[0] == chosen), key=version)


def complete_parameter(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """'NAME=' for --set NAME=QUANTITY (nothing once the '=' is typed: the value is yours)."""
    if "=" in incomplete:
        return []
    with contextlib.suppress(Exception):
        return [
            CompletionItem(f"{name}=", help=meaning or None)
            for name, meaning in _parameter_names(ctx).items()
            if name.startswith(incomplete)
        ]
    return []


def output_names() -> list[tuple[str, str]]:
    """Every output sensitivity and explain study: the gap's, then the economics model's (per
    GW, then the revenue gap by year), then the flows', each with its label."""
    from gwcalc.econ.by_year_study import STUDIED
    from gwcalc.econ.model import BY_YEAR_OUTPUTS, PER_GW_OUTPUTS
    from gwcalc.engine.outputs import gap_outputs
    from gwcalc.money.outputs import FLOW_OUTPUTS

    gap = [(o.name, f"gap: {o.label}") for o in gap_outputs() if o.shown]
    flows = [(o.name, f"flows: {o.label} (--{o.takes})") for o in FLOW_OUTPUTS]
    by_year = [(o.name, f"by year: {o.label}") for o in BY_YEAR_OUTPUTS if o.name in STUDIED]
    per_gw = [(o.name, f"economics: {o.label}") for o in PER_GW_OUTPUTS]
    return [*gap, *per_gw, *by_year, *flows]


def complete_output(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """An output's name, of the gap or of the economics model."""
    return [
        CompletionItem(name, help=label)
        for name, label in output_names()
        if name.startswith(incomplete)
    ]


# the economics model's outputs, for --help (tests/test_econ_analysis.py checks it is all of them)
ECON_OUTPUTS = (
    "capex_per_gw, hardware_per_gw, facility_capex_per_gw, depreciation_per_gw_year, "
    "capital_cost_per_gw_year, energy_per_gw_year, opex_per_gw_year, cost_per_gw_year, "
    "revenue_per_gw_year, margin_per_gw_year, payback_years, cost_per_gpu_hour, "
    "break_even_utilization, break_even_price"
)
# the revenue gap by year's outputs, for --help (tests/test_by_year_sensitivity_explain.py)
BY_YEAR_ECON_OUTPUTS = (
    "ai_capex, depreciation, revenue_needed, revenue_needed_sequoia, revenue_gap, "
    "revenue_gap_sequoia, revenue_covered, revenue_covered_sequoia"
)
