"""'Covered' only once demand is due: a year with no cumulative demand is never a catch-up year,
nor covered in any sample; covered_in's None says which of its two meanings it has."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given

from gwcalc import api
from gwcalc.timelines.compute import (
    COVERED,
    NO_DEMAND_DUE,
    NOT_COVERED,
    YearRow,
    behind,
    compute_timeline,
    coverage,
    covered_in,
)
from gwcalc.uncertainty.timeline import timeline_uncertainty
from tests.helpers import invoke, json_output
from tests.strategies import timeline_rows
from tests.tiny_sets import deal, market, parse_tiny, tiny_text


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
    # covered: supply at or above demand, within float rounding (behind's rule: 100 GW of
    # demand against 99.99999999999999 of supply is not a shortfall)
    after = [r for r in rows if r.year >= year]
    assert all(
        r.cumulative_demand > 0 and not behind(r.cumulative_demand, r.cumulative_supply)
        for r in after
    )
    before = [r for r in rows if r.year == year - 1]
    assert (
        not before
        or before[0].cumulative_demand <= 0
        or behind(before[0].cumulative_demand, before[0].cumulative_supply)
    )


def test_supply_short_of_demand_by_float_rounding_only_is_covered() -> None:
    """The row Hypothesis found: 99.99999999999999 GW against 100 GW is covered (1 ulp), and a
    shortfall of 1e-7 GW in 100 (a billionth, far above rounding) is not."""
    assert covered_in(_rows((99.99999999999999, 100.0))) == 2025
    assert not behind(100.0, 99.99999999999999)
    assert behind(100.0, 100.0 - 1e-7)
    assert covered_in(_rows((100.0 - 1e-7, 100.0))) is None


def late_market() -> str:
    """A like-for-like toy market whose only plan starts in 2026-H2: 30 GW over nine
    half-years (3.33 GW in 2026, then 6.67 a year) against 10 GW of supply a year."""
    plan = deal("Y GW", "30 GW", "2026-H2", "2030", buyer="Y", kind="gw-plan", seller="-")
    return tiny_text(plan, **market(demand_buyers="all"))


def test_seed_2025_is_covered_from_2026_not_2025(tmp_path: Path) -> None:
    """The issue's case: seed-2025 has no demand due in 2025 (its deals start in 2026-H2)."""
    result = api.timeline("seed-2025")
    assert result.rows[0].cumulative_demand == 0
    assert (result.computed.covered_in, result.computed.coverage) == (2026, COVERED)
    # (a claim seed-2025 does not make: OpenAI's deals against a market; a like-for-like
    # market whose demand starts in 2026-H2 makes it)
    path = tmp_path / "late.toml"
    path.write_text(late_market(), encoding="utf-8")
    table = invoke("timeline", "-a", str(path))
    assert table.exit_code == 0 and table.stderr == ""
    assert "covers cumulative demand from 2026 to 2030" in table.stdout
    assert "none falls due before 2026" in table.stdout
    assert "from 2025" not in table.stdout
    doc = json_output(invoke("timeline", "-a", str(path), "--json"))
    assert (doc["covered_in"], doc["coverage"]) == (2026, "covered")
    assert [y["demand_due"] for y in doc["years"]] == [False, *[True] * 5]
    assert "covered_in 2026" in invoke("timeline", "-a", str(path), "-q").stdout.splitlines()


def test_no_demand_due_is_said_so_in_every_format() -> None:
    late = deal("Late", "5 GW", "2031", "2032", kind="gw-plan")  # outside the window
    result = api.timeline(parse_tiny(late, **market(demand_buyers="all")))
    assert (result.covered_in, result.coverage) == (None, NO_DEMAND_DUE)
    assert "no counted demand falls due" in str(result)
    big = deal("Big", "500 GW", "2025", "2026", kind="gw-plan")
    behind = api.timeline(parse_tiny(big, **market(demand_buyers="all")))
    assert (behind.covered_in, behind.coverage) == (None, NOT_COVERED)
    assert "not covered by 2030" in str(behind)


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


def test_p_covered_before_demand_is_due_in_the_cli_formats(tmp_path: Path) -> None:
    path = tmp_path / "late.toml"
    path.write_text(late_market(), encoding="utf-8")
    args = ["timeline", "-a", str(path), "--set", "cowos_wafers_per_year=0.9M..1.1M",
            "--samples", "500"]  # fmt: skip
    doc = json_output(invoke(*args, "--json"))
    first = doc["years"][0]
    assert (first["demand_due"], first["p_covered"], first["p_covered_standard_error"]) == (
        False,
        None,
        None,
    )
    quiet = invoke(*args, "-q").stdout.splitlines()
    assert "p_covered.2025 none" in quiet
    rows = list(csv.DictReader(io.StringIO(invoke(*args, "--format", "csv").stdout)))
    first_row = next(r for r in rows if r["level"] == "market")
    assert first_row["year"] == "2025"
    assert (first_row["p_covered"], first_row["p_covered_standard_error"]) == ("", "")
    table = invoke(*args)
    assert "P(covered) —: no demand due yet, so nothing to cover." in table.stdout
    markdown = invoke(*args, "--format", "markdown").stdout
    assert next(line for line in markdown.splitlines() if line.startswith("| 2025 |")).endswith(
        "| — |"
    )  # 2025's P(covered)
