"""Every shipped figure can be found from its citation; implied figures and caveats are shown."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from gwcalc.errors import AssumptionFileError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Source
from gwcalc.sets.find import bundled_dir, newest_refs, resolve_set
from gwcalc.sets.read import parse_set
from tests.helpers import invoke, json_output

TODAY = dt.date(2026, 12, 2)  # the date of the newest shipped versions (no clock in tests)
# Released v1 files never change; their citations are superseded by version 2.
NEWEST = sorted(newest_refs([bundled_dir()]).values())
INTERNAL = re.compile(r"seed\s*0\d\d|\bseeds?/|figures\.md|\.txt\b", re.IGNORECASE)


def _newest() -> list[AssumptionSet]:
    return [resolve_set(ref) for ref in NEWEST]


def _date(text: str) -> dt.date:
    """A source's own date: YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date."""
    assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text), text
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def test_the_newest_versions_are_the_ones_checked() -> None:
    assert NEWEST == ["bases-2025@2", "independent-2026@5", "market-2026@4", "seed-2025@3"]


def figures(aset: AssumptionSet) -> list[tuple[str, Source, str | None, bool]]:
    """Every sourced figure of a set: (name, source, note, implied) for each parameter, each
    year's value, each chip figure, each year's mix and each deal."""
    out = [(n, p.source, p.note, p.implied) for n, p in aset.parameters.items()]
    for name, param in aset.parameters.items():
        out += [
            (f"{name} {y.year}", y.source, y.note, y.implied) for y in param.by_year if y.source
        ]
    if aset.timeline is not None:
        for chip in aset.timeline.chips.values():
            out += [(p.name, p.source, p.note, p.implied) for p in chip.figures.values()]
        out += [(f"mix {y}", m.source, m.note, m.implied) for y, m in aset.timeline.mix.items()]
        out += [(d.name, d.source, d.note, d.size_implied) for d in aset.timeline.deals]
    return out


@pytest.mark.parametrize("aset", _newest(), ids=lambda a: a.label)
def test_every_source_is_citable(aset: AssumptionSet) -> None:
    for name, src, note, _ in figures(aset):
        assert src.publisher and src.publisher.strip(), f"{name}: no publisher or outlet"
        assert src.title.strip(), name
        assert src.date is not None, f"{name}: no date"
        assert _date(src.date) <= TODAY, f"{name}: {src.date} is after the set"
        if src.url is None:
            assert "no URL" in (note or ""), f"{name}: no URL and no note saying so"
        else:
            assert re.fullmatch(r"https://[^\s]+", src.url), src.url
            if "github.com" in src.url:  # data files at a pinned commit
                assert re.search(r"/(blob|tree)/[0-9a-f]{40}/", src.url), src.url


@pytest.mark.parametrize("aset", _newest(), ids=lambda a: a.label)
def test_no_citation_names_an_internal_file(aset: AssumptionSet) -> None:
    texts = [aset.title, aset.description, *aset.caveats]
    for _, source, note, _ in figures(aset):
        texts += [note or "", source.title, source.publisher or ""]
    for text in texts:
        assert not INTERNAL.search(text), text


@pytest.mark.parametrize("aset", _newest(), ids=lambda a: a.label)
def test_implied_figures_give_their_reasoning(aset: AssumptionSet) -> None:
    for name, _, note, implied in figures(aset):
        if implied:
            assert note and "implied" in note.lower(), name


def test_seed_2025_marks_dies_per_gpu_implied_and_keeps_the_articles_numbers() -> None:
    old, new = resolve_set("seed-2025@1"), resolve_set("seed-2025")
    assert new.parameters["dies_per_gpu"].implied
    assert not new.parameters["cowos_wafers_per_year"].implied
    assert {n: p.quantity for n, p in old.parameters.items()} == {
        n: p.quantity for n, p in new.parameters.items()
    }


