"""The reader's value types: what a series, a part and an editor's view of them look like.

Frozen dataclasses built by ``outline``, ``loading`` and ``editor``; nothing here queries the
database or decides a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import SeriesPage
from .urls import absolute_url

__all__ = [
    "EditorEntry",
    "EditorOutline",
    "EntryStatus",
    "PartDetails",
    "PartPosition",
    "PartState",
    "SeriesEntry",
    "SeriesOutline",
    "SeriesSummary",
]


class EntryStatus(StrEnum):
    PUBLISHED = "published"
    FORTHCOMING = "forthcoming"


@dataclass(frozen=True, slots=True)
class SeriesEntry:
    """One visible part of a series, as a reader may see it."""

    page_id: int
    position: int
    label: str
    """The part label and position, e.g. "Part 2" or "Chapter 2"."""
    title: str
    status: EntryStatus
    url: str | None
    """The part's URL; ``None`` while forthcoming."""
    teaser: str
    expected_date: date | None
    """When the part is expected: its scheduled go-live date if it is scheduled."""
    scheduled_at: datetime | None
    """The approved go-live time of a scheduled, not yet live part."""
    first_published_at: datetime | None
    last_published_at: datetime | None
    linked_part_id: int | None = None
    """The ``LinkedPart`` this entry is, if it is one. ``page_id`` is then its target while
    published (the page readers are sent to), the linked part itself while forthcoming."""

    @property
    def is_linked(self) -> bool:
        """A linked part: a page living elsewhere in the site (or a placeholder for one)."""
        return self.linked_part_id is not None

    @property
    def is_published(self) -> bool:
        return self.status is EntryStatus.PUBLISHED

    @property
    def is_forthcoming(self) -> bool:
        return self.status is EntryStatus.FORTHCOMING

    @property
    def is_overdue(self) -> bool:
        """Forthcoming, and its expected date (its scheduled go-live date if scheduled) is before
        today, in the current time zone (``TIME_ZONE`` unless activated otherwise): readers see
        it as delayed rather than expected on a past date."""
        return (
            self.is_forthcoming
            and self.expected_date is not None
            and self.expected_date < timezone.localdate()
        )

    @property
    def is_gap(self) -> bool:
        """False: an entry, not a ``Gap`` in a table-of-contents window (``toc_window``)."""
        return False


class _SeriesFacts:
    """What outlines and summaries say alike of their series (``series``, its ``url`` and its
    Site's ``root_url``)."""

    __slots__ = ()
    series: SeriesPage
    url: str | None
    root_url: str | None

    @property
    def full_url(self) -> str | None:
        """The series' absolute URL, on its own Site."""
        return absolute_url(self.url, self.root_url)

    def absolute(self, url: str | None) -> str | None:
        """``url`` (the series' or one of its entries') made absolute on the series' own Site."""
        return absolute_url(url, self.root_url)

    @property
    def series_id(self) -> int:
        return self.series.pk

    @property
    def title(self) -> str:
        return self.series.title

    @property
    def part_label(self) -> str:
        return self.series.part_label

    @property
    def planned_parts(self) -> int | None:
        return self.series.planned_parts


@dataclass(frozen=True, slots=True)
class SeriesOutline(_SeriesFacts):
    """A series as one request may see it: its metadata and its visible entries, in order."""

    series: SeriesPage
    url: str | None
    entries: tuple[SeriesEntry, ...]
    root_url: str | None = None
    """The root URL of the series' own Site (``urls.site_root_url``): its parts' Site too."""

    @property
    def total(self) -> int:
        """Visible entries, published and forthcoming."""
        return len(self.entries)

    @property
    def display_total(self) -> int:
        """The "of M" in "Part N of M": the planned total when declared and not exceeded."""
        return max(self.total, self.planned_parts or 0)

    @property
    def published(self) -> tuple[SeriesEntry, ...]:
        return tuple(e for e in self.entries if e.is_published)

    @property
    def forthcoming(self) -> tuple[SeriesEntry, ...]:
        return tuple(e for e in self.entries if e.is_forthcoming)

    @property
    def published_count(self) -> int:
        return len(self.published)

    @property
    def first_published(self) -> SeriesEntry | None:
        """The first published entry in series order: where a reader starts reading."""
        return next((e for e in self.entries if e.is_published), None)

    @property
    def forthcoming_count(self) -> int:
        return len(self.forthcoming)

    @property
    def latest_published_at(self) -> datetime | None:
        dates = [
            e.first_published_at for e in self.entries if e.first_published_at and e.is_published
        ]
        return max(dates, default=None)

    def entry_for(self, page_id: int) -> SeriesEntry | None:
        for entry in self.entries:
            if entry.page_id == page_id:
                return entry
        return None


