"""Differences between the supported Wagtail versions, in one place.

Wagtail 8 makes the page model swappable (``WAGTAIL_PAGE_MODEL``, through the ``swapper``
package, which Wagtail 7.4 does not install). Page types must then subclass the swapped-in model,
and migrations must point at it; on Wagtail 7.4 both are always ``wagtailcore.Page``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from django.apps import apps

if TYPE_CHECKING:
    from wagtail.models import Page

DEFAULT_PAGE_MODEL = "wagtailcore.Page"


def page_model_name() -> str:
    """The page model as "app_label.ModelName", for migrations and lazy references."""
    try:
        import swapper
    except ImportError:  # Wagtail < 8
        return DEFAULT_PAGE_MODEL
    # wagtail.models sets this prefix too; say it here so the answer never depends on import order.
    swapper.set_app_prefix("wagtailcore", "wagtail")
    return swapper.get_model_name("wagtailcore", "Page")


def page_parent_link_name() -> str:
    """The name Django gives a page type's link to the page model: "page_ptr" unless swapped."""
    return f"{page_model_name().split('.')[1].lower()}_ptr"


def page_model_dependencies() -> list[tuple[str, str]]:
    """Migration dependencies for a model that links to the page model, on Wagtail 7.4 and 8."""
    # 0094 exists in both Wagtail 7.x and 8.x; a swapped-in page model adds its own app.
    dependencies = [("wagtailcore", "0094_alter_page_locale")]
    name = page_model_name()
    if name != DEFAULT_PAGE_MODEL:
        dependencies.append((name.split(".")[0], "__first__"))
    return dependencies


def get_page_model() -> type[Page]:
    """The concrete page model that page types subclass and page queries start from.

    Safe to call while models are being loaded (the swapped-in model's module is imported first).
    """
    name = page_model_name()
    if name == DEFAULT_PAGE_MODEL:
        from wagtail.models import Page

        return Page
    app_label, model_name = name.split(".")
    import_module(f"{apps.get_app_config(app_label).name}.models")
    return apps.get_model(app_label, model_name, require_ready=False)
