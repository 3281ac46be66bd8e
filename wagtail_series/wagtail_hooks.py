from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
from wagtail import hooks

from . import admin_urls, modeladmin
from .dashboard import ForthcomingPartsPanel
from .feeds.views import hide_private_feeds
from .permissions import user_has_series_access
from .rich_text import SeriesPageLinkHandler


# Link handlers are registered per identifier and the last registration wins: run after
# Wagtail's own "page" handler (order 0) so this one replaces it.
@hooks.register("register_rich_text_features", order=100)
def register_series_page_link_handler(features):
    features.register_link_type(SeriesPageLinkHandler)


# Feeds are public documents: answer 404 for a private series' feed before Wagtail's own view
# restriction check would offer a login or password form.
hooks.register("before_serve_page", hide_private_feeds)


@hooks.register("register_admin_viewset")
def register_webhook_deliveries_viewset():
    from .views.webhooks import WebhookDeliveryViewSet

    return WebhookDeliveryViewSet("wagtail_series_webhook_deliveries")


# --- Admin: the Series area, the forthcoming-parts report, the dashboard panel -------------

modeladmin.register()


@hooks.register("register_admin_urls")
def register_series_admin_urls():
    return [path("series/", include(admin_urls, namespace="wagtail_series_admin"))]


@hooks.register("construct_homepage_panels")
def add_forthcoming_parts_panel(request, panels):
    if user_has_series_access(request.user):
        panels.append(ForthcomingPartsPanel())


@hooks.register("insert_global_admin_css")
def series_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_series/admin.css"))
