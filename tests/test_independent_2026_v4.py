"""independent-2026 v4 is v3 with ranges: every value is v3's, every range end is traced to a
source in its note (or said to be implied), and sampling it centres near the point results."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from gwcalc import api
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.sets.find import bundled_dir
from tests.helpers import invoke, json_output

V3, V4 = "independent-2026@3", "independent-2026@4"
RANGE_KEYS = {"low", "high", "distribution", "credibility", "group"}

# For every figure with a range: words of the note's "Range (v4): …" text that name the source
# of the low end and of the high end ("implied" where the end is derived, with its reasoning).
# A new range needs a row here.
ENDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "cowos_wafers_per_year": (("JPMorgan", "2026-01-07"), ("Economic Daily News", "2026-02-25")),
    "cowos_wafers_per_year@2025": (
        ("MIC", "2025-06-22"),
        ("implied", "TechPowerUp", "2024-10-21", "TrendForce", "2025-12-08"),
    ),
    "cowos_wafers_per_year@2026": (
        ("JPMorgan", "2026-01-07"),
        ("Economic Daily News", "2026-02-25"),
    ),
    "cowos_wafers_per_year@2027": (
        ("JPMorgan", "2026-01-07"),
        ("Economic Daily News", "2026-02-25"),
    ),
    **{
        f"cowos_wafers_per_year@{year}": (
            ("implied", "JPMorgan", "2026-01-07"),
            ("implied", "Morgan Stanley", "2026-06"),
        )
        for year in (2028, 2029, 2030)
    },
    "vendor_share": (("Morgan Stanley", "2025-12-02"), ("DigiTimes", "2025-12-10")),
    "gpus_per_wafer": (("JPMorgan", "2025-09-23"), ("implied", "Morgan Stanley", "2025-07-31")),
    "gpus_per_gw": (("TechStories", "Morgan Stanley", "2025"), ("Epoch AI", "2026")),
    "pue": (("implied",), ("Epoch AI", "2025-12-18")),
    "hardware_cost_per_gw": (("集微网", "2025-10"), ("Mint", "2025-09-01")),
    "all_in_cost_per_gw": (("Epoch AI", "2026-05-14"), ("NVIDIA", "2025-08-27")),
    "GB200.packages_per_wafer": (("Morgan Stanley", "2025-07-31"), ("TrendForce", "2024")),
    "GB300.packages_per_wafer": (("Morgan Stanley", "2025-07-31"), ("TrendForce", "2024")),
    "GB200.it_power_per_package": (("Epoch AI", "5–95%", "2026"),) * 2,
    "GB300.it_power_per_package": (("Epoch AI", "5–95%", "2026"),) * 2,
    "GB200.price": (("Epoch AI", "2026-04-22"),) * 2,
    "GB300.price": (("Epoch AI", "2026-04-22"),) * 2,
    "Rubin.it_power_per_package": (("TechStories", "2025"), ("Morgan Stanley", "2025")),
    "MI450.packages_per_wafer": (("implied",), ("implied", "JPMorgan", "2025-09-23")),
    "MI450.it_power_per_package": (("集微网", "2025-10"), ("implied", "Morgan Stanley", "2025")),
    "TPU_v7.packages_per_wafer": (
        ("JPMorgan", "2025-09-23"),
        ("implied", "JPMorgan", "2026-01-07"),
    ),
    "TPU_v7.it_power_per_package": (("Google", "afnnews", "2025-08"), ("Epoch AI", "2026")),
}


def _toml(ref: str) -> dict[str, Any]:
    with (bundled_dir() / f"{ref}.toml").open("rb") as f:
        return tomllib.load(f)


def _without_ranges(node: Any) -> Any:
    """The file's data with every range key and every note left out."""
    if isinstance(node, dict):
        return {
            k: _without_ranges(v) for k, v in node.items() if k not in RANGE_KEYS and k != "note"
        }
    if isinstance(node, list):
        return [_without_ranges(v) for v in node]
    return node


def _figures(aset: AssumptionSet) -> Iterator[tuple[str, Parameter]]:
    """Every figure that may carry a range: each parameter, each year of one, each chip figure
    (a year as the parameter stands in that year, with the year's own note)."""
    for name, param in aset.parameters.items():
        yield name, param
        for y in param.by_year:
            yield f"{name}@{y.year}", replace(param.at(y.year), range=y.range, note=y.note)
    assert aset.timeline is not None
    for chip in aset.timeline.chips.values():
        for field, param in chip.figures.items():
            yield f"{chip.name}.{field}", param


def _point(param: Parameter) -> Parameter:
    return replace(param, range=None, group=None, note=None)


def _spellings(x: float) -> set[str]:
    """How a note may write a range's end: 0.5833, 1,900, 330k, 1.125M, 20B."""
    found = {f"{x:g}"}
    if x == int(x):
        found.add(f"{x:,.0f}")
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if x >= size:
            found.add(f"{x / size:g}{suffix}")
            break
    return found


