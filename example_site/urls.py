from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from wagtail_series.api import SeriesAPIViewSet
from wagtail_series.api.openapi import openapi_view

# Wagtail's API v2 at /api/v2/: the stock endpoints and, beside them, a whole series per request.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("series", SeriesAPIViewSet)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # The OpenAPI document of the series endpoints (and the series field of part pages).
    path("api/openapi/series.json", openapi_view, name="series-openapi"),
    # GraphQL: the grapple schema with wagtail-series' types, depth and alias limits.
    path("graphql/", include("wagtail_series.contrib.grapple.urls")),
    # Following a series by email: the form, the JSON endpoint, confirm and unsubscribe links.
    path("series/followers/", include("wagtail_series.contrib.followers.urls")),
]

if settings.DEBUG:
    # Uploaded images and documents; static files are served by runserver itself.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

site_routes = [
    # RSS, Atom and JSON Feed of new parts across every series (each series has its own too).
    path("series/feed/", include("wagtail_series.feeds.urls")),
    # Wagtail's page serving: keep it last, it matches every other URL.
    path("", include(wagtail_urls)),
]

if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
    # The multilingual demo (WAGTAIL_SERIES_DEMO_LANGUAGES): English URLs stay as they are, the
    # other languages' pages and site-wide feed are under /fr/... With an unprefixed default
    # language, LocaleMiddleware activates English on every unprefixed URL, so a French feed
    # needs its prefix too.
    urlpatterns += i18n_patterns(*site_routes, prefix_default_language=False)
else:
    urlpatterns += site_routes
