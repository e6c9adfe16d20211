"""Every key of a set file is checked against one description of the format (gwcalc.sets.schema):
an unknown key is refused with its line and the nearest known key, never ignored; a year is
written once, in the digits 0-9, in every table and on the command line."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.errors import AssumptionFileError, GwcalcError, ParameterError
from gwcalc.sets.field_checks import YEAR_RANGE, read_whole, read_year
from gwcalc.sets.figures import Parameter, Source
from gwcalc.sets.ranges import CREDIBILITY_BOUNDS, Range, validate_range
from gwcalc.sets.read import parse_set
from gwcalc.sets.read_figures import Fail
from gwcalc.sets.schema import TOP, Each, Table, check_keys, layout_text
from gwcalc.sets.toml_lines import KeyPath, line_of
from gwcalc.uncertainty.distributions import Distribution
from tests.conftest import REPO
from tests.helpers import assert_contract, assert_user_error, invoke, shipped_file

V4 = shipped_file("independent-2026").read_text(encoding="utf-8")
SEED = shipped_file("seed-2025").read_text(encoding="utf-8")


def refused(text: str) -> AssumptionFileError:
    with pytest.raises(AssumptionFileError) as caught:
        parse_set(text, Path("t.toml"))
    return caught.value


def edited(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, old
    return text.replace(old, new, count)


# The examples: each was ignored (or dropped every deal) with exit 0.
EXAMPLES = [
    (
        lambda: edited(V4, "[[deals]]", "[[deal]]", -1).replace("[deals.", "[deal."),
        "deal",
        "deals",
        "[[deal]]",
    ),
    (lambda: edited(V4, "counted_statuses", "counted_status"), "counted_status", "", ""),
    (lambda: edited(V4, 'distribution = "pert"', 'distrbution = "pert"'), "distrbution", "", ""),
    (lambda: edited(V4, "[mix.", "[mixes.", -1), "mixes", "mix", "[mixes.2025]"),
    (
        lambda: V4 + "\n[chip.X1]\nlabel = 'X'\nvendor = 'V'\n[chip.X1.price]\nvalue = 1\n",
        "chip",
        "chips",
        "[chip.X1]",
    ),
    (lambda: edited(V4, "caveats = [", "caveat = ["), "caveat", "caveats", ""),
    (
        lambda: edited(V4, "\ndistribution = ", "\ncredibilty = 80\ndistribution = "),
        "credibilty",
        "credibility",
        "",
    ),
    (lambda: edited(V4, 'group = "', 'gruop = "'), "gruop", "group", ""),
    (lambda: edited(V4, "\nimplied = true", "\nimplid = true"), "implid", "implied", ""),
    (lambda: edited(V4, "[timeline]\n", "[timeline]\nstrat = 2025\n"), "strat", "start", ""),
    (
        lambda: edited(V4, "[chips.GB200]\n", "[chips.GB200]\nvendr = 'x'\n"),
        "vendr",
        "vendor",
        "",
    ),
    (
        lambda: edited(V4, "[[deals]]\n", "[[deals]]\nbuyr = 'x'\n"),
        "buyr",
        "buyer",
        "",
    ),
    (
        lambda: edited(V4, "[mix.2026.source]\n", "[mix.2026.source]\nurll = 'x'\n"),
        "urll",
        "url",
        "",
    ),
]


@pytest.mark.parametrize(("make", "key", "nearest", "line_text"), EXAMPLES)
def test_an_unknown_key_is_refused_at_its_line_with_the_nearest_key(
    make: Any, key: str, nearest: str, line_text: str
) -> None:
    text = make()
    error = refused(text)
    assert f"unknown key {key!r}" in error.message
    nearest = nearest or key.replace("distrbution", "distribution").replace(
        "counted_status", "counted_statuses"
    )
    assert f"did you mean {nearest!r}?" in error.message
    lines = text.splitlines()
    assert error.line is not None
    written = lines[error.line - 1]
    assert (line_text or key) in written, written
    assert error.key is not None and error.key.endswith(key)


def test_a_renamed_deals_table_no_longer_drops_every_deal_on_the_cli(tmp_path: Path) -> None:
    """[[deal]] for [[deals]]: today every deal was dropped and the timeline printed, exit 0."""
    path = tmp_path / "mine.toml"
    path.write_text(edited(V4, "[[deals]]", "[[deal]]", -1).replace("[deals.", "[deal."))
    stderr = assert_user_error(invoke("timeline", "-a", str(path)), "did you mean 'deals'?")
    assert "mine.toml:" in stderr and "[deal]" in stderr and "hint:" in stderr


def test_a_misspelt_distribution_is_not_sampled_as_a_lognormal() -> None:
    """distrbution = "uniform" was read as the default lognormal."""
    text = edited(V4, 'distribution = "uniform"', 'distrbution = "uniform"')
    assert "distribution" in refused(text).message


# ------------------------------------------------------------- every key the schema knows

SAMPLE = {"NAME": "x", "YEAR": "2026", "CHIP": "X1"}


def schema_keys(table: Table = TOP, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """(where a table sits in a file, one of its keys), for every table the schema describes."""
    for name, key in table.keys.items():
        yield path, name
        holds, inner = key.holds, (*path, name)
        if key.type == "tables":
            inner = (*inner, 0)
        if isinstance(holds, Each):
            inner, holds = (*inner, SAMPLE[holds.key]), holds.holds
        if isinstance(holds, Table):
            yield from schema_keys(holds, inner)


def nested(path: KeyPath, key: str) -> dict[str, Any]:
    """A document with one key at path (an int in path is an array of tables)."""
    node: Any = {key: 1}
    for part in reversed(path):
        node = [node] if isinstance(part, int) else {part: node}
    assert isinstance(node, dict)
    return node


ALL_KEYS = list(schema_keys())


def test_the_schema_knows_every_key_of_every_shipped_set() -> None:
    """The bundled files (format 1 and 2) use only keys the schema knows, and it knows some in
    each of the tables those files have."""
    import tomllib

    for path in [*shipped_file("seed-2025").parent.glob("*.toml"), *Path("tests/sets").glob("*")]:
        text = path.read_text(encoding="utf-8")
        parse_set(text, path)  # raises on any unknown key
        fmt = tomllib.loads(text).get("format", 1)
        check_keys(tomllib.loads(text), fmt, Fail(text, str(path)))
    assert len(ALL_KEYS) > 80


TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "boolean": (bool,),
    "date": (str, dt.date),
    "year": (int, str),
    "strings": (list,),
    "table": (dict,),
    "tables": (list,),
}


def typed(layout: Table | Each | None, value: object) -> Iterator[tuple[str, str, object]]:
    """(key, the schema's type, the value) for every key a parsed file holds."""
    if isinstance(layout, Each) and isinstance(value, dict):
        for item in value.values():
            yield from typed(layout.holds, item)
    elif isinstance(layout, Table) and isinstance(value, dict):
        for name, item in value.items():
            key = layout.keys[name]
            yield name, key.type, item
            for one in item if key.type == "tables" else [item]:
                yield from typed(key.holds, one)


def test_the_schema_gives_each_key_the_type_the_shipped_sets_use() -> None:
    import tomllib

    seen = set()
    for path in shipped_file("seed-2025").parent.glob("*.toml"):
        for name, kind, value in typed(TOP, tomllib.loads(path.read_text(encoding="utf-8"))):
            assert isinstance(value, TYPES[kind]), (path.name, name, kind, value)
            assert kind != "number" or not isinstance(value, bool)
            seen.add(name)
    assert {"distribution", "by_year", "counted_statuses", "same_capacity_as", "url"} <= seen


@pytest.mark.parametrize(
    ("path", "key"), ALL_KEYS, ids=[".".join(map(str, (*p, k))) for p, k in ALL_KEYS]
)
def test_every_key_the_schema_knows_is_accepted(path: KeyPath, key: str) -> None:
    check_keys(nested(path, key), 2, Fail("", "<t>"))


def misspellings(key: str) -> st.SearchStrategy[str]:
    """A letter doubled, dropped (from longer keys) or two swapped: a typo of key."""
    i = st.integers(0, len(key) - 1)
    double = i.map(lambda n: key[: n + 1] + key[n:])
    drop = i.map(lambda n: key[:n] + key[n + 1 :]).filter(lambda s: len(key) >= 5)
    swap = st.integers(0, len(key) - 2).map(lambda n: key[:n] + key[n + 1] + key[n] + key[n + 2 :])
    return st.one_of(double, drop, swap).filter(lambda s: s != key)


@given(data=st.data(), where=st.sampled_from(ALL_KEYS))
def test_any_misspelling_of_a_key_is_refused_naming_the_key(
    data: st.DataObject, where: tuple[KeyPath, str]
) -> None:
    path, key = where
    typo = data.draw(misspellings(key))
    with pytest.raises(AssumptionFileError) as caught:
        check_keys(nested(path, typo), 2, Fail("", "<t>"))
    message = caught.value.message
    assert f"unknown key {typo!r}" in message
    assert f"did you mean {key!r}?" in message, message


def test_a_time_axis_key_in_a_format_1_file_needs_format_2() -> None:
    text = (shipped_file("seed-2025").parent / "seed-2025@2.toml").read_text(encoding="utf-8")
    text += "\n[parameters.gpus_per_gw.by_year.2025]\nvalue = 1.2\n"
    error = refused(text)
    assert "gpus_per_gw.by_year needs format = 2 (this file is format 1)" in error.message
    assert error.line == len(text.splitlines()) - 1


def test_the_layout_is_text_for_people() -> None:
    lines = layout_text()
    assert any(line.strip().startswith("counted_statuses: strings") for line in lines)
    assert any("it_power_per_package: table [W/gpu]" in line for line in lines)
    assert len(lines) == len(ALL_KEYS)


# ------------------------------------------------------------- a year written twice


def by_year_text(*years: str) -> str:
    """independent-2026 v4 with pue given by year under the spellings given."""
    text = SEED + "\n[parameters.pue]\nvalue = 1.2\nunit = 'W_facility/W'\n"
    text += "[parameters.pue.source]\ntitle = 't'\n"
    return text + "".join(f'[parameters.pue.by_year."{y}"]\nvalue = 1.2\n' for y in years)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (lambda: by_year_text("2025", "2026", "02026", "2027"), "parameters.pue.by_year"),
        (
            lambda: edited(V4, "[mix.2027]", '[mix."02026"]\nshares = { GB300 = 0.5 }\n[mix.2027]'),
            "mix",
        ),
        (
            lambda: edited(
                V4,
                'phasing = "even"',
                'phasing = "shares"\nshares = { "2026" = 0.5, "02026" = 1.0 }',
            ),
            "deals[1].shares",
        ),
    ],
    ids=["by_year", "mix", "deal-shares"],
)
def test_a_year_written_twice_is_refused_naming_both_spellings(text: Any, where: str) -> None:
    error = refused(text())
    assert f"{where}: the year 2026 is written twice, as '2026' and '02026'" in error.message
    assert error.line is not None


