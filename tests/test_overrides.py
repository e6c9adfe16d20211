"""Overrides (--set) that change the answer or are refused: each end of a range read as the
value alone; one year (NAME.YEAR) and a chip's figure (CHIP.FIELD); what each override did,
said in every format; and an override no chain of the run uses refused (issue 15, 6 and 10)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.errors import GwcalcError
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.figures import Parameter
from gwcalc.sets.find import resolve_set
from gwcalc.sets.overrides import parse_override
from gwcalc.units.registry import Q_
from tests.helpers import assert_user_error, invoke, json_error, json_output

INDEPENDENT = resolve_set("independent-2026")
SEED = resolve_set("seed-2025")


def ok(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


# ---------------------------------------------------------------- item 6: each end alone


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("vendor_share=0.5..70%", (0.5, 0.7)),  # was 0.5% .. 70%: a factor of 100
        ("vendor_share=50%..0.7", (0.5, 0.7)),  # was refused as LOW > HIGH
        ("vendor_share=50%..70%", (0.5, 0.7)),
        ("gpus_per_gw=330 gpu/MW..478 gpu/MW", (330e3, 478e3)),
        ("gpus_per_gw=330k gpu/GW..478 gpu/MW", (330e3, 478e3)),
        ("gpus_per_gw=330k..478k gpu/GW", (330e3, 478e3)),  # the figure's own unit: alike
    ],
)
def test_each_end_of_a_range_is_read_as_the_value_alone(
    text: str, ends: tuple[float, float]
) -> None:
    param = INDEPENDENT.with_overrides([parse_override(text)]).parameters[text.split("=")[0]]
    assert param.range is not None
    assert (param.range.low, param.range.high) == pytest.approx(ends, rel=1e-15)


def test_a_mixed_range_on_the_command_line() -> None:
    mixed = ok("gap", "-q", "--set", "vendor_share=0.5..70%")
    assert mixed == ok("gap", "-q", "--set", "vendor_share=50%..70%")
    assert mixed == ok("gap", "-q", "--set", "vendor_share=50%..0.7")
    stderr = assert_user_error(invoke("gap", "--set", "vendor_share=0.7..50%"), "LOW ≤ HIGH")
    assert "0.7..0.5" in stderr  # the ends as read, in the figure's unit


UNITS: dict[str, list[str]] = {
    "vendor_share": ["", "%"],
    "gpus_per_gw": ["", "gpu/GW", "gpu/MW", "gpu/kW"],
    "cowos_wafers_per_year": ["", "wafer/year", "wafer/month", "wafer/quarter"],
    "contracted_spend": ["", "USD", "kUSD", "MUSD"],
}


@st.composite
def ends(draw: st.DrawFn) -> tuple[str, str, str]:
    """A figure and two ends near its value (× 0.3 to 3), each in one of its units or bare."""
    name = draw(st.sampled_from(sorted(UNITS)))
    texts = []
    for _ in range(2):
        unit = draw(st.sampled_from(UNITS[name]))
        value = SEED.quantity(name)
        magnitude = float(value.to(unit).magnitude if unit else value.magnitude)
        magnitude *= draw(st.floats(0.3, 3.0))
        texts.append(f"{magnitude:.6g} {unit}".strip())
    return name, texts[0], texts[1]


def _alone(name: str, text: str) -> float | None:
    try:
        return SEED.with_overrides([parse_override(f"{name}={text}")]).parameters[name].value
    except GwcalcError:
        return None


@settings(max_examples=150, deadline=None)
@given(ends())
def test_a_range_has_the_ends_each_value_has_alone(drawn: tuple[str, str, str]) -> None:
    name, *texts = drawn
    alone = [_alone(name, t) for t in texts]
    try:
        param = SEED.with_overrides([parse_override(f"{name}={texts[0]}..{texts[1]}")])
    except GwcalcError:  # refused: an end refused alone, ends of two kinds, LOW > HIGH, or
        a, b = alone  # one bare end beside a unit other than the figure's own (ambiguous)
        assert a is None or b is None or a > b or _kinds_differ(name, texts) or _half(texts)
        return
    r = param.parameters[name].range
    assert r is not None
    assert (r.low, r.high) == (alone[0], alone[1])


def _half(texts: list[str]) -> bool:
    """One end bare and the other with a unit (refused for a figure with units)."""
    return [" " in t for t in texts].count(True) == 1


def _kinds_differ(name: str, texts: list[str]) -> bool:
    units = {
        SEED.with_overrides([parse_override(f"{name}={t}")]).parameters[name].unit for t in texts
    }
    return len(units) > 1


# ---------------------------------------------------------------- item 10: refused if unused


@pytest.mark.parametrize(
    ("args", "name", "run"),
    [
        (("timeline", "--set", "contracted_spend=1.4T"), "contracted_spend", "the timeline"),
        (
            ("timeline", "-a", "independent-2026", "--set", "vendor_share=0.3"),
            "vendor_share",
            "the timeline",
        ),
        (
            ("gap", "--demand", "26 GW", "--set", "contracted_spend=2T"),
            "contracted_spend",
            "the gap",
        ),
        (("gap", "--set", "pue=1.3"), "pue", "the gap"),  # IT power: pue is on no chain
        (
            ("explain", "supply_per_year", "--set", "contracted_spend=2T"),
            "contracted_spend",
            "the gap's supply_per_year",
        ),
        (("sensitivity", "--set", "pue=1.1..1.4"), "pue", "the gap's coverage"),
        (("convert", "6 GW", "--to", "gpu", "--set", "pue=1.3"), "pue", "these conversions"),
        (
            ("convert", "6 GW", "--to", "gpu", "--set", "pue=1.3", "--json"),
            "pue",
            "this conversion",
        ),
    ],
)
def test_an_override_the_run_does_not_use_is_refused(
    args: tuple[str, ...], name: str, run: str
) -> None:
    result = invoke(*args)
    if "--json" in args:  # the error as a document on stdout, and on stderr
        assert f"{name}: not used by {run}" in json_error(result)["message"]
        return
    stderr = assert_user_error(result, f"{name}: not used by {run}", f"used by {run}: ")
    assert "would change nothing" in stderr


def test_the_refusal_names_the_figures_the_run_uses() -> None:
    stderr = assert_user_error(
        invoke("timeline", "-a", "independent-2026@4", "--set", "vendor_share=0.3")
    )
    hint = stderr.split("used by the timeline: ")[1]
    for name in ("cowos_wafers_per_year.2027", "GB300.it_power_per_package", "all_in_cost_per_gw"):
        assert name in hint
    assert "vendor_share" not in hint and "mix." not in hint


def test_the_api_refuses_an_unused_override_too() -> None:
    aset = api.load_set("seed-2025", {"contracted_spend": "1.4T"})
    with pytest.raises(GwcalcError, match="contracted_spend: not used by the timeline"):
        api.timeline(aset)
    api.gap(aset)  # the gap does use it
    with pytest.raises(GwcalcError, match="pue: not used by this conversion"):
        api.convert("6 GW", "gpu", api.load_set("seed-2025", {"pue": "1.3"}))
    with pytest.raises(GwcalcError, match="not used by the gap's demand"):
        api.explain("demand", api.load_set("seed-2025", {"gpus_per_wafer": "10"}))


def test_a_stream_refuses_an_override_no_line_used_at_its_end() -> None:
    used = invoke("convert", "-q", "6 GW", "1M wafer", "--to", "gpu", "--set", "gpus_per_wafer=10")
    assert (used.exit_code, used.stdout, used.stderr) == (0, "3M gpu\n10M gpu\n", "")
    unused = invoke(
        "convert", "-q", "-", "--to", "gpu", "--set", "gpus_per_wafer=10", stdin="6 GW\n7 GW\n"
    )
    assert unused.exit_code == 1
    assert unused.stdout == "3M gpu\n3.5M gpu\n"  # stdin is written as it comes
    assert unused.stderr.startswith("Error: gpus_per_wafer: not used by these conversions")


def test_quantities_given_as_arguments_refuse_an_unused_override_before_writing() -> None:
    for fmt in (("-q",), ("--format", "csv"), ("--format", "jsonl"), ("--format", "markdown")):
        args = ("convert", *fmt, "6 GW", "7 GW", "--to", "gpu", "--set", "gpus_per_wafer=10")
        unused = invoke(*args)
        assert unused.exit_code == 1, fmt
        if fmt[-1] == "jsonl":  # the error is the one line written: a JSON error document
            (line,) = unused.stdout.splitlines()
            assert "not used by these conversions" in json.loads(line)["error"]["message"]
        else:
            assert unused.stdout == "", fmt
            assert "gpus_per_wafer: not used by these conversions" in unused.stderr


def test_diff_and_assumptions_new_keep_an_override_that_moves_nothing(tmp_path: Any) -> None:
    diff = invoke("diff", "seed-2025", "--set", "pue=1.3", "--json")
    assert diff.exit_code == 0, diff.stderr
    changed = json_output(diff)
    assert changed["after"]["overrides"]["pue"]["value"] == 1.3
    assert [c["name"] for c in changed["parameter_changes"]] == ["pue"]
    target = tmp_path / "mine.toml"
    written = invoke(
        "assumptions", "new", str(target), "--from", "independent-2026", "--set", "pue=1.3",
        "--set", "GB300.it_power_per_package=2.5kW", "--set", "cowos_wafers_per_year.2027=2M",
    )  # fmt: skip
    assert written.exit_code == 0, written.stderr
    assert "cowos_wafers_per_year.2027: 1.8M wafer/yr -> 2M wafer/yr" in written.stdout
    mine = api.load_set(target)
    assert mine.timeline is not None
    assert mine.timeline.chips["GB300"].figures["it_power_per_package"].value == 2500
    assert mine.parameters["cowos_wafers_per_year"].at(2027).value == 2e6
    assert mine.parameters["pue"].value == 1.3


# ---------------------------------------------------------------- chip figures and single years


def _supply(doc: dict[str, Any]) -> dict[int, float]:
    return {y["year"]: y["supply"]["value"] for y in doc["years"]}


def _by_chip(doc: dict[str, Any], chip: str) -> dict[int, float]:
    return {
        y["year"]: y["supply_by_chip"][chip]["value"]
        for y in doc["years"]
        if chip in y.get("supply_by_chip", {})
    }


BASE = ("timeline", "-a", "independent-2026", "--json")


def test_a_chip_figure_can_be_set() -> None:
    before = json_output(invoke(*BASE))
    after = json_output(invoke(*BASE, "--set", "GB300.it_power_per_package=2.5kW"))
    ratio = 2500 / INDEPENDENT.timeline.chips["GB300"].figures["it_power_per_package"].value  # type: ignore[union-attr]  # it has a time axis
    for year, value in _by_chip(before, "GB300").items():
        assert _by_chip(after, "GB300")[year] == pytest.approx(value * ratio, rel=1e-12)
    assert _by_chip(after, "Rubin") == _by_chip(before, "Rubin")
    meta = after["assumptions"]
    assert meta["overrides"]["GB300.it_power_per_package"] == {"value": 2500.0, "unit": "W_IT/gpu"}
    assert meta["override_effects"]["GB300.it_power_per_package"].startswith(
        "set to 2.5k W_IT/gpu (was 2.217k W_IT/gpu"
    )
    aset = api.load_set("independent-2026", {"GB300.it_power_per_package": "2500 W/gpu"})
    assert api.timeline(aset).to_dict()["years"] == after["years"]


def test_a_chip_figure_range_is_sampled() -> None:
    args = ("--set", "GB300.it_power_per_package=2kW..3kW", "--samples", "300")
    doc = json_output(invoke(*BASE, *args))
    assert "GB300.it_power_per_package" in doc["uncertainty"]["varied"]
    figure = api.load_set("independent-2026", {"GB300.it_power_per_package": "2kW..3kW"})
    r = figure.timeline.chips["GB300"].figures["it_power_per_package"].range  # type: ignore[union-attr]  # it has a time axis
    assert r is not None and (r.low, r.high) == (2000, 3000)
    assert r.distribution == "lognormal"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("GB3.it_power_per_package=2kW", ("no chip 'GB3'", "GB200, GB300, Rubin, MI450, TPU_v7")),
        ("GB300.power=2kW", ("no figure 'power'", "GB300.it_power_per_package")),
        ("GB300.it_power_per_package=2 wafer", ("does not match",)),
        ("cowos_wafers_per_year.2035=1M", ("2025, 2026, 2027, 2028, 2029, 2030", "not for 2035")),
        ("pue.2027=1.3", ("pue has no values by year", "cowos_wafers_per_year")),
        ("cowos_wafers_per_year.x=1M", ("cowos_wafers_per_year.YEAR",)),
        ("cowos_wafers_per_year.02027=1M", ("is not a year as the", "cowos_wafers_per_year.2025")),
    ],
)
def test_a_bad_chip_figure_or_year_is_refused(text: str, fragments: tuple[str, ...]) -> None:
    assert_user_error(invoke("timeline", "-a", "independent-2026", "--set", text), *fragments)
    name, _, value = text.partition("=")
    with pytest.raises(GwcalcError):
        api.load_set("independent-2026", {name: value})


def test_one_year_can_be_set() -> None:
    before = _supply(json_output(invoke(*BASE)))
    doc = json_output(invoke(*BASE, "--set", "cowos_wafers_per_year.2027=2M"))
    after = _supply(doc)
    assert after[2027] == pytest.approx(before[2027] * 2e6 / 1.8e6, rel=1e-12)
    assert {y: v for y, v in after.items() if y != 2027} == {
        y: v for y, v in before.items() if y != 2027
    }
    effect = doc["assumptions"]["override_effects"]["cowos_wafers_per_year.2027"]
    assert effect.startswith("set to 2M wafer/yr (was 1.8M wafer/yr")
    assert doc["assumptions"]["overrides"]["cowos_wafers_per_year.2027"]["value"] == 2e6
    # the gap reads the figure's one-year value, not 2027's: refused there
    assert_user_error(
        invoke("gap", "-a", "independent-2026", "--set", "cowos_wafers_per_year.2027=2M"),
        "cowos_wafers_per_year.2027: not used by the gap",
    )
    # a year outside --from/--to is used by nothing shown
    assert_user_error(
        invoke(
            "timeline",
            "-a",
            "independent-2026",
            "--to",
            "2026",
            "--set",
            "cowos_wafers_per_year.2027=2M",
        ),
        "not used by the timeline",
    )


EVERY_YEAR = "every year set to 1.5M wafer/yr; was 675k–2.04M wafer/yr"


def test_a_plain_value_on_a_series_says_it_set_every_year() -> None:
    args = ("timeline", "-a", "independent-2026", "--set", "cowos_wafers_per_year=1.5M")
    table = ok(*args)
    assert EVERY_YEAR in " ".join(table.split())  # the title, folded by Rich
    doc = json_output(invoke(*args, "--json"))
    assert doc["assumptions"]["override_effects"] == {"cowos_wafers_per_year": EVERY_YEAR}
    markdown = ok(*args, "--format", "markdown")
    assert markdown.startswith(f"With --set cowos_wafers_per_year: {EVERY_YEAR}.\n\n**No covered")
    assert "\n| year |" in markdown
    aset = api.load_set("independent-2026", {"cowos_wafers_per_year": "1.5M"})
    assert dict(aset.override_effects) == {"cowos_wafers_per_year": EVERY_YEAR}
    assert api.timeline(aset).to_dict()["years"] == doc["years"]


# ---------------------------------------------------------------- every figure used moves a number


def _figure(aset: AssumptionSet, name: str) -> Parameter:
    """The figure an override name stands for: a parameter, one year of one, a chip's."""
    head, dot, tail = name.partition(".")
    if not dot:
        return aset.parameters[name]
    if tail.isdigit():
        return aset.parameters[head].at(int(tail))
    assert aset.timeline is not None
    return aset.timeline.chips[head].figures[tail]


