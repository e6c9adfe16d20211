"""`gwcalc diff` of two sets with flows: what changed in the money (flows added, removed,
changed; each seller's round-trip share before and after) in every format diff has. The case:
NVIDIA's $100B letter of intent that became $30B of closed equity."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from gwcalc import api
from tests.helpers import assert_contract, invoke, json_output
from tests.tiny_sets import MONEY_FLOWS, flow, money_set, set_text

NAME = "NVIDIA–OpenAI"
LOI = flow(NAME, "NVIDIA", "OpenAI", "equity", "100B USD_equity", status="letter-of-intent",
           status_date="2025-09-22")  # fmt: skip
EQUITY = flow(NAME, "NVIDIA", "OpenAI", "equity", "30B USD_equity", status="closed",
              status_date="2026-02-27")  # fmt: skip
OTHERS = [f for f in MONEY_FLOWS if not f["name"].startswith("NVIDIA–OpenAI")]
NEW = flow("NVIDIA–Oracle loan", "NVIDIA", "Oracle", "loan", "5B USD_equity")


@pytest.fixture
def sets(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(set_text(money_set(*OTHERS, LOI)), encoding="utf-8")
    b.write_text(set_text(money_set(*OTHERS, EQUITY, NEW, version=2)), encoding="utf-8")
    return a, b


def run(sets: tuple[Path, Path], *args: str) -> Any:
    result = invoke("diff", str(sets[0]), str(sets[1]), *args)
    assert_contract(result)
    assert result.exit_code == 0, result.stderr
    return result


def test_the_api_sees_the_letter_of_intent_become_closed_equity(sets: tuple[Path, Path]) -> None:
    money = api.diff(api.load_set(str(sets[0])), api.load_set(str(sets[1]))).comparison.money
    assert money is not None and money.differs
    changed = next(c for c in money.changes if c.name == NAME)
    assert changed.change == "changed"
    assert changed.fields == ("amount", "status", "status_date")
    assert changed.before is not None and changed.before.amount == 100e9
    assert changed.after is not None and changed.after.amount == 30e9
    added = next(c for c in money.changes if c.name == NEW["name"])
    assert added.change == "added" and added.before is None
    nvidia = next(s for s in money.sellers if s.seller == "NVIDIA")
    assert nvidia.share_before == 0.0  # the letter of intent does not count
    assert nvidia.share_after == 35e9 / 80e9  # $30B to OpenAI, $5B lent to Oracle, of $80B


def test_json_has_the_money(sets: tuple[Path, Path]) -> None:
    doc = json_output(run(sets, "--json"))
    assert doc["differs"] is True
    flows = {f["name"]: f for f in doc["money"]["flows"]}
    assert flows[NAME]["before"]["amount"] == {"value": 100e9, "unit": "USD_equity"}
    assert flows[NAME]["after"]["status"] == "closed"
    assert flows[NEW["name"]]["change"] == "added" and flows[NEW["name"]]["before"] is None
    nvidia = next(s for s in doc["money"]["sellers"] if s["seller"] == "NVIDIA")
    assert nvidia["round_trip_share"] == {"before": 0.0, "after": 0.4375}


def test_table_markdown_csv_and_quiet_show_the_money(sets: tuple[Path, Path]) -> None:
    table = run(sets).stdout
    for fragment in ("Money: flows that differ", "letter-of-intent", "Money: round-trip share"):
        assert fragment in table
    md = run(sets, "--format", "markdown").stdout
    assert f"| {NAME} | amount, status, status_date | 100B USD_equity; letter-of-intent; " in md
    assert "| NVIDIA | 0.0% | 43.8% | 80B | 80B |" in md
    rows = list(csv.reader(io.StringIO(run(sets, "--format", "csv").stdout)))
    assert ["flow_amount", NAME, "100000000000.0", "USD_equity", "30000000000.0", "USD_equity",
            "-70.0"] in rows  # fmt: skip
    assert ["flow_status", NAME, "letter-of-intent", "", "closed", "", ""] in rows
    assert ["round_trip_share", "NVIDIA", "0.0", "", "0.4375", "", ""] in rows
    quiet = run(sets, "-q").stdout.splitlines()
    assert f"flow changed amount,status,status_date {NAME}" in quiet
    assert "round_trip_share 0 0.4375 NVIDIA" in quiet


def test_the_same_flows_show_no_money_change(sets: tuple[Path, Path]) -> None:
    result = invoke("diff", str(sets[0]), str(sets[0]), "--exit-code")
    assert result.exit_code == 0 and "Money: no flow differs" in result.stdout
    changed = invoke("diff", str(sets[0]), str(sets[1]), "--exit-code", "-q")
    assert changed.exit_code == 1  # only the money differs: the sets differ


def test_sets_without_flows_show_no_money() -> None:
    doc = json_output(invoke("diff", "seed-2025@1", "seed-2025@2", "--json"))
    assert "money" not in doc


def test_a_vesting_condition_added_is_a_change_in_the_money(tmp_path: Path) -> None:
    from tests.test_flows_vesting import vesting_set

    plain = money_set(deals=vesting_set()["deals"])
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(set_text(plain), encoding="utf-8")
    b.write_text(set_text(vesting_set()), encoding="utf-8")
    md = invoke("diff", str(a), str(b), "--format", "markdown").stdout
    assert (
        "| AMD–OpenAI warrant | vesting | no vesting condition | vests with AMD–OpenAI, in full "
        "at 6 GW |" in md
    )


def test_the_round_trip_table_lists_only_the_sellers_whose_share_moved(
    sets: tuple[Path, Path],
) -> None:
    # NVIDIA's share moves (0 → 43.75%); the other two sellers' do not: they are counted, not
    # listed, in the table and in Markdown, as CSV and -q leave them out
    md = run(sets, "--format", "markdown").stdout
    sellers = md.split("**Money: round-trip share by seller**")[1].split("\n\n")[1]
    assert sellers.splitlines()[0] == "| seller | share A | share B | gross A | gross B |"
    assert [line.split(" | ")[0] for line in sellers.splitlines()[2:]] == ["| NVIDIA"]
    assert "Round-trip share the same in A and B for the other 2 sellers." in md
    table = " ".join(run(sets).stdout.split())
    assert "Round-trip share the same in A and B for the other 2 sellers." in table
    same = invoke("diff", str(sets[0]), str(sets[0]), "--format", "markdown")
    assert_contract(same)
    assert "**Money: round-trip share by seller**" not in same.stdout
    assert "Money: no seller's round-trip share differs (3 sellers)." in same.stdout
    plain = " ".join(invoke("diff", str(sets[0]), str(sets[0])).stdout.split())
    assert "Money: no seller's round-trip share differs (3 sellers)." in plain
