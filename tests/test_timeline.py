"""gwcalc timeline: running sums, phasing, overlaps counted once, chips as units, format 2 files."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.engine.plan import compute_gap
from gwcalc.errors import GwcalcError
from gwcalc.sets.figures import Source
from gwcalc.sets.find import resolve_set
from gwcalc.sets.read import parse_set
from gwcalc.sets.time_axis import Deal, Period
from gwcalc.timelines.compute import compute_timeline, covered_in
from gwcalc.units.registry import Q_, parse_quantity
from tests.helpers import assert_user_error, invoke, json_output, quantity
from tests.tiny_sets import (
    YEARS,
    by_year,
    chip,
    deal,
    figure,
    mix,
    parse_tiny,
    set_text,
    tiny_set,
    tiny_text,
)

# ---------------------------------------------------------------- the articles' own arithmetic


def test_seed_timeline_is_the_articles_arithmetic() -> None:
    """900k × 50% × 15 ÷ 500k = 13.5 GW a year (held constant, implied); the deals add up to
    the articles' 50 GW: 10 GW + 6 GW + $680B ÷ $20B per GW."""
    result = api.timeline("seed-2025")
    assert [row.year for row in result.rows] == list(range(2025, 2031))
    assert all(row.supply == pytest.approx(13.5, rel=1e-12) for row in result.rows)
    sizes = {d.deal.name: d.size for d in result.deals}
    assert sizes == pytest.approx(
        {"NVIDIA–OpenAI": 10, "AMD–OpenAI": 6, "Other OpenAI agreements": 34}, rel=1e-12
    )
    last = result.rows[-1]
    assert last.cumulative_demand == pytest.approx(50, rel=1e-12)
    gap = compute_gap(resolve_set("seed-2025"))
    assert last.cumulative_demand == pytest.approx(float(gap.demand.magnitude), rel=1e-12)
    # phased over the half-years 2026-H2..2030-H2 (9 halves), the articles' 50 GW never outruns
    # 13.5 GW a year: the one-year comparison of `gap` is what made it look short. The
    # arithmetic covers from 2026, the first year with demand due (2025 has none to cover)...
    assert result.computed.covered_in == 2026 and result.computed.coverage == "covered"
    # ...but OpenAI's deals against a market: no covered claim (issue 17)
    assert result.covered_in is None and result.coverage == "scopes-differ"


def test_a_constant_set_reproduces_gap_every_year(set_tiny: api.AssumptionSet) -> None:
    aset = set_tiny
    gap = compute_gap(aset)
    for row in compute_timeline(aset).rows:
        assert row.supply == pytest.approx(float(gap.supply_per_year.magnitude), rel=1e-12)
    for unit in ("gpu", "die", "USD"):
        per_year = float(compute_gap(aset, unit).supply_per_year.magnitude)
        rows = compute_timeline(aset, unit).rows
        assert all(r.supply == pytest.approx(per_year, rel=1e-12) for r in rows)


def test_values_by_year_change_supply_in_their_year_only() -> None:
    years = by_year(dict(zip(YEARS, (1e6, 2e6, 3e6, 3e6, 3e6, 4e6), strict=True)))
    aset = parse_tiny(parameters={"cowos_wafers_per_year": {"by_year": years}})
    supply = [r.supply for r in compute_timeline(aset).rows]
    assert supply == pytest.approx([10, 20, 30, 30, 30, 40], rel=1e-12)  # × 0.5 × 10 ÷ 500k
    assert compute_gap(aset).supply_per_year.magnitude == pytest.approx(10)  # `value` stays


# ---------------------------------------------------------------- sums, phasing, overlaps


@st.composite
def periods(draw: st.DrawFn) -> tuple[str, str]:
    start = draw(st.integers(2020, 2035))
    end = draw(st.integers(start, start + 12))
    h1 = draw(st.sampled_from(["", "-H1", "-H2"]))
    h2 = draw(st.sampled_from(["", "-H1", "-H2"]))
    if end == start and h1 == "-H2" and h2 == "-H1":
        h2 = "-H2"
    return f"{start}{h1}", f"{end}{h2}"


