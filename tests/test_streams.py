"""Output that survives closed, full, gone and narrow streams and Ctrl-C; file text shown inert."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gwcalc.cli.output import safe_text
from gwcalc.errors import GwcalcError
from tests.helpers import TRACEBACK, invoke, json_output, shipped_file

GWCALC = [sys.executable, "-m", "gwcalc"]
ESC = "\x1b"
CHINESE_TITLE = "AI泡沫将破裂?OpenAI、英伟达与AMD股权换订单模式能成功吗?"


def run(args: list[str], redirect: str = "", **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The real program, as a shell runs it: `gwcalc ARGS REDIRECT` (e.g. '>&-', '2>&-')."""
    command = ["sh", "-c", f'exec "$@" {redirect}', "sh", *GWCALC, *args]
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(command, text=True, timeout=60, check=False, **kwargs)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["gap"], 1),
        # under --exit-code every error is 2, this one too (1 would mean "the sets differ")
        (["diff", "seed-2025", "--set", "pue=1.5", "--exit-code"], 2),
    ],
)
def test_closed_stdout_is_one_error_line(args: list[str], code: int) -> None:
    result = run(args, ">&-")
    assert result.returncode == code
    assert result.stderr == "Error: cannot write the output: stdout is closed\n"


def test_closed_stdout_keeps_the_error_being_reported() -> None:
    result = run(["convert", "6 XX"], ">&-")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: cannot read '6 XX'")
    assert TRACEBACK not in result.stderr


def test_closed_stderr_keeps_the_exit_code() -> None:
    failed = run(["convert", "6 XX"], "2>&-")
    assert (failed.returncode, failed.stdout) == (1, "")
    worked = run(["gap", "--json"], "2>&-")
    assert worked.returncode == 0
    assert json.loads(worked.stdout)["assumptions"]["id"] == "seed-2025"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["gap", "--json"], ["assumptions", "show", "seed-2025"]])
def test_full_stdout_fails_with_one_line(args: list[str]) -> None:
    result = run(args, ">/dev/full")
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the output: No space left on device\n"


def gone_reader() -> int:
    """The write end of a pipe whose reader has already gone (as in `gwcalc … | true`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


@pytest.mark.parametrize(
    ("args", "code", "stderr_start"),
    [
        (["convert", "--json", "6XX"], 1, "Error: cannot read '6XX'"),
        (["gap"], 0, None),  # `gwcalc gap | head`: a reader that stops early is no error
        (["diff", "seed-2025", "--set", "pue=1.5", "--exit-code"], 1, None),  # 1: they differ
    ],
)
def test_gone_reader_stops_quietly_with_the_commands_code(
    args: list[str], code: int, stderr_start: str | None
) -> None:
    write_end = gone_reader()
    try:
        result = run(args, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == code
    if stderr_start is None:
        assert result.stderr == ""
    else:
        assert result.stderr.startswith(stderr_start)
        assert TRACEBACK not in result.stderr


@pytest.mark.parametrize(
    ("encoding", "args"),
    [("ascii", ["assumptions", "show", "seed-2025"]), ("latin-1", ["gap"])],
)
def test_narrow_encoding_falls_back_instead_of_crashing(encoding: str, args: list[str]) -> None:
    result = run(args, env={**os.environ, "PYTHONIOENCODING": encoding}, encoding=encoding)
    assert (result.returncode, result.stderr) == (0, "")
    assert "seed-2025 v3" in result.stdout
    if args[0] == "assumptions":
        assert "?????" in result.stdout  # the Chinese title, replaced character by character


def test_narrow_encoding_keeps_json_exact() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    result = run(["assumptions", "show", "seed-2025", "--json"], env=env)
    assert (result.returncode, result.stderr) == (0, "")
    result.stdout.encode("ascii")  # \u escapes, nothing replaced
    doc = json.loads(result.stdout)
    assert doc["parameters"]["cowos_wafers_per_year"]["source"]["title"] == CHINESE_TITLE


def sigint_blocked(pid: int) -> bool | None:
    """Whether the process holds SIGINT back (from /proc); None once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigBlk:"))
    return bool(int(mask, 16) & (1 << (signal.SIGINT - 1)))


