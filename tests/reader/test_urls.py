"""Part and series URLs (``reader.urls``)."""

from __future__ import annotations

import pytest
from wagtail.models import Site

from tests.conftest import (
    Page,
    add_part,
    reload,
)
from tests.reader.conftest import make_request
from wagtail_series import reader
from wagtail_series.models import SeriesPart

pytestmark = pytest.mark.django_db


# --- URLs ---------------------------------------------------------------------------------------


def outline_urls(series, request) -> list[str | None]:
    outline = reader.get_series_outline(reload(series), request)
    return [outline.url, *(entry.url for entry in outline.entries)]


def wagtail_urls(series, request) -> list[str | None]:
    """What Wagtail's own get_url says for the series and each part (None while not live)."""
    pages = [reload(series), *(reload(p) for p in reload(series).get_children())]
    return [page.get_url(request) if page.live else None for page in pages]


def test_urls_skip_the_site_lookup_only_where_it_cannot_matter(home, series):
    add_part(series, "One")
    add_part(series, "Two", state="draft")
    add_part(series, "Three")
    # One site: a URL is relative whichever site the request is for, so no Site lookup.
    request = make_request()
    assert outline_urls(series, request) == wagtail_urls(series, make_request())
    assert not hasattr(request, "_wagtail_site")
    assert outline_urls(series, make_request())[1:] == ["/memories/one/", None, "/memories/three/"]

    # Two sites: relative on the series' own site, absolute from the other, as Wagtail says.
    other_root = Page(title="Other root", slug="other-root")
    Page.get_first_root_node().add_child(instance=other_root)
    Site.objects.create(hostname="other.example", root_page=other_root)
    Site.clear_site_root_paths_cache()
    for host, expected_prefix in (("localhost", "/"), ("other.example", "http://localhost/")):
        request = make_request()
        request.META["HTTP_HOST"] = host
        urls = outline_urls(series, request)
        assert urls == wagtail_urls(series, request)
        assert urls[0].startswith(expected_prefix) and urls[0].endswith("/memories/")


def test_urls_of_a_page_type_with_its_own_get_url_come_from_it(series, monkeypatch):
    add_part(series, "One")
    monkeypatch.setattr(
        SeriesPart, "get_url", lambda page, request=None, current_site=None: f"/own/{page.slug}/"
    )
    assert outline_urls(series, make_request())[1:] == ["/own/one/"]
