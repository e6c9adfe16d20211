"""gwcalc.api: results equal the CLI's JSON key for key, print as the CLI does; the docs' example
runs."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gwcalc import api
from gwcalc.errors import GwcalcError
from gwcalc.units.registry import Q_, parse_unit
from tests.helpers import invoke, json_output

PYTHON_API = Path(__file__).resolve().parent.parent / "docs" / "python-api.md"


def cli_json(*args: str) -> Any:
    return json_output(invoke(*args, "--json"))


def test_gap_to_dict_equals_gap_json() -> None:
    assert api.gap(api.load_set("seed-2025")).to_dict() == cli_json("gap")


@pytest.mark.parametrize(
    ("args", "call"),
    [
        (("-a", "independent-2026", "--unit", "GW_facility"), ("independent-2026", "GW_facility")),
        (("--unit", "gpu", "--demand", "26 GW"), ("seed-2025", "gpu", "26 GW")),
        (("-a", "bases-2025", "--unit", "USD_all_in"), ("bases-2025", "USD_all_in")),
    ],
)
def test_gap_to_dict_equals_gap_json_with_options(args: tuple[str, ...], call: Any) -> None:
    name, *rest = call
    assert api.gap(api.load_set(name), *rest).to_dict() == cli_json("gap", *args)


def test_overrides_equal_set_options() -> None:
    aset = api.load_set("seed-2025", [("gpus_per_gw", "400k gpu/GW"), ("pue", Q_(1.3, ""))])
    expected = cli_json(
        "gap", "--unit", "GW_facility", "--set", "gpus_per_gw=400k gpu/GW", "--set", "pue=1.3"
    )  # pue is on the chain to GW_facility (an override no chain uses is refused)
    assert api.gap(aset, "GW_facility").to_dict() == expected
    same = api.load_set("seed-2025", {"gpus_per_gw": "400k gpu/GW", "pue": "1.3"})
    assert same.sha256 == aset.sha256


def test_convert_to_dict_equals_convert_json() -> None:
    seed = api.load_set("seed-2025")
    assert api.convert("6 GW", ["gpu", "USD"], seed).to_dict() == cli_json(
        "convert", "6 GW", "--to", "gpu", "--to", "USD"
    )
    assert api.convert(Q_(75e3, parse_unit("wafer/month")), "GW/year", seed).to_dict() == (
        cli_json("convert", "75k wafer/month", "--to", "GW/year")
    )
    assert api.convert("3.2M gpu", aset=seed).to_dict() == cli_json("convert", "3.2M gpu")


def test_diff_to_dict_equals_diff_json() -> None:
    result = api.diff(
        "seed-2025", "independent-2026", conversions=[("6 GW", "gpu"), ("6 GW", "USD")]
    )
    expected = cli_json(
        "diff", "seed-2025", "independent-2026", "--convert", "6 GW", "--to", "gpu", "--to", "USD"
    )
    assert result.to_dict() == expected
    assert result.differs


def test_results_print_units_as_the_cli_does() -> None:
    seed = api.load_set("seed-2025")
    gap = api.gap(seed)
    for text in (str(gap), repr(gap)):
        assert "13.5 GW_IT/yr" in text
        assert "gigawatt" not in text
    assert "27.0%" in str(gap)
    conversion = api.convert("6 GW", "gpu", seed)
    assert str(conversion) == "6 GW_IT × 500k gpu/GW_IT (gpus_per_gw) = 3M gpu"
    assert "3M gpu" in repr(conversion)
    diff = str(api.diff(seed, api.load_set("seed-2025", {"gpus_per_wafer": "7.5"})))
    assert "supply_per_year: 13.5 GW_IT/yr -> 6.75 GW_IT/yr (-50.0%)" in diff
    assert "gigawatt" not in diff


def test_gap_result_gives_quantities_and_its_plan() -> None:
    result = api.gap("seed-2025", unit="gpu")
    assert result["supply_per_year"] == Q_(6.75e6, parse_unit("gpu/year"))
    assert set(result.outputs) == {"supply_per_year", "demand", "gap", "coverage", "years_to_cover"}
    plan = result.plan
    assert plan.evaluate(plan.values())[plan.names.index("demand")] == pytest.approx(25e6)


def test_errors_are_gwcalc_errors() -> None:
    with pytest.raises(GwcalcError, match="unknown unit"):
        api.convert("6 GW", "parsec")
    with pytest.raises(GwcalcError, match="no assumption set"):
        api.load_set("no-such-set")


def test_the_docs_python_example_runs() -> None:
    text = PYTHON_API.read_text(encoding="utf-8")
    block = text.split("# Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "docs/python-api.md", "exec"), {})
    printed = out.getvalue()
    assert "13.5 GW_IT/yr" in printed
    assert "6 GW_IT × 500k gpu/GW_IT (gpus_per_gw) = 3M gpu" in printed
    assert "'supply_per_year': 16.875" in printed  # 450k wafers × 15 / 400k gpu/GW


def test_import_gwcalc_stays_cheap() -> None:
    code = "import sys, gwcalc; print('pint' in sys.modules, 'click' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_an_empty_demand_is_an_error_not_the_default() -> None:
    with pytest.raises(GwcalcError, match="empty quantity"):
        api.gap("seed-2025", demand="")
    result = invoke("gap", "--demand", "")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: empty quantity")


def test_the_issue_one_liner_prints_the_gap(tmp_path: Path) -> None:
    code = "from gwcalc import api; print(api.gap(api.load_set('seed-2025')))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stderr == ""
    assert done.stdout.splitlines()[1].split() == ["supply", "per", "year", "13.5", "GW_IT/yr"]


def test_converter_gives_convert_floats_for_many_quantities() -> None:
    from gwcalc import api

    c = api.converter("gpu", "seed-2025")
    first, second = c.convert("6 GW"), c.convert("7.5 GW")  # the second: planned floats
    assert first.results == (3e6,)
    assert second.results == tuple(q.magnitude for q in api.convert("7.5 GW", "gpu").results)
    assert second.plan.chains[0].unit == "gpu"
