"""schema.org JSON-LD for series and parts, built from the reader's output only.

URLs are absolute on the series' own Site (the reader's outline), whatever host was asked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .languages import bcp47, page_language

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .reader import PartPosition, SeriesOutline

# As django.utils.html.json_script: keep "</script>" and friends out of the script element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _in_language(outline: SeriesOutline, request: HttpRequest | None) -> str:
    # Parts live under their series, in its locale tree: the series' language is theirs.
    return bcp47(page_language(outline.series, request))


def series_data(outline: SeriesOutline, request: HttpRequest | None = None) -> dict[str, Any]:
    """A ``CreativeWorkSeries`` with its published parts as ``hasPart``, in its language."""
    return {
        "@context": "https://schema.org",
        "@type": "CreativeWorkSeries",
        "name": outline.title,
        "url": outline.full_url,
        "inLanguage": _in_language(outline, request),
        "hasPart": [
            {
                "@type": "Article",
                "name": entry.title,
                "headline": entry.title,
                "url": outline.absolute(entry.url),
                "position": entry.position,
                "datePublished": entry.first_published_at,
            }
            for entry in outline.published
        ],
    }


def part_data(
    position: PartPosition,
    request: HttpRequest | None = None,
    also_in: Sequence[PartPosition] = (),
) -> dict[str, Any]:
    """An ``Article`` that ``isPartOf`` its series, with its position and language. A page in
    several series (``also_in``: its positions in the others) is part of each: ``isPartOf``
    is then a list, its primary series first."""
    entry = position.entry
    series = [
        {"@type": "CreativeWorkSeries", "name": p.outline.title, "url": p.outline.full_url}
        for p in (position, *also_in)
    ]
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": entry.title,
        "name": entry.title,
        "url": position.outline.absolute(entry.url),
        "inLanguage": _in_language(position.outline, request),
        "position": entry.position,
        "datePublished": entry.first_published_at,
        "isPartOf": series if also_in else series[0],
    }


def json_ld_script(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
