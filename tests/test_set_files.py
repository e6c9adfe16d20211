"""Reading set files safely: non-regular and oversized files, deep nesting, huge integers, long
names, a BOM, missing folders, and every top-level and source field checked for its type."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.errors import AssumptionFileError, GwcalcError, ParameterError, SetNotFoundError
from gwcalc.sets.field_checks import MAX_VERSION, check_date
from gwcalc.sets.find import resolve_set, search_dirs
from gwcalc.sets.read import MAX_SET_BYTES, load_set, parse_set
from tests.helpers import assert_user_error, invoke, json_error, json_output, shipped_file
from tests.strategies import SEED, iso_dates

SEED_TEXT = (shipped_file("seed-2025")).read_text(encoding="utf-8")
SOURCE = "[parameters.cowos_wafers_per_year.source]"


def replaced(table: str, key: str, new: str, text: str = SEED_TEXT) -> tuple[str, int]:
    """text with the line 'key = …' of table ('' for the top level) replaced by new; returns
    the text and that line's number."""
    lines = text.splitlines()
    start = lines.index(table) + 1 if table else 0
    for i in range(start, len(lines)):
        if table and lines[i].startswith("["):
            break
        if re.match(rf"{key}\s*=", lines[i]):
            lines[i] = new
            return "\n".join(lines) + "\n", i + 1
    raise AssertionError(f"no {key} in {table or 'the top level'}")


