"""gwcalc's own quantity grammar: any text is read as a reference reading says, or refused."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gwcalc.errors import ParameterError, QuantityError, UnitError
from gwcalc.sets.overrides import parse_override
from gwcalc.units.registry import Q_, format_quantity, parse_quantity, parse_unit, unit_text, ureg
from tests import strategies as gs
from tests.helpers import assert_user_error, invoke, json_output

# ---------------------------------------------------------------- a reference reading

# The grammar again, written independently: regular expressions for the number and for a flat
# unit expression, parentheses removed innermost first, and pint's own parser evaluating the
# unit text once it is known to hold only known names, '*', '/' and parentheses.
_W = r"[ \t]*"
_NUM = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_QTY = re.compile(
    rf"(?P<sign>[+-])?{_W}(?P<dollar>\$)?{_W}(?P<num>{_NUM})"
    rf"(?:{_W}(?P<scale>bn|tn|[kKMBT])(?![A-Za-z_]))?{_W}(?P<tail>.*)",
    re.S,
)
_REF_SCALES = {None: 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "bn": 1e9, "T": 1e12, "tn": 1e12}
_NAME = r"(?:[A-Za-z_][A-Za-z0-9_]*|%|\$)"
_FLAT = rf"{_W}{_NAME}{_W}(?:[*/]{_W}{_NAME}{_W})*"
_GROUP = re.compile(rf"\({_FLAT}\)")


def _ref_units(expr: str, per: bool = False) -> Any:
    """Units of a unit expression by the grammar (after an implied '1' if per), or None."""
    flat = ("X" if per else "") + expr
    while _GROUP.search(flat):
        flat = _GROUP.sub(" X ", flat)  # spaced: a group never joins a name beside it
    if not re.fullmatch(_FLAT, flat):
        return None
    names = re.findall(_NAME, expr)
    if any(n not in ("$", "%") and not ureg.parse_unit_name(n) for n in names):
        return None
    text = ("1" if per else "") + expr.replace("$", " USD ").replace("%", " percent ")
    units = ureg.parse_units(text)
    return None if units == ureg.dimensionless else units  # units that cancel are refused


def reference_quantity(text: str) -> tuple[float, Any] | None:
    """(value, units) that text means by the grammar, or None if it has no meaning."""
    text = text.strip(" \t\r\n")
    m = _QTY.fullmatch(text)
    if not text or len(text) > 200 or m is None:
        return None
    value = float(m["num"]) * _REF_SCALES[m["scale"]] * (-1 if m["sign"] == "-" else 1)
    tail = m["tail"]
    if not math.isfinite(value) or "$" in tail:
        return None
    if not tail:
        return value, ureg.USD if m["dollar"] else ureg.dimensionless
    if m["dollar"] and tail[0] not in "*/":
        return None
    units = _ref_units(("$" if m["dollar"] else "") + tail, tail[0] in "*/" and not m["dollar"])
    return None if units is None else (value, units)


def reference_unit(text: str) -> Any:
    """The units text means by the grammar, or None."""
    text = text.strip(" \t\r\n")
    if text == "dimensionless":
        return ureg.dimensionless
    if not text or len(text) > 200:
        return None
    one = re.match(rf"1{_W}(?=/)", text)
    return _ref_units(text) if one is None else _ref_units(text[one.end() :], per=True)


def _read(text: str) -> tuple[float, Any] | None:
    try:
        q = parse_quantity(text)
    except QuantityError:
        return None
    return q.magnitude, q.units


def _read_unit(text: str) -> Any:
    try:
        return parse_unit(text)
    except UnitError:
        return None


# ---------------------------------------------------------------- any text

_UNIT_NAMES = ["GW", "MW", "gpu", "GPU", "wafer", "die", "USD", "USD_all_in", "GW_facility"]
_UNIT_NAMES += ["yr", "month", "h", "TWh", "W", "kW", "percent", "wafers", "furlong", "gw"]
_PIECES = st.sampled_from(
    [
        *_UNIT_NAMES,
        *"0123456789.eE+-$%*/()^",
        *("**", " ", "  ", "\t", "\n", ",", "'", "_", "=", ";", "#", "!", "😀", "١", "\u00a0"),
        *("k", "K", "M", "B", "bn", "T", "tn", "1/", "6", "500", "1e9", ".5", "nan", "inf"),
    ]
)
any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("0123456789.eE+-$%*/() ,'_kMBTGWgpu")),
    st.lists(_PIECES, max_size=10).map("".join),
)


@settings(max_examples=300)
@given(text=any_text)
def test_any_text_is_read_as_the_reference_reads_it_or_refused(text: str) -> None:
    assert _read(text) == reference_quantity(text), text


@settings(max_examples=300)
@given(text=any_text)
def test_any_unit_text_is_read_as_the_reference_reads_it_or_refused(text: str) -> None:
    assert _read_unit(text) == reference_unit(text), text


# ---------------------------------------------------------------- valid text, built up

_NAMES = st.sampled_from([u for units in gs.KIND_UNITS.values() for u in units if u != "$"])
_NAMES = _NAMES | st.sampled_from([*gs.TIME_UNITS, "%", "h", "TWh", "Wh_facility", "s"])
_SCALE_WORDS = st.sampled_from(["", "k", "K", "M", "B", "bn", "T", "tn"])
_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(str),
    st.floats(min_value=0, max_value=1e12, allow_nan=False).map(repr),
    st.sampled_from([".5", "5.", "1e9", "2.5E-3", "7e+2", "0.0"]),
)
_GAPS = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def unit_exprs(draw: st.DrawFn, depth: int = 2) -> tuple[str, dict[str, int]]:
    """A unit expression and the exponent of each name in it (left to right, '/' divides)."""
    parts = draw(st.lists(st.sampled_from(["*", "/"]), max_size=3))
    text, exponents = _factor(draw, depth)
    for op in parts:
        inner, more = _factor(draw, depth)
        sign = 1 if op == "*" else -1
        for name, e in more.items():
            exponents[name] = exponents.get(name, 0) + sign * e
        text += f"{draw(_GAPS)}{op}{draw(_GAPS)}{inner}"
    return text, exponents


def _factor(draw: st.DrawFn, depth: int) -> tuple[str, dict[str, int]]:
    if depth > 0 and draw(st.booleans()):
        inner, exponents = draw(unit_exprs(depth - 1))
        return f"({inner})", exponents
    name = draw(_NAMES)
    return name, {name: 1}


def _units_of(exponents: dict[str, int]) -> Any:
    units = ureg.dimensionless
    for name, e in exponents.items():
        units *= ureg.Unit("percent" if name == "%" else name) ** e
    return units


@st.composite
def valid_quantities(draw: st.DrawFn) -> tuple[str, float, Any]:
    """Text by the grammar, with the value and units it means (worked out from its parts)."""
    sign = draw(st.sampled_from(["", "-", "+"]))
    dollar = draw(st.booleans())
    number, scale = draw(_NUMBERS), draw(_SCALE_WORDS)
    value = float(number) * _REF_SCALES[scale or None] * (-1 if sign == "-" else 1)
    expr, exponents = draw(unit_exprs())
    units = _units_of(exponents)
    if dollar:
        op = draw(st.sampled_from(["", "*", "/"]))
        grouped = f"({expr})" if op == "/" and any(c in expr for c in "*/") else expr
        tail = f"{op}{draw(_GAPS)}{grouped}" if op else ""  # '$1/a*b' is ($1/a)*b
        units = ureg.USD * (units if op == "*" else 1 / units if op else 1)
        text = f"{sign}${number}{scale}{tail}"
    else:
        gap = " " if scale and expr[0].isalpha() else draw(_GAPS)  # '5 kW' is not 5k W
        gap = " " if not scale and expr[0] in "eE" else gap  # '5 e' is not 5e
        text = f"{sign}{number}{scale}{gap}{expr}"
    assume(len(text) <= 200)  # longer input is refused as too long, whatever it says
    return text, value, units


@st.composite
def near_valid(draw: st.DrawFn) -> str:
    """Valid text with one edit: a piece inserted, a character deleted or doubled, or more
    units appended (side by side, or after an operator or a stray character)."""
    text = draw(valid_quantities())[0]
    at = draw(st.integers(min_value=0, max_value=len(text)))
    edit = draw(st.sampled_from(["insert", "delete", "double", "append"]))
    if edit == "append":
        joint = draw(st.sampled_from(["", " ", "*", " / ", "=", ",", "$", "1/", ")", "("]))
        return text + joint + draw(unit_exprs())[0]
    if edit == "insert":
        piece: str = draw(_PIECES)
        return text[:at] + piece + text[at:]
    return text[:at] + (text[at : at + 1] if edit == "double" else "") + text[at + 1 :]


@settings(max_examples=300)
@given(text=near_valid())
def test_nearly_valid_text_is_read_as_the_reference_reads_it_or_refused(text: str) -> None:
    assert _read(text) == reference_quantity(text), text


@given(case=valid_quantities())
def test_valid_text_means_what_it_says(case: tuple[str, float, Any]) -> None:
    text, value, units = case
    expected = None if units == ureg.dimensionless else (value, units)
    assert reference_quantity(text) == expected, text  # the reference is not vacuous
    assert _read(text) == expected, text


@given(case=unit_exprs())
def test_valid_unit_text_means_what_it_says(case: tuple[str, dict[str, int]]) -> None:
    text, exponents = case
    units = _units_of(exponents)
    expected = None if units == ureg.dimensionless else units
    if len(text.strip(" \t\r\n")) > 200:  # refused as too long, whatever it says (the
        expected = None  # nested strategy reaches 200 characters only rarely: dev profile)
    assert reference_unit(text) == expected, text
    assert _read_unit(text) == expected, text


# ---------------------------------------------------------------- what gwcalc prints reads back


@given(
    x=gs.printable_floats,
    exponents=st.dictionaries(_NAMES, st.integers(min_value=-3, max_value=3), max_size=3),
    sig=gs.significant_digits,
)
def test_any_printed_quantity_reads_back(x: float, exponents: dict[str, int], sig: int) -> None:
    q = Q_(x, _units_of(exponents))
    text = format_quantity(q, sig)
    assert "**" not in text and "^" not in text
    back = parse_quantity(text)
    assert back.units == q.units or (back.units == ureg.dimensionless and q.unitless)
    tolerance = 0.5 * 10 ** (1 - sig) * (1 + 1e-9)
    assert back.to(q.units).magnitude == pytest.approx(x, rel=tolerance, abs=1e-300)
    if q.units != ureg.dimensionless:
        assert parse_unit(unit_text(q.units)) == q.units


def test_a_power_is_printed_as_a_product() -> None:
    assert unit_text(parse_unit("GW/yr/yr")) == "GW_IT/yr/yr"
    assert unit_text(parse_unit("GW*GW/(h*USD*USD)")) == "GW_IT*GW_IT/h/USD_hw/USD_hw"
    assert format_quantity(Q_(2.0, parse_unit("1/GW"))) == "2 /GW_IT"


# ---------------------------------------------------------------- regressions (issue 6)

# each of these was a silent wrong number with exit 0: pint's clean-up ran before gwcalc's checks
SILENT = [
    ("1'000 GW", "'"),  # was 0 GW
    ("1,5 GW", ","),  # was 15 GW
    ("1.000,5 GW", ","),  # was 1.0005 GW
    ("1,0,0 GW", ","),  # was 100 GW
    ("1_000 GW", "_"),
    ("2=3 GW", "="),  # stray characters multiplied: 6 GW
    ("2;3 GW", ";"),
    ("2 😀 3 GW", "😀"),
    ("6 GW !!!", "!"),  # trailing junk dropped
    ("6 GW#x", "#"),
    ("1 000 GW", "second number"),
    ("6 GW GW", "side by side"),
    ("$20B GW", "side by side"),
    ("6 GW $", "'$' must come before the number"),
    ("6 1/GW", "second number"),
]


@pytest.mark.parametrize(("text", "says"), SILENT)
def test_text_pint_would_clean_up_is_refused(text: str, says: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert says in info.value.message
    assert "at character" in info.value.message


def test_a_separator_error_says_how_to_write_the_number() -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity("1,000 GW")
    assert "(at character 2)" in info.value.message
    assert info.value.hint is not None and "'1000 GW' or '1k GW'" in info.value.hint


@pytest.mark.parametrize(
    "text", ["gpu 😀", "gpu/GW junk", "GW GW", "GW*", "(GW", "gpu/gpu", "1", "GW*(1/h)", "GW 1/h"]
)
def test_a_unit_with_junk_is_refused(text: str) -> None:
    with pytest.raises(UnitError):
        parse_unit(text)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        *(("-6 GW", -6, "GW"), ("-$20B", -20e9, "USD"), ("$20B/GW", 20e9, "USD/GW")),
        *(("6/GW", 6, "1/GW"), ("20B USD", 20e9, "USD"), ("5 T W", 5e12, "W")),
        *(("2.5E-3 GW", 2.5e-3, "GW"), ("6 GW/yr/yr", 6, "GW/yr/yr"), ("7 %", 0.07, "")),
        ("1 USD/(GW*yr)", 1, "USD/GW/yr"),
    ],
)
def test_the_grammar_reads(text: str, value: float, unit: str) -> None:
    q = parse_quantity(text)
    target = parse_unit(unit) if unit else ureg.dimensionless
    assert q.to(target).magnitude == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "says"),
    [("gpus_per_gw=400k gpu/GW=2", "second '='"), ("pue==1.2", "second '='")],
)
def test_an_override_takes_one_quantity(text: str, says: str) -> None:
    with pytest.raises(ParameterError) as info:
        parse_override(text)
    assert says in info.value.message


def test_percent_is_a_hundredth_for_every_parameter() -> None:
    from tests.strategies import SEED

    shared = SEED.with_overrides([parse_override("vendor_share=50%")])
    assert shared.quantity("vendor_share").to(ureg.dimensionless).magnitude == 0.5
    with pytest.raises(ParameterError) as info:  # was read as 50 gpu/wafer
        SEED.with_overrides([parse_override("gpus_per_wafer=50%")])
    assert "does not match" in info.value.message
    bare = SEED.with_overrides([parse_override("gpus_per_wafer=30")])  # no unit: the set's
    assert bare.quantity("gpus_per_wafer") == Q_(30.0, parse_unit("gpu/wafer"))


# ---------------------------------------------------------------- at the command line


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("convert", "--", "1,5 GW"), ("','", "(at character 2)", "1000 GW")),
        (("convert", "--", "1'000 GW"), ('"\'"', "1k GW")),
        (("convert", "--", "2 😀 3 GW"), ("'😀'",)),
        (("convert", "--", "6 GW !!!"), ("'!'",)),
        (("convert", "6 GW", "--to", "gpu 😀"), ("'😀'",)),
        (("gap", "--set", "gpus_per_gw=400k gpu/GW=2"), ("second '='",)),
        (("gap", "--set", "pue==1.2"), ("second '='",)),
        (("gap", "--set", "gpus_per_wafer=50%"), ("gpus_per_wafer", "does not match")),
        (("gap", "--demand", "1,5 GW"), ("','",)),
        (("gap", "--unit", "GW junk"), ("side by side",)),
    ],
)
def test_cli_refuses_what_it_cannot_read_exactly(
    args: tuple[str, ...], fragments: tuple[str, ...]
) -> None:
    assert_user_error(invoke(*args), *fragments)


def test_cli_prints_a_rate_of_a_rate_so_that_it_reads_back() -> None:
    doc = json_output(invoke("convert", "6 GW/yr/yr", "--to", "gpu/yr/yr", "--json"))
    assert doc["input"]["unit"] == "GW_IT/yr/yr"  # was GW_IT/yr**2, which gwcalc cannot read
    assert parse_unit(doc["input"]["unit"]) == parse_unit("GW/yr/yr")
    assert [r["unit"] for r in doc["results"]] == ["gpu/yr/yr"]
    table = invoke("convert", "6 GW/yr/yr", "--to", "gpu/yr/yr")
    assert table.exit_code == 0 and table.stderr == ""
    assert "6 GW_IT/yr/yr" in table.stdout and "**" not in table.stdout


def test_cli_reads_percent_as_a_hundredth() -> None:
    doc = json_output(invoke("gap", "--set", "vendor_share=50%", "--json"))
    assert doc["assumptions"]["overrides"]["vendor_share"] == {"value": 0.5, "unit": ""}
