"""Which series an admin user may work on, from Wagtail's own page permissions.

Every admin view of wagtail-series starts from these functions: the Series index, the
forthcoming-parts report, the dashboard panel and the "Add forthcoming part" action. They never
trust an id from the request: a series is looked up, then checked against the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from wagtail.permissions import page_permission_policy

from ..models import LinkedPart, SeriesPage, get_part_models

if TYPE_CHECKING:
    from wagtail.models import Page

# Any of these page permissions, granted on a series or one of its ancestors, puts the series (and
# its parts, which inherit the permission) in the user's Series area.
SERIES_ADMIN_ACTIONS = frozenset({"add", "change", "publish"})


def series_for_user(user: Any) -> QuerySet[SeriesPage]:
    """The series ``user`` may work on in the admin.

    Those on which they have the add, change or publish page permission (granted on the series or
    an ancestor, through group page permissions). All series for superusers, none for inactive or
    anonymous users. One query when evaluated, whatever the number of permissions.
    """
    if not getattr(user, "is_active", False) or not user.is_authenticated:
        return SeriesPage.objects.none()
    if user.is_superuser:
        return SeriesPage.objects.all()
    pages = page_permission_policy.instances_user_has_any_permission_for(
        user, set(SERIES_ADMIN_ACTIONS)
    )
    return SeriesPage.objects.filter(pk__in=pages.values("pk"))


def user_has_series_access(user: Any) -> bool:
    """Whether ``user`` has any page permission that may give them series (for menus)."""
    if not getattr(user, "is_active", False) or not user.is_authenticated:
        return False
    return page_permission_policy.user_has_any_permission(user, set(SERIES_ADMIN_ACTIONS))


def creatable_part_models(series: SeriesPage) -> list[type[Page]]:
    """The part page types an editor may create directly under ``series``.

    Wagtail's own rules (``parent_page_types``, ``subpage_types``, ``max_count``...) decide; only
    page types using ``SeriesPartMixin`` count.
    """
    part_models = get_part_models()
    return [
        model
        for model in series.specific_class.creatable_subpage_models()
        if model in part_models and model.can_create_at(series)
    ]


def written_part_models(series: SeriesPage) -> list[type[Page]]:
    """The part types of ``series`` whose pages are written as parts: every creatable part type
    but ``LinkedPart`` (which "Link an existing page" creates)."""
    return [m for m in creatable_part_models(series) if not issubclass(m, LinkedPart)]


def write_part_url(series: SeriesPage) -> str:
    """Where "Write a new part" leads: Wagtail's create view of the one written part type, or
    its page-type choice when there are several."""
    models = written_part_models(series)
    if len(models) == 1:
        meta = models[0]._meta
        return reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, series.pk])
    return reverse("wagtailadmin_pages:add_subpage", args=[series.pk])


def can_add_part(user: Any, series: SeriesPage) -> bool:
    """Whether ``user`` may add a part page under ``series`` (Wagtail's "add subpage" check)."""
    return (
        bool(creatable_part_models(series)) and series.permissions_for_user(user).can_add_subpage()
    )


def can_link_page(user: Any, series: SeriesPage) -> bool:
    """Whether ``user`` may add a linked part (``LinkedPart``) under ``series``: "add subpage",
    and the series takes linked parts."""
    return linked_part_allowed(series) and series.permissions_for_user(user).can_add_subpage()


def linked_part_allowed(series: SeriesPage) -> bool:
    """Whether ``series`` takes linked parts (Wagtail's page type rules; no query)."""
    return LinkedPart in creatable_part_models(series)


def can_reorder_parts(user: Any, series: SeriesPage) -> bool:
    """Whether ``user`` may reorder the parts of ``series``: Wagtail's own check for reordering a
    page's children (``can_reorder_children``: the publish permission, on the series or above)."""
    return series.permissions_for_user(user).can_reorder_children()
