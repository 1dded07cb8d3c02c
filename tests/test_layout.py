"""The package's rooms are the stages a report passes through: no module imports a later stage,
and no modules import each other in a circle (imports inside functions count too)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "classifier"
# In data-flow order. config, errors and files sit under every stage; cli and the package's door above all.
STAGES = ("config", "errors", "files", "read", "units", "corpus", "model", "run", "evaluation", "review", "serve", "cli", "__init__")
RANK = {"config": 0, "errors": 0, "files": 0, **{name: rank for rank, name in enumerate(STAGES[3:], start=1)}}


def module_name(path: Path, base: Path = SRC) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, root.parent): path for path in sorted(root.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [f"{target}.{alias.name}" for alias in node.names] + [target]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found.update(c for c in candidates if c in known and c != name)
    return found


def stage(name: str) -> str:
    parts = name.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    found = modules(root)
    # importing a subpackage's module runs the subpackage's __init__ too, which imports nothing.
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def later_stage_imports(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} -> {b}" for a, targets in edges.items() for b in targets
                  if RANK[stage(b)] > RANK[stage(a)])


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_every_module_sits_in_a_known_stage():
    assert {stage(name) for name in modules()} <= set(STAGES)


def test_no_module_imports_a_later_stage():
    assert later_stage_imports(graph()) == []


def test_no_import_circles():
    assert circles(graph()) == []


def test_every_subpackage_says_what_enters_and_leaves():
    """The stages' packages hold a docstring only; the door (the package itself and cli/) holds entry points."""
    for init in PACKAGE.rglob("__init__.py"):
        if init.parent not in (PACKAGE, PACKAGE / "cli"):
            tree = ast.parse(init.read_text(encoding="utf-8"))
            assert ast.get_docstring(tree), f"{init} has no docstring"
            assert all(isinstance(node, ast.Expr) or isinstance(node, ast.ImportFrom) and node.module == "__future__"
                       for node in tree.body), f"{init} should hold its docstring only (keeps imports light)"


@pytest.mark.parametrize("source, expected", [
    ("from ..review import summary\n", ["classifier.run.predict -> classifier.review.summary"]),
    ("def f():\n    from ..review.summary import label_shares\n", ["classifier.run.predict -> classifier.review.summary"]),
    ("from ..read import reading\n", []),
])
def test_the_checks_catch_a_late_import_even_inside_a_function(tmp_path, source, expected):
    root = tmp_path / "classifier"
    for name in ("run/predict.py", "review/summary.py", "read/reading.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("", encoding="utf-8")
    (root / "run/predict.py").write_text(source, encoding="utf-8")
    edges = {name: imports(name, path, set(modules(root))) for name, path in modules(root).items()}
    assert later_stage_imports(edges) == expected


def test_the_circle_check_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
