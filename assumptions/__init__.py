"""The assumption sets shipped with gwcalc, installed as the package gwcalc.bundled."""
