"""Piped tables (issue 20 item 4): no line ends in spaces, and a title wraps at the console's
width, not at its table's."""

from __future__ import annotations

import pytest

from tests.helpers import assert_contract, invoke

COMMANDS = [
    ("gap",),
    ("timeline",),
    ("economics",),
    ("flows",),
    ("convert", "6 GW"),
    ("diff", "market-2026@3", "market-2026@4"),
    ("sensitivity", "-a", "market-2026", "--output", "payback_years", "--samples", "200"),
    ("explain", "coverage"),
    ("assumptions", "list"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
@pytest.mark.parametrize("columns", ["60", "80", "200"])
def test_no_piped_line_ends_in_spaces(args: tuple[str, ...], columns: str) -> None:
    result = invoke(*args, env={"COLUMNS": columns})
    assert_contract(result)
    assert result.exit_code == 0
    padded = [line for line in result.stdout.splitlines() if line != line.rstrip()]
    assert padded == []


def test_a_title_wraps_at_the_console_width() -> None:
    """The timeline's table is ~75 columns wide; at 200 columns its title is one line."""
    wide = invoke("timeline", env={"COLUMNS": "200"})
    assert_contract(wide)
    first = wide.stdout.splitlines()[0]
    assert first.startswith("Supply vs demand")
    assert "sha256" in first  # the whole title, set and hash included, on its first line
    narrow = invoke("timeline", env={"COLUMNS": "60"})
    assert max(len(line) for line in narrow.stdout.splitlines()[:3]) <= 60


@pytest.mark.parametrize("columns", ["0", "1", "39"])
def test_a_screen_narrower_than_40_columns_is_drawn_at_40(columns: str) -> None:
    """COLUMNS=0 used to draw nothing at all with exit 0, and COLUMNS=1 a character a line."""
    narrow = invoke("gap", env={"COLUMNS": columns})
    at_40 = invoke("gap", env={"COLUMNS": "40"})
    assert_contract(narrow)
    assert narrow.exit_code == 0, narrow.stderr
    assert narrow.stdout == at_40.stdout
    assert "supply per year" in narrow.stdout
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 40
