"""README.md and every docs/**/*.md page: every fence closes, every `$ gwcalc …` example prints
what the page shows, the tables written from the code are current, and the README's links to the
docs lead to files that exist.

After a change to gwcalc's output, `python -m tests.update_readme` rewrites the examples.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs_tables import GENERATORS, regenerated
from tests.update_readme import (
    README,
    REPO,
    Example,
    blocks,
    examples,
    pages,
    refreshed,
    run,
)

PAGES = {page.relative_to(REPO).as_posix(): page.read_text(encoding="utf-8") for page in pages()}
LINES = {name: text.splitlines() for name, text in PAGES.items()}
README_LINES = LINES["README.md"]
EXAMPLES = [
    (name, ex) for name, lines in LINES.items() for block in blocks(lines) for ex in examples(block)
]
ALL_COMMANDS = [ex.command for _, ex in EXAMPLES]


def _headings(name: str) -> set[str]:
    return {line for line in LINES[name] if line.startswith("#")}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_code_fence_closes(name: str) -> None:
    lines = LINES[name]
    found = blocks(lines)
    if name == "README.md":
        assert found, f"{name} has no code blocks"
    for block in found:
        where = f"{name} line {block.start}"
        assert block.end < len(lines), f"the fence opened at {where} never closes"
        swallowed = [line for line in block.body if re.match(r"^```+\S", line)]
        assert not swallowed, f"the block at {where} swallows a fence: {swallowed[0]}"


def test_an_unclosed_fence_is_caught() -> None:
    broken = ["```", "$ gwcalc gap", "output", "```toml", "a = 1", "```", "text"]
    first, *rest = blocks(broken)
    assert first.body == ["$ gwcalc gap", "output", "```toml", "a = 1"]  # as GitHub reads it
    assert rest == []
    unclosed = blocks(["```sh", "echo"])
    assert unclosed[0].end == 2  # runs to the end of the file


def test_the_pages_keep_their_examples_and_sections() -> None:
    for command in ("$ gwcalc gap", "$ gwcalc diff seed-2025 bases-2025"):
        assert command in ALL_COMMANDS
    assert any(ex.exit_code != 0 for _, ex in EXAMPLES)  # a failing example says how it exits
    assert "## Assumption sets" not in _headings("README.md")  # moved: the README stays short
    for name, heading in (
        ("docs/sets.md", "# Assumption sets"),
        ("README.md", "### Shell completion"),
        ("docs/install.md", "## Shell completion"),
        ("docs/worked-example.md", "# Worked example"),
    ):
        assert any(h.startswith(heading) for h in _headings(name)), (name, heading)
    assert "In plain words:" in LINES["docs/worked-example.md"]
    assert "pipx install ." in README_LINES


def test_the_readme_answers_in_two_minutes() -> None:
    """What a newcomer reads first: the set-up, the like-for-like timeline with its chart, a
    conversion and a diff, all as real output; the README stays a few hundred lines."""
    assert len(README_LINES) <= 300
    readme = [ex.command for name, ex in EXAMPLES if name == "README.md"]
    assert readme[0] == "$ gwcalc timeline --samples 2000 --plot timeline.svg"
    assert any(c.startswith("$ gwcalc convert ") for c in readme)
    assert "$ gwcalc diff seed-2025 bases-2025" in readme
    assert "![" in PAGES["README.md"] and "(docs/timeline.svg)" in PAGES["README.md"]
    assert "pip install '.[plot]'" in README_LINES
    assert "python -m pytest -q" in PAGES["README.md"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("name", ["README.md", "docs/install.md"])
def test_the_completion_line_for_each_shell_is_there(name: str, shell: str) -> None:
    sourced = f"_GWCALC_COMPLETE={shell}_source gwcalc"
    line = f'eval "$({sourced})"' if shell != "fish" else f"{sourced} | source"
    assert line in LINES[name]


def _relative_links(text: str) -> list[str]:
    """The targets of a page's Markdown links and images that are not web addresses."""
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"^[a-z]+:", t) and not t.startswith("#")]


def test_the_readme_links_to_files_that_exist() -> None:
    links = _relative_links(PAGES["README.md"])
    assert "docs/index.md" in links and "docs/timeline.svg" in links
    for link in links:
        path = (README.parent / link.split("#", 1)[0]).resolve()
        assert path.exists(), f"README.md links to {link}, which does not exist"
        assert REPO in path.parents, link


def test_the_readme_links_to_every_docs_page() -> None:
    links = {link.split("#", 1)[0] for link in _relative_links(PAGES["README.md"])}
    missing = [name for name in PAGES if name.startswith("docs/") and name not in links]
    assert not missing, f"README.md links to no {missing}"


@pytest.mark.parametrize(
    ("name", "example"), EXAMPLES, ids=[f"{name}: {ex.command}" for name, ex in EXAMPLES]
)
def test_every_example_prints_what_the_page_shows(name: str, example: Example) -> None:
    output, code = run(example.command)
    hint = f"{name}: run `python -m tests.update_readme` if the change is on purpose"
    assert code == example.exit_code, f"{example.command} exits {code}; {hint}"
    shown = output
    if example.elision and example.tail:  # '…' first: the page shows the last lines
        shown = output[len(output) - len(example.expected) :]
    elif example.elision:
        shown = output[: len(example.expected)]
    assert shown == example.expected, hint
    if example.elision:
        assert len(output) > len(example.expected), "a shortened output is not shorter"


@pytest.mark.parametrize("generator", sorted(GENERATORS))
def test_the_generated_tables_are_current(generator: str) -> None:
    marker = f"<!-- generated: {generator} -->"
    holders = [name for name, lines in LINES.items() if marker in lines]
    assert holders, f"no page shows the {generator} table"
    for name in holders:
        assert regenerated(LINES[name]) == LINES[name], (
            f"{name}: the {generator} table is stale; run `python -m tests.update_readme`"
        )


def test_the_set_keys_table_lists_every_key_of_the_format() -> None:
    from gwcalc.sets.schema import DEAL, FLOW, TIMELINE, TOP

    text = PAGES["docs/sets.md"]
    for table in (TOP, TIMELINE, DEAL, FLOW):
        assert f"**{table.header}**" in text
        for key in table.keys:
            assert f"| `{key}` |" in text, (table.header, key)


def test_a_generated_block_without_its_end_is_an_error() -> None:
    with pytest.raises(ValueError, match="no generator"):
        regenerated(["<!-- generated: parameters -->", "stale"])
    with pytest.raises(ValueError, match="no generator"):
        regenerated(["<!-- generated: nothing -->", "<!-- end generated: nothing -->"])
    stale = ["<!-- generated: parameters -->", "old", "<!-- end generated: parameters -->"]
    new = regenerated(stale)
    assert new[0] == stale[0] and new[-1] == stale[-1] and "old" not in new
    assert regenerated(new) == new


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


def test_every_docs_page_is_checked() -> None:
    on_disk = {p.relative_to(REPO).as_posix() for p in (REPO / "docs").rglob("*.md")}
    assert on_disk <= set(PAGES)
    assert len(on_disk) >= 20
    assert all(Path(REPO / name).is_file() for name in PAGES)
