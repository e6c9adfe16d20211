"""A range whose one end has a scale and the other is a bare number ('1..2T') is ambiguous when,
as written, its ends are reversed or 1,000 times apart or more: 1 or 1T are twelve orders of
magnitude apart. gwcalc refuses it, with the reading it would accept, wherever a range is read:
`--set NAME=LOW..HIGH` and inline ranges (`convert`, `gap --demand`). Written in full
('800k..900000') it is read as written."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc.errors import QuantityError
from gwcalc.sets.ranges import parse_value
from gwcalc.uncertainty.ranged_input import read_interval
from gwcalc.units.grammar import SCALE_WORDS, SCALES, range_scale_refusal
from tests.helpers import assert_user_error, invoke


@pytest.mark.parametrize(
    ("low", "high", "accepted"),
    [
        ("1", "2T", "1T..2T"),
        ("330k", "478", "330k..478k"),
        ("$1", "$2T", "$1T..$2T"),
        ("2 million", "3", "2 million..3 million"),
        ("0.5", "2M gpu", "0.5M..2M gpu"),
    ],
)
def test_one_scaled_end_is_refused_with_the_reading_accepted(
    low: str, high: str, accepted: str
) -> None:
    refusal = range_scale_refusal(low, high)
    assert refusal is not None
    assert f"'{low}..{high}'" in str(refusal)
    assert refusal.hint == f"write the scale on both ends ({accepted}?), or both ends in full"
    with pytest.raises(QuantityError, match="one end has a scale"):
        parse_value(f"{low}..{high}")


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("330k", "478k"),  # both scaled
        ("1k", "2M"),  # both scaled, with different scales: as written
        ("70%", "90%"),  # neither
        ("3", "6"),
        ("1 GW", "2k GW"),  # the bare end has its own unit: each end reads as written
        ("40", "60 GW"),
        ("0", "60B"),  # zero is zero at any scale
        ("800k", "900000"),  # the bare end written in full: as written
        ("38B", "50e9"),
        ("1.2M", "1800000 wafer/yr"),
    ],
)
def test_ranges_written_in_full_are_read(low: str, high: str) -> None:
    assert range_scale_refusal(low, high) is None


@given(
    st.integers(min_value=1, max_value=999_999),
    st.integers(min_value=1, max_value=999_999),
    st.sampled_from([*SCALES.items(), *((f" {w}", f) for w, f in SCALE_WORDS.items())]),
    st.booleans(),
)
def test_one_scaled_end_is_refused_exactly_when_reversed_or_1000_times_apart(
    low: int, high: int, scale: tuple[str, float], first: bool
) -> None:
    suffix, factor = scale
    ends = (f"{low}{suffix}", f"{high}") if first else (f"{low}", f"{high}{suffix}")
    values = (low * factor, high) if first else (low, high * factor)
    suspect = values[1] < values[0] or values[1] / values[0] >= 1000
    assert (range_scale_refusal(*ends) is not None) == suspect, (ends, values)
    assert range_scale_refusal(f"{low}{suffix}", f"{high}{suffix}") is None


def test_set_option_refuses_one_scaled_end() -> None:
    stderr = assert_user_error(
        invoke("gap", "-a", "market-2026@4", "--set", "gpus_per_gw=330..478k", "--samples", "100"),
        "--set: '330..478k': one end has a scale (k) and the other (330) has none; as written, "
        "the ends are 1,448 times apart",
        "write the scale on both ends (330k..478k?)",
    )
    assert stderr.count("Error:") == 1


def test_inline_range_refuses_one_scaled_end() -> None:
    with pytest.raises(QuantityError, match="one end has a scale"):
        read_interval("1..2M wafer/yr")
    assert_user_error(
        invoke("convert", "1..2M wafer/yr", "--to", "GW/yr", "--samples", "100"),
        "'1..2M wafer/yr': one end has a scale (M) and the other (1) has none",
        "(1M..2M wafer/yr?)",
    )


def test_a_range_where_one_quantity_is_read_says_so() -> None:
    """diff --convert reads one quantity (its --samples sample the gap, not the conversion): a
    range there is named as a range, not 'a second number'."""
    stderr = assert_user_error(
        invoke(
            "diff",
            "seed-2025",
            "--set",
            "gpus_per_wafer=7.5",
            "--convert",
            "1M..2M wafer",
            "--to",
            "gpu",
        ),
        "'1M..2M wafer' is a range, where one quantity is read",
        "read where a quantity or a figure is sampled",
    )
    assert "second number" not in stderr