def _moved(aset: AssumptionSet, name: str, factor: float) -> AssumptionSet:
    """The set with one figure moved by a factor (or by its inverse where that leaves the
    figure's valid range, e.g. a share of 1)."""
    param = _figure(aset, name)
    bottom, top = param.valid_bounds()
    value = param.value * factor if param.value * factor <= top else param.value / factor
    assert bottom <= value <= top
    assert value != param.value
    return aset.with_overrides([(name, Q_(value, param.quantity.units))])


def _numbers(doc: Any) -> list[float]:
    """Every number of a document but the set's own description (its hash, overrides)."""
    if isinstance(doc, dict):
        return [x for k, v in doc.items() if k != "assumptions" for x in _numbers(v)]
    if isinstance(doc, list):
        return [x for v in doc for x in _numbers(v)]
    return [float(doc)] if isinstance(doc, int | float) and not isinstance(doc, bool) else []


def _changes(before: dict[str, Any], after: dict[str, Any]) -> bool:
    a, b = _numbers(before), _numbers(after)
    if len(a) != len(b):
        return True
    return any(not math.isclose(x, y, rel_tol=1e-12) for x, y in zip(a, b, strict=True))


SETS = ("seed-2025", "independent-2026", "bases-2025", "independent-2026@1")
FACTOR = st.floats(1.01, 1.5)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(SETS), st.sampled_from(["GW", "GW_facility", "gpu", "die", "USD"]), FACTOR)
def test_every_figure_the_gap_uses_moves_one_of_its_numbers(
    name: str, unit: str, factor: float
) -> None:
    from gwcalc.engine.plan import plan_figures

    aset = resolve_set(name)
    try:
        base = api.gap(aset, unit)
    except GwcalcError:
        return  # the set has no chain into that unit
    used = plan_figures(base.plan)
    assert used
    for figure in used:
        moved = _moved(aset, figure, factor)
        assert _changes(base.to_dict(), api.gap(moved, unit).to_dict()), figure
        for output in ("supply_per_year", "demand", "gap"):  # explain, one output each
            if figure in plan_figures(base.plan, output):
                before, after = api.explain(output, aset, unit), api.explain(output, moved, unit)
                assert _changes(before.to_dict(), after.to_dict()), (figure, output)


