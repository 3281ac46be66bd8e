"""The rules of wagtail_series.reader: order, numbering, forthcoming parts, visibility."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import PageViewRestriction, Revision, Site

from tests.conftest import (
    Page,
    add_part,
    make_series,
    publish,
    reload,
    restrict,
    rich_text_paragraph,
)
from tests.testapp.models import BlogPage
from wagtail_series import reader
from wagtail_series.models import SeriesPart
from wagtail_series.reader import EntryStatus

pytestmark = pytest.mark.django_db


def titles(outline: reader.SeriesOutline) -> list[tuple[int, str, str]]:
    return [(e.position, e.title, e.status.value) for e in outline.entries]


def make_request(user=None, session=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = session if session is not None else SessionStore()
    return request


@pytest.fixture
def series(home):
    return make_series(home, "Memories")


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


# --- Scheduled publishing --------------------------------------------------------------------


def schedule(page: Page, when: dt.datetime) -> Revision:
    page = reload(page)
    page.go_live_at = when
    revision = page.save_revision()
    revision.publish()
    return revision


def let_go_live_time_pass(revision: Revision) -> None:
    """Move a scheduled revision's go-live moment into the past, as waiting would."""
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])


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


def test_outline_is_memoised_per_request(series, django_assert_num_queries):
    add_part(series, "One")
    request = make_request()
    first = reader.get_series_outline(series, request)
    with django_assert_num_queries(0):
        assert reader.get_series_outline(series, request) is first


# --- URLs ---------------------------------------------------------------------------------------


def outline_urls(series, request) -> list[str | None]:
    outline = reader.get_series_outline(reload(series), request)
    return [outline.url, *(entry.url for entry in outline.entries)]


def wagtail_urls(series, request) -> list[str | None]:
    """What Wagtail's own get_url says for the series and each part (None while not live)."""
    pages = [reload(series), *(reload(p) for p in reload(series).get_children())]
    return [page.get_url(request) if page.live else None for page in pages]


def test_urls_skip_the_site_lookup_only_where_it_cannot_matter(home, series):
    add_part(series, "One")
    add_part(series, "Two", state="draft")
    add_part(series, "Three")
    # One site: a URL is relative whichever site the request is for, so no Site lookup.
    request = make_request()
    assert outline_urls(series, request) == wagtail_urls(series, make_request())
    assert not hasattr(request, "_wagtail_site")
    assert outline_urls(series, make_request())[1:] == ["/memories/one/", None, "/memories/three/"]

    # Two sites: relative on the series' own site, absolute from the other, as Wagtail says.
    other_root = Page(title="Other root", slug="other-root")
    Page.get_first_root_node().add_child(instance=other_root)
    Site.objects.create(hostname="other.example", root_page=other_root)
    Site.clear_site_root_paths_cache()
    for host, expected_prefix in (("localhost", "/"), ("other.example", "http://localhost/")):
        request = make_request()
        request.META["HTTP_HOST"] = host
        urls = outline_urls(series, request)
        assert urls == wagtail_urls(series, request)
        assert urls[0].startswith(expected_prefix) and urls[0].endswith("/memories/")


def test_urls_of_a_page_type_with_its_own_get_url_come_from_it(series, monkeypatch):
    add_part(series, "One")
    monkeypatch.setattr(
        SeriesPart, "get_url", lambda page, request=None, current_site=None: f"/own/{page.slug}/"
    )
    assert outline_urls(series, make_request())[1:] == ["/own/one/"]


# --- View restrictions -----------------------------------------------------------------------


@pytest.fixture
def restricted_series(series, django_user_model):
    add_part(series, "Public")
    restrict(add_part(series, "Password"), PageViewRestriction.PASSWORD, password="pw")
    restrict(add_part(series, "Login"), PageViewRestriction.LOGIN)
    film_club = Group.objects.create(name="Film club")
    restrict(add_part(series, "Group"), PageViewRestriction.GROUPS, groups=[film_club])
    add_part(series, "Forthcoming private", state="draft")
    restrict(Page.objects.get(title="Forthcoming private"), PageViewRestriction.LOGIN)
    add_part(series, "Last")
    return reload(series)


def test_anonymous_readers_see_only_public_parts(restricted_series):
    for request in (None, make_request()):
        assert titles(reader.get_series_outline(restricted_series, request)) == [
            (1, "Public", "published"),
            (2, "Last", "published"),
        ]