@given(periods(), st.floats(1e-3, 1e4))
def test_an_even_deal_sums_to_its_size(period: tuple[str, str], size: float) -> None:
    start, end = period
    first, last = Period.parse(start), Period.parse(end)
    d = Deal("d", "b", "s", "chips", "contract", f"{size!r} GW", first, last, Source("t"))
    shares = d.year_shares()
    assert math.fsum(shares.values()) == pytest.approx(1, abs=1e-12)
    assert list(shares) == list(range(Period.parse(start).year, Period.parse(end).year + 1))
    assert all(s > 0 for s in shares.values())


@given(
    st.lists(
        st.tuples(periods(), st.floats(0.01, 100), st.sampled_from(["contract", "announced"])),
        min_size=1,
        max_size=6,
    )
)
def test_rows_are_running_sums_and_schedules_sum_to_sizes(
    deals: list[tuple[tuple[str, str], float, str]],
) -> None:
    made = [
        deal(f"d{i}", f"{size!r} GW", start, end, status=status)
        for i, ((start, end), size, status) in enumerate(deals)
    ]
    result = compute_timeline(parse_tiny(*made))
    total_supply = total_demand = 0.0
    for row in result.rows:
        total_supply += row.supply
        total_demand += row.demand
        assert row.cumulative_supply == total_supply
        assert row.cumulative_demand == total_demand
        assert row.gap == row.cumulative_demand - row.cumulative_supply
    due_in_window = 0.0
    for view, (_, size, status) in zip(result.deals, deals, strict=True):
        assert view.counted == (status == "contract")
        assert math.fsum(a for _, a in view.schedule) == pytest.approx(size, rel=1e-12)
        if view.counted:
            due_in_window += sum(a for y, a in view.schedule if 2025 <= y <= 2030)
    assert result.rows[-1].cumulative_demand == pytest.approx(due_in_window, rel=1e-9, abs=1e-12)


def test_a_deal_over_two_halves_and_four_years() -> None:
    views = compute_timeline(parse_tiny(deal("x", "7 GW", "2026-H2", "2029"))).deals
    assert [y for y, _ in views[0].schedule] == [2026, 2027, 2028, 2029]
    assert [a for _, a in views[0].schedule] == pytest.approx([1, 2, 2, 2], rel=1e-12)
    y = deal("y", "$20B", "2026", "2027", phasing="shares", shares={"2026": 0.1, "2027": 0.9})
    views = compute_timeline(parse_tiny(y)).deals
    assert [a for _, a in views[0].schedule] == pytest.approx([0.1, 0.9])  # $20B ÷ $20B/GW


def test_marked_overlaps_are_counted_once() -> None:
    chips = deal("chips", "4 GW", "2026", "2027")
    cloud = deal("cloud", "$80B", "2026", "2027", kind="cloud", same_capacity_as="chips")
    result = compute_timeline(parse_tiny(chips, cloud))
    counted = {v.deal.name: v.counted for v in result.deals}
    assert counted == {"chips": True, "cloud": False}
    assert result.rows[-1].cumulative_demand == pytest.approx(4)
    reason = result.deals[1].reason
    assert reason is not None and "same capacity as chips" in reason
    # when the deal it restates does not count, the marked one does
    result = compute_timeline(parse_tiny(chips, cloud), statuses=["announced"])
    assert not any(v.counted for v in result.deals)
    chips_loi = deal("chips", "4 GW", "2026", "2027", status="letter-of-intent")
    result = compute_timeline(parse_tiny(chips_loi, cloud))
    assert [v.counted for v in result.deals] == [False, True]
    assert result.rows[-1].cumulative_demand == pytest.approx(4)  # $80B ÷ $20B per GW


def test_covered_in_is_the_year_supply_stays_ahead() -> None:
    from gwcalc.timelines.compute import YearRow

    def rows(*gaps: float) -> list[YearRow]:
        return [YearRow(2025 + i, 0, 0, 10, 10 + g) for i, g in enumerate(gaps)]

    assert covered_in(rows(1, -1, -2)) == 2026
    assert covered_in(rows(-1, 1, -1)) == 2027  # behind again in 2026: from 2027
    assert covered_in(rows(1, 1, 1)) is None
    assert covered_in(rows(-1, -1)) == 2025
    assert covered_in([YearRow(2025, 1, 0, 1, 0)]) is None  # no demand: nothing to cover


# ---------------------------------------------------------------- independent-2026 and chips