@settings(max_examples=6, deadline=None)
@given(st.sampled_from(("seed-2025", "independent-2026", "independent-2026@3")), FACTOR)
def test_every_figure_the_timeline_uses_moves_one_of_its_numbers(name: str, factor: float) -> None:
    from gwcalc.timelines.compute import timeline_figures

    aset = resolve_set(name)
    base = api.timeline(aset)
    used = [n for n in timeline_figures(base.computed) if not n.startswith("mix.")]
    assert any("." in n for n in used) or name == "seed-2025"
    for figure in used:
        after = api.timeline(_moved(aset, figure, factor))
        assert _changes(base.to_dict(), after.to_dict()), figure


@settings(max_examples=10, deadline=None)
@given(
    st.sampled_from(["6 GW", "75k wafer/month", "$20B", "3M gpu", "2M GB300"]),
    st.sampled_from([None, "gpu", "GW/year", "USD", "die"]),
    FACTOR,
)
def test_every_figure_a_conversion_uses_moves_its_result(
    quantity: str, target: str | None, factor: float
) -> None:
    from gwcalc.engine.graph import figures_of

    aset = INDEPENDENT
    try:
        base = api.convert(quantity, target, aset)
    except GwcalcError:
        return  # no chain from that unit into that one
    for figure in figures_of(base.conversions):
        after = api.convert(quantity, target, _moved(aset, figure, factor))
        assert _changes(base.to_dict(), after.to_dict()), figure


