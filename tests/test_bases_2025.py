"""bases-2025: the articles' 2025 chain with explicit bases, and what the bases alone change."""

from __future__ import annotations

import pytest

from gwcalc.analysis.diff import diff_sets
from gwcalc.engine.plan import compute_gap
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.find import resolve_set


@pytest.fixture
def bases() -> AssumptionSet:
    """bases-2025 v1 (all-in dollars per GW of facility power), found as `-a` finds it."""
    return resolve_set("bases-2025@1")


@pytest.fixture
def seed() -> AssumptionSet:
    return resolve_set("seed-2025")


PACKAGES_PER_YEAR = 900_000 * 0.5 * 15 / 2  # the articles' 6.75M dies, two per package
SUPPLY_GW_IT = PACKAGES_PER_YEAR / 478_000
DEMAND_GW_FACILITY = 1e12 / 46.7e9
DEMAND_GW_IT = DEMAND_GW_FACILITY / 1.4


def test_same_wafers_and_share_as_the_articles(bases: AssumptionSet, seed: AssumptionSet) -> None:
    for name in ("cowos_wafers_per_year", "vendor_share", "contracted_spend"):
        assert float(bases.quantity(name).magnitude) == float(seed.quantity(name).magnitude)
    dies_per_wafer = bases.quantity("gpus_per_wafer") * bases.quantity("dies_per_gpu")
    assert float(dies_per_wafer.magnitude) == float(seed.quantity("gpus_per_wafer").magnitude)


def test_gap_in_it_power(bases: AssumptionSet) -> None:
    gap = compute_gap(bases)
    assert float(gap.supply_per_year.magnitude) == pytest.approx(SUPPLY_GW_IT, rel=1e-12)
    assert float(gap.demand.magnitude) == pytest.approx(DEMAND_GW_IT, rel=1e-12)
    assert float(gap.coverage.magnitude) == pytest.approx(SUPPLY_GW_IT / DEMAND_GW_IT, rel=1e-12)


def test_gap_in_facility_power(bases: AssumptionSet) -> None:
    gap = compute_gap(bases, "GW_facility")
    assert float(gap.supply_per_year.magnitude) == pytest.approx(SUPPLY_GW_IT * 1.4, rel=1e-12)
    assert float(gap.demand.magnitude) == pytest.approx(DEMAND_GW_FACILITY, rel=1e-12)
    assert round(float(gap.demand.magnitude)) == 21  # figures.md part C: "21 GW"


def test_the_bases_alone_halve_supply_and_cut_demand_by_two_thirds(
    bases: AssumptionSet, seed: AssumptionSet
) -> None:
    result = diff_sets(seed, bases)
    by_name = {o.name: o for o in result.output_changes}
    supply = by_name["supply_per_year"]
    assert {s.parameters for s in supply.attribution} == {("gpus_per_wafer",), ("gpus_per_gw",)}
    dies_to_packages = next(s for s in supply.attribution if s.parameters == ("gpus_per_wafer",))
    assert dies_to_packages.share == pytest.approx(1.07, abs=0.01)  # 107%: halving, less 500k→478k
    (group,) = by_name["demand"].attribution
    assert group.chain_change
    assert float(group.delta.magnitude) == pytest.approx(DEMAND_GW_IT - 50, rel=1e-9)
