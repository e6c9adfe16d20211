"""Flows of money ([[flows]]): the two new kinds of dollars, the format and its reader (every
hostile value refused, naming the flow, the key and the line), a warrant's value, and the
round trip, balances and loops in exact article arithmetic."""

from __future__ import annotations

from typing import Any

import pytest
from pint.errors import DimensionalityError

from gwcalc import api
from gwcalc.errors import AssumptionFileError, GwcalcError, ParameterError
from gwcalc.money.compute import compute_flows
from gwcalc.money.nominal import nominal_dollars
from gwcalc.sets.flows import Warrant
from gwcalc.sets.read import parse_set
from gwcalc.units.registry import Q_, parse_quantity
from tests.tiny_sets import MONEY_FLOWS, deal, flow, money_set, set_text, tiny_set

# ---------------------------------------------------------------- kinds of dollars


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("30B USD_equity", "40B USD_revenue"),
        ("30B USD_equity", "$40B"),
        ("30B USD_equity", "40B USD_contract"),
        ("40B USD_revenue", "40B USD_contract"),
        ("40B USD_revenue", "40B USD_all_in"),
    ],
)
def test_investment_and_revenue_dollars_refuse_to_mix(a: str, b: str) -> None:
    with pytest.raises(DimensionalityError):
        parse_quantity(a) + parse_quantity(b)


def test_the_one_nominal_conversion_counts_each_kind_dollar_for_dollar() -> None:
    for unit in ("USD_equity", "USD_revenue", "USD_contract", "USD", "USD_all_in"):
        assert nominal_dollars(30e9, unit) == 30e9
    assert nominal_dollars(30, "GUSD_equity") == 30e9
    with pytest.raises(GwcalcError, match="no kind of dollars"):
        nominal_dollars(1.0, "GW")


@pytest.mark.parametrize(
    ("quantity", "targets", "lead"),
    [
        ("30B USD_equity", ["USD_revenue"], "investment dollars into revenue dollars"),
        ("30B USD_equity", ["USD"], "investment dollars into hardware-only dollars"),
        ("30B USD_revenue", [], "converts revenue dollars into no other kind"),
        ("30B USD_equity", [], "converts investment dollars into no other kind"),
        ("6 GW", ["USD_equity"], "IT power into investment dollars"),
    ],
)
def test_converting_investment_or_revenue_dollars_is_refused_with_the_reason(
    quantity: str, targets: list[str], lead: str
) -> None:
    with pytest.raises(GwcalcError) as caught:
        api.convert(quantity, targets)
    assert lead in caught.value.message and "money between parties" in caught.value.message
    assert "[[flows]]" in (caught.value.hint or "")
    same = api.convert("30B USD_equity", "GUSD_equity").results[0]
    assert same.magnitude == pytest.approx(30, rel=1e-12) and str(same.units) == "GUSD_equity"


# ---------------------------------------------------------------- the article's arithmetic


def test_amds_warrant_at_600_is_95_998_400_000_dollars_exactly() -> None:
    """160M × ($600 − $0.01) = $95,998,400,000: 160M × 600 and 160M × 0.01 are exact."""
    warrant = Warrant(160_000_000, "0.01 USD_equity", "amd_share_price")
    assert warrant.value(600.0) == 95_998_400_000.0
    assert warrant.value(0.005) == 0.0  # under the strike: worth nothing, never negative
    aset = parse_set(set_text(money_set())).with_overrides([("amd_share_price", Q_(600.0))])
    report = compute_flows(aset)
    amd = next(c for c in report.counted if c.flow.kind == "warrant")
    assert amd.amount == 95_998_400_000.0 and amd.unit == "USD_equity"


def test_the_warrant_moves_with_its_share_price() -> None:
    """At $165 (the set's price): 160M × 165 − 160M × 0.01 = 26,398,400,000."""
    result = api.flows(parse_set(set_text(money_set())))
    amd = next(r for r in result.round_trips if r.seller == "AMD")
    assert amd.sent_total == 26_398_400_000.0
    assert amd.gross == 120e9 and amd.part == 26_398_400_000.0
    assert amd.share == 26_398_400_000.0 / 120e9
    assert amd.net_external == 120e9 - 26_398_400_000.0


