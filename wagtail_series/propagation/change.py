"""What a batch of committed changes is, as plain data the background task receives.

``Change`` is one call of ``series_changed`` (kept in memory until the batch is flushed);
``ChangeSet`` is the batch handed to ``tasks.propagate_changes``: each (series, part) once with
its most significant event, the URLs the changes left stale, and the moves. It crosses the task
boundary as JSON (``to_json`` / ``from_json``), so a worker process rebuilds the same value.
Nothing here queries the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "PROPAGATED_EVENTS",
    "Change",
    "ChangeSet",
    "Move",
    "Previous",
    "SeriesChange",
]

# Events that readers can notice, most significant first: when one batch holds several for the
# same series and part, the webhook names the first. Other events ("saved": a live page's row
# saved on its way to being published, a revision stored...) only bump versions.
PROPAGATED_EVENTS = (
    "deleted",
    "unpublished",
    "published",
    "scheduled",
    "unscheduled",
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


@dataclass(frozen=True)
class Change:
    """One committed change: the series it affects, why, the part it is about, its old URLs."""

    series_ids: frozenset[int]
    event: str
    page_id: int | None
    previous: Previous = field(default_factory=Previous)


@dataclass(frozen=True)
class SeriesChange:
    """What happened to one series: ``event`` about the part ``page_id`` (None: the series)."""

    series_id: int
    page_id: int | None
    event: str


@dataclass(frozen=True)
class Move:
    """A page (and every page below it) moved or was renamed from ``old_url`` to ``new_url``."""

    old_url: str
    new_url: str


@dataclass(frozen=True)
class ChangeSet:
    """One batch of committed changes, as the background task receives it."""

    changes: tuple[SeriesChange, ...]
    stale_urls: tuple[str, ...]
    """URLs the changes left behind (to purge)."""
    stale_public_urls: tuple[str, ...]
    """Those of them anonymous readers could open until the change (to revalidate)."""
    moves: tuple[Move, ...]
    timestamp: datetime

    @classmethod
    def gather(
        cls, changes: Iterable[Change], moves: Iterable[Move] = (), *, timestamp: datetime
    ) -> ChangeSet:
        """The batch: each (series, part) once, with its most significant event."""
        events: dict[tuple[int, int | None], str] = {}
        stale: set[str] = set()
        stale_public: set[str] = set()
        for change in changes:
            for series_id in change.series_ids:
                key = (series_id, change.page_id)
                current = events.get(key)
                if current is None or _rank(change.event) < _rank(current):
                    events[key] = change.event
            stale.update(change.previous.urls)
            if change.previous.public:
                stale_public.update(change.previous.urls)
        return cls(
            changes=tuple(
                SeriesChange(series_id=series_id, page_id=page_id, event=event)
                for (series_id, page_id), event in sorted(events.items(), key=lambda i: str(i[0]))
            ),
            stale_urls=tuple(sorted(stale)),
            stale_public_urls=tuple(sorted(stale_public)),
            moves=tuple(moves),
            timestamp=timestamp,
        )

    @property
    def series_ids(self) -> set[int]:
        """Every series the batch changed."""
        return {change.series_id for change in self.changes}

    def to_json(self) -> dict[str, Any]:
        """The batch as JSON-compatible data (lists, strings, numbers): a task's argument."""
        return {
            "changes": [
                {"series_id": c.series_id, "page_id": c.page_id, "event": c.event}
                for c in self.changes
            ],
            "stale_urls": list(self.stale_urls),
            "stale_public_urls": list(self.stale_public_urls),
            "moves": [[move.old_url, move.new_url] for move in self.moves],
            "timestamp": self.timestamp.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChangeSet:
        """The batch ``to_json`` described."""
        return cls(
            changes=tuple(
                SeriesChange(series_id=c["series_id"], page_id=c["page_id"], event=c["event"])
                for c in data["changes"]
            ),
            stale_urls=tuple(data["stale_urls"]),
            stale_public_urls=tuple(data["stale_public_urls"]),
            moves=tuple(Move(old_url=old, new_url=new) for old, new in data["moves"]),
            timestamp=datetime.fromisoformat(data["timestamp"]),
        )


def _rank(event: str) -> int:
    return PROPAGATED_EVENTS.index(event)
