"""Serializer fields for Wagtail's stock pages endpoint (``api_fields`` on page models)."""

from __future__ import annotations

from typing import Any

from rest_framework.fields import Field
from wagtail.blocks import RichTextBlock
from wagtail.rich_text import expand_db_html

from .serializers import part_series_data


class SeriesInfoField(Field):
    """The ``series`` field of a part page: its series, position, total, previous and next.

    ``None`` when the page is not a visible part of a live series (e.g. not under a series).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, page: Any) -> dict[str, Any] | None:
        from .. import reader  # not at import time: models import this module

        request = self.context.get("request")
        position = reader.get_part_position(page, request)
        return part_series_data(position, request) if position is not None else None


class RichTextHTMLField(Field):
    """A RichTextField as display HTML, links to forthcoming parts resolved as on the site.

    On Wagtail 8, ``?rich_text_format=html`` does the same for every rich text field; this field
    does it on Wagtail 7.4 too, whatever the request asks.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return expand_db_html(str(value or ""))


class StreamFieldHTMLField(Field):
    """A StreamField with its top-level rich text blocks as display HTML (see RichTextHTMLField).

    Other blocks use their own ``get_api_representation``.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> list[dict[str, Any]]:
        return [
            {
                "type": child.block_type,
                "value": (
                    expand_db_html(child.value.source)
                    if isinstance(child.block, RichTextBlock)
                    else child.block.get_api_representation(child.value, self.context)
                ),
                "id": child.id,
            }
            for child in value
        ]
