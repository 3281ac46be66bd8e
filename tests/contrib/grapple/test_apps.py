"""The GraphQL app is optional: it fails loudly when its requirements are missing, and the core
works without grapple or graphene installed at all."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from wagtail_series.contrib.grapple.apps import REQUIRED_APPS, requirement_errors

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "wagtail_series"
GRAPHQL_PACKAGES = {"grapple", "graphene", "graphene_django", "graphql", "gql"}
GRAPHQL_APPS = ("wagtail_series.contrib.grapple", "grapple", "graphene_django")


def test_requirement_errors_name_every_missing_app():
    assert requirement_errors(list(REQUIRED_APPS)) == []
    errors = requirement_errors(["wagtail_series", "grapple"])
    assert errors == [
        "wagtail_series.contrib.grapple needs 'graphene_django' in INSTALLED_APPS "
        "(grapple serves its schema with graphene-django).",
        "wagtail_series.contrib.grapple needs 'wagtail.embeds' in INSTALLED_APPS "
        "(grapple's StreamField types import wagtail.embeds).",
    ]


def test_a_swapped_page_model_is_refused():
    (error,) = requirement_errors(list(REQUIRED_APPS), "basepage.BasePage")
    assert "page model is swapped (WAGTAIL_PAGE_MODEL = 'basepage.BasePage')" in error


def run_python(tmp_path: Path, settings_code: str, script: str) -> subprocess.CompletedProcess:
    """Run ``script`` in a fresh interpreter with a settings module made of ``settings_code``."""
    (tmp_path / "probe_settings.py").write_text(textwrap.dedent(settings_code))
    (tmp_path / "probe_urls.py").write_text(
        "from django.urls import include, path\n"
        "from wagtail import urls as wagtail_urls\n"
        'urlpatterns = [path("", include(wagtail_urls))]\n'
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "probe_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_up_fails_loudly_without_wagtail_embeds(tmp_path):
    result = run_python(
        tmp_path,
        """
        from tests.settings import *  # noqa: F403
        from tests.settings import INSTALLED_APPS
        INSTALLED_APPS = [a for a in INSTALLED_APPS if a != "wagtail.embeds"]
        """,
        "import django; django.setup()",
    )
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: wagtail_series.contrib.grapple needs " in (
        result.stderr
    )
    assert "'wagtail.embeds' in INSTALLED_APPS" in result.stderr


def test_the_core_runs_without_grapple_or_graphene_installed(tmp_path):
    """With the GraphQL packages impossible to import, every core module imports and the system
    checks pass: nothing outside the contrib app needs them."""
    result = run_python(
        tmp_path,
        f"""
        from tests.settings import *  # noqa: F403
        from tests.settings import INSTALLED_APPS
        INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in {GRAPHQL_APPS!r}]
        ROOT_URLCONF = "probe_urls"
        """,
        f"""
        import importlib, pkgutil, sys

        class NoGraphQL:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {sorted(GRAPHQL_PACKAGES)!r}:
                    raise ImportError(f"{{name}} is not installed here")

        sys.meta_path.insert(0, NoGraphQL())
        for name in {sorted(GRAPHQL_PACKAGES)!r}:
            sys.modules.pop(name, None)

        import django
        django.setup()
        import wagtail_series
        imported = []
        for module in pkgutil.walk_packages(wagtail_series.__path__, "wagtail_series."):
            if not module.name.startswith("wagtail_series.contrib.grapple"):
                importlib.import_module(module.name)
                imported.append(module.name)
        from django.core.management import call_command
        call_command("check", fail_level="ERROR")
        leaked = sorted(n for n in sys.modules if n.split(".")[0] in {sorted(GRAPHQL_PACKAGES)!r})
        print("imported", len(imported), "graphql modules", leaked)
        """,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "graphql modules []" in result.stdout
    assert int(result.stdout.split("imported ")[1].split()[0]) > 20


def imported_top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_contrib_app_imports_graphql_packages():
    contrib = PACKAGE / "contrib" / "grapple"
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_top_level_names(path) & GRAPHQL_PACKAGES)
        for path in PACKAGE.rglob("*.py")
        if contrib not in path.parents
    }
    assert {path: names for path, names in offenders.items() if names} == {}
    # The scan does see imports: the contrib app's own are found.
    assert {"grapple", "graphene", "graphql"} <= imported_top_level_names(contrib / "views.py") | (
        imported_top_level_names(contrib / "types.py")
    )


@pytest.mark.django_db
def test_part_types_without_series_info_are_warned_about(monkeypatch):
    from grapple.registry import registry

    from tests.testapp.models import BlogPage
    from wagtail_series.contrib.grapple.checks import check_part_types_have_series_info

    assert check_part_types_have_series_info() == []
    bare = SimpleNamespace(_meta=SimpleNamespace(interfaces=()))
    monkeypatch.setitem(registry.pages, BlogPage, bare)
    (warning,) = check_part_types_have_series_info()
    assert warning.id == "wagtail_series_grapple.W001" and warning.obj is BlogPage
    assert "SeriesPartInterface" in warning.hint