def interrupt(*, after_start_up: bool) -> subprocess.Popen[str]:
    """Start `gwcalc gap --json`, and send SIGINT while it loads its modules (SIGINT held back,
    as gwcalc.__main__ does) or, with after_start_up, once it let SIGINT through again."""
    process = subprocess.Popen(
        [*GWCALC, "gap", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    while (blocked := sigint_blocked(process.pid)) is False:
        pass  # Python itself is still starting: gwcalc's code has not run yet
    if after_start_up:
        while blocked:
            blocked = sigint_blocked(process.pid)
    if blocked is not None:
        process.send_signal(signal.SIGINT)
    return process


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize("after_start_up", [False, True])
def test_ctrl_c_exits_130_with_one_line(after_start_up: bool) -> None:
    for _attempt in range(5):
        process = interrupt(after_start_up=after_start_up)
        stdout, stderr = process.communicate(timeout=60)
        if process.returncode != 0:  # 0: the run ended before the signal came (a busy machine)
            break
    assert process.returncode == 130
    assert stderr == "Error: interrupted\n"
    assert stdout == "" or json.loads(stdout)["error"]["type"] == "interrupted"


def test_ctrl_c_in_a_command_is_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("gwcalc.api.compute_gap", interrupted)
    result = invoke("gap")
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "Error: interrupted\n")


@pytest.mark.parametrize("error", [RuntimeError, GwcalcError])
def test_diff_exit_code_is_2_on_every_error(
    error: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*args: object, **kwargs: object) -> None:
        raise error("a bug, or an unreadable set")

    monkeypatch.setattr("gwcalc.analysis.diff.diff_sets", fails)
    result = invoke("diff", "seed-2025", "--set", "pue=1.5", "--exit-code")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: ")
    assert invoke("diff", "seed-2025", "--set", "pue=1.5").exit_code == 1  # without: 1


HOSTILE_TITLE = "x [/] y [bold]B[/bold] :fire: \x1b[31mRED\x1b[0m \x9b2J \u202egnp"
HOSTILE_NOTE = "[red]n\x1b]0;pwn\x07"


@pytest.fixture
def hostile_set(tmp_path: Path) -> Path:
    """seed-2025 with markup, emoji codes and terminal control sequences in its text."""
    text = shipped_file("seed-2025").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    text = text.replace(title, f"title = {json.dumps(HOSTILE_TITLE)}", 1)
    text = text.replace('note = "\\"', f'note = {json.dumps(HOSTILE_NOTE)[:-1]}\\"', 1)
    text = text.replace('id = "seed-2025"', 'id = "hostile"', 1)
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_safe_text_spells_out_control_characters() -> None:
    assert safe_text(HOSTILE_TITLE) == (
        "x [/] y [bold]B[/bold] :fire: \\x1b[31mRED\\x1b[0m \\x9b2J \\u202egnp"
    )
    assert safe_text("line\n\ttab 主机") == "line\n\ttab 主机"


@pytest.mark.parametrize(
    "args",
    [
        ["assumptions", "show", "{set}"],
        ["gap", "-a", "{set}"],
        ["diff", "seed-2025", "{set}"],
    ],
)
def test_file_text_prints_literally(args: list[str], hostile_set: Path) -> None:
    result = invoke(*(a.format(set=hostile_set) for a in args))
    assert (result.exit_code, result.stderr) == (0, "")
    assert ESC not in result.stdout and "\x9b" not in result.stdout
    assert "hostile v3" in result.stdout
    if args[0] == "assumptions":
        assert safe_text(HOSTILE_TITLE) in result.stdout
        assert safe_text(HOSTILE_NOTE) in result.stdout


def test_file_text_in_json_is_escaped_and_exact(hostile_set: Path) -> None:
    result = invoke("assumptions", "show", str(hostile_set), "--json")
    assert "\x9b" not in result.stdout and "\u202e" not in result.stdout
    assert json_output(result)["title"] == HOSTILE_TITLE


def test_error_quoting_file_text_is_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(*args: object, **kwargs: object) -> None:
        raise GwcalcError(f"bad title {HOSTILE_NOTE}", hint="\x1b[2J")

    monkeypatch.setattr("gwcalc.api.compute_gap", fails)
    result = invoke("gap")
    assert result.exit_code == 1
    assert result.stderr == f"Error: bad title {safe_text(HOSTILE_NOTE)}\n  hint: \\x1b[2J\n"


@pytest.mark.parametrize(
    "args",
    [
        ["gap"],
        ["convert", "6 GW"],
        ["diff", "seed-2025", "independent-2026"],
        ["assumptions", "show"],
        ["assumptions", "list"],
    ],
)
def test_own_styling_never_shows_as_markup(args: list[str]) -> None:
    # The console prints strings literally (so that file text stays inert): style with Rich's
    # arguments, never with '[bold]…[/bold]' in a string.
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert "[/" not in result.stdout and "[bold" not in result.stdout


# Each text field of a set file, carrying an OSC title sequence, a BEL, a C1 CSI and a bidi
# override: every one must print spelt out, whichever command and Rich object shows it.
def _hostile(field: str) -> str:
    return f"{field} \x1b]0;pwned\x07 \x9b2J \u202egnp"


RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.fixture
def every_field_hostile(tmp_path: Path) -> Path:
    """seed-2025 with control characters in its title, description, caveats, notes and the
    sources' titles and publishers."""
    import re

    def inner(field: str) -> str:  # the field's text as TOML escapes (JSON's are TOML's too)
        return json.dumps(_hostile(field))[1:-1]

    text = shipped_file("seed-2025").read_text(encoding="utf-8")
    text = text.replace('id = "seed-2025"', 'id = "hostile"', 1)
    # every title (then the first, the set's own), every publisher: repl is escaped for re.sub
    for key, field, count in (("title", "src-title", 0), ("title", "set-title", 1)):
        line = f'{key} = "{inner(field)}"'.replace("\\", "\\\\")
        text = re.sub(f'^{key} = ".*"$', line, text, count=count, flags=re.M)
    line = f'publisher = "{inner("publisher")}"'.replace("\\", "\\\\")
    text = re.sub(r'^publisher = ".*"$', line, text, flags=re.M)
    text = text.replace('description = """', f'description = """{inner("description")} ', 1)
    text = text.replace('note = """', f'note = """{inner("note")} ')
    text = text.replace("caveats = [", f'caveats = ["{inner("caveat")}",', 1)
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        (["gap", "-a", "{set}"], ["caveat", "src-title", "publisher"]),
        (["convert", "6 GW", "-a", "{set}"], ["caveat", "src-title", "publisher"]),
        (
            ["assumptions", "show", "{set}"],
            ["caveat", "set-title", "description", "note", "src-title", "publisher"],
        ),
        (["assumptions", "check", "{set}"], ["caveat"]),
        (["diff", "seed-2025", "{set}"], ["caveat"]),  # no parameter differs: no sources
    ],
)
def test_control_characters_in_every_field_are_spelt_out(
    args: list[str], fields: list[str], every_field_hostile: Path
) -> None:
    result = invoke(*(a.format(set=every_field_hostile) for a in args))
    assert result.stderr == ""
    assert result.exit_code in (0, 1)  # diff: 1 when the sets differ
    for char in RAW_CONTROLS:
        assert char not in result.stdout, f"raw {char!r} in the output"
    for field in fields:
        assert safe_text(_hostile(field)) in result.stdout, field