def test_independent_2026_timeline_counts_contracts_only() -> None:
    result = api.timeline("independent-2026").computed
    counted = {v.deal.name for v in result.deals if v.counted}
    assert "AMD–OpenAI" in counted and "NVIDIA–OpenAI" not in counted  # converted to equity
    assert all(v.deal.status == "contract" for v in result.deals if v.counted)
    for row in result.rows:  # supply is the sum of the year's chips
        assert row.supply == pytest.approx(math.fsum(v for _, v in row.supply_by_chip), rel=1e-12)
    wider = api.timeline("independent-2026", statuses=["contract", "letter-of-intent"]).computed
    assert wider.rows[-1].cumulative_demand > result.rows[-1].cumulative_demand


def test_chips_convert_by_their_own_figures() -> None:
    aset = resolve_set("independent-2026")
    assert aset.timeline is not None
    power = aset.timeline.chips["GB300"].figures["it_power_per_package"].quantity
    got = api.convert("2M GB300", "GW", aset)
    assert got.chip == "GB300"
    assert float(got.results[0].to("GW").magnitude) == pytest.approx(
        float((Q_(2e6, "gpu") * power).to("GW").magnitude), rel=1e-12
    )
    assert got.conversions[0].path == ["GB300.it_power_per_package"]
    rubin = api.convert("1 GW", "Rubin", aset).results[0]
    gb300 = api.convert("1 GW", "GB300", aset).results[0]
    assert rubin < gb300  # a Rubin package draws more power: fewer per GW
    seed = api.convert("2M GB300", "GW").results[0]  # the default set: the articles' 2 kW
    assert float(seed.to("GW").magnitude) == pytest.approx(4.0, rel=1e-12)


def test_convert_a_chip_from_the_cli() -> None:
    doc = json_output(invoke("convert", "2M GB300", "--to", "GW", "--json"))
    assert doc["chip"] == "GB300"
    assert quantity(doc["results"][0]).to("GW").magnitude == pytest.approx(4.0)
    table = invoke("convert", "2M GB300", "--to", "GW")
    assert "GB300.it_power_per_package" in table.stdout and table.stderr == ""
    assert_user_error(invoke("convert", "2M GB300", "--to", "GB200"), "one chip")
    assert_user_error(invoke("convert", "2M GB300", "-a", "bases-2025"), "GB300")


# ---------------------------------------------------------------- the command


def test_timeline_json_document() -> None:
    doc = json_output(invoke("timeline", "-a", "independent-2026", "--json"))
    assert doc["format_version"] == 2 and doc["assumptions"]["id"] == "independent-2026"
    years = doc["years"]
    keys = {"year", "supply", "demand", "cumulative_supply", "cumulative_demand", "gap"}
    assert all(keys <= set(y) for y in years)
    for y in years:
        gap = quantity(y["cumulative_demand"]) - quantity(y["cumulative_supply"])
        assert quantity(y["gap"]).magnitude == pytest.approx(gap.magnitude)
    assert doc["covered_in"] is None or isinstance(doc["covered_in"], int)
    for d in doc["deals"]:
        assert {"name", "buyer", "seller", "status", "counted", "size", "schedule"} <= set(d)
        if d["counted"]:
            total = math.fsum(s["amount"]["value"] for s in d["schedule"])
            assert total == pytest.approx(d["size"]["value"], rel=1e-12)


