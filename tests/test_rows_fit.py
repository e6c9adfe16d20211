"""Tables built from Rows (flows, economics) at any width: no word is split where a wrap at
spaces is possible, and no number ever; where the columns side by side cannot keep every word
whole, each row is stacked instead (issue 18, hostile review, item 4)."""

from __future__ import annotations

import pytest
from rich.console import Console

from gwcalc.cli.render_common import rows_table
from gwcalc.report.rows import Rows
from gwcalc.units.registry import format_number
from tests.helpers import invoke, json_output
from tests.test_narrow_tables import assert_whole_words, words

WIDTHS = (100, 80, 60, 40)


def at_width(columns: int, *args: str) -> str:
    result = invoke(*args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("columns", WIDTHS)
def test_flows_keeps_every_party_and_every_number_whole(columns: int) -> None:
    doc = json_output(invoke("flows", "--json"))
    wide = at_width(200, "flows")
    narrow = at_width(columns, "flows")
    assert max(len(line) for line in narrow.splitlines()) <= columns
    assert_whole_words(narrow, wide)  # every word shown is a word of the wide table: none cut
    seen = set(words(narrow))
    parties = {p["party"] for p in doc["parties"]}
    assert {"CoreWeave", "Microsoft", "OpenAI"} <= parties
    missing = [w for p in parties for w in p.split() if w not in seen]
    assert missing == []
    shown = [format_number(f["amount"]["value"]) for f in doc["flows"]]
    assert "32.59B" in shown
    assert [n for n in shown if n not in seen] == []
    numbers = {w for w in words(wide) if any(c.isdigit() for c in w)}
    assert sorted(numbers - seen) == []


@pytest.mark.parametrize("columns", WIDTHS)
def test_economics_tables_keep_numbers_and_years_whole(columns: int) -> None:
    wide = at_width(200, "economics", "-a", "market-2026@4")
    narrow = at_width(columns, "economics", "-a", "market-2026@4")
    assert_whole_words(narrow, wide)
    numbers = {w for w in words(wide) if any(c.isdigit() for c in w)}
    assert sorted(numbers - set(words(narrow))) == []
    assert {"2025", "2030", "1,338", "33.7%"} <= set(words(narrow))


ROWS = Rows(
    ("seller", "buyer", "paid", "sent", "round trip", "share"),
    [["CoreWeave", "Microsoft", "cloud-contract 22.4B", "equity 350M", "32.59B", "31.0%"]],
    numeric=(4, 5),
)


def _render(width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    with console.capture() as capture:
        console.print(rows_table("t", ROWS))
    return capture.get()


def test_a_table_that_fits_with_words_whole_stays_a_table() -> None:
    text = _render(70)
    assert "┏" in text and "CoreWeave" in text.split()


@pytest.mark.parametrize("width", [40, 30])
def test_a_table_that_cannot_fit_is_stacked_with_every_word_whole(width: int) -> None:
    text = _render(width)
    assert "┏" not in text  # no header row: a row's fields one under another
    assert max(len(line) for line in text.splitlines()) <= width
    assert {"CoreWeave", "Microsoft", "32.59B", "cloud-contract", "22.4B"} <= set(words(text))


def test_the_revenue_gap_by_year_stays_a_table_at_80_columns() -> None:
    # nine columns: their headings are short enough (econ-fix) that the table keeps its outer
    # padding at 80 columns; a table one or two characters too wide would drop it instead
    text = at_width(80, "economics", "-a", "market-2026@4")
    headers = [line for line in text.splitlines() if line.startswith("┃") and "Seq." in line]
    assert headers and all(len(line) <= 80 for line in headers)
    assert any(line.startswith(("│ 2025 │", "│2025")) for line in text.splitlines())
