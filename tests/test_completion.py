"""Shell completion: set names, units and parameter names, driven through click's own API."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.cli import cli
from gwcalc.cli.complete import KIND_UNITS, PER_TIME
from gwcalc.sets.find import bundled_dir, search_dirs
from gwcalc.sets.paths import search_folders, user_sets_dir
from gwcalc.sets.specs import SPECS
from gwcalc.sets.time_axis import CHIP_FIGURES
from gwcalc.units.registry import parse_unit
from tests.helpers import RUNNER, shipped_file
from tests.tiny_sets import tiny_text

SHIPPED = sorted(
    {p.stem for p in bundled_dir().glob("*.toml")}
    | {p.stem.split("@")[0] for p in bundled_dir().glob("*.toml")}
)


def offered(*words: str) -> list[str]:
    """What a TAB offers after `gwcalc WORDS…` (the last word is the one being typed)."""
    complete = ShellComplete(cli, {}, "gwcalc", "_GWCALC_COMPLETE")
    return [item.value for item in complete.get_completions(list(words[:-1]), words[-1])]


def bash_tab(line: str) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of bash asking gwcalc to complete LINE, as the shell does."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    env = {"_GWCALC_COMPLETE": "bash_complete", "COMP_WORDS": line, "COMP_CWORD": str(cword)}
    result = RUNNER.invoke(cli, [], env=env, prog_name="gwcalc")
    return result.stdout, result.stderr, result.exit_code


def test_bash_offers_set_names_through_the_environment_protocol() -> None:
    stdout, stderr, code = bash_tab("gwcalc gap -a ")
    assert code == 0
    assert stderr == ""
    assert stdout.splitlines() == [f"plain,{name}" for name in SHIPPED]


@pytest.mark.parametrize(
    "words",
    [
        ("gap", "-a", ""),
        ("gap", "--assumptions", ""),
        ("convert", "6 GW", "-a", ""),
        ("diff", ""),
        ("diff", "seed-2025", ""),
        ("assumptions", "show", ""),
        ("assumptions", "check", ""),
        ("assumptions", "show", "-a", ""),
        ("assumptions", "new", "mine", "--from", ""),
    ],
)
def test_every_set_argument_offers_the_set_names(words: tuple[str, ...]) -> None:
    assert offered(*words) == SHIPPED


def test_set_names_are_filtered_by_what_is_typed() -> None:
    assert offered("gap", "-a", "ind") == [
        "independent-2026",
        "independent-2026@1",
        "independent-2026@2",
        "independent-2026@3",
        "independent-2026@4",
        "independent-2026@5",
    ]
    assert offered("gap", "-a", "nothing-like-it") == []


def test_sets_of_every_folder_are_offered_and_a_broken_file_is_skipped(
    isolated: Path, tmp_path: Path
) -> None:
    seed = shipped_file("seed-2025")
    local = isolated / "assumptions"
    local.mkdir()
    shutil.copy(seed, local / "local-view.toml")
    (local / "broken.toml").write_text("this = [is not toml\n")
    (local / "not-a-set.toml").write_text('title = "no parameters"\n')
    user_sets_dir().mkdir(parents=True)
    shutil.copy(seed, user_sets_dir() / "my-view.toml")
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(seed, mine / "dir-view.toml")

    assert offered("gap", "-a", "") == sorted(["local-view", "my-view", *SHIPPED])
    assert offered("gap", "--assumptions-dir", str(mine), "-a", "") == sorted(
        ["dir-view", "local-view", "my-view", *SHIPPED]
    )
    stdout, stderr, code = bash_tab("gwcalc gap -a ")
    assert (code, stderr) == (0, "")
    assert "plain,broken" not in stdout.splitlines()


def test_a_path_is_left_to_the_shell_to_complete_as_a_file() -> None:
    complete = ShellComplete(cli, {}, "gwcalc", "_GWCALC_COMPLETE")
    items = complete.get_completions(["gap", "-a"], "./my")
    assert [(i.value, i.type) for i in items] == [("./my", "file")]


@pytest.mark.parametrize(
    "words",
    [("convert", "6 GW", "--to"), ("gap", "--unit"), ("diff", "seed-2025", "--unit")],
)
def test_unit_options_offer_a_unit_per_kind(words: tuple[str, ...]) -> None:
    assert offered(*words, "") == list(KIND_UNITS)
    assert offered(*words, "GW") == ["GW", "GW_facility"]
    assert offered(*words, "USD_") == ["USD_all_in", "USD_contract", "USD_equity", "USD_revenue"]


def test_after_a_slash_units_offer_the_times_a_rate_is_per() -> None:
    assert offered("convert", "1 GW", "--to", "GW/") == [f"GW/{t}" for t in PER_TIME]
    assert offered("diff", "seed-2025", "--to", "wafer/mo") == ["wafer/month"]


def test_every_offered_unit_is_one_gwcalc_parses() -> None:
    for unit in KIND_UNITS:
        parse_unit(unit)
        for per in PER_TIME:
            parse_unit(f"{unit}/{per}")


def test_set_offers_parameter_names_ready_for_a_value() -> None:
    names = offered("gap", "--set", "")
    assert names[: len(SPECS)] == [f"{n}=" for n in SPECS]
    # then the default set's own: its chips' figures (seed-2025 gives no figure by year)
    assert names[len(SPECS) :] == [
        f"{chip}.{field}=" for chip in ("GB200", "GB300") for field in CHIP_FIGURES
    ]


def test_set_offers_chip_figures_and_single_years() -> None:
    names = offered("timeline", "-a", "independent-2026", "--set", "")
    assert "GB300.it_power_per_package=" in names and "TPU_v7.packages_per_wafer=" in names
    assert offered("timeline", "-a", "independent-2026", "--set", "cowos_wafers_per_year.") == [
        f"cowos_wafers_per_year.{year}=" for year in range(2025, 2031)
    ]
    assert offered("convert", "6 GW", "--set", "gpus_per_") == ["gpus_per_wafer=", "gpus_per_gw="]
    assert offered("gap", "--set", "pue=1") == []  # the value is the user's to type


def test_set_also_offers_the_chosen_sets_own_parameters(isolated: Path) -> None:
    user_sets_dir().mkdir(parents=True)
    racks = {"racks_per_gw": {"value": 1, "unit": "gpu/GW"}}
    text = tiny_text(fmt=1, id="extra", parameters=racks)
    (user_sets_dir() / "extra.toml").write_text(text, encoding="utf-8")
    assert offered("gap", "-a", "extra", "--set", "racks") == ["racks_per_gw="]
    assert offered("gap", "--set", "racks") == []  # not in the default set
    assert offered("assumptions", "new", "x", "--from", "extra", "--set", "racks") == [
        "racks_per_gw="
    ]


def test_the_completion_folders_are_the_search_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def resolved(dirs: list[Path]) -> list[Path]:
        return list(dict.fromkeys(d.resolve() for d in dirs))

    assert resolved(search_folders(None)) == resolved(search_dirs())
    assert resolved(search_folders(tmp_path)) == resolved(search_dirs(tmp_path))
    monkeypatch.setenv("GWCALC_ASSUMPTIONS_DIR", str(tmp_path))
    assert resolved(search_folders(None)) == resolved(search_dirs())


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_readme_lines_print_a_completion_script(shell: str) -> None:
    result = RUNNER.invoke(cli, [], env={"_GWCALC_COMPLETE": f"{shell}_source"}, prog_name="gwcalc")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert f"_GWCALC_COMPLETE={shell}_complete" in result.stdout


@given(st.lists(st.text(max_size=12), max_size=5), st.text(max_size=12))
def test_completion_never_fails_whatever_is_typed(args: list[str], incomplete: str) -> None:
    complete = ShellComplete(cli, {}, "gwcalc", "_GWCALC_COMPLETE")
    for item in complete.get_completions(["gap", *args], incomplete):
        assert isinstance(item.value, str)


def test_a_tab_loads_neither_pint_nor_rich() -> None:
    """Completion answers in about the time click takes to load: no unit registry, no tables."""
    code = (
        "import sys\n"
        "from click.shell_completion import ShellComplete\n"
        "from gwcalc.cli import cli\n"
        "c = ShellComplete(cli, {}, 'gwcalc', '_GWCALC_COMPLETE')\n"
        "for option in ('-a', '--set', '--unit'):\n"
        "    assert c.get_completions(['gap', option], '')\n"
        "print(sorted(m for m in ('pint', 'rich') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "[]\n"


def test_a_tab_reads_only_the_head_of_each_set(tmp_path: Path) -> None:
    """The title comes from the keys before the first table; a file without a [parameters]
    table is no set; what follows the head is not parsed (a set is thousands of lines)."""
    from gwcalc.cli.complete import set_head

    good = tmp_path / "good.toml"
    good.write_text('title = "A set"\nformat = 2\n\n[parameters.x]\nvalue = 1\n', "utf-8")
    assert set_head(good) == {"title": "A set", "format": 2}
    plain = tmp_path / "plain.toml"
    plain.write_text('title = "Not a set"\n[other]\nx = 1\n', "utf-8")
    assert set_head(plain) is None
    broken_head = tmp_path / "broken.toml"
    broken_head.write_text("title = [is not toml\n[parameters.x]\n", "utf-8")
    assert set_head(broken_head) is None


def test_convert_to_offers_the_chips_of_the_set_named_in_any_case() -> None:
    """A chip is a unit of convert's --to ('--to Rubin': its packages), so a TAB offers the
    chips of the set given with -a, matched in any case as convert reads them."""
    from gwcalc import api

    timeline = api.load_set("market-2026", timeline=True).timeline
    assert timeline is not None
    chips = list(timeline.chips)  # in the file's order
    assert offered("convert", "-a", "market-2026", "6 GW", "--to", "") == [*KIND_UNITS, *chips]
    assert offered("convert", "-a", "market-2026", "6 GW", "--to", "r") == ["Rubin"]
    assert offered("convert", "-a", "market-2026", "6 GW", "--to", "g") == ["gpu", "GB200", "GB300"]
    assert offered("convert", "-a", "market-2026", "6 GW", "--to", "Rubin/") == [
        f"Rubin/{t}" for t in PER_TIME
    ]
    assert offered("convert", "6 GW", "--to", "G") == ["GW", "GW_facility"]  # seed-2025: none
    assert offered("gap", "-a", "market-2026", "--unit", "R") == []  # not a unit of power


def test_every_offered_chip_converts() -> None:
    from tests.helpers import invoke

    for chip in offered("convert", "-a", "market-2026", "6 GW", "--to", "")[len(KIND_UNITS) :]:
        result = invoke("convert", "-a", "market-2026", "6 GW", "--to", chip, "-q")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip().endswith(f" {chip}"), result.stdout
