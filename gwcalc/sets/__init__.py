"""The sets layer: assumption sets as data, from a file on disk to an `AssumptionSet` in memory.

Lives here: `specs` (the known parameters and their units), `schema` (the set file format as
data: every table and key), `assumption_set` (a set in memory: figures, ranges, overrides,
hashes), `ranges` (a figure's range), `time_axis` (a format 2 set's years, chips, mix and deals),
`figures` (a source, a value by year, a parameter), `overrides` (what --set does to a set),
`field_checks`, `toml_lines`, `read_figures`, `read_time_axis` and `read` (reading files safely),
`find`, `versions`, `paths` and `catalog` (where sets are found), `write` (deriving and writing
sets). May import: `gwcalc.errors` and `gwcalc.units`.
"""
