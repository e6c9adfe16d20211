"""diff --convert runs through each set's parameters; a chip's name there (a unit of convert's:
that chip's packages) would compare no chip at all, so it is refused, named, not read as an
unknown unit."""

from __future__ import annotations

import pytest

from gwcalc import api
from gwcalc.errors import QuantityError
from tests.helpers import assert_user_error, invoke


@pytest.mark.parametrize(("quantity", "target"), [("6 GW", "Rubin"), ("1M rubin", "GW")])
def test_a_chip_in_a_diffs_conversion_is_refused_named(quantity: str, target: str) -> None:
    stderr = assert_user_error(
        invoke("diff", "market-2026@3", "market-2026@4", "--convert", quantity, "--to", target),
        "'Rubin' is a chip of market-2026 v3: a diff converts through each set's parameters",
        "convert through Rubin in each set",
    )
    assert "unknown unit" not in stderr


def test_the_api_refuses_it_too_and_packages_still_convert() -> None:
    with pytest.raises(QuantityError, match="'GB300' is a chip of market-2026 v4"):
        api.diff("market-2026@4", "market-2026@4", conversions=[("6 GW", "gb300")])
    result = api.diff("market-2026@3", "market-2026@4", conversions=[("6 GW", "gpu")])
    assert result.to_dict()["output_changes"]
