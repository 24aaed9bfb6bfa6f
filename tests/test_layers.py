"""The house's layers, checked from the source: data flows one way, and screens and commands
speak only to the services.

Every check reads the modules with `ast` (nothing is imported), so a broken layer is
reported by module and line, not found later as a slow start or a circular import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.builders import REPO_ROOT

ROOT = REPO_ROOT


@dataclass(frozen=True)
class Import:
    """One imported module, where it is imported, and whether only for type checking."""

    module: str
    line: int
    type_checking: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    """Every module of the planner package and of the app, by its dotted name."""
    paths = [
        *sorted((ROOT / "planner").rglob("*.py")),
        ROOT / "app.py",
        *sorted((ROOT / "app_pages").glob("*.py")),
    ]
    return {module_name(path): path for path in paths}


MODULES = source_files()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The modules an import statement names: `from a import b` names `a.b` when that is a
    module of ours (a submodule), else `a`."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module.split(".")
        if MODULES[module].name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, *([base] if base else [])])
    for alias in node.names:
        yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base


def imports_of(module: str) -> list[Import]:
    """Every import in the module, at the top or inside functions and classes, each marked
    when it sits in an `if TYPE_CHECKING:` block."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[Import] = []

    def visit(node: ast.AST, type_checking: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.extend(
                Import(name, node.lineno, type_checking) for name in _imported(module, node)
            )
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_checking)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, type_checking)

    visit(tree, False)
    return list(dict.fromkeys(found))


def of_planner(name: str) -> bool:
    return name == "planner" or name.startswith("planner.")


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def where(module: str, line: int) -> str:
    return f"{MODULES[module].relative_to(ROOT)}:{line}"


def test_screens_and_commands_import_only_the_services():
    """Pages, the app's entry and the CLI reach the planner through `planner.services` only
    (its package or its modules), so what a user can do has one home. The CLI's own
    modules may import each other."""
    front = [m for m in MODULES if m == "app" or under(m, "app_pages") or under(m, "planner.cli")]
    assert front, "no app pages or CLI modules found"
    wrong = [
        f"{where(m, i.line)} imports {i.module}"
        for m in front
        for i in imports_of(m)
        if of_planner(i.module)
        and not under(i.module, "planner.services")
        and not under(i.module, "planner.cli")
    ]
    assert not wrong, "screens and commands must import only planner.services:\n" + "\n".join(wrong)


def test_services_leave_sql_to_the_storage_modules():
    """Services decide who may do what and keep transactions short; the SQL itself lives in
    `planner.data`, so no service imports SQLAlchemy or SQLModel or runs a statement."""
    services = [m for m in MODULES if under(m, "planner.services")]
    assert services
    wrong = [
        f"{where(m, i.line)} imports {i.module}"
        for m in services
        for i in imports_of(m)
        if under(i.module, "sqlalchemy") or under(i.module, "sqlmodel")
    ]
    for module in services:
        for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("exec", "execute")
            ):
                wrong.append(f"{where(module, node.lineno)} runs .{node.func.attr}(...)")
    assert not wrong, "services must call planner.data, not run SQL:\n" + "\n".join(wrong)


def import_graph() -> dict[str, set[str]]:
    """planner's modules and the planner modules each imports at run time (inside functions
    too, not under `if TYPE_CHECKING:`)."""
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        if not of_planner(module):
            continue
        graph[module] = {
            i.module
            for i in imports_of(module)
            if not i.type_checking and i.module in MODULES and i.module != module
        }
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as the path that closes it (first module repeated at the end)."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(module: str) -> list[str] | None:
        path.append(module)
        on_path.add(module)
        for target in sorted(graph[module]):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done and (cycle := visit(target)) is not None:
                return cycle
        on_path.discard(path.pop())
        done.add(module)
        return None

    for start in sorted(graph):
        if start not in done and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_find_cycle_reports_the_path():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_inside_planner():
    """Data flows one way: no module of planner imports, even late inside a function,
    one that imports it back."""
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_domain_imports_nothing_of_the_layers_above():
    """The vocabulary (records, calendar, demand) stands on its own: no I/O, no solver."""
    domain = [m for m in MODULES if under(m, "planner.domain")]
    assert domain
    wrong = [
        f"{where(m, i.line)} imports {i.module}"
        for m in domain
        for i in imports_of(m)
        if of_planner(i.module) and not under(i.module, "planner.domain")
    ]
    assert not wrong, "planner.domain must import only planner.domain:\n" + "\n".join(wrong)


def test_only_the_solver_builds_cp_sat_models():
    """CP-SAT is the solver's business: models are built under planner/solver and
    planner/rules only, so there is one place that knows how to solve."""
    wrong = [
        f"{where(m, i.line)} imports {i.module}"
        for m in MODULES
        for i in imports_of(m)
        if under(i.module, "ortools.sat")
        and not (under(m, "planner.solver") or under(m, "planner.rules"))
    ]
    assert not wrong, "ortools.sat outside planner/solver and planner/rules:\n" + "\n".join(wrong)