def test_logged_in_reader_passes_login_restrictions_only(restricted_series, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x")
    assert titles(reader.get_series_outline(restricted_series, make_request(user))) == [
        (1, "Public", "published"),
        (2, "Login", "published"),
        (3, "Forthcoming private", "forthcoming"),
        (4, "Last", "published"),
    ]


def test_group_member_sees_group_parts(restricted_series, django_user_model):
    user = django_user_model.objects.create_user("editor", password="x")
    user.groups.add(Group.objects.get(name="Film club"))
    seen = [
        t for _, t, _ in titles(reader.get_series_outline(restricted_series, make_request(user)))
    ]
    assert seen == ["Public", "Login", "Group", "Forthcoming private", "Last"]


def test_superuser_passes_group_restrictions(restricted_series, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x")
    seen = [
        t for _, t, _ in titles(reader.get_series_outline(restricted_series, make_request(admin)))
    ]
    assert "Group" in seen and "Password" not in seen


def test_password_restriction_passes_once_the_password_was_given(restricted_series):
    restriction = PageViewRestriction.objects.get(page__title="Password")
    session = SessionStore()
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.id]
    seen = [
        t
        for _, t, _ in titles(
            reader.get_series_outline(restricted_series, make_request(session=session))
        )
    ]
    assert seen == ["Public", "Password", "Last"]


def test_restriction_on_the_series_or_an_ancestor_hides_every_part(home, django_user_model):
    section = Page(title="Members")
    home.add_child(instance=section)
    series = make_series(section, "Members only")
    add_part(series, "One")
    restrict(section, PageViewRestriction.LOGIN)
    assert reader.get_series_outline(reload(series), make_request()).entries == ()
    user = django_user_model.objects.create_user("member", password="x")
    assert titles(reader.get_series_outline(reload(series), make_request(user))) == [
        (1, "One", "published")
    ]


def test_restrictions_elsewhere_in_the_tree_do_not_matter(home, series):
    add_part(series, "One")
    other = make_series(home, "Other")
    restrict(other, PageViewRestriction.LOGIN)
    restrict(add_part(other, "Other part"), PageViewRestriction.LOGIN)
    assert titles(reader.get_series_outline(reload(series), make_request())) == [
        (1, "One", "published")
    ]


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
            assert together[series.pk] == reader._build_outline(series, make_request(request.user))


@pytest.mark.parametrize("count", [3, 30])
def test_outlines_for_many_series_cost_constant_queries(home, count, django_assert_num_queries):
    for n in range(count):
        series = make_series(home, f"Series {n}")
        add_part(series, "one", state="live")
        add_part(series, "two", state="live", model=BlogPage)
    series_list = list(reader.visible_series(request=make_request()))
    reader.get_series_outlines(series_list, make_request())  # warm site and content type caches
    # Restrictions and one query per part type (SeriesPart, BlogPage). With one site, URLs need
    # no Site lookup (see test_urls_skip_the_site_lookup_only_where_it_cannot_matter).
    with django_assert_num_queries(3):
        outlines = reader.get_series_outlines(series_list, make_request())
    assert {o.total for o in outlines.values()} == {2}


def test_visible_series_follows_view_restrictions(home, django_user_model):
    public = make_series(home, "Public")
    members = make_series(home, "Members")
    restrict(members, PageViewRestriction.LOGIN)
    section = Page(title="Club", slug="club")
    home.add_child(instance=section)
    club_series = make_series(reload(section), "Club series")
    club = Group.objects.create(name="Film club")
    restrict(reload(section), PageViewRestriction.GROUPS, groups=[club])
    make_series(home, "Draft", live=False)
    part_restricted = make_series(home, "Has a private part")
    restrict(add_part(part_restricted, "Private part"), PageViewRestriction.LOGIN)

    def seen(request):
        return set(reader.visible_series(request=request).values_list("title", flat=True))

    assert seen(make_request()) == {"Public", "Has a private part"}
    assert seen(None) == {"Public", "Has a private part"}
    user = django_user_model.objects.create_user("u", password="x")
    assert seen(make_request(user)) == {"Public", "Members", "Has a private part"}
    user.groups.add(club)
    assert seen(make_request(user)) == {"Public", "Members", "Has a private part", "Club series"}
    assert reader.series_is_visible(reload(public), make_request())
    assert not reader.series_is_visible(reload(club_series), make_request())
    assert reader.series_is_visible(reload(club_series), make_request(user))


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


def test_get_parent_series_finds_draft_series_too(home):
    draft = make_series(home, "Unreleased", live=False)
    part = add_part(draft, "One", state="draft")
    assert reader.get_parent_series(reload(part)) == draft
    assert reader.get_series_for_part(reload(part)) is None  # readers: no live series
    lone = BlogPage(title="Standalone")
    home.add_child(instance=lone)
    assert reader.get_parent_series(lone) is None
    assert reader.get_parent_series(reload(draft)) is None  # a series is not a part


def test_entry_pages_are_the_live_pages_of_published_entries_only(
    series, django_assert_num_queries
):
    rose = add_part(series, "Magnetic Rose", intro="Public intro.")
    blog = add_part(series, "Blog part", state="live", model=BlogPage, body="<p>Hi</p>")
    add_part(series, "Stink Bomb", state="draft")
    outline = reader.get_series_outline(reload(series))
    assert [e.status for e in outline.entries] == [
        EntryStatus.PUBLISHED,
        EntryStatus.PUBLISHED,
        EntryStatus.FORTHCOMING,
    ]
    # One query per part type, whatever the number of entries; none for forthcoming entries.
    with django_assert_num_queries(2):
        pages = reader.get_entry_pages(outline.entries)
    assert pages == {rose.pk: rose, blog.pk: blog}
    assert type(pages[blog.pk]) is BlogPage and pages[blog.pk].body == "<p>Hi</p>"
    with django_assert_num_queries(0):
        assert reader.get_entry_pages(outline.forthcoming) == {}
    # A page unpublished since the outline was built gets no page.
    reload(rose).unpublish()
    assert set(reader.get_entry_pages(outline.entries)) == {blog.pk}


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


def test_entry_pages_can_leave_streamfields_unread(series):
    add_part(series, "Rose", body=rich_text_paragraph("<p>Body</p>"))
    outline = reader.get_series_outline(reload(series))
    (page,) = reader.get_entry_pages(outline.entries, defer_streamfields=True).values()
    assert "body" in page.get_deferred_fields() and "intro" not in page.get_deferred_fields()
    assert [b.value.source for b in page.body] == ["<p>Body</p>"]  # read on access
    (page,) = reader.get_entry_pages(outline.entries).values()
    assert "body" not in page.get_deferred_fields()


# --- Loading part pages ----------------------------------------------------------------------


def loaded_state(page) -> dict:
    fields = {name: getattr(page, name) for name in reader._PART_FIELDS}
    return {
        **fields,
        "pk": page.pk,
        "parent links": {
            link.attname: getattr(page, link.attname) for link in page._meta.parents.values()
        },
        "class": type(page),
        "deferred": page.get_deferred_fields(),
        "url": page.get_url(),
        "adding": page._state.adding,
        "db": page._state.db,
    }


def test_part_pages_load_as_only_would_load_them(series, django_assert_num_queries):
    go_live = timezone.now() + dt.timedelta(days=3)
    schedule(add_part(series, "Scheduled", state="draft"), go_live)
    add_part(series, "Published", intro="An intro.")
    add_part(series, "Blog part", model=BlogPage, summary="A summary.")
    fast = reader._part_pages(reload(series))
    expected = [
        loaded_state(type(page).objects.only(*reader._PART_FIELDS).get(pk=page.pk)) for page in fast
    ]
    assert [loaded_state(page) for page in fast] == expected
    assert [type(p).__name__ for p in fast] == ["SeriesPart", "SeriesPart", "BlogPage"]
    assert fast[0]._series_scheduled_at == go_live
    assert fast[1]._series_scheduled_at is None
    # Fields not loaded load on access, as with .only().
    with django_assert_num_queries(1):
        assert fast[1].intro == "An intro."
    assert fast[2].specific.summary == "A summary."


def give_own_init(model, monkeypatch, request) -> list:
    """Give ``model`` an ``__init__`` of its own for the test; returns the instances it builds."""
    created = []

    def __init__(self, *args, **kwargs):
        super(model, self).__init__(*args, **kwargs)
        created.append(self)

    monkeypatch.setattr(model, "__init__", __init__, raising=False)
    reader._loads_plainly.cache_clear()  # (what it knew of the model is out of date)
    request.addfinalizer(reader._loads_plainly.cache_clear)
    return created


def test_a_part_type_with_its_own_init_gets_it_run(series, monkeypatch, request):
    add_part(series, "Blog part", model=BlogPage)
    created = give_own_init(BlogPage, monkeypatch, request)
    (page,) = reader._part_pages(reload(series))
    assert created == [page]
    assert page.title == "Blog part"


def assert_loaded_as_the_orm_would(page, defer_streamfields, django_assert_num_queries):
    """``page`` holds what the ORM loads of it (StreamFields deferred or not), nothing less."""
    queryset = type(page).objects.filter(pk=page.pk)
    expected = (queryset.defer_streamfields() if defer_streamfields else queryset).get()
    assert page.get_deferred_fields() == expected.get_deferred_fields()
    loaded = [
        f.attname for f in page._meta.concrete_fields if f.attname not in page.get_deferred_fields()
    ]
    with django_assert_num_queries(0):
        values = {name: getattr(page, name) for name in loaded}
    assert values == {name: getattr(expected, name) for name in loaded}
    assert page.get_url() == expected.get_url()
    assert page.content_type == expected.content_type


@pytest.mark.parametrize("defer_streamfields", [True, False])
def test_entry_pages_load_as_the_orm_would_load_them(
    series, defer_streamfields, django_assert_num_queries
):
    add_part(series, "Published", intro="An intro.", body=rich_text_paragraph("<p>Body text</p>"))
    add_part(series, "Blog part", model=BlogPage, summary="A summary.", body="<p>Body</p>")
    add_part(series, "Draft", state="draft")
    entries = reader.get_series_outline(reload(series)).entries
    with django_assert_num_queries(2):  # one per part type
        pages = reader.get_entry_pages(entries, defer_streamfields=defer_streamfields)
    assert sorted(pages) == sorted(e.page_id for e in entries if e.is_published)
    for page in pages.values():
        assert_loaded_as_the_orm_would(page, defer_streamfields, django_assert_num_queries)
    series_part = next(p for p in pages.values() if p.title == "Published")
    # A StreamField not loaded loads on access, as with defer_streamfields().
    assert list(series_part.body.raw_data) == list(
        type(series_part).objects.get(pk=series_part.pk).body.raw_data
    )
    assert "Body text" in str(series_part.body)


@pytest.fixture
def series_with_pages(home, series):
    """Two series with parts of both types, a forthcoming draft with a canary, a private part."""
    add_part(series, "Published", intro="An intro.", body=rich_text_paragraph("<p>Body text</p>"))
    add_part(series, "Blog part", model=BlogPage, summary="A summary.", body="<p>Body</p>")
    add_part(series, "Draft", state="draft", intro="CANARY-draft-intro")
    restrict(add_part(series, "Private", intro="Members only."), PageViewRestriction.LOGIN)
    other = make_series(home, "Other")
    add_part(other, "Other part", model=BlogPage)
    return [reload(series), reload(other)]


@pytest.mark.parametrize("defer_streamfields", [True, False])
def test_outlines_with_pages_read_each_part_row_once(
    series_with_pages, defer_streamfields, django_assert_num_queries
):
    reader.get_series_outlines(series_with_pages, make_request())  # warm site and content types
    # Restrictions (and their groups) and one query per part type, as for the outlines alone. With
    # StreamFields, SeriesPart (which has one) has its pages loaded through the ORM: one more.
    with django_assert_num_queries(4 if defer_streamfields else 5):
        outlines, pages = reader.get_series_outlines_with_pages(
            series_with_pages, make_request(), defer_streamfields=defer_streamfields
        )
    assert outlines == reader.get_series_outlines(series_with_pages, make_request())
    published = [e for o in outlines.values() for e in o.entries if e.is_published]
    assert sorted(pages) == sorted(e.page_id for e in published)
    assert {p.title for p in pages.values()} == {"Published", "Blog part", "Other part"}
    for page in pages.values():
        assert_loaded_as_the_orm_would(page, defer_streamfields, django_assert_num_queries)


def test_parts_that_are_not_live_are_never_read_whole(series_with_pages):
    pages = reader._part_pages_many(
        series_with_pages, whole_live_rows=True, defer_streamfields=True
    )
    draft, private = (p for p in pages[series_with_pages[0].pk] if p.title in ("Draft", "Private"))
    # The draft's row holds its unpublished content: only its announcement was read.
    assert "intro" in draft.get_deferred_fields() and reader._WHOLE not in vars(draft)
    assert "CANARY-draft-intro" not in str(vars(draft))
    # A live private part is read whole, and left out by the reader (see above).
    assert "intro" not in private.get_deferred_fields() and vars(private)[reader._WHOLE]


def test_outlines_memoised_earlier_still_get_their_pages(
    series_with_pages, django_assert_num_queries
):
    request = make_request()
    reader.get_series_outlines(series_with_pages, request)
    with django_assert_num_queries(2):  # the pages, as get_entry_pages loads them
        outlines, pages = reader.get_series_outlines_with_pages(series_with_pages, request)
    assert {p.title for p in pages.values()} == {"Published", "Blog part", "Other part"}


def test_a_part_type_with_its_own_init_gets_its_pages_through_the_orm(
    series_with_pages, monkeypatch, request, django_assert_num_queries
):
    created = give_own_init(SeriesPart, monkeypatch, request)
    reader.get_series_outlines(series_with_pages, make_request())  # warm site and content types
    with django_assert_num_queries(5):  # SeriesPart's pages: one query more
        _, pages = reader.get_series_outlines_with_pages(
            series_with_pages, make_request(), defer_streamfields=True
        )
    assert {p.title for p in pages.values()} == {"Published", "Blog part", "Other part"}
    assert "Published" in {page.title for page in created}
    with pytest.raises(ValueError, match="trimmed rows"):
        reader._load_pages(
            SeriesPart, SeriesPart.objects.all(), ["id", "title"], not_live_fields=["id"]
        )
