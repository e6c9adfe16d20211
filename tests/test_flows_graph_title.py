"""A saved flows graph (DOT or Mermaid) says which run drew it: the set, the party and year
chosen, the statuses counted and every --set override, so that a graph with AMD's warrants at
$600 a share ($96B) can be told apart from the set's own ($32.6B) (issue 18, hostile review,
item 5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import invoke
from tests.tiny_sets import flow, money_set, set_text

SET = "market-2026@4"
RUN = ("--party", "OpenAI", "--year", "2026", "--status", "contract", "--status", "closed")


def graph(fmt: str, *args: str) -> str:
    result = invoke("flows", "-a", SET, "--format", fmt, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def dot_label(out: str) -> str:
    found = re.search(r'^  label="((?:[^"\\]|\\.)*)";$', out, re.MULTILINE)
    assert found is not None, out
    return found.group(1)


def mermaid_title(out: str) -> str:
    """The title of a Mermaid front matter: '---', 'title: "…"', '---', then the chart. The
    title is a YAML double-quoted string, written with JSON's escapes only (so JSON reads it)."""
    lines = out.splitlines()
    assert lines[0] == "---" and lines[2] == "---" and lines[3] == "flowchart LR", lines[:4]
    assert lines[1].startswith('title: "')
    title = json.loads(lines[1].removeprefix("title: "))
    assert isinstance(title, str)
    return title


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_the_graph_names_the_set_party_year_statuses_and_overrides(fmt: str) -> None:
    out = graph(fmt, *RUN, "--set", "amd_share_price=600")
    title = dot_label(out) if fmt == "dot" else mermaid_title(out)
    for part in (
        "market-2026 v4",
        "sha256 ",
        "party OpenAI",
        "year 2026",
        "statuses contract, closed",
        "amd_share_price = 600 USD_equity (set)",
    ):
        assert part in title, (part, title)


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_two_runs_draw_graphs_with_different_titles(fmt: str) -> None:
    read = dot_label if fmt == "dot" else mermaid_title
    own = read(graph(fmt))
    assert "every party" in own and "every year" in own and "(set)" not in own
    assert read(graph(fmt, "--set", "amd_share_price=600")) != own


def test_a_range_override_is_named_with_its_range() -> None:
    title = mermaid_title(graph("mermaid", "--set", "amd_share_price=150..600"))
    assert "amd_share_price = 150..600 USD_equity (lognormal 90%) (set)" in title


def test_a_hostile_party_name_leaves_the_title_valid(tmp_path: Path) -> None:
    odd = 'A "quoted" {party} | [x] #1 <b>\\'
    path = tmp_path / "odd.toml"
    path.write_text(set_text(money_set(flow("x", odd, "B", "equity", "1B USD_equity"))), "utf-8")
    out = invoke("flows", "-a", str(path), "--format", "mermaid", "--party", odd).stdout
    assert f"party {odd}" in mermaid_title(out)
    dot = invoke("flows", "-a", str(path), "--format", "dot", "--party", odd).stdout
    assert dot_label(dot).replace('\\"', '"').replace("\\\\", "\\").count(odd) == 1