@dataclass(frozen=True, slots=True)
class SeriesSummary(_SeriesFacts):
    """What a listing shows of a series for one request: ``SeriesOutline``'s figures, without its
    entries (built by ``get_series_summaries`` without reading or building them)."""

    series: SeriesPage
    url: str | None
    published_count: int
    """Visible published parts: ``SeriesOutline.published_count``."""
    forthcoming_count: int
    """Visible forthcoming parts: ``SeriesOutline.forthcoming_count``."""
    latest_published_at: datetime | None
    """When the newest visible published part was first published:
    ``SeriesOutline.latest_published_at``."""
    root_url: str | None = None
    """The root URL of the series' own Site: ``SeriesOutline.root_url``."""

    @property
    def total(self) -> int:
        """Visible parts, published and forthcoming."""
        return self.published_count + self.forthcoming_count


@dataclass(frozen=True, slots=True)
class PartPosition:
    """Where one part stands in its series, for one request."""

    outline: SeriesOutline
    entry: SeriesEntry
    previous: SeriesEntry | None
    next: SeriesEntry | None

    @property
    def position(self) -> int:
        return self.entry.position

    @property
    def total(self) -> int:
        return self.outline.total

    @property
    def planned_total(self) -> int | None:
        return self.outline.planned_parts

    @property
    def display_total(self) -> int:
        return self.outline.display_total

    @property
    def summary(self) -> str:
        """E.g. "Part 2 of 3 in Memories"."""
        return _("%(label)s of %(total)d in %(series)s") % {
            "label": self.entry.label,
            "total": self.display_total,
            "series": self.outline.title,
        }


@dataclass(frozen=True, slots=True)
class PartDetails:
    """What feeds show of a published part beyond its entry."""

    page_id: int
    summary: str
    """The part's ``get_series_summary()``: its intro or its teaser."""
    author: str
    """The page owner's full name; empty when unknown (never the username)."""


class PartState(StrEnum):
    """The state of a part page as the admin shows it."""

    PUBLISHED = "published"
    """Live and public (within the series)."""
    SCHEDULED = "scheduled"
    """Not live; a revision is approved to go live at ``scheduled_at``."""
    FORTHCOMING = "forthcoming"
    """Not live, announced: readers see its announcement."""
    HIDDEN_DRAFT = "hidden_draft"
    """Not live, not announced: readers don't see it at all."""
    PRIVATE = "private"
    """Under a view restriction of its own: only readers who pass it see the part."""


