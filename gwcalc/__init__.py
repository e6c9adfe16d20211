"""gwcalc: a unit-checked, sourced calculator for AI compute supply and demand."""

# Kept free of imports so that `gwcalc --help` does not pay for pint or rich.
__version__ = "0.1.0"