def test_timeline_table_and_window() -> None:
    result = invoke("timeline", "-a", "seed-2025", "--from", "2026", "--to", "2028")
    assert result.exit_code == 0 and result.stderr == ""
    rows = [
        line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│ 20")
    ]
    assert rows[:3] == ["2026", "2027", "2028"]
    # OpenAI's deals against NVIDIA's whole share of CoWoS: no covered claim (issue 17)
    assert "Supply is ahead" not in result.stdout and "catches up" not in result.stdout
    assert "No covered claim" in result.stdout
    assert "Caveats of seed-2025 v3" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--from", "2031"), ("2025", "2030")),
        (("--from", "2028", "--to", "2026"), ("the years are reversed: from 2028 to 2026",)),
        (("--from", "2031"), ("2031 is outside it",)),
        (("--from", "20x6"), ("not a year",)),
        (("-a", "seed-2025@2"), ("no time axis",)),
        (("--unit", "GW/year"), ("one kind",)),
    ],
)
def test_timeline_errors(args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    assert_user_error(invoke("timeline", *args), *fragments)


def test_timeline_status_is_a_choice() -> None:
    assert_user_error(invoke("timeline", "--status", "signed"), "signed", code=2)


# ---------------------------------------------------------------- reading format 2 files


def _with_deals(*deals: dict[str, object]) -> object:
    return lambda d: {**d, "deals": list(deals)}


PUE_2025_ONLY = {"pue": figure(1.2, "W_facility/W", by_year=by_year({2025: 1.2}))}


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda d: {**d, "format": 1}, "needs format = 2"),
        (lambda d: {**d, "timeline": {"start": 2030, "end": 2025}}, "2030 to"),
        (lambda d: {**d, "parameters": {**d["parameters"], **PUE_2025_ONLY}}, "missing 2026"),
        (_with_deals(deal("a", "1 GW", "2026-H3", "2027")), "half-year"),
        (_with_deals(deal("a", "1 GW", "2027", "2026")), "ends before"),
        (_with_deals(deal("a", "-1 GW", "2026", "2027")), "positive"),
        (_with_deals(deal("a", "1 GW/year", "2026", "2027")), "positive total"),
        (_with_deals(deal("a", "1 GW", "2026", "2027", status="signed")), "status"),
        (
            _with_deals(deal("a", "1 GW", "2026", "2027"), deal("a", "1 GW", "2026", "2027")),
            "two deals",
        ),
        (
            _with_deals(
                deal("a", "1 GW", "2026", "2027", same_capacity_as="b"),
                deal("b", "1 GW", "2026", "2027", same_capacity_as="a"),
            ),
            "loop",
        ),
        (
            _with_deals(deal("a", "1 GW", "2026", "2027", phasing="shares", shares={"2026": 0.5})),
            "sum to",
        ),
    ],
)
def test_bad_time_axes_are_refused(
    edit: Callable[[dict[str, Any]], dict[str, Any]], fragment: str
) -> None:
    text = set_text(edit(tiny_set()))
    with pytest.raises(GwcalcError) as caught:
        parse_set(text)
    assert fragment in caught.value.message


def test_a_mix_makes_supply_from_each_chip() -> None:
    aset = parse_tiny(chips=chip("X1"), mix=mix({"X1": 0.4}))
    rows = compute_timeline(aset).rows
    # 1M wafers × 0.4 × 10 packages × 2 kW = 8 GW a year (vendor_share is not used by a mix)
    assert all(r.supply == pytest.approx(8, rel=1e-12) for r in rows)
    ((name, amount),) = rows[0].supply_by_chip
    assert name == "X1" and amount == pytest.approx(8, rel=1e-12)


TWO = {"X1": 0.7, "X2": 0.7}


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"chips": chip("GW")}, "is a unit already"),
        ({"chips": chip("X1"), "mix": mix(TWO)}, "not in the chip catalogue"),
        ({"chips": {**chip("X1"), **chip("X2")}, "mix": mix(TWO)}, "at most 1"),
        ({"chips": chip("X1", "W_facility/gpu")}, "W/gpu"),
        ({"chips": chip("X1"), "mix": mix({"X1": 0.5}, [2025])}, "every year"),
    ],
)
def test_bad_chips_and_mixes_are_refused(extra: dict[str, object], fragment: str) -> None:
    with pytest.raises(GwcalcError) as caught:
        parse_tiny(**extra)
    assert fragment in caught.value.message


@pytest.mark.parametrize("name", ["seed-2025", "independent-2026"])
def test_format_2_sets_read_back_as_written(name: str, tmp_path: Path) -> None:
    aset = resolve_set(name)
    again = parse_set(aset.to_toml())
    assert again.sha256 == aset.sha256
    assert again.timeline == aset.timeline


def test_a_bad_set_file_is_a_clean_error_in_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(tiny_text(deal("a", "1 GW", "2027", "2026")), encoding="utf-8")
    assert_user_error(invoke("timeline", "-a", str(path)), "ends before")


def test_each_years_factors_multiply_to_its_supply() -> None:
    """The JSON's supply_factors are the whole arithmetic: their product is the year's supply."""
    doc = json_output(invoke("timeline", "-a", "independent-2026", "--json"))
    for year in doc["years"]:
        total = Q_(0.0, "GW")
        for part in year["supply_factors"]:
            product = Q_(1.0, "year")  # supply is a rate; a year of it is the amount
            for factor in part["factors"]:
                product = product * quantity(factor["value"]) ** factor["exponent"]
            total = total + product.to("GW")
            chip = year["supply_by_chip"][part["chip"]]
            assert product.to("GW").magnitude == pytest.approx(chip["value"], rel=1e-12)
        assert total.magnitude == pytest.approx(year["supply"]["value"], rel=1e-12)


