"""What a reader sees of a series: the one place that decides order, numbering and visibility.

Templates, rich text, the REST API, GraphQL, feeds, propagation and the admin all call this
package; none of them re-derives these rules. The rules:

- A series' parts are the pages of a part type (see ``SeriesPartMixin``) directly under the series
  page, in the page tree's order (editors reorder them with Wagtail's own child ordering).
- A live part is *published*: it has a URL.
- A part that is not live (never published, unpublished or expired) is *forthcoming* when its
  ``announce_forthcoming`` is on: readers see only its forthcoming title (or title), teaser and
  expected date. Otherwise it is invisible and takes no number.
- A part under a view restriction (its own or inherited from the series and its ancestors) is shown
  only to requests that pass the restriction; otherwise it is invisible and takes no number.
- Positions count the visible entries only, so numbering always follows what the reader sees.
- A series that is not live has no readers: its parts show no series chrome.
- A *linked part* (``LinkedPart``, under the series like any part) points at a page living
  anywhere: while it is live and its target is a live page the request may open, the entry is
  that page (its title, URL and dates). A target the request may not open hides the entry.
  Otherwise the linked part is a part that isn't live: forthcoming when announced (a
  *placeholder*, while it points at no page). A page belongs to every series it is a part of or
  linked in (``get_part_positions``); the series it sits under is its primary series.

Everything is computed in a constant number of queries whatever the length of the series: one per
part page type, one for view restrictions (plus one for group restrictions, if any apply).

Where each rule lives:

- ``types``: the value types (outlines, entries, positions, editor entries); no rules.
- ``memo``: ``request_memo``, the one request-scoped memo for everything the reader memoises.
- ``visibility``: view restrictions, who counts as anonymous (``is_anonymous``, ``viewer_key``),
  visible and public series and pages, the public date listings are ordered by, and the series
  above a part (``get_series_for_part`` / ``get_parent_series``).
- ``loading``: which pages are a series' parts, and every query that reads them (the plain row
  loader and its ORM internals live only there).
- ``linked``: linked parts' targets (``linked_targets``) and the series linking a page.
- ``paths``: ``children_of``, the pages directly under many series as one SQL condition (for
  the parts and their view restrictions).
- ``urls``: part and series URLs (the only use of private Wagtail URL API).
- ``outline``: outlines and positions, ``number_entries``, the one numbering rule, and
  ``toc_window``, which entries a table of contents' window shows.
- ``editor``: the editor outline, numbered by ``number_entries`` too.

One justified exception: which page *types* are parts is declared by the models
(``models.parts.get_part_models`` and ``part_content_type_ids``, from ``SeriesPartMixin``); the
reader builds every query for part pages on them.
"""

from __future__ import annotations

from .editor import get_editor_outline, get_editor_outlines
from .linked import prefetch_linked_series as prefetch_memberships
from .loading import (
    get_entry_pages,
    get_live_part_pages,
    get_part_details,
    get_part_id_by_slug,
    get_public_part_pages,
    get_unpublished_part_pages,
)
from .memo import request_memo
from .outline import (
    Gap,
    NumberedPart,
    forthcoming_part_ids,
    get_announcement_position,
    get_page_series,
    get_part_position,
    get_part_positions,
    get_part_series,
    get_position_in,
    get_series_outline,
    get_series_outlines,
    get_series_outlines_with_pages,
    get_series_summaries,
    number_entries,
    toc_window,
)
from .types import (
    EditorEntry,
    EditorOutline,
    EntryStatus,
    PartDetails,
    PartPosition,
    PartState,
    SeriesEntry,
    SeriesOutline,
    SeriesSummary,
)
from .visibility import (
    LATEST_PART_DATE_FIELDS,
    PUBLIC_VIEWER,
    DateChange,
    counted_part_date,
    get_parent_series,
    get_series_for_part,
    in_preferred_locale,
    is_anonymous,
    latest_part_date_change,
    latest_public_part_dates,
    page_is_public,
    page_is_visible,
    series_for_request,
    series_in_scope,
    series_is_public,
    series_is_visible,
    site_feed_series,
    viewer_key,
    visible_series,
)

__all__ = [
    "EditorEntry",
    "EditorOutline",
    "EntryStatus",
    "PartDetails",
    "PartPosition",
    "SeriesEntry",
    "SeriesOutline",
    "PartState",
    "forthcoming_part_ids",
    "get_part_details",
    "get_public_part_pages",
    "get_editor_outline",
    "get_editor_outlines",
    "get_entry_pages",
    "get_parent_series",
    "get_part_position",
    "get_part_series",
    "get_position_in",
    "get_series_for_part",
    "get_series_outline",
    "get_series_outlines",
    "get_series_outlines_with_pages",
    "page_is_public",
    "series_is_public",
    "series_is_visible",
    "visible_series",
    # New with the package:
    "NumberedPart",
    "PUBLIC_VIEWER",
    "get_live_part_pages",
    "is_anonymous",
    "latest_public_part_dates",
    "number_entries",
    "page_is_visible",
    "request_memo",
    "viewer_key",
    # New with issue 12 (long series):
    "LATEST_PART_DATE_FIELDS",
    "DateChange",
    "Gap",
    "counted_part_date",
    "latest_part_date_change",
    "toc_window",
    # New with issue 12, item 5 (listings):
    "SeriesSummary",
    "get_series_summaries",
    # New with issue 16 (sites and locales):
    "in_preferred_locale",
    "series_for_request",
    "series_in_scope",
    "site_feed_series",
    # New with issue 13 (series beyond the page tree):
    "get_page_series",
    "get_part_positions",
    "prefetch_memberships",
    # New with issue 14 (a forthcoming part's URL shows its announcement):
    "get_announcement_position",
    "get_part_id_by_slug",
    "get_unpublished_part_pages",
]
