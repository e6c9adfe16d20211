"""The unit registry: what users may type, what gwcalc prints, and that one reads the other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.errors import GwcalcError, QuantityError, UnitError
from gwcalc.units.registry import (
    KINDS,
    Q_,
    Quantity,
    describe_dimensions,
    dimensions,
    format_number,
    format_quantity,
    parse_quantity,
    parse_unit,
    unit_text,
    ureg,
)
from tests import strategies as gs

REL = 1e-12


def same(q: Quantity, value: float, unit: str) -> None:
    """q equals value × unit: the same dimensions and the same magnitude in that unit."""
    target = parse_unit(unit) if unit else ureg.dimensionless
    assert dimensions(q) == dimensions(Q_(1.0, target))
    assert q.to(target).magnitude == pytest.approx(value, rel=REL)


# ---------------------------------------------------------------- what users type


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("6 GW", 6, "GW"),
        ("6GW", 6, "GW"),
        ("  6 GW  ", 6, "GW"),
        ("6 GW_IT", 6, "GW"),
        ("6000 MW", 6, "GW"),
        ("500k gpu/GW", 500_000, "gpu/GW"),
        ("500K gpu/GW", 500_000, "gpu/GW"),
        ("$20B", 20e9, "USD"),
        ("$ 20B", 20e9, "USD"),
        ("$20B/GW", 20e9, "USD/GW"),
        ("20bn USD", 20e9, "USD"),
        ("20 B USD", 20e9, "USD"),
        ("1.4T USD", 1.4e12, "USD"),
        ("$1.4T", 1.4e12, "USD"),
        ("1.4tn USD_all_in", 1.4e12, "USD_all_in"),
        ("46.7B USD_all_in/GW_facility", 46.7e9, "USD_all_in/GW_facility"),
        ("75000 wafer/month", 75_000, "wafer/month"),
        ("75k wafer/month", 900_000, "wafer/year"),
        ("900k wafer/yr", 900_000, "wafer/year"),
        ("3.2M gpu", 3.2e6, "gpu"),
        ("3.2M GPU", 3.2e6, "gpu"),
        ("3.2M package", 3.2e6, "gpu"),
        ("1.5e3M gpu", 1.5e9, "gpu"),
        (".5k die", 500, "die"),
        ("2 GW_facility", 2, "GW_facility"),
        ("1.4 W_facility/W", 1.4, "W_facility/W"),
        ("50%", 0.5, ""),
        ("0.5", 0.5, ""),
        # a letter right after M, k or T is a prefix of the unit, not a scale word
        ("6 MW", 6e6, "W"),
        ("5 kW", 5000, "W"),
        ("1 TW", 1e12, "W"),
        ("5k W", 5000, "W"),
        ("1T W", 1e12, "W"),
    ],
)
def test_parse_quantity_reads_what_users_write(text: str, value: float, unit: str) -> None:
    same(parse_quantity(text), value, unit)


def test_parse_quantity_returns_a_float_magnitude() -> None:
    q = parse_quantity("6 GW")
    assert type(q.magnitude) is float


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "nan GW",
        "NaN GW",
        "inf GW",
        "-inf GW",
        "1e400 GW",
        "1e308T GW",
        "6 furlongs",
        "six GW",
        "6 GW +",
        "(",
        "6 GW**2",
        "6 GW^2",
        "20B$",
        "6 GW " + "x" * 200,
        "1,5 GW",
        "1'000 GW",
        "6 GW !!!",
        "2 gpu/gpu",
    ],
)
def test_parse_quantity_rejects_with_a_gwcalc_error(text: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert isinstance(info.value, GwcalcError)
    assert info.value.message  # a message a user can read


def test_unknown_unit_error_names_the_unit_and_hints_at_known_ones() -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity("6 furlongs")
    assert "furlongs" in info.value.message
    assert info.value.hint is not None and "GW" in info.value.hint


# regression: pint multiplied adjacent numbers ('1 000 GW' was 0 GW, '1.2.3 GW' 0.36 GW)
@pytest.mark.parametrize("text", ["1.2.3 GW", "1 000 GW", "12..5 GW", "6 6 GW"])
def test_parse_quantity_rejects_malformed_numbers(text: str) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("gpu", "gpu"),
        ("GW/year", "GW/yr"),
        ("$", "USD"),
        ("$/GW", "USD/GW"),
        ("USD_all_in/GW_facility", "USD_all_in/GW_facility"),
        ("%", "percent"),
        ("wafer/mo", "wafer/month"),
        ("1/GW", "1/GW"),
        ("USD / (GW * yr)", "USD/GW/yr"),
        ("GW/yr/yr", "GW/yr**2"),
    ],
)
def test_parse_unit(text: str, unit: str) -> None:
    assert parse_unit(text) == ureg.parse_units(unit)


@pytest.mark.parametrize(
    "text", ["", "bogus", "GW/", "GW**2", "GW^2", "1000 GW", "2", "GW GW", "gpu/gpu", "GW !"]
)
def test_parse_unit_rejects_with_a_gwcalc_error(text: str) -> None:
    with pytest.raises((UnitError, QuantityError)) as info:
        parse_unit(text)
    assert isinstance(info.value, GwcalcError)


# ---------------------------------------------------------------- units are consistent


def test_time_units() -> None:
    same(parse_quantity("1 year"), 365.25, "day")
    same(parse_quantity("1 month"), 1 / 12, "year")
    same(parse_quantity("1 quarter"), 3, "month")
    same(parse_quantity("1 week"), 7, "day")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("6 GW", "6000 MW"),
        ("6 GW", "6e9 W"),
        ("6 GW", "6GW"),
        ("$20B", "20000M USD"),
        ("$20B", "20e9 USD_hw"),
        ("500k gpu/GW", "500 gpu/MW"),
        ("75k wafer/month", "900k wafer/year"),
        ("75k wafer/month", "225k wafer/quarter"),
        ("3.2M gpu", "3200k GPU"),
    ],
)
def test_the_same_quantity_written_two_ways(a: str, b: str) -> None:
    qa, qb = parse_quantity(a), parse_quantity(b)
    assert dimensions(qa) == dimensions(qb)
    assert qa.to(qb.units).magnitude == pytest.approx(qb.magnitude, rel=REL)


@given(x=gs.magnitudes)
def test_per_month_is_twelve_times_per_year(x: float) -> None:
    monthly = parse_quantity(f"{x!r} wafer/month")
    yearly = parse_quantity(f"{12 * x!r} wafer/year")
    assert monthly.to(yearly.units).magnitude == pytest.approx(yearly.magnitude, rel=REL)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1 GW", "1 GW_facility"),
        ("1 gpu", "1 die"),
        ("1 USD", "1 USD_all_in"),
        ("1 wafer", "1 gpu"),
    ],
)
def test_each_basis_is_its_own_dimension(a: str, b: str) -> None:
    assert dimensions(parse_quantity(a)) != dimensions(parse_quantity(b))


def test_every_kind_has_a_display_unit_of_that_kind() -> None:
    for dimension, kind in KINDS.items():
        assert dimensions(Q_(1.0, parse_unit(kind.display_unit))) == {dimension: 1}


def test_describe_dimensions() -> None:
    assert describe_dimensions({}) == "a plain number"
    text = describe_dimensions({"[gpu_package]": 1, "[it_power]": -1})
    assert text == "GPU packages per IT power"


# regression: GW² was described as 'IT power'
def test_describe_dimensions_tells_squares_apart() -> None:
    assert describe_dimensions({"[it_power]": 2}) != describe_dimensions({"[it_power]": 1})


# ---------------------------------------------------------------- what gwcalc prints


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (6.75e6, "6.75M"),
        (13.5, "13.5"),
        (1e12, "1T"),
        (1.4e12, "1.4T"),
        (20e9, "20B"),
        (500_000, "500k"),
        (999, "999"),
        (0.27, "0.27"),
        (0, "0"),
        (-6.75e6, "-6.75M"),
        (1e15, "1000T"),
    ],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_format_quantity() -> None:
    assert format_quantity(Q_(13.5, parse_unit("GW/year"))) == "13.5 GW_IT/yr"
    assert format_quantity(Q_(6.75e6, parse_unit("gpu"))) == "6.75M gpu"
    assert format_quantity(Q_(0.27, ureg.dimensionless)) == "0.27"


PRINTED_UNITS = [
    "wafer",
    "gpu",
    "die",
    "GW",
    "MW",
    "GW_facility",
    "USD",
    "USD_all_in",
    "wafer/month",
    "gpu/year",
    "GW/year",
    "USD/GW",
    "gpu/GW",
    "die/gpu",
    "W_facility/W",
    "USD_all_in/GW_facility",
    "USD/gpu",
    "W/gpu",
    "1/GW",
    "GWh",
    "%",
    "dimensionless",
]


@pytest.mark.parametrize("unit", PRINTED_UNITS)
def test_unit_text_reads_back(unit: str) -> None:
    units = ureg.dimensionless if unit == "dimensionless" else parse_unit(unit)
    text = unit_text(units)
    back = ureg.dimensionless if text == "dimensionless" else parse_unit(text)
    assert back == units


@given(x=gs.printable_floats, sig=gs.significant_digits)
def test_format_number_reads_back_within_its_precision(x: float, sig: int) -> None:
    text = format_number(x, sig)
    back = parse_quantity(text)
    assert dimensions(back) == {}
    # sig significant digits: off by at most half a unit in the last printed digit
    assert back.magnitude == pytest.approx(x, rel=0.5 * 10 ** (1 - sig) * (1 + 1e-9), abs=1e-300)


@given(x=gs.printable_floats, unit=st.sampled_from(PRINTED_UNITS), sig=gs.significant_digits)
def test_format_quantity_reads_back_within_its_precision(x: float, unit: str, sig: int) -> None:
    units = ureg.dimensionless if unit == "dimensionless" else parse_unit(unit)
    q = Q_(x, units)
    back = parse_quantity(format_quantity(q, sig))
    assert dimensions(back) == dimensions(q)
    expected = q.to(back.units).magnitude
    assert back.magnitude == pytest.approx(
        expected, rel=0.5 * 10 ** (1 - sig) * (1 + 1e-9), abs=1e-300
    )


@given(x=gs.magnitudes)
def test_repr_of_a_float_reads_back_exactly(x: float) -> None:
    # what --json prints (a Python float) is read back to the same float
    assert parse_quantity(f"{x!r} GW").magnitude == x


@pytest.mark.parametrize(
    "text",
    ["36.5 GW", "13.5 GW_IT/yr", "1T USD_all_in", "500k gpu/GW_IT", "20B USD/GW", "0.5", "3 /GW"],
)
def test_a_quantity_prints_in_gwcalcs_short_units_and_reads_back(text: str) -> None:
    # str(q) of the one registry's Quantities: 'GW_IT', not pint's 'gigawatt_it'
    q = parse_quantity(text)
    assert "gigawatt" not in str(q) and "usd_" not in str(q) and "watt_it" not in str(q)
    assert parse_quantity(str(q)) == q
    assert str(q.units) == "" or parse_unit(str(q.units)) == q.units


def test_the_api_gap_prints_as_the_cli_does() -> None:
    from gwcalc import api

    gap = api.gap("seed-2025")["gap"]
    assert str(gap) == "36.5 GW_IT"
    assert format_quantity(gap) == "36.5 GW_IT"


@pytest.mark.parametrize("text", ["2 GW/yr/yr", "6.75M gpu", "1.4T USD_all_in", "3 /GW"])
def test_format_quantity_is_the_clis_text_and_reads_back(text: str) -> None:
    # powers included: pint writes 'yr ** 2', which gwcalc's grammar refuses
    q = parse_quantity(text)
    assert parse_quantity(format_quantity(q)) == q


UNITS_TXT = """
tera- = 1e12 = T-
giga- = 1e9 = G-
mega- = 1e6 = M-
kilo- = 1e3 = k-
milli- = 1e-3 = m-
second = [time] = s = sec
minute = 60 * second = min
hour = 60 * minute = h = hr
day = 24 * hour = d
week = 7 * day = wk
year = 365.25 * day = yr
month = year / 12 = mo
quarter = year / 4 = qtr
percent = 0.01 = %
wafer = [wafer]
gpu = [gpu_package] = _ = GPU = package = pkg
die = [die]
watt_it = [it_power] = W_IT = watt = W
watt_facility = [facility_power] = W_facility
watt_hour_it = watt_it * hour = Wh_IT = Wh
watt_hour_facility = watt_facility * hour = Wh_facility
usd_hardware = [hardware_money] = USD_hw = USD = dollar
usd_all_in = [all_in_money] = USD_all_in
usd_contract = [contract_money] = USD_contract
usd_equity = [equity_money] = USD_equity
usd_revenue = [revenue_money] = USD_revenue
usd_nominal = [nominal_money] = USD_nominal
"""


def test_the_registry_is_the_one_pint_would_parse_from_the_same_definitions(
    tmp_path: Path,
) -> None:
    """gwcalc builds its registry from definition objects (no parsing at start-up); pint's own
    parser, given the same definitions as text, must make an identical registry."""
    import pint

    from gwcalc.units.definitions import build_registry

    path = tmp_path / "units.txt"
    path.write_text(UNITS_TXT, encoding="utf-8")
    parsed: pint.UnitRegistry[Any] = pint.UnitRegistry(
        str(path), cache_folder=None, autoconvert_offset_to_baseunit=False
    )
    built = build_registry()
    names = [line.split(" = ") for line in UNITS_TXT.strip().splitlines()]
    units = [n for parts in names if not parts[0].endswith("-") for n in [parts[0], *parts[2:]]]
    units = [u for u in units if not u.startswith("[") and u != "_"]
    assert set(units) <= set(dir(built)) and set(dir(built)) == set(dir(parsed))
    for prefix in ("", "k", "M", "G", "T", "m", "kilo", "giga"):
        for unit in units if not prefix else [u for u in units if u != "%"]:
            a = built.Quantity(1.0, prefix + unit).to_base_units()
            b = parsed.Quantity(1.0, prefix + unit).to_base_units()
            assert (a.magnitude, str(a.units)) == (b.magnitude, str(b.units)), prefix + unit
