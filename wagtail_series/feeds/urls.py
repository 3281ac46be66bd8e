"""The feed of new parts across every series of a site. Mount it before Wagtail's catch-all:

    path("series/feed/", include("wagtail_series.feeds.urls")),

which serves RSS at ``series/feed/``, Atom at ``series/feed/atom/`` and JSON Feed at
``series/feed/json/`` (URL names ``wagtail_series_feeds:rss``, ``:atom`` and ``:json``).
"""

from django.urls import path

from .views import site_feed

app_name = "wagtail_series_feeds"

urlpatterns = [
    path("", site_feed, {"kind": "rss"}, name="rss"),
    path("atom/", site_feed, {"kind": "atom"}, name="atom"),
    path("json/", site_feed, {"kind": "json"}, name="json"),
]
