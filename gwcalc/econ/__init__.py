"""The economics layer (gwcalc.econ: `gwcalc.economics` is the API's function, as
`gwcalc.flows` is): what a GW of AI capacity costs and earns, and the market's revenue gap.

Lives here: `model` (the per-GW model as data: its inputs, its outputs with their formulas, and
`per_gw` evaluating them on floats; Sequoia's revenue needed), `inputs` (a set's figures as the
model's floats, planned with pint once), `by_year` (the market's capex, depreciation and revenue
needed year by year against its AI revenue; `by_year_model` the same on floats,
`by_year_study` its outputs to study with figures moved, for sensitivity and explain), `compute`
(a set's economics), `default_set` (the
set read by default), `outputs_graph` (the outputs each output reads, for sensitivity, explain
and diff), `report` (the JSON document and the value texts), `views` (the tables, CSV and -q
lines). May import: `gwcalc.errors`, `gwcalc.units`,
`gwcalc.sets`, `gwcalc.engine`, `gwcalc.report`, `gwcalc.timelines` and `gwcalc.money` (it
stands between `gwcalc.money` and `gwcalc.uncertainty`).
"""
