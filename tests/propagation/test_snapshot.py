"""propagation.snapshot: the changed series as they are now, every rule taken from the reader."""

from __future__ import annotations

import pytest

from tests.conftest import add_part, make_series, restrict
from wagtail_series.propagation.snapshot import Snapshot

pytestmark = pytest.mark.django_db


def test_live_parts_include_private_ones_public_parts_do_not(memories):
    pages = memories()
    series, rose = pages["series"], pages["rose"]
    hidden = add_part(series, "Hidden", state="live")
    restrict(hidden, "password", password="x")
    snapshot = Snapshot.load({series.pk})
    assert snapshot.series == {series.pk: series}
    assert [p.pk for p in snapshot.live_parts[series.pk]] == [rose.pk, hidden.pk]
    assert [p.pk for p in snapshot.public_parts[series.pk]] == [rose.pk]
    assert set(snapshot.outlines) == {series.pk}


def test_a_private_series_is_changed_but_not_public(memories, home):
    pages = memories()
    private = make_series(home, "Robot Carnival")
    part = add_part(private, "Presence", state="live")
    restrict(private, "password", password="x")
    snapshot = Snapshot.load({pages["series"].pk, private.pk, 12345})
    assert set(snapshot.series) == {pages["series"].pk, private.pk}
    assert [p.pk for p in snapshot.live_parts[private.pk]] == [part.pk]
    assert set(snapshot.public_series) == set(snapshot.public_parts) == {pages["series"].pk}


def test_loading_costs_the_same_queries_for_one_series_or_many(
    memories, home, django_assert_max_num_queries
):
    pages = memories()
    ids = {pages["series"].pk}
    for n in range(5):
        series = make_series(home, f"Series {n}")
        add_part(series, f"Part {n}", state="live")
        ids.add(series.pk)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        Snapshot.load({pages["series"].pk})
    with django_assert_max_num_queries(len(one.captured_queries)):
        Snapshot.load(ids)
