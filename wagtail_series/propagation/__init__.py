"""What happens when something a reader of a series could see changes.

Signal handlers (``signal_handlers.py``) translate Wagtail's and Django's events into calls to
``series_changed`` with the ids of the affected series; this module decides what follows:

1. It bumps each series' ``SeriesVersion`` in the caller's transaction, so HTTP validators and
   cached feeds change atomically with the content and never for a change that is rolled back;
   in the same transaction it stores what listings are ordered by (``listing``).
2. For the events readers can notice (``PROPAGATED_EVENTS``), once the transaction commits, it
   hands the change to ``tasks.propagate_changes``: purge the frontend cache (by the series'
   cache tags where the backend can, else every page that shows the series, its feeds and API
   URLs, in one batch) and send the webhooks. Nothing is sent for a rolled-back change, and
   nothing here can fail or undo the change itself.

Changes are gathered per *batch*: one HTTP request (an editor's publish saves the page several
times and sends several signals: one purge, one webhook per endpoint), or a ``batch()`` block.
Outside any batch each committed change is sent on its own.

The package: ``change`` (the batch as data, ``ChangeSet``, handed to the task as JSON), ``urls``
(the URLs that show a series: before a change, to purge, for webhooks), ``snapshot`` (the
changed series as readers see them now, read by the task) and ``payloads`` (webhook bodies).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail.models import ReferenceIndex

from .. import reader, versions
from ..compat import get_page_model
from ..conf import series_settings
from ..models import SeriesPage, SeriesPartMixin
from ..models.versions import ALL_SERIES
from ..reader import DateChange
from ..reader.linked import series_linking
from ..reader.memo import remember
from . import listing, tasks
from .change import PROPAGATED_EVENTS, Change, ChangeSet, Move, Previous
from .urls import api_urls, page_url, series_urls

if TYPE_CHECKING:
    from wagtail.models import Page, Site

__all__ = [
    "PROPAGATED_EVENTS",
    "Previous",
    "batch",
    "previous_site_urls",
    "previous_urls",
    "propagation_enabled",
    "series_changed",
    "series_ids_for_page",
    "series_ids_for_path",
    "series_ids_linked_to",
    "series_ids_linking_under",
    "series_ids_linking_to",
    "series_ids_under",
    "url_changed",
]

logger = logging.getLogger("wagtail_series.propagation")


def series_changed(
    series_ids: Iterable[int],
    *,
    event: str,
    page: Page | None = None,
    previous: Previous | None = None,
    listing_change: DateChange = "any",
    published_next: bool = False,
    linked_page: bool = False,
) -> None:
    """Record that what readers see of ``series_ids`` changed (``event`` says why).

    ``page`` is the page the event is about (a part, a series or an ancestor), ``previous`` the
    URLs it had before the change, ``listing_change`` what it can do to the listings' stored
    date (``reader.latest_part_date_change``; "any" recomputes it), ``published_next`` that a
    ``page_published`` for ``page`` follows (its row going live), ``linked_page`` that ``page``,
    of any type, is a part of these series through a linked part (webhooks name it). Versions
    bump now, in the caller's transaction; the frontend cache and webhooks follow once it
    commits (for ``PROPAGATED_EVENTS`` only).
    """
    ids = set(series_ids)
    if not ids:
        return
    propagate = event in PROPAGATED_EVENTS and propagation_enabled()
    # A part's row going live: the page_published that follows propagates it, so the change is
    # recorded as pending already (and stays so if no such signal comes: tasks.recover).
    pending = propagate or (published_next and propagation_enabled())
    memo = _batch_memo()
    if event == "published" and _bumped_with_its_row(page, ids, memo):
        # Wagtail sends page_published after committing the page's row, whose save bumped these
        # versions in its transaction: nothing readers see changed since. Propagate only, and
        # if that save had nothing to propagate, record that this change has (tasks.recover).
        if propagate and not memo[_BUMPED, page.pk][1]:  # type: ignore[index,union-attr]
            versions.mark_pending(ids)
        ids.add(ALL_SERIES)
    else:
        # Versions and stored validators change now, in the caller's transaction; the
        # validators are dropped again on commit (see versions.py for why). A change to
        # propagate stays recorded as such until its task has done its work (tasks.recover).
        ids = versions.bump(ids, propagate=pending)
        if versions.get_cache() is not None:
            bumped = set(ids)
            transaction.on_commit(lambda: versions.invalidate(bumped), robust=True)
        if memo is not None and isinstance(page, SeriesPartMixin) and page.live:
            memo[_BUMPED, page.pk] = (frozenset(ids), pending)
    # The listings' stored order, in the same transaction. A site's hostnames, ports and root
    # (the "site" event, for every series) change no part's date.
    if event != "site":
        # A deleted part's post_delete comes before its page row goes: leave it out.
        gone = (page.pk,) if event == "deleted" and page is not None else ()
        listing.store_latest_part_dates(
            ids - {ALL_SERIES}, page=page, excluding=gone, change=listing_change
        )
    if propagate:
        change = Change(
            series_ids=frozenset(ids - {ALL_SERIES}),
            event=event,
            # Webhooks name the part; a series page or a page above it is no part.
            page_id=(
                page.pk
                if page is not None and (linked_page or isinstance(page, SeriesPartMixin))
                else None
            ),
            previous=previous or Previous(),
        )
        transaction.on_commit(lambda: _committed(change), robust=True)


_BUMPED = "bumped with its row"


def _bumped_with_its_row(page: Page | None, ids: set[int], memo: dict[Any, Any] | None) -> bool:
    """Whether the live part ``page``'s row was saved in this batch, bumping all of ``ids``."""
    if memo is None or not isinstance(page, SeriesPartMixin) or not page.live:
        return False
    bumped, _pending = memo.get((_BUMPED, page.pk), (frozenset(), False))
    return ids <= bumped


