"""An option that takes one value, given twice, is refused (exit 2): click keeps the last value
and the first would be dropped without a word ('flows --party AMD --party NVIDIA' showed NVIDIA
alone). Options that take many (--set, --to) and flags stay repeatable."""

from __future__ import annotations

import pytest

from tests.helpers import assert_user_error, invoke


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("flows", "--party", "AMD", "--party", "NVIDIA"),
            "--party given twice ('AMD' and 'NVIDIA')",
        ),
        (("timeline", "--buyer", "OpenAI", "--buyer=Anthropic"), "--buyer given twice"),
        (
            ("gap", "-a", "seed-2025", "-amarket-2026"),
            "-a given twice ('seed-2025' and 'market-2026')",
        ),
        (("gap", "--assumptions", "seed-2025", "-a", "seed-2025"), "-a given twice"),
        (
            ("assumptions", "check", "seed-2025", "--tolerance", "1", "--tolerance", "2"),
            "--tolerance given twice",
        ),
        (
            (
                "explain",
                "warrant_value",
                "--flow",
                "AMD-Meta warrant",
                "--flow",
                "AMD-OpenAI warrant",
            ),
            "--flow given twice",
        ),
    ],
)
def test_a_one_value_option_given_twice_is_refused(args: tuple[str, ...], said: str) -> None:
    stderr = assert_user_error(invoke(*args), said, "it takes one value", code=2)
    command = args[0] if args[0] != "assumptions" else "assumptions check"
    assert f"see 'gwcalc {command} --help'" in stderr


def test_options_that_take_many_and_flags_stay_repeatable() -> None:
    many = invoke("convert", "6 GW", "--to", "gpu", "--to", "die", "-q", "-q")
    assert many.exit_code == 0, many.stderr
    assert many.stdout == "3M gpu\n3M die\n"
    sets = invoke("gap", "--set", "gpus_per_gw=400k", "--set", "gpus_per_wafer=10", "-q")
    assert sets.exit_code == 0, sets.stderr


def test_a_value_that_looks_like_an_option_is_a_value() -> None:
    """After `--demand`, '-a' would be the option's value, not the -a option given again."""
    result = invoke("gap", "-a", "seed-2025", "--demand", "-5 GW", "-q")
    assert "given twice" not in result.stderr
