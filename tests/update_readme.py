"""Run every `$ gwcalc …` example in README.md and in every docs/**/*.md page, and check or
rewrite the output shown below it; rewrite the docs' generated tables too (tests/docs_tables.py).

    python -m tests.update_readme          # rewrite the pages' example outputs in place
    python -m tests.update_readme --check  # exit 1 (and say where) if any output is stale

An example is a code fence with no language whose lines start with `$ gwcalc ` (or
`$ printf 'TEXT' | gwcalc `, which gives TEXT on stdin); the lines after
a command, up to the next `$ ` line or the fence's end, are what it prints (stdout, then
stderr), at COLUMNS=100, without colour, from an empty folder with a temporary home. A last line
`[exit status N]` says the command exits N (otherwise it must exit 0). A line `…` alone, or
`… (some words)`, ends a shortened output: the lines above it must be the output's first lines;
the same line right after the command starts one instead: the lines below it are the last lines.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
DOCS = REPO / "docs"
WIDTH = 100
FENCE = re.compile(r"^(```+|~~~+)(.*)$")
EXIT = re.compile(r"^\[exit status (\d+)\]$")
ELISION = re.compile(r"^\s*…(\s+\(.*\))?$")


@dataclass(frozen=True)
class Block:
    """A fenced code block: the fence's info string and the lines between its fences."""

    info: str
    start: int  # index of the first line inside the fence
    end: int  # index of the closing fence (len(lines) if the fence never closes)
    body: list[str]


@dataclass(frozen=True)
class Example:
    """One `$ gwcalc …` command in a block and what the README says it prints."""

    command: str
    expected: list[str]  # output lines, without the exit and elision lines
    exit_code: int
    elision: str | None  # the `…` line that shortens the output, if any
    tail: bool = False  # the elision comes first: the README shows the output's last lines

    def render(self, output: list[str], exit_code: int) -> list[str]:
        """The README lines for this example, given what the command printed."""
        if self.elision is None:
            return self._with_exit([self.command, *output], exit_code)
        if self.tail:
            kept = output[len(output) - len(self.expected) :] if self.expected else []
            return self._with_exit([self.command, self.elision, *kept], exit_code)
        return self._with_exit(
            [self.command, *output[: len(self.expected)], self.elision], exit_code
        )

    @staticmethod
    def _with_exit(lines: list[str], exit_code: int) -> list[str]:
        if exit_code:
            lines.append(f"[exit status {exit_code}]")
        return lines


def blocks(lines: list[str]) -> list[Block]:
    """Every fenced block, as CommonMark reads them: a closing fence has no info string."""
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        marker, info = opening.group(1), opening.group(2).strip()
        closing = re.compile(rf"{re.escape(marker[0])}{{{len(marker)},}}\s*")
        j = i + 1
        while j < len(lines) and not closing.fullmatch(lines[j]):
            j += 1
        found.append(Block(info, i + 1, j, lines[i + 1 : j]))
        i = j + 1
    return found


def examples(block: Block) -> list[Example]:
    """The commands of an example block ([] for any other block)."""
    if block.info or not block.body or not block.body[0].startswith(("$ gwcalc ", "$ printf ")):
        return []
    out: list[Example] = []
    for line in block.body:
        if line.startswith("$ "):
            out.append(Example(line, [], 0, None))
            continue
        last = out[-1]
        if (match := EXIT.match(line)) is not None:
            out[-1] = Example(last.command, last.expected, int(match.group(1)), last.elision)
        elif ELISION.match(line):
            tail = not last.expected
            out[-1] = Example(last.command, last.expected, last.exit_code, line, tail)
        else:
            last.expected.append(line)
    return out


def run(command: str) -> tuple[list[str], int]:
    """(lines printed, exit code) of `$ gwcalc …`, run in-process in a fresh empty folder;
    `$ printf 'TEXT' | gwcalc …` gives it TEXT on stdin (printf's only escape here: \\n)."""
    from click.testing import CliRunner

    from gwcalc.cli import cli

    words = shlex.split(command.removeprefix("$ "))
    stdin = None
    if words[0] == "printf":
        text, pipe, *words = words[1:]
        assert pipe == "|", f"expected printf 'TEXT' | gwcalc …, got {command}"
        stdin = text.replace("\\n", "\n")
    argv = words[1:]
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        home = Path(tmp) / "home"
        env: dict[str, str | None] = {
            "COLUMNS": str(WIDTH),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "APPDATA": str(home / "AppData"),
            "FORCE_COLOR": None,
            "NO_COLOR": "1",
            "GWCALC_ASSUMPTIONS_DIR": None,
            "GWCALC_DEFAULT_SET": None,
            "GWCALC_DEBUG": None,
        }
        result = CliRunner().invoke(cli, argv, env=env, prog_name="gwcalc", input=stdin)
    text = result.stdout + result.stderr
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines, result.exit_code


def pages() -> list[Path]:
    """The pages whose examples are checked: README.md, then every docs/**/*.md page."""
    return [README, *sorted(DOCS.rglob("*.md"))]


def refreshed(lines: list[str]) -> list[str]:
    """A page's lines with every example's output replaced by what gwcalc prints now, and every
    generated table (tests/docs_tables.py) as the code describes it now."""
    from tests.docs_tables import regenerated

    new = regenerated(lines)
    for block in reversed(blocks(lines)):  # from the end, so earlier indices stay valid
        found = examples(block)
        if found:
            body = [line for ex in found for line in ex.render(*run(ex.command))]
            new[block.start : block.end] = body
    return new


def main(argv: list[str]) -> int:
    status = 0
    for page in pages():
        name = page.relative_to(REPO).as_posix()
        lines = page.read_text(encoding="utf-8").splitlines()
        new = refreshed(lines)
        if "--check" in argv:
            stale = [i + 1 for i, (a, b) in enumerate(zip(lines, new, strict=False)) if a != b]
            if stale or len(lines) != len(new):
                print(f"{name} examples are stale (first at line {(stale or [len(new)])[0]})")
                status = 1
        elif new != lines:
            page.write_text("\n".join(new) + "\n", encoding="utf-8")
            print(f"{name}: example outputs rewritten")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