@dataclass(frozen=True, slots=True)
class EditorEntry:
    """One part page of a series, as an editor needs to see it."""

    page_id: int
    title: str
    """The page's title: the published title of a live part, the latest draft's otherwise."""
    reader_title: str
    """What readers see: the title once live, the forthcoming title (or title) before."""
    state: PartState
    live: bool
    announced: bool
    """``announce_forthcoming``: listed as forthcoming while not live."""
    private: bool
    """Under a view restriction of its own (restrictions on the series are on the outline)."""
    position: int | None
    """Its number for readers without access to private parts; None if they don't see it."""
    label: str | None
    """E.g. "Part 2"; None when ``position`` is None."""
    teaser: str
    has_content: bool
    """``has_content()`` of the page: of its latest draft while not live, as published once live."""
    expected_date: date | None
    """The expected date the editor entered."""
    scheduled_at: datetime | None
    """The approved go-live time of a part that is not live yet."""
    overdue: bool
    """Not live although its scheduled time or (without a schedule) its expected date has passed."""
    url: str | None
    """The live part's URL; None while not live."""
    first_published_at: datetime | None
    last_published_at: datetime | None
    linked: bool = False
    """A linked part (``LinkedPart``): ``target_*`` say which page it points at."""
    target_id: int | None = None
    """The page a linked part points at; None for a placeholder (or a part)."""
    target_title: str | None = None
    """That page's title (its latest draft's while it isn't live)."""
    target_live: bool = False

    @property
    def shown_live(self) -> bool:
        """Readers see it as published: a live part, or a live linked part whose page is live
        (a restricted page included: ``private`` says so). A live linked part whose page isn't
        live is forthcoming (announced) or hidden, as a part that isn't live."""
        if self.linked:
            return self.live and self.target_live
        return self.live

    @property
    def is_placeholder(self) -> bool:
        """A linked part that points at no page yet."""
        return self.linked and self.target_id is None

    page_url: str | None = None
    """The part's URL live or not: where readers find it once published, and its announcement
    before (``FORTHCOMING_PART_PAGE``). For the admin only (e.g. to know links to it)."""

    @property
    def reader_entry(self) -> SeriesEntry:
        """The part as readers see it in a table of contents, once the series is public: the
        same ``SeriesEntry`` the reader's outline holds for it (for an editor's preview)."""
        return SeriesEntry(
            page_id=self.page_id,
            position=self.position or 0,
            label=self.label or "",
            title=self.reader_title,
            status=EntryStatus.PUBLISHED if self.shown_live else EntryStatus.FORTHCOMING,
            url=self.url,
            teaser=self.teaser,
            expected_date=None if self.shown_live else self.due_date,
            scheduled_at=self.scheduled_at,
            first_published_at=self.first_published_at,
            last_published_at=self.last_published_at,
        )

    @property
    def due_date(self) -> date | None:
        """When the part is due: its scheduled go-live date if scheduled, else its expected date."""
        if self.scheduled_at is not None:
            return timezone.localdate(self.scheduled_at)
        return self.expected_date

    @property
    def is_forthcoming(self) -> bool:
        """Announced and not live yet (scheduled and private ones included); a linked part, while
        its page isn't live."""
        return not self.shown_live and self.announced

    @property
    def is_scheduled(self) -> bool:
        return self.scheduled_at is not None

    @property
    def state_label(self) -> str:
        """The state in words, in the active language."""
        return {
            PartState.PUBLISHED: _("published"),
            PartState.SCHEDULED: _("scheduled"),
            PartState.FORTHCOMING: _("forthcoming"),
            PartState.HIDDEN_DRAFT: _("hidden draft"),
            PartState.PRIVATE: _("private"),
        }[self.state]


@dataclass(frozen=True, slots=True)
class EditorOutline:
    """Every part page of a series, in order, with the figures the admin shows."""

    series: SeriesPage
    entries: tuple[EditorEntry, ...]
    private: bool
    """The series (or an ancestor) is under a view restriction."""

    @property
    def series_id(self) -> int:
        return self.series.pk

    @property
    def title(self) -> str:
        return self.series.title

    @property
    def live(self) -> bool:
        return self.series.live

    @property
    def readers_see_series(self) -> bool:
        """Whether readers without special access see the series at all."""
        return self.series.live and not self.private

    @property
    def planned_parts(self) -> int | None:
        return self.series.planned_parts

    @property
    def published_count(self) -> int:
        return sum(1 for e in self.entries if e.shown_live)

    @property
    def forthcoming(self) -> tuple[EditorEntry, ...]:
        return tuple(e for e in self.entries if e.is_forthcoming)

    @property
    def forthcoming_count(self) -> int:
        return len(self.forthcoming)

    @property
    def hidden_count(self) -> int:
        return sum(1 for e in self.entries if not e.shown_live and not e.announced)

    @property
    def reader_total(self) -> int:
        """The parts a reader without access to private parts sees, published and forthcoming."""
        return sum(1 for e in self.entries if e.position is not None)

    @property
    def display_total(self) -> int:
        """The "of M" readers see in "Part N of M"."""
        return max(self.reader_total, self.planned_parts or 0)

    @property
    def overdue(self) -> tuple[EditorEntry, ...]:
        """Forthcoming parts past their due date."""
        return tuple(e for e in self.forthcoming if e.overdue)

    @property
    def next_expected(self) -> EditorEntry | None:
        """The forthcoming part due first (overdue ones included); undated ones come last."""
        forthcoming = self.forthcoming
        if not forthcoming:
            return None
        order = {e.page_id: i for i, e in enumerate(forthcoming)}
        return min(
            forthcoming,
            key=lambda e: (e.due_date is None, e.due_date or date.max, order[e.page_id]),
        )

    @property
    def last_published_at(self) -> datetime | None:
        """When the most recently released part was first published."""
        return max(
            (e.first_published_at for e in self.entries if e.shown_live and e.first_published_at),
            default=None,
        )

    def entry_for(self, page_id: int) -> EditorEntry | None:
        for entry in self.entries:
            if entry.page_id == page_id:
                return entry
        return None
