"""--plot FILE (issue 20 item 2): the timeline, the tornado and the flows drawn as SVG or PNG
from the installed CLI; matplotlib imported only then; refusals with a clear error."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from gwcalc import api
from gwcalc.plot.files import PlotError, save
from gwcalc.plot.flows import circle_layout, flows_figure
from gwcalc.plot.timeline import timeline_figure
from gwcalc.plot.tornado import tornado_figure
from tests.helpers import assert_contract, assert_user_error, invoke
from tests.tiny_sets import deal, parse_tiny
from tests.update_pictures import DOCS, PICTURES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SET = "market-2026@4"
SET_TITLE = "market-2026 v4 (2026-12-06), sha256 eae10b6bf1c7"
SENSITIVITY = ("sensitivity", "-a", "independent-2026@5", "--set", "gpus_per_gw=330k..478k")
STAND_IN = (
    "import pathlib\n"
    "pathlib.Path({marker!r}).write_text('imported')\n"
    "raise ImportError('a stand-in of a package that is not installed')\n"
)


def svg_text(path: Path) -> str:
    """Every piece of text of an SVG (it parses as XML), with lines wrapped joined by spaces."""
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    pieces = (t for element in root.iter() for t in (element.text, element.tail) if t)
    return " ".join(" ".join(pieces).split())


def floats(data: object) -> list[float]:
    """A matplotlib artist's data (typed loosely by matplotlib) as floats."""
    return [float(v) for v in np.asarray(data, dtype=float).ravel()]


def plotted(*args: str, path: Path) -> str:
    """gwcalc ARGS --plot PATH: exit 0, nothing on stderr, stdout as without --plot."""
    result = invoke(*args, "--plot", str(path))
    assert_contract(result)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == invoke(*args).stdout
    return result.stdout


def test_timeline_svg_names_the_series_set_scopes_and_catch_up(tmp_path: Path) -> None:
    path = tmp_path / "timeline.svg"
    plotted("timeline", "-a", SET, path=path)
    text = svg_text(path)
    assert f"Supply vs demand (owners' plans) by year (GW_IT) — {SET_TITLE}" in text
    for label in ("Σ supply", "Σ demand (owners' plans)", "Σ supply, Σ demand (GW_IT)"):
        assert label in text
    assert "Supply: chips in the mix (every buyer;" in text
    assert "Demand: owners' plans (every buyer; any vendor)" in text
    assert "supply catches up in 2026" in text
    assert "p5–p95" not in text  # no bands without --samples
    assert os.listdir(tmp_path) == ["timeline.svg"]  # no temporary file left behind


def test_timeline_bands_with_samples_and_no_claim_when_scopes_differ(tmp_path: Path) -> None:
    path = tmp_path / "t.svg"
    args = ("timeline", "-a", "independent-2026@5", "--samples", "200", "--seed", "1")
    plotted(*args, path=path)
    text = svg_text(path)
    assert "Σ supply p5–p95 (200 samples, seed 1)" in text
    assert "Σ demand p5–p95 (200 samples, seed 1)" in text
    assert "no covered claim: the two sides' scopes differ" in text
    assert "independent-2026 v5 (2026-12-06)" in text


def test_timeline_png(tmp_path: Path) -> None:
    path = tmp_path / "timeline.png"
    plotted("timeline", "-a", SET, "--to", "2027", path=path)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000


def test_the_timeline_draws_the_results_numbers() -> None:
    """Tiny set: supply 10 GW a year; a 30 GW deal spread over 2025–2027 (10 GW a year)."""
    result = api.timeline(parse_tiny(deal("d", "30 GW", "2025", "2027")))
    supply, demand = timeline_figure(result).axes[0].lines[:2]
    assert floats(supply.get_xdata()) == [2025, 2026, 2027, 2028, 2029, 2030]
    assert floats(supply.get_ydata()) == pytest.approx([10, 20, 30, 40, 50, 60])
    assert floats(demand.get_ydata()) == pytest.approx([10, 20, 30, 30, 30, 30])
    assert supply.get_label() == "Σ supply" and demand.get_label() == "Σ demand"


