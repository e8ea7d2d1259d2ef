"""The shape of the code, checked with `ast` so it stays true: no import cycle between our modules."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {"tests", ".venv", ".git"}


def production_modules() -> dict[str, Path]:
    """Every module of ours, by dotted name (tests/ excluded)."""
    modules = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[0] in SKIPPED or parts[0].startswith("."):
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def imported_names(path: Path, module: str) -> set[str]:
    """Every name imported anywhere in the file: at the top, and lazily inside functions (import_graph
    resolves each to the most specific module of ours it names)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from chat import limits` imports the module chat.limits; `from bot.engine import Engine`, bot.engine
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """module -> the modules of ours it imports (a package's __init__ counts as the package)."""
    modules = production_modules()
    graph = {}
    for module, path in modules.items():
        edges = set()
        for name in imported_names(path, module):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                edges.add(name)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_lazy_imports_inside_functions():
    graph = import_graph()
    assert "wiring" in graph["app"]
    assert all(name in graph for name in ("bot.service", "store.keys", "webhooks"))


def test_no_import_cycle_between_our_modules():
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40


def oversized() -> list[str]:
    """Modules over MAX_MODULE_LINES and functions (methods, nested ones) over MAX_FUNCTION_LINES, with sizes."""
    found = []
    for module, path in production_modules().items():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"{module}: {lines} lines")
        found += [f"{name}: {size} lines" for name, size in function_sizes(ast.parse(text), module)
                  if size > MAX_FUNCTION_LINES]
    return found


def function_sizes(node: ast.AST, prefix: str):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = f"{prefix}.{child.name}"
            if not isinstance(child, ast.ClassDef):
                yield name, child.end_lineno - child.lineno + 1
            yield from function_sizes(child, name)
        else:
            yield from function_sizes(child, prefix)


def test_modules_and_functions_stay_small():
    assert not oversized(), "too long (split by idea): " + "; ".join(oversized())


def test_the_size_check_sees_methods_and_nested_functions():
    tree = ast.parse("class A:\n    def f(self):\n        def g():\n            pass\n        return g\n")
    assert dict(function_sizes(tree, "m")) == {"m.A.f": 4, "m.A.f.g": 2}


def private_uses(path: Path, module: str, modules: dict[str, Path]) -> list[str]:
    """`from ours import _name`, and `ours._name` on a module of ours imported by name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, imported = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in modules:
            found += [f"{module} imports {node.module}.{a.name}" for a in node.names if _private(a.name)]
            imported |= {a.asname or a.name for a in node.names if f"{node.module}.{a.name}" in modules}
        elif isinstance(node, ast.Import):
            imported |= {a.asname for a in node.names if a.asname and a.name in modules}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imported \
                and _private(node.attr):
            found.append(f"{module} uses {node.value.id}.{node.attr}")
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_uses_another_modules_private_names():
    modules = production_modules()
    found = [use for module, path in modules.items() for use in private_uses(path, module, modules)]
    assert not found, "private names used from another module: " + "; ".join(found)


def test_the_private_check_sees_imports_and_attributes(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("from config.content import _read\nfrom bench import engine_step\nengine_step._cold()\n")
    assert private_uses(source, "example", production_modules()) == [
        "example imports config.content._read", "example uses engine_step._cold"]
