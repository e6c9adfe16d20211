"""Every released version of a shipped set stays reachable, unchanged, as NAME@VERSION."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from gwcalc.engine.plan import compute_gap
from gwcalc.errors import AssumptionFileError, SetNotFoundError
from gwcalc.sets.catalog import shipped_sets_with
from gwcalc.sets.find import bundled_dir, find_set_path, resolve_set
from gwcalc.sets.paths import user_sets_dir
from gwcalc.sets.read import load_set
from gwcalc.sets.versions import file_ref, split_ref
from tests.helpers import assert_user_error, invoke, json_output

# The canonical sha256 (what gwcalc prints) of every released version. A released version never
# changes: a new figure or citation is a new version. The v1 hashes are those the sets had
# before versions had their own files.
RELEASED = {
    "seed-2025@1": "8a2ef89627d8b283a29572a253175f5aa221c10bdbd7654a9627aed7d2f66230",
    "seed-2025@2": "922b649c3d58f2bf2b7ab9df59f77a8cdcf00407e93a4a6611a36918257d6273",
    "independent-2026@1": "c6d06e1ff2d4b12e9668f4a55aaff1085c6cde0cf877e31543c024cb98a86922",
    "independent-2026@2": "314cc405c1536d80818021d8fab8e991eb5a16999cd29b9888088e5f85d337a9",
    "bases-2025@1": "5572c11d4e9f3bfedb13d41514d1973652d3df48cf9fbed6c881de5cc27268bc",
    "bases-2025@2": "35594dd61515c1728a8981fd46b3903a919f545318635bcc744f4888b6bf7374",
    "seed-2025@3": "4f639fd4ec4e1564add4fb4cc6197fff38e18ac1152e23ec25d9a8f80f33af05",
    "independent-2026@3": "67ebfd43e54086b4b29ac879fb2d825fc1cef65f6935c824ddf8e9f0629f599c",
    "independent-2026@4": "bb0ec53c33bfaa98de57fa4c66c5fd846e837a53906bfe6333711b15d9a024c3",
    "independent-2026@5": "aeeadfd1ebe985788ffc90f8778c892e312ab4990e6845776033777542dc831a",
    "market-2026@1": "f5f72ff1b5c2023d51f7286d94c4a1cd4a69eb66a00d9ff44f7b4c549efbbe65",
    "market-2026@2": "0943e250c8b6a177fa0a79239a73658f29acc7d28c4325f3e74e2c1bf56a311e",
    "market-2026@3": "0cbf9ab5c16f3c1226182e12a9da25c6599cb8cb8e66b7a8404ba2146d830c7a",
    "market-2026@4": "eae10b6bf1c7f8f654259457c9f219383b938ebbea605526b80ff18c2ea30e62",
}
# And the bytes of each released file (comments and layout included).
FILE_SHA256 = {
    "seed-2025@1": "141dcfbd0bb8237bf4077e7301444720ada9acd0ba90466092d8ea65adbf7fe5",
    "seed-2025@2": "35c81f5ccb347148cc7e0d9edf58562d66e7baba2d75825071e75f2514e62701",
    "independent-2026@1": "70a2f49fa4e9980ab95c9f9a89082ced4c35962467b04e3ff002c6a3d3417485",
    "independent-2026@2": "9f6aaec9031450220ed26bb3033edf64feb33e22334e26cd2ac0e7eabbf1b3cb",
    "bases-2025@1": "84c7e33ac97e8730d552417fe201ae5af62a679c6da7ab8dbbacaa9141b1b044",
    "bases-2025@2": "60df45aedeaa35751572e1f544f3e474eb435a2bc147718657eb0023dead63d3",
    "seed-2025@3": "8e814a6686b06629243b8e139ecaef8d26971d22e9e462c29efd4fd3c38e8a9b",
    "independent-2026@3": "23311cb225073917bb364cb0595533ad432e61af98ae98b7fb4093a980880810",
    "independent-2026@4": "07981838080fed46992658cdc34bede10f6c98780626209a9cba7ca3c14ea2ad",
    "independent-2026@5": "53808df8314bf6d9d6e78a746d001a9f695f5ef4dcc75e2868dbb06868ce1000",
    "market-2026@1": "cdc9db7bb29140eb138b3f4e4d57f0f1b6589ca407d65361ccadb3c453230f08",
    "market-2026@2": "4d509b0ab43681080ca66a9d379c953b0890d7c7f46fde5cc99615589af5d501",
    "market-2026@3": "e0eefbfc41576787ea6ab6e14700354a2bbfb0438b96f81d9b9be395351de9ac",
    "market-2026@4": "3355c4b114b9f14e49b9bfbe6702230044013e8b4b5038fde7eefbf5aa825288",
}
NEWEST = {"seed-2025": 3, "independent-2026": 5, "bases-2025": 2, "market-2026": 4}


def test_every_shipped_file_is_a_pinned_release() -> None:
    shipped = {p.stem for p in bundled_dir().glob("*.toml")}
    assert shipped == set(RELEASED), "a new shipped version needs its sha256 pinned here"


@pytest.mark.parametrize("ref", sorted(RELEASED))
def test_a_released_version_never_changes(ref: str) -> None:
    path = find_set_path(ref, [bundled_dir()])
    assert path == bundled_dir() / f"{ref}.toml"
    aset = load_set(path)
    assert (aset.id, aset.version) == split_ref(ref)
    assert aset.sha256 == RELEASED[ref]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == FILE_SHA256[ref]


@pytest.mark.parametrize("name", sorted(NEWEST))
def test_a_bare_name_is_the_newest_version(name: str) -> None:
    assert resolve_set(name).version == NEWEST[name]
    assert resolve_set(name) == resolve_set(f"{name}@{NEWEST[name]}")
    assert resolve_set(f"{name}@1").version == 1


def test_the_default_is_the_newest_seed_2025() -> None:
    aset = resolve_set(None)
    assert (aset.id, aset.version) == ("seed-2025", NEWEST["seed-2025"])


def test_gap_takes_a_version() -> None:
    old = json_output(invoke("gap", "-a", "independent-2026@1", "--json"))
    new = json_output(invoke("gap", "-a", "independent-2026", "--json"))
    assert old["assumptions"]["version"] == 1 and new["assumptions"]["version"] == 5
    assert old["assumptions"]["sha256"] == RELEASED["independent-2026@1"]
    assert new["assumptions"]["sha256"] == RELEASED["independent-2026@5"]
    want = compute_gap(resolve_set("independent-2026@1")).supply_per_year
    assert old["supply_per_year"]["value"] == pytest.approx(float(want.magnitude), rel=1e-12)
    assert old["supply_per_year"]["value"] != new["supply_per_year"]["value"]


def test_convert_takes_a_version() -> None:
    doc = json_output(invoke("convert", "$1T", "--to", "GW", "-a", "seed-2025@1", "--json"))
    assert doc["assumptions"]["version"] == 1
    assert doc["results"][0]["value"] == pytest.approx(50.0)


def test_diff_between_versions_attributes_the_refresh() -> None:
    result = invoke("diff", "independent-2026@1", "independent-2026@4", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["before"]["version"], doc["after"]["version"]) == (1, 4)
    changed = {p["name"] for p in doc["parameter_changes"]}
    assert {"cowos_wafers_per_year", "vendor_share", "gpus_per_gw", "all_in_cost_per_gw"} <= changed
    table = invoke("diff", "independent-2026@1", "independent-2026@4")
    assert "independent-2026 v1" in table.stdout and "independent-2026 v4" in table.stdout
    assert "DigiTimes" in table.stdout  # the refreshed figure's source, with attribution
    assert table.stderr == ""


def test_show_and_check_take_a_version() -> None:
    show = json_output(invoke("assumptions", "show", "bases-2025@1", "--json"))
    assert show["assumptions"]["version"] == 1
    unit = show["parameters"]["all_in_cost_per_gw"]["unit"]
    assert "GW_facility" in unit  # version 1's basis, kept as released
    check = invoke("assumptions", "check", "independent-2026@1", "--json")
    assert check.exit_code == 0, check.stderr
    assert json.loads(check.stdout)["assumptions"]["version"] == 1


@pytest.mark.parametrize(
    ("ref", "fragments"),
    [
        ("seed-2025@99", ("no version 99", "seed-2025@1, seed-2025@2")),
        ("seed-2025@x", ("'x' is not a whole number",)),
        ("seed-2025@0", ("'0' is not a whole number",)),
        ("seed-2025@", ("is not a whole number",)),
        ("@2", ("names no set",)),
        ("no-such-set@1", ("no assumption set named 'no-such-set'",)),
    ],
)
def test_bad_versions_are_clean_errors(ref: str, fragments: tuple[str, ...]) -> None:
    for args in (
        ("gap", "-a", ref),
        ("convert", "1 GW", "-a", ref),
        ("diff", ref, "seed-2025"),
        ("assumptions", "show", ref),
        ("assumptions", "check", ref),
    ):
        assert_user_error(invoke(*args), *fragments)


def test_a_file_must_hold_the_version_its_name_says(tmp_path: Path) -> None:
    text = (bundled_dir() / "seed-2025@1.toml").read_text(encoding="utf-8")
    (tmp_path / "seed-2025@7.toml").write_text(text, encoding="utf-8")
    with pytest.raises(AssumptionFileError, match="holds version 1"):
        resolve_set("seed-2025@7", tmp_path)


def test_a_user_folder_hides_only_the_versions_it_has(tmp_path: Path) -> None:
    text = (bundled_dir() / "seed-2025@2.toml").read_text(encoding="utf-8")
    (tmp_path / "seed-2025.toml").write_text(text.replace("500000", "400000"), encoding="utf-8")
    assert resolve_set("seed-2025", tmp_path).path == tmp_path / "seed-2025.toml"
    assert resolve_set("seed-2025@2", tmp_path).path == tmp_path / "seed-2025.toml"
    assert resolve_set("seed-2025@1", tmp_path).path == bundled_dir() / "seed-2025@1.toml"


def test_new_keeps_the_older_version_of_a_users_set_reachable() -> None:
    """The choice for users' sets: `new NAME --from NAME` writes NAME@VERSION.toml beside the
    older file, never over it, and the bare NAME then reaches the newer version."""
    first = invoke("assumptions", "new", "mine", "--from", "independent-2026@1", "--set",
                   "pue=1.2", "--date", "2026-11-01")  # fmt: skip
    assert first.exit_code == 0, first.stderr
    before = (user_sets_dir() / "mine.toml").read_bytes()
    second = invoke("assumptions", "new", "mine", "--from", "mine", "--set", "pue=1.3",
                    "--date", "2026-11-02")  # fmt: skip
    assert second.exit_code == 0, second.stderr
    assert (user_sets_dir() / "mine.toml").read_bytes() == before  # the older file is untouched
    assert sorted(p.name for p in user_sets_dir().iterdir()) == ["mine.toml", "mine@3.toml"]
    assert resolve_set("mine").version == 3
    assert resolve_set("mine").quantity("pue").magnitude == pytest.approx(1.3)
    assert resolve_set("mine@2").quantity("pue").magnitude == pytest.approx(1.2)
    listed = json_output(invoke("assumptions", "list", "--json"))
    names = {s["name"] for s in listed["sets"]}
    assert {"mine@2", "mine@3", "seed-2025@1", "seed-2025@2"} <= names


def test_new_never_hides_a_shipped_set_under_a_versioned_name() -> None:
    result = invoke("assumptions", "new", "seed-2025", "--from", "seed-2025", "--set", "pue=1.3")
    assert_user_error(result, "ships with gwcalc")
    assert not Path("assumptions").exists()


def test_list_shows_every_version_and_the_default() -> None:
    doc = json_output(invoke("assumptions", "list", "--json"))
    rows = {s["name"]: s for s in doc["sets"]}
    assert set(RELEASED) <= set(rows)
    assert [n for n, s in rows.items() if s["default"]] == ["seed-2025@3"]
    assert rows["seed-2025@1"]["version"] == 1 and not rows["seed-2025@1"]["newest"]
    table = invoke("assumptions", "list")
    assert "seed-2025@3 (default)" in table.stdout and "seed-2025@1" in table.stdout


def test_file_names_split_into_name_and_version() -> None:
    assert file_ref(Path("a/seed-2025@12.toml")) == ("seed-2025", 12)
    assert file_ref(Path("a/seed-2025.toml")) == ("seed-2025", None)
    assert file_ref(Path("a/odd@name@x.toml")) == ("odd@name@x", None)


def test_the_bridge_hint_names_the_shipped_sets_that_have_the_parameter() -> None:
    result = invoke("convert", "1 GW", "--to", "USD_all_in")
    stderr = assert_user_error(result, "no chain of rates")
    assert "all_in_cost_per_gw" in stderr
    for name in shipped_sets_with("all_in_cost_per_gw"):
        assert name in stderr
    assert shipped_sets_with("all_in_cost_per_gw") == [
        "bases-2025",
        "independent-2026",
        "market-2026",
    ]
    assert shipped_sets_with("no_such_parameter") == []
    with pytest.raises(SetNotFoundError):
        find_set_path("seed-2025@99", [bundled_dir()])
