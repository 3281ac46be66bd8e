"""Outlines: order, numbering, forthcoming and scheduled parts, positions (``reader.outline``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.conftest import (
    Page,
    add_part,
    make_series,
    publish,
    reload,
    restrict,
)
from tests.reader.conftest import let_go_live_time_pass, make_request, schedule, titles
from tests.testapp.models import BlogPage
from wagtail_series import reader
from wagtail_series.reader import EntryStatus, loading
from wagtail_series.reader.outline import _build_outline

pytestmark = pytest.mark.django_db


# --- Order and numbering ---------------------------------------------------------------------


def test_entries_follow_tree_order_and_number_from_one(series):
    add_part(series, "One")
    add_part(series, "Two", state="draft")
    add_part(series, "Three")
    outline = reader.get_series_outline(series)
    assert titles(outline) == [
        (1, "One", "published"),
        (2, "Two", "forthcoming"),
        (3, "Three", "published"),
    ]
    assert [e.label for e in outline.entries] == ["Part 1", "Part 2", "Part 3"]
    assert (outline.total, outline.published_count, outline.forthcoming_count) == (3, 2, 1)


def test_reordering_in_the_tree_renumbers(series):
    one = add_part(series, "One")
    add_part(series, "Two")
    three = add_part(series, "Three")
    reload(three).move(reload(one), pos="left")  # as the explorer's drag-and-drop does
    assert titles(reader.get_series_outline(reload(series))) == [
        (1, "Three", "published"),
        (2, "One", "published"),
        (3, "Two", "published"),
    ]


def test_part_label_comes_from_the_series(home):
    series = make_series(home, "Diary", part_label="Chapter")
    add_part(series, "Monday")
    add_part(series, "Tuesday")
    assert [e.label for e in reader.get_series_outline(series).entries] == [
        "Chapter 1",
        "Chapter 2",
    ]


def test_host_page_types_using_the_mixin_are_parts_in_tree_order(series):
    add_part(series, "Native")
    add_part(series, "Blog post", model=BlogPage, summary="s")
    add_part(series, "Native again")
    assert titles(reader.get_series_outline(series)) == [
        (1, "Native", "published"),
        (2, "Blog post", "published"),
        (3, "Native again", "published"),
    ]


def test_series_with_no_parts(series):
    outline = reader.get_series_outline(series)
    assert outline.entries == ()
    assert (outline.total, outline.display_total, outline.latest_published_at) == (0, 0, None)


# --- Forthcoming parts -----------------------------------------------------------------------


def test_forthcoming_entry_shows_only_announcement_fields(series):
    add_part(
        series,
        "Working title",
        state="draft",
        forthcoming_title="Stink Bomb",
        forthcoming_teaser="A cold remedy goes wrong.",
        expected_date=dt.date(2027, 1, 15),
        intro="secret intro",
    )
    (entry,) = reader.get_series_outline(series).entries
    assert entry.status is EntryStatus.FORTHCOMING
    assert entry.title == "Stink Bomb"
    assert entry.url is None
    assert entry.teaser == "A cold remedy goes wrong."
    assert entry.expected_date == dt.date(2027, 1, 15)
    assert entry.first_published_at is None
    # The entry type itself has nowhere to carry draft content.
    assert not {"intro", "body"} & set(reader.SeriesEntry.__slots__)


def test_forthcoming_title_defaults_to_the_page_title(series):
    add_part(series, "Cannon Fodder", state="draft")
    assert reader.get_series_outline(series).entries[0].title == "Cannon Fodder"


def test_unannounced_draft_is_invisible_and_takes_no_number(series):
    add_part(series, "One")
    add_part(series, "Secret", state="draft", announce_forthcoming=False)
    add_part(series, "Two")
    assert titles(reader.get_series_outline(series)) == [
        (1, "One", "published"),
        (2, "Two", "published"),
    ]


def test_publishing_a_forthcoming_part_makes_it_a_link(series):
    draft = add_part(series, "Stink Bomb", state="draft", forthcoming_teaser="Soon.")
    publish(draft)
    (entry,) = reader.get_series_outline(reload(series)).entries
    assert entry.status is EntryStatus.PUBLISHED
    assert entry.url == "/memories/stink-bomb/"
    assert entry.first_published_at is not None
    assert entry.expected_date is None


def test_live_part_shows_its_published_title_not_a_newer_draft(series):
    part = add_part(series, "Published title")
    part = reload(part)
    part.title = "Draft title"
    part.save_revision()
    assert reader.get_series_outline(series).entries[0].title == "Published title"


def test_retitling_a_published_part(series):
    part = reload(add_part(series, "Old title"))
    part.title = "New title"
    part.save_revision().publish()
    assert reader.get_series_outline(reload(series)).entries[0].title == "New title"


def test_scheduled_part_is_forthcoming_with_its_go_live_date(series):
    draft = add_part(series, "Stink Bomb", state="draft", expected_date=dt.date(2030, 1, 1))
    go_live = timezone.now() + dt.timedelta(days=3)
    schedule(draft, go_live)
    (entry,) = reader.get_series_outline(reload(series)).entries
    assert not reload(draft).live
    assert entry.status is EntryStatus.FORTHCOMING
    assert entry.scheduled_at == go_live
    assert entry.expected_date == timezone.localdate(go_live)  # the schedule beats expected_date


def test_publish_scheduled_turns_a_forthcoming_part_into_a_link(series):
    draft = add_part(series, "Stink Bomb", state="draft")
    revision = schedule(draft, timezone.now() + dt.timedelta(hours=1))
    let_go_live_time_pass(revision)
    call_command("publish_scheduled")
    (entry,) = reader.get_series_outline(reload(series)).entries
    assert entry.status is EntryStatus.PUBLISHED
    assert entry.url == "/memories/stink-bomb/"
    assert entry.scheduled_at is None


def test_expired_part_falls_back_to_forthcoming_if_announced(series):
    add_part(series, "Kept", expire_at=timezone.now() + dt.timedelta(hours=1))
    add_part(
        series,
        "Dropped",
        expire_at=timezone.now() + dt.timedelta(hours=1),
        announce_forthcoming=False,
    )
    Page.objects.filter(title__in=["Kept", "Dropped"]).update(
        expire_at=timezone.now() - dt.timedelta(minutes=1)
    )
    call_command("publish_scheduled")
    assert titles(reader.get_series_outline(reload(series))) == [(1, "Kept", "forthcoming")]


# --- Unpublish, delete, move -----------------------------------------------------------------


def test_unpublished_part_falls_back_to_forthcoming_or_disappears(series):
    add_part(series, "One")
    announced = add_part(series, "Announced")
    hidden = add_part(series, "Hidden", announce_forthcoming=False)
    reload(announced).unpublish()
    reload(hidden).unpublish()
    assert titles(reader.get_series_outline(reload(series))) == [
        (1, "One", "published"),
        (2, "Announced", "forthcoming"),
    ]


def test_deleted_part_disappears_and_numbering_closes_up(series):
    add_part(series, "One")
    two = add_part(series, "Two")
    add_part(series, "Three")
    reload(two).delete()
    assert titles(reader.get_series_outline(reload(series))) == [
        (1, "One", "published"),
        (2, "Three", "published"),
    ]


def test_moving_a_part_out_of_and_into_a_series(home, series):
    other = make_series(home, "Other")
    add_part(series, "Stays")
    mover = add_part(series, "Mover")
    reload(mover).move(reload(other), pos="last-child")
    assert titles(reader.get_series_outline(reload(series))) == [(1, "Stays", "published")]
    assert titles(reader.get_series_outline(reload(other))) == [(1, "Mover", "published")]


def test_non_part_children_are_not_parts(series):
    # A series page under a series is not a part (and the tree allows no other types).
    child = Page(title="Plain page")
    reload(series).add_child(instance=child)
    assert reader.get_series_outline(reload(series)).entries == ()


# --- Part position ---------------------------------------------------------------------------


def test_part_position_previous_and_next(series):
    one = add_part(series, "One")
    two = add_part(series, "Two")
    add_part(series, "Three", state="draft")
    position = reader.get_part_position(reload(two))
    assert (position.position, position.total, position.planned_total) == (2, 3, None)
    assert position.previous.page_id == one.pk
    assert position.next.title == "Three"
    assert position.next.url is None  # forthcoming: shown, never linked
    assert position.summary == "Part 2 of 3 in Memories"
    first = reader.get_part_position(reload(one))
    assert first.previous is None


def test_planned_total_is_the_of_m_when_declared(home):
    series = make_series(home, "Memories", planned_parts=5)
    add_part(series, "One")
    position = reader.get_part_position(reload(add_part(series, "Two")))
    assert (position.total, position.planned_total, position.display_total) == (2, 5, 5)
    assert position.summary == "Part 2 of 5 in Memories"


def test_part_not_under_a_series_has_no_position(home):
    blog = BlogPage(title="Standalone")
    home.add_child(instance=blog)
    assert reader.get_part_position(blog) is None
    assert reader.get_series_for_part(blog) is None


def test_parts_of_a_series_that_is_not_live_show_no_series(home):
    series = make_series(home, "Unreleased", live=False)
    part = add_part(series, "Leaked?")
    assert reader.get_part_position(reload(part)) is None
    assert reader.get_series_outline(series).entries == ()


def test_draft_part_has_no_position_except_in_an_editors_preview(series):
    add_part(series, "One")
    draft = add_part(series, "Draft", state="draft", announce_forthcoming=False)
    draft = reload(draft)
    draft.title = "Previewed title"
    assert reader.get_part_position(draft) is None
    request = make_request()
    request.is_preview = True
    position = reader.get_part_position(draft, request)
    assert position.position == 2
    assert position.entry.title == "Previewed title"
    assert position.entry.is_published


# --- Rich-text helper ------------------------------------------------------------------------


def test_forthcoming_part_ids(home, series):
    live = add_part(series, "Live")
    draft = add_part(series, "Draft", state="draft")
    unannounced = add_part(series, "Unannounced", state="draft", announce_forthcoming=False)
    lone_draft = BlogPage(title="Draft blog post not in a series", live=False)
    home.add_child(instance=lone_draft)
    pages = [reload(p) for p in (live, draft, unannounced, lone_draft)] + [None, reload(home)]
    # Unannounced drafts are not announced, but a link to one must not 404 either.
    assert reader.forthcoming_part_ids(pages) == {draft.pk, unannounced.pk}


def test_forthcoming_part_ids_needs_no_query_without_drafts(series, django_assert_num_queries):
    live = reload(add_part(series, "Live"))
    with django_assert_num_queries(0):
        assert reader.forthcoming_part_ids([live, None]) == set()


# --- Many series at once (listings) ----------------------------------------------------------


def test_outlines_for_many_series_match_one_by_one(home, django_user_model):
    series_list = []
    for n in range(3):
        series = make_series(home, f"Series {n}")
        add_part(series, f"S{n} one")
        add_part(series, f"S{n} draft", state="draft")
        restrict(add_part(series, f"S{n} members"), PageViewRestriction.LOGIN)
        series_list.append(reload(series))
    member = make_request(django_user_model.objects.create_user("m", password="x"))
    for request in (make_request(), member):
        together = reader.get_series_outlines(series_list, request)
        for series in series_list:
            assert together[series.pk] == _build_outline(series, make_request(request.user))


@pytest.mark.parametrize("count", [3, 30])
def test_outlines_for_many_series_cost_constant_queries(home, count, django_assert_num_queries):
    for n in range(count):
        series = make_series(home, f"Series {n}")
        add_part(series, "one", state="live")
        add_part(series, "two", state="live", model=BlogPage)
    series_list = list(reader.visible_series(request=make_request()))
    reader.get_series_outlines(series_list, make_request())  # warm site and content type caches
    # Restrictions and one query per part type (SeriesPart, BlogPage, LinkedPart). With one site,
    # URLs need no Site lookup (see test_urls_skip_the_site_lookup_only_where_it_cannot_matter).
    with django_assert_num_queries(4):
        outlines = reader.get_series_outlines(series_list, make_request())
    assert {o.total for o in outlines.values()} == {2}


# --- Summaries (what a listing shows) --------------------------------------------------------


def summary_of(outline: reader.SeriesOutline) -> reader.SeriesSummary:
    return reader.SeriesSummary(
        series=outline.series,
        url=outline.url,
        published_count=outline.published_count,
        forthcoming_count=outline.forthcoming_count,
        latest_published_at=outline.latest_published_at,
        root_url=outline.root_url,
    )


def test_summaries_count_what_the_outlines_show(home, django_user_model):
    series_list = []
    for n in range(3):
        series = make_series(home, f"Series {n}", planned_parts=5)
        add_part(series, f"S{n} one")
        add_part(series, f"S{n} blog", model=BlogPage)
        add_part(series, f"S{n} announced", state="draft")
        add_part(series, f"S{n} hidden", state="draft", announce_forthcoming=False)
        restrict(add_part(series, f"S{n} members"), PageViewRestriction.LOGIN)
        restrict(add_part(series, f"S{n} members soon", state="draft"), PageViewRestriction.LOGIN)
        series_list.append(reload(series))
    restrict(series_list[1], PageViewRestriction.LOGIN)  # members only
    unpublished = make_series(home, "Unpublished", live=False)
    add_part(unpublished, "Ready", state="live")
    series_list.append(reload(unpublished))
    series_list.append(make_series(home, "Empty"))
    member = django_user_model.objects.create_user("m", password="x")
    for user in (None, AnonymousUser(), member):
        request = make_request(user) if user is not None else None
        summaries = reader.get_series_summaries(series_list, request)
        for series in series_list:
            fresh = make_request(user) if user is not None else None
            assert summaries[series.pk] == summary_of(_build_outline(series, fresh))
    # What the figures are: a member sees the members-only parts, anonymous readers don't, and
    # nobody sees the parts of a members-only series without signing in.
    anonymous = reader.get_series_summaries(series_list, make_request())
    members = reader.get_series_summaries(series_list, make_request(member))
    first, private = series_list[0].pk, series_list[1].pk
    assert (anonymous[first].published_count, anonymous[first].forthcoming_count) == (2, 1)
    assert (members[first].published_count, members[first].forthcoming_count) == (3, 2)
    assert anonymous[private].total == 0 and members[private].total == 5
    assert anonymous[series_list[3].pk].total == 0  # not live
    assert anonymous[first].latest_published_at == max(
        e.first_published_at for e in _build_outline(series_list[0], make_request()).published
    )


def test_summaries_ignore_publication_dates_readers_cannot_see(series, django_user_model):
    add_part(series, "Public")
    public = reload(series)
    restrict(add_part(series, "Newer, members only"), PageViewRestriction.LOGIN)
    newest_public = reader.get_series_outline(public, make_request()).published[-1]
    anonymous = reader.get_series_summaries([reload(series)], make_request())[series.pk]
    assert anonymous.latest_published_at == newest_public.first_published_at
    member = make_request(django_user_model.objects.create_user("m", password="x"))
    members = reader.get_series_summaries([reload(series)], member)[series.pk]
    assert members.latest_published_at > newest_public.first_published_at


@pytest.mark.parametrize("count", [3, 30])
def test_summaries_cost_constant_queries(home, count, django_assert_num_queries):
    for n in range(count):
        series = make_series(home, f"Series {n}")
        add_part(series, "one", state="live")
        add_part(series, "two", state="live", model=BlogPage)
        add_part(series, "soon", state="draft")
    series_list = list(reader.visible_series(request=make_request()))
    reader.get_series_summaries(series_list, make_request())  # warm site and content type caches
    # Restrictions and one query per part type (SeriesPart, BlogPage, LinkedPart), as for outlines.
    with django_assert_num_queries(4):
        summaries = reader.get_series_summaries(series_list, make_request())
    assert {(s.published_count, s.forthcoming_count) for s in summaries.values()} == {(2, 1)}


def test_summaries_come_from_memoised_outlines_for_free(home, django_assert_num_queries):
    series = make_series(home, "Memories")
    add_part(series, "one")
    other = make_series(home, "Other")
    add_part(other, "two")
    series_list = [reload(series), reload(other)]
    request = make_request()
    outlines = reader.get_series_outlines(series_list, request)
    with django_assert_num_queries(0):
        summaries = reader.get_series_summaries(series_list, request)
    assert summaries == {pk: summary_of(outline) for pk, outline in outlines.items()}


def test_position_in_an_outline_is_the_part_position(series, rf):
    first = add_part(series, "First")
    second = add_part(series, "Second", state="live", model=BlogPage)
    draft = add_part(series, "Third", state="draft")
    outline = reader.get_series_outline(reload(series))
    for page in (first, second):
        assert reader.get_position_in(outline, page.pk) == reader.get_part_position(reload(page))
    assert reader.get_position_in(outline, second.pk).previous.page_id == first.pk
    assert reader.get_position_in(outline, draft.pk) is None  # forthcoming: no position
    assert reader.get_position_in(outline, 999999) is None


# --- Numbering ---------------------------------------------------------------------------------


def test_number_entries_numbers_what_readers_see(home):
    series = make_series(home, "Stories", part_label="Chapter")
    live = add_part(series, "Live")
    hidden = add_part(series, "Hidden", state="draft", announce_forthcoming=False)
    private = add_part(series, "Private")
    coming = add_part(series, "Coming", state="draft", forthcoming_title="Soon")
    untitled = add_part(series, "Untitled", state="draft")
    pages = loading._part_pages(reload(series))

    numbered = reader.number_entries(series, pages, hidden_paths={reload(private).path})
    assert [(n.page.pk, n.position, n.label, n.title, n.published) for n in numbered] == [
        (live.pk, 1, "Chapter 1", "Live", True),
        (hidden.pk, None, None, "Hidden", False),
        (private.pk, None, None, "Private", True),
        (coming.pk, 2, "Chapter 2", "Soon", False),
        (untitled.pk, 3, "Chapter 3", "Untitled", False),  # forthcoming title falls back
    ]
    # An editor previewing the hidden draft sees it numbered, as it will be once published.
    preview = reload(hidden)
    preview.title = "Previewed"
    numbered = reader.number_entries(series, pages, previewing=preview)
    assert [(n.position, n.title, n.published) for n in numbered] == [
        (1, "Live", True),
        (2, "Previewed", True),
        (3, "Private", True),
        (4, "Soon", False),
        (5, "Untitled", False),
    ]
    assert numbered[1].page is preview
    assert reader.number_entries(series, []) == []


def test_reader_and_editor_outlines_number_alike(series):
    add_part(series, "One")
    add_part(series, "Hidden", state="draft", announce_forthcoming=False)
    restrict(add_part(series, "Private"), PageViewRestriction.LOGIN)
    add_part(series, "Coming", state="draft", forthcoming_title="Soon")
    series = reload(series)
    readers = reader.get_series_outline(series)
    editors = reader.get_editor_outline(series)
    assert [(e.page_id, e.label, e.title) for e in readers.entries] == [
        (e.page_id, e.label, e.reader_title) for e in editors.entries if e.position is not None
    ]


def test_a_forthcoming_part_past_its_expected_date_is_overdue(series, settings):
    today = timezone.localdate()
    add_part(series, "Live")
    add_part(series, "Late", state="draft", expected_date=today - dt.timedelta(days=1))
    add_part(series, "Today", state="draft", expected_date=today)
    add_part(series, "Undated", state="draft")
    outline = reader.get_series_outline(series)
    assert [e.is_overdue for e in outline.entries] == [False, True, False, False]


def test_overdue_follows_the_current_time_zone(series, settings):
    # Late on the 10th in UTC is already the 11th in Tokyo: a part expected on the 10th is late
    # there and not yet here.
    from unittest import mock

    settings.TIME_ZONE = "UTC"
    add_part(series, "Tenth", state="draft", expected_date=dt.date(2030, 1, 10))
    entry = reader.get_series_outline(series).entries[0]
    instant = dt.datetime(2030, 1, 10, 20, 0, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=instant):
        assert not entry.is_overdue
        with timezone.override("Asia/Tokyo"):
            assert entry.is_overdue


def test_first_published_is_where_reading_starts(series):
    add_part(series, "Prologue", state="draft")
    first = add_part(series, "First")
    add_part(series, "Second")
    assert reader.get_series_outline(series).first_published.page_id == first.pk


# --- Issue 14, round 2: a forthcoming part's announcement -----------------------------------


def test_announcement_position_is_for_forthcoming_entries_only(home):
    from tests.conftest import add_part, make_series, reload
    from wagtail_series import reader

    series = make_series(home, "Trio")
    one = add_part(series, "One")
    two = add_part(series, "Two", state="draft")
    hidden = add_part(series, "Hidden", state="draft", announce_forthcoming=False)
    outline = reader.get_series_outline(reload(series))
    position = reader.get_announcement_position(outline, two.pk)
    assert position is not None and position.entry.title == "Two"
    assert position.previous.page_id == one.pk and position.next is None
    assert reader.get_announcement_position(outline, one.pk) is None  # published: no announcement
    assert reader.get_announcement_position(outline, hidden.pk) is None
    assert reader.get_part_id_by_slug(series, "two") == two.pk
    assert reader.get_part_id_by_slug(series, "hidden") == hidden.pk
    assert reader.get_part_id_by_slug(series, "nothing") is None