def test_100b_over_10_gw_is_10b_per_gw_and_over_ten_half_years_10b_each() -> None:
    """NVIDIA's up to $100B for 10 GW: $10B per GW deployed; spread evenly over 2026–2030 (ten
    half-years), $20B falls in each year."""
    per_gw = parse_quantity("100B USD_equity") / parse_quantity("10 GW")
    assert per_gw.to("USD_equity/GW").magnitude == 10e9
    letter = flow("LOI", "NVIDIA", "OpenAI", "equity", "100B USD_equity", end="2030")
    aset = parse_set(set_text(money_set(letter, MONEY_FLOWS[3])))
    for year in range(2026, 2031):
        counted = compute_flows(aset, year=year).counted
        assert [c.amount for c in counted if c.flow.name == "LOI"] == [20e9]


def test_round_trips_balances_and_loops_of_the_example() -> None:
    """NVIDIA: OpenAI paid 40B, NVIDIA sent OpenAI 30B → 30B (75%); Oracle paid 40B, nothing
    sent back → 0; NVIDIA in all: 30B of 80B (37.5%), 50B net external."""
    report = compute_flows(parse_set(set_text(money_set())))
    rows = {(r.seller, r.buyer): r for r in report.round_trips}
    assert set(rows) == {("AMD", "OpenAI"), ("NVIDIA", "OpenAI"), ("NVIDIA", "Oracle"),
                         ("Oracle", "OpenAI")}  # fmt: skip
    assert (rows["NVIDIA", "OpenAI"].part, rows["NVIDIA", "OpenAI"].share) == (30e9, 0.75)
    assert (rows["NVIDIA", "Oracle"].part, rows["NVIDIA", "Oracle"].net_external) == (0, 40e9)
    nvidia = next(s for s in report.sellers if s.seller == "NVIDIA")
    assert (nvidia.gross, nvidia.part, nvidia.share, nvidia.buyers) == (80e9, 30e9, 0.375, 2)
    assert nvidia.net_external == 50e9
    openai = next(b for b in report.parties if b.party == "OpenAI")
    assert openai.total_out == 460e9 and openai.total_in == 30e9 + 26_398_400_000.0
    assert {loop.text(): loop.amount for loop in report.loops} == {
        "AMD → OpenAI → AMD": 26_398_400_000.0,
        "NVIDIA → OpenAI → NVIDIA": 30e9,
        "NVIDIA → OpenAI → Oracle → NVIDIA": 30e9,
    }
    assert [x.flow.name for x in report.left_out] == ["NVIDIA–OpenAI letter of intent"]


def test_a_party_sees_its_own_rows_and_every_loop_through_it() -> None:
    report = compute_flows(parse_set(set_text(money_set())), party="Oracle")
    assert {(r.seller, r.buyer) for r in report.round_trips} == {
        ("NVIDIA", "Oracle"),
        ("Oracle", "OpenAI"),
    }
    assert [s.seller for s in report.sellers] == ["Oracle"]
    assert [b.party for b in report.parties] == ["Oracle"]
    assert [loop.text() for loop in report.loops] == ["NVIDIA → OpenAI → Oracle → NVIDIA"]


def test_statuses_choose_the_flows_that_count() -> None:
    aset = parse_set(set_text(money_set()))
    report = compute_flows(aset, statuses=["converted", "closed"])
    names = {c.flow.name for c in report.counted}
    assert "NVIDIA–OpenAI letter of intent" in names and "OpenAI–Oracle" not in names
    counted = ["closed"]
    data = money_set(timeline={"start": 2025, "end": 2030, "counted_flow_statuses": counted})
    only_closed = parse_set(set_text(data))
    assert only_closed.timeline is not None
    assert only_closed.timeline.counted_flow_statuses == ("closed",)
    assert all(c.flow.status == "closed" for c in compute_flows(only_closed).counted)


