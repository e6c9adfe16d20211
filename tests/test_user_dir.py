"""The user's own folder of sets: where it is on each platform, and that a set written there is
found from any folder."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from gwcalc.sets.find import bundled_dir, search_dirs
from gwcalc.sets.paths import cache_root, config_root, user_sets_dir
from tests.helpers import assert_contract, invoke, shipped_file


def test_linux_uses_xdg_config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert user_sets_dir() == tmp_path / "cfg" / "gwcalc" / "assumptions"


@pytest.mark.parametrize("xdg", ["", "relative/cfg"])
def test_linux_falls_back_to_dot_config(
    xdg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", xdg)  # unset, or relative: the XDG spec ignores it
    assert config_root() == tmp_path / ".config"


def test_macos_uses_application_support(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert (
        user_sets_dir() == tmp_path / "Library" / "Application Support" / "gwcalc" / "assumptions"
    )


def test_windows_uses_appdata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert config_root() == tmp_path / "Roaming"


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {"XDG_CACHE_HOME": "/xdg/cache"}, "/xdg/cache"),
        ("linux", {"XDG_CACHE_HOME": ""}, "HOME/.cache"),
        ("linux", {"XDG_CACHE_HOME": "relative"}, "HOME/.cache"),  # the XDG spec ignores it
        ("darwin", {}, "HOME/Library/Caches"),
        ("win32", {"LOCALAPPDATA": "/local"}, "/local"),
        ("win32", {"LOCALAPPDATA": ""}, "HOME/AppData/Local"),
    ],
)
def test_the_cache_folder_is_the_platforms(
    platform: str,
    environ: dict[str, str],
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the program keeps its answers (gwcalc.answers): the platform's cache folder."""
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert cache_root() == Path(expected.replace("HOME", str(tmp_path)))


def test_the_user_folder_sits_between_the_local_folder_and_the_bundled_sets() -> None:
    dirs = search_dirs()
    assert dirs == [Path.cwd() / "assumptions", user_sets_dir(), bundled_dir()]


def test_tests_never_see_the_real_config_folder(isolated: Path) -> None:
    assert user_sets_dir().is_relative_to(isolated.parent / "home")


def test_a_set_written_in_one_folder_is_found_from_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder_a, folder_b = tmp_path / "a", tmp_path / "b"
    folder_a.mkdir()
    folder_b.mkdir()
    monkeypatch.chdir(folder_a)
    made = invoke("assumptions", "new", "my-view", "--from", "seed-2025", "--set", "pue=1.2")
    assert_contract(made)
    assert made.exit_code == 0
    assert (user_sets_dir() / "my-view.toml").is_file()
    assert not (folder_a / "assumptions").exists()

    monkeypatch.chdir(folder_b)
    gap = invoke("gap", "-a", "my-view", "--json")
    assert gap.exit_code == 0, gap.stderr
    doc = json.loads(gap.stdout)
    assert doc["assumptions"]["id"] == "my-view"
    assert doc["assumptions"]["path"] == str(user_sets_dir() / "my-view.toml")

    listed = invoke("assumptions", "list")
    assert listed.exit_code == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if "my-view" in line)
    assert row.split()[-2:] == ["your", "folder"]
    assert f"your folder: {user_sets_dir()}" in listed.stdout.splitlines()[-2]


def test_assumptions_dir_and_paths_still_say_where_new_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    by_dir = invoke(
        "assumptions", "new", "a", "--from", "seed-2025", "--assumptions-dir", str(mine)
    )
    assert by_dir.exit_code == 0, by_dir.stderr
    monkeypatch.setenv("GWCALC_ASSUMPTIONS_DIR", str(mine))
    by_env = invoke("assumptions", "new", "b", "--from", "seed-2025")
    assert by_env.exit_code == 0, by_env.stderr
    monkeypatch.delenv("GWCALC_ASSUMPTIONS_DIR")
    by_path = invoke("assumptions", "new", "./c.toml", "--from", "seed-2025")
    assert by_path.exit_code == 0, by_path.stderr
    assert sorted(p.name for p in mine.iterdir()) == ["a.toml", "b.toml"]
    assert (Path.cwd() / "c.toml").is_file()
    assert not user_sets_dir().exists()


def test_a_local_set_shadows_the_users_own(isolated: Path) -> None:
    user_sets_dir().mkdir(parents=True)
    shutil.copy(shipped_file("seed-2025"), user_sets_dir() / "view.toml")
    (isolated / "assumptions").mkdir()
    shutil.copy(shipped_file("independent-2026"), isolated / "assumptions" / "view.toml")
    doc = json.loads(invoke("gap", "-a", "view", "--json").stdout)
    assert doc["assumptions"]["path"] == str(isolated / "assumptions" / "view.toml")
