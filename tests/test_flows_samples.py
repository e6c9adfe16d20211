"""`gwcalc flows --samples`: p5/p50/p95 of each warrant's value and each seller's round-trip
share over a ranged share price, through the one Sampler (seeded, reproducible)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gwcalc import api
from gwcalc.errors import ParameterError
from gwcalc.sets.flows import Warrant
from gwcalc.sets.read import parse_set
from gwcalc.units.registry import Q_
from tests.helpers import assert_contract, assert_user_error, invoke, json_output
from tests.tiny_sets import money_set, set_text

WARRANT = Warrant(160_000_000, "0.01 USD_equity", "amd_share_price")


def test_samples_summarise_warrants_and_round_trip_shares() -> None:
    aset = parse_set(set_text(money_set()))  # amd_share_price 165, range 100..600
    result = api.flows(aset, samples=2000, seed=7)
    u = result.uncertainty
    assert u is not None and u.varied == ("amd_share_price",) and u.samples == 2000
    (name, value), = u.warrants  # fmt: skip
    assert name == "AMD–OpenAI warrant"
    # the range 100..600 is a 90% interval (lognormal): p5 and p95 lie near its ends
    assert value.p5 == pytest.approx(WARRANT.value(100), rel=0.1)
    assert value.p95 == pytest.approx(WARRANT.value(600), rel=0.1)
    assert value.p5 < value.p50 < value.p95
    amd = dict(u.shares)["AMD"]
    assert 0 <= amd.p5 <= amd.p50 <= amd.p95 <= 1 and amd.p5 < amd.p95
    nvidia = dict(u.shares)["NVIDIA"]  # no warrant: its share does not move
    assert nvidia.p5 == nvidia.p95 == 0.375
    again = api.flows(aset, samples=2000, seed=7).uncertainty
    assert again is not None and again.warrants == u.warrants  # the same seed, the same draws


def test_a_point_share_price_is_refused() -> None:
    aset = parse_set(set_text(money_set())).with_overrides([("amd_share_price", Q_(600.0))])
    with pytest.raises(ParameterError, match="no figure the counted flows use has a range"):
        api.flows(aset, samples=100)


def test_the_command_prints_percentiles_and_json(tmp_path: Path) -> None:
    path = tmp_path / "money.toml"
    path.write_text(set_text(money_set()), encoding="utf-8")
    args = ("flows", "-a", str(path), "--set", "amd_share_price=164.67..600", "--samples", "500")
    table = invoke(*args)
    assert_contract(table)
    assert "Over 500 samples of amd_share_price (seed 20261202)" in table.stdout
    assert "round-trip share AMD" in table.stdout
    assert "round-trip share NVIDIA" not in table.stdout  # it does not move
    doc = json_output(invoke(*args, "--json"))
    w = doc["uncertainty"]["warrants"][0]
    p5, p50, p95 = (w[p]["value"] for p in ("p5", "p50", "p95"))
    assert w["p5"]["unit"] == "USD_equity" and p5 <= p50 <= p95 <= WARRANT.value(600)
    assert w["id"] == "AMD-OpenAI warrant"
    graph = invoke(*args, "--format", "dot")  # the other formats: test_flows_samples_formats
    assert graph.exit_code == 2 and "--samples prints tables, JSON, CSV" in graph.stderr
    seed_alone = invoke("flows", "-a", str(path), "--seed", "3")
    assert seed_alone.exit_code == 2 and "--seed needs --samples" in seed_alone.stderr


def test_sampling_a_figure_pinned_by_set_says_the_override_removed_its_range() -> None:
    result = invoke("flows", "-a", "market-2026@4", "--party", "AMD",
                    "--set", "amd_share_price=600", "--samples", "2000")  # fmt: skip
    assert_user_error(
        result,
        "the override of amd_share_price gave one value and removed the range",
        "give the override one: amd_share_price=LOW..HIGH",
    )
