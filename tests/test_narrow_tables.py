"""At 80 columns (and the gap table at 60) tables wrap between words, never inside one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gwcalc.sets.find import search_dirs
from gwcalc.sets.paths import user_sets_dir
from tests.helpers import invoke, shipped_file

# Box drawing, and the bars of the gap table (their length follows the width on purpose).
NOT_WORDS = re.compile(r"[\u2500-\u257f█░▶\s]+")


def words(text: str) -> list[str]:
    return [w for w in NOT_WORDS.split(text) if w]


def table_part(text: str) -> str:
    """The output up to the end of its first boxed table."""
    lines = text.splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("└"))
    return "\n".join(lines[: end + 1])


def at_width(columns: int, *args: str) -> str:
    result = invoke(*args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def assert_whole_words(narrow: str, wide: str) -> None:
    """Every word of the narrow rendering is a word of the wide one: none was cut or elided."""
    broken = [w for w in words(narrow) if w not in set(words(wide))]
    assert broken == [], f"cut words {broken} in:\n{narrow}"


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize(
    "args",
    [
        ("gap",),
        ("gap", "--unit", "USD"),
        ("gap", "--unit", "die"),
        ("gap", "-a", "independent-2026", "--unit", "GW_facility"),
        ("gap", "--demand", "26 GW"),
    ],
)
def test_the_gap_table_keeps_words_whole(columns: int, args: tuple[str, ...]) -> None:
    narrow = table_part(at_width(columns, *args))
    assert_whole_words(narrow, table_part(at_width(200, *args)))
    boxed = narrow[narrow.index("┏") :].splitlines()
    assert all(line.rstrip()[-1] in "┓┃┩│┘" for line in boxed), "the right border is cut off"
    assert "what it counts" in narrow or "counts" in narrow.split()


def test_assumptions_list_keeps_names_and_paths_whole(isolated: Path) -> None:
    deep = isolated / "a-rather-long-folder-name" / "and-another-one-below-it"
    (deep / "assumptions").mkdir(parents=True)
    shutil.copy(shipped_file("seed-2025"), deep / "assumptions" / "local-set.toml")
    (deep / "assumptions" / "broken-set.toml").write_text("this = [is not toml\n")
    user_sets_dir().mkdir(parents=True)
    shutil.copy(shipped_file("seed-2025"), user_sets_dir() / "my-own-view.toml")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(deep)
        narrow = at_width(80, "assumptions", "list")
        wide = at_width(200, "assumptions", "list")
        dirs = search_dirs()
    assert_whole_words(narrow, wide)
    tokens = words(narrow)
    for name in ("local-set", "broken-set", "my-own-view", "seed-2025", "independent-2026"):
        assert name in tokens or any(t.startswith(f"{name}@") for t in tokens), name  # NAME@V
    for folder in dirs:
        assert str(folder) in tokens  # listed once, whole, below the table