def saved(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


class Blocked(Exception):  # not an OSError, so no reader can turn it into one
    """Raised by the alarm fixture."""


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail the test, instead of hanging the run, if it blocks for 10 seconds."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Blocked("blocked for 10 s: a read that should be refused hangs")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def gwcalc_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """gwcalc run as its own process (HOME and the environment as the test set them), killed
    after 10 seconds so that a regression that blocks cannot hang CI."""
    return subprocess.run(
        [sys.executable, "-m", "gwcalc", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )


# ---------------------------------------------------------------- files that are not sets


def test_a_fifo_is_refused_without_blocking(tmp_path: Path, alarm: None) -> None:
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    with pytest.raises(AssumptionFileError) as info:
        load_set(fifo)
    assert info.value.path == str(fifo)
    assert "not a regular file" in info.value.message
    assert info.value.hint == "give the path of a .toml file"


def test_the_cli_refuses_a_fifo(isolated: Path) -> None:
    os.mkfifo(isolated / "x.toml")
    done = gwcalc_process("gap", "-a", "x.toml", cwd=isolated)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("Error: x.toml: cannot read it: not a regular file")
    assert "hint: give the path of a .toml file" in done.stderr


def test_list_reports_a_fifo_and_lists_the_rest(isolated: Path) -> None:
    (isolated / "assumptions").mkdir()
    os.mkfifo(isolated / "assumptions" / "pipe.toml")
    done = gwcalc_process("assumptions", "list", "--json", cwd=isolated)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    rows = {row["name"]: row for row in json_doc(done.stdout)["sets"]}
    assert "not a regular file" in rows["pipe"]["error"]
    assert rows["seed-2025@2"]["version"] == 2  # the readable sets are still listed


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link"])
def test_a_set_name_that_is_not_a_regular_file_says_so(isolated: Path, kind: str) -> None:
    # By name it fails as by path: not "no set named 'x'" followed by "available: …, x".
    folder = isolated / "sets"
    folder.mkdir()
    entry = folder / "x.toml"
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "folder":
        entry.mkdir()
    else:
        entry.symlink_to(folder / "gone.toml")
    by_name = gwcalc_process("gap", "--assumptions-dir", str(folder), "-a", "x", cwd=isolated)
    by_path = gwcalc_process("gap", "-a", str(entry), cwd=isolated)
    assert (by_name.returncode, by_name.stdout) == (1, "")
    assert by_name.stderr == by_path.stderr
    assert by_name.stderr.startswith(f"Error: {entry}: ")
    assert "no assumption set named" not in by_name.stderr


def json_doc(text: str) -> Any:
    import json

    return json.loads(text)


def test_dev_zero_is_refused(isolated: Path, alarm: None) -> None:
    done = gwcalc_process("gap", "-a", "/dev/zero", cwd=isolated)  # first: it cannot hang
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("Error: /dev/zero: cannot read it: not a regular file")
    with pytest.raises(AssumptionFileError) as info:
        load_set(Path("/dev/zero"))
    assert "not a regular file" in info.value.message
    result = invoke("gap", "-a", "/dev/zero")
    assert_user_error(result, "/dev/zero", "not a regular file", "hint: give the path")


def _padded(size: int) -> str:
    """The seed set followed by a TOML comment, size bytes in all."""
    head = SEED_TEXT + "# "
    return head + "x" * (size - len(head.encode("utf-8")) - 1) + "\n"


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    assert MAX_SET_BYTES == 10 * 1024 * 1024
    path = saved(tmp_path, "big.toml", _padded(MAX_SET_BYTES + 1))
    assert path.stat().st_size == MAX_SET_BYTES + 1
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    assert "larger than 10 MB" in info.value.message
    assert info.value.hint is not None and "small TOML file" in info.value.hint


def test_a_file_at_the_size_cap_is_read(tmp_path: Path) -> None:
    path = saved(tmp_path, "full.toml", _padded(MAX_SET_BYTES))
    assert path.stat().st_size == MAX_SET_BYTES
    assert load_set(path).sha256 == SEED.sha256


# ---------------------------------------------------------------- hostile content


def test_deep_nesting_is_a_clean_error(tmp_path: Path) -> None:
    path = saved(tmp_path, "deep.toml", "a = " + "[" * 10_000 + "]" * 10_000 + "\n")
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    assert "nested too deeply" in info.value.message
    assert_user_error(invoke("gap", "-a", str(path)), "nested too deeply", str(path))


def test_deep_nesting_does_not_break_list(isolated: Path) -> None:
    folder = isolated / "assumptions"
    folder.mkdir()
    saved(folder, "deep.toml", "a = " + "{b = " * 10_000 + "1" + "}" * 10_000 + "\n")
    doc = json_output(invoke("assumptions", "list", "--json"))
    rows = {row["name"]: row for row in doc["sets"]}
    assert "nested too deeply" in rows["deep"]["error"]
    assert {"seed-2025@2", "independent-2026@2"} <= set(rows)


def test_a_400_digit_value_is_a_clean_error(tmp_path: Path) -> None:
    text, line = replaced("[parameters.gpus_per_gw]", "value", "value = " + "9" * 400)
    path = saved(tmp_path, "huge.toml", text)
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    assert (info.value.line, info.value.key) == (line, "gpus_per_gw")
    assert "400 digits, too large" in info.value.message
    stderr = assert_user_error(invoke("gap", "-a", str(path)), f"{path}:{line} [gpus_per_gw]")
    assert "hint: write large figures with an exponent" in stderr


def test_a_5000_digit_value_is_a_clean_error(tmp_path: Path) -> None:
    text, _ = replaced("[parameters.gpus_per_gw]", "value", "value = " + "9" * 5000)
    path = saved(tmp_path, "huger.toml", text)
    assert_user_error(invoke("gap", "-a", str(path)), "not valid TOML", "digits")


def test_a_300_character_name_is_a_clean_error() -> None:
    stderr = assert_user_error(invoke("gap", "-a", "x" * 300), "too long")
    assert "x" * 300 not in stderr.splitlines()[0][:120]  # the message does not open with it
    stderr = assert_user_error(invoke("gap", "-a", "x" * 300 + ".toml"), "File name too long")
    assert "hint: shorten the path" in stderr


def test_an_unknown_home_directory_is_a_clean_error() -> None:
    error = json_error(invoke("gap", "-a", "~nouser-gwcalc/x.toml", "--json"))
    assert error["type"] != "internal"
    assert "~nouser-gwcalc/x.toml" in error["message"]


def test_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SEED_TEXT.encode("utf-8"))
    assert load_set(path).sha256 == SEED.sha256
    assert parse_set("\ufeff" + SEED_TEXT).sha256 == SEED.sha256
    doc = json_output(invoke("gap", "-a", str(path), "--json"))
    assert doc["assumptions"]["sha256"] == SEED.sha256


# ---------------------------------------------------------------- the type of every field

# (table, key, new line, what the message must say)
BAD_FIELDS = [
    ("", "date", "date = {}", "a table is not a date"),
    ("", "date", "date = 0", "0 is not a date"),
    ("", "date", 'date = "2026-W01-1"', "'2026-W01-1' is not a date"),
    ("", "date", 'date = "2026-13-01"', "'2026-13-01' is not a date"),
    ("", "date", 'date = "2026-02-30"', "'2026-02-30' is not a date"),
    ("", "date", 'date = "20260107"', "'20260107' is not a date"),
    ("", "date", 'date = "2026-01-07 "', "is not a date"),
    ("", "date", 'date = "٢٠٢٦"', "is not a date"),  # Arabic-Indic digits are not ISO
    ("", "date", "date = 2026-01-07T10:00:00", "a date-time is not a date"),
    ("", "title", "title = []", "an array is not a string"),
    ("", "title", "title = 5", "5 is not a string"),
    (
        "",
        "format",
        "format = true",
        "the format is a boolean, but gwcalc reads only formats 1 and 2",
    ),
    ("", "format", "format = 1.0", "the format is a number, but"),
    ("", "format", 'format = "1"', "the format is '1', but"),
    ("", "version", "version = true", "the version is a boolean, not a whole number"),
    ("", "version", "version = 1_000_001", "from 1 to 1,000,000"),
    ("", "version", "version = " + "9" * 400, "the version is an integer, not a whole number"),
    ("", "id", "id = 5", "5 is not a set name"),
    ("", "id", 'id = "' + "a" * 201 + '"', "is not a set name"),
    (SOURCE, "url", "url = {a=1}", "source url: a table is not a web address"),
    (SOURCE, "url", 'url = "www.example.com"', "is not a web address"),
    (SOURCE, "url", 'url = "ftp://example.com/x"', "is not a web address"),
    (SOURCE, "url", 'url = "https://"', "is not a web address"),
    (SOURCE, "url", 'url = "https://example.com/a b"', "is not a web address"),
    (SOURCE, "url", 'url = "https://example.com/\\u001b[31m"', "is not a web address"),
    (SOURCE, "date", "date = {}", "source date: a table is not a date"),
    (SOURCE, "date", 'date = "2026-W01-1"', "source date: '2026-W01-1' is not a date"),
    (SOURCE, "title", "title = []", "every figure needs a source with a title"),
    (SOURCE, "title", 'title = "  "', "every figure needs a source with a title"),
    (SOURCE, "title", "title = 5", "every figure needs a source with a title"),
]


@pytest.mark.parametrize(("table", "key", "new", "says"), BAD_FIELDS)
def test_a_field_of_the_wrong_type_names_file_line_and_key(
    tmp_path: Path, table: str, key: str, new: str, says: str
) -> None:
    text, line = replaced(table, key, new)
    path = saved(tmp_path, "bad.toml", text)
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    err = info.value
    where = "cowos_wafers_per_year" if table else key
    assert (err.path, err.line, err.key) == (str(path), line, where)
    assert err.message.startswith(f"{path}:{line} [{where}]: ")
    assert says in err.message
    assert err.hint
    result = invoke("gap", "-a", str(path))
    assert_user_error(result, f"{path}:{line} [{where}]", says)


@pytest.mark.parametrize(
    ("table", "key", "new", "says"),
    [
        ("", "changes", 'changes = "one"', "changes must be an array of strings"),
        ("", "changes", "changes = [1]", "changes must be an array of strings"),
        ("", "extends", "extends = 5", "5 is not a string"),
        ("", "description", "description = []", "an array is not a string"),
        ("[parameters.vendor_share]", "note", "note = 5", "'note' must be a string, not 5"),
        ("[parameters.vendor_share]", "note", "note = {}", "'note' must be a string, not a table"),
    ],
)
def test_optional_fields_of_the_wrong_type(
    tmp_path: Path, table: str, key: str, new: str, says: str
) -> None:
    text = re.sub(r'description = """.*?"""\n', "", SEED_TEXT, count=1, flags=re.DOTALL)
    assert "description" not in text
    if not table:  # add the key, so that there is a line to replace
        text = re.sub(r"(format = [12]\n)", rf"\g<1>{key} = 0\n", text, count=1)
    text, line = replaced(table, key, new, text)
    with pytest.raises(AssumptionFileError) as info:
        load_set(saved(tmp_path, "bad.toml", text))
    assert info.value.line == line
    assert says in info.value.message


@pytest.mark.parametrize(
    ("table", "key", "new", "read_as"),
    [
        ("", "date", "date = 2026-01-07", "2026-01-07"),  # a TOML date
        ("", "date", 'date = "2026-02"', "2026-02"),
        ("", "date", 'date = "2026"', "2026"),
        ("", "date", 'date = "2024-02-29"', "2024-02-29"),
        ("", "version", f"version = {MAX_VERSION}", MAX_VERSION),
        (SOURCE, "url", 'url = "http://example.com"', "http://example.com"),
        (SOURCE, "date", "date = 2025-10-01", "2025-10-01"),
    ],
)
def test_good_fields_are_read(table: str, key: str, new: str, read_as: object) -> None:
    aset = parse_set(replaced(table, key, new)[0])
    if table:
        got: object = getattr(aset.parameters["cowos_wafers_per_year"].source, key)
    else:
        got = getattr(aset, key)
    assert got == read_as


@pytest.mark.parametrize("text", ["2026-W01-1", "2026-13-01", "2026-00", "0000", "2026-1-7", ""])
def test_check_date_refuses(text: str) -> None:
    with pytest.raises(ParameterError, match="is not a date") as info:
        check_date(text)
    assert info.value.hint is not None and "YYYY-MM-DD" in info.value.hint


def _reference_date(text: str) -> bool:
    """Is text a real date as YYYY-MM-DD, YYYY-MM or YYYY? (via fromisoformat, not gwcalc)"""
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", text):
        return False
    padded = text + "-01-01"[len(text) - 4 :] if len(text) < 10 else text
    try:
        dt.date.fromisoformat(padded)
    except ValueError:
        return False
    return True


@given(
    st.text(max_size=12) | iso_dates | st.from_regex(r"[0-9]{4}(-[0-9]{1,2}){0,2}", fullmatch=True)
)
def test_check_date_accepts_exactly_the_real_iso_dates(text: str) -> None:
    try:
        accepted = check_date(text) == text
    except ParameterError:
        accepted = False
    assert accepted == _reference_date(text)


def test_a_year_written_as_a_number_is_told_to_quote_it() -> None:
    with pytest.raises(ParameterError, match="2026 is not a date") as info:
        check_date(2026)
    assert info.value.hint is not None and 'put it in quotes, e.g. "2026"' in info.value.hint
    assert check_date("2026") == "2026"


# ---------------------------------------------------------------- the folders searched


def test_a_missing_assumptions_dir_is_an_error(isolated: Path) -> None:
    missing = isolated / "no-such-folder"
    for args, env in [
        (("gap", "--assumptions-dir", str(missing)), None),
        (("gap",), {"GWCALC_ASSUMPTIONS_DIR": str(missing)}),
        (("assumptions", "list", "--assumptions-dir", str(missing)), None),
        (("assumptions", "show", "seed-2025"), {"GWCALC_ASSUMPTIONS_DIR": str(missing)}),
    ]:
        result = invoke(*args, env=env)
        stderr = assert_user_error(result, f"assumptions folder {missing} does not exist")
        assert f"hint: create it (mkdir -p {missing})" in stderr
    assert not missing.exists()


def test_a_missing_folder_in_the_api(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SetNotFoundError, match="does not exist"):
        search_dirs(isolated / "nope")
    monkeypatch.setenv("GWCALC_ASSUMPTIONS_DIR", str(isolated / "nope"))
    with pytest.raises(SetNotFoundError, match="does not exist"):
        resolve_set("seed-2025")
    (isolated / "afile").write_text("x")
    with pytest.raises(SetNotFoundError, match="is a file, not a folder"):
        search_dirs(isolated / "afile")


def test_an_existing_empty_folder_is_fine(isolated: Path) -> None:
    (isolated / "empty").mkdir()
    doc = json_output(invoke("gap", "--assumptions-dir", "empty", "--json"))
    assert doc["assumptions"]["id"] == "seed-2025"


def test_reading_errors_are_gwcalc_errors(tmp_path: Path) -> None:
    for path in (tmp_path, Path("/dev/null"), Path("bad\x00name.toml")):
        with pytest.raises(GwcalcError):
            load_set(path)


@pytest.mark.parametrize(
    ("unit", "stray"),
    [("gpu/GW !!!", "!"), ("gpu/GW#x", "#"), ("gpu/GW, 5", ","), ("gpu/GW;", ";")],
)
def test_a_unit_with_trailing_junk_is_refused(tmp_path: Path, unit: str, stray: str) -> None:
    text, line = replaced("[parameters.gpus_per_gw]", "unit", f'unit = "{unit}"')
    path = saved(tmp_path, "junk.toml", text)
    with pytest.raises(AssumptionFileError) as info:
        load_set(path)
    assert (info.value.line, info.value.key) == (line, "gpus_per_gw")
    assert f"has {stray!r}, which is no part of a unit" in info.value.message
    assert_user_error(invoke("gap", "-a", str(path)), f"{path}:{line} [gpus_per_gw]", unit)


def test_the_hint_for_a_unit_with_junk_follows_the_grammar(tmp_path: Path) -> None:
    # gwcalc's grammar refuses powers: the hint must not suggest '**', and its example parses.
    import re

    from gwcalc.errors import UnitError
    from gwcalc.units.registry import parse_unit

    text, _ = replaced("[parameters.gpus_per_gw]", "unit", 'unit = "gpu/GW#"')
    with pytest.raises(AssumptionFileError) as info:
        load_set(saved(tmp_path, "junk.toml", text))
    hint = info.value.hint or ""
    assert "**" not in hint and "power" not in hint.replace("no powers", "")
    example = re.search(r'unit = "([^"]+)"', hint)
    assert example is not None
    parse_unit(example.group(1))  # raises if the example is not gwcalc's grammar
    with pytest.raises(UnitError):
        parse_unit("gpu/GW**2")


def test_list_shows_the_key_of_an_unreadable_file(isolated: Path) -> None:
    """The error names its key in brackets ('[date]'): list prints it as text, not markup."""
    (isolated / "assumptions").mkdir()
    text, line = replaced("", "date", "date = 0")
    saved(isolated / "assumptions", "bad[x].toml", text)
    result = invoke("assumptions", "list")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert f"bad[x].toml:{line} [date]: 0 is not a date" in result.stdout
