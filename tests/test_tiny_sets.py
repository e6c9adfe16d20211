"""The tiny shared set (tests/tiny_sets.py) is what its comments say: a whole valid set, in
format 1 and 2, with the gap its figures give, written as gwcalc writes sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from gwcalc import api
from tests.helpers import invoke, json_output
from tests.tiny_sets import FIGURES, deal, parse_tiny, set_text, tiny_set


def test_the_tiny_set_gives_the_gap_its_comments_say(set_tiny: api.AssumptionSet) -> None:
    gap = api.gap(set_tiny, "GW")
    assert gap["supply_per_year"].magnitude == pytest.approx(10, rel=1e-12)
    assert gap["demand"].magnitude == pytest.approx(50, rel=1e-12)
    assert set(set_tiny.parameters) == set(FIGURES)
    assert [row.year for row in api.timeline(set_tiny).rows] == list(range(2025, 2031))


def test_the_tiny_set_file_reads_in_the_cli(set_tiny_file: Path) -> None:
    doc = json_output(invoke("gap", "-a", str(set_tiny_file), "--json"))
    assert doc["assumptions"]["id"] == "t"
    assert invoke("assumptions", "check", str(set_tiny_file)).exit_code == 0


def test_format_1_and_changes_by_keyword() -> None:
    one = parse_tiny(fmt=1, parameters={"vendor_share": {"value": 0.25}})
    assert one.parameters["vendor_share"].value == 0.25
    assert "timeline" not in tiny_set(1)
    assert "dies_per_gpu" not in tiny_set(parameters={"dies_per_gpu": None})["parameters"]
    with_deal = parse_tiny(deal("D", "5 GW", "2026", "2027"), title="with a deal")
    assert with_deal.title == "with a deal"
    assert with_deal.timeline is not None
    assert [d.name for d in with_deal.timeline.deals] == ["D"]


def test_the_text_is_what_gwcalc_writes(set_tiny: api.AssumptionSet) -> None:
    assert parse_tiny().sha256 == set_tiny.sha256
    again = parse_tiny(**{k: v for k, v in tiny_set().items() if k in ("id", "title")})
    assert again.sha256 == set_tiny.sha256
    assert set_text(tiny_set()).startswith('format = 2\nid = "t"\n')