def test_a_figure_given_twice_in_one_run_is_refused() -> None:
    # was: the first value dropped without a word, and the title said "(was 0.4)"
    twice = invoke("gap", "--set", "vendor_share=0.4", "--set", "vendor_share=0.6")
    assert (twice.exit_code, twice.stdout) == (1, "")
    assert "vendor_share is given twice in this run" in twice.stderr
    both = invoke(
        "timeline", "-a", "independent-2026",
        "--set", "cowos_wafers_per_year=1.5M", "--set", "cowos_wafers_per_year.2027=1.8M",
    )  # fmt: skip
    assert (both.exit_code, both.stdout) == (1, "")
    assert (
        "given both for every year" in both.stderr and "cowos_wafers_per_year.2027" in both.stderr
    )
    years = invoke(
        "timeline", "-a", "independent-2026", "-q",
        "--set", "cowos_wafers_per_year.2027=1.9M", "--set", "cowos_wafers_per_year.2028=2M",
    )  # fmt: skip
    assert years.exit_code == 0, years.stderr  # two different years: each once


@pytest.mark.parametrize(
    "text",
    ["75k..100k wafer/month", "75k wafer/month..100k", "900k..1.2M wafer/quarter"],
)
def test_a_range_with_a_unit_on_one_end_only_is_refused(text: str) -> None:
    # a bare end is read in the figure's own unit (wafer/yr): with wafer/month on the other
    # end, 75k..100k wafer/month was read as 75k to 1.2M wafers a year (exit 0)
    result = invoke("gap", "-a", "independent-2026", "--set", f"cowos_wafers_per_year={text}")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "a bare end is read in cowos_wafers_per_year's own unit" in result.stderr


def test_a_range_with_its_units_written_alike_is_read() -> None:
    both = invoke("gap", "-a", "independent-2026", "-q", "--set",
                  "cowos_wafers_per_year=75k wafer/month..100k wafer/month")  # fmt: skip
    own = invoke("gap", "-a", "independent-2026", "-q", "--set",
                 "cowos_wafers_per_year=75k..100k wafer/yr")  # fmt: skip
    share = invoke("gap", "-q", "--set", "vendor_share=0.5..70%")  # a plain ratio: clear
    assert both.exit_code == own.exit_code == share.exit_code == 0, both.stderr + own.stderr


def test_a_conversion_that_fails_is_reported_before_an_unused_override() -> None:
    # was: in csv, jsonl, markdown and -q, "gpus_per_gw: not used" hid the real fault
    for fmt in (("-q",), ("--format", "csv"), ("--format", "markdown")):
        args = ("convert", *fmt, "1GW", "--to", "wafer/year", "--set", "gpus_per_gw=400k")
        result = invoke(*args)
        assert result.exit_code == 1
        assert "cannot convert IT power into CoWoS wafers per time" in result.stderr, fmt
