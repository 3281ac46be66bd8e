"""propagation.payloads: the webhook body for each (series, part), as anonymous readers see it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import publish, restrict
from wagtail_series.propagation.change import ChangeSet, SeriesChange
from wagtail_series.propagation.payloads import webhook_payloads
from wagtail_series.propagation.snapshot import Snapshot

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 3, 9, 30, 15, 5, tzinfo=dt.UTC)


def payloads_for(*changes: SeriesChange) -> list[dict]:
    change_set = ChangeSet(
        changes=changes, stale_urls=(), stale_public_urls=(), moves=(), timestamp=NOW
    )
    return webhook_payloads(change_set, Snapshot.load(change_set.series_ids))


def test_one_payload_per_change_in_the_documented_format(memories):
    pages = memories()
    series, rose, stink = pages["series"], pages["rose"], pages["stink"]
    published, forthcoming, about_series = payloads_for(
        SeriesChange(series.pk, rose.pk, "published"),
        SeriesChange(series.pk, stink.pk, "updated"),
        SeriesChange(series.pk, None, "moved"),
    )
    assert list(published) == ["event", "series", "part", "paths", "timestamp"]
    assert published["event"] == "published"
    assert published["series"] == {
        "id": series.pk,
        "slug": "memories",
        "url": "http://localhost/memories/",
    }
    assert published["part"] == {
        "id": rose.pk,
        "url": "http://localhost/memories/magnetic-rose/",
        "status": "published",
    }
    assert published["timestamp"] == "2026-11-03T09:30:15.000005+00:00"
    assert forthcoming["part"] == {"id": stink.pk, "url": None, "status": "forthcoming"}
    assert about_series["event"] == "moved"
    assert about_series["part"] is None
    assert published["paths"] == forthcoming["paths"] == about_series["paths"]


def test_a_series_readers_cant_see_is_named_by_its_id_only(memories):
    pages = memories()
    series, rose = pages["series"], pages["rose"]
    restrict(series, "password", password="x")
    (payload,) = payloads_for(SeriesChange(series.pk, rose.pk, "restriction"))
    assert payload["series"] == {"id": series.pk, "slug": None, "url": None}
    assert payload["part"] == {"id": rose.pk, "url": None, "status": "hidden"}
    assert payload["paths"] == ["/series/feed/", "/series/feed/atom/", "/series/feed/json/"]


def test_a_deleted_series_and_part_are_named_by_their_ids(memories):
    (payload,) = payloads_for(SeriesChange(999, 998, "deleted"))
    assert payload["series"] == {"id": 999, "slug": None, "url": None}
    assert payload["part"] == {"id": 998, "url": None, "status": "hidden"}


def test_a_newly_published_part_is_published(memories):
    pages = memories()
    stink = publish(pages["stink"])
    (payload,) = payloads_for(SeriesChange(pages["series"].pk, stink.pk, "published"))
    assert payload["part"]["status"] == "published"
    assert "/memories/stink-bomb/" in payload["paths"]
