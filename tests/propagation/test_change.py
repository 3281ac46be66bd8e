"""propagation.change: a batch is a frozen ChangeSet that survives JSON unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from wagtail_series.propagation.change import (
    PROPAGATED_EVENTS,
    Change,
    ChangeSet,
    Move,
    Previous,
    SeriesChange,
)

NOW = dt.datetime(2026, 11, 3, 9, 30, 15, 123456, tzinfo=dt.UTC)


def change(series_ids, event, page_id=None, urls=(), public=False) -> Change:
    return Change(frozenset(series_ids), event, page_id, Previous(tuple(urls), public))


def test_gather_keeps_the_most_significant_event_of_each_series_and_part():
    change_set = ChangeSet.gather(
        [
            change({3}, "moved", page_id=4),
            change({3}, "published", page_id=4),  # wins over "moved"
            change({3}, "updated", page_id=4),
            change({3}, "deleted", page_id=6),
            change({3}, "unpublished", page_id=6),  # "deleted" stays
            change({3, 7}, "site"),  # the series themselves, no part
            change({7}, "restriction"),  # wins over "site" for series 7
        ],
        timestamp=NOW,
    )
    assert change_set.changes == (
        SeriesChange(series_id=3, page_id=4, event="published"),
        SeriesChange(series_id=3, page_id=6, event="deleted"),
        SeriesChange(series_id=3, page_id=None, event="site"),
        SeriesChange(series_id=7, page_id=None, event="restriction"),
    )
    assert change_set.series_ids == {3, 7}


def test_the_order_of_events_decides_nothing_but_their_significance():
    events = list(PROPAGATED_EVENTS)
    forwards = ChangeSet.gather([change({1}, e, page_id=2) for e in events], timestamp=NOW)
    backwards = ChangeSet.gather([change({1}, e, page_id=2) for e in events[::-1]], timestamp=NOW)
    assert forwards == backwards
    assert forwards.changes == (SeriesChange(1, 2, PROPAGATED_EVENTS[0]),)


def test_stale_urls_are_gathered_once_sorted_and_public_ones_kept_apart():
    change_set = ChangeSet.gather(
        [
            change({1}, "unpublished", 2, urls=["http://x/b/", "http://x/a/"], public=True),
            change({1}, "restriction", 3, urls=["http://x/c/", "http://x/a/"], public=False),
        ],
        [Move("http://x/old/", "http://x/new/")],
        timestamp=NOW,
    )
    assert change_set.stale_urls == ("http://x/a/", "http://x/b/", "http://x/c/")
    assert change_set.stale_public_urls == ("http://x/a/", "http://x/b/")
    assert change_set.moves == (Move(old_url="http://x/old/", new_url="http://x/new/"),)


def test_to_json_is_the_description_the_task_always_received():
    change_set = ChangeSet.gather(
        [
            change({3}, "published", 4, urls=["http://x/a/"], public=True),
            change({3}, "moved"),
        ],
        [Move("http://x/old/", "http://x/new/")],
        timestamp=NOW,
    )
    assert change_set.to_json() == {
        "changes": [
            {"series_id": 3, "page_id": 4, "event": "published"},
            {"series_id": 3, "page_id": None, "event": "moved"},
        ],
        "stale_urls": ["http://x/a/"],
        "stale_public_urls": ["http://x/a/"],
        "moves": [["http://x/old/", "http://x/new/"]],
        "timestamp": "2026-11-03T09:30:15.123456+00:00",
    }


@pytest.mark.parametrize("microsecond", [0, 1, 999999])
def test_a_change_set_round_trips_through_json(microsecond):
    change_set = ChangeSet.gather(
        [
            change({3, 8}, "published", 4, urls=["http://x/a/"], public=True),
            change({3}, "deleted", 5, urls=["http://x/b/"]),
            change({8}, "site"),
        ],
        [Move("http://x/old/", "http://x/new/"), Move("http://x/o2/", "http://x/n2/")],
        timestamp=NOW.replace(microsecond=microsecond),
    )
    text = json.dumps(change_set.to_json())
    rebuilt = ChangeSet.from_json(json.loads(text))
    assert rebuilt == change_set
    assert rebuilt.timestamp.tzinfo is not None
    assert json.dumps(rebuilt.to_json()) == text


def test_an_empty_batch_round_trips():
    change_set = ChangeSet.gather([], timestamp=NOW)
    assert ChangeSet.from_json(json.loads(json.dumps(change_set.to_json()))) == change_set
    assert change_set.series_ids == set()


def test_a_change_set_is_frozen_and_its_members_typed():
    change_set = ChangeSet.gather([change({1}, "published", 2)], timestamp=NOW)
    with pytest.raises(dataclasses.FrozenInstanceError):
        change_set.stale_urls = ()  # type: ignore[misc]
    assert isinstance(change_set.changes, tuple)
    assert isinstance(change_set.changes[0], SeriesChange)
    assert hash(change_set)  # frozen all the way down: usable as a key, safe to share
