"""“In these series”: any page's editor lists the series the page belongs to
(wagtail_series.admin.memberships, through the ``before_edit_page`` hook)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.admin.test_panels import add_link, make_page
from tests.conftest import add_part, make_series, reload
from tests.series_admin_helpers import SCRIPT_ESCAPED, SCRIPT_TITLE
from wagtail_series.admin.memberships import page_memberships

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def memberships_note(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("[data-series-memberships]")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def article(home):
    return make_page(home, "Elsewhere")


def test_a_page_linked_in_two_series_lists_both(admin_client, home, article):
    first = make_series(home, "Anthology")
    add_part(first, "Opening")
    add_link(first, "Elsewhere", article)
    # A series not published yet, where the page is not numbered (not announced, not live).
    second = make_series(home, "Drafts", live=False)
    add_link(second, "Later", article, live=False, announce_forthcoming=False)
    note = memberships_note(admin_client.get(edit_url(article)))
    assert note is not None
    assert text(note) == (
        "In these series: Anthology (linked, Part 2), Drafts (linked, not numbered: readers "
        "don't see it)"
    )
    assert [a["href"] for a in note.select("a")] == [edit_url(first), edit_url(second)]


def test_a_part_lists_its_series_first_then_those_linking_it(admin_client, home):
    own = make_series(home, "Own")
    add_part(own, "First")
    part = add_part(own, "Second")
    other = make_series(home, "Other")
    add_link(other, "Borrowed", part)
    note = memberships_note(admin_client.get(edit_url(part)))
    assert text(note) == "In these series: Own (Part 2), Other (linked, Part 1)"


def test_a_linked_part_itself_shows_its_series(admin_client, home, article):
    series = make_series(home, "Anthology")
    link = add_link(series, "Elsewhere", article)
    note = memberships_note(admin_client.get(edit_url(link)))
    assert text(note) == "In these series: Anthology (Part 1)"


def test_a_page_in_no_series_has_no_note_and_costs_one_query(
    admin_client, home, article, django_assert_num_queries
):
    assert memberships_note(admin_client.get(edit_url(article))) is None
    page = reload(article)
    with django_assert_num_queries(1):
        assert page_memberships(page) == []


def test_memberships_queries_do_not_grow_with_series(home, article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for i in range(3):
        series = make_series(home, f"Series {i}")
        add_part(series, "Own", state="live")
        add_link(series, "Link", article)
        page = reload(article)
        page_memberships(page)  # content types cached
        with CaptureQueriesContext(connection) as queries:
            assert len(page_memberships(page)) == i + 1
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_only_shown_on_get(admin_client, home, article):
    series = make_series(home, "Anthology")
    add_link(series, "Elsewhere", article)
    from tests.models.admin_helpers import post_edit

    response = post_edit(admin_client, reload(article), {})
    from django.contrib.messages import get_messages

    assert not any("In these series" in str(m.message) for m in get_messages(response.wsgi_request))


def test_series_titles_are_escaped(admin_client, home, article):
    series = make_series(home, SCRIPT_TITLE, slug="evil")
    add_link(series, "Elsewhere", article)
    html = admin_client.get(edit_url(article)).content.decode()
    note = memberships_note(admin_client.get(edit_url(article)))
    assert SCRIPT_TITLE not in html and SCRIPT_ESCAPED in html
    assert text(note).startswith("In these series: <script>")
