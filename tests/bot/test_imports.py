"""bot/ modules import one another in one direction only: no cycle, not even a lazy or type-checking import."""
import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"


def imports_of(path: Path) -> set[str]:
    """Every bot module this file imports, wherever the import stands (in a function, under TYPE_CHECKING)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("bot."))
    return found


def test_no_bot_module_imports_one_that_imports_it_back():
    graph = {f"bot.{p.stem}": imports_of(p) for p in BOT.glob("*.py")}
    cycles = []

    def visit(module: str, trail: tuple[str, ...]) -> None:
        for imported in sorted(graph.get(module, ())):
            if imported == trail[0]:
                cycles.append(" -> ".join(trail + (imported,)))
            elif imported not in trail and len(trail) < 8:
                visit(imported, trail + (imported,))

    for module in sorted(graph):
        visit(module, (module,))
    assert not cycles, cycles


def test_the_compiler_does_not_know_the_reader():
    assert "bot.understanding" not in imports_of(BOT / "understanding_file.py")
    assert "bot.understanding" not in imports_of(BOT / "lexicon.py")