def test_a_year_once_with_leading_zeros_is_still_that_year() -> None:
    text = V4.replace("[mix.2026]", '[mix."02026"]').replace("[mix.2026.", '[mix."02026".')
    assert text != V4
    aset = parse_set(text)
    assert aset.timeline is not None and 2026 in aset.timeline.mix


# ------------------------------------------------------------- digits that are not ASCII


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("start = 2025\n", 'start = "²⁰²⁵"\n', "timeline.start is '²⁰²⁵', not a year"),
        ("start = 2025\n", 'start = "٢٠٢٥"\n', "not a year"),
        ("[mix.2026]", '[mix."²⁰²⁶"]', "not a year"),
    ],
)
def test_a_year_in_other_digits_is_refused_in_a_file(old: str, new: str, fragment: str) -> None:
    text = V4.replace(old, new)
    assert text != V4
    error = refused(text)
    assert fragment in error.message
    assert error.line is not None and new.strip() in text.splitlines()[error.line - 1]


def test_a_by_year_key_in_other_digits_is_refused() -> None:
    error = refused(by_year_text("2025", "2026", "²⁰³⁰"))
    assert "parameters.pue.by_year.²⁰³⁰ is '²⁰³⁰', not a year" in error.message


OTHER_DIGITS = ("⁰¹²³⁴⁵⁶⁷⁸⁹", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "०१२३४५६७८९")
YEARS_TEXT = st.integers(1900, 2300).map(str)