# ---------------------------------------------------------------- the format round-trips


def test_flows_are_written_back_as_read() -> None:
    aset = parse_set(set_text(money_set()))
    again = parse_set(aset.to_toml())
    assert again.timeline is not None and aset.timeline is not None
    assert again.timeline.flows == aset.timeline.flows and again.sha256 == aset.sha256


def test_a_set_without_flows_keeps_its_hash() -> None:
    """No flows, no counted_flow_statuses written: every shipped set's sha256 is unchanged."""
    text = set_text(tiny_set())
    assert "flows" not in parse_set(text).to_toml()


# ---------------------------------------------------------------- hostile inputs


def _refused(*flows: dict[str, Any], **changes: Any) -> AssumptionFileError:
    with pytest.raises(AssumptionFileError) as caught:
        parse_set(set_text(money_set(*flows, **changes)))
    return caught.value


def _error_text(error: GwcalcError) -> str:
    return f"{error.message} {error.hint or ''}"


WARRANT: dict[str, Any] = {
    "shares": 160_000_000,
    "strike": "0.01 USD_equity",
    "share_price": "amd_share_price",
}


@pytest.mark.parametrize(
    ("bad", "fragments"),
    [
        (flow("x", "A", "B", "equity", "30B USD_revenue"),
         ["flow 'x': amount", "not in USD_equity", "investment dollars"]),
        (flow("x", "A", "B", "chip-order", "30B USD_equity"),
         ["not in USD or USD_revenue", "chip order"]),
        (flow("x", "A", "B", "cloud-contract", "$30B"), ["USD_contract"]),
        (flow("x", "A", "B", "rental", "3 GW"), ["USD_revenue"]),
        (flow("x", "A", "B", "warrant", "3B USD_equity", **WARRANT),
         ["flow 'x': amount", "computed", "drop amount"]),
        (flow("x", "A", "B", "warrant", None, **{**WARRANT, "share_price": "amd_price"}),
         ["share_price", "'amd_price' is no parameter", "did you mean 'amd_share_price'?"]),
        (flow("x", "A", "B", "warrant", None, **{**WARRANT, "share_price": "gpus_per_gw"}),
         ["not a share price in USD_equity"]),
        (flow("x", "A", "B", "warrant", None, shares=0, strike="0.01 USD_equity",
              share_price="amd_share_price"), ["shares", "not a positive number"]),
        (flow("x", "A", "B", "warrant", None, shares=1, share_price="amd_share_price"),
         ["strike", "is missing"]),
        (flow("x", "A", "B", "warrant", None, **{**WARRANT, "strike": "-1 USD_equity"}),
         ["strike", "not ≥ 0"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", shares=4), ["only a warrant"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", deal="nope"),
         ["flow 'x': deal", "'nope', which is no deal of the set"]),
        (flow("x", "A", "A", "equity", "3B USD_equity"), ["flow 'x': to", "'A' pays itself"]),
        (flow("x", "A", "B", "equity", "-3B USD_equity"), ["amount", "not positive"]),
        (flow("x", "A", "B", "equity", "0 USD_equity"), ["amount", "not positive"]),
        (flow("x", "A", "B", "equity", "3,000 USD_equity"), ["amount"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", status="clsoed"),
         ["status", "did you mean 'closed'?"]),
        (flow("x", "A", "B", "equty", "3B USD_equity"), ["kind", "did you mean 'equity'?"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", start="2027", end="2026"),
         ["end", "before start"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", end="2026"), ["end", "changes nothing"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", start="26"), ["start"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", status_date="2026-02-30"),
         ["status_date", "not a date"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", history="LOI"), ["history"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", implied="yes"), ["implied"]),
        (flow("x", "A", "B", "equity", "3B USD_equity", amonut="3B"),
         ["unknown key 'amonut'", "did you mean 'amount'?"]),
        (flow("", "A", "B", "equity", "3B USD_equity"), ["name"]),
    ],
)  # fmt: skip
def test_a_hostile_flow_is_refused_naming_the_flow_and_key(
    bad: dict[str, Any], fragments: list[str]
) -> None:
    error = _refused(MONEY_FLOWS[0], bad)
    assert error.line is not None and error.key is not None and error.key.startswith("flows[2]")
    for fragment in fragments:
        assert fragment in _error_text(error)


def test_a_share_price_given_by_year_is_refused() -> None:
    by_year = {str(y): {"value": 100.0 + y - 2025} for y in range(2025, 2031)}
    price = {"amd_share_price": {"value": 165, "unit": "USD_equity", "by_year": by_year}}
    bad = flow("x", "A", "B", "warrant", None, **WARRANT)
    error = _refused(bad, parameters=price)
    assert "is given by year; a warrant is valued at one share price" in error.message


def test_a_flow_without_a_status_date_or_source_is_refused() -> None:
    undated = {k: v for k, v in flow("x", "A", "B", "equity", "3B USD_equity").items()
               if k != "status_date"}  # fmt: skip
    assert "status_date: is missing" in _refused(undated).message
    unsourced = {k: v for k, v in undated.items() if k != "source"}
    unsourced["status_date"] = "2026"
    error = _refused(unsourced)
    assert error.key == "flows[1].source" and error.line is not None
    assert error.message.endswith("]: flow 'x': every figure needs a source with a title")
    assert error.hint == "add [flows.source] with title, url and date"
    bad_url = {**unsourced, "source": {"title": "t", "url": "nope"}}
    error = _refused(bad_url)
    assert error.key == "flows[1].source.url" and "flow 'x': source url" in error.message


def test_two_flows_of_one_name_are_refused() -> None:
    error = _refused(MONEY_FLOWS[0], MONEY_FLOWS[0])
    assert "two flows are named 'NVIDIA–OpenAI equity'" in error.message


def test_a_flow_may_name_a_deal_of_the_set_and_the_check_compares_their_statuses() -> None:
    linked = flow("x", "OpenAI", "AMD", "chip-order", "$10B", deal="OpenAI–AMD")
    parties = {"buyer": "OpenAI", "seller": "AMD"}  # the deal's parties are the flow's
    data = money_set(linked, deals=[deal("OpenAI–AMD", "6 GW", "2026", "2030", **parties)])
    aset = parse_set(set_text(data))
    assert aset.timeline is not None and aset.timeline.flows[0].deal == "OpenAI–AMD"
    messages = [f.message for f in api.check_set(aset).findings]
    assert not any("but its deal" in m for m in messages)  # closed agrees with contract
    letter = deal("OpenAI–AMD", "6 GW", "2026", "2030", status="letter-of-intent", **parties)
    disagree = parse_set(set_text(money_set(linked, deals=[letter])))
    messages = [f.message for f in api.check_set(disagree).findings if f.level == "warning"]
    assert (
        "flow 'x' is closed (2026-02-27), but its deal 'OpenAI–AMD' is letter-of-intent" in messages
    )


def test_the_check_names_a_warrants_share_price_and_an_undated_flow_source() -> None:
    findings = api.check_set(parse_set(set_text(money_set()))).findings
    price = [f for f in findings if f.parameters == ("amd_share_price",) and f.level == "ok"]
    assert [f.message for f in price] == ["the share price of warrant 'AMD–OpenAI warrant'"]
    undated = [f.message for f in findings if "flow" in f.message and "no date" in f.message]
    assert len(undated) == len(MONEY_FLOWS)  # the test helper's sources have no date


@pytest.mark.parametrize(
    ("counted", "fragment"),
    [
        (["closed", "closed"], "more than once"),
        (["clsoed"], "did you mean 'closed'?"),
        ([], "not a list of statuses"),
        ("closed", "not a list of statuses"),
    ],
)
def test_counted_flow_statuses_are_checked(counted: Any, fragment: str) -> None:
    timeline = {"start": 2025, "end": 2030, "counted_flow_statuses": counted}
    assert fragment in _refused(timeline=timeline).message


def test_counted_flow_statuses_without_flows_change_nothing_and_are_refused() -> None:
    timeline = {"start": 2025, "end": 2030, "counted_flow_statuses": ["closed"]}
    with pytest.raises(AssumptionFileError, match="the set has no \\[\\[flows\\]\\]"):
        parse_set(set_text(tiny_set(timeline=timeline)))


def test_flows_need_format_2() -> None:
    data = {**tiny_set(1), "flows": [MONEY_FLOWS[0]]}
    with pytest.raises(AssumptionFileError, match="flows needs format = 2"):
        parse_set(set_text(data))


# ---------------------------------------------------------------- runs that would show nothing


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"party": "Nvidia"}, ["no party 'Nvidia'", "did you mean 'NVIDIA'?"]),
        ({"party": "Nobody"}, ["no party 'Nobody'", "parties: AMD, NVIDIA, OpenAI, Oracle"]),
        ({"year": 2040}, ["no flow of the set falls in 2040", "from 2026 to 2031"]),
        ({"year": 2031, "statuses": ["closed"]}, ["none of the set's flows counts in 2031"]),
        ({"statuses": ["announced"]}, ["none of the set's flows counts"]),
        ({"statuses": ["closed", "closed"]}, ["'closed' is chosen more than once"]),
        ({"statuses": ["clsoed"]}, ["unknown flow status 'clsoed'", "did you mean 'closed'?"]),
        ({"statuses": []}, ["no flow status is chosen"]),
    ],
)
def test_a_run_that_would_show_nothing_is_refused(
    kwargs: dict[str, Any], fragments: list[str]
) -> None:
    with pytest.raises(ParameterError) as caught:
        api.flows(parse_set(set_text(money_set())), **kwargs)
    for fragment in fragments:
        assert fragment in _error_text(caught.value)


