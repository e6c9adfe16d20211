"""The uncertainty layer: ranges as distributions, Monte Carlo and sensitivity.

Lives here: `distributions` (a range as a distribution), `sampling` (seeded draws of a plan's
inputs, percentiles), `timeline` (the timeline's Monte Carlo), `sensitivity` (which ranged figure
moves an output). May import: the layers below it (`errors`, `units`, `sets`, `engine`,
`report`, `timelines`).
"""
