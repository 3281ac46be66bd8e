"""{% load wagtail_series %}: tags render the reader's view of the series, on any page."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from tests.conftest import add_part, make_series, reload, restrict
from tests.testapp.models import BlogPage

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return Template("{% load wagtail_series %}" + source).render(
        Context({"request": request, **context})
    )


@pytest.fixture
def memories_pages(memories):
    return memories()


def test_toc_on_a_part_marks_the_current_part_and_leaves_forthcoming_unlinked(memories_pages):
    rose = memories_pages["rose"]
    soup = BeautifulSoup(render("{% series_toc %}", page=rose), "html.parser")
    nav = soup.find("nav")
    assert nav["aria-labelledby"] == soup.find("h2")["id"]
    items = nav.find_all("li")
    assert [li.find(class_="series-toc__label").text for li in items] == [
        "Part 1:",
        "Part 2:",
        "Part 3:",
    ]
    current = items[0].find("a")
    assert current["aria-current"] == "page"
    assert current["href"] == "/memories/magnetic-rose/"
    assert items[1].find("a") is None and items[2].find("a") is None
    assert "A cold remedy goes very wrong." in items[1].text
    assert items[1].find("time")["datetime"] == "2027-01-15"
    assert "coming soon" in items[2].text


def test_toc_on_the_series_page_marks_nothing_current(memories_pages):
    soup = BeautifulSoup(render("{% series_toc %}", page=memories_pages["series"]), "html.parser")
    assert soup.find(attrs={"aria-current": True}) is None
    assert len(soup.find_all("li")) == 3


def test_tags_take_an_explicit_page(memories_pages, home):
    html = render("{% series_toc other %}", page=home, other=memories_pages["series"])
    assert "Magnetic Rose" in html


def test_part_label(memories_pages):
    html = render("{% series_part_label %}", page=memories_pages["rose"])
    text = " ".join(BeautifulSoup(html, "html.parser").text.split())
    assert text == "Part 1 of 3 in Memories"


def test_part_nav_links_only_published_parts(home):
    series = make_series(home, "Trilogy")
    one = add_part(series, "One")
    two = add_part(series, "Two")
    add_part(series, "Three", state="draft", forthcoming_teaser="t")
    soup = BeautifulSoup(render("{% series_part_nav %}", page=reload(two)), "html.parser")
    assert soup.find("nav")["aria-label"] == "Trilogy: previous and next"
    links = soup.find_all("a")
    assert [(a["rel"], a["href"]) for a in links] == [(["prev"], one.url)]
    assert "Next: Part 3: Three (coming soon" in " ".join(soup.text.split())


def test_head_links_and_json_ld_for_a_part(home):
    series = make_series(home, "Trilogy")
    one = add_part(series, "One")
    two = add_part(series, "Two")
    three = add_part(series, "Three")
    soup = BeautifulSoup(render("{% series_head %}", page=reload(two)), "html.parser")
    assert soup.find("link", rel="prev")["href"] == one.url
    assert soup.find("link", rel="next")["href"] == three.url
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "Article"
    assert data["position"] == 2
    assert data["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "Trilogy",
        "url": "http://localhost/trilogy/",
    }


def test_head_has_no_next_link_to_a_forthcoming_part(memories_pages):
    soup = BeautifulSoup(render("{% series_head %}", page=memories_pages["rose"]), "html.parser")
    assert soup.find("link", rel="next") is None
    assert soup.find("link", rel="prev") is None


def test_head_json_ld_for_a_series_lists_published_parts_only(memories_pages):
    soup = BeautifulSoup(render("{% series_head %}", page=memories_pages["series"]), "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "CreativeWorkSeries"
    assert [(p["name"], p["position"]) for p in data["hasPart"]] == [("Magnetic Rose", 1)]


def test_tags_render_nothing_without_a_series(home):
    lone = BlogPage(title="Lone post")
    home.add_child(instance=lone)
    for tag in ("series_toc", "series_part_label", "series_part_nav", "series_head"):
        assert render("{% " + tag + " %}", page=lone).strip() == "", tag
    assert render("{% series_toc %}", page=home).strip() == ""
    assert render("{% series_toc %}").strip() == ""  # no page in the context at all


def test_get_series_outline_and_position_for_custom_markup(memories_pages):
    html = render(
        "{% get_series_outline as o %}{% get_series_position as p %}"
        "{{ o.title }}|{{ o.published_count }}/{{ o.forthcoming_count }}|{{ p.summary }}",
        page=memories_pages["rose"],
    )
    assert html == "Memories|1/2|Part 1 of 3 in Memories"


def test_restricted_parts_are_not_in_the_anonymous_toc(home):
    series = make_series(home, "Trilogy")
    add_part(series, "One")
    restrict(add_part(series, "Members"), PageViewRestriction.LOGIN)
    html = render("{% series_toc %}", page=series)
    assert "One" in html and "Members" not in html


def test_includes_can_be_overridden_by_the_host_site(memories_pages, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [settings.BASE_DIR / "templates_override"]}
    ]
    html = render("{% series_part_label %}", page=memories_pages["rose"])
    assert html.strip() == '<p class="overridden">Part 1 / 3</p>'


# --- Issue 14, readers: dates, "delayed", "start reading" ---------------------------------------


def overdue_series(home):
    """A series with one published part, one overdue and one still expected."""
    import datetime as dt

    from django.utils import timezone

    series = make_series(home, "Late")
    one = add_part(series, "One")
    today = timezone.localdate()
    add_part(series, "Two", state="draft", expected_date=today - dt.timedelta(days=3))
    add_part(series, "Three", state="draft", expected_date=today)
    return series, reload(one)


def test_toc_says_delayed_for_an_overdue_part_not_a_past_date(home):
    series, one = overdue_series(home)
    soup = BeautifulSoup(render("{% series_toc %}", page=series), "html.parser")
    one_li, two, three = soup.find_all("li")
    assert two.find(class_="series-toc__badge--overdue").text == "delayed"
    assert "coming soon" not in two.text and "expected" not in two.text
    assert two.find("time") is None
    # Expected today is not late yet.
    assert "coming soon" in three.text and three.find("time") is not None


def test_overdue_wording_is_a_setting(home, settings):
    settings.WAGTAIL_SERIES = {"OVERDUE_LABEL": "running late"}
    series, one = overdue_series(home)
    soup = BeautifulSoup(render("{% series_toc %}", page=series), "html.parser")
    assert soup.find(class_="series-toc__badge--overdue").text == "running late"
    assert render("{% series_overdue_label %}") == "running late"


def test_overdue_wording_is_translated(home):
    from django.utils import translation

    series, one = overdue_series(home)
    with translation.override("fr"):
        soup = BeautifulSoup(render("{% series_toc %}", page=series), "html.parser")
    assert soup.find(class_="series-toc__badge--overdue").text == "en retard"


def test_part_nav_says_delayed_for_an_overdue_next_part(home):
    series, one = overdue_series(home)
    soup = BeautifulSoup(render("{% series_part_nav %}", page=one), "html.parser")
    assert "Next: Part 2: Two (delayed)" in " ".join(soup.text.split())
    assert soup.find("time") is None


def test_toc_shows_the_first_published_date_of_published_parts(home):
    series, one = overdue_series(home)
    soup = BeautifulSoup(render("{% series_toc %}", page=series), "html.parser")
    one_li, two, three = soup.find_all("li")
    time = one_li.find("time", class_="series-toc__date")
    assert time["datetime"] == one.first_published_at.isoformat()
    assert time.text == format(one.first_published_at)
    assert two.find(class_="series-toc__date") is None


def format(value) -> str:
    from django.utils import formats, timezone

    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def test_series_page_start_reading_links_the_first_published_part(client, home):
    series = make_series(home, "Start")
    add_part(series, "Prologue", state="draft")  # forthcoming: not where reading starts
    first = add_part(series, "First")
    add_part(series, "Second")
    soup = BeautifulSoup(client.get(series.url).content, "html.parser")
    link = soup.find("a", class_="series__start-link")
    assert link.text == "Start reading" and link["href"] == first.url


def test_series_page_has_no_start_reading_without_a_published_part(client, home):
    series = make_series(home, "Soon")
    add_part(series, "Prologue", state="draft")
    soup = BeautifulSoup(client.get(series.url).content, "html.parser")
    assert soup.find(class_="series__start") is None


# --- Issue 14, round 2: the heading of the series page's own table of contents ---------------


def test_the_toc_heading_links_to_the_series_except_on_the_series_page(memories_pages):
    from bs4 import BeautifulSoup

    series, rose = memories_pages["series"], memories_pages["rose"]
    on_series = BeautifulSoup(render("{% series_toc %}", page=series), "html.parser")
    heading = on_series.select_one(".series-toc__heading")
    assert heading.a is None and heading.get_text(strip=True) == "Memories"
    on_part = BeautifulSoup(render("{% series_toc %}", page=rose), "html.parser")
    assert on_part.select_one(".series-toc__heading a")["href"] == series.url
