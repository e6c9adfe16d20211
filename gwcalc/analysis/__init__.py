"""The analysis layer: comparing and explaining sets.

Lives here: `diff` (two sets' gap compared and attributed), `explain` (an output's chain, figure
by figure), `check` (over-determined rates). May import: the layers below it (`errors`, `units`,
`sets`, `engine`, `report`, `timelines`, `uncertainty`).
"""
