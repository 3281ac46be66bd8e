"""View restrictions, visible series and the series above a part (``reader.visibility``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.conftest import (
    Page,
    add_part,
    make_series,
    reload,
    restrict,
)
from tests.reader.conftest import make_request, titles
from tests.testapp.models import BlogPage
from wagtail_series import reader
from wagtail_series.models import SeriesPage, SeriesPart

pytestmark = pytest.mark.django_db


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


def test_get_parent_series_finds_draft_series_too(home):
    draft = make_series(home, "Unreleased", live=False)
    part = add_part(draft, "One", state="draft")
    assert reader.get_parent_series(reload(part)) == draft
    assert reader.get_series_for_part(reload(part)) is None  # readers: no live series
    lone = BlogPage(title="Standalone")
    home.add_child(instance=lone)
    assert reader.get_parent_series(lone) is None
    assert reader.get_parent_series(reload(draft)) is None  # a series is not a part


# --- Who counts as anonymous -----------------------------------------------------------------


def test_viewer_key_is_public_for_anonymous_readers_only(django_user_model):
    assert reader.is_anonymous(make_request())
    assert reader.viewer_key(make_request()) == reader.PUBLIC_VIEWER
    bare = RequestFactory().get("/")  # no session, no user (middleware not run)
    assert reader.is_anonymous(bare) and reader.viewer_key(bare) == reader.PUBLIC_VIEWER

    session = SessionStore()
    session[PageViewRestriction.passed_view_restrictions_session_key] = [7, 3]
    passed = make_request(session=session)
    assert not reader.is_anonymous(passed)
    assert reader.viewer_key(passed) == "user::False:[]:[3, 7]"

    club = Group.objects.create(name="Film club")
    user = django_user_model.objects.create_user("u", password="x")
    user.groups.add(club)
    assert not reader.is_anonymous(make_request(user))
    assert reader.viewer_key(make_request(user)) == f"user:{user.pk}:False:[{club.pk}]:[]"
    admin = django_user_model.objects.create_superuser("a", password="x")
    assert reader.viewer_key(make_request(admin)) == f"user:{admin.pk}:True:[]:[]"


# --- Public series and pages -----------------------------------------------------------------


def test_series_is_public_is_memoised_on_the_request(
    series, django_user_model, django_assert_num_queries
):
    request = make_request(django_user_model.objects.create_user("u", password="x"))
    assert reader.series_is_public(series, request)
    with django_assert_num_queries(0):
        assert reader.series_is_public(series, request)
    restrict(series, PageViewRestriction.LOGIN)
    assert reader.series_is_public(series, request)  # (as memoised for this request)
    assert not reader.series_is_public(reload(series), make_request(request.user))
    assert not reader.series_is_public(reload(series), make_request())
    assert not reader.series_is_public(reload(series), None)


def test_page_is_visible_outside_a_series(
    home, series, django_user_model, django_assert_num_queries
):
    public = BlogPage(title="Public post", slug="public-post", live=True)
    home.add_child(instance=public)
    members = BlogPage(title="Members post", slug="members-post", live=True)
    home.add_child(instance=members)
    restrict(members, PageViewRestriction.LOGIN)
    draft = BlogPage(title="Draft post", slug="draft-post", live=False)
    home.add_child(instance=draft)
    user = make_request(django_user_model.objects.create_user("u", password="x"))
    anonymous = make_request()

    assert reader.page_is_visible(public, anonymous) and reader.page_is_visible(public, None)
    assert not reader.page_is_visible(members, anonymous)
    assert not reader.page_is_visible(members, None)
    assert reader.page_is_visible(members, user)
    assert not reader.page_is_visible(draft, user)
    with django_assert_num_queries(0):  # memoised on the request
        assert not reader.page_is_visible(members, anonymous)
    # A series: as series_is_visible says.
    assert reader.page_is_visible(series, anonymous)
    restrict(series, PageViewRestriction.LOGIN)
    assert not reader.page_is_visible(reload(series), make_request())
    assert reader.page_is_visible(reload(series), make_request(user.user))


def test_latest_public_part_dates_ignore_private_and_unpublished_parts(home):
    series = make_series(home, "Dated")
    public = add_part(series, "Public", state="live")
    private = add_part(series, "Private", state="live")
    restrict(private, PageViewRestriction.LOGIN)
    gone = add_part(series, "Unpublished", state="live")
    empty = make_series(home, "Empty")
    now = timezone.now()
    dates = {public: now - dt.timedelta(days=3), private: now, gone: now}
    for page, when in dates.items():
        type(page).objects.filter(pk=page.pk).update(first_published_at=when)
    type(gone).objects.filter(pk=gone.pk).update(live=False)

    latest = reader.latest_public_part_dates([series.pk, empty.pk, 10**9])
    # A series with no public live part: None; an id of no page: absent.
    assert latest == {series.pk: dates[public], empty.pk: None}


def test_latest_public_part_dates_read_many_series_in_one_query(home, django_assert_num_queries):
    many = [make_series(home, f"Many {number}") for number in range(3)]
    for series in many:
        add_part(series, "One", state="live")
    ids = [series.pk for series in many]
    with django_assert_num_queries(1):
        latest = reader.latest_public_part_dates(ids)
    assert set(latest) == set(ids) and all(latest.values())


@pytest.mark.parametrize(
    ("before", "after", "created", "change"),
    [
        pytest.param(None, (True, 1), True, "joined", id="created"),
        pytest.param(None, (True, 1), False, "any", id="unknown-before"),
        pytest.param((False, None), (False, None), False, "unchanged", id="draft-saved"),
        pytest.param((True, 1), (True, 1), False, "unchanged", id="live-resaved"),
        pytest.param((False, None), (True, 1), False, "joined", id="published"),
        pytest.param((False, 1), (True, 1), False, "joined", id="republished"),
        pytest.param((True, 1), (False, 1), False, "any", id="unpublished"),
        pytest.param((True, 2), (True, 1), False, "any", id="redated"),
    ],
)
def test_latest_part_date_change_says_what_a_save_can_do_to_the_listing_date(
    before, after, created, change
):
    day = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

    def fields(values):
        live, days = values
        return {"live": live, "first_published_at": day + dt.timedelta(days=days) if days else None}

    part = SeriesPart(title="Part", **fields(after))
    previous = fields(before) if before else None
    assert reader.latest_part_date_change(previous, part, created=created) == change


def test_counted_part_date_is_the_date_the_rule_counts(series):
    public, private, draft = (
        add_part(series, "Public", state="live"),
        add_part(series, "Private", state="live"),
        add_part(series, "Draft", state="draft"),
    )
    restrict(private, PageViewRestriction.LOGIN)

    def counted(page):
        date, where = reader.counted_part_date(page)
        return date if SeriesPage.objects.filter(where, pk=series.pk).exists() else None

    assert counted(public) == public.first_published_at
    assert counted(private) is None and counted(draft) is None
    assert reader.counted_part_date(series)[0] is None  # no part


def test_a_parent_series_is_looked_up_once_per_memo(series, django_assert_num_queries):
    part = add_part(series, "Part", state="live")
    memo: dict = {}
    with django_assert_num_queries(1):
        assert reader.get_parent_series(part, memo=memo).pk == series.pk
        assert reader.get_parent_series(part, memo=memo).pk == series.pk
    with django_assert_num_queries(1):  # no memo: every call looks
        reader.get_parent_series(part)
