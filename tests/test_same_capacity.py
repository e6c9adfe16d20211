"""same_capacity_as: the machines of a chain or a tree of linked deals are counted once."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwcalc.sets.figures import Source
from gwcalc.sets.time_axis import Deal, Period
from gwcalc.timelines.compute import compute_timeline
from gwcalc.timelines.deals import counted_upstream
from tests.helpers import invoke, json_output
from tests.tiny_sets import deal, parse_tiny, tiny_text


def counted(
    *deals: dict[str, object], statuses: list[str] | None = None
) -> tuple[dict[str, bool], float]:
    result = compute_timeline(parse_tiny(*deals), statuses=statuses)
    return {v.deal.name: v.counted for v in result.deals}, result.rows[-1].cumulative_demand


def test_a_chain_of_contracts_counts_its_machines_once() -> None:
    """A ← B ← C, all contracts: 10 GW (the old rule counted A and C: 20 GW)."""
    a = deal("A", "10 GW", "2026", "2027")
    b = deal("B", "10 GW", "2026", "2027", same_capacity_as="A")
    c = deal("C", "10 GW", "2026", "2027", same_capacity_as="B")
    flags, demand = counted(a, b, c)
    assert flags == {"A": True, "B": False, "C": False}
    assert demand == pytest.approx(10, rel=1e-12)
    # the order of the deals in the file does not matter
    flipped, demand = counted(c, b, a)
    assert flipped == flags and demand == pytest.approx(10, rel=1e-12)
    result = compute_timeline(parse_tiny(a, b, c))
    reason = result.deals[2].reason
    assert reason is not None
    assert "same capacity as B" in reason and "whose machines A counts" in reason


def test_a_long_chain_counts_once() -> None:
    names = [f"d{i}" for i in range(30)]
    deals = [deal(names[0], "2 GW", "2026", "2027")]
    deals += [
        deal(n, "2 GW", "2026", "2027", same_capacity_as=p) for p, n in itertools.pairwise(names)
    ]
    flags, demand = counted(*deals)
    assert [n for n, f in flags.items() if f] == ["d0"]
    assert demand == pytest.approx(2, rel=1e-12)


def test_a_tree_counts_its_head_once() -> None:
    """B → A ← C: two deals restating one."""
    a = deal("A", "10 GW", "2026", "2027")
    b = deal("B", "10 GW", "2026", "2027", same_capacity_as="A")
    c = deal("C", "4 GW", "2026", "2027", same_capacity_as="A")
    d = deal("D", "3 GW", "2026", "2027", same_capacity_as="C")  # a branch two links deep
    flags, demand = counted(a, b, c, d)
    assert flags == {"A": True, "B": False, "C": False, "D": False}
    assert demand == pytest.approx(10, rel=1e-12)


def test_a_partly_counted_chain_counts_the_counted_deal_nearest_its_head() -> None:
    # the head is not counted (a letter of intent): B counts, C restates B and does not
    a = deal("A", "10 GW", "2026", "2027", status="letter-of-intent")
    b = deal("B", "8 GW", "2026", "2027", same_capacity_as="A")
    c = deal("C", "6 GW", "2026", "2027", same_capacity_as="B")
    flags, demand = counted(a, b, c)
    assert flags == {"A": False, "B": True, "C": False}
    assert demand == pytest.approx(8, rel=1e-12)
    # the middle is not counted: C still restates A's machines, which are counted
    b_loi = deal("B", "8 GW", "2026", "2027", status="letter-of-intent", same_capacity_as="A")
    a_contract = deal("A", "10 GW", "2026", "2027")
    flags, demand = counted(a_contract, b_loi, c)
    assert flags == {"A": True, "B": False, "C": False}
    assert demand == pytest.approx(10, rel=1e-12)
    # counting letters of intent too (--status): the head counts, and only it
    flags, demand = counted(a, b, c, statuses=["contract", "letter-of-intent"])
    assert flags == {"A": True, "B": False, "C": False}
    assert demand == pytest.approx(10, rel=1e-12)
    # only the head's status counted: the head alone
    flags, demand = counted(a, b, c, statuses=["letter-of-intent"])
    assert flags == {"A": True, "B": False, "C": False}


def test_the_cli_counts_a_chain_once(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    text = tiny_text(
        deal("A", "10 GW", "2026", "2027"),
        deal("B", "10 GW", "2026", "2027", same_capacity_as="A"),
        deal("C", "10 GW", "2026", "2027", same_capacity_as="B"),
    )
    path = tmp_path / "chain.toml"
    path.write_text(text, encoding="utf-8")
    result = invoke("timeline", "-a", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json_output(result)
    assert doc["years"][-1]["cumulative_demand"]["value"] == pytest.approx(10, rel=1e-12)
    assert [d["counted"] for d in doc["deals"]] == [True, False, False]


def test_a_chain_of_two_thousand_links_loads_and_counts_once() -> None:
    """Loading checks each link once (the loop check walked every chain from every deal, and
    counting looked each link up in a list): a long chain is read and counted once."""
    out = [deal("d0", "1 GW", "2026", "2027")]
    out += [
        deal(f"d{i}", "1 GW", "2026", "2027", same_capacity_as=f"d{i - 1}") for i in range(1, 2000)
    ]
    result = compute_timeline(parse_tiny(*out))
    assert sum(v.counted for v in result.deals) == 1
    assert result.rows[-1].cumulative_demand == pytest.approx(1, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_walking_each_link_once_gives_each_deal_its_own_walk(data: st.DataObject) -> None:
    """The memo that lets the timeline walk each link once answers as a walk from each deal
    (in any order of asking): random forests of links, random statuses."""
    count = data.draw(st.integers(1, 12))
    parents = [data.draw(st.sampled_from([None, *range(i)])) for i in range(count)]
    statuses = data.draw(st.lists(st.sampled_from(["contract", "announced"]), min_size=count,
                                  max_size=count))  # fmt: skip
    source = Source("test")
    deals = {
        f"d{i}": Deal(
            f"d{i}",
            "B",
            "S",
            "chips",
            statuses[i],
            "1 GW",
            Period(2026),
            Period(2027),
            source,
            same_capacity_as=None if p is None else f"d{p}",
        )
        for i, p in enumerate(parents)
    }
    order = data.draw(st.permutations(sorted(deals)))
    memo: dict[str, str | None] = {}
    for name in order:
        alone = counted_upstream(deals[name], deals.get, ["contract"])
        assert counted_upstream(deals[name], deals.get, ["contract"], memo) == alone
