"""The Series area's "Add forthcoming part" action (wagtail_series.admin.views.parts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from tests.conftest import Page, add_part, make_series, reload
from tests.series_admin_helpers import (
    SCRIPT_ESCAPED,
    SCRIPT_TITLE,
    add_part_url,
    assert_permission_denied,
    make_editor,
    messages_of,
    series_index_url,
)
from tests.testapp.models import BlogPage
from wagtail_series import reader
from wagtail_series.models import SeriesPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(home):
    series = make_series(home, "Memories")
    add_part(series, "Magnetic Rose")
    return reload(series)


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="x")


def post(client, series, **data):
    data.setdefault("page_type", "wagtail_series.seriespart")
    return client.post(add_part_url(series), data)


def test_the_form_asks_for_title_teaser_and_expected_date(client, admin, series):
    client.force_login(admin)
    response = client.get(add_part_url(series))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == ["title", "teaser", "expected_date", "page_type"]
    assert form.fields["title"].required
    assert not form.fields["teaser"].required and not form.fields["expected_date"].required
    html = response.content.decode()
    assert "Part 2 for readers" in html
    assert 'href="/admin/wagtail_series/seriespage/"' in html  # cancel: back to the index


def test_adding_a_part_creates_an_announced_draft_and_logs_it(client, admin, series):
    client.force_login(admin)
    expected = timezone.localdate() + dt.timedelta(days=30)
    response = post(
        client, series, title="Stink Bomb", teaser="A cold remedy.", expected_date=expected
    )
    assert response.status_code == 302
    assert response["Location"] == series_index_url()

    part = SeriesPart.objects.get(title="Stink Bomb")
    assert reload(part).get_parent().pk == series.pk
    assert not part.live and part.announce_forthcoming and part.owner == admin
    assert (part.forthcoming_teaser, part.expected_date, part.slug) == (
        "A cold remedy.",
        expected,
        "stink-bomb",
    )
    revision = part.get_latest_revision()
    assert revision is not None and revision.user == admin
    assert revision.approved_go_live_at is None
    # As Wagtail's own "Save draft" of a new page logs it: created, then its first revision.
    logs = PageLogEntry.objects.filter(page=part).order_by("timestamp", "pk")
    assert [(log.action, log.user) for log in logs] == [
        ("wagtail.create", admin),
        ("wagtail.edit", admin),
    ]
    assert logs[1].revision == revision

    # Added at the end, and readers see it as forthcoming.
    entries = reader.get_series_outline(reload(series)).entries
    assert [(e.title, e.status.value) for e in entries] == [
        ("Magnetic Rose", "published"),
        ("Stink Bomb", "forthcoming"),
    ]
    assert entries[1].teaser == "A cold remedy." and entries[1].expected_date == expected
    ((level, text),) = messages_of(response)
    assert level == "success" and "Stink Bomb" in text and "announced, not published" in text


def test_a_past_expected_date_is_allowed_but_flagged(client, admin, series):
    client.force_login(admin)
    past = timezone.localdate() - dt.timedelta(days=2)
    response = post(client, series, title="Late", expected_date=past.isoformat())
    assert response.status_code == 302
    part = SeriesPart.objects.get(title="Late")
    assert part.expected_date == past
    levels = [level for level, _ in messages_of(response)]
    assert levels == ["success", "warning"]
    assert "in the past" in messages_of(response)[1][1]
    (entry,) = reader.get_editor_outline(reload(series)).overdue
    assert entry.page_id == part.pk


def test_today_is_not_flagged(client, admin, series):
    client.force_login(admin)
    response = post(client, series, title="Today", expected_date=timezone.localdate())
    assert [level for level, _ in messages_of(response)] == ["success"]


def test_a_missing_title_is_an_error(client, admin, series):
    client.force_login(admin)
    count = Page.objects.count()
    for title in ("", "   "):
        response = post(client, series, title=title, teaser="No title")
        assert response.status_code == 200
        assert response.context["form"].errors["title"] == ["Give the forthcoming part a title."]
        assert "Give the forthcoming part a title." in response.content.decode()
    assert Page.objects.count() == count


def test_a_bad_date_is_an_error(client, admin, series):
    client.force_login(admin)
    response = post(client, series, title="Soon", expected_date="not a date")
    assert response.status_code == 200
    assert "expected_date" in response.context["form"].errors
    assert not SeriesPart.objects.filter(title="Soon").exists()


def test_next_url_is_followed_when_it_is_local(client, admin, series):
    client.force_login(admin)
    index = series_index_url() + "?status=ongoing"
    response = client.post(
        f"{add_part_url(series)}?next={index.replace('?', '%3F').replace('=', '%3D')}",
        {"title": "A", "page_type": "wagtail_series.seriespart"},
    )
    assert response["Location"] == index
    response = client.post(
        f"{add_part_url(series)}?next=https://evil.example/",
        {"title": "B", "page_type": "wagtail_series.seriespart"},
    )
    assert response["Location"] == series_index_url()


def test_the_page_type_can_be_chosen_when_several_are_allowed(client, admin, series):
    client.force_login(admin)
    post(client, series, title="As a blog post", page_type="testapp.blogpage")
    part = BlogPage.objects.get(title="As a blog post")
    assert not part.live and part.announce_forthcoming
    response = post(client, series, title="Nope", page_type="wagtailcore.page")
    assert "page_type" in response.context["form"].errors


def test_a_title_without_letters_still_gets_a_slug(client, admin, series):
    client.force_login(admin)
    post(client, series, title="???")
    post(client, series, title="!!!")
    slugs = sorted(
        SeriesPart.objects.filter(title__in=["???", "!!!"]).values_list("slug", flat=True)
    )
    assert slugs == ["part", "part-1"]


def test_the_same_title_twice_gets_a_fresh_slug(client, admin, series):
    client.force_login(admin)
    post(client, series, title="Encore")
    post(client, series, title="Encore")
    assert sorted(SeriesPart.objects.filter(title="Encore").values_list("slug", flat=True)) == [
        "encore",
        "encore-2",
    ]


# --- Permissions -------------------------------------------------------------------------------


def test_editors_need_add_permission_on_that_very_series(client, home, series):
    other = make_series(home, "Other")
    adder = make_editor("adder", {series: ("add",)})
    changer = make_editor("changer", {series: ("change", "publish")})
    client.force_login(adder)
    assert client.get(add_part_url(series)).status_code == 200
    assert post(client, series, title="Mine").status_code == 302
    # Another series' id in the URL: refused, nothing created.
    assert_permission_denied(client.get(add_part_url(other)))
    assert_permission_denied(post(client, other, title="Not mine"))
    client.force_login(changer)
    assert_permission_denied(client.get(add_part_url(series)))
    assert_permission_denied(post(client, series, title="Not allowed"))
    assert set(SeriesPart.objects.values_list("title", flat=True)) == {"Magnetic Rose", "Mine"}


def test_only_series_can_get_parts(client, admin, home, series):
    client.force_login(admin)
    part = SeriesPart.objects.get(title="Magnetic Rose")
    for page_id in (part.pk, home.pk, 999_999):
        url = reverse("wagtail_series_admin:add_forthcoming_part", args=[page_id])
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "x"}).status_code == 404
    assert client.get("/admin/series/not-a-number/add-forthcoming-part/").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, series):
    response = client.get(add_part_url(series))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.post(add_part_url(series), {"title": "x"}).status_code == 302
    assert not SeriesPart.objects.filter(title="x").exists()


# --- Escaping ----------------------------------------------------------------------------------


def test_titles_are_escaped_in_the_form_and_the_messages(client, admin, home):
    client.force_login(admin)
    series = make_series(home, SCRIPT_TITLE, slug="evil")
    add_part(series, SCRIPT_TITLE, slug="evil-part")
    response = client.get(add_part_url(series))
    html = response.content.decode()
    assert SCRIPT_TITLE not in html and SCRIPT_ESCAPED in html
    response = post(client, series, title=SCRIPT_TITLE + " 2", teaser=SCRIPT_TITLE)
    assert response.status_code == 302
    index = client.get(response["Location"]).content.decode()
    assert SCRIPT_TITLE not in index
    assert "&lt;script&gt;" in index


def test_a_collision_in_the_tree_is_reported_not_a_500(client, admin, series, monkeypatch):
    # Two pages created under one parent at the same moment can collide on treebeard's path.
    from django.db import IntegrityError

    from wagtail_series.admin.views import parts

    def collide(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: wagtailcore_page.path")

    monkeypatch.setattr(parts, "create_forthcoming_part", collide)
    client.force_login(admin)
    response = post(client, series, title="Simultaneous")
    assert response.status_code == 200
    assert "at the same time" in response.content.decode()
    assert not SeriesPart.objects.filter(title="Simultaneous").exists()
