"""Public models of wagtail-series.

``SeriesPage`` is a series; any page type using ``SeriesPartMixin`` that sits directly under a
series page is one of its parts, in the page tree's order. ``SeriesPart`` is a ready-made part.
"""

from .linked import LinkedPart
from .parts import SeriesPart, SeriesPartMixin, get_part_models
from .series import SeriesPage, SeriesPageTag, SeriesStatus
from .versions import SeriesVersion
from .webhooks import WebhookDelivery

__all__ = [
    "LinkedPart",
    "SeriesPage",
    "SeriesPageTag",
    "SeriesPart",
    "SeriesPartMixin",
    "SeriesStatus",
    "SeriesVersion",
    "WebhookDelivery",
    "get_part_models",
]
