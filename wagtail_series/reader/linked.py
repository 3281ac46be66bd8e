"""Linked parts: the pages ``LinkedPart`` entries point at, and the series a page belongs to.

A linked part is shown as its target when the linked part is live and its target is a live page
the request may open (the target's own restrictions and its ancestors'; the series' are checked
for the whole outline). A live target the request may not open hides the entry, as a private
part is hidden. Otherwise (no target, a target that isn't live, a linked part that isn't live)
the entry falls back to the linked part's own announcement. Nothing of a target that isn't live
is read for readers: its row holds its draft.

Everything here costs a constant number of queries: one for the targets of every linked part of
the outlines being built, one for their view restrictions (two with group restrictions).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import IntegerField, Q, Subquery, Value
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from ..compat import get_page_model
from ..models import LinkedPart, SeriesPage
from .memo import request_memo
from .paths import children_of
from .rows import load_pages
from .visibility import failing_paths_above

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "LinkedTargets",
    "NO_LINKS",
    "linked_series",
    "linked_targets",
    "prefetch_linked_series",
    "series_linking",
]

# What the reader reads of a live target: enough for an entry (title, URL, dates), the teaser
# fallback (its search description, where the page model has one: a swapped-in page model may
# not) and its restrictions (its path).
_TARGET_FIELDS = (
    "id",
    "path",
    "depth",
    "title",
    "slug",
    "url_path",
    "live",
    "locale_id",
    "first_published_at",
    "last_published_at",
    "search_description",
    "content_type_id",
)


def target_fields() -> tuple[str, ...]:
    """``_TARGET_FIELDS`` that the page model has."""
    names = {field.attname for field in get_page_model()._meta.concrete_fields}
    return tuple(name for name in _TARGET_FIELDS if name in names)


def target_summary_field() -> str | None:
    """The page model's field a target's summary falls back to, if it has one."""
    return "search_description" if "search_description" in target_fields() else None


@dataclass(frozen=True, slots=True)
class LinkedTargets:
    """The targets the request sees, by linked part id, and the linked parts it may not see."""

    pages: dict[int, Page] = field(default_factory=dict)
    """Linked part id: its live target, which the request may open."""
    hidden: frozenset[int] = frozenset()
    """Linked parts whose live target the request may not open: they take no number."""


NO_LINKS = LinkedTargets()


def linked_targets(part_pages: Iterable[Page], request: HttpRequest | None) -> LinkedTargets:
    """Resolve the live linked parts among ``part_pages`` (of any number of series) for
    ``request`` (anonymous with None). No query when there is none; otherwise one for the
    targets and one for their restrictions (plus one for group restrictions)."""
    links = {
        page.pk: page.__dict__.get("target_id")
        for page in part_pages
        # Only a live linked part's target counts: a linked part's row holds its draft otherwise.
        if isinstance(page, LinkedPart) and page.live
    }
    target_ids = {target_id for target_id in links.values() if target_id}
    if not target_ids:
        return NO_LINKS
    targets = load_live_targets(target_ids)
    failing = failing_paths_above([target.path for target in targets.values()], request)
    pages: dict[int, Page] = {}
    hidden: set[int] = set()
    for link_id, target_id in links.items():
        target = targets.get(target_id) if target_id else None
        if target is None:
            continue  # not live (or gone): the linked part's announcement stands in
        if failing and _under(target.path, failing):
            hidden.add(link_id)
        else:
            pages[link_id] = target
    return LinkedTargets(pages, frozenset(hidden))


def load_live_targets(target_ids: Iterable[int]) -> dict[int, Page]:
    """The live pages among ``target_ids``, with ``TARGET_FIELDS`` only, by id (one query)."""
    model = get_page_model()
    queryset = model.objects.filter(pk__in=set(target_ids), live=True).order_by()
    return {page.pk: page for page in load_pages(model, queryset, target_fields())}


def _under(path: str, failing: set[str]) -> bool:
    """Whether the page at ``path`` is at or below one of the ``failing`` paths."""
    return any(path[:end] in failing for end in range(Page.steplen, len(path) + 1, Page.steplen))


def series_linking(
    page_ids: Iterable[int], *, live_only: bool = True, whole_tree: str | None = None
) -> Q:
    """The series with a linked part pointing at one of ``page_ids`` (or, with ``whole_tree``, at
    a page at or below that path), as a condition on series pages: one subquery."""
    links = LinkedPart.objects.all()
    if whole_tree is not None:
        links = links.filter(target__path__startswith=whole_tree)
    else:
        links = links.filter(target_id__in=list(page_ids))
    if live_only:
        links = links.filter(live=True)
    parent_paths = links.annotate(
        _parent_path=Substr(
            "path", 1, Length("path") - Value(Page.steplen, output_field=IntegerField())
        )
    ).values("_parent_path")
    return Q(path__in=Subquery(parent_paths))


def linked_series(page: Page, request: HttpRequest | None = None) -> list[SeriesPage]:
    """The live series in which a live linked part points at ``page``, in tree order (one query,
    memoised on the request)."""
    cache = request_memo(request)
    key = ("linked_series", page.pk)
    if key not in cache:
        cache[key] = (
            list(SeriesPage.objects.live().filter(series_linking([page.pk])).order_by("path"))
            if page.pk is not None
            else []
        )
    return cache[key]


def prefetch_linked_series(pages: Iterable[Page], request: HttpRequest | None) -> None:
    """``linked_series`` of many pages at once, memoised on ``request``: for a listing of pages
    (Wagtail's pages API), two queries however many pages, instead of one per page."""
    cache = request_memo(request)
    missing = {p.pk for p in pages if p.pk is not None and ("linked_series", p.pk) not in cache}
    if not missing:
        return
    links = LinkedPart.objects.filter(target_id__in=missing, live=True).values_list(
        "target_id", "path"
    )
    parent_paths: dict[int, set[str]] = {}
    for target_id, path in links:
        parent_paths.setdefault(target_id, set()).add(path[: -Page.steplen])
    wanted = set().union(*parent_paths.values()) if parent_paths else set()
    series = (
        {s.path: s for s in SeriesPage.objects.live().filter(path__in=wanted)} if wanted else {}
    )
    for pk in missing:
        found = [series[path] for path in parent_paths.get(pk, ()) if path in series]
        cache[("linked_series", pk)] = sorted(found, key=lambda s: s.path)


def linked_part_rows(series_list: Sequence[SeriesPage]) -> list[tuple[str, int | None]]:
    """(path, target id) of the live linked parts of ``series_list`` (one query)."""
    return list(
        LinkedPart.objects.filter(children_of(series_list), live=True)
        .order_by()
        .values_list("path", "target_id")
    )
