"""The plot layer: pictures of results drawn with matplotlib, the optional extra `plot`
(`pip install 'gwcalc[plot]'`); nothing here imports matplotlib until a picture is drawn.

Lives here: `files` (where a picture may go, matplotlib loaded with the Agg backend or an error
naming the extra, the atomic and reproducible write), `timeline` (Σ supply and Σ demand by
year, with p5–p95 bands and the catch-up year), `tornado` (a sensitivity's swings), `flows`
(the parties and the money between them, laid out on a circle by hand). Each reads a result
the API computed and draws it; none computes a figure again. May import: `gwcalc.errors`,
`gwcalc.units`, `gwcalc.sets`, `gwcalc.engine`, `gwcalc.report` and the types of the layers
below (`gwcalc.api`'s results), never `gwcalc.cli`."""
