"""Draft the JSON Schemas in docs/schemas/ from gwcalc's real output (tests/json_cases.py, and
`assumptions show`, `timeline`, `flows` and `assumptions check` of every shipped set).

    python -m tests.update_schemas   # rewrite docs/schemas/*.schema.json

A schema drafted this way requires every key that every sample has and refuses any other
(additionalProperties false); objects keyed by data (outputs, years, parameters, units) take
any key. Read the diff before committing it: a schema is the documents' contract, and
tests/test_json_schemas.py checks the real output against the committed files.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from gwcalc.sets.find import bundled_dir
from tests.helpers import invoke
from tests.json_cases import CASES

SCHEMAS = Path(__file__).resolve().parent.parent / "docs" / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
# objects keyed by data, not by a fixed set of keys
MAPS = {
    "outputs", "overrides", "override_effects", "output_changes", "supply_by_chip", "reads",
    "by_year", "years", "parameters", "inputs", "before", "after", "figures", "mix", "shares",
    "chips", "per_gw", "rates",
}  # fmt: skip
DATA_KEY = re.compile(r"[^a-z0-9_]|^[0-9]")
TITLES = {
    "gap": "gwcalc gap --json",
    "timeline": "gwcalc timeline --json",
    "convert": "gwcalc convert --json (one document per quantity)",
    "flows": "gwcalc flows --json",
    "economics": "gwcalc economics --json",
    "diff": "gwcalc diff --json",
    "diff-timeline": "gwcalc diff A B --timeline --json",
    "sensitivity": "gwcalc sensitivity --json (every output family)",
    "explain": "gwcalc explain --json (a gap output)",
    "explain-economics": "gwcalc explain --json (an economics output, per GW or by year)",
    "explain-flows": "gwcalc explain --json (a flows output)",
    "assumptions-list": "gwcalc assumptions list --json",
    "assumptions-show": "gwcalc assumptions show --json",
    "assumptions-check": "gwcalc assumptions check --json",
    "assumptions-new": "gwcalc assumptions new --json",
    "error": "Any command's error document (--json or --format jsonl)",
}


def _is_map(key: str, values: list[dict[str, Any]]) -> bool:
    keys = {k for v in values for k in v}
    if any(DATA_KEY.search(k) for k in keys):
        return True
    return key in MAPS and not ({"value", "unit"} <= keys or "id" in keys or "p5" in keys)


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}[type(value)]


def infer(values: list[Any], key: str = "") -> dict[str, Any]:
    """A schema that every value satisfies."""
    kinds = {_type(v) for v in values}
    if {"integer", "number"} <= kinds or key == "value":
        kinds = (kinds - {"integer"}) | ({"number"} if kinds & {"integer", "number"} else set())
    parts = []
    for kind in sorted(kinds):
        same = [v for v in values if _type(v) == kind or (kind == "number" and _type(v) in
                                                            ("integer", "number"))]  # fmt: skip
        if kind == "object":
            parts.append(_object(same, key))
        elif kind == "array":
            items = [x for v in same for x in v]
            # a list's items are records, not the map its key may name elsewhere ('years')
            parts.append({"type": "array", "items": infer(items, key + "[]")} if items else
                         {"type": "array"})  # fmt: skip
        else:
            parts.append({"type": kind})
    if not parts:
        return {}
    if all(set(p) == {"type"} for p in parts):
        types = [p["type"] for p in parts]
        return {"type": types[0] if len(types) == 1 else types}
    return parts[0] if len(parts) == 1 else {"anyOf": parts}


def _def_of(key: str, values: list[dict[str, Any]]) -> str | None:
    """The $defs entry these objects are (None: none)."""
    keys = [set(v) for v in values]
    if all(k == {"value", "unit"} for k in keys):
        return "quantity"
    if all({"id", "sha256"} <= k for k in keys):
        return "set"
    if key == "range" and all({"low", "high", "distribution"} <= k for k in keys):
        return "range"
    if key == "source" and all("title" in k for k in keys):
        return "source"
    if all({"inputs", "ids", "kind"} <= k for k in keys):
        return "attribution_item"
    summary = {"p5", "p50", "p95", "mean", "standard_error"}
    pure = all(isinstance(v[p], dict) and set(v[p]) == {"value", "unit"}
               for v in values for p in ("p5", "p50", "mean") if p in v)  # fmt: skip
    if pure and all(k == summary for k in keys):
        return "summary"
    return None


DEF_SAMPLES: dict[str, list[dict[str, Any]]] = {}
FOUND: set[str] = set()


def _object(values: list[dict[str, Any]], key: str) -> dict[str, Any]:
    name = _def_of(key, values)
    if name is not None:
        DEF_SAMPLES.setdefault(name, []).extend(values)
        FOUND.add(name)
        return {"$ref": f"#/$defs/{name}"}
    if _is_map(key, values):
        inner = [x for v in values for x in v.values()]
        return {"type": "object", "additionalProperties": infer(inner, key + "*")}
    keys = list(dict.fromkeys(k for v in values for k in v))
    props = {k: infer([v[k] for v in values if k in v], k) for k in keys}
    required = [k for k in keys if all(k in v for v in values)]
    return {"type": "object", "properties": props, "required": required,
            "additionalProperties": False}  # fmt: skip


def _defs(names: set[str]) -> dict[str, Any]:
    """The $defs a schema uses (and those they use), each from every document's samples."""
    out: dict[str, Any] = {}
    todo = set(names)
    while todo:
        name = todo.pop()
        FOUND.clear()
        key = {"range": "range", "source": "source"}.get(name, "")
        out[name] = _object_plain(DEF_SAMPLES[name], key)
        todo |= FOUND - set(out)
    return dict(sorted(out.items()))


