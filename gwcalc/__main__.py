"""Run gwcalc as `python -m gwcalc`."""

from gwcalc.cli import main

main()
