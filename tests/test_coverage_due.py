"""'Covered' only once demand is due: a year with no cumulative demand is never a catch-up year,
nor covered in any sample; covered_in's None says which of its two meanings it has."""

from __future__ import annotations

from hypothesis import given

from gwcalc import api
from gwcalc.timelines.compute import (
    COVERED,
    NO_DEMAND_DUE,
    NOT_COVERED,
    YearRow,
    compute_timeline,
    coverage,
    covered_in,
)
from gwcalc.uncertainty.timeline import timeline_uncertainty
from tests.helpers import invoke, json_output
from tests.strategies import timeline_rows
from tests.tiny_sets import deal, parse_tiny


def _rows(*pairs: tuple[float, float]) -> list[YearRow]:
    """Years from 2025, each (supply, demand), with their running sums."""
    rows, s, d = [], 0.0, 0.0
    for i, (supply, demand) in enumerate(pairs):
        s, d = s + supply, d + demand
        rows.append(YearRow(2025 + i, supply, demand, s, d))
    return rows


def test_a_year_with_no_demand_due_is_never_the_catch_up_year() -> None:
    # 2025: supply 10, nothing due (gap -10 ≤ 0, but there is nothing to cover)
    assert covered_in(_rows((10, 0), (10, 5), (10, 5))) == 2026
    assert covered_in(_rows((10, 0), (10, 0), (1, 30), (40, 0))) == 2028
    assert covered_in(_rows((10, 0), (10, 30))) is None


def test_covered_in_none_has_two_meanings_kept_apart() -> None:
    assert coverage(_rows((10, 0), (10, 0))) == NO_DEMAND_DUE  # nothing falls due
    assert coverage(_rows((1, 0), (1, 30))) == NOT_COVERED  # due, and supply stays behind
    assert coverage(_rows((10, 0), (10, 5))) == COVERED
    assert coverage([]) == NO_DEMAND_DUE


@given(timeline_rows())
def test_covered_in_is_never_a_year_without_demand_due(rows: list[YearRow]) -> None:
    year = covered_in(rows)
    state = coverage(rows)
    assert (year is not None) == (state == COVERED)
    assert (state == NO_DEMAND_DUE) == (rows[-1].cumulative_demand <= 0)
    if year is None:
        return
    after = [r for r in rows if r.year >= year]
    assert all(r.cumulative_demand > 0 and r.gap <= 0 for r in after)
    before = [r for r in rows if r.year == year - 1]
    assert not before or before[0].cumulative_demand <= 0 or before[0].gap > 0


def test_seed_2025_is_covered_from_2026_not_2025() -> None:
    """The issue's case: seed-2025 has no demand due in 2025 (its deals start in 2026-H2)."""
    result = api.timeline("seed-2025")
    assert result.rows[0].cumulative_demand == 0
    assert (result.covered_in, result.coverage) == (2026, COVERED)
    table = invoke("timeline", "-a", "seed-2025")
    assert table.exit_code == 0 and table.stderr == ""
    assert "covers cumulative demand from 2026 to 2030" in table.stdout
    assert "none falls due before 2026" in table.stdout
    assert "from 2025" not in table.stdout
    doc = json_output(invoke("timeline", "-a", "seed-2025", "--json"))
    assert (doc["covered_in"], doc["coverage"]) == (2026, "covered")
    assert [y["demand_due"] for y in doc["years"]] == [False, *[True] * 5]
    assert invoke("timeline", "-a", "seed-2025", "-q").stdout.splitlines()[-1] == "covered_in 2026"


def test_no_demand_due_is_said_so_in_every_format() -> None:
    late = deal("Late", "5 GW", "2031", "2032")  # outside the window
    result = compute_timeline(parse_tiny(late))
    assert (result.covered_in, result.coverage) == (None, NO_DEMAND_DUE)
    assert "no counted demand falls due" in str(api.TimelineResult(result))
    behind = compute_timeline(parse_tiny(deal("Big", "500 GW", "2025", "2026")))
    assert (behind.covered_in, behind.coverage) == (None, NOT_COVERED)
    assert "not covered by 2030" in str(api.TimelineResult(behind))


def test_p_covered_is_none_before_demand_is_due() -> None:
    aset = parse_tiny(
        deal("D", "40 GW", "2027", "2029"),
        parameters={"gpus_per_gw": {"low": 400_000, "high": 600_000}},
    )
    result = compute_timeline(aset)
    u = timeline_uncertainty(result, 400)
    got = {y.year: (y.p_covered, y.p_covered_error, y.demand_due) for y in u.years}
    assert got[2025] == got[2026] == (None, None, False)
    assert all(got[y][0] is not None and got[y][2] for y in range(2027, 2031))


def test_p_covered_before_demand_is_due_in_the_cli_formats() -> None:
    args = ["timeline", "-a", "seed-2025", "--set", "gpus_per_gw=330k..3M", "--samples", "500"]
    doc = json_output(invoke(*args, "--json"))
    first = doc["years"][0]
    assert (first["demand_due"], first["p_covered"], first["p_covered_standard_error"]) == (
        False,
        None,
        None,
    )
    quiet = invoke(*args, "-q").stdout.splitlines()
    assert "p_covered.2025 none" in quiet
    csv = invoke(*args, "--format", "csv").stdout.splitlines()
    assert csv[1].startswith("2025,") and csv[1].endswith(",,")  # p_covered and its error empty
    table = invoke(*args)
    assert "P(covered) —: no demand due yet, so nothing to cover." in table.stdout
    markdown = invoke(*args, "--format", "markdown").stdout
    assert next(line for line in markdown.splitlines() if line.startswith("| 2025 |")).endswith(
        "| — |"
    )  # 2025's P(covered)
