"""Kept answers (gwcalc.answers, issue 19 item 1): a repeat of a run that only read writes the
same bytes without computing, and anything the run read that changes makes it compute again.

Every test runs the installed program in a subprocess (the store lives in gwcalc.__main__.run,
not in click's CliRunner), from an empty folder with a temporary home and store."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gwcalc.answers.store import ENV_DIR, ENV_OFF, SUFFIX, prune
from gwcalc.sets.find import bundled_dir
from tests.update_readme import README, blocks, examples

SCRIPT = Path(sys.executable).with_name("gwcalc")
PROGRAM = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "gwcalc"]
MARK = "REPLAYED-FROM-THE-STORE\n"


@pytest.fixture
def env(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of every run: the store in a folder of its own, on."""
    monkeypatch.delenv(ENV_OFF, raising=False)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GWCALC_")}
    environ.update({ENV_DIR: str(isolated.parent / "answers"), "NO_COLOR": "1"})
    return environ


def gwcalc(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PROGRAM, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def kept(env: dict[str, str]) -> list[Path]:
    folder = Path(env[ENV_DIR])
    return sorted(folder.glob("*.answer.json")) if folder.exists() else []


def mark_entries(env: dict[str, str]) -> None:
    """Put MARK first in every kept answer: a run that prints it was replayed, not computed."""
    for path in kept(env):
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["chunks"].insert(0, [1, MARK])
        path.write_text(json.dumps(entry), encoding="utf-8")


def same(a: subprocess.CompletedProcess[str], b: subprocess.CompletedProcess[str]) -> None:
    assert (b.stdout, b.stderr, b.returncode) == (a.stdout, a.stderr, a.returncode)


def readme_commands() -> list[list[str]]:
    import shlex

    lines = README.read_text(encoding="utf-8").splitlines()
    found = [ex.command for block in blocks(lines) for ex in examples(block)]
    return [shlex.split(c.removeprefix("$ "))[1:] for c in found if c.startswith("$ gwcalc ")]


@pytest.mark.parametrize("args", readme_commands(), ids=" ".join)
def test_readme_examples_cold_and_warm_print_the_same_bytes(
    env: dict[str, str], args: list[str]
) -> None:
    """Each of the README's examples, cold (computed, kept unless it writes a file) then warm:
    the same stdout, stderr and exit code; a kept one is then shown to be replayed."""
    cold = gwcalc(env, *args)
    assert cold.returncode == 0, cold.stderr
    writes = "--plot" in args
    assert len(kept(env)) == (0 if writes else 1)
    warm = gwcalc(env, *args)
    same(cold, warm)
    if not writes:
        mark_entries(env)
        assert gwcalc(env, *args).stdout == MARK + cold.stdout


COMMANDS = [
    ["gap", "--json"],
    ["gap", "-a", "independent-2026", "--set", "gpus_per_gw=330k..478k", "--samples", "500"],
    ["timeline", "-a", "independent-2026", "--format", "csv"],
    ["flows", "--party", "NVIDIA"],
    ["economics", "--json"],
    ["sensitivity", "-a", "independent-2026", "--set", "gpus_per_gw=330k..478k"],
    ["explain", "gap"],
    ["diff", "seed-2025", "independent-2026", "--timeline"],
    ["convert", "-q", "6 GW", "7 GW", "--to", "gpu"],
    ["assumptions", "list"],
    ["assumptions", "show", "seed-2025"],
    ["--help"],
    ["--version"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_kind_of_command_is_replayed_byte_for_byte(
    env: dict[str, str], args: list[str]
) -> None:
    cold = gwcalc(env, *args)
    assert cold.returncode == 0, cold.stderr
    assert len(kept(env)) == 1
    same(cold, gwcalc(env, *args))
    off = gwcalc({**env, ENV_OFF: "1"}, *args)
    same(cold, off)


def test_shell_completion_is_kept_and_replayed(env: dict[str, str]) -> None:
    tab = {
        **env,
        "_GWCALC_COMPLETE": "bash_complete",
        "COMP_WORDS": "gwcalc gap -a ",
        "COMP_CWORD": "3",
    }
    cold = gwcalc(tab)
    assert "seed-2025" in cold.stdout
    assert len(kept(env)) == 1
    same(cold, gwcalc(tab))


def test_another_request_is_another_entry(env: dict[str, str]) -> None:
    """Arguments, the environment (a terminal's width) and the folder are all the request."""
    first = gwcalc(env, "convert", "6 GW", "--to", "gpu")
    second = gwcalc(env, "convert", "7 GW", "--to", "gpu")
    narrow = gwcalc({**env, "COLUMNS": "60"}, "convert", "6 GW", "--to", "gpu")
    assert "3,000,000" in first.stdout.replace(" ", "") or "3M" in first.stdout
    assert second.stdout != first.stdout and narrow.stdout != first.stdout
    assert len(kept(env)) == 3


def test_editing_a_set_computes_afresh_even_with_its_size_and_time_kept(
    env: dict[str, str], isolated: Path
) -> None:
    """A set is compared by its sha256: an edit that keeps the size and the time is still seen."""
    folder = isolated / "assumptions"
    folder.mkdir()
    path = folder / "mine.toml"
    shutil.copy2(bundled_dir() / "seed-2025@3.toml", path)
    before = gwcalc(env, "gap", "-a", "mine", "--json")
    assert before.returncode == 0, before.stderr
    text = path.read_text(encoding="utf-8")
    assert "value = 15\n" in text  # gpus_per_wafer
    info = path.stat()
    path.write_text(text.replace("value = 15\n", "value = 16\n", 1), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    after = gwcalc(env, "gap", "-a", "mine", "--json")
    assert after.returncode == 0, after.stderr
    assert after.stdout != before.stdout
    assert json.loads(after.stdout) == json.loads(
        gwcalc({**env, ENV_OFF: "1"}, "gap", "-a", "mine", "--json").stdout
    )


def test_a_new_version_of_a_set_in_a_searched_folder_computes_afresh(
    env: dict[str, str], isolated: Path
) -> None:
    """seed-2025 is the newest version found: one that appears in ./assumptions is the answer."""
    before = gwcalc(env, "gap", "--json")
    folder = isolated / "assumptions"
    folder.mkdir()
    text = (bundled_dir() / "seed-2025@3.toml").read_text(encoding="utf-8")
    newer = re.sub("(?m)^version = 3$", "version = 9", text).replace(
        "value = 15\n", "value = 16\n", 1
    )
    (folder / "seed-2025@9.toml").write_text(newer, encoding="utf-8")
    after = gwcalc(env, "gap", "--json")
    assert json.loads(after.stdout)["assumptions"]["version"] == 9
    assert after.stdout != before.stdout


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["convert", "-", "--to", "gpu"], "6 GW\n"),  # read stdin
        (["timeline", "--plot", "chart.svg"], ""),  # wrote a file
        (["gap", "-a", "no-such-set"], ""),  # failed
        (["assumptions", "new", "mine", "--from", "seed-2025"], ""),  # wrote a set
    ],
    ids=["stdin", "plot", "error", "new-set"],
)
def test_a_run_that_did_more_than_read_is_not_kept(
    env: dict[str, str], args: list[str], stdin: str
) -> None:
    first = gwcalc(env, *args, stdin=stdin)
    assert kept(env) == []
    if args[0] == "convert":
        second = gwcalc(env, *args, stdin="7 GW\n")
        assert "3.5M" in second.stdout or "3,500,000" in second.stdout, second.stdout
        assert first.stdout != second.stdout


def test_no_store_switch_writes_nothing(env: dict[str, str]) -> None:
    result = gwcalc({**env, ENV_OFF: "1"}, "gap")
    assert result.returncode == 0
    assert not Path(env[ENV_DIR]).exists()


def test_an_unwritable_store_is_no_store(env: dict[str, str], isolated: Path) -> None:
    """A store folder that is a file: every run computes, with no word about it."""
    blocker = isolated / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    broken = {**env, ENV_DIR: str(blocker / "answers")}
    first = gwcalc(broken, "gap")
    assert first.returncode == 0 and first.stderr == ""
    same(first, gwcalc(broken, "gap"))


@pytest.mark.parametrize("damage", ["{not json", "[]", '{"digest": 1}', ""])
def test_a_damaged_entry_is_a_miss_and_is_replaced(env: dict[str, str], damage: str) -> None:
    cold = gwcalc(env, "gap")
    (path,) = kept(env)
    path.write_text(damage, encoding="utf-8")
    again = gwcalc(env, "gap")
    same(cold, again)
    assert json.loads(path.read_text(encoding="utf-8"))["exit"] == 0


def test_an_entry_whose_key_differs_is_not_used(env: dict[str, str]) -> None:
    """The file name is the start of the key's sha256; the whole digest inside is compared too."""
    cold = gwcalc(env, "gap")
    (path,) = kept(env)
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["digest"] = entry["digest"][:-1] + ("0" if entry["digest"][-1] != "0" else "1")
    entry["chunks"] = [[1, MARK]]
    path.write_text(json.dumps(entry), encoding="utf-8")
    same(cold, gwcalc(env, "gap"))


def test_a_reader_gone_ends_a_replay_quietly(env: dict[str, str]) -> None:
    """gwcalc … | head, warm: the first lines, no error, the command's own exit code."""
    gwcalc(env, "assumptions", "show", "seed-2025")
    process = subprocess.Popen(
        [*PROGRAM, "assumptions", "show", "seed-2025"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == ""


def test_prune_keeps_the_newest_and_touches_nothing_else(tmp_path: Path) -> None:
    names = [f"{i:040x}{SUFFIX}" for i in range(10)]
    others = ["notes.json", f"{'g' * 40}{SUFFIX}", f"{0:040x}.json"]
    for i, name in enumerate(names + others):
        path = tmp_path / name
        path.write_text("{}", encoding="utf-8")
        os.utime(path, ns=(i * 10**9, i * 10**9) if name in names else (0, 0))
    prune(str(tmp_path), limit=8)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[4:] + others)


def test_the_store_loads_nothing_but_the_standard_library_and_the_platform_folders() -> None:
    """It runs before anything else of the program: a replay must not pay for click, pint or
    rich, or for the sets layer."""
    code = (
        "import sys, gwcalc.answers.store, gwcalc.answers.record;"
        "gwcalc.answers.store.answer_dir();"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('gwcalc', 'click', 'pint', 'rich', 'numpy'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert done.stdout.split() == [
        "gwcalc",
        "gwcalc.answers",
        "gwcalc.answers.record",
        "gwcalc.answers.states",
        "gwcalc.answers.store",
        "gwcalc.sets",
        "gwcalc.sets.paths",
    ]


def test_an_entry_keeps_no_environment_values(env: dict[str, str]) -> None:
    """The request's key covers the environment, but only its digest is written."""
    secret = "s3cr3t-token-value"
    gwcalc({**env, "SOME_TOKEN": secret}, "gap")
    (path,) = kept(env)
    text = path.read_text(encoding="utf-8")
    assert secret not in text
    assert path.stat().st_mode & 0o077 == 0  # the user's own


# What a hostile review of the first version found: each of these printed a stale answer, hung,
# or failed with a traceback.


def fresh(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return gwcalc({**env, ENV_OFF: "1"}, *args)


def seed_text(set_id: str = "seed-2025", version: int = 3) -> str:
    text = (bundled_dir() / "seed-2025@3.toml").read_text(encoding="utf-8")
    text = re.sub('(?m)^id = ".*"$', f'id = "{set_id}"', text)
    return re.sub("(?m)^version = 3$", f"version = {version}", text)


def test_a_broken_symlink_whose_target_appears_is_seen(env: dict[str, str], isolated: Path) -> None:
    folder = isolated / "assumptions"
    folder.mkdir()
    target = isolated.parent / "target.toml"
    (folder / "mine.toml").symlink_to(target)
    gwcalc(env, "assumptions", "list")
    gwcalc(env, "assumptions", "list")
    target.write_text(seed_text("mine"), encoding="utf-8")
    warm = gwcalc(env, "assumptions", "list")
    same(fresh(env, "assumptions", "list"), warm)
    assert "mine@3" in warm.stdout


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_folder_or_fifo_replaced_by_a_set_is_seen(
    env: dict[str, str], isolated: Path, kind: str
) -> None:
    folder = isolated / "assumptions"
    folder.mkdir()
    path = folder / "odd.toml"
    if kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    gwcalc(env, "assumptions", "list")
    gwcalc(env, "assumptions", "list")
    path.rmdir() if kind == "folder" else path.unlink()
    path.write_text(seed_text("odd"), encoding="utf-8")
    warm = gwcalc(env, "assumptions", "list")
    same(fresh(env, "assumptions", "list"), warm)
    assert "odd@3" in warm.stdout


def test_a_version_chosen_by_stat_is_seen(env: dict[str, str], isolated: Path) -> None:
    """pk@1.toml, and pk.toml a broken link: the link's target appearing as version 5 wins."""
    folder = isolated / "assumptions"
    folder.mkdir()
    (folder / "pk@1.toml").write_text(seed_text("pk", 1), encoding="utf-8")
    target = isolated.parent / "pk5.toml"
    (folder / "pk.toml").symlink_to(target)
    first = gwcalc(env, "gap", "-a", "pk", "--json")
    gwcalc(env, "gap", "-a", "pk", "--json")
    target.write_text(seed_text("pk", 5), encoding="utf-8")
    warm = gwcalc(env, "gap", "-a", "pk", "--json")
    same(fresh(env, "gap", "-a", "pk", "--json"), warm)
    assert json.loads(first.stdout)["assumptions"]["version"] == 1
    assert json.loads(warm.stdout)["assumptions"]["version"] == 5


def test_a_sets_folder_symlink_pointed_elsewhere_is_seen(
    env: dict[str, str], isolated: Path
) -> None:
    """./assumptions a link to the user's folder, then to an identical copy: search_dirs no
    longer drops it as the same folder."""
    user = Path(env["HOME"]) / ".config" / "gwcalc" / "assumptions"
    user.mkdir(parents=True)
    (user / "u.toml").write_text(seed_text("u"), encoding="utf-8")
    copy = isolated.parent / "copy"
    shutil.copytree(user, copy)
    link = isolated / "assumptions"
    link.symlink_to(user)
    gwcalc(env, "assumptions", "list")
    gwcalc(env, "assumptions", "list")
    link.unlink()
    link.symlink_to(copy)
    same(fresh(env, "assumptions", "list"), gwcalc(env, "assumptions", "list"))


def test_a_set_in_a_folder_named_like_bytecode_is_still_compared(
    env: dict[str, str], isolated: Path
) -> None:
    folder = isolated.parent / "my__pycache__sets"
    folder.mkdir()
    path = folder / "s.toml"
    path.write_text(seed_text("s"), encoding="utf-8")
    gwcalc(env, "gap", "-a", str(path), "-q")
    path.write_text(seed_text("s").replace("value = 15\n", "value = 16\n", 1), encoding="utf-8")
    same(fresh(env, "gap", "-a", str(path), "-q"), gwcalc(env, "gap", "-a", str(path), "-q"))


def test_a_file_edited_during_the_run_is_not_kept_with_the_old_answer(
    env: dict[str, str], isolated: Path
) -> None:
    """A file's state is taken when the run opens it and again at its end."""
    from gwcalc.answers.record import Recorder
    from gwcalc.answers.store import Request

    path = isolated / "x.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    recorder = Recorder(Request(str(isolated.parent / "answers"), ["gwcalc", "x"]))
    recorder.audit("open", (str(path), "r", os.O_RDONLY))
    assert recorder.entry() is not None
    path.write_text("a = 2\n", encoding="utf-8")
    assert recorder.entry() is None


@pytest.mark.parametrize(
    "change",
    [
        {"exit": 1e400},
        {"exit": 2**70},
        {"exit": 300},
        {"exit": 1},
        {"chunks": [[5, "x"]]},
        {"chunks": [[1, ["nested"]]]},
        {"dirs": [["/", "nope", None]]},
        {"files": []},
    ],
    ids=repr,
)
def test_a_forged_entry_is_a_miss_never_a_traceback(
    env: dict[str, str], change: dict[str, object]
) -> None:
    cold = gwcalc(env, "gap")
    (path,) = kept(env)
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry.update(change)
    path.write_text(json.dumps(entry), encoding="utf-8")
    same(cold, gwcalc(env, "gap"))


def test_an_entry_that_cannot_be_encoded_is_no_traceback(env: dict[str, str]) -> None:
    """A lone surrogate (the first run could not have kept it: JSON files are UTF-8)."""
    gwcalc(env, "gap")
    (path,) = kept(env)
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["chunks"] = [[1, "\udcff\n"]]
    path.write_text(json.dumps(entry), encoding="utf-8")
    done = subprocess.run([*PROGRAM, "gap"], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0
    assert b"Traceback" not in done.stderr


def test_a_deeply_nested_entry_is_a_miss(env: dict[str, str]) -> None:
    cold = gwcalc(env, "gap")
    (path,) = kept(env)
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    same(cold, gwcalc(env, "gap"))


def test_a_fifo_where_an_entry_would_be_does_not_block(env: dict[str, str]) -> None:
    cold = gwcalc(env, "gap")
    (path,) = kept(env)
    path.unlink()
    os.mkfifo(path)
    same(cold, gwcalc(env, "gap"))  # within gwcalc()'s timeout


def test_an_entry_others_may_write_is_not_trusted(env: dict[str, str]) -> None:
    cold = gwcalc(env, "gap")
    (path,) = kept(env)
    mark_entries(env)
    path.chmod(0o666)
    same(cold, gwcalc(env, "gap"))


def test_ctrl_c_during_a_replay_exits_130(env: dict[str, str]) -> None:
    """A long answer into a pipe nobody reads: Ctrl-C ends it with one line, as a command."""
    import signal
    import time

    args = ["assumptions", "show", "independent-2026"]
    assert len(gwcalc(env, *args).stdout) > 100_000  # more than a pipe holds (64 KiB)
    assert len(kept(env)) == 1
    process = subprocess.Popen(
        [*PROGRAM, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode().strip().endswith("Error: interrupted")


def test_prune_survives_a_dangling_link_named_as_an_entry(tmp_path: Path) -> None:
    names = [f"{i:040x}{SUFFIX}" for i in range(1, 11)]
    for i, name in enumerate(names):
        (tmp_path / name).write_text("{}", encoding="utf-8")
        os.utime(tmp_path / name, ns=(i * 10**9, i * 10**9))
    (tmp_path / f"{0:040x}{SUFFIX}").symlink_to(tmp_path / "gone")
    prune(str(tmp_path), limit=8)
    assert sorted(p.name for p in tmp_path.glob(f"*{SUFFIX}") if p.is_file()) == names[4:]


def test_a_relative_store_in_a_removed_folder_is_no_store(
    env: dict[str, str], isolated: Path
) -> None:
    gone = isolated / "gone"
    gone.mkdir()
    process = subprocess.run(
        [*PROGRAM, "--version"],
        env={**env, ENV_DIR: "relative"},
        cwd=gone,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.rmdir(gone),  # removed once the child is in it
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.startswith("gwcalc, version")


def test_the_interrupted_exit_code_is_the_commands() -> None:
    from gwcalc.answers.store import EXIT_INTERRUPTED
    from gwcalc.cli.base import EXIT_INTERRUPTED as COMMANDS

    assert EXIT_INTERRUPTED == COMMANDS


def test_every_subpackage_is_installed() -> None:
    """A package missing from pyproject's list works in an editable install and nowhere else."""
    import tomllib

    from tests.conftest import REPO

    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "gwcalc").rglob("__init__.py")
    }
    assert found <= listed


def test_a_folder_given_as_an_option_is_checked_by_its_entries(
    env: dict[str, str], isolated: Path
) -> None:
    """--assumptions-dir DIR: a set over 10 MB (passed over by size, never opened) replaced by a
    real one of the same name is seen (the folder was checked by names only)."""
    folder = isolated / "D"
    folder.mkdir()
    (folder / "mine@1.toml").write_text(seed_text("mine", 1), encoding="utf-8")
    (folder / "mine.toml").write_text("#" * 11_000_000, encoding="utf-8")
    args = ("gap", "-a", "mine", "--assumptions-dir", str(folder), "--json")
    first = gwcalc(env, *args)
    assert json.loads(first.stdout)["assumptions"]["version"] == 1
    (folder / "mine.toml").write_text(seed_text("mine", 5), encoding="utf-8")
    warm = gwcalc(env, *args)
    same(fresh(env, *args), warm)
    assert json.loads(warm.stdout)["assumptions"]["version"] == 5


def test_a_large_file_is_hashed_only_as_far_as_gwcalc_reads(tmp_path: Path) -> None:
    from gwcalc.answers.states import HASH_LIMIT, file_state
    from gwcalc.sets.read import MAX_SET_BYTES

    assert HASH_LIMIT > MAX_SET_BYTES + 1
    path = tmp_path / "big.toml"
    with path.open("wb") as file:
        file.truncate(HASH_LIMIT * 4)  # sparse: nothing written
    state = file_state(str(path), hashed=True)
    assert state is not None and state[1] == HASH_LIMIT * 4
    with path.open("r+b") as file:
        file.seek(HASH_LIMIT - 1)
        file.write(b"x")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, state[2]))
    assert file_state(str(path), hashed=True) != state  # a change in the head is seen


@pytest.mark.parametrize(
    "diagnostics",
    [{"PYTHONPROFILEIMPORTTIME": "1"}, {"PYTHONVERBOSE": "1"}],
    ids=["importtime", "verbose"],
)
def test_interpreter_diagnostics_turn_the_store_off(
    env: dict[str, str], diagnostics: dict[str, str]
) -> None:
    """They go to descriptor 2 from C: a replay could not give them."""
    gwcalc({**env, **diagnostics}, "--version")
    assert kept(env) == []


def test_completion_does_not_block_on_a_fifo(env: dict[str, str], isolated: Path) -> None:
    folder = isolated / "assumptions"
    folder.mkdir()
    os.mkfifo(folder / "p.toml")
    tab = {**env, "_GWCALC_COMPLETE": "bash_complete", "COMP_WORDS": "gwcalc gap -a "}
    done = gwcalc({**tab, "COMP_CWORD": "3", ENV_OFF: "1"})  # within gwcalc()'s timeout
    assert "seed-2025" in done.stdout


def test_a_removed_current_folder_is_a_clear_error(env: dict[str, str], isolated: Path) -> None:
    gone = isolated / "gone"
    gone.mkdir()
    done = subprocess.run(
        [*PROGRAM, "gap"],
        env=env,
        cwd=gone,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.rmdir(gone),  # removed once the child is in it
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("Error: the current folder no longer exists")
