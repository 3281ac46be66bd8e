"""The editor outline: the admin's view of a series (``reader.editor``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.conftest import (
    Page,
    add_part,
    make_series,
    reload,
    restrict,
)
from tests.reader.conftest import let_go_live_time_pass, make_request, schedule
from tests.testapp.models import BlogPage
from wagtail_series import reader

pytestmark = pytest.mark.django_db


# --- Editor outline (the admin's view of a series) -------------------------------------------


def editor_states(outline: reader.EditorOutline) -> list[tuple[str, str, int | None]]:
    return [(e.title, e.state.value, e.position) for e in outline.entries]


@pytest.fixture
def every_state(series):
    """A series with one part in each state the admin distinguishes."""
    add_part(series, "Published")
    scheduled = add_part(series, "Scheduled", state="draft", forthcoming_title="Soon title")
    schedule(scheduled, timezone.now() + dt.timedelta(days=2))
    add_part(series, "Forthcoming", state="draft", expected_date=dt.date(2099, 1, 1))
    add_part(series, "Hidden", state="draft", announce_forthcoming=False)
    restrict(add_part(series, "Private live"), PageViewRestriction.LOGIN)
    restrict(add_part(series, "Private draft", state="draft"), PageViewRestriction.PASSWORD)
    add_part(series, "Last")
    return reload(series)


def test_editor_outline_lists_every_part_with_its_state(every_state):
    outline = reader.get_editor_outline(every_state)
    assert editor_states(outline) == [
        ("Published", "published", 1),
        ("Scheduled", "scheduled", 2),
        ("Forthcoming", "forthcoming", 3),
        ("Hidden", "hidden_draft", None),
        ("Private live", "private", None),
        ("Private draft", "private", None),
        ("Last", "published", 4),
    ]
    by_title = {e.title: e for e in outline.entries}
    scheduled = by_title["Scheduled"]
    assert scheduled.scheduled_at is not None and scheduled.is_scheduled
    assert scheduled.due_date == timezone.localdate(scheduled.scheduled_at)
    assert scheduled.reader_title == "Soon title"
    assert scheduled.url is None and scheduled.label == "Part 2"
    assert by_title["Published"].url == "/memories/published/"
    assert by_title["Private live"].live and by_title["Private live"].private
    assert by_title["Private live"].url == "/memories/private-live/"
    assert by_title["Hidden"].label is None
    assert [e.state_label for e in outline.entries][:4] == [
        "published",
        "scheduled",
        "forthcoming",
        "hidden draft",
    ]
    assert (outline.published_count, outline.forthcoming_count, outline.hidden_count) == (3, 3, 1)
    assert [e.title for e in outline.forthcoming] == ["Scheduled", "Forthcoming", "Private draft"]
    assert (outline.reader_total, outline.display_total) == (4, 4)
    assert not outline.private and outline.readers_see_series


def test_editor_positions_are_those_an_anonymous_reader_sees(every_state):
    editor = {e.page_id: e.position for e in reader.get_editor_outline(every_state).entries}
    for entry in reader.get_series_outline(every_state, make_request()).entries:
        assert editor[entry.page_id] == entry.position
    assert sum(p is not None for p in editor.values()) == len(
        reader.get_series_outline(every_state).entries
    )


def test_editor_entries_carry_no_draft_content(series):
    add_part(series, "Draft", state="draft", intro="secret intro")
    (entry,) = reader.get_editor_outline(series).entries
    assert not {"intro", "body"} & set(reader.EditorEntry.__slots__)
    assert "secret intro" not in repr(entry)


def test_overdue_means_due_and_still_not_live(series):
    now = timezone.now()
    today = timezone.localdate(now)
    add_part(series, "Late", state="draft", expected_date=today - dt.timedelta(days=1))
    add_part(series, "Due today", state="draft", expected_date=today)
    add_part(series, "Undated", state="draft")
    add_part(
        series,
        "Hidden and late",
        state="draft",
        announce_forthcoming=False,
        expected_date=today - dt.timedelta(days=3),
    )
    add_part(series, "Published late", expected_date=today - dt.timedelta(days=9))
    missed = schedule(
        add_part(series, "Missed schedule", state="draft"), now + dt.timedelta(hours=1)
    )
    let_go_live_time_pass(missed)
    outline = reader.get_editor_outline(reload(series), now=now)
    overdue = {e.title: e.overdue for e in outline.entries}
    assert overdue == {
        "Late": True,
        "Due today": False,
        "Undated": False,
        "Hidden and late": True,
        "Published late": False,
        "Missed schedule": True,
    }
    # The outline's overdue list is about announced parts only.
    assert [e.title for e in outline.overdue] == ["Late", "Missed schedule"]
    later = reader.get_editor_outline(reload(series), now=now + dt.timedelta(days=1))
    assert {e.title for e in later.overdue} == {"Late", "Due today", "Missed schedule"}


def test_next_expected_is_the_earliest_due_forthcoming_part(series):
    today = timezone.localdate()
    add_part(series, "Undated", state="draft")
    add_part(series, "Later", state="draft", expected_date=today + dt.timedelta(days=30))
    add_part(series, "Sooner", state="draft", expected_date=today + dt.timedelta(days=3))
    add_part(
        series,
        "Hidden sooner",
        state="draft",
        announce_forthcoming=False,
        expected_date=today + dt.timedelta(days=1),
    )
    assert reader.get_editor_outline(series).next_expected.title == "Sooner"
    add_part(series, "Overdue", state="draft", expected_date=today - dt.timedelta(days=3))
    assert reader.get_editor_outline(series).next_expected.title == "Overdue"


def test_next_expected_falls_back_to_tree_order_and_none(series):
    assert reader.get_editor_outline(series).next_expected is None
    add_part(series, "Published")
    add_part(series, "First undated", state="draft")
    add_part(series, "Second undated", state="draft")
    assert reader.get_editor_outline(series).next_expected.title == "First undated"


def test_last_published_at_is_the_latest_first_publication(series):
    assert reader.get_editor_outline(series).last_published_at is None
    one = add_part(series, "One")
    two = add_part(series, "Two")
    Page.objects.filter(pk=one.pk).update(first_published_at=timezone.now() - dt.timedelta(days=9))
    add_part(series, "Draft", state="draft")
    assert reader.get_editor_outline(series).last_published_at == reload(two).first_published_at


def test_editor_outline_of_a_draft_or_private_series(home):
    draft = make_series(home, "Unreleased", live=False, planned_parts=5)
    add_part(draft, "One")
    add_part(draft, "Two", state="draft")
    outline = reader.get_editor_outline(draft)
    # Readers see nothing yet; editors see the parts and the positions readers will see.
    assert reader.get_series_outline(draft).entries == ()
    assert editor_states(outline) == [("One", "published", 1), ("Two", "forthcoming", 2)]
    assert not outline.live and not outline.readers_see_series
    assert outline.display_total == 5
    members = make_series(home, "Members only")
    restrict(members, PageViewRestriction.LOGIN)
    add_part(members, "Inside")
    outline = reader.get_editor_outline(reload(members))
    assert outline.private and not outline.readers_see_series
    assert editor_states(outline) == [("Inside", "published", 1)]


def test_editor_outline_includes_host_page_types_in_tree_order(series):
    add_part(series, "Native")
    add_part(series, "Blog post", model=BlogPage, state="draft")
    assert editor_states(reader.get_editor_outline(series)) == [
        ("Native", "published", 1),
        ("Blog post", "forthcoming", 2),
    ]


@pytest.mark.parametrize("parts", [3, 300])
def test_editor_outline_queries_do_not_grow_with_parts(
    series, parts, django_assert_max_num_queries
):
    for i in range(parts - 1):
        add_part(series, f"P{i}", state="live")
    restrict(add_part(series, "Private", state="live"), PageViewRestriction.LOGIN)
    series = reload(series)
    reader.get_editor_outline(series)  # warm Django's content type and site caches
    # One query per part page type (2 here), one for restrictions, one for their groups; at most
    # two more (content type, site) when another test left Django's caches cold. Never per part.
    with django_assert_max_num_queries(6):
        outline = reader.get_editor_outline(series)
    assert len(outline.entries) == parts


@pytest.mark.parametrize("count", [3, 30])
def test_editor_outlines_for_many_series_cost_constant_queries(
    home, count, django_assert_num_queries, django_assert_max_num_queries
):
    series_list = []
    for i in range(count):
        series = make_series(home, f"Series {i}")
        add_part(series, "Live", state="live")
        add_part(series, "Draft", state="draft")
        series_list.append(reload(series))
    reader.get_editor_outlines(series_list)  # warm Django's content type and site caches
    # Part types and restrictions; content type and site lookups only if caches are cold.
    with django_assert_max_num_queries(5):
        outlines = reader.get_editor_outlines(series_list)
    assert len(outlines) == count
    assert {(o.published_count, o.forthcoming_count) for o in outlines.values()} == {(1, 1)}
    with django_assert_num_queries(0):
        assert reader.get_editor_outlines([]) == {}


# --- Issue 14, round 2: the part's own URL, and the part as readers see it -------------------


def test_page_url_is_given_live_or_not(every_state):
    outline = reader.get_editor_outline(every_state)
    urls = {e.title: e.page_url for e in outline.entries}
    assert urls["Published"] == "/memories/published/"
    assert urls["Scheduled"] == "/memories/scheduled/"
    assert urls["Hidden"] == "/memories/hidden/"


def test_reader_entry_is_the_entry_readers_see(every_state):
    """``EditorEntry.reader_entry`` equals the reader's own ``SeriesEntry`` for every part an
    anonymous reader sees (the part panel's preview shows it)."""
    editor = {e.page_id: e for e in reader.get_editor_outline(every_state).entries}
    public = reader.get_series_outline(every_state, make_request()).entries
    assert public
    for entry in public:
        mine = editor[entry.page_id].reader_entry
        assert (mine.position, mine.label, mine.title, mine.status, mine.url) == (
            entry.position,
            entry.label,
            entry.title,
            entry.status,
            entry.url,
        )
        assert (mine.teaser, mine.expected_date, mine.is_overdue) == (
            entry.teaser,
            entry.expected_date,
            entry.is_overdue,
        )
