"""Money that vests with the power a deal delivers (vesting_deal, vesting_gw, vesting_step):
AMD's warrant (in full at 6 GW of MI450 for OpenAI), NVIDIA's $10B per GW deployed, the reader's
refusals, and what `gwcalc flows` says of vested against if-fully-vested amounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gwcalc.errors import AssumptionFileError
from gwcalc.money.compute import compute_flows
from gwcalc.money.select import CountedFlow
from gwcalc.sets.assumption_set import AssumptionSet
from gwcalc.sets.read import parse_set
from gwcalc.units.registry import Q_
from tests.helpers import invoke, json_output
from tests.tiny_sets import MONEY_FLOWS, deal, flow, money_set, set_text

FULL = 95_998_400_000.0  # 160M × ($600 − $0.01)


def vesting_set(size: str = "6 GW", **vesting: Any) -> dict[str, Any]:
    """The money set with AMD's warrant vesting with the deal AMD–OpenAI (size, 2026-H2–2030)."""
    flows = [dict(f) for f in MONEY_FLOWS]
    warrant = next(f for f in flows if f["kind"] == "warrant")
    warrant.update({"vesting_deal": "AMD–OpenAI", "vesting_gw": "6 GW", **vesting})
    amd = deal("AMD–OpenAI", size, "2026-H2", "2030", buyer="OpenAI", seller="AMD")
    return money_set(*flows, deals=[amd])


def at_600(data: dict[str, Any]) -> AssumptionSet:
    return parse_set(set_text(data)).with_overrides([("amd_share_price", Q_(600.0))])


def warrant(aset: AssumptionSet, year: int | None = None) -> CountedFlow:
    return next(c for c in compute_flows(aset, year=year).counted if c.flow.kind == "warrant")


def test_amds_warrant_fully_vested_at_6_gw_is_95_998_400_000_dollars() -> None:
    c = warrant(at_600(vesting_set()))
    assert c.amount == FULL and c.full == FULL
    assert c.vested is not None and c.vested.share == 1.0 and c.vested.delivered == 6.0


def test_at_1_gw_of_6_delivered_a_sixth_has_vested() -> None:
    c = warrant(at_600(vesting_set("1 GW")))
    assert c.amount == pytest.approx(FULL / 6, rel=1e-15) and c.full == FULL
    assert c.vested is not None and c.vested.delivered == 1.0
    # in tranches of 1 GW: 1 GW is one whole tranche, a sixth as well
    stepped = warrant(at_600(vesting_set("1 GW", vesting_step="1 GW")))
    assert stepped.amount == pytest.approx(FULL / 6, rel=1e-15)


def test_tranches_vest_only_in_whole_steps() -> None:
    pro_rata = warrant(at_600(vesting_set("0.9 GW")))
    assert pro_rata.amount == pytest.approx(FULL * 0.15, rel=1e-12)
    stepped = compute_flows(at_600(vesting_set("0.9 GW", vesting_step="1 GW")))
    w = next(c for c in stepped.counted if c.flow.kind == "warrant")
    assert w.amount == 0.0 and w.vested is not None and w.vested.share == 0.0


def test_year_counts_the_part_that_vests_in_it_and_says_what_vested_by_then() -> None:
    """2026-H2–2030 is nine halves: 2/3 GW by the end of 2026 (1/9 of the warrant), 2 GW by
    2027 (1/3, so 2/9 vests in 2027); the years' parts add up to the whole."""
    aset = at_600(vesting_set())
    c2026, c2027 = warrant(aset, 2026), warrant(aset, 2027)
    assert c2026.amount == pytest.approx(FULL / 9, rel=1e-12)
    assert c2027.amount == pytest.approx(FULL * 2 / 9, rel=1e-12)
    assert c2027.vested is not None and c2027.vested.share == pytest.approx(1 / 3, rel=1e-12)
    parts = [warrant(aset, y).amount for y in range(2026, 2031)]
    assert sum(parts) == pytest.approx(FULL, rel=1e-12)
    left = compute_flows(aset, year=2031).left_out
    assert any("vests with the GW delivered under AMD–OpenAI" in x.reason for x in left)


