"""The engine layer: chains of rates planned once through pint and evaluated many times as floats.

Lives here: `graph` (the conversion graph and its chains), `outputs` (each gap output and each
timeline series as data), `plan` (planning outputs through pint), `codegen` (the one float
evaluator: generated functions of formulas, used by the gap, the timeline's sampling and streams'
chains), `stream` (converting many quantities, each unit planned once). May import:
`gwcalc.errors`, `gwcalc.units` and `gwcalc.sets`.
"""
