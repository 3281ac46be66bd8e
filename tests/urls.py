from django.apps import apps
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from wagtail_series.api import SeriesAPIViewSet

# Wired as a host site would: the stock pages endpoint and ours on the site's own router.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("series", SeriesAPIViewSet)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v2/", api_router.urls),
    # The feed of new parts across every series, before Wagtail's catch-all.
    path("series/feed/", include("wagtail_series.feeds.urls")),
    path("series/followers/", include("wagtail_series.contrib.followers.urls")),
    path("", include(wagtail_urls)),
]

if apps.is_installed("wagtail_series.contrib.grapple"):  # not with a swapped page model
    # GraphQL: the site's grapple schema, with wagtail-series' types and limits.
    urlpatterns.insert(-1, path("graphql/", include("wagtail_series.contrib.grapple.urls")))