def test_nvidias_10b_per_gw_deployed() -> None:
    """$100B that vests with 10 GW deployed: $10B per GW ($100B ÷ 10 GW)."""
    loi = flow(
        "NVIDIA–OpenAI per GW", "NVIDIA", "OpenAI", "equity", "100B USD_equity",
        start="2026-H2", end="2030", vesting_deal="NVIDIA–OpenAI", vesting_gw="10 GW",
    )  # fmt: skip
    for size, dollars in (("1 GW", 10e9), ("3 GW", 30e9), ("12 GW", 100e9)):
        d = deal("NVIDIA–OpenAI", size, "2026-H2", "2030", buyer="OpenAI", seller="NVIDIA")
        report = compute_flows(parse_set(set_text(money_set(*MONEY_FLOWS[:6], loi, deals=[d]))))
        c = next(c for c in report.counted if c.flow.name == "NVIDIA–OpenAI per GW")
        assert c.amount == pytest.approx(dollars, rel=1e-15) and c.full == 100e9


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"vesting_gw": None}, "vesting_gw: is missing"),
        ({"vesting_deal": None}, "vesting_deal: is missing"),
        ({"vesting_deal": "AMD-OpenAI"}, "did you mean 'AMD–OpenAI'?"),
        ({"vesting_gw": "6B USD_equity"}, "is not a power"),
        ({"vesting_gw": "0 GW"}, "is not positive"),
        ({"vesting_step": "7 GW"}, "is not a part of vesting_gw"),
        ({"vesting_step": "1 wafer"}, "is not a power"),
    ],
)
def test_the_reader_refuses_a_vesting_it_cannot_use(change: dict[str, Any], message: str) -> None:
    data = vesting_set()
    w = next(f for f in data["flows"] if f["kind"] == "warrant")
    for key, value in change.items():
        if value is None:
            w.pop(key)
        else:
            w[key] = value
    with pytest.raises(AssumptionFileError, match=message):
        parse_set(set_text(data))


def test_a_vesting_round_trips_through_the_writer() -> None:
    aset = parse_set(set_text(vesting_set(vesting_step="1 GW")))
    w = next(f for f in aset.timeline.flows if f.kind == "warrant")  # type: ignore[union-attr]
    assert w.to_dict()["vesting_deal"] == "AMD–OpenAI" and w.to_dict()["vesting_step"] == "1 GW"


def test_the_command_shows_vested_against_fully_vested(tmp_path: Path) -> None:
    path = tmp_path / "vesting.toml"
    path.write_text(set_text(vesting_set("1 GW")), encoding="utf-8")
    result = invoke("flows", "-a", str(path), "--set", "amd_share_price=600", "--format",
                    "markdown")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "16.7% vested: 1 of 6 GW_IT delivered under AMD–OpenAI; 96B USD_equity if fully" in (
        result.stdout
    )
    assert "Money that vests with a deal counts amount × min(1, GW delivered" in result.stdout
    assert "as if fully vested" not in result.stdout  # the one warrant has a condition
    doc = json_output(invoke("flows", "-a", str(path), "--set", "amd_share_price=600", "--json"))
    w = next(f for f in doc["flows"] if f["kind"] == "warrant")
    assert w["vesting"]["if_fully_vested"] == {"value": FULL, "unit": "USD_equity"}
    assert w["vesting"]["vested_share"] == pytest.approx(1 / 6, rel=1e-15)
    year = invoke("flows", "-a", str(path), "--year", "2027", "--format", "markdown")
    assert year.exit_code == 0, year.stderr
    assert "5.6% vested by the end of 2027: 0.3333 of 6 GW_IT delivered under AMD–OpenAI" in (
        year.stdout
    )


def test_a_warrant_without_condition_keeps_the_if_fully_vested_wording(tmp_path: Path) -> None:
    path = tmp_path / "plain.toml"
    path.write_text(set_text(money_set()), encoding="utf-8")
    out = invoke("flows", "-a", str(path), "--format", "markdown").stdout
    assert "A warrant with no vesting condition is valued as if fully vested" in out


def test_a_deal_sized_in_dollars_cannot_vest_money_by_the_gw() -> None:
    with pytest.raises(AssumptionFileError, match="is sized in '300B USD_contract', not in power"):
        data = vesting_set("300B USD_contract")
        data["deals"][0]["term_years"] = 5
        parse_set(set_text(data))