def test_a_set_without_flows_says_so() -> None:
    with pytest.raises(ParameterError, match="seed-2025 v3 has no flows"):
        api.flows("seed-2025")


def test_an_override_the_flows_do_not_use_is_refused() -> None:
    aset = parse_set(set_text(money_set())).with_overrides([("gpus_per_gw", Q_(1.0))])
    with pytest.raises(ParameterError, match="not used by the flows"):
        api.flows(aset)
    priced = parse_set(set_text(money_set())).with_overrides([("amd_share_price", Q_(600.0))])
    assert api.flows(priced, party="AMD").round_trips[0].sent_total == 95_998_400_000.0


def test_the_result_shows_itself_and_its_document() -> None:
    result = api.flows(parse_set(set_text(money_set())))
    assert "NVIDIA: 30B of 80B (37.5%), net 50B" in str(result)
    assert repr(result) == "<FlowsResult t v1: 6 counted flows>"
    doc = result.to_dict()
    assert doc["basis"] == "nominal dollars: money S sent B against money B paid S"
    warrant = next(f for f in doc["flows"] if f["kind"] == "warrant")
    assert warrant["amount"] == {"value": 26_398_400_000.0, "unit": "USD_equity"}
    assert warrant["warrant"]["price"] == {"value": 165.0, "unit": "USD_equity"}
    assert warrant["warrant"]["shares"] == 160_000_000 and warrant["end"] == "2026"
    assert warrant["warrant"]["strike"] == {"value": 0.01, "unit": "USD_equity"}


@pytest.mark.parametrize("name", ["A\nB", "Open\u200bAI", "NV\u0007IDIA"])
def test_a_party_name_with_a_hidden_or_control_character_is_refused(name: str) -> None:
    error = _refused(MONEY_FLOWS[0], flow("x", name, "OpenAI", "equity", "1B USD_equity"))
    assert "invisible or control character" in _error_text(error)
