"""Wagtail hooks of the followers app: registrations only."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from ... import surface_hooks
from ...admin.permissions import user_has_series_access
from ...models import SeriesPartMixin
from . import admin_urls
from .admin_views import follower_counts
from .signal_handlers import remember_choice


class NotifyFollowersMenuItem(ActionMenuItem):
    """ "Email followers when published" (ticked), in the editor's action menu of a part that has
    never been published; unticked, the revision saved is published without emails."""

    name = "wagtail-series-followers-notify"
    template_name = "wagtail_series_followers/admin/notify_menu_item.html"
    order = 1000

    def is_shown(self, context: dict[str, Any]) -> bool:
        if context["view"] == "create":
            page_class = getattr(context.get("page"), "__class__", None)
            return page_class is not None and issubclass(page_class, SeriesPartMixin)
        page = context.get("page")
        return (
            isinstance(page, SeriesPartMixin)
            and getattr(page, "first_published_at", None) is None
            and super().is_shown(context)
        )


@hooks.register("register_page_action_menu_item")
def register_notify_menu_item() -> ActionMenuItem:
    return NotifyFollowersMenuItem()


@hooks.register("before_edit_page")
def remember_notify_on_edit(request: Any, page: Any) -> None:
    remember_choice(request)


@hooks.register("before_create_page")
def remember_notify_on_create(request: Any, parent_page: Any, page_class: Any) -> None:
    remember_choice(request)


@hooks.register("register_admin_urls")
def register_followers_admin_urls() -> list[Any]:
    return [
        path("series-followers/", include(admin_urls, namespace="wagtail_series_followers_admin"))
    ]


class FollowersMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return user_has_series_access(request.user)


@hooks.register("register_admin_menu_item")
def register_followers_menu_item() -> MenuItem:
    return FollowersMenuItem(
        _("Series followers"),
        reverse("wagtail_series_followers_admin:index"),
        icon_name="mail",
        order=310,
    )


# The Series index's "followers" column (counts only): wagtail_series.admin.modeladmin.
hooks.register(surface_hooks.FOLLOWER_COUNTS, follower_counts)


@hooks.register("register_page_header_buttons")
def follower_email_preview_button(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> list[Button]:
    """ "Preview the followers' email" in a part's "..." menu, for whoever works on series."""
    if not isinstance(page, SeriesPartMixin) or not user_has_series_access(user):
        return []
    url = reverse("wagtail_series_followers_admin:preview", args=[page.pk])
    return [Button(_("Preview the followers' email"), url, icon_name="mail", priority=80)]
