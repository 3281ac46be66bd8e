"""Differences between the supported Wagtail versions, in one place."""

from __future__ import annotations


def page_model_name() -> str:
    """The page model's "app_label.Model" name, for migrations that apply on Wagtail 7.4 and 8.

    Wagtail 8 makes the page model swappable through the ``swapper`` package, which Wagtail 7.4
    does not install; there the page model is always ``wagtailcore.Page``.
    """
    try:
        import swapper
    except ImportError:  # Wagtail < 8
        return "wagtailcore.Page"
    return swapper.get_model_name("wagtailcore", "Page")
