"""Assumption sets: reading, errors that name file, line and key, overrides, hashing, lookup."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given

from gwcalc.errors import AssumptionFileError, GwcalcError, ParameterError, SetNotFoundError
from gwcalc.sets.assumption_set import DEFAULT_SET, AssumptionSet
from gwcalc.sets.find import bundled_dir, resolve_set, search_dirs
from gwcalc.sets.overrides import parse_override
from gwcalc.sets.paths import user_sets_dir
from gwcalc.sets.read import load_set, parse_set
from gwcalc.sets.specs import REQUIRED
from gwcalc.sets.versions import file_ref
from gwcalc.units.registry import Q_, dimensions, parse_quantity, parse_unit
from tests import strategies as gs
from tests.strategies import INDEPENDENT, SEED
from tests.tiny_sets import set_text, tiny_set

# The text of seed-2025@1 (a released file, never changing), edited by the tests below.
SEED_TEXT = (bundled_dir() / "seed-2025@1.toml").read_text(encoding="utf-8")
SEED_V1 = parse_set(SEED_TEXT)


def edit(text: str, param: str, key: str, new: str) -> tuple[str, int]:
    """Replace the line 'key = …' in [parameters.param] by new; returns the text and its line."""
    lines = text.splitlines()
    start = lines.index(f"[parameters.{param}]")
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("["):
            break
        if re.match(rf"{key}\s*=", lines[i]):
            lines[i] = new
            return "\n".join(lines) + "\n", i + 1
    raise AssertionError(f"no {key} in {param}")


def line_number(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the shipped sets


@pytest.mark.parametrize("aset", [SEED, INDEPENDENT], ids=lambda a: a.id)
def test_shipped_sets_are_complete_and_sourced(aset: AssumptionSet) -> None:
    assert aset.path is not None and file_ref(aset.path) == (aset.id, aset.version)
    assert aset.version >= 1
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", aset.date)
    for name in REQUIRED:
        assert name in aset, name
    for name, param in aset.parameters.items():
        assert param.source.title.strip(), name
        assert param.value > 0, name
    assert re.fullmatch(r"[0-9a-f]{64}", aset.sha256)


def test_the_default_set_is_seed_2025() -> None:
    assert DEFAULT_SET == "seed-2025"
    assert resolve_set(None) == SEED


def test_shipped_sets_differ() -> None:
    assert SEED.sha256 != INDEPENDENT.sha256
    assert SEED.quantity("contracted_spend").units != INDEPENDENT.quantity("contracted_spend").units


# ---------------------------------------------------------------- TOML round trips


@pytest.mark.parametrize("aset", [SEED, INDEPENDENT], ids=lambda a: a.id)
def test_shipped_sets_survive_a_write_and_read(aset: AssumptionSet, tmp_path: Path) -> None:
    path = write(tmp_path, f"{aset.id}.toml", aset.to_toml())
    back = load_set(path)
    assert back == aset
    assert back.to_dict() == aset.to_dict()
    assert back.sha256 == aset.sha256
    assert back.path == path


@given(aset=gs.documented_sets())
def test_toml_round_trip_keeps_every_field(aset: AssumptionSet) -> None:
    text = aset.to_toml()
    back = parse_set(text)
    assert back.to_dict() == aset.to_dict()
    assert back == aset
    assert back.sha256 == aset.sha256
    assert back.to_toml() == text  # writing is a fixed point


def test_toml_round_trip_keeps_crlf_in_notes() -> None:
    params = dict(SEED.parameters)
    params["gpus_per_gw"] = replace(params["gpus_per_gw"], note="line one\r\nline two")
    aset = replace(SEED, parameters=params)
    assert parse_set(aset.to_toml()).parameters["gpus_per_gw"].note == "line one\r\nline two"


def _reformatted(text: str) -> list[str]:
    """The seed file written in other ways that TOML reads as the same data."""
    no_comments = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    spaced = re.sub(r"^(\w+) = ", r"\1   =   ", text, flags=re.MULTILINE).replace("\n[", "\n\n\n[")
    floats = text.replace("value = 900000\n", "value = 900_000.0\n").replace(
        "value = 20000000000\n", "value = 2e10\n"
    )
    date_literal = text.replace('date = "2026-01-07"', "date = 2026-01-07")
    inline = text.replace(
        '[parameters.dies_per_gpu]\nvalue = 1\nunit = "die/gpu"\n',
        '[parameters.dies_per_gpu]\nunit = "die/gpu"\nvalue = 1.0\n',
    )
    variants = [no_comments, spaced, floats, date_literal, inline]
    assert all(v != text for v in variants), "a variant did not change the text"
    return variants


@pytest.mark.parametrize("index", range(5))
def test_formatting_changes_neither_the_set_nor_its_hash(index: int) -> None:
    text = _reformatted(SEED_TEXT)[index]
    aset = parse_set(text)
    assert aset == SEED_V1
    assert aset.sha256 == SEED_V1.sha256


def test_the_hash_changes_with_any_figure() -> None:
    text, _ = edit(SEED_TEXT, "gpus_per_gw", "value", "value = 500001")
    assert parse_set(text).sha256 != SEED_V1.sha256


# regression: sha256 followed the order of the tables
def test_the_order_of_parameter_tables_does_not_change_the_hash() -> None:
    head, _, rest = SEED_TEXT.partition("[parameters.")
    tables = ["[parameters." + t for t in rest.split("\n[parameters.")]
    # group each parameter with its .source table, then reverse the parameters
    groups: list[str] = []
    for table in tables:
        table = table if table.startswith("[parameters.") else "[parameters." + table
        if ".source]" in table.splitlines()[0]:
            groups[-1] += "\n" + table
        else:
            groups.append(table)
    reordered = parse_set(head + "\n".join(reversed(groups)))
    assert reordered == SEED_V1
    assert reordered.sha256 == SEED_V1.sha256


# ---------------------------------------------------------------- file errors


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    assert str(path) in info.value.message
    assert "no such" in info.value.message


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(AssumptionFileError) as info:
        load_set(tmp_path)
    assert str(tmp_path) in info.value.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(SEED_TEXT.replace("seed-2025", "latin1").encode("utf-8") + b"# \xe9\xff\n")
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    assert str(path) in info.value.message and "UTF-8" in info.value.message


def test_malformed_toml_names_the_file_and_line(tmp_path: Path) -> None:
    text, line = edit(SEED_TEXT, "gpus_per_gw", "value", "value = = 500000")
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    assert info.value.line == line
    assert info.value.path == str(path)
    assert f"{path}:{line}" in info.value.message
    assert info.value.to_dict()["line"] == line  # a number in JSON, not a string


# (parameter, key whose line is replaced, the new line, expected error line: "key" = that line,
#  "header" = the parameter's table header, what the message must say)
BAD_PARAMETERS = [
    ("gpus_per_gw", "unit", 'unit = "bogus/GW"', "key", "bogus"),
    ("gpus_per_gw", "unit", 'unit = "GW**2"', "key", "power"),
    ("gpus_per_gw", "unit", 'unit = "wafer/GW"', "header", "gpus_per_gw must be"),
    ("gpus_per_gw", "unit", 'unit = "gpu"', "header", "gpus_per_gw must be"),
    ("gpus_per_gw", "value", 'value = "500k"', "key", "must be a number"),
    ("gpus_per_gw", "value", "value = true", "key", "must be a number"),
    ("gpus_per_gw", "value", "value = nan", "header", "not a finite number"),
    ("gpus_per_gw", "value", "value = inf", "header", "not a finite number"),
    ("gpus_per_gw", "value", "value = 0", "header", "out of range"),
    ("gpus_per_gw", "value", "value = -5", "header", "out of range"),
    ("vendor_share", "value", "value = 1.5", "header", "out of range"),
    ("vendor_share", "value", "value = 0", "header", "out of range"),
    ("contracted_spend", "unit", 'unit = "GW"', "header", "contracted_spend must be"),
    ("gpus_per_gw", "unit", "unit = 5", "key", "must be a string"),
]


@pytest.mark.parametrize(("param", "key", "new", "where", "says"), BAD_PARAMETERS)
def test_a_bad_parameter_names_file_line_and_key(
    tmp_path: Path, param: str, key: str, new: str, where: str, says: str
) -> None:
    text, line = edit(SEED_TEXT, param, key, new)
    if where == "header":
        line = line_number(text, f"[parameters.{param}]")
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    err = info.value
    assert (err.path, err.line, err.key) == (str(path), line, param)
    assert err.message.startswith(f"{path}:{line} [{param}]: ")
    assert says in err.message
    detail = err.to_dict()
    assert (detail["file"], detail["line"], detail["key"]) == (str(path), line, param)


def test_pue_below_one_is_out_of_range(tmp_path: Path) -> None:
    text = SEED_TEXT + (
        '\n[parameters.pue]\nvalue = 0.9\nunit = "W_facility/W"\n[parameters.pue.source]\n'
        'title = "made up"\n'
    )
    with pytest.raises(AssumptionFileError) as info:
        load_set(write(tmp_path, "pue.toml", text))
    assert info.value.key == "pue"
    assert info.value.line == line_number(text, "[parameters.pue]")
    assert "out of range" in info.value.message


def test_an_unknown_parameter_must_be_positive(tmp_path: Path) -> None:
    text = SEED_TEXT + '\n[parameters.extra]\nvalue = -1\nunit = ""\n[parameters.extra.source]\n'
    text += 'title = "made up"\n'
    with pytest.raises(AssumptionFileError) as info:
        load_set(write(tmp_path, "extra.toml", text))
    assert info.value.key == "extra"


def _seed_without(first: str, up_to: str) -> str:
    """The seed file with the lines from header `first` up to (not including) `up_to` cut."""
    lines = SEED_TEXT.splitlines()
    start, end = lines.index(first), lines.index(up_to)
    return "\n".join(lines[:start] + lines[end:]) + "\n"


def test_a_figure_without_a_source(tmp_path: Path) -> None:
    text = _seed_without("[parameters.gpus_per_gw.source]", "[parameters.hardware_cost_per_gw]")
    with pytest.raises(AssumptionFileError) as info:
        load_set(write(tmp_path, "nosource.toml", text))
    assert info.value.key == "gpus_per_gw"
    assert "source" in info.value.message


def test_a_missing_required_parameter_is_named(tmp_path: Path) -> None:
    text = _seed_without("[parameters.dies_per_gpu]", "[parameters.gpus_per_gw]")
    with pytest.raises(AssumptionFileError) as info:
        load_set(write(tmp_path, "missing.toml", text))
    assert "dies_per_gpu" in info.value.message


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('id = "seed-2025"', 'id = "bad id!"', "id"),
        ('id = "seed-2025"', "", "'id'"),
        ("version = 1", "version = 0", "version"),
        ("version = 1", 'version = "1"', "version"),
        ("format = 1", "format = 2", "format"),
        ('date = "2026-01-07"\ntitle', "title", "date"),
    ],
)
def test_bad_top_level_keys(tmp_path: Path, old: str, new: str, says: str) -> None:
    assert old in SEED_TEXT
    path = write(tmp_path, "top.toml", SEED_TEXT.replace(old, new, 1))
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    assert str(path) in info.value.message
    assert says in info.value.message


def test_a_set_without_parameters(tmp_path: Path) -> None:
    empty = tiny_set(1, id="empty", title="nothing")
    del empty["parameters"]
    text = set_text(empty)
    with pytest.raises(AssumptionFileError) as info:
        load_set(write(tmp_path, "empty.toml", text))
    assert "parameters" in info.value.message


def test_a_quoted_table_header_still_gets_a_line_number(tmp_path: Path) -> None:
    text, _ = edit(SEED_TEXT, "gpus_per_gw", "unit", 'unit = "bogus/GW"')
    text = text.replace("[parameters.gpus_per_gw]", '[parameters."gpus_per_gw"]')
    with pytest.raises(AssumptionFileError) as info:
        load_set(write(tmp_path, "quoted.toml", text))
    assert info.value.key == "gpus_per_gw"
    assert info.value.line == line_number(text, 'unit = "bogus/GW"')


def test_errors_are_gwcalc_errors() -> None:
    for cls in (AssumptionFileError, ParameterError, SetNotFoundError):
        assert issubclass(cls, GwcalcError)


# ---------------------------------------------------------------- overrides


def test_an_override_replaces_a_figure_and_is_recorded() -> None:
    aset = SEED.with_overrides([parse_override("gpus_per_gw=400k gpu/GW")])
    assert aset.quantity("gpus_per_gw") == parse_quantity("400k gpu/GW")
    assert aset.overrides == ("gpus_per_gw",)
    assert aset.parameters["gpus_per_gw"].source != SEED.parameters["gpus_per_gw"].source
    assert aset.sha256 != SEED.sha256
    # the original is untouched
    assert SEED.quantity("gpus_per_gw") == parse_quantity("500k gpu/GW")
    assert SEED.overrides == ()


def test_an_override_in_other_units_of_the_same_dimension() -> None:
    aset = SEED.with_overrides([parse_override("gpus_per_gw=500 gpu/MW")])
    q = aset.quantity("gpus_per_gw")
    assert q.to(parse_unit("gpu/GW")).magnitude == pytest.approx(500_000, rel=1e-12)


def test_a_bare_number_override_is_read_in_the_sets_unit() -> None:
    aset = SEED.with_overrides([parse_override("gpus_per_gw=400000")])
    assert dimensions(aset.quantity("gpus_per_gw")) == dimensions(SEED.quantity("gpus_per_gw"))
    assert aset.quantity("gpus_per_gw").to(parse_unit("gpu/GW")).magnitude == 400_000


def test_no_overrides_is_the_same_set() -> None:
    assert SEED.with_overrides([]) is SEED


def test_an_override_may_add_a_parameter_gwcalc_knows() -> None:
    aset = SEED.with_overrides([parse_override("pue=1.4 W_facility/W")])
    assert "pue" in aset and "pue" not in SEED


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("gpus_per_gw=5 wafer/GW", "does not match"),
        ("gpus_per_gw=0 gpu/GW", "out of range"),
        ("gpus_per_gw=-5 gpu/GW", "out of range"),
        ("gpus_per_gw=-5", "out of range"),
        ("vendor_share=150%", "out of range"),
        ("nosuch=5 gpu", "unknown parameter"),
        ("pue=1.4 GW", "pue"),
    ],
)
def test_bad_overrides(text: str, says: str) -> None:
    with pytest.raises(ParameterError) as info:
        SEED.with_overrides([parse_override(text)])
    assert says in info.value.message


@pytest.mark.parametrize("text", ["gpus_per_gw", "=5", "gpus_per_gw=", "1x=5", "a b=5", "x=nan"])
def test_parse_override_rejects(text: str) -> None:
    with pytest.raises(GwcalcError):
        parse_override(text)


def test_parse_override() -> None:
    name, q = parse_override(" gpus_per_gw = 400k gpu/GW ")
    assert name == "gpus_per_gw"
    assert q == Q_(400_000.0, parse_unit("gpu/GW"))


# ---------------------------------------------------------------- finding sets


def _copy_with(folder: Path, name: str, gpus_per_gw: int) -> Path:
    """seed-2025 saved as folder/name.toml, with gpus_per_gw changed to tell copies apart."""
    folder.mkdir(parents=True, exist_ok=True)
    text, _ = edit(SEED_TEXT, "gpus_per_gw", "value", f"value = {gpus_per_gw}")
    return write(folder, f"{name}.toml", text)


def _gpus_per_gw(aset: AssumptionSet) -> float:
    return aset.parameters["gpus_per_gw"].value


def test_search_order(isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_set("seed-2025").path == bundled_dir() / "seed-2025@3.toml"
    local = _copy_with(isolated / "assumptions", "seed-2025", 400_000)
    assert resolve_set("seed-2025").path == local  # ./assumptions beats the bundled set
    assert _gpus_per_gw(resolve_set("seed-2025")) == 400_000
    env = _copy_with(tmp_path / "env", "seed-2025", 300_000)
    monkeypatch.setenv("GWCALC_ASSUMPTIONS_DIR", str(env.parent))
    assert resolve_set("seed-2025").path == env  # $GWCALC_ASSUMPTIONS_DIR beats ./assumptions
    given = _copy_with(tmp_path / "given", "seed-2025", 200_000)
    assert resolve_set("seed-2025", given.parent).path == given  # an explicit folder wins
    # a set only in the bundled folder is still found
    assert resolve_set("independent-2026").path == bundled_dir() / "independent-2026@5.toml"
    dirs = search_dirs()
    assert dirs == [env.parent, isolated / "assumptions", user_sets_dir(), bundled_dir()]


def test_default_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWCALC_DEFAULT_SET", "independent-2026")
    assert resolve_set(None).id == "independent-2026"


def test_a_path_is_read_as_a_path(isolated: Path, tmp_path: Path) -> None:
    path = _copy_with(tmp_path / "elsewhere", "mine", 123_000)
    assert _gpus_per_gw(resolve_set(str(path))) == 123_000
    relative = _copy_with(isolated, "here", 124_000)
    assert _gpus_per_gw(resolve_set("here.toml")) == 124_000
    assert resolve_set("./here.toml").path == Path("./here.toml")
    assert relative.exists()


def test_a_home_relative_path_uses_home(isolated: Path) -> None:
    home = Path.home()
    assert home.parent == isolated.parent  # the temporary HOME, never the real one
    _copy_with(home / "sets", "mine", 125_000)
    assert _gpus_per_gw(resolve_set("~/sets/mine.toml")) == 125_000


def test_an_unknown_name_lists_what_is_available() -> None:
    with pytest.raises(SetNotFoundError) as info:
        resolve_set("no-such-set")
    assert "no-such-set" in info.value.message
    assert info.value.hint is not None
    assert "seed-2025" in info.value.hint and "independent-2026" in info.value.hint


# regression: OSError (File name too long) escaped
def test_a_very_long_set_name_is_a_gwcalc_error() -> None:
    with pytest.raises(GwcalcError):
        resolve_set("x" * 300)


# regression: RuntimeError from expanduser escaped
def test_an_unknown_home_directory_is_a_gwcalc_error() -> None:
    with pytest.raises(GwcalcError):
        resolve_set("~no-such-user-gwcalc/set.toml")


# regression: ValueError (embedded null byte) escaped
def test_a_path_with_a_nul_byte_is_a_gwcalc_error() -> None:
    with pytest.raises(GwcalcError):
        load_set(Path("bad\x00name.toml"))


@pytest.mark.parametrize(
    ("text", "says"),
    [("gpus_per_gw", "'gpus_per_gw' is not NAME=QUANTITY"), ("1x=5", "'1x' is not a parameter")],
)
def test_override_errors_speak_no_cli_words(text: str, says: str) -> None:
    with pytest.raises(ParameterError) as info:
        parse_override(text)
    assert info.value.message.startswith(says)
    assert "--" not in info.value.message + (info.value.hint or "")
