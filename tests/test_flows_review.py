"""Review findings of `gwcalc flows`, each fixed with a test: (a) loops in time order or marked
not; (b) a flow and the deal it is, checked for parties and dates; (c) tables at 80 columns
never split a number or a unit; (d) CSV's all-buyers rows give the money sent; (e) flows prints
the caveats about money ([timeline] flow_caveats), not the set's supply-and-demand caveats."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from gwcalc import api
from gwcalc.analysis.check import check_set
from gwcalc.cli.render_flows import print_flows
from gwcalc.errors import AssumptionFileError
from gwcalc.money.compute import compute_flows
from gwcalc.report import flows as views
from gwcalc.sets.read import parse_set
from tests.helpers import invoke
from tests.tiny_sets import MONEY_FLOWS, deal, flow, money_set, set_text


def loop_set(oracle_start: str) -> str:
    """NVIDIA → OpenAI (2026) → Oracle (2027–2031) → NVIDIA (from oracle_start)."""
    flows = [dict(f) for f in MONEY_FLOWS]
    chips = next(f for f in flows if f["name"] == "Oracle–NVIDIA chips")
    chips.update(start=oracle_start, end=None)
    chips.pop("end")
    return set_text(money_set(*flows))


def test_a_a_loop_in_time_order_names_the_leg_it_starts_from() -> None:
    report = compute_flows(parse_set(loop_set("2026")))
    loop = next(x for x in report.loops if len(x.edges) == 3)
    start = loop.time_order
    # Oracle pays NVIDIA (2026), NVIDIA invests in OpenAI (2026), OpenAI pays Oracle (2027–)
    assert start is not None and (start.payer, start.payee) == ("Oracle", "NVIDIA")
    assert views.time_order_text(loop) == "from Oracle → NVIDIA (2026)"


def test_a_a_loop_whose_money_comes_back_before_it_went_out_is_marked() -> None:
    """X → Y (2028), Y → Z (2029), Z → X (2025) is in time order from Z → X; with X → Y in
    2030, Y → Z in 2029 and Z → X in 2031 every start has a leg dated before the one it
    follows: money came back before it went out."""
    flows = [
        flow("X→Y", "X", "Y", "equity", "10B USD_equity", start="2028"),
        flow("Y→Z", "Y", "Z", "revenue", "10B USD_revenue", start="2029"),
        flow("Z→X", "Z", "X", "revenue", "10B USD_revenue", start="2025"),
    ]
    report = compute_flows(parse_set(set_text(money_set(*flows))))
    (loop,) = report.loops
    # Z→X (2025) then X→Y (2028) then Y→Z (2029): in time order from Z → X
    assert loop.time_order is not None and loop.time_order.payer == "Z"
    back = [{**flows[0], "start": "2030"}, flows[1], {**flows[2], "start": "2031"}]
    (late,) = compute_flows(parse_set(set_text(money_set(*back)))).loops
    assert late.time_order is None and views.time_order_text(late) == "not in time order"
    doc = views.flows_document(compute_flows(parse_set(set_text(money_set(*back)))))
    assert doc["loops"][0]["in_time_order"] is False and "not in time order" in doc["loops_note"]


def test_b_the_check_says_when_a_flow_and_its_deal_name_other_parties_or_dates() -> None:
    amazon = deal("AWS–OpenAI", "38B USD_contract", "2025-H2", "2026", buyer="OpenAI",
                  seller="Amazon Web Services", kind="cloud", term_years=7)  # fmt: skip
    chips = deal("AMD–OpenAI", "6 GW", "2026-H2", "2030", buyer="OpenAI", seller="AMD")
    flows = [
        flow("OpenAI–AWS", "OpenAI", "Amazon", "cloud-contract", "38B USD_contract",
             start="2025-H2", end="2032-H1", status="contract", deal="AWS–OpenAI"),
        flow("OpenAI–AMD", "OpenAI", "AMD", "chip-order", "$100B", start="2026",
             end="2031", status="contract", deal="AMD–OpenAI"),
    ]  # fmt: skip
    data = money_set(*MONEY_FLOWS, *flows, deals=[amazon, chips])
    data["parameters"]["contract_rate_per_gw_year"] = {
        "value": 13e9, "unit": "USD_contract/GW/year", "source": {"title": "test"},
    }  # fmt: skip
    texts = [f.message for f in check_set(parse_set(set_text(data))).findings]
    assert any(
        "'OpenAI–AWS' runs between Amazon and OpenAI, but its deal 'AWS–OpenAI' between "
        "Amazon Web Services and OpenAI" in t
        for t in texts
    )
    # a cloud contract's dollars run over its term: 2032-H1 is within 2026 + 7 years
    assert not any("'OpenAI–AWS' runs 2025-H2" in t for t in texts)
    assert any(
        "'OpenAI–AMD' runs 2026–2031, but its deal 'AMD–OpenAI' 2026-H2–2030: its money begins "
        "before the deal" in t
        for t in texts
    )


@pytest.mark.parametrize("name", ["market-2026@3", "money"])
def test_c_tables_at_80_columns_split_no_number_or_unit(name: str) -> None:
    aset = (
        api.load_set(name) if name != "money" else parse_set(set_text(money_set()))
    )  # fmt: skip
    report = compute_flows(aset)
    buffer = io.StringIO()
    print_flows(Console(file=buffer, width=80, color_system=None), report)
    out = buffer.getvalue()
    assert max(len(line) for line in out.splitlines()) <= 80
    words = set()
    for rows in (views.round_trip_rows(report), views.seller_rows(report),
                 views.party_rows(report), views.loop_rows(report)):  # fmt: skip
        for row in rows.rows:
            words |= {w.rstrip(";") for cell in row for w in str(cell).split()}
    unbroken = {w for w in words if re.search(r"\d|USD|GW", w)}
    assert unbroken
    cells = {w for line in out.splitlines() for w in re.split(r"[│┃\s;]+", line) if w}
    missing = sorted(w for w in unbroken if w not in cells)
    assert not missing, missing


def test_d_csv_all_buyers_rows_give_the_money_sent(tmp_path: Path) -> None:
    path = tmp_path / "money.toml"
    path.write_text(set_text(money_set()), encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(invoke("flows", "-a", str(path), "--format",
                                                  "csv").stdout)))  # fmt: skip
    totals = [r for r in rows if r["buyer"] == "(all buyers)"]
    assert totals and all(r["sent_nominal_usd"] != "" for r in totals)
    amd = next(r for r in totals if r["seller"] == "AMD")
    assert float(amd["sent_nominal_usd"]) == pytest.approx(160e6 * 165 - 160e6 * 0.01, rel=1e-12)


def test_e_flows_prints_the_caveats_about_money_only(tmp_path: Path) -> None:
    data = money_set(caveats=["Supply counts the catalogue's chips only."])
    data["timeline"]["flow_caveats"] = ["Warrants are valued at one share price."]
    path = tmp_path / "money.toml"
    path.write_text(set_text(data), encoding="utf-8")
    out = invoke("flows", "-a", str(path)).stdout
    assert "Caveats of t v1's money:" in out and "Warrants are valued at one share" in out
    assert "Supply counts the catalogue's chips only." not in out
    assert "t v1's 1 caveats concern its supply and demand (gwcalc assumptions show)" in out
    doc = api.flows(parse_set(set_text(data))).to_dict()
    assert doc["flow_caveats"] == ["Warrants are valued at one share price."]
    # read back as written, and refused where there are no flows to be about
    assert parse_set(set_text(data)).timeline.flow_caveats  # type: ignore[union-attr]
    bare = money_set()
    bare.pop("flows")
    bare["timeline"]["flow_caveats"] = ["x"]
    with pytest.raises(AssumptionFileError, match="flow_caveats is given, but the set has no"):
        parse_set(set_text(bare))
