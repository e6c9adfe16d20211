"""The units layer: gwcalc's one unit registry, its grammar for what people type, float checks.

Lives here: `definitions` (the unit definitions as pint objects), `registry` (the one registry,
kinds of unit, parsing and formatting quantities), `grammar` (gwcalc's own reading of user text
before pint sees it), `floats` (the one range test of a float: finite, zero or normal),
`logs` (logs of quantities in base units), `chips` (chip names read as units). May import:
`gwcalc.errors` and pint only.
"""

# The unit every result is measured in unless asked otherwise (GW of IT power); defined here,
# where nothing is imported, so that the CLI's --help can show it without loading pint.
DEFAULT_UNIT = "GW"
