"""The timelines layer: supply built and demand falling due, year by year.

Lives here: `views` (a set in one year or for one chip, and chains of rates planned once per
structure), `deals` (which deals count, their sizes and schedules), `compute` (each year's
supply and demand), `inputs` (what differs between two sets' time axes), `shapley` (Shapley
values, exact or sampled), `terms` (the gap as a sum of terms, each shared out exactly), `diff`
(what moved a timeline between two sets). May import: `gwcalc.errors`, `gwcalc.units`,
`gwcalc.sets`, `gwcalc.engine` and `gwcalc.report`.
"""
