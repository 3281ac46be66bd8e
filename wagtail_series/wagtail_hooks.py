"""Wagtail hooks of wagtail-series: registrations only, the code lives in the modules imported.

Besides Wagtail's own hooks, it registers the two private ones through which ``SeriesPage``'s feed
routes and the ``series`` API field reach the feeds and the reader at call time (see
``surface_hooks``): Wagtail imports this module once every model is loaded.
"""

from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
from wagtail import hooks

from . import announcement, reader, surface_hooks
from .admin import admin_urls, modeladmin
from .admin.dashboard import ForthcomingPartsPanel
from .admin.memberships import add_memberships_message
from .admin.permissions import user_has_series_access
from .admin.views.webhooks import WebhookDeliveryViewSet
from .feeds.views import hide_private_feeds, serve_series_feed
from .rich_text import SeriesPageLinkHandler

# --- Surfaces that models declare: feed routes, the `series` API field, part pages' tags ----

hooks.register(surface_hooks.SERVE_FEED, serve_series_feed)
hooks.register(surface_hooks.PART_POSITION, reader.get_part_position)
hooks.register(surface_hooks.PART_POSITIONS, reader.get_part_positions)
hooks.register(surface_hooks.PREFETCH_MEMBERSHIPS, reader.prefetch_memberships)
hooks.register(surface_hooks.PART_SERIES, reader.get_part_series)
hooks.register(surface_hooks.ROUTE_FORTHCOMING_PART, announcement.route_forthcoming_part)


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
    return WebhookDeliveryViewSet("wagtail_series_webhook_deliveries")


# --- Admin: the Series area, the forthcoming-parts report, the dashboard panel -------------

modeladmin.register()


@hooks.register("register_admin_urls")
def register_series_admin_urls():
    return [path("series/", include(admin_urls, namespace="wagtail_series_admin"))]


# Any page's editor: "In these series", the series the page is a part of or linked in.
hooks.register("before_edit_page", add_memberships_message)


@hooks.register("construct_homepage_panels")
def add_forthcoming_parts_panel(request, panels):
    if user_has_series_access(request.user):
        panels.append(ForthcomingPartsPanel())


@hooks.register("insert_global_admin_css")
def series_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}"><link rel="stylesheet" href="{}">'
        '<link rel="stylesheet" href="{}">',
        static("wagtail_series/admin.css"),
        static("wagtail_series/narrow.css"),
        # Wagtail 7.4 and 8 have no insert_editor_css any more: the editor's styles are global.
        static("wagtail_series/editor.css"),
    )


# Part pages' rich-text editors: the link chooser opens at the series, links to forthcoming parts
# read "coming soon" (static/wagtail_series/editor.js; it does nothing outside a series part).
@hooks.register("insert_editor_js")
def series_editor_js():
    return format_html('<script src="{}" defer></script>', static("wagtail_series/editor.js"))