def propagation_enabled() -> bool:
    """Whether anything listens: a frontend cache (``WAGTAILFRONTENDCACHE``) or webhooks."""
    return bool(
        series_settings.WEBHOOKS
        or getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None)
    )


def previous_urls(
    page: Page, *, public: bool | None = None, with_series_below: bool = False
) -> Previous:
    """The URLs ``page`` has until this change, and whether anyone could open them.

    Call it before the change can be seen (in its receiver), or say ``public``. A series page's
    feeds and public parts are among its URLs (the parts lose their series chrome with it).
    ``with_series_below`` (for a change that reaches below ``page``, like a view restriction)
    adds those of the public series under it. One query to check view restrictions unless
    ``public`` is given, and a few for the series.
    """
    url = page_url(page)
    if url is None:
        return Previous()
    urls = [url]
    series_list = [page] if isinstance(page, SeriesPage) else []
    if with_series_below:
        below = SeriesPage.objects.filter(path__startswith=page.path, depth__gt=page.depth)
        series_list += reader.visible_series(below)
    public_parts = reader.get_public_part_pages(series_list)
    for series in series_list:
        urls += series_urls(series, public_parts.get(series.pk, ()))
    if public is None:
        public = reader.page_is_public(page)
    return Previous(urls=tuple(dict.fromkeys(u for u in urls if u)), public=public)


def previous_site_urls(site: Site) -> Previous:
    """Every URL of the series ``site`` serves, as it serves them until this change: call it
    before a change of the site's hostname, port or root page is saved (its old host's URLs
    stay in the CDN otherwise). The series pages, feeds, live parts and REST URLs; a few
    queries, however many series and parts."""
    root = site.root_page
    below = list(SeriesPage.objects.filter(path__startswith=root.path))
    live_parts = reader.get_live_part_pages(below)
    urls: list[str] = []
    for series in below:
        parts = live_parts[series.pk]
        urls += series_urls(series, parts, cached_paths=True)
        urls += api_urls(series, parts)
    # Not revalidated: a frontend's paths are the same on the new host.
    return Previous(urls=tuple(dict.fromkeys(urls)), public=False)


def url_changed(page: Page, old_url_path: str) -> None:
    """``page`` (and every page below it) moved from ``old_url_path``: once this is committed.

    The old URLs are purged, and sent to webhooks when their new ones are public, with the next
    change of the batch (a move or a publish always follows or comes with it).
    """
    if not propagation_enabled():
        return
    old, new = page_url(page, old_url_path), page_url(page)
    if old and new and old != new:
        move = Move(old_url=old, new_url=new)
        transaction.on_commit(lambda: _pending().moves.append(move), robust=True)


@contextmanager
def batch() -> Iterator[None]:
    """Gather every change committed inside the block into one purge and one set of webhooks.

    Each HTTP request is a batch already; use this around bulk changes in scripts or commands.
    """
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1
        if not _state.depth:
            _flush()


# --- Which series a page affects ------------------------------------------------------------


def series_ids_for_page(page: Page) -> set[int]:
    """The series a page shows in: itself if it is a series, its series if it is a part.

    A part's series is looked up once per batch (an editor's publish saves the part three times
    and sends ``page_published``: one query, not four)."""
    if isinstance(page, SeriesPage):
        return {page.pk}
    series = reader.get_parent_series(page, memo=_batch_memo())
    return {series.pk} if series is not None else set()


