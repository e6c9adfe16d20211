"""`gwcalc assumptions new` keeps its promises from a git checkout as from an install: the target
is resolved before the bundled names are checked, the bundled folder is never written, the mode
is 0644, the file written is read back from disk, and dates and versions are checked."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import gwcalc.sets.find
from gwcalc.errors import ParameterError, WriteError
from gwcalc.sets.field_checks import MAX_VERSION
from gwcalc.sets.figures import Source
from gwcalc.sets.find import bundled_dir, resolve_set
from gwcalc.sets.paths import user_sets_dir
from gwcalc.sets.read import load_set
from gwcalc.sets.write import derive_set, write_set
from tests.helpers import assert_user_error, invoke, json_output, shipped_file

SHIPPED = sorted(p.name for p in bundled_dir().glob("*.toml"))


def digests(folder: Path) -> dict[str, str]:
    """Every file in folder by name, with the sha256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def checkout(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A checkout-like layout: the current folder's assumptions/ IS the bundled folder (as with
    an editable install run from the repository). Yields it; checks it is unchanged after."""
    folder = isolated / "assumptions"
    folder.mkdir()
    for name in SHIPPED:
        shutil.copy2(bundled_dir() / name, folder / name)
    monkeypatch.setattr(gwcalc.sets.find, "bundled_dir", lambda: folder)
    before = digests(folder)
    yield folder
    assert digests(folder) == before  # not one byte changed, no file added


@pytest.mark.parametrize("force", [(), ("--force",)])
@pytest.mark.parametrize("target", ["./assumptions/seed-2025.toml", "assumptions/mine.toml"])
def test_new_never_writes_into_the_bundled_folder(
    checkout: Path, target: str, force: tuple[str, ...]
) -> None:
    result = invoke("assumptions", "new", target, "--from", "bases-2025", *force)
    stderr = assert_user_error(result, "shipped with gwcalc")
    assert "never writes there" in stderr or "would hide it" in stderr
    assert "hint: " in stderr


def test_a_name_goes_to_the_user_folder_never_the_checkouts(checkout: Path) -> None:
    """From a checkout a bare name is written to the user's own folder, so the checkout's
    assumptions/ (the bundled folder) stays as it was (the fixture checks every byte)."""
    refused = invoke("assumptions", "new", "seed-2025", "--from", "bases-2025")
    assert_user_error(refused, "ships with gwcalc", "would hide it")
    for name, force in (("mine", ()), ("seed-2025", ("--force",))):
        result = invoke("assumptions", "new", name, "--from", "bases-2025", *force)
        assert result.exit_code == 0, result.stderr
        assert (user_sets_dir() / f"{name}.toml").is_file()
        assert not (checkout / f"{name}.toml").exists() or name == "seed-2025"


def test_new_never_writes_into_the_bundled_folder_by_absolute_path_or_link(
    checkout: Path, isolated: Path
) -> None:
    for target in (checkout / "seed-2025.toml", checkout / "fresh.toml"):
        result = invoke("assumptions", "new", str(target), "--from", "bases-2025", "--force")
        assert_user_error(result, "never writes there", str(checkout))
    (isolated / "link").symlink_to(checkout, target_is_directory=True)
    for name in ("seed-2025.toml", "fresh.toml"):
        result = invoke("assumptions", "new", f"link/{name}", "--from", "bases-2025", "--force")
        assert_user_error(result, "never writes there")


def test_write_set_refuses_the_bundled_folder_too(checkout: Path) -> None:
    base = resolve_set("bases-2025")
    for force in (False, True):
        with pytest.raises(WriteError, match="never writes there"):
            write_set(base, checkout / "seed-2025.toml", force=force)


def test_the_path_form_checks_bundled_names(isolated: Path) -> None:
    target = isolated / "elsewhere" / "seed-2025.toml"
    result = invoke("assumptions", "new", "./elsewhere/seed-2025.toml", "--from", "bases-2025")
    stderr = assert_user_error(result, "a set named 'seed-2025' ships with gwcalc")
    assert "hint: pick another name (or pass --force" in stderr
    assert not target.exists()
    assert not target.parent.exists()

    forced = invoke(
        "assumptions", "new", "./elsewhere/seed-2025.toml", "--from", "bases-2025", "--force"
    )
    assert forced.exit_code == 0, forced.stderr
    assert forced.stderr == ""
    assert forced.stdout.startswith("Wrote elsewhere/seed-2025.toml (seed-2025 v3")
    assert load_set(target).extends is not None


def test_the_name_form_checks_bundled_names(isolated: Path) -> None:
    result = invoke("assumptions", "new", "seed-2025", "--from", "bases-2025")
    assert_user_error(result, "a set named 'seed-2025' ships with gwcalc")
    assert not (isolated / "assumptions").exists()


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077, 0o777])
def test_the_mode_is_0644_whatever_the_umask(isolated: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        result = invoke("assumptions", "new", "mine", "--from", "seed-2025")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    assert (user_sets_dir() / "mine.toml").stat().st_mode & 0o777 == 0o644


def test_force_sets_0644_on_an_existing_file(isolated: Path) -> None:
    target = isolated / "mine.toml"
    target.write_text("old")
    target.chmod(0o600)
    result = invoke("assumptions", "new", "mine.toml", "--from", "seed-2025", "--force")
    assert result.exit_code == 0, result.stderr
    assert target.stat().st_mode & 0o777 == 0o644
    assert load_set(target).id == "mine"


def test_the_written_file_is_read_back_from_disk(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that stores something else than was written is caught: success is reported only
    for what reads back from the file itself."""
    other = resolve_set("independent-2026").to_toml()

    def bad_link(src: str | Path, dst: str | Path) -> None:
        Path(dst).write_text(other, encoding="utf-8")  # valid TOML, but not the set written

    monkeypatch.setattr(os, "link", bad_link)
    result = invoke("assumptions", "new", "mine", "--from", "seed-2025")
    stderr = assert_user_error(result, "assumptions/mine.toml does not read back as written")
    assert "hint: check the disk" in stderr


