"""What -q and the tables print reads back through gwcalc's own grammar as the number shown, to
its printed precision (issue 15, item 9): from 1e-30 to the largest float, either sign."""

from __future__ import annotations

import math
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.units.grammar import read_quantity
from gwcalc.units.registry import format_number, format_percent, format_points, parse_quantity
from tests.helpers import invoke, json_output

EPS = sys.float_info.epsilon
TOP = sys.float_info.max


def magnitudes(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats of either sign between low and high in size, spread over the decades."""
    sizes = st.floats(math.log10(low), math.log10(high)).map(_power_of_ten)
    exact = st.floats(min_value=low, max_value=high)  # the ends, and values of every digit
    return st.tuples(sizes | exact, st.booleans()).map(lambda t: -t[0] if t[1] else t[0])


def _power_of_ten(exponent: float) -> float:
    """10^exponent, the largest float where that is beyond floats (10.0 ** 308.2547 raises)."""
    try:
        return min(float(10.0**exponent), TOP)
    except OverflowError:
        return TOP


def printed_unit(x: float, sig: int) -> float:
    """The size of one unit in the last printed digit of x at sig significant digits."""
    exponent = Decimal(x).adjusted()  # of x itself; rounding up a decade only widens the unit
    return float(Decimal(10) ** (exponent - sig + 1))


def read_number(text: str) -> float:
    parsed = read_quantity(text)
    assert parsed.factors == (), text
    return parsed.value


@given(x=magnitudes(1e-30, 1e300), sig=st.integers(1, 12))
def test_a_printed_number_reads_back_as_itself(x: float, sig: int) -> None:
    text = format_number(x, sig)
    assert "e" not in text or text[-1].isdigit(), text  # no exponent with a suffix: 5e+295T
    back = read_number(text)
    assert math.isfinite(back)
    assert abs(back - x) <= 0.5 * printed_unit(x, sig) * (1 + 1e-9) + 4 * EPS * abs(x), text


@given(x=magnitudes(1e300, TOP), sig=st.integers(1, 12))
def test_a_number_at_the_top_of_floats_reads_back_within_its_last_digit(x: float, sig: int) -> None:
    # rounding 1.7976931e308 to 4 digits away from zero gives 1.798e308, beyond floats: gwcalc
    # prints 1.797e+308 instead, one unit of its last digit off at most, and never inf
    back = read_number(format_number(x, sig))
    assert math.isfinite(back)
    assert abs(back - x) <= printed_unit(x, sig) * (1 + 1e-9) + 4 * EPS * abs(x)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (TOP, "1.797e+308"),
        (-TOP, "-1.797e+308"),
        (5e307, "5e+307"),  # was 5e+295T
        (1.5e283 * 1e12, "1.5e+295"),
        (999_950.0, "1M"),  # was 1000k
        (1e15, "1000T"),
        (1e16, "1e+16"),
    ],
)
def test_format_number_edges(value: float, text: str) -> None:
    assert format_number(value) == text


@given(ratio=magnitudes(1e-30, 1e300) | st.just(0.0), decimals=st.integers(0, 2))
def test_a_printed_percent_reads_back_as_the_ratio(ratio: float, decimals: int) -> None:
    text = format_percent(ratio, decimals)
    parsed = read_quantity(text)
    assert [f[0] for f in parsed.factors] == ["%"], text
    assert abs(parsed.value / 100 - ratio) <= percent_tolerance(ratio, decimals), text


def percent_tolerance(ratio: float, decimals: int = 1) -> float:
    """Half a unit of a printed percent's last digit, as a ratio: fixed decimals below a
    million percent, else format_number's 4 significant digits."""
    points = abs(ratio) * 100
    if points < 1e6:
        return 0.5 * 10.0**-decimals / 100 * (1 + 1e-9) + 4 * EPS * points
    return 0.5 * printed_unit(ratio * 100, 4) / 100 * (1 + 1e-6)


@pytest.mark.parametrize(
    ("points", "sign", "text"),
    [(27.04, False, "27.0%"), (22.1, True, "+22.1%"), (-6.44, True, "-6.4%"),
     (3e298, False, "3e+298%"), (1.5e6, True, "+1.5M%")],
)  # fmt: skip
def test_format_points(points: float, sign: bool, text: str) -> None:
    assert format_points(points, sign=sign) == text


# ---------------------------------------------------------------- -q lines, read back


decades = st.floats(min_value=-250, max_value=250, allow_nan=False)


@given(
    name=st.sampled_from(["cowos_wafers_per_year", "gpus_per_gw", "contracted_spend"]),
    power=decades,
)
def test_gap_quiet_lines_read_back_as_the_json_values(name: str, power: float) -> None:
    given_value = f"{10.0**power:.6g}"
    quiet = invoke("gap", "--set", f"{name}={given_value}", "-q")
    document = invoke("gap", "--set", f"{name}={given_value}", "--json")
    if quiet.exit_code != 0:  # refused: the same refusal whatever the format
        assert document.exit_code == quiet.exit_code
        return
    doc = json_output(document)
    for line in quiet.stdout.splitlines():
        output, text = line.split(" ", 1)
        expected = doc[output]["value"]
        back = parse_quantity(text)
        if text.endswith("%"):
            assert abs(float(back.to("").magnitude) - expected) <= percent_tolerance(expected)
        else:
            assert (
                back.units == parse_quantity(f"1 {doc[output]['unit']}").units
                or not doc[output]["unit"]
            )
            assert float(back.magnitude) == pytest.approx(expected, rel=0.5e-2), line


@given(power=decades)
def test_timeline_quiet_lines_read_back_as_the_json_gaps(power: float) -> None:
    args = ("timeline", "--set", f"cowos_wafers_per_year={10.0**power:.6g}")
    quiet, document = invoke(*args, "-q"), invoke(*args, "--json")
    if quiet.exit_code != 0:
        assert document.exit_code == quiet.exit_code
        return
    gaps = {str(y["year"]): y["gap"]["value"] for y in json_output(document)["years"]}
    for line in quiet.stdout.splitlines():
        year, text = line.split(" ", 1)
        if year in gaps:
            back = float(parse_quantity(text).magnitude)
            assert back == pytest.approx(gaps[year], rel=0.5e-3, abs=1e-300), line
