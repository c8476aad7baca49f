"""The house by stage: one folder per stage of the data path, imports flowing one way.

Every import in ``geo/`` and ``ui/`` counts, including those inside functions and under
``TYPE_CHECKING``: an import cycle held together by a function-level import is still a cycle.
Importing ``geo.a.b`` from outside ``geo.a`` also runs ``geo/a/__init__.py``, so it counts as
an import of the package too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("geo", "ui")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _package_of(name: str, modules: dict[str, Path]) -> str:
    """The package holding module ``name`` (a package's ``__init__`` is held by itself)."""
    return name if modules[name].name == "__init__.py" else name.rpartition(".")[0]


def _within(package: str, holder: str) -> bool:
    return package == holder or package.startswith(holder + ".")


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imported(name: str, modules: dict[str, Path]) -> set[str]:
    """Modules of ours that ``name`` imports, anywhere in its source."""
    path = modules[name]
    package = _package_of(name, modules)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved is None or resolved == name:
                continue
            found.add(resolved)
            # Importing geo.a.b from outside geo.a runs geo/a/__init__.py first.
            parent = resolved.rpartition(".")[0]
            while parent in modules and not _within(package, parent):
                found.add(parent)
                parent = parent.rpartition(".")[0]
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imported(name, modules) for name in modules}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_the_cycle_finder_sees_a_cycle_closed_by_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_geo_or_ui():
    cycles = _cycles(_graph())
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_no_private_module_is_imported_from_outside_its_package():
    modules = _modules()
    graph = _graph()
    crossings = [
        f"{importer} imports {target}"
        for importer, targets in graph.items()
        for target in targets
        if target.rpartition(".")[2].startswith("_")
        and not _within(_package_of(importer, modules), target.rpartition(".")[0])
    ]
    assert crossings == []


def test_geo_holds_at_most_eight_plain_modules_and_the_rest_in_stage_folders():
    plain = sorted(p.name for p in (ROOT / "geo").glob("*.py"))
    assert len(plain) <= 8, plain
    folders = sorted(p.name for p in (ROOT / "geo").iterdir() if (p / "__init__.py").is_file())
    assert {"places", "annotations", "atlas", "territory", "maps", "text"} <= set(folders)


def _documented_tree() -> dict[str, set[str]]:
    """The folders and plain modules ARCHITECTURE.md's tree shows, per top-level package."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = re.search(r"## The house by stage.*?```text\n(.*?)```", text, re.S)
    assert block, "ARCHITECTURE.md has a '## The house by stage' section with a ```text tree"
    tree: dict[str, set[str]] = {}
    top = None
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        entry = line.split()[0]
        if not line.startswith(" "):
            top = entry.rstrip("/")
            tree[top] = set()
        elif top is not None:
            tree[top].add(entry)
    return tree


def test_the_folder_tree_matches_architecture_md():
    documented = _documented_tree()
    for package in PACKAGES:
        folder = ROOT / package
        actual = {f"{p.name}/" for p in folder.iterdir() if (p / "__init__.py").is_file()}
        if package == "geo":
            actual |= {p.name for p in folder.glob("*.py")}
        else:
            actual = {p.name for p in folder.glob("*.py")} | actual
        assert documented.get(package) == actual, f"{package}/ differs from ARCHITECTURE.md"
