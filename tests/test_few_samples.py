"""Few samples shown honestly: no standard error from one sample (None, JSON null, 'n/a' in
tables, never 0), a warning on stderr below 20 samples, and a probability's standard error
s/√n with s the sample standard deviation."""

from __future__ import annotations

import csv
import io
import json
import math
from statistics import stdev
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwcalc import api
from gwcalc.cli.options import PERCENTILES_FROM as CLI_FLOOR
from gwcalc.uncertainty.sampling import probability, summarize
from gwcalc.uncertainty.summary import ERRORS_FROM, PERCENTILES_FROM, probability_error
from tests.helpers import invoke, strict_json

RANGED = ("--set", "gpus_per_gw=330k..478k")
COMMANDS: dict[str, tuple[str, ...]] = {
    "gap": ("gap", "-a", "independent-2026"),
    "timeline": ("timeline",),
    "convert": ("convert", "6 GW", "--to", "gpu", "-a", "independent-2026", *RANGED),
    "flows": ("flows", "--set", "amd_share_price=164.67..600"),
    "economics": ("economics",),
}
ONE = (
    "Warning: 1 sample: p5, p50 and p95 are that one draw, no standard error can be estimated "
    "(± n/a, JSON null), and a probability is one draw's yes or no. Give --samples 20 or more "
    "(10,000 gives percentiles to about 1%).\n"
)
TWO = (
    "Warning: 2 samples: too few for p5 and p95 (no sample is expected beyond them: they lie "
    "between the two lowest and the two highest samples, and their standard errors are rough), "
    "and a probability is a share of 2 draws. Give --samples 20 or more (10,000 gives "
    "percentiles to about 1%).\n"
)
NOTE = "± n/a: a standard error needs at least 2 samples"


def run(command: str, n: int, *more: str) -> tuple[str, str]:
    """stdout and stderr of a run that succeeds."""
    result = invoke(*COMMANDS[command], "--samples", str(n), *more)
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


