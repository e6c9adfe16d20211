"""The report layer: every result as a JSON document and as rows (CSV, Markdown, -q).

Lives here: `documents` (the JSON documents), `timeline` (the timeline's documents), `rows` (the
same results as rows; `econ_rows` and `by_year_rows` for the economics' explanations), `flows`
(`gwcalc flows`), `flows_diff` (the money in `gwcalc diff`),
`flows_samples` (`flows --samples`), `output_range` (the check every document passes before it
is written).
It sits just above the engine: its functions take results and return plain data, so the layers
above (timelines, uncertainty, analysis, api) call it to build their documents, and it names
their types only for type checking. May import: `gwcalc.errors`, `gwcalc.units`, `gwcalc.sets`
and `gwcalc.engine`; never a layer above, the API or the CLI.
"""
