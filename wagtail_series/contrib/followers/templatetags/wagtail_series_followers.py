"""``{% load wagtail_series_followers %}``: ``{% follow_series_form [page] %}``, the follow form
of a public series (on its page or a part's), nothing elsewhere."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .... import reader
from ....models import SeriesPage

register = template.Library()


def series_of(page: Any, request: Any) -> SeriesPage | None:
    """The series a follow form on ``page`` is for, if anyone may read it."""
    series: SeriesPage | None
    if isinstance(page, SeriesPage):
        series = page
    else:
        position = reader.get_part_position(page, request) if page is not None else None
        series = position.outline.series if position is not None else None
    if series is None or not reader.series_is_public(series, request):
        return None
    return series


@register.simple_tag(takes_context=True)
def follow_series_form(context: template.Context, page: Any = None) -> SafeString:
    request = context.get("request")
    series = series_of(page if page is not None else context.get("page"), request)
    if series is None:
        return mark_safe("")
    return mark_safe(  # noqa: S308 (a rendered template)
        render_to_string(
            "wagtail_series_followers/includes/follow_form.html",
            {"series": series, "action": reverse("wagtail_series_followers:follow")},
            request=request,
        )
    )
