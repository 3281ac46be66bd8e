"""Deprecated: import these fields from ``wagtail_series.api_fields``."""

from ..api_fields import RichTextHTMLField, SeriesInfoField, StreamFieldHTMLField  # noqa: F401
