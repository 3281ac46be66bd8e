"""A forthcoming part's URL shows its announcement (wagtail_series.announcement)."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.conftest import add_part, make_series, publish, reload, restrict, rich_text_paragraph
from tests.test_query_counts import build_series

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def part_url(series, slug: str) -> str:
    return f"{series.url}{slug}/"


@pytest.fixture
def site(home, canary):
    """Part 1 published; Part 2 announced (its draft full of canaries); an unannounced draft and
    a private announced part, both full of canaries; Part 3 announced, overdue."""
    series = make_series(home, "Memories", planned_parts=5)
    add_part(series, "Magnetic Rose")
    canaries = {}

    def draft(title_slug: str, **fields):
        title = canary(f"{title_slug} title")
        intro = canary(f"{title_slug} intro")
        body = canary(f"{title_slug} body")
        canaries[title_slug] = [title, intro, body]
        return add_part(
            series,
            title,
            state="draft",
            slug=title_slug,
            intro=intro,
            body=rich_text_paragraph(f"<p>{body}</p>"),
            **fields,
        )

    draft(
        "stink-bomb",
        forthcoming_title="Stink Bomb",
        forthcoming_teaser="A cold remedy goes very wrong.",
        expected_date=TODAY + dt.timedelta(days=20),
    )
    draft("unannounced", announce_forthcoming=False)
    restrict(draft("private", forthcoming_title="Members only"), PageViewRestriction.PASSWORD)
    draft("cannon", forthcoming_title="Cannon Fodder", expected_date=TODAY - dt.timedelta(days=3))
    return {"series": reload(series), "canaries": canaries}


def test_the_announcement_shows_what_readers_may_see(client, site):
    series = site["series"]
    response = client.get(part_url(series, "stink-bomb"))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    assert soup.h1.get_text(strip=True) == "Stink Bomb"
    label = " ".join(soup.select_one(".series-part-label").get_text(" ").split())
    assert label == "Part 2 of 5 in Memories"
    assert "A cold remedy goes very wrong." in soup.select_one(".series-announcement__teaser").text
    expected = TODAY + dt.timedelta(days=20)
    assert soup.select_one(".series-announcement__expected time")["datetime"] == str(expected)
    assert "coming soon" in soup.select_one(".series-announcement__status").text
    # The series' table of contents, this part marked as the current one.
    toc = soup.select_one(".series-toc")
    assert [e.select_one(".series-toc__title").text for e in toc.select("li")] == [
        "Magnetic Rose",
        "Stink Bomb",
        "Cannon Fodder",
    ]
    current = toc.select_one(".series-toc__entry--current")
    assert current.select_one("[aria-current=page]").text == "Stink Bomb"
    assert toc.select_one(".series-toc__heading a")["href"] == series.url
    assert soup.title.get_text(strip=True).startswith("Part 2: Stink Bomb")
    # The series' cache tag: purged with the series.
    assert response["Cache-Tag"] == f"wagtail-series-{series.pk}"


def test_never_the_drafts_content(client, site):
    html = client.get(part_url(site["series"], "stink-bomb")).content.decode()
    for canaries in site["canaries"].values():
        for text in canaries:
            assert text not in html


@pytest.mark.parametrize("slug", ["unannounced", "private", "nothing-here"])
def test_parts_readers_dont_see_are_still_a_404(client, site, slug):
    response = client.get(part_url(site["series"], slug))
    assert response.status_code == 404
    html = response.content.decode()
    for canaries in site["canaries"].values():
        for text in canaries:
            assert text not in html


def test_an_overdue_part_reads_delayed(client, site):
    soup = BeautifulSoup(client.get(part_url(site["series"], "cannon")).content, "html.parser")
    assert soup.h1.text == "Cannon Fodder"
    assert "delayed" in soup.select_one(".series-announcement__status").text
    assert soup.select_one(".series-announcement__expected") is None


def test_paths_below_a_forthcoming_part_are_a_404(client, site):
    assert client.get(part_url(site["series"], "stink-bomb") + "more/").status_code == 404


def test_the_setting_turns_it_off(client, site, settings):
    settings.WAGTAIL_SERIES = {"FORTHCOMING_PART_PAGE": False}
    assert client.get(part_url(site["series"], "stink-bomb")).status_code == 404


def test_once_published_the_url_serves_the_part(client, site):
    series = site["series"]
    part = series.get_children().get(slug="stink-bomb")
    publish(part)
    response = client.get(part_url(series, "stink-bomb"))
    assert response.status_code == 200 and "X-Robots-Tag" not in response
    assert site["canaries"]["stink-bomb"][2] in response.content.decode()


def test_a_series_readers_dont_see_has_no_announcements(client, home):
    series = make_series(home, "Unpublished", live=False)
    add_part(series, "Soon", state="draft")
    assert client.get(f"{series.url or '/unpublished/'}soon/").status_code == 404


def test_a_private_series_shows_announcements_only_to_those_who_pass(client, site):
    series = site["series"]
    restriction = restrict(series, PageViewRestriction.PASSWORD, password="secret")
    response = client.get(part_url(series, "stink-bomb"))
    assert response.status_code == 404 and b"Stink Bomb" not in response.content
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    response = client.get(part_url(series, "stink-bomb"))
    assert response.status_code == 200 and b"Stink Bomb" in response.content


def test_the_template_can_be_overridden(client, site, settings, tmp_path):
    folder = tmp_path / "wagtail_series"
    folder.mkdir()
    (folder / "forthcoming_part.html").write_text("<p>Soon: {{ entry.title }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    response = client.get(part_url(site["series"], "stink-bomb"))
    assert response.content.decode().strip() == "<p>Soon: Stink Bomb</p>"


# The series page's queries (tests.test_query_counts), plus Wagtail's routing to the child (the
# page and its specific row, before its 404) and the slug's page id: the same for 3 and 300 parts.
ANNOUNCEMENT_QUERIES = 13


@pytest.mark.parametrize("parts", [3, 300])
def test_queries_do_not_grow_with_the_series(home, client, parts, django_assert_num_queries):
    series, _ = build_series(home, parts)
    url = part_url(series, "coming")
    client.get(url)
    with django_assert_num_queries(ANNOUNCEMENT_QUERIES):
        response = client.get(url)
    assert response.status_code == 200 and b"Soon." in response.content