def test_timeline_formats() -> None:
    """CSV parses with a header and one row a year; -q lines read back; Markdown is a table."""
    import csv
    import io

    seed = ("-a", "seed-2025")
    doc = json_output(invoke("timeline", *seed, "--json"))
    table = invoke("timeline", *seed, "--format", "csv")
    assert table.exit_code == 0 and table.stderr == ""
    rows = [r for r in csv.DictReader(io.StringIO(table.stdout)) if r["level"] == "market"]
    assert [int(r["year"]) for r in rows] == [y["year"] for y in doc["years"]]
    for row, year in zip(rows, doc["years"], strict=True):
        assert float(row["gap"]) == pytest.approx(year["gap"]["value"], rel=1e-15)
        assert row["unit"] == year["gap"]["unit"]
        assert (
            row["matched"] == "false" and row["demand_scope"] == "deals (buyer OpenAI; any vendor)"
        )
    quiet = invoke("timeline", *seed, "-q").stdout.splitlines()
    assert doc["covered_in"] is None and "covered_in n/a" in quiet  # one buyer against a market
    assert parse_quantity(quiet[0].split(" ", 1)[1]).magnitude == pytest.approx(-13.5)
    markdown = invoke("timeline", *seed, "--format", "markdown").stdout
    assert markdown.startswith("**No covered claim")
    assert "| year |" in markdown and "| --- |" in markdown and "| deal |" in markdown
    clash = invoke("timeline", "--format", "csv", "-q")
    assert_user_error(clash, "clash", code=2)


def test_a_chain_planned_once_is_evaluated_with_each_sets_own_values() -> None:
    """Chains are planned once per structure (names and units) and reused: a second set of the
    same structure must get its own values' answer, in every year, for supply and deals."""
    first = parse_tiny(deal("D", "$100B", "2026", "2027"))
    changes = {"gpus_per_gw": "400k gpu/GW", "hardware_cost_per_gw": "25B USD/GW"}
    second = first.with_overrides([(n, parse_quantity(q)) for n, q in changes.items()])
    one, two = compute_timeline(first), compute_timeline(second)
    for a, b in zip(one.rows, two.rows, strict=True):
        assert b.supply == pytest.approx(a.supply * 500 / 400, rel=1e-12)
        assert b.demand == pytest.approx(a.demand * 20 / 25, rel=1e-12)
    assert compute_timeline(first).rows == one.rows  # and the first again, after the second
    for row in one.rows:  # each year equals a plan made afresh through pint for that set
        assert row.supply == pytest.approx(float(compute_gap(first).supply_per_year.magnitude))


def test_the_counted_line_says_when_a_run_counts_other_statuses_than_the_set() -> None:
    own = invoke("timeline", "-a", "independent-2026").stdout
    assert "deals whose status is contract (change with --status)" in own
    other = invoke("timeline", "-a", "independent-2026", "--status", "letter-of-intent")
    assert "this run's --status; the set counts contract" in " ".join(other.stdout.split())


def test_a_reused_chain_still_refuses_a_figure_too_small_for_a_float() -> None:
    """A chain planned for an earlier set is reused only for moderate values: an extreme one
    is planned afresh through pint, which refuses it as a first run would (never a subnormal
    result with exit 0, whatever ran before in the process)."""
    fresh_error = None
    extreme = [("gpus_per_gw", parse_quantity("1e-300 gpu/GW"))]
    for _ in range(2):  # the first pass plans the chain; the second would reuse it
        compute_timeline(resolve_set("seed-2025"), "gpu")
        with pytest.raises(GwcalcError) as caught:
            compute_timeline(resolve_set("seed-2025").with_overrides(extreme), "gpu")
        fresh_error = fresh_error or caught.value.message
        assert caught.value.message == fresh_error
        assert "too small to compute with" in fresh_error


def test_timeline_records_copy_and_pickle() -> None:
    import copy
    import pickle

    from gwcalc.sets.time_axis import Timeline

    empty = Timeline(2025, 2030)  # its chips and mix: the shared empty default
    assert copy.deepcopy(empty) == empty == pickle.loads(pickle.dumps(empty))
    shipped = resolve_set("independent-2026").timeline
    assert shipped is not None and copy.deepcopy(shipped) == shipped
