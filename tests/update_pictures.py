"""Draw the pictures the README and docs/ show, with the CLI as a user runs it (`python -m gwcalc`).

    python -m tests.update_pictures   # rewrite docs/*.svg

tests/test_plots.py checks that each picture names the set it was drawn from as the set stands
now (its version and sha256), so a change to the set asks for a new drawing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
TORNADO: tuple[str, ...] = ("sensitivity", "-a", "independent-2026@5")
TORNADO += ("--set", "gpus_per_gw=330k..478k", "--set", "vendor_share=0.6..0.73")
# file -> the command that draws it (main adds --plot FILE and -q)
PICTURES = {
    "timeline.svg": ("timeline", "-a", "market-2026@4", "--samples", "2000"),
    "tornado.svg": TORNADO,
    "flows.svg": ("flows", "-a", "market-2026@4"),
}


def main() -> None:
    for name, args in PICTURES.items():
        path = DOCS / name
        command = [sys.executable, "-m", "gwcalc", *args, "--plot", str(path), "-q"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
