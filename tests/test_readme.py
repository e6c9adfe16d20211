"""README.md: every fence closes, and every `$ gwcalc …` example prints what the README shows.

After a change to gwcalc's output, `python -m tests.update_readme` rewrites the examples.
"""

from __future__ import annotations

import re

import pytest

from tests.update_readme import README, Example, blocks, examples, refreshed, run

LINES = README.read_text(encoding="utf-8").splitlines()
EXAMPLES = [ex for block in blocks(LINES) for ex in examples(block)]


def test_every_code_fence_closes() -> None:
    found = blocks(LINES)
    assert found, "README.md has no code blocks"
    for block in found:
        where = f"README.md line {block.start}"
        assert block.end < len(LINES), f"the fence opened at {where} never closes"
        swallowed = [line for line in block.body if re.match(r"^```+\S", line)]
        assert not swallowed, f"the block at {where} swallows a fence: {swallowed[0]}"


def test_an_unclosed_fence_is_caught() -> None:
    broken = ["```", "$ gwcalc gap", "output", "```toml", "a = 1", "```", "text"]
    first, *rest = blocks(broken)
    assert first.body == ["$ gwcalc gap", "output", "```toml", "a = 1"]  # as GitHub reads it
    assert rest == []
    unclosed = blocks(["```sh", "echo"])
    assert unclosed[0].end == 2  # runs to the end of the file


def test_the_readme_keeps_its_examples_and_sections() -> None:
    commands = [ex.command for ex in EXAMPLES]
    for command in ("$ gwcalc gap", "$ gwcalc diff seed-2025 bases-2025"):
        assert command in commands
    assert any(ex.exit_code != 0 for ex in EXAMPLES)  # a failing example says how it exits
    headings = {line for line in LINES if line.startswith("#")}
    for heading in ("## Assumption sets", "### Shell completion", "## Worked example"):
        assert any(h.startswith(heading) for h in headings), heading
    assert "In plain words:" in LINES
    assert "pipx install ." in LINES


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_line_for_each_shell_is_there(shell: str) -> None:
    sourced = f"_GWCALC_COMPLETE={shell}_source gwcalc"
    line = f'eval "$({sourced})"' if shell != "fish" else f"{sourced} | source"
    assert line in LINES


@pytest.mark.parametrize("example", EXAMPLES, ids=[ex.command for ex in EXAMPLES])
def test_every_example_prints_what_the_readme_shows(example: Example) -> None:
    output, code = run(example.command)
    hint = "run `python -m tests.update_readme` if the change is on purpose"
    assert code == example.exit_code, f"{example.command} exits {code}; {hint}"
    shown = output
    if example.elision and example.tail:  # '…' first: the README shows the last lines
        shown = output[len(output) - len(example.expected) :]
    elif example.elision:
        shown = output[: len(example.expected)]
    assert shown == example.expected, hint
    if example.elision:
        assert len(output) > len(example.expected), "a shortened output is not shorter"


def test_regeneration_rewrites_outputs_and_keeps_everything_else() -> None:
    shortened = ["```", "$ gwcalc assumptions list --json", "{", "…", "```"]  # kept as it is
    tail = ["```", "$ gwcalc convert '6 GW' --to gpu --json", "… (first lines)", "stale", "```"]
    not_an_example = ["```toml", "$ gwcalc not an example = 1", "```"]
    stale = [
        *["# Title", "```", "$ gwcalc convert '6 GW' --to gpu --json", "old output", "```"],
        *["prose", "```", "$ gwcalc convert '5 TWh'", "```"],
        *shortened,
        *tail,
        *not_an_example,
    ]
    new = refreshed(stale)
    convert = run("$ gwcalc convert '6 GW' --to gpu --json")[0]
    refused, code = run("$ gwcalc convert '5 TWh'")
    assert code == 1
    assert new == [
        *["# Title", "```", "$ gwcalc convert '6 GW' --to gpu --json", *convert, "```"],
        *["prose", "```", "$ gwcalc convert '5 TWh'", *refused, "[exit status 1]", "```"],
        *shortened,
        *[*tail[:3], convert[-1], "```"],  # the output's last line, under the '…'
        *not_an_example,
    ]
    assert refreshed(new) == new
