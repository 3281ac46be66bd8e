"""The import graph of wagtail_series: no circle through the models or the reader, and no import
hidden in a function to break one.

Read from the source with ``ast`` (the last test also checks an import order for real). An edge
A -> B means that executing module A imports module B: imports at module level (also inside
``try``/``if`` and class bodies), except in ``if TYPE_CHECKING:`` blocks. ``from pkg import name``
imports ``pkg.name`` when that is a module, else ``pkg``. Importing a module also runs its
packages' ``__init__`` (``import a.b.c`` runs ``a`` and ``a.b`` first), so those are edges too,
except to the importer's own packages, always initialised (or initialising) before it runs.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "wagtail_series"
PACKAGE = "wagtail_series"

# Function-level imports that are allowed, as (importing module, imported module): each for a
# reason other than breaking a circle.
ALLOWED_FUNCTION_LEVEL_IMPORTS = {
    # AppConfig.ready(): Django's place for imports that need the app registry ready.
    ("wagtail_series.apps", "wagtail_series.checks"),
    ("wagtail_series.apps", "wagtail_series.signal_handlers"),
    ("wagtail_series.contrib.grapple.apps", "wagtail_series.contrib.grapple.checks"),
    ("wagtail_series.contrib.followers.apps", "wagtail_series.contrib.followers.signal_handlers"),
    # The follow endpoint in the OpenAPI document, when the optional followers app is installed.
    ("wagtail_series.api.openapi", "wagtail_series.contrib.followers.openapi"),
    # The follow form of the default templates, only when the optional followers app is installed.
    (
        "wagtail_series.templatetags.wagtail_series",
        "wagtail_series.contrib.followers.templatetags.wagtail_series_followers",
    ),
    # compat is imported by AppConfig modules, before wagtail.models may be imported; swapper is
    # only installed with Wagtail 8.
    ("wagtail_series.compat", "swapper"),
    ("wagtail_series.compat", "wagtail.models"),
    # The REST API package: host sites' models may import the deprecated wagtail_series.api.fields
    # while apps are still loading, and the viewset's module needs them loaded.
    ("wagtail_series.api", "wagtail_series.api.views"),
    # Optional integrations, imported only when used: grapple and graphene (the GraphQL extra),
    # Wagtail's frontend cache (purging, when the site enables it).
    ("wagtail_series.contrib.grapple.checks", "grapple.registry"),
    ("wagtail_series.contrib.grapple.schema", "grapple.settings"),
    ("wagtail_series.contrib.grapple.types", "grapple.settings"),
    ("wagtail_series.contrib.grapple.types", "graphene_django"),
    ("wagtail_series.contrib.grapple.types", "grapple.types.streamfield"),
    ("wagtail_series.contrib.grapple.views", "grapple.schema"),
    # A data migration runs the reader's rule when it is applied, never when migrations load
    # (the reader imports the current models).
    ("wagtail_series.migrations.0005_latest_public_part_published_at", "wagtail_series.reader"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def resolve(importer: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import statement in ``importer`` names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = importer.split(".")
        if not is_package(importer):
            base.pop()
        base = base[: len(base) - (node.level - 1)]
        package = ".".join(base + ([node.module] if node.module else []))
    else:
        package = node.module or ""
    names = [f"{package}.{alias.name}" for alias in node.names]
    return [name if name in MODULES else package for name in names]


def is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def imports(name: str) -> tuple[list[str], list[str]]:
    """(module-level, function-level) imports of module ``name``."""
    tree = ast.parse(MODULES[name].read_text(), str(MODULES[name]))
    module_level: list[str] = []
    function_level: list[str] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if is_type_checking(child):
                for orelse in child.orelse:  # type: ignore[attr-defined]
                    visit_one(orelse, in_function)
                continue
            visit_one(child, in_function)

    def visit_one(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                return
            (function_level if in_function else module_level).extend(resolve(name, node))
            return
        is_function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        visit(node, in_function or is_function)

    visit(tree, False)
    return module_level, function_level


def ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name in MODULES:
        own_packages = set(ancestors(name))
        targets = set()
        for imported in imports(name)[0]:
            for module in [*ancestors(imported), imported]:
                if module in MODULES and module not in own_packages and module != name:
                    targets.add(module)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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
            connect(node)
    return found


def is_core(name: str) -> bool:
    return any(
        name == core or name.startswith(core + ".")
        for core in (f"{PACKAGE}.models", f"{PACKAGE}.reader")
    )


def test_the_graph_sees_the_package():
    graph = import_graph()
    assert {"wagtail_series.models", "wagtail_series.reader", "wagtail_series.api_fields"} <= set(
        graph
    )
    # Spot checks of the resolution rules.
    assert "wagtail_series.models.parts" in graph["wagtail_series.models"]
    assert "wagtail_series.admin.panels" in graph["wagtail_series.models.parts"]
    assert "wagtail_series.admin" in graph["wagtail_series.models.parts"]  # a package's __init__
    assert "wagtail_series.reader" in graph["wagtail_series.wagtail_hooks"]


def test_no_import_circle_runs_through_the_models_or_the_reader():
    through_core = [cycle for cycle in cycles(import_graph()) if any(map(is_core, cycle))]
    assert through_core == []


def test_no_import_circle_at_all():
    assert cycles(import_graph()) == []


def test_what_the_models_import_never_leads_back_to_them():
    # The models declare surfaces (panels, forms, API fields) in their class bodies: whatever they
    # import must be importable before them, whichever module a host site imports first.
    graph = import_graph()
    seen: set[str] = set()
    todo = [name for name in graph if is_core(name) and name.startswith(f"{PACKAGE}.models")]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph[name])
    assert not any(name.startswith(f"{PACKAGE}.reader") for name in seen), sorted(seen)


def test_no_function_level_import_except_the_allowed_ones():
    allowed = ALLOWED_FUNCTION_LEVEL_IMPORTS
    found = {(name, imported) for name in MODULES for imported in imports(name)[1]}
    assert sorted(found - allowed) == []
    # Keep the allow-list short: an entry whose import is gone goes too.
    assert sorted(ALLOWED_FUNCTION_LEVEL_IMPORTS - found) == []


FIRST_IMPORT = """
import importlib, django
from django.apps.config import AppConfig
import_models = AppConfig.import_models
def host_models_first(self):  # the first app's models import {module} before anything else
    AppConfig.import_models = import_models
    importlib.import_module({module!r})
    import_models(self)
AppConfig.import_models = host_models_first
django.setup()
"""


@pytest.mark.parametrize("module", ["wagtail_series.api_fields", "wagtail_series.reader"])
def test_a_host_site_may_import_it_before_the_models(module):
    # A host app listed before wagtail_series whose models import this module first (isort puts
    # wagtail_series.api_fields before wagtail_series.models): no half-initialised module.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    subprocess.run(
        [sys.executable, "-c", FIRST_IMPORT.format(module=module)],
        cwd=ROOT.parent,
        env=env,
        check=True,
        timeout=300,
    )
