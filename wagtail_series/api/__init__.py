"""The REST API: Wagtail API v2 endpoints for series.

Register the viewset on your site's own ``WagtailAPIRouter``::

    from wagtail_series.api import SeriesAPIViewSet

    api_router.register_endpoint("series", SeriesAPIViewSet)
"""

from typing import Any

__all__ = ["SeriesAPIViewSet"]


def __getattr__(name: str) -> Any:
    # Imported lazily: host models may import the deprecated wagtail_series.api.fields while apps
    # are still loading, and the viewset needs them loaded.
    if name == "SeriesAPIViewSet":
        from .views import SeriesAPIViewSet

        return SeriesAPIViewSet
    raise AttributeError(name)
