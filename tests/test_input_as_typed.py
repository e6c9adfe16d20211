"""Input as people type it (issue 20 item 3): unquoted words, number words, chip names in any
case — and never a guess that changes a number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.cli.inputs import join_unquoted
from gwcalc.errors import QuantityError, UnitError
from gwcalc.units.chips import chip_named
from gwcalc.units.grammar import read_quantity, split_quantity
from tests.helpers import assert_contract, assert_user_error, invoke
from tests.strategies import KIND_UNITS

WORDS = {"thousand": "k", "million": "M", "billion": "B", "trillion": "T"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2 million gpu", 2e6),
        ("2 Million gpu", 2e6),
        ("1.5 BILLION USD", 1.5e9),
        ("$1 trillion", 1e12),
        ("500 thousand gpu/GW", 5e5),
        ("-3 million wafer/month", -3e6),
        ("2 million", 2e6),
    ],
)
def test_number_words_scale_the_number(text: str, value: float) -> None:
    assert read_quantity(text).value == value


@given(
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.sampled_from(sorted(WORDS)),
    st.sampled_from([u for units in KIND_UNITS.values() for u in units if u != "$"]),
    st.sampled_from(["lower", "upper", "title"]),
)
def test_a_word_reads_as_its_letter(number: float, word: str, unit: str, case: str) -> None:
    """'2 million gpu' is exactly '2M gpu', in any case of the word; the fast path of streams
    leaves it to the full grammar, which reads it the same."""
    written = getattr(word, case)()
    as_word = read_quantity(f"{number!r} {written} {unit}")
    as_letter = read_quantity(f"{number!r}{WORDS[word]} {unit}")
    assert as_word.value == as_letter.value
    assert [f[0] for f in as_word.factors] == [f[0] for f in as_letter.factors]
    assert split_quantity(f"{number!r} {written} {unit}") is None
    assert split_quantity(f"{number!r} {written}") is None


def test_a_word_glued_to_more_letters_is_a_unit_name() -> None:
    """'2 millions gpu' is not read as 2M: 'millions' is an unknown unit, refused."""
    with pytest.raises(QuantityError):
        api.convert("2 millions gpu", "GW")


def test_number_words_through_a_stream_equal_a_single_conversion() -> None:
    lines = "2 billion USD\n2B USD\n"
    result = invoke("convert", "-", "--to", "GW", "-q", stdin=lines)
    assert_contract(result)
    assert result.stdout == "0.1 GW_IT\n0.1 GW_IT\n"


@pytest.mark.parametrize(
    ("given", "joined"),
    [
        (("6", "GW"), ("6 GW",)),
        (("6", "GW", "7", "GW"), ("6 GW", "7 GW")),
        (("2", "million", "gpu"), ("2 million gpu",)),
        (("75k", "wafer/month"), ("75k wafer/month",)),
        (("6 GW", "7 GW"), ("6 GW", "7 GW")),
        (("6", "7", "GW"), ("6", "7 GW")),  # '6 7' reads as nothing: 6 stays alone (refused)
        (("6", "-"), ("6", "-")),  # stdin is never joined
        (("6",), ("6",)),
        (("$20B", "GW"), ("$20B", "GW")),  # a quantity with a unit takes no more words
    ],
)
def test_join_unquoted(given: tuple[str, ...], joined: tuple[str, ...]) -> None:
    assert join_unquoted(given) == joined


_PIECES = st.sampled_from(
    ["6", "2.5", "GW", "gpu", "million", "k", "$20B", "6 GW", "wafer/month", "-", "/GW", "7"]
)


@given(st.lists(_PIECES, max_size=8))
def test_a_join_never_changes_what_reads_alone(pieces: list[str]) -> None:
    """Each output is consecutive arguments joined by a space (no word lost or moved), and an
    argument that reads alone as a quantity with a unit never continues another."""
    joined = join_unquoted(pieces)
    index = 0
    for text in joined:
        group = [pieces[index]]
        index += 1
        while " ".join(group) != text:
            group.append(pieces[index])
            index += 1
        assert not any(_has_unit(piece) for piece in group[1:]), (pieces, joined)
    assert index == len(pieces)


def _has_unit(text: str) -> bool:
    try:
        return bool(read_quantity(text).factors)
    except QuantityError:
        return False


def test_convert_takes_unquoted_words_as_one_quantity() -> None:
    quoted = invoke("convert", "6 GW", "--to", "gpu", "-q")
    unquoted = invoke("convert", "6", "GW", "--to", "gpu", "-q")
    assert_contract(unquoted)
    assert (unquoted.stdout, unquoted.stderr) == (quoted.stdout, quoted.stderr) == ("3M gpu\n", "")
    words = invoke("convert", "2", "million", "gpu", "--to", "GW", "-q")
    assert (words.stdout, words.stderr) == ("4 GW_IT\n", "")


def test_convert_still_refuses_a_number_without_its_unit() -> None:
    assert_user_error(
        invoke("convert", "6", "7", "GW", "--to", "gpu"), "argument 1", "plain number"
    )


def test_chip_names_in_any_case() -> None:
    upper = api.convert("2M GB300", "GW", "independent-2026")
    lower = api.convert("2M gb300", "GW", "independent-2026")
    assert lower.chip == upper.chip == "GB300"
    assert lower.conversions[0].result == upper.conversions[0].result
    target = api.convert("6 GW", "rubin", "independent-2026")
    assert target.chip == "Rubin"


def test_an_unknown_name_lists_the_sets_chips() -> None:
    result = invoke("convert", "2M gb30", "--to", "GW", "-a", "independent-2026")
    stderr = assert_user_error(result, "unknown unit 'gb30'", "did you mean GB300?")
    assert "the set's chips are units too (any case): GB200, GB300, Rubin" in stderr


def test_a_unit_name_is_never_read_as_a_chip() -> None:
    assert chip_named("GW", {"gw": 1, "GB300": 2}) is None
    assert chip_named("gb300", {"GB300": 2}) == "GB300"
    assert chip_named("H200", {"GB300": 2}) is None


def test_chips_differing_only_in_case_are_refused() -> None:
    with pytest.raises(UnitError, match="could be any of the chips"):
        chip_named("xb1", {"XB1": 1, "xB1": 2})


def test_a_chips_packages_are_written_as_the_chip_and_read_back_alike() -> None:
    """-q, CSV and Markdown write GB300's packages as GB300, not gpu: read back, they convert
    through GB300's own power again (gpu would take the set's generic gpus_per_gw)."""
    quiet = invoke("convert", "6 GW", "--to", "gb300", "-a", "independent-2026", "-q")
    assert (quiet.stdout, quiet.stderr) == ("2.706M GB300\n", "")
    back = invoke("convert", "-q", quiet.stdout.strip(), "--to", "GW", "-a", "independent-2026")
    assert back.stdout == "5.999 GW_IT\n"  # 2.706M × 2.217 kW: the 4 digits of 2.706M
    csv_text = invoke(
        "convert", "2M GB300", "--to", "GW", "-a", "independent-2026", "--format", "csv"
    )
    assert csv_text.stdout.splitlines()[1].startswith("2000000.0,GB300,4.434,GW_IT,")
    plain = invoke("convert", "6 GW", "--to", "gpu", "-q")
    assert plain.stdout == "3M gpu\n"  # no chip: gpu as it is