def test_the_timeline_bands_are_the_samples_p5_and_p95() -> None:
    result = api.timeline(SET, last=2027, samples=300, seed=7)
    assert result.uncertainty is not None
    band = timeline_figure(result).axes[0].collections[0]  # Σ supply's p5–p95
    ys = sorted(np.asarray(band.get_paths()[0].vertices, dtype=float)[:, 1])
    p5 = [y.summaries["cumulative_supply"].p5 for y in result.uncertainty.years]
    p95 = [y.summaries["cumulative_supply"].p95 for y in result.uncertainty.years]
    assert ys[0] == pytest.approx(min(p5)) and ys[-1] == pytest.approx(max(p95))


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_sensitivity_tornado(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"tornado.{suffix}"
    plotted(*SENSITIVITY, path=path)
    if suffix == "png":
        assert path.read_bytes().startswith(PNG_SIGNATURE)
        return
    text = svg_text(path)
    head = "Sensitivity of coverage — independent-2026 v5 (2026-12-06, with --set gpus_per_gw"
    assert head in text
    for name in ("gpus_per_gw", "all_in_cost_per_gw", "vendor_share", "330k … 478k gpu/GW_IT"):
        assert name in text
    assert "coverage (%)" in text


def test_the_tornado_bars_run_from_the_point_to_each_end() -> None:
    result = api.sensitivity("independent-2026@5", samples=100, seed=1)
    ax = tornado_figure(result).axes[0]
    swinging = [e for e in result.effects if e.output_at_low != e.output_at_high]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 2 * len(swinging)
    top = swinging[0]  # the largest swing, drawn at the top
    low, high = bars[0], bars[1]
    assert low.get_x() == pytest.approx(result.point)
    assert low.get_x() + low.get_width() == pytest.approx(top.output_at_low)
    assert high.get_x() + high.get_width() == pytest.approx(top.output_at_high)
    assert low.get_y() + low.get_height() / 2 == len(result.effects) - 1
    labels = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    assert labels == [e.name for e in reversed(result.effects)]


def test_economics_tornado_axis_has_the_unit(tmp_path: Path) -> None:
    path = tmp_path / "payback.svg"
    plotted("sensitivity", "--output", "payback_years", "--samples", "200", path=path)
    text = svg_text(path)
    assert "(yr)" in text and "price_per_gpu_hour" in text and SET_TITLE in text


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_flows_graph(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"flows.{suffix}"
    plotted("flows", "-a", SET, path=path)
    if suffix == "png":
        assert path.read_bytes().startswith(PNG_SIGNATURE)
        return
    text = svg_text(path)
    assert f"{SET_TITLE}: counted flows (nominal $)" in text
    for name in ("OpenAI", "NVIDIA", "AMD", "Oracle", "chip-order", "equity", "warrant"):
        assert name in text
    assert "dashed: investment; solid: payment" in text


def test_flows_edges_dashed_for_investment_solid_for_payments() -> None:
    report = api.flows(SET).report
    arrows = [p for p in flows_figure(report).axes[0].patches if type(p).__name__ != "Circle"]
    assert len(arrows) == len(report.counted)
    for arrow, c in zip(arrows, report.counted, strict=True):
        assert arrow.get_linestyle() == ("--" if c.flow.investment else "-")


def test_circle_layout() -> None:
    at = circle_layout(["a", "b", "c", "d"])
    assert at["a"] == pytest.approx((0, 1)) and at["b"] == pytest.approx((1, 0))
    assert at["c"] == pytest.approx((0, -1), abs=1e-12)
    assert circle_layout(["x"]) == {"x": (0.0, 0.0)}
    assert circle_layout([]) == {}


def test_svg_is_the_same_bytes_on_every_run(tmp_path: Path) -> None:
    for name in ("a.svg", "b.svg"):
        plotted("timeline", "-a", SET, "--samples", "100", path=tmp_path / name)
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert b"<dc:date>" not in (tmp_path / "a.svg").read_bytes()


def test_a_picture_replaces_an_older_one(tmp_path: Path) -> None:
    path = tmp_path / "t.svg"
    path.write_text("old")
    plotted("timeline", "-a", SET, "--to", "2026", path=path)
    assert "Σ supply" in svg_text(path)


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("t.pdf", "the file must end in .svg or .png"),
        ("t", "the file must end in .svg or .png"),
        ("missing/t.svg", "does not exist"),
    ],
)
def test_refused_before_any_output(tmp_path: Path, name: str, fragment: str) -> None:
    result = invoke("timeline", "-a", SET, "--plot", str(tmp_path / name))
    assert_user_error(result, "--plot", fragment, code=2)
    assert os.listdir(tmp_path) == []


