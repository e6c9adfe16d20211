"""ASCII ids of display names (deals, flows, chips, parties): 'NVIDIA–OpenAI' → 'NVIDIA-OpenAI'."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from gwcalc.errors import ParameterError

# Typographic characters with a plain ASCII spelling; any other non-ASCII character is
# decomposed (é → e) and what is left outside ASCII is dropped.
_ASCII = str.maketrans(
    {
        "–": "-",  # en dash
        "—": "-",  # em dash
        "‐": "-",  # hyphen
        "‑": "-",  # non-breaking hyphen
        "−": "-",  # minus
        "×": "x",
        "÷": "/",
        "→": "->",
        "…": "...",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "\u00a0": " ",  # no-break space
    }
)


def ascii_id(name: str) -> str:
    """A display name's ASCII id: dashes become '-', accents are dropped (é → e), other
    non-ASCII characters are left out; ASCII text is unchanged. Stable: the same name always
    gives the same id."""
    text = unicodedata.normalize("NFKD", name.translate(_ASCII))
    return " ".join(text.encode("ascii", "ignore").decode("ascii").split())


def id_clashes(names: Iterable[str]) -> list[tuple[str, ...]]:
    """The groups of different names that give one id (none when every id is unique)."""
    by_id: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        by_id.setdefault(ascii_id(name), []).append(name)
    return [tuple(group) for group in by_id.values() if len(group) > 1]


def match_name(given: str, names: Iterable[str]) -> str | None:
    """The name among names that given spells, as written or as its id (None: no match); an
    id that two names share is refused (`assumptions check` reports such a set)."""
    names = list(dict.fromkeys(names))
    if given in names:
        return given
    found = [n for n in names if ascii_id(n) == given]
    if len(found) > 1:
        raise ParameterError(
            f"{given!r} is the id of {len(found)} names: {', '.join(found)}",
            "give the name as written; `gwcalc assumptions check` lists the set's clashing ids",
        )
    return found[0] if found else None
