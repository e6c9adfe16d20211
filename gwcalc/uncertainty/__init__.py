"""The uncertainty layer: ranges as distributions, Monte Carlo and sensitivity.

Lives here: `distributions` (a range as a distribution), `sampling` (the one sampler: seeded draws
of a plan's or a timeline's columns; percentiles), `timeline` (the timeline's Monte Carlo, drawn
by that sampler and evaluated by the engine's codegen), `flows` (the flows' Monte Carlo: warrants'
values and round-trip shares over a ranged share price), `sensitivity` (which ranged figure moves
an output; `econ_sensitivity` for an economics output, `by_year_sensitivity` for one of the
revenue gap by year), `economics` (the economics model over
samples: per GW and the revenue gap by year; `econ_columns`, its figures as the sampler's columns).
May import: the layers below it (`errors`, `units`, `sets`, `engine`, `report`, `timelines`,
`money`, `economics`).
"""
