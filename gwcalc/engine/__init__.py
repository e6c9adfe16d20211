"""The engine layer: chains of rates planned once through pint and evaluated many times as floats.

Lives here: `graph` (the conversion graph and its chains), `outputs` (each gap output as data),
`plan` (planning outputs through pint), `codegen` (the float evaluator generated from a plan),
`stream` (converting many quantities, each unit planned once). May import: `gwcalc.errors`,
`gwcalc.units` and `gwcalc.sets`.
"""
