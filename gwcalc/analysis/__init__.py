"""The analysis layer: comparing and explaining sets.

Lives here: `diff` (two sets' gap compared and attributed), `explain` (an output's chain, figure
by figure), `econ_diff` and `econ_explain` (the same for the per-GW economics outputs: Shapley
parts, formulas with the values in;
`by_year_explain` for the revenue gap by year), `check` (over-determined rates). May import:
the layers
below it (`errors`, `units`, `sets`, `engine`, `report`, `timelines`, `money`, `economics`,
`uncertainty`).
"""
