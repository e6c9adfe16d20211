"""gwcalc assumptions list/show/new/check, and writing sets safely."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gwcalc.analysis.check import check_set
from gwcalc.cli import cli
from gwcalc.errors import AssumptionFileError, WriteError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Source
from gwcalc.sets.find import resolve_set
from gwcalc.sets.paths import user_sets_dir
from gwcalc.sets.read import load_set
from gwcalc.sets.write import derive_set, write_set
from gwcalc.units.registry import parse_quantity


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder and no gwcalc environment variables."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GWCALC_ASSUMPTIONS_DIR", raising=False)
    monkeypatch.delenv("GWCALC_DEFAULT_SET", raising=False)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_new_then_show_round_trips_every_field(workdir: Path) -> None:
    result = run(
        "assumptions", "new", "my-view", "--from", "independent-2026@4",
        "--set", "pue=1.2", "--set", "contracted_spend=1.4T USD_all_in",
        "--source", "my notes", "--date", "2026-11-01", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    written = Path(json.loads(result.stdout)["written"])
    assert written == user_sets_dir() / "my-view.toml"  # found from any folder (issue 11)

    base = resolve_set("independent-2026@4")  # its contracted_spend is 1T
    new = load_set(workdir / written)
    assert new.id == "my-view"
    assert new.version == base.version + 1
    assert new.date == "2026-11-01"
    assert new.extends == f"independent-2026 v{base.version} sha256:{base.sha256}"
    assert new.changes == (
        "pue: 1.4 W_facility/W_IT -> 1.2 W_facility/W_IT",
        "contracted_spend: 1T USD_all_in -> 1.4T USD_all_in",
    )
    for name, param in base.parameters.items():
        if name in ("pue", "contracted_spend"):
            assert new.parameters[name].source == Source("my notes", None, "2026-11-01")
        else:
            assert new.parameters[name] == param  # value, unit, source and note kept

    shown = run("assumptions", "show", str(written), "--json")
    assert shown.exit_code == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert doc["assumptions"]["id"] == "my-view"
    assert doc["assumptions"]["sha256"] == new.sha256
    assert doc["extends"] == new.extends
    for name, param in new.parameters.items():
        entry = doc["parameters"][name]
        assert entry["value"] == pytest.approx(param.value)
        assert entry["source"] == param.source.to_dict()
        assert entry["note"] == param.note
    assert doc["parameters"]["pue"]["value"] == 1.2


def test_new_refuses_to_overwrite_and_never_touches_base(workdir: Path) -> None:
    base_path = resolve_set("seed-2025").path
    assert base_path is not None
    base_bytes = base_path.read_bytes()
    first = run("assumptions", "new", "mine", "--from", "seed-2025", "--set", "dies_per_gpu=2")
    assert first.exit_code == 0, first.stderr
    target = user_sets_dir() / "mine.toml"
    before = target.read_bytes()

    again = run("assumptions", "new", "mine", "--from", "seed-2025", "--set", "dies_per_gpu=3")
    assert again.exit_code == 1
    assert "exists already" in again.stderr and "--force" in again.stderr
    assert again.stdout == ""
    assert target.read_bytes() == before

    forced = run(
        "assumptions", "new", "mine", "--from", "seed-2025", "--set", "dies_per_gpu=3", "--force"
    )
    assert forced.exit_code == 0, forced.stderr
    assert load_set(target).parameters["dies_per_gpu"].value == 3
    assert base_path.read_bytes() == base_bytes
    assert sorted(p.name for p in target.parent.iterdir()) == ["mine.toml"]  # no temp files


def test_new_to_an_explicit_path_and_use_it_with_assumptions(workdir: Path) -> None:
    out = workdir / "elsewhere" / "pkg-basis.toml"
    made = run(
        "assumptions", "new", str(out), "--from", "seed-2025",
        "--set", "gpus_per_wafer=7.5 gpu/wafer",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    gap = run("gap", "--assumptions", str(out), "--json")
    assert gap.exit_code == 0, gap.stderr
    doc = json.loads(gap.stdout)
    assert doc["assumptions"]["id"] == "pkg-basis"
    assert doc["supply_per_year"]["value"] == pytest.approx(6.75)


def test_a_set_gwcalc_cannot_read_back_is_never_written(workdir: Path) -> None:
    base = resolve_set("seed-2025")
    good = workdir / "good.toml"
    write_set(base, good)
    before = good.read_bytes()
    broken = AssumptionSet(
        id="broken", version=1, date="2026-01-01", title="t", parameters={}
    )  # no parameters: parse_set rejects it
    with pytest.raises(AssumptionFileError, match=r"no \[parameters\.NAME\] tables"):
        write_set(broken, good, force=True)
    assert good.read_bytes() == before
    assert sorted(p.name for p in workdir.iterdir()) == ["good.toml"]


def test_a_failed_write_leaves_the_old_file_whole(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = resolve_set("seed-2025")
    target = workdir / "set.toml"
    write_set(base, target)
    before = target.read_bytes()
    derived = derive_set(
        base,
        "set",
        [("vendor_share", parse_quantity("0.6"))],
        date="2026-01-01",
        source=Source("x"),
    )

    def crash(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(WriteError, match="No space left"):
        write_set(derived, target, force=True)
    assert target.read_bytes() == before
    assert sorted(p.name for p in workdir.iterdir()) == ["set.toml"]


def test_list_shows_user_sets_first_and_marks_the_default(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_dir = workdir / "mine"
    write_set(resolve_set("seed-2025"), user_dir / "seed-2025.toml")  # shadows the bundled one
    monkeypatch.setenv("GWCALC_ASSUMPTIONS_DIR", str(user_dir))
    result = run("assumptions", "list", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["default"] == "seed-2025"
    by_name = {s["name"]: s for s in doc["sets"]}
    # the user's file holds version 3, so it hides the bundled seed-2025@3 (not @1 or @2)
    assert by_name["seed-2025@3"]["path"] == str(user_dir / "seed-2025.toml")
    assert by_name["seed-2025@3"]["default"] is True
    assert by_name["seed-2025@2"]["default"] is False
    assert by_name["seed-2025@1"]["default"] is False
    assert by_name["independent-2026@3"]["parameter_count"] >= 7
    assert "parameters" not in by_name["independent-2026@3"]  # show's parameters are objects
    assert doc["search_path"][0] == str(user_dir)


def test_list_reports_a_broken_file_without_failing(workdir: Path) -> None:
    (workdir / "assumptions").mkdir()
    (workdir / "assumptions" / "bad.toml").write_text("this = [is not toml\n")
    result = run("assumptions", "list")
    assert result.exit_code == 0, result.stderr
    assert "bad" in result.stdout and "unreadable" in result.stdout


def test_default_set_follows_the_environment(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GWCALC_DEFAULT_SET", "independent-2026")
    doc = json.loads(run("gap", "--json").stdout)
    assert doc["assumptions"]["id"] == "independent-2026"


def test_check_shipped_sets_are_clean(workdir: Path) -> None:
    for name in ("seed-2025", "independent-2026"):
        result = run("assumptions", "check", name, "--json")
        assert result.exit_code == 0, result.stdout
        assert json.loads(result.stdout)["clean"] is True


def test_check_reports_disagreeing_paths_with_their_parameters(workdir: Path) -> None:
    result = run("assumptions", "check", "independent-2026", "--set", "gpu_price=43k USD/gpu")
    assert result.exit_code == 1
    assert "gpu_price" in result.stdout and "hardware_cost_per_gw" in result.stdout
    assert "NOT clean" in result.stdout

    aset = resolve_set("independent-2026@1").with_overrides(
        [("gpu_price", parse_quantity("43k USD/gpu"))]
    )
    report = check_set(aset)
    (pair,) = report.path_pairs
    expected = 43e3 * 451e3 / 22.6e9 - 1  # gpu_price × gpus_per_gw vs hardware_cost_per_gw
    assert abs(pair.difference) == pytest.approx(abs(expected), rel=1e-6)
    sides = {
        frozenset(s.parameter for s in pair.direct),
        frozenset(s.parameter for s in pair.other),
    }
    assert frozenset({"gpus_per_gw"}) in sides
    assert frozenset({"gpu_price", "hardware_cost_per_gw"}) in sides


def test_check_accepts_paths_that_agree_within_tolerance(workdir: Path) -> None:
    aset = resolve_set("independent-2026@1").with_overrides(
        [("it_power_per_gpu", parse_quantity("2216 W/gpu"))]
    )
    report = check_set(aset)
    assert report.clean
    assert [f.level for f in report.findings if f.parameters] == ["ok"]
    strict = check_set(aset, tolerance=1e-6)
    assert not strict.clean


def test_show_names_every_source(workdir: Path) -> None:
    result = run("assumptions", "show", "seed-2025")
    assert result.exit_code == 0, result.stderr
    assert "vpshk.cn" in result.stdout
    assert "月产能" in result.stdout  # the article's wording on the CoWoS figure is kept
