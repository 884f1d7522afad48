"""The house is one-way: a module imports only from its own floor or below (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bot"
FLOORS = {
    1: "errors settings records words spelling sentences prompts chunk gguf citations extractive",  # leaves
    2: "store embed llm llama_server local_model load",  # boundaries: the only code that knows a backend
    3: "ingest retrieve context attribution",  # stages, and the context that hands them to services
    4: "answer summarize library doctor quotes migrate",  # services
    5: "cli ui __main__ __init__",  # faces (the browser UI is the package bot.ui)
}
FLOOR = {name: floor for floor, names in FLOORS.items() for name in names.split()}


def top_module(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "bot":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("bot."))
    return found


def test_every_module_has_a_floor() -> None:
    modules = {top_module(p) for p in PACKAGE.rglob("*.py")}
    assert modules <= set(FLOOR), f"give these a floor: {sorted(modules - set(FLOOR))}"


def test_no_import_runs_up() -> None:
    upward = []
    for path in PACKAGE.rglob("*.py"):
        me = top_module(path)
        for other in imported(path) - {me}:
            if FLOOR[other] > FLOOR[me]:
                upward.append(f"{path.relative_to(PACKAGE)} (floor {FLOOR[me]}) imports {other} (floor {FLOOR[other]})")
    assert not upward, "\n".join(upward)