@given(
    st.one_of(
        YEARS_TEXT,
        st.tuples(YEARS_TEXT, st.sampled_from(OTHER_DIGITS)).map(
            lambda t: t[0].translate(str.maketrans("0123456789", t[1]))
        ),
        st.text(max_size=8),
        st.integers(),
        st.booleans(),
        st.floats(),
    )
)
def test_one_reader_of_years_takes_only_the_digits_0_to_9(value: str | int | float) -> None:
    number = None
    if isinstance(value, str) and value.isascii() and value.isdecimal():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    if number is not None and YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
        assert read_year(value) == number
    else:
        with pytest.raises(ParameterError, match="not a year"):
            read_year(value)


@pytest.mark.parametrize("text", ["²", "٣", "１２", "-1", "+1", "1_000", " 1", "1.0", "", "0x1"])
def test_one_reader_of_counts_refuses_what_int_would_take(text: str) -> None:
    with pytest.raises(ParameterError, match="digits 0-9"):
        read_whole(text)


@pytest.mark.parametrize(
    ("args", "fragment", "code"),
    [
        (("timeline", "-a", "independent-2026", "--from", "²²²²"), "'²²²²' is not a year", 1),
        (("timeline", "-a", "independent-2026", "--to", "٢٠٢٧"), "'٢٠٢٧' is not a year", 1),
        (
            ("diff", "seed-2025", "independent-2026", "--timeline", "--year", "²⁰²⁸"),
            "'²⁰²⁸' is not a year",
            1,
        ),
        (("gap", "--samples", "٢٠٠"), "'٢٠٠' is not a valid integer", 2),
        (("gap", "--samples", "100", "--seed", "３"), "'３' is not a valid integer", 2),
        (("sensitivity", "-a", "independent-2026", "--samples", "٢٠٠"), "not a valid integer", 2),
        (("gap", "-a", "seed-2025@²"), "version '²' is not a whole number", 1),
    ],
)
def test_other_digits_on_the_command_line_are_refused(
    args: tuple[str, ...], fragment: str, code: int
) -> None:
    assert_user_error(invoke(*args), fragment, code=code)


