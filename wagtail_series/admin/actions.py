"""Admin operations on series, shared by the admin views and usable from code."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import BaseViewRestriction, PageViewRestriction, Revision

from .. import propagation
from ..compat import get_page_model
from ..models import LinkedPart, SeriesPage, SeriesPart
from ..models.parts import part_content_type_ids

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.models import Page


def create_forthcoming_part(
    series: SeriesPage,
    *,
    title: str,
    user: Any,
    teaser: str = "",
    expected_date: dt.date | None = None,
    model: type[Page] = SeriesPart,
    request: HttpRequest | None = None,
) -> Page:
    """Add an announced, unpublished part at the end of ``series``, as Wagtail's "Save draft" does.

    The page is created under the series with ``user`` as its owner, gets its first revision
    (logged as "wagtail.create" in the page history) and is never published. As in Wagtail's page
    creation view, the page type's default privacy setting applies.

    It does not check permissions: callers do (see ``permissions.can_add_part``).
    """
    part = model(
        title=title,
        forthcoming_teaser=teaser,
        expected_date=expected_date,
        announce_forthcoming=True,
        live=False,
        owner=user,
    )
    _add_with_revision(series, part, user, request)
    return part


def create_linked_part(
    series: SeriesPage,
    *,
    target: Page | None,
    title: str,
    user: Any,
    teaser: str = "",
    expected_date: dt.date | None = None,
    announce: bool = True,
    publish: bool = True,
    request: HttpRequest | None = None,
) -> LinkedPart:
    """Add a ``LinkedPart`` pointing at ``target`` (None: a placeholder) at the end of ``series``.

    Created as ``create_forthcoming_part`` creates a part (owner, first revision logged as
    "wagtail.create", default privacy), then, with ``publish``, that revision is published
    (logged as "wagtail.publish"), so readers see the target at once if it is live. Callers
    check permissions (adding, and publishing: ``can_publish_subpage``), validate the target
    (``admin.forms.linked_target_error``) and, for one purge and one webhook, wrap this in a
    ``propagation.batch()``.
    """
    part = LinkedPart(
        title=title,
        target=target,
        forthcoming_teaser=teaser,
        expected_date=expected_date,
        announce_forthcoming=announce,
        live=False,
        owner=user,
    )
    with transaction.atomic():
        revision = _add_with_revision(series, part, user, request)
        if publish:
            revision.publish(user=user, log_action=True)
    part.refresh_from_db()
    return part


def _add_with_revision(
    series: SeriesPage, part: Page, user: Any, request: HttpRequest | None
) -> Revision:
    """Add the new ``part`` at the end of ``series`` as Wagtail's page creation view does (a
    slug, the default privacy setting, a first revision logged as "wagtail.create"), in one
    transaction."""
    allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    if not slugify(part.title, allow_unicode=allow_unicode):
        # Wagtail makes the slug from the title; a title of symbols only gives none.
        part.slug = find_available_slug(series, "part")
    with transaction.atomic():
        series.add_child(instance=part)
        if request is not None:
            _apply_default_privacy(part, request)
        # clean=False as in Wagtail's "Save draft": a draft needn't pass full validation.
        return part.save_revision(user=user, log_action=True, clean=False)


def _apply_default_privacy(page: Page, request: HttpRequest) -> None:
    """Wagtail's create view does this for every new page (``get_default_privacy_setting``)."""
    setting = page.get_default_privacy_setting(request)
    kind = setting["type"]
    if kind == BaseViewRestriction.NONE:
        return
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password=setting.get("password", "")
    )
    if kind == BaseViewRestriction.GROUPS:
        restriction.groups.set(setting["groups"])


def part_pages_in_order(series: SeriesPage) -> list[Page]:
    """The part pages directly under ``series`` (any state), in tree order: what the reorder view
    moves. The same pages as ``reader.get_editor_outline(series).entries``, in the same order;
    plain page rows, one query."""
    return list(
        get_page_model()
        .objects.child_of(series)
        .filter(content_type_id__in=part_content_type_ids())
        .order_by("path")
    )


def move_part(
    series: SeriesPage,
    part_id: int,
    *,
    user: Any,
    position: int | None = None,
    step: int = 0,
) -> bool:
    """Move the part page ``part_id`` to ``position`` (0-based) among the part pages of
    ``series``, or ``step`` places down (up when negative); positions out of range mean the first
    or the last place.

    Wagtail's own ordering does the move, as its explorer's drag and drop does
    (``SetPagePositionView``): ``Page.move`` to the left or right of the part now at ``position``,
    with ``user`` so that Wagtail checks they may move it (``MovePagePermissionError``
    otherwise) and logs the move. Callers check ``can_reorder_children`` on the series first.
    Moving fires ``post_page_move`` once: one propagation batch (one purge, one webhook).

    Returns whether the part moved (False when it already stands there). Raises ``LookupError``
    when ``part_id`` is not a part page of ``series``.
    """
    parts = part_pages_in_order(series)
    ids = [page.pk for page in parts]
    if part_id not in ids:
        raise LookupError(part_id)
    old = ids.index(part_id)
    part = parts[old]
    position = max(0, min(old + step if position is None else position, len(parts) - 1))
    if position == old:
        return False
    target = parts[position]
    with propagation.batch():
        part.move(target, pos="left" if position < old else "right", user=user)
    return True