def summaries(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every sampled summary (an object with p5 and standard_error) anywhere in a document."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "p5" in node and "standard_error" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    return found


def test_the_floors_agree() -> None:
    assert CLI_FLOOR == PERCENTILES_FROM == 20 and ERRORS_FROM == 2


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_one_sample_has_no_standard_error_in_json(command: str) -> None:
    stdout, stderr = run(command, 1, "--json")
    assert stderr == ONE
    doc = strict_json(stdout)
    found = summaries(doc)
    assert found
    for s in found:
        assert s["standard_error"] == {"p5": None, "p50": None, "p95": None}
        assert s["p5"] == s["p50"] == s["p95"]  # the one draw
    if command == "timeline":
        due = [y for y in doc["years"] if y["demand_due"]]
        assert due and all(y["p_covered"] in (0.0, 1.0) for y in due)
        assert all(y["p_covered_standard_error"] is None for y in doc["years"])


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_two_samples_have_standard_errors_and_a_warning(command: str) -> None:
    stdout, stderr = run(command, 2, "--json")
    assert stderr == TWO
    found = summaries(strict_json(stdout))
    assert found
    for s in found:
        errors = s["standard_error"]
        assert all(errors[k] is not None for k in ("p5", "p50", "p95"))
        low, high = (s[k]["value"] for k in ("p5", "p95"))
        if low is not None and high is not None:  # p5 and p95: 5% and 95% of the way between
            spread = (high - low) / 0.9  # the two samples, whose half spread is each error
            for k in ("p5", "p50", "p95"):
                if errors[k]["value"] is not None:
                    assert errors[k]["value"] == pytest.approx(spread / 2, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("command", ["gap", "convert"])
def test_one_sample_table_shows_no_error(command: str) -> None:
    stdout, stderr = run(command, 1)
    assert stderr == ONE
    assert "Uncertainty — 1 samples" in stdout
    rows = [line for line in stdout.splitlines() if line.startswith("│") and "│ n/a │" in line]
    assert rows and all(" 0 │" not in row.rpartition("│ n/a")[0][-4:] for row in rows)
    assert NOTE in " ".join(stdout.split())
    two, stderr = run(command, 2)
    assert stderr == TWO
    assert "n/a" not in two and NOTE not in " ".join(two.split())


def test_one_sample_timeline_table_marks_p_covered() -> None:
    stdout, stderr = run("timeline", 1)
    assert stderr == ONE
    rows = [line for line in stdout.splitlines() if line.strip().startswith("20")]
    marked = [row for row in rows if row.rstrip().endswith("% ± n/a")]
    assert marked and all(row.rstrip().endswith(("100% ± n/a", "0% ± n/a")) for row in marked)
    assert NOTE in " ".join(stdout.split())
    two, stderr = run("timeline", 2)
    assert stderr == TWO and "n/a" not in two


def test_one_sample_timeline_csv_leaves_the_error_empty() -> None:
    stdout, stderr = run("timeline", 1, "--format", "csv")
    assert stderr == ONE
    rows = list(csv.DictReader(io.StringIO(stdout)))
    due = [r for r in rows if r["p_covered"] != ""]
    assert due and all(r["p_covered_standard_error"] == "" for r in due)


@pytest.mark.parametrize("command", ["flows", "economics"])
def test_few_sample_tables_of_flows_and_economics_warn(command: str) -> None:
    for n, warning in ((1, ONE), (2, TWO)):
        stdout, stderr = run(command, n)
        assert stderr == warning
        assert f"{n} samples" in stdout and "Warning" not in stdout


def test_diff_one_sample_has_null_errors() -> None:
    result = invoke("diff", "market-2026", "--set", "utilization=70%", "--samples", "1", "--json")
    assert result.exit_code == 0 and result.stderr == ONE
    doc = strict_json(result.stdout)
    assert all(s["standard_error"] == dict.fromkeys(("p5", "p50", "p95")) for s in summaries(doc))
    years = doc["economics"]["uncertainty"]["by_year"]
    for year in years.values():
        assert year["p_revenue_covers"]["standard_error"] == {"before": None, "after": None}


def test_twenty_samples_are_quiet() -> None:
    for command in COMMANDS:
        stdout, stderr = run(command, PERCENTILES_FROM, "--json")
        assert stderr == "" and json.loads(stdout)


def test_api_one_sample_gives_none() -> None:
    """The API takes one sample (its tests use 1 to 20) and says the errors are not known."""
    gap = api.gap("independent-2026", samples=1)
    assert gap.uncertainty is not None
    for s in gap.uncertainty.summaries.values():
        assert s.errors is None and s.largest_error is None
        assert s.standard_errors == (None, None, None)
    assert all(
        e is None
        for s in gap.to_dict()["uncertainty"]["outputs"].values()
        for e in s["standard_error"].values()
    )
    timeline = api.timeline(samples=1)
    assert timeline.uncertainty is not None
    assert all(y.p_covered_error is None for y in timeline.uncertainty.years)
    econ = api.economics(samples=1)
    assert econ.uncertainty is not None and econ.uncertainty.payback_within_life[1] is None
    assert all(p[1] is None for p in econ.uncertainty.covers.values())


def test_summaries_below_two_samples() -> None:
    assert summarize([3.0]).errors is None
    assert summarize([3.0, 3.0]).errors == (0.0, 0.0, 0.0)  # alike: exactly that value
    # half the spread of the two, p95's too: it read the last sample twice, an error of 0
    assert summarize([1.0, 3.0]).errors == (1.0, 1.0, 1.0)
    assert probability([False]) == (0.0, None)
    assert probability_error(0.5, 2) == 0.5


@given(st.lists(st.booleans(), min_size=2, max_size=400))
def test_a_probability_error_is_s_over_root_n(flags: list[bool]) -> None:
    """The closed form: s/√n, s the sample standard deviation (divisor n − 1) of the 0/1 flags."""
    p, error = probability(flags)
    n = len(flags)
    assert p == sum(flags) / n
    expected = stdev([float(f) for f in flags]) / math.sqrt(n)
    assert error == pytest.approx(expected, rel=1e-12, abs=1e-15)


@given(n=st.integers(2, 40), seed=st.integers(0, 2**32))
def test_the_p_covered_shown_is_s_over_root_n(n: int, seed: int) -> None:
    """timeline's P(covered) error, as --json shows it, from the share of n covered samples."""
    doc = api.timeline(samples=n, seed=seed).to_dict()
    for year in doc["years"]:
        if not year["demand_due"]:
            continue
        covered = round(year["p_covered"] * n)
        assert year["p_covered"] == covered / n
        flags = [1.0] * covered + [0.0] * (n - covered)
        expected = stdev(flags) / math.sqrt(n)
        assert year["p_covered_standard_error"] == pytest.approx(expected, rel=1e-12, abs=1e-15)


SENSITIVITY_RANGED = ("sensitivity", "-a", "independent-2026", *RANGED)  # sampled: the gap
SENSITIVITY_EXACT = ("sensitivity", "-a", "seed-2025", *RANGED)  # coverage: a product


def test_sampled_shares_from_few_samples_warn() -> None:
    """Below 100 samples (2 in each of the 50 bins) every sampled share that moves is 100%."""
    few = invoke(*SENSITIVITY_RANGED, "--samples", "99")
    assert few.exit_code == 0
    assert few.stderr == (
        "Warning: 99 samples: too few for sampled variance shares (the estimate sorts them into "
        "50 bins, and with fewer than 2 in a bin every share that moves comes out 100%). Give "
        "--samples 100 or more (the default is 20,000).\n"
    )
    assert "first-order shares from 99 samples" in " ".join(few.stdout.split())
    enough = invoke(*SENSITIVITY_RANGED, "--samples", "100", "--json")
    assert enough.exit_code == 0 and enough.stderr == ""
    assert strict_json(enough.stdout)["samples"] == 100


@pytest.mark.parametrize(
    ("given", "named"),
    [
        (("--samples", "50"), "--samples changes nothing here"),
        (("--samples", "20000"), "--samples changes nothing here"),
        (("--seed", "3", "--samples", "500"), "--samples and --seed change nothing here"),
    ],
)
def test_samples_for_exact_shares_are_refused(given: tuple[str, ...], named: str) -> None:
    result = invoke(*SENSITIVITY_EXACT, *given)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {named}: the shares of coverage are exact")
    plain = invoke(*SENSITIVITY_EXACT, "--json")
    assert plain.exit_code == 0 and plain.stderr == ""
    assert strict_json(plain.stdout)["method"] == "exact"


@pytest.mark.parametrize(
    "args",
    [
        ("economics", "--samples", "1", "-q"),
        ("diff", "market-2026", "--set", "utilization=70%", "--samples", "2", "-q"),
        ("gap", "-a", "no-such-set", "--samples", "1"),
        ("convert", "6 GW", "--to", "foo", "--samples", "1"),
    ],
)
def test_a_run_that_fails_says_only_its_error(args: tuple[str, ...]) -> None:
    """The warning waits for success: a refused run's stderr starts with its error."""
    result = invoke(*args)
    assert result.exit_code in (1, 2) and result.stdout == ""
    assert result.stderr.startswith("Error: ") and "Warning" not in result.stderr
    after = invoke("gap", "--json")  # nothing left over for the next run in this process
    assert after.exit_code == 0 and after.stderr == ""


def test_an_error_among_never_samples_is_null() -> None:
    """A percentile among paybacks that never come has no error (∞ − ∞): null, not a 'never'."""
    args = ("economics", "--set", "price_per_gpu_hour=0.1..3", "--samples", "200", "--json")
    result = invoke(*args)
    assert result.exit_code == 0 and result.stderr == ""
    payback = strict_json(result.stdout)["uncertainty"]["per_gw"]["payback_years"]
    assert payback["p95"]["never"] is True
    assert payback["standard_error"]["p95"] is None
    assert payback["standard_error"]["p5"]["value"] > 0
