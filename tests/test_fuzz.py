"""Arbitrary text in every place a user types something: gwcalc answers or fails cleanly."""

from __future__ import annotations

import re

from hypothesis import assume, given
from hypothesis import strategies as st

from gwcalc.units.registry import parse_unit
from tests.helpers import assert_contract, invoke, strict_json
from tests.test_grammar import reference_quantity


def run(where: str, text: str, as_json: bool, *args: str) -> None:
    """Run gwcalc ARGS and check the contract for any input, and JSON on stdout with --json."""
    result = invoke(*args)
    assert_contract(result)
    # an internal error is a bug that the error funnel hid (zero and inverse quantities, long
    # names, NUL bytes and '~user' paths were such bugs, found here)
    assert "internal error" not in result.stderr, (where, text, result.stderr)
    if as_json:
        doc = strict_json(result.stdout)
        assert ("error" in doc) is (result.exit_code != 0)
    elif result.exit_code != 0:
        assert result.stdout == ""


@given(text=st.text(), as_json=st.booleans())
def test_any_quantity(text: str, as_json: bool) -> None:
    flags = ["--json"] if as_json else []
    run("quantity", text, as_json, "convert", *flags, "--", text)


@given(text=st.text(), as_json=st.booleans())
def test_any_quantity_without_double_dash(text: str, as_json: bool) -> None:
    # text that starts with '-' is read as an option: a usage error, still clean
    # help is for people, never JSON (see test_docs.py); a bare --json here is the flag itself
    assume(text not in ("-h", "--help", "--json"))
    flags = ["--json"] if as_json else []
    run("quantity", text, as_json, "convert", *flags, text, "--to", "gpu")


@given(text=st.text(), as_json=st.booleans())
def test_any_target_unit(text: str, as_json: bool) -> None:
    flags = ["--json"] if as_json else []
    run("to", text, as_json, "convert", "6 GW", *flags, "--to", text)


@given(text=st.text(), as_json=st.booleans())
def test_any_override_value(text: str, as_json: bool) -> None:
    flags = ["--json"] if as_json else []
    run("set-value", text, as_json, "gap", *flags, "--set", f"gpus_per_gw={text}")


@given(text=st.text(), as_json=st.booleans())
def test_any_override_name(text: str, as_json: bool) -> None:
    flags = ["--json"] if as_json else []
    run("set-name", text, as_json, "gap", *flags, "--set", f"{text}=2")


@given(text=st.text(), as_json=st.booleans())
def test_any_override(text: str, as_json: bool) -> None:
    flags = ["--json"] if as_json else []
    run("set-any", text, as_json, "convert", "6 GW", *flags, "--set", text)


def _not_a_device(text: str) -> bool:
    # never let random text name /dev/zero or /proc/…: reading one could hang or be huge
    return not re.search(r"(^|/)\s*(dev|proc|sys)\b", text)


@given(text=st.text().filter(_not_a_device), as_json=st.booleans())
def test_any_set_name(text: str, as_json: bool) -> None:
    flags = ["--json"] if as_json else []
    run("set", text, as_json, "gap", *flags, "-a", text)


@given(text=st.text().filter(_not_a_device), as_json=st.booleans())
def test_any_assumptions_dir(text: str, as_json: bool) -> None:
    flags = ["--json"] if as_json else []
    run("dir", text, as_json, "gap", *flags, "--assumptions-dir", text)


@given(text=st.text(), as_json=st.booleans())
def test_any_gap_unit(text: str, as_json: bool) -> None:
    flags = ["--json"] if as_json else []
    run("unit", text, as_json, "gap", *flags, "--unit", text)


@given(text=st.text(), as_json=st.booleans())
def test_any_demand(text: str, as_json: bool) -> None:
    flags = ["--json"] if as_json else []
    run("demand", text, as_json, "gap", *flags, "--demand", text)


# ---------------------------------------------------------------- text that looks like input

_units = st.sampled_from(
    [
        *("wafer", "gpu", "die", "W", "kW", "MW", "GW", "GW_facility", "USD", "$", "USD_all_in"),
        *("GWh", "h", "day", "month", "year", "%", "furlong", "k", "M"),
    ]
)
_unit_exprs = st.recursive(
    _units,
    lambda inner: st.tuples(inner, st.sampled_from(["/", "*", " ", "/("]), inner).map(
        lambda t: "".join(t) + (")" if t[1] == "/(" else "")
    ),
    max_leaves=3,
)
_numbers = st.one_of(
    st.floats(min_value=1e-3, max_value=1e6).map(repr),
    st.integers(min_value=1, max_value=10**6).map(str),
    st.sampled_from(["1e-300", "1e300", ".5", "5.", "1_000", "1,000"]),
)
_scales = st.sampled_from(["", "k", "K", "M", "B", "bn", "T", "tn"])
quantity_like = st.builds(
    lambda dollar, n, s, gap, u: f"{dollar}{n}{s}{gap}{u}",
    st.sampled_from(["", "$"]),
    _numbers,
    _scales,
    st.sampled_from(["", " "]),
    _unit_exprs,
)


@given(
    text=quantity_like,
    target=st.none() | _unit_exprs,
    set_name=st.sampled_from(["seed-2025", "independent-2026"]),
    as_json=st.booleans(),
)
def test_quantity_like_text(text: str, target: str | None, set_name: str, as_json: bool) -> None:
    args = ["convert", "-a", set_name] + (["--json"] if as_json else [])
    args += [] if target is None else ["--to", target]
    run("quantity", text, as_json, *args, "--", text)


@given(text=quantity_like | st.text())
def test_what_convert_accepts_is_what_the_grammar_means(text: str) -> None:
    # issue 6: '1,5 GW' was 15 GW and '2 😀 3 GW' 6 GW, with exit 0
    result = invoke("convert", "--json", "--", text)
    assert_contract(result)
    if result.exit_code == 0:
        meant = reference_quantity(text)
        assert meant is not None, text
        given_back = strict_json(result.stdout)["input"]
        assert given_back["value"] == meant[0]
        assert parse_unit(given_back["unit"]) == meant[1]