def test_a_bad_file_in_the_folder_is_named_and_the_rest_listed(isolated: Path) -> None:
    folder = isolated / "assumptions"
    folder.mkdir()
    (folder / "mine.toml").write_text(V4.replace("start = 2025\n", 'start = "²⁰²⁵"\n'))
    result = invoke("assumptions", "list")
    assert_contract(result)
    assert result.exit_code == 0 and result.stderr == ""  # as for a file that is not TOML
    assert "seed-2025@3" in result.stdout and "independent-2026@4" in result.stdout
    assert "mine.toml:" in result.stdout and "'²⁰²⁵', not a year" in result.stdout
    timeline = invoke("timeline", "-a", "independent-2026", "-q")
    assert timeline.exit_code == 0, timeline.stderr


# ------------------------------------------------------------- credibility at its extremes


@pytest.mark.parametrize("credibility", ["1e-300", "0.5", "99.95", "99.99999999999999", "nan"])
def test_a_credibility_beyond_its_bounds_is_refused(credibility: str) -> None:
    text = edited(V4, "\ndistribution = ", f"\ncredibility = {credibility}\ndistribution = ")
    text = text.replace('\ndistribution = "pert"', "", 1)  # credibility needs an interval kind
    error = refused(text)
    assert "is not a percentage from 1 to 99.9" in error.message
    assert error.line is not None
    assert text.splitlines()[error.line - 1].startswith("credibility")


@pytest.mark.parametrize("credibility", CREDIBILITY_BOUNDS)
@pytest.mark.parametrize("kind", ["lognormal", "normal"])
def test_a_credibility_at_its_bounds_samples_finite_values(credibility: float, kind: str) -> None:
    import random

    source = Source("t")
    param = Parameter("x", 400.0, "gpu", source, range=Range(300.0, 500.0, kind, credibility))
    validate_range(param)
    dist = Distribution(Range(300.0, 500.0, kind, credibility), 400.0, minimum=0.0)
    draws = dist.draw(random.Random(1).random, 2000)
    assert len(draws) == 2000 and all(math.isfinite(d) and d > 0 for d in draws)