def test_the_file_is_v3_with_ranges_and_longer_notes() -> None:
    v3, v4 = _toml(V3), _toml(V4)
    assert (v4["version"], v4["date"]) == (4, v3["date"])
    for key in ("format", "id", "parameters", "timeline", "chips", "mix", "deals", "caveats"):
        assert _without_ranges(v4[key]) == _without_ranges(v3[key]), key
    assert v4["changes"], "v4 says what changed"
    old, new = api.load_set(V3), api.load_set(V4)
    assert new.extends == f"independent-2026 v3 sha256:{old.sha256}"
    old_notes, new_notes = dict(_figures(old)), dict(_figures(new))
    assert old_notes.keys() == new_notes.keys()
    for name, param in new_notes.items():
        was = old_notes[name].note
        if param.note != was:  # a note only grows, by the range's text
            assert was is not None and param.note is not None
            assert param.note.startswith(was + " Range (v4)"), name


def test_every_point_value_is_v3s() -> None:
    old, new = api.load_set(V3), api.load_set(V4)
    assert old.parameters.keys() == new.parameters.keys()
    for name, param in new.parameters.items():
        was = old.parameters[name]
        assert replace(_point(param), by_year=()) == replace(_point(was), by_year=()), name
        years = [(y.year, y.value, y.implied, y.source) for y in param.by_year]
        assert years == [(y.year, y.value, y.implied, y.source) for y in was.by_year], name
    assert old.timeline is not None and new.timeline is not None
    assert old.timeline.chips.keys() == new.timeline.chips.keys()
    for chip, now in new.timeline.chips.items():
        then = old.timeline.chips[chip]
        assert (now.label, now.vendor) == (then.label, then.vendor)
        assert {f: _point(p) for f, p in now.figures.items()} == {
            f: _point(p) for f, p in then.figures.items()
        }, chip
    assert new.timeline.mix == old.timeline.mix
    assert new.timeline.deals == old.timeline.deals
    assert (new.timeline.start, new.timeline.end) == (old.timeline.start, old.timeline.end)


def test_every_point_result_is_v3s() -> None:
    for args in (("gap", "--json"), ("timeline", "--json"), ("convert", "1 GW", "--json")):
        old = json_output(invoke(args[0], "-a", V3, *args[1:]))
        new = json_output(invoke(args[0], "-a", V4, *args[1:]))
        old.pop("assumptions")
        new.pop("assumptions")
        assert new == old, args[0]


def test_every_range_names_the_source_of_each_end() -> None:
    ranged = {name: p for name, p in _figures(api.load_set(V4)) if p.range is not None}
    assert ranged.keys() == ENDS.keys()
    for name, param in ranged.items():
        assert param.range is not None and param.note is not None
        text = param.note[param.note.index("Range (v4)") :]
        low_words, high_words = ENDS[name]
        for end, words in ((param.range.low, low_words), (param.range.high, high_words)):
            assert any(s in text for s in _spellings(end)), (name, end)
            for word in words:
                assert word in text, (name, end, word)
            # each end has a dated source, or says it is implied
            assert "implied" in words or any(re.fullmatch(r"\d{4}.*", w) for w in words)


def test_undisputed_figures_have_no_range() -> None:
    aset = api.load_set(V4)
    figures = dict(_figures(aset))
    for name in ("dies_per_gpu", "contracted_spend", "Rubin.packages_per_wafer", "Rubin.price"):
        assert figures[name].range is None, name
    assert all(p.range is None for n, p in figures.items() if n.endswith("dies_per_package"))


def test_the_one_year_view_is_2026_and_later_years_widen() -> None:
    cowos = api.load_set(V4).parameters["cowos_wafers_per_year"]
    assert cowos.range is not None and cowos.at(2026).range == cowos.range
    assert cowos.at(2026).value == cowos.value
    spans = []
    for year in (2028, 2029, 2030):
        r = cowos.at(year).range
        assert r is not None and r.low <= cowos.at(year).value <= r.high
        spans.append(r.high / r.low)
    assert spans == sorted(spans) and len(set(spans)) == 3  # wider every year


def test_every_group_has_at_least_two_figures() -> None:
    groups = Counter(p.group for _, p in _figures(api.load_set(V4)) if p.group is not None)
    assert groups and min(groups.values()) >= 2, groups


def test_sampling_v4_centres_near_the_point_results() -> None:
    doc = json_output(invoke("gap", "-a", V4, "--samples", "2000", "--json"))
    assert doc["assumptions"]["version"] == 4
    u = doc["uncertainty"]
    assert set(u["varied"]) == {
        "cowos_wafers_per_year",
        "vendor_share",
        "gpus_per_wafer",
        "gpus_per_gw",
        "all_in_cost_per_gw",
    }
    point = doc["supply_per_year"]["value"]
    supply = u["outputs"]["supply_per_year"]
    assert supply["p5"]["value"] < point < supply["p95"]["value"]
    # packages per wafer sits near the low end of its range (9.1 of 9–12), so the median is a
    # little above the point value
    assert supply["p50"]["value"] == pytest.approx(point, rel=0.05)