def _object_plain(values: list[dict[str, Any]], key: str) -> dict[str, Any]:
    keys = list(dict.fromkeys(k for v in values for k in v))
    props = {k: infer([v[k] for v in values if k in v], k) for k in keys}
    required = [k for k in keys if all(k in v for v in values)]
    return {"type": "object", "properties": props, "required": required,
            "additionalProperties": False}  # fmt: skip


def run(args: tuple[str, ...], folder: Path) -> dict[str, Any]:
    args = tuple(str(folder / "new.toml") if a == "NEW_SET" else a for a in args)
    result = invoke(*args, "--force", "--json") if "new" in args else invoke(*args, "--json")
    return dict(json.loads(result.stdout))


def samples() -> dict[str, list[dict[str, Any]]]:
    """Every case's document, and more of `assumptions show`, `timeline`, `flows` and
    `assumptions check` (each shipped set), grouped by their schema."""
    out: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = list(CASES.values())
        for path in sorted(bundled_dir().glob("*.toml")):
            ref = path.stem
            runs += [("assumptions", "show", ref), ("assumptions", "check", ref),
                     ("timeline", "-a", ref), ("flows", "-a", ref)]  # fmt: skip
        for args in runs:
            doc = run(args, folder)
            out.setdefault(doc["schema"].removesuffix(".schema.json"), []).append(doc)
    return out


def draft(name: str, docs: list[dict[str, Any]]) -> dict[str, Any]:
    FOUND.clear()
    body = infer(docs)
    body["$defs"] = _defs(set(FOUND))
    body["properties"]["schema"] = {"const": f"{name}.schema.json"}
    body["properties"]["format_version"] = {"const": docs[0]["format_version"]}
    return {
        "$schema": DRAFT,
        "$id": f"https://github.com/gwcalc/gwcalc/docs/schemas/{name}.schema.json",
        "title": TITLES.get(name, name),
        **body,
    }


def main() -> int:
    SCHEMAS.mkdir(parents=True, exist_ok=True)
    found = sorted(samples().items())
    for _name, docs in found:  # a first pass gathers every document's samples of each $def
        infer(docs)
    for name, docs in found:
        text = json.dumps(draft(name, docs), indent=2, ensure_ascii=False) + "\n"
        (SCHEMAS / f"{name}.schema.json").write_text(text, encoding="utf-8")
        print(f"{name}: {len(docs)} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
