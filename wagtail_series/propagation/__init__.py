"""What happens when something a reader of a series could see changes.

Signal handlers (``signal_handlers.py``) translate Wagtail's and Django's events into calls to
``series_changed`` with the ids of the affected series; this module decides what follows:

1. It bumps each series' ``SeriesVersion`` in the caller's transaction, so HTTP validators and
   cached feeds change atomically with the content and never for a change that is rolled back.
2. For the events readers can notice (``PROPAGATED_EVENTS``), once the transaction commits, it
   hands the change to ``tasks.propagate_changes``: purge the frontend cache (every page that
   shows the series, its feeds and API URLs, in one batch) and send the webhooks. Nothing is
   sent for a rolled-back change, and nothing here can fail or undo the change itself.

Changes are gathered per *batch*: one HTTP request (an editor's publish saves the page several
times and sends several signals: one purge, one webhook per endpoint), or a ``batch()`` block.
Outside any batch each committed change is sent on its own.
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

from ..api import conditional
from ..conf import series_settings
from ..models import SeriesPage, SeriesPartMixin
from ..models.versions import ALL_SERIES, SeriesVersion

if TYPE_CHECKING:
    from wagtail.models import Page

__all__ = [
    "PROPAGATED_EVENTS",
    "Previous",
    "batch",
    "previous_urls",
    "propagation_enabled",
    "series_changed",
    "series_ids_for_page",
    "series_ids_for_path",
    "series_ids_under",
    "url_changed",
]

logger = logging.getLogger("wagtail_series.propagation")

# Events that readers can notice, most significant first: when one batch holds several for the
# same series and part, the webhook names the first. Other events ("saved": a live page's row
# saved on its way to being published, a revision stored...) only bump versions.
PROPAGATED_EVENTS = (
    "deleted",
    "unpublished",
    "published",
    "scheduled",
    "moved",
    "restriction",
    "updated",
    "site",
)


@dataclass(frozen=True)
class Previous:
    """URLs a change may leave stale: to purge, and, if readers could open them, to revalidate."""

    urls: tuple[str, ...] = ()
    public: bool = False


def series_changed(
    series_ids: Iterable[int],
    *,
    event: str,
    page: Page | None = None,
    previous: Previous | None = None,
) -> None:
    """Record that what readers see of ``series_ids`` changed (``event`` says why).

    ``page`` is the page the event is about (a part, a series or an ancestor), ``previous`` the
    URLs it had before the change. Versions bump now, in the caller's transaction; the frontend
    cache and webhooks follow once it commits (for ``PROPAGATED_EVENTS`` only).
    """
    ids = set(series_ids)
    if not ids:
        return
    ids.add(ALL_SERIES)
    # Two statements whatever the number of series; the rows exist from then on.
    SeriesVersion.objects.bulk_create(
        [SeriesVersion(series_id=series_id) for series_id in ids], ignore_conflicts=True
    )
    SeriesVersion.objects.filter(series_id__in=ids).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    # Stored API validators: dropped now and again on commit (see api/conditional.py for why).
    if conditional.validator_cache() is not None:
        conditional.invalidate(ids)
        transaction.on_commit(lambda: conditional.invalidate(ids), robust=True)
    if event in PROPAGATED_EVENTS and propagation_enabled():
        change = _Change(
            series_ids=frozenset(ids - {ALL_SERIES}),
            event=event,
            # Webhooks name the part; a series page or a page above it is no part.
            page_id=page.pk if isinstance(page, SeriesPartMixin) else None,
            previous=previous or Previous(),
        )
        transaction.on_commit(lambda: _committed(change), robust=True)


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
    from .. import reader

    url = _full_url(page)
    if url is None:
        return Previous()
    urls = [url]
    series_list = [page] if isinstance(page, SeriesPage) else []
    if with_series_below:
        below = SeriesPage.objects.filter(path__startswith=page.path, depth__gt=page.depth)
        series_list += reader.visible_series(below)
    for series in series_list:
        series_url = url if series is page else series.get_full_url()
        if series_url:
            urls += [series_url, *(series_url + path for path in SeriesPage.FEED_PATHS.values())]
    for parts in reader.get_public_part_pages(series_list).values():
        urls += [part.get_full_url() for part in parts]
    if public is None:
        public = reader.page_is_public(page)
    return Previous(urls=tuple(dict.fromkeys(u for u in urls if u)), public=public)


def url_changed(page: Page, old_url_path: str) -> None:
    """``page`` (and every page below it) moved from ``old_url_path``: once this is committed.

    The old URLs are purged, and sent to webhooks when their new ones are public, with the next
    change of the batch (a move or a publish always follows or comes with it).
    """
    if not propagation_enabled():
        return
    old, new = _full_url(page, old_url_path), _full_url(page)
    if old and new and old != new:
        transaction.on_commit(lambda: _pending().moves.append((old, new)), robust=True)


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
    """The series a page shows in: itself if it is a series, its series if it is a part."""
    if isinstance(page, SeriesPage):
        return {page.pk}
    if isinstance(page, SeriesPartMixin) and page.path:
        parent_path = page.path[: -page.steplen]
        return set(SeriesPage.objects.filter(path=parent_path).values_list("pk", flat=True))
    return set()


def series_ids_for_path(path: str) -> set[int]:
    """The series whose parts or URLs depend on the page at ``path``: at, below or just above it."""
    return set(
        SeriesPage.objects.filter(
            Q(path__startswith=path) | Q(path=path[: -SeriesPage.steplen])
        ).values_list("pk", flat=True)
    )


def series_ids_under(page: Page) -> set[int]:
    """The series at or below ``page``: their URLs and view restrictions derive from it."""
    return set(SeriesPage.objects.filter(path__startswith=page.path).values_list("pk", flat=True))


# --- Batches ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Change:
    series_ids: frozenset[int]
    event: str
    page_id: int | None
    previous: Previous


@dataclass
class _Pending:
    changes: list[_Change] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)


# Per thread: one request, command or task at a time. Reset by ``_flush``.
_state = threading.local()


def _pending() -> _Pending:
    if not hasattr(_state, "pending"):
        _state.pending = _Pending()
    return _state.pending


def _committed(change: _Change) -> None:
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
        from .. import tasks

        tasks.enqueue(tasks.propagate_changes, _describe(pending))
    except Exception:
        logger.exception("wagtail-series: could not hand changes over for propagation")


def _describe(pending: _Pending) -> dict[str, Any]:
    """The batch as JSON for the task: each (series, page) once, with its most significant event."""
    events: dict[tuple[int, int | None], str] = {}
    stale: set[str] = set()
    stale_public: set[str] = set()
    for change in pending.changes:
        for series_id in change.series_ids:
            key = (series_id, change.page_id)
            current = events.get(key)
            if current is None or PROPAGATED_EVENTS.index(change.event) < PROPAGATED_EVENTS.index(
                current
            ):
                events[key] = change.event
        stale.update(change.previous.urls)
        if change.previous.public:
            stale_public.update(change.previous.urls)
    return {
        "changes": [
            {"series_id": series_id, "page_id": page_id, "event": event}
            for (series_id, page_id), event in sorted(events.items(), key=lambda i: str(i[0]))
        ],
        "stale_urls": sorted(stale),
        "stale_public_urls": sorted(stale_public),
        "moves": [list(move) for move in pending.moves],
        "timestamp": timezone.now().isoformat(),
    }


def _full_url(page: Page, url_path: str | None = None) -> str | None:
    if url_path is None:
        return page.get_full_url()
    current = page.url_path
    try:
        page.url_path = url_path
        return page.get_full_url()
    finally:
        page.url_path = current


# An HTTP request is a batch (connected in ``signal_handlers.register_signal_handlers``).


def request_started(**kwargs: Any) -> None:
    if getattr(_state, "depth", 0):  # a request that never finished on this thread
        _state.depth = 0
        _flush()
    _state.depth = 1


def request_finished(**kwargs: Any) -> None:
    if getattr(_state, "depth", 0):
        _state.depth = 0
        _flush()
