"""Which assumption file a command reads (--assumptions, --assumptions-dir, the environment,
./assumptions, the bundled sets), and that no command changes the file it reads."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from gwcalc.sets.find import bundled_dir
from tests.helpers import invoke, json_output


def fingerprint(path: Path) -> tuple[str, int]:
    """The file's content hash and modification time (in ns)."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def retuned(src: Path, dest: Path, gpus_per_gw: int) -> Path:
    """A copy of a set with gpus_per_gw changed, to tell which copy a command read."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    text = src.read_text(encoding="utf-8")
    assert "value = 500000\n" in text
    dest.write_text(text.replace("value = 500000\n", f"value = {gpus_per_gw}\n", 1), "utf-8")
    return dest


def gap_doc(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = json_output(invoke("gap", *args, "--json", env=env))
    return doc


def supply(doc: dict[str, Any]) -> float:
    value: float = doc["supply_per_year"]["value"]
    return value


# 450k wafers × 15 gpu per wafer ÷ gpus_per_gw
def expected_supply(gpus_per_gw: int) -> float:
    return 450_000 * 15 / gpus_per_gw


def test_assumptions_option_takes_a_path(seed_copy: Path) -> None:
    path = retuned(seed_copy, seed_copy.parent / "mine.toml", 250_000)
    doc = gap_doc("--assumptions", str(path))
    assert doc["assumptions"]["path"] == str(path)
    assert supply(doc) == pytest.approx(expected_supply(250_000))


def test_a_relative_path(isolated: Path, seed_copy: Path) -> None:
    retuned(seed_copy, isolated / "sub" / "here.toml", 300_000)
    assert supply(gap_doc("-a", "sub/here.toml")) == pytest.approx(expected_supply(300_000))
    assert supply(gap_doc("-a", "./sub/here.toml")) == pytest.approx(expected_supply(300_000))


def test_bundled_sets_are_found_from_any_folder() -> None:
    doc = gap_doc("-a", "independent-2026")
    assert doc["assumptions"]["path"] == str(bundled_dir() / "independent-2026@5.toml")


def test_lookup_order(isolated: Path, seed_copy: Path, tmp_path: Path) -> None:
    """--assumptions-dir, then $GWCALC_ASSUMPTIONS_DIR, then ./assumptions, then bundled."""
    local = retuned(seed_copy, isolated / "assumptions" / "seed-2025.toml", 250_000)
    env_dir = retuned(seed_copy, tmp_path / "env" / "seed-2025.toml", 300_000).parent
    opt_dir = retuned(seed_copy, tmp_path / "opt" / "seed-2025.toml", 400_000).parent
    env = {"GWCALC_ASSUMPTIONS_DIR": str(env_dir)}

    doc = gap_doc()
    assert doc["assumptions"]["path"] == str(local)
    assert supply(doc) == pytest.approx(expected_supply(250_000))

    doc = gap_doc(env=env)
    assert doc["assumptions"]["path"] == str(env_dir / "seed-2025.toml")
    assert supply(doc) == pytest.approx(expected_supply(300_000))

    doc = gap_doc("--assumptions-dir", str(opt_dir), env=env)
    assert doc["assumptions"]["path"] == str(opt_dir / "seed-2025.toml")
    assert supply(doc) == pytest.approx(expected_supply(400_000))

    # a name not in the earlier folders falls through to the bundled set
    doc = gap_doc("-a", "independent-2026", "--assumptions-dir", str(opt_dir), env=env)
    assert doc["assumptions"]["path"] == str(bundled_dir() / "independent-2026@5.toml")


def test_a_set_only_in_the_environment_folder(seed_copy: Path, tmp_path: Path) -> None:
    mine = retuned(seed_copy, tmp_path / "env" / "my-view.toml", 450_000)
    doc = gap_doc("-a", "my-view", env={"GWCALC_ASSUMPTIONS_DIR": str(mine.parent)})
    assert supply(doc) == pytest.approx(expected_supply(450_000))
    # without the variable the name is unknown
    result = invoke("gap", "-a", "my-view")
    assert result.exit_code == 1
    assert "my-view" in result.stderr


def test_default_set_name_from_the_environment(seed_copy: Path, tmp_path: Path) -> None:
    mine = retuned(seed_copy, tmp_path / "env" / "my-view.toml", 450_000)
    env = {"GWCALC_ASSUMPTIONS_DIR": str(mine.parent), "GWCALC_DEFAULT_SET": "my-view"}
    assert supply(gap_doc(env=env)) == pytest.approx(expected_supply(450_000))


# ---------------------------------------------------------------- files are only read

# (arguments, exit code)
RUNS = [
    (("gap",), 0),
    (("gap", "--json"), 0),
    (("gap", "--unit", "gpu", "--demand", "26 GW"), 0),
    (
        (
            "gap",
            "--unit",
            "GW_facility",
            "--set",
            "gpus_per_gw=400k",
            "--set",
            "pue=1.4 W_facility/W",
        ),
        0,
    ),
    (("gap", "--set", "gpus_per_gw=400k gpu/GW", "--json"), 0),
    (("convert", "6 GW"), 0),
    (("convert", "6 GW", "--to", "die", "--set", "dies_per_gpu=2", "--json"), 0),
    (("convert", "6 GW", "--to", "gpu", "--set", "dies_per_gpu=2", "--json"), 1),  # unused
    (("convert", "75k wafer/month", "--to", "GW/year"), 0),
    (("convert", "6 GW", "--to", "wafer/year"), 1),
    (("gap", "--set", "gpus_per_gw=0 gpu/GW"), 1),
]


def test_no_command_modifies_the_file_it_reads(seed_copy: Path, sets_dir: Path) -> None:
    files = sorted(sets_dir.glob("*.toml"))
    before = {p: fingerprint(p) for p in files}
    for args, code in RUNS:
        assert invoke(*args, "-a", str(seed_copy)).exit_code == code, args
        assert invoke(*args, "--assumptions-dir", str(sets_dir)).exit_code == code, args
        env = {"GWCALC_ASSUMPTIONS_DIR": str(sets_dir)}
        assert invoke(*args, env=env).exit_code == code, args
    assert {p: fingerprint(p) for p in files} == before
    assert sorted(sets_dir.iterdir()) == files  # and writes nothing beside them


def test_no_command_modifies_the_bundled_sets(isolated: Path) -> None:
    files = sorted(bundled_dir().glob("*.toml"))
    before = {p: fingerprint(p) for p in files}
    for args, code in RUNS:
        assert invoke(*args).exit_code == code, args
        invoke(*args, "-a", "independent-2026")
    assert {p: fingerprint(p) for p in files} == before
    assert list(isolated.iterdir()) == []  # nothing written in the working folder either


def test_copies_of_the_shipped_sets_read_the_same(sets_dir: Path) -> None:
    for path in sorted(bundled_dir().glob("*.toml")):
        copy = sets_dir / path.name
        shutil.copy2(path, copy)
        a = gap_doc("-a", str(path))
        b = gap_doc("-a", str(copy))
        assert a["assumptions"]["sha256"] == b["assumptions"]["sha256"]
        assert supply(a) == supply(b)