@pytest.mark.parametrize(
    "args",
    [
        ["gap", "-a", "{set}", "--json"],
        ["convert", "6 GW", "-a", "{set}", "--json"],
        ["assumptions", "show", "{set}", "--json"],
        ["assumptions", "check", "{set}", "--json"],
        ["diff", "seed-2025", "{set}", "--json"],
    ],
)
def test_control_characters_keep_json_valid_and_exact(
    args: list[str], every_field_hostile: Path
) -> None:
    result = invoke(*(a.format(set=every_field_hostile) for a in args))
    assert result.stderr == ""
    for char in RAW_CONTROLS:
        assert char not in result.stdout
    doc = json.loads(result.stdout)
    found = doc.get("assumptions") or doc.get("after") or doc
    assert found["caveats"][0] == _hostile("caveat")


def test_every_rich_text_is_built_through_plain() -> None:
    # Rich prints a Text as it is; only strings pass the console's render_str (safe_text).
    import re

    import gwcalc.cli

    built = re.compile(r"\bText(\(|\.assemble|\.from_|\.styled)")
    for path in sorted(Path(gwcalc.cli.__file__).parent.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if built.search(line) and "return Text(safe_text(" not in line:
                raise AssertionError(f"{path.name}:{number} builds a Text without plain()")