def series_ids_for_path(path: str) -> set[int]:
    """The series whose parts or URLs depend on the page at ``path``: at, below or just above it,
    or linking a page at or below it (``LinkedPart``). One query."""
    return set(
        SeriesPage.objects.filter(
            Q(path__startswith=path)
            | Q(path=path[: -SeriesPage.steplen])
            | series_linking((), whole_tree=path)
        ).values_list("pk", flat=True)
    )


def series_ids_linked_to(page: Page) -> set[int]:
    """The series in which a live linked part (``LinkedPart``) points at ``page``: the reverse
    lookup, one query (once per batch) whatever the number of series."""
    if page.pk is None:
        return set()

    def lookup() -> set[int]:
        ids = SeriesPage.objects.filter(series_linking([page.pk])).values_list("pk", flat=True)
        return set(ids)

    return remember(_batch_memo(), ("linked_to", page.pk), lookup)


def series_ids_linking_under(page: Page) -> set[int]:
    """The series with a live linked part pointing at ``page`` or a page below it (their URLs
    and view restrictions derive from it). One query."""
    ids = SeriesPage.objects.filter(series_linking((), whole_tree=page.path))
    return set(ids.values_list("pk", flat=True))


def series_ids_linking_to(page: Page) -> set[int]:
    """The series whose page or parts link in rich text to ``page`` or to a translation of it.

    A rich-text link to a part renders as a link or as "coming soon" depending on whether the
    part it resolves to is live, and a link to a translation resolves to ``page`` for readers in
    its locale (see ``rich_text``): publishing or unpublishing ``page`` changes those series'
    pages. Read from Wagtail's reference index (kept by Wagtail on every save): three queries,
    however many links.
    """
    page_model = get_page_model()
    translations = page_model.objects.filter(translation_key=page.translation_key)
    sources = (
        ReferenceIndex.get_references_to_in_bulk(translations)
        # Links held by pages (the targets' base content type is the page model's).
        .filter(base_content_type=F("to_content_type"))
        .values_list("object_id", flat=True)
        .distinct()
    )
    ids = {int(object_id) for object_id in sources}
    if not ids:
        return set()
    paths = page_model.objects.filter(pk__in=ids).values_list("path", flat=True)
    # A series page itself (its description), or the parts directly under it.
    candidates = {p for path in paths for p in (path, path[: -SeriesPage.steplen])}
    return set(SeriesPage.objects.filter(path__in=candidates).values_list("pk", flat=True))


def series_ids_under(page: Page) -> set[int]:
    """The series at or below ``page``: their URLs and view restrictions derive from it."""
    return set(SeriesPage.objects.filter(path__startswith=page.path).values_list("pk", flat=True))


# --- Batches ---------------------------------------------------------------------------------


@dataclass
class _Pending:
    changes: list[Change] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    # Lookups shared by the batch's signals (see ``series_ids_for_page``).
    memo: dict[Any, Any] = field(default_factory=dict)


# Per thread: one request, command or task at a time. Reset by ``_flush``.
_state = threading.local()


def _pending() -> _Pending:
    if not hasattr(_state, "pending"):
        _state.pending = _Pending()
    return _state.pending


def _batch_memo() -> dict[Any, Any] | None:
    """The current batch's memo; None outside a batch (each change on its own)."""
    return _pending().memo if getattr(_state, "depth", 0) else None


def _committed(change: Change) -> None:
    _pending().changes.append(change)
    if not getattr(_state, "depth", 0):
        _flush()


def _flush() -> None:
    """Hand the batch's changes to ``tasks.propagate_changes``. Logs, never raises."""
    pending = _pending()
    _state.pending = _Pending()
    if not pending.changes:
        return
    try:
        change_set = ChangeSet.gather(pending.changes, pending.moves, timestamp=timezone.now())
        tasks.enqueue(tasks.propagate_changes, change_set.to_json())
    except Exception:
        logger.exception("wagtail-series: could not hand changes over for propagation")


# An HTTP request is a batch (connected in ``signal_handlers.register_signal_handlers``).


def request_started(**kwargs: Any) -> None:
    if getattr(_state, "depth", 0):  # a request that never finished on this thread
        _state.depth = 0
        _flush()
    _pending().memo.clear()  # what an earlier request looked up may have changed since
    _state.depth = 1


def request_finished(**kwargs: Any) -> None:
    if getattr(_state, "depth", 0):
        _state.depth = 0
        _flush()