def test_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.svg").mkdir()
    result = invoke("flows", "--plot", str(tmp_path / "d.svg"))
    assert_user_error(result, "--plot", "is a directory", code=2)


def test_never_over_the_set_it_was_drawn_from(tmp_path: Path) -> None:
    path = tmp_path / "set.svg"
    path.write_text("kept")
    figure = timeline_figure(api.timeline(SET, last=2026))
    with pytest.raises(PlotError, match="refusing to write a picture over the assumption set"):
        save(figure, path, keep=path)
    assert path.read_text() == "kept"


def _run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`python -m gwcalc ARGS` with a stand-in matplotlib that records its import and fails as
    a package that is not installed."""
    shims = tmp_path / "shims"
    (shims / "matplotlib").mkdir(parents=True)
    marker = tmp_path / "matplotlib.imported"
    (shims / "matplotlib" / "__init__.py").write_text(STAND_IN.format(marker=str(marker)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GWCALC_")}
    env["PYTHONPATH"] = str(shims)
    done = subprocess.run(
        [sys.executable, "-m", "gwcalc", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done, marker


@pytest.mark.parametrize(
    "args",
    [("timeline", "-a", SET, "--to", "2026"), ("flows", "--json"), SENSITIVITY[:3]],
)
def test_plain_commands_never_import_matplotlib(tmp_path: Path, args: tuple[str, ...]) -> None:
    done, marker = _run(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()


def test_without_matplotlib_plot_names_the_extra(tmp_path: Path) -> None:
    done, marker = _run(tmp_path, "timeline", "--plot", "t.svg")
    assert marker.exists()
    assert done.returncode == 1
    assert done.stdout == ""  # refused before any work
    assert done.stderr == (
        "Error: drawing a picture (--plot) needs matplotlib, which is not installed\n"
        "  hint: install gwcalc's plotting extra: pip install 'gwcalc[plot]'\n"
    )
    assert not (tmp_path / "t.svg").exists()


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_the_readmes_pictures_are_drawn_from_the_sets_as_they_stand(name: str) -> None:
    """docs/*.svg (python -m tests.update_pictures) name the set they were drawn from, with
    its --set overrides: a change to the set (its sha256) asks for a new drawing."""
    args = PICTURES[name]
    overrides = [args[i + 1].split("=", 1) for i, word in enumerate(args) if word == "--set"]
    aset = api.load_set(args[args.index("-a") + 1], [(n, v) for n, v in overrides])
    text = svg_text(DOCS / name)
    assert f"{aset.id} v{aset.version} ({aset.date}" in text
    assert f"sha256 {aset.sha256[:12]}" in text


def test_the_python_api_titles_overrides_in_its_own_words() -> None:
    """Drawn from Python, a title says 'with overrides' (the CLI says 'with --set')."""
    aset = api.load_set("independent-2026@5", [("gpus_per_gw", "330k..478k")])
    figure = tornado_figure(api.sensitivity(aset, samples=100, seed=1))
    title = " ".join(figure.get_suptitle().split())
    assert "independent-2026 v5 (2026-12-06, with overrides gpus_per_gw: set to 330k..478k" in title
    assert f"sha256 {aset.sha256[:12]}" in title


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (
            ("--output", "round_trip_share", "--party", "AMD", "--year", "2027"),
            ("amd_share_price", "round-trip share of AMD (%)", "32.1%", "98.0%"),
        ),
        (
            ("--output", "revenue_gap", "--year", "2027", "--samples", "200"),
            ("end_user_margin", "(USD_nominal/yr)", "1.717T", "400B"),
        ),
    ],
    ids=["flows-output", "by-year-output"],
)
def test_tornado_of_flows_and_by_year_outputs(
    tmp_path: Path, args: tuple[str, ...], names: tuple[str, ...]
) -> None:
    path = tmp_path / "t.svg"
    plotted("sensitivity", "-a", SET, *args, path=path)
    text = svg_text(path)
    for name in names:
        assert name in text
