"""The timelines layer: supply built and demand falling due, year by year.

Lives here: `compute` (each year's supply and demand), `diff` (what moved a timeline between two
sets). May import: `gwcalc.errors`, `gwcalc.units`, `gwcalc.sets`, `gwcalc.engine` and
`gwcalc.report`.
"""
