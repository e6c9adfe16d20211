"""The reference in docs/ builds as a MkDocs site in strict mode, every page of the nav rendered,
with no warning (a broken link or anchor, a page left out of the nav); CI builds it too."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CONFIG = REPO / "mkdocs.yml"


def _nav_pages() -> list[str]:
    """The pages the nav of mkdocs.yml lists (`- Title: page.md` lines), in order."""
    return re.findall(r"^\s*- [^:\n]+: (\S+\.md)\s*$", CONFIG.read_text(encoding="utf-8"), re.M)


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(site)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    return site, done


def test_the_config_is_strict_and_reads_docs() -> None:
    text = CONFIG.read_text(encoding="utf-8")
    assert re.search(r"^strict: true$", text, re.M)
    assert re.search(r"^docs_dir: docs$", text, re.M)
    assert re.search(r"^  name: mkdocs$", text, re.M)  # MkDocs' own theme: no extra dependency


def test_the_nav_lists_every_page() -> None:
    nav = _nav_pages()
    on_disk = sorted(p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md"))
    assert sorted(nav) == on_disk
    assert nav[0] == "index.md"
    assert len(nav) == len(set(nav))


def test_the_site_builds_in_strict_mode(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, done = built
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    assert "Documentation built" in done.stderr


def test_every_page_is_rendered(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    site, done = built
    assert done.returncode == 0, done.stderr
    for page in _nav_pages():
        html = site / (
            "index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html"
        )
        assert html.is_file(), f"{page} was not rendered"
        text = html.read_text(encoding="utf-8")
        title = (REPO / "docs" / page).read_text(encoding="utf-8").splitlines()[0]
        assert title.startswith("# ")
        assert "<h1" in text, page
    assert (site / "timeline.svg").is_file()  # the pictures travel with the pages
    for page in ("gap", "timeline"):  # the checked examples are on the built pages
        assert f"$ gwcalc {page}" in (site / page / "index.html").read_text(encoding="utf-8")
