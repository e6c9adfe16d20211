"""Sensitivity and economics explain at 100, 80 and 60 columns: no number, unit, date or word is
cut with '…' or split across lines (the tables wrap at spaces or are stacked a row at a time)."""

from __future__ import annotations

import json

import pytest

from gwcalc.units.registry import format_number
from tests.helpers import invoke
from tests.test_narrow_tables import words

SENSITIVITY = ("sensitivity", "--output", "payback_years", "-a", "market-2026@4")
EXPLAIN = ("explain", "payback_years", "-a", "market-2026@4")


def at_width(columns: int, *args: str) -> str:
    result = invoke(*args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def cut_words(text: str) -> list[str]:
    """Words ending in '…' (Rich's ellipsis), apart from the lone '…' of 'low … high'."""
    return [w for w in words(text) if w.endswith("…") and w != "…"]


@pytest.mark.parametrize("columns", [100, 80, 60])
def test_sensitivity_shows_every_number_of_its_json_whole(columns: int) -> None:
    text = at_width(columns, *SENSITIVITY)
    document = json.loads(at_width(200, *SENSITIVITY, "--json"))
    shown = set(words(text))
    assert cut_words(text) == []
    for p in document["parameters"]:
        expected = [p["name"]]
        expected += [format_number(p["range"][end]["value"], 3) for end in ("low", "high")]
        expected += [format_number(p[k]["value"], 4) for k in ("output_at_low", "output_at_high")]
        expected.append(format_number(p["swing"]["value"], 4))
        assert [w for w in expected if w not in shown] == [], (p["name"], text)
    assert set(words(text)) <= set(words(at_width(200, *SENSITIVITY)))


@pytest.mark.parametrize("columns", [80, 60])
def test_explain_inputs_keep_words_units_and_dates_whole(columns: int) -> None:
    text = at_width(columns, *EXPLAIN)
    wide = at_width(200, *EXPLAIN)
    assert cut_words(text) == []
    broken = [w for w in words(text) if w not in set(words(wide))]
    assert broken == [], broken
    for whole in ("one-gigawatt", "USD_all_in/GW_IT", "2026-05-14", "2025-12-18"):
        assert whole in words(text)
