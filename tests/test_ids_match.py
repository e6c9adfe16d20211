"""A name given to --party, --buyer or --flow matches as written or by its ASCII id; an id that
two names share is refused, never resolved to the first of them."""

from __future__ import annotations

import pytest

from gwcalc.errors import ParameterError
from gwcalc.sets.ids import ascii_id, match_name


def test_a_name_matches_as_written_or_by_its_id() -> None:
    names = ["NVIDIA–OpenAI", "AMD–OpenAI warrant"]
    assert match_name("NVIDIA–OpenAI", names) == "NVIDIA–OpenAI"
    assert match_name("NVIDIA-OpenAI", names) == "NVIDIA–OpenAI"
    assert match_name("AMD-OpenAI warrant", names) == "AMD–OpenAI warrant"
    assert match_name("nvidia-openai", names) is None


def test_an_id_two_names_share_is_refused_but_each_name_as_written_matches() -> None:
    names = ["Öpen–AI", "Öpen-AI", "Other"]
    assert ascii_id(names[0]) == ascii_id(names[1]) == "Open-AI"
    with pytest.raises(ParameterError, match=r"'Open-AI' is the id of 2 names: Öpen–AI, Öpen-AI"):
        match_name("Open-AI", names)
    assert match_name("Öpen–AI", names) == "Öpen–AI"
    assert match_name("Öpen-AI", names) == "Öpen-AI"
