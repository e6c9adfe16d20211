"""Every command explains itself: --help with examples that run, and a page in docs/."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from gwcalc import __version__
from gwcalc.cli import cli
from tests.helpers import invoke

REPO = Path(__file__).resolve().parent.parent


def all_commands(
    group: click.Group = cli, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command and subcommand, with the words that invoke it."""
    out: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in sorted(group.commands.items()):
        out.append(((*path, name), command))
        if isinstance(command, click.Group):
            out.extend(all_commands(command, (*path, name)))
    return out


COMMANDS = all_commands()
IDS = [" ".join(path) for path, _ in COMMANDS]


def examples(help_text: str) -> list[str]:
    """The command lines listed under 'Examples:' in a help text (joining '\\' continuations)."""
    lines = help_text.split("Examples:", 1)[1].splitlines()
    out: list[str] = []
    pending = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if pending:
                break
            continue
        if not line.startswith(" "):
            break  # the next section (Options:)
        pending = f"{pending} {stripped}".strip()
        if pending.endswith("\\"):
            pending = pending[:-1].strip()
            continue
        out.append(pending)
        pending = ""
    return out


def test_the_group_has_commands() -> None:
    names = {path[0] for path, _ in COMMANDS}
    assert {"convert", "gap"} <= names


def test_group_help_lists_every_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Examples:" in result.stdout
    for name, command in cli.commands.items():
        assert name in result.stdout
        assert command.get_short_help_str(), name
    assert invoke("-h").stdout == result.stdout


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_has_help_with_an_example(
    path: tuple[str, ...], command: click.Command
) -> None:
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith(f"Usage: gwcalc {' '.join(path)}")
    assert command.help and command.help.strip(), "no docstring"
    assert "Examples:" in out
    found = examples(out)
    assert found, "no example lines under 'Examples:'"
    for line in found:
        assert line.startswith(f"gwcalc {path[0]}"), line


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_option_has_help(path: tuple[str, ...], command: click.Command) -> None:
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


def _runnable_examples() -> list[str]:
    """The examples of convert and gap, in their own help and in the group's."""
    out = []
    # through the command line: a hand-made click.Context would cache a --help option
    # without the group's '-h' on each command
    for path in [(), *(p for p, _ in COMMANDS)]:
        for line in examples(invoke(*path, "--help").stdout):
            if line.split()[1] in ("convert", "gap") and line not in out:
                out.append(line)
    return out


@pytest.mark.parametrize("line", _runnable_examples())
def test_convert_and_gap_examples_run(line: str) -> None:
    words = shlex.split(line)
    assert words[0] == "gwcalc"
    result = invoke(*words[1:])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_a_docs_page(name: str) -> None:
    titles = [
        page.read_text(encoding="utf-8").splitlines()[0] for page in (REPO / "docs").glob("*.md")
    ]
    assert any(title.startswith(f"# `gwcalc {name}") for title in titles), name


# ---------------------------------------------------------------- promises about imports


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    return set(done.stdout.split())


def test_help_does_not_load_pint_or_rich() -> None:
    # gwcalc/__init__.py: "Kept free of imports so that `gwcalc --help` does not pay for pint"
    loaded = _modules_after("from gwcalc.cli import cli")
    assert not {"pint", "rich"} & loaded


def test_the_core_never_imports_click_or_rich() -> None:
    loaded = _modules_after(
        "import gwcalc.units.registry, gwcalc.sets.assumption_set, gwcalc.engine.graph,"
        " gwcalc.report.documents, gwcalc.sets.specs"
    )
    assert "pint" in loaded
    assert not {"click", "rich"} & loaded


def test_python_dash_m_gwcalc() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gwcalc", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"gwcalc, version {__version__}"
