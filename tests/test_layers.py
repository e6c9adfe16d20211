"""The house in layers: imports run one way, from the CLI down to the errors, with no cycle.

Every import counts, those inside functions too; only imports under `if TYPE_CHECKING:` are free
(they never run). The layers, lowest first, are LAYERS below; a module may import from its own
layer and from the layers below it, never from one above. Within a layer, modules import each
other without a cycle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import gwcalc

PACKAGE = Path(gwcalc.__file__).parent
# Lowest first. `gwcalc` itself (its __init__: __version__ and the lazy API) stands outside.
LAYERS = (
    ("gwcalc.errors",),
    ("gwcalc.units",),
    ("gwcalc.sets",),
    ("gwcalc.engine",),
    ("gwcalc.report",),  # documents and rows of results: at run time only units, sets, engine
    ("gwcalc.timelines",),
    ("gwcalc.money",),  # flows of money between parties: needs only sets
    ("gwcalc.econ",),  # unit economics and the revenue gap: timelines and money below
    ("gwcalc.uncertainty",),
    ("gwcalc.analysis",),
    ("gwcalc.api",),
    ("gwcalc.plot",),  # pictures of the api's results (matplotlib, the optional extra)
    ("gwcalc.cli", "gwcalc.__main__", "gwcalc.answers"),  # the program, and its kept answers
)
MAX_MODULE_DEPTH = 24  # the longest chain of imports among modules today: a ratchet, lower it


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return getattr(test, "id", None) == "TYPE_CHECKING" or getattr(test, "attr", None) == (
        "TYPE_CHECKING"
    )


def _imports(name: str, path: Path) -> Iterator[str]:
    """The gwcalc modules `name` imports, anywhere but under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    free = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _type_checking(node)
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in free:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*here, *([node.module] if node.module else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target not in (name, "gwcalc"):
                yield target


GRAPH = {name: set(_imports(name, path)) for name, path in MODULES.items()}


def _layer(module: str) -> int | None:
    for index, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    return None


def test_every_module_has_a_layer() -> None:
    assert [m for m in MODULES if m != "gwcalc" and _layer(m) is None] == []


def test_no_import_goes_up_the_layers() -> None:
    upward = [
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, targets in GRAPH.items()
        if module != "gwcalc"
        for target in sorted(targets)
        if (_layer(target) or 0) > (_layer(module) or 0)
    ]
    assert upward == []


def _cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle() -> None:
    assert _cycles() == []


def _depth(module: str, seen: dict[str, int]) -> int:
    if module not in seen:
        seen[module] = 0  # guards against a cycle (reported by the test above)
        seen[module] = 1 + max((_depth(t, seen) for t in GRAPH[module]), default=0)
    return seen[module]


def test_the_import_graph_is_shallow() -> None:
    seen: dict[str, int] = {}
    assert max(_depth(m, seen) for m in GRAPH) <= MAX_MODULE_DEPTH


SUBPACKAGES = [m for m, p in MODULES.items() if p.name == "__init__.py" and m != "gwcalc"]


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_each_subpackage_says_what_lives_there_and_what_it_may_import(package: str) -> None:
    path = MODULES[package]
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert "Lives here" in doc and "May import" in doc, package


def test_import_gwcalc_offers_the_api_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, gwcalc; print('pint' in sys.modules, 'gwcalc.api' in sys.modules);"
        " gwcalc.gap; print('gwcalc.api' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "True"]
    from gwcalc import api

    for name in api.__all__:
        assert getattr(gwcalc, name) is getattr(api, name)
    assert set(api.__all__) <= set(dir(gwcalc))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        gwcalc.nope  # noqa: B018  # the attribute access is the test


LOADERS = {  # what loads, lists, writes or checks a set: the CLI reaches these only through the API
    "gwcalc.sets.find": {"resolve_set", "list_sets", "find_set_path"},
    "gwcalc.sets.read": {"load_set", "parse_set"},
    "gwcalc.sets.write": {"write_set", "derive_set", "write_new_set"},
    "gwcalc.analysis.check": {"check_set"},
}


def test_every_command_loads_its_sets_through_the_api() -> None:
    found = []
    for name, path in MODULES.items():
        if not name.startswith("gwcalc.cli"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in LOADERS:
                used = {alias.name for alias in node.names} & LOADERS[node.module]
                found += [f"{name} imports {node.module}.{n}" for n in sorted(used)]
    assert found == []


def test_no_module_reaches_another_modules_private_names() -> None:
    found = [
        f"{name} imports {node.module}.{alias.name}"
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gwcalc")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert found == []