def test_a_file_damaged_before_the_move_is_never_moved_into_place(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def damaging_fsync(fd: int) -> None:
        os.write(fd, b"\n[[broken")  # the temporary file gains junk after the text
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", damaging_fsync)
    result = invoke("assumptions", "new", "mine", "--from", "seed-2025")
    assert_user_error(result, "does not read back")
    assert not (user_sets_dir() / "mine.toml").exists()
    assert list(user_sets_dir().iterdir()) == []  # no temporary file left


@pytest.mark.parametrize("date", ["2026-W01-1", "2026-13-01", "2026-02-30", "20260107", "soon"])
def test_a_bad_date_is_refused_before_anything_is_written(isolated: Path, date: str) -> None:
    result = invoke("assumptions", "new", "mine", "--from", "seed-2025", "--date", date)
    stderr = assert_user_error(result, "--date", f"{date!r} is not a date", code=2)
    assert "YYYY-MM-DD" in stderr
    assert not user_sets_dir().exists()


@pytest.mark.parametrize("date", ["2026-02-28", "2026-02", "2026"])
def test_dates_written_as_load_reads_them(isolated: Path, date: str) -> None:
    result = invoke("assumptions", "new", "mine", "--from", "seed-2025", "--date", date, "--json")
    doc = json_output(result)
    written = load_set(Path(doc["written"]))
    assert written.date == date
    assert (
        written.parameters["dies_per_gpu"].source
        == resolve_set("seed-2025").parameters["dies_per_gpu"].source
    )  # an unchanged figure keeps its own source


def test_a_version_out_of_range_is_refused(isolated: Path) -> None:
    text = (shipped_file("seed-2025")).read_text(encoding="utf-8")
    top = re.sub(r"^version = \d+$", f"version = {MAX_VERSION}", text, count=1, flags=re.M)
    (isolated / "top.toml").write_text(top.replace('id = "seed-2025"', 'id = "top"'), "utf-8")
    assert load_set(isolated / "top.toml").version == MAX_VERSION
    result = invoke("assumptions", "new", "next", "--from", "top.toml")
    stderr = assert_user_error(result, f"the version is {MAX_VERSION + 1}, not a whole number")
    assert "hint: " in stderr
    assert not (isolated / "assumptions").exists()


def test_derive_set_checks_what_it_is_given() -> None:
    base = resolve_set("seed-2025")
    good = Source("notes", None, "2026-01-01")
    bad_calls = [
        ("bad id!", "2026-01-01", good, "is not a set name"),
        ("ok", "2026-W01-1", good, "is not a date"),
        ("ok", "2026-01-01", Source(" "), "source of the new figures"),
        ("ok", "2026-01-01", Source("t", "ftp://x"), "is not a web address"),
        ("ok", "2026-01-01", Source("t", None, "yesterday"), "is not a date"),
    ]
    for new_id, date, source, says in bad_calls:
        with pytest.raises(ParameterError, match=says):
            derive_set(base, new_id, [], date=date, source=source)
    with pytest.raises(ParameterError, match="version"):
        derive_set(replace(base, version=MAX_VERSION), "ok", [], date="2026", source=good)


def test_a_missing_assumptions_dir_is_created_for_new(isolated: Path) -> None:
    result = invoke(
        "assumptions", "new", "mine", "--from", "seed-2025", "--assumptions-dir", "fresh"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Wrote fresh/mine.toml (mine v4, extends seed-2025 v3)")
    assert load_set(isolated / "fresh" / "mine.toml").id == "mine"


def test_a_failed_new_removes_the_folder_it_created(isolated: Path) -> None:
    result = invoke(
        "assumptions", "new", "mine", "--from", "no-such-set", "--assumptions-dir", "fresh"
    )
    assert_user_error(result, "no assumption set named 'no-such-set'")
    assert not (isolated / "fresh").exists()


def test_a_missing_folder_of_a_path_target_still_errors_for_lookup(isolated: Path) -> None:
    env = {"GWCALC_ASSUMPTIONS_DIR": str(isolated / "typo")}
    result = invoke("assumptions", "new", "./out.toml", "--from", "seed-2025", env=env)
    assert_user_error(result, "typo does not exist")
    assert not (isolated / "out.toml").exists()
    assert not (isolated / "typo").exists()


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("x" * 300, "is not a set name"),
        ("d" * 300 + "/x.toml", "File name too long"),
        ("~nouser-gwcalc/x.toml", "~nouser-gwcalc/x.toml"),
        ("a b", "is not a set name"),
    ],
)
def test_bad_targets_are_clean_errors(isolated: Path, target: str, says: str) -> None:
    result = invoke("assumptions", "new", target, "--from", "seed-2025", "--json")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and says in result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["type"] in ("write", "parameter")
    assert not (isolated / "assumptions").exists()
