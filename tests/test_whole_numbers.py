"""Issue 20 item 4: at 100, 80 and 60 columns no number in any table is cut or split.

The oracle is the same command at 200 columns, where every table fits: each number it prints
(a word that starts with a digit: '7.016', '27.0%', '2026-H2–2028*', '-53.57') must appear
whole in the narrow output as often, never cut with '…' nor folded across lines; no line is
wider than the screen (but for a path printed whole). Then gwcalc.cli.fit's own rules, on
tables built here."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest
from rich.console import Console
from rich.table import Table

from gwcalc.cli.fit import fitted
from tests.helpers import assert_contract, invoke
from tests.test_narrow_tables import words

S = ("--samples", "200")
VARIANTS = [
    ("gap",),
    ("gap", "--unit", "USD", *S),
    ("timeline",),
    ("timeline", "--unit", "USD_all_in"),
    ("timeline", "--buyer", "OpenAI", *S),
    ("timeline", "-a", "independent-2026", "--buyer", "OpenAI"),
    ("convert", "6 GW", "--to", "gpu", "--to", "USD", *S),
    ("convert", "6 GW", "--to", "die", "--to", "wafer", "--to", "GW_facility", "-a", "bases-2025"),
    ("convert", "2M GB300", "--to", "GW", "--to", "USD", "-a", "independent-2026"),
    ("convert", "75k wafer/month", "--to", "GW/year"),
    ("flows",),
    ("flows", "--year", "2027", "--status", "contract"),
    ("flows", "--party", "AMD", *S),
    ("flows", "--party", "OpenAI", "--year", "2027"),
    ("economics",),
    ("economics", "--year", "2027", *S),
    ("diff", "independent-2026@1", "independent-2026@5"),
    ("diff", "independent-2026@4", "independent-2026@5", "--timeline"),
    ("diff", "independent-2026", "--set", "gpus_per_gw=330k..478k", *S),
    ("diff", "seed-2025", "independent-2026", "--convert", "6 GW", "--to", "gpu", "--to", "USD"),
    ("diff", "market-2026", "--set", "utilization=70%"),
    ("sensitivity", "-a", "independent-2026", *S),
    ("sensitivity", "--output", "payback_years", "-a", "market-2026@4", *S),
    ("sensitivity", "--output", "revenue_gap", "--year", "2027", *S),
    ("sensitivity", "--output", "round_trip_share", "--party", "AMD", *S),
    ("sensitivity", "--output", "warrant_value", "--flow", "AMD–OpenAI warrant", *S),
    ("explain", "coverage", "-a", "independent-2026"),
    ("explain", "payback_years"),
    ("explain", "revenue_gap", "--year", "2027"),
    ("explain", "net_external_revenue", "--party", "NVIDIA"),
    ("assumptions", "list"),
    ("assumptions", "show", "market-2026"),
    ("assumptions", "show", "independent-2026"),
    ("assumptions", "check", "independent-2026"),
]
# A figure: a word that starts with a digit (after a sign or bracket) and holds nothing but
# what numbers, dates, ranges and footnote marks are made of (a URL or a hash is no figure).
FIGURE = re.compile(r"[(+\-−~≈<>$]*\d[\d.,%kMBTH×x+\-−–*†‡:;()]*")


@cache
def shown(args: tuple[str, ...], columns: int) -> str:
    result = invoke(*args, env={"COLUMNS": str(columns)})
    assert_contract(result)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def figures(text: str) -> Counter[str]:
    return Counter(w for w in words(text) if FIGURE.fullmatch(w))


def cut(text: str) -> list[str]:
    """Words Rich cut with '…' (the lone '…' of 'low … high' is gwcalc's own)."""
    return [w for w in words(text) if w.endswith("…") and w != "…"]


@pytest.mark.parametrize("columns", [100, 80, 60])
@pytest.mark.parametrize("args", VARIANTS, ids=[" ".join(a) for a in VARIANTS])
def test_every_number_stays_whole(args: tuple[str, ...], columns: int) -> None:
    wide, narrow = shown(args, 200), shown(args, columns)
    assert cut(wide) == []  # the oracle itself is whole
    assert figures(wide) - figures(narrow) == Counter()  # none lost, cut or split
    assert cut(narrow) == []  # nor a name
    too_long = [line for line in narrow.splitlines() if len(line) > columns]
    # only a path printed whole to be copied (assumptions list's folders) may run over
    assert [line for line in too_long if max(map(len, line.split())) < columns // 2] == []


def test_the_oracle_sees_a_cut_and_a_split_number() -> None:
    wide = "│ supply │ 7.016 GW_IT │ 86.5% │"
    assert figures(wide) == Counter({"7.016": 1, "86.5%": 1})
    assert figures(wide) - figures("│ supply │ 7.016 GW_… │ 8… │") == Counter({"86.5%": 1})
    assert figures(wide) - figures("│ 7.0 │ 86.5% │\n│ 16  │       │") == Counter({"7.016": 1})


def render(table: Table, width: int) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    for part in fitted(table, console, width):
        console.print(part)
    return console.export_text()


def numbers_table(names: list[str], columns: int = 4) -> Table:
    table = Table(title="t")
    table.add_column("name")
    for i in range(columns):
        table.add_column(f"year {2025 + i}", justify="right", no_wrap=True)
    for n, name in enumerate(names):
        table.add_row(name, *(f"{(n + 1) * 1234.5678 * (i + 1):.4f} GW_IT" for i in range(columns)))
    return table


def test_a_table_that_fits_is_left_as_it_is() -> None:
    table = numbers_table(["a"], columns=1)
    assert fitted(table, Console(width=80), 80) == [table]
    assert [c.width for c in table.columns] == [None, None]


def test_names_wrap_and_numbers_keep_their_width() -> None:
    names = ["a rather long name of a deal that wraps between its words", "b"]
    table = numbers_table(names, columns=2)
    text = render(table, 60)
    assert "2469.1356 GW_IT" in text and "4938.2712 GW_IT" in text
    assert max(map(len, text.splitlines())) <= 60
    assert len(fitted(numbers_table(names, columns=2), Console(width=60), 60)) == 1  # one table


def test_columns_that_do_not_fit_move_to_a_second_table_beside_the_names() -> None:
    table = numbers_table(["first", "second"], columns=4)
    parts = fitted(table, Console(width=60), 60)
    assert len(parts) > 1
    text = render(numbers_table(["first", "second"], columns=4), 60)
    assert text.count("second") == len(parts)  # the names repeat in each part
    for i in range(4):
        assert f"year {2025 + i}" in text
        assert f"{2 * 1234.5678 * (i + 1):.4f} GW_IT" in text
    assert max(map(len, text.splitlines())) <= 60


def test_a_row_is_stacked_when_one_column_beside_the_names_does_not_fit() -> None:
    table = Table()
    table.add_column("parameter")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("unit", no_wrap=True)
    table.add_row("contract_rate_per_gw_year", "13.33B USD_contract/GW_IT/yr", "x")
    text = render(table, 44)
    assert "13.33B USD_contract/GW_IT/yr" in text
    assert "│ value     │" in text and "│ unit      │ x" in text  # a line a column
    assert max(map(len, text.splitlines())) <= 44


def test_the_caption_follows_the_last_part() -> None:
    table = numbers_table(["first", "second"], columns=4)
    table.caption = "† a footnote"
    parts = fitted(table, Console(width=60), 60)
    assert len(parts) > 1
    assert [getattr(p, "caption", None) for p in parts][-1] == "† a footnote"
    assert [getattr(p, "caption", None) for p in parts[:-1]] == [None] * (len(parts) - 1)
