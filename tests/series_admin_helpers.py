"""Helpers for the admin tests: editors with Wagtail group page permissions, and admin pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import GroupPagePermission

from wagtail_series.compat import get_page_model

# The site's page model (Wagtail 8 may have swapped it): its permissions are the page permissions.
Page = get_page_model()

SERIES_INDEX_URL = "wagtail_series_seriespage_modeladmin_index"

# Escaping tests: a title that is also markup.
SCRIPT_TITLE = "<script>alert('x')</script> Evil"
SCRIPT_ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Evil"


def page_permission(action: str) -> Permission:
    """The ``Permission`` for a page action ("add", "change", "publish"...)."""
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Page),
        codename=get_permission_codename(action, Page._meta),
    )


def make_editor(username: str, grants: dict[Any, tuple[str, ...]] | None = None) -> Any:
    """A non-superuser with admin access and, per page, the given page permissions."""
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for page, actions in (grants or {}).items():
        for action in actions:
            GroupPagePermission.objects.create(
                group=group, page=page, permission=page_permission(action)
            )
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(group)
    return user


def series_index_url() -> str:
    return reverse(SERIES_INDEX_URL)


def report_url(**params: Any) -> str:
    from urllib.parse import urlencode

    url = reverse("wagtail_series_admin:forthcoming_parts")
    return f"{url}?{urlencode(params)}" if params else url


def add_part_url(series: Any) -> str:
    return reverse("wagtail_series_admin:add_forthcoming_part", args=[series.pk])


def messages_of(response: Any) -> list[tuple[str, str]]:
    """(level tag, text) of the messages a response carries."""
    from django.contrib.messages import get_messages

    return [(m.level_tag, str(m.message)) for m in get_messages(response.wsgi_request)]


def assert_permission_denied(response: Any) -> None:
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard and an error."""
    assert response.status_code == 302, response
    assert response["Location"] == reverse("wagtailadmin_home")
    level, text = messages_of(response)[-1]
    assert level == "error" and "permission" in text