def test_show_marks_implied_figures() -> None:
    table = invoke("assumptions", "show", "seed-2025")
    assert table.exit_code == 0, table.stderr
    implied_figures = [name for name, _, _, implied in figures(resolve_set("seed-2025")) if implied]
    assert table.stdout.count("IMPLIED") == len(implied_figures)
    head = table.stdout.split("Timeline 2025–2030")[0]  # the parameters' table
    assert head.count("IMPLIED") == 2  # gpus_per_wafer and dies_per_gpu
    doc = json_output(invoke("assumptions", "show", "seed-2025", "--json"))
    implied = {n for n, p in doc["parameters"].items() if p["implied"]}
    assert implied == {"gpus_per_wafer", "dies_per_gpu"}
    assert doc["parameters"]["dies_per_gpu"]["source"]["publisher"].startswith("集微网")


SEED_CAVEATS = resolve_set("seed-2025").caveats


def test_seed_2025_caveats_say_what_is_wrong_and_where_the_correction_is() -> None:
    text = " ".join(SEED_CAVEATS)
    for fragment in ("dies", "hardware dollars", "run rate", "gwcalc diff seed-2025 bases-2025"):
        assert fragment in text


@pytest.mark.parametrize(
    "args",
    [
        ("gap",),
        ("convert", "10 GW"),
        ("diff", "seed-2025", "bases-2025"),
        ("assumptions", "show", "seed-2025"),
        ("assumptions", "check", "seed-2025"),
    ],
)
def test_caveats_are_printed_under_every_table(args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = " ".join(result.stdout.split())  # undo the terminal's line wrapping
    assert "Caveats of seed-2025 v3:" in out
    for caveat in SEED_CAVEATS:
        assert " ".join(caveat.split()) in out
    assert result.stdout.index("─") < result.stdout.index("Caveats of")  # under a table


def test_a_set_without_caveats_prints_none() -> None:
    result = invoke("gap", "-a", "independent-2026@2")
    assert result.exit_code == 0, result.stderr
    assert "Caveat" not in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("gap", "--json"),
        ("convert", "10 GW", "--json"),
        ("assumptions", "show", "seed-2025", "--json"),
        ("assumptions", "check", "seed-2025", "--json"),
    ],
)
def test_caveats_are_in_every_json_document(args: tuple[str, ...]) -> None:
    doc = json_output(invoke(*args))
    assert doc["assumptions"]["caveats"] == list(SEED_CAVEATS)


def test_caveats_in_diff_and_list_json() -> None:
    doc = json.loads(invoke("diff", "seed-2025", "independent-2026@2", "--json").stdout)
    assert doc["before"]["caveats"] == list(SEED_CAVEATS)
    assert doc["after"]["caveats"] == []
    listed = json_output(invoke("assumptions", "list", "--json"))
    rows = {s["name"]: s for s in listed["sets"]}
    assert rows["seed-2025@3"]["caveats"] == list(SEED_CAVEATS)
    assert rows["seed-2025@2"]["caveats"] == list(SEED_CAVEATS[:2])  # before the timeline
    assert rows["seed-2025@1"]["caveats"] == []


SEED_TEXT = (bundled_dir() / "seed-2025@2.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "caveats = [",
            'caveats = "one"\nchanges = [',  # the rest of the array: a key the format has
            "'caveats' must be a list of non-empty strings",
        ),
        ("caveats = [", "caveats = [1, ", "'caveats' must be a list of non-empty strings"),
        ("caveats = [", 'caveats = ["  ", ', "'caveats' must be a list of non-empty strings"),
        ("implied = true", 'implied = "yes"', "'implied' must be true or false"),
        ('publisher = "集微网', 'publisher = 3  # "', "'publisher' must be a non-empty string"),
        ('publisher = "集微网', 'publisher = ""  # "', "'publisher' must be a non-empty string"),
    ],
)
def test_new_fields_are_validated_on_load(old: str, new: str, message: str) -> None:
    assert old in SEED_TEXT
    with pytest.raises(AssumptionFileError, match=re.escape(message)):
        parse_set(SEED_TEXT.replace(old, new, 1))


def test_new_fields_round_trip_through_toml() -> None:
    aset = resolve_set("seed-2025")
    again = parse_set(aset.to_toml())
    assert again == aset and again.sha256 == aset.sha256
    assert again.caveats == aset.caveats
    assert again.parameters["dies_per_gpu"].implied