def test_a_credibility_at_its_bounds_runs_gap_samples(tmp_path: Path) -> None:
    for credibility in ("1", "99.9"):
        text = edited(V4, "\ndistribution = ", f"\ncredibility = {credibility}\ndistribution = ")
        text = text.replace('\ndistribution = "pert"', "", 1)
        path = tmp_path / f"c{credibility}.toml"
        path.write_text(text)
        result = invoke("gap", "-a", str(path), "--samples", "2000", "-q")
        assert result.exit_code == 0, result.stderr
        assert "inf" not in result.stdout and "nan" not in result.stdout


# ------------------------------------------------------------- where a key is written

LINES = '''a = 1
s = """
[not.a.table]
b = 2
"""
[t]
"q.k" = [
  "[x]",
  { y = 1 },
]
d.e = 3
[[arr]]
k = 1
[arr.sub]
k = 2
[[arr]]
k = 3 # [[arr]]
'''


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("a",), 1),
        (("s",), 2),
        (("b",), None),
        (("t", "q.k"), 7),
        (("t", "d", "e"), 11),
        (("t", "y"), 6),  # not written: its table's line
        (("arr", 0, "k"), 13),
        (("arr", 0, "sub", "k"), 15),
        (("arr", 1, "k"), 17),
        (("arr", 1), 16),
    ],
)
def test_the_line_of_a_key_path(path: KeyPath, line: int | None) -> None:
    assert line_of(LINES, path) == line


def test_errors_still_are_gwcalc_errors() -> None:
    assert issubclass(AssumptionFileError, GwcalcError)


@pytest.mark.parametrize("credibility", [1e-300, 99.99999999999999, math.nan])
def test_a_range_built_in_python_is_checked_before_sampling(credibility: float) -> None:
    """The API takes sets built in Python, never loaded: sampling checks credibility too."""
    from dataclasses import replace

    from gwcalc import api
    from gwcalc.sets.find import resolve_set

    aset = resolve_set("independent-2026")
    param = aset.parameters["gpus_per_gw"]
    assert param.range is not None
    bad = replace(
        param, range=param.range._replace(distribution="lognormal", credibility=credibility)
    )
    with pytest.raises(ParameterError, match=r"gpus_per_gw: credibility .* from 1 to 99\.9"):
        api.gap(replace(aset, parameters={**aset.parameters, "gpus_per_gw": bad}), samples=100)


def test_a_table_where_an_array_of_tables_belongs_is_named_so() -> None:
    text = V4.replace("[[deals]]", "[deals]", 1).split("[deals]")[0] + "[deals]\nname = 'a'\n"
    assert "[[deals]]" in refused(text).message


def test_an_unknown_key_of_a_deal_names_which_deal() -> None:
    text = V4.replace("[[deals]]\n", "[[deals]]\nbuyr = 'x'\n").replace("\nbuyr = 'x'", "", 1)
    error = refused(text)
    assert "unknown key 'buyr' in the 2nd [[deals]]; did you mean 'buyer'?" in error.message
    assert error.key == "deals[2].buyr"


def test_a_status_counted_twice_is_refused(tmp_path: Path) -> None:
    text = (REPO / "assumptions" / "independent-2026@4.toml").read_text(encoding="utf-8")
    assert 'counted_statuses = ["contract"]' in text
    doubled = text.replace(
        'counted_statuses = ["contract"]', 'counted_statuses = ["contract", "contract"]'
    )
    path = tmp_path / "twice.toml"
    path.write_text(doubled, encoding="utf-8")
    result = invoke("timeline", "-a", str(path))
    assert result.exit_code == 1 and result.stdout == ""
    assert "counted_statuses lists 'contract' more than once" in result.stderr


def test_file_errors_say_what_to_write(tmp_path: Path) -> None:
    text = (REPO / "assumptions" / "independent-2026@4.toml").read_text(encoding="utf-8")
    cases = [
        ('counted_statuses = ["contract"]', 'counted_statuses = ["contrct"]', "'contrct'"),
        ("shares = { GB200 = 0.21,", "shares = { GB20 = 0.21,", "did you mean 'GB200'"),
        ("value = 1200000\n", 'value = "1.2M"\n', "must be a number, not '1.2M'"),
    ]
    for old, new, fragment in cases:
        assert old in text, old
        path = tmp_path / "edited.toml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        result = invoke("assumptions", "check", str(path))
        assert (result.exit_code, result.stdout) == (1, ""), old
        assert fragment in result.stderr and "\n  hint: " in result.stderr, result.stderr
