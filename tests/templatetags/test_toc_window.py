"""Long series: the part page's table of contents is a window, the series page's is paginated."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.template import TemplateSyntaxError

from tests.conftest import add_part, make_series, reload
from tests.templatetags.test_wagtail_series import render

pytestmark = pytest.mark.django_db

PARTS = 30  # live parts 1-27, then three forthcoming ones


@pytest.fixture
def long_series(home):
    series = make_series(home, "Long")
    parts = [add_part(series, f"Chapter {n}", state="live") for n in range(1, PARTS - 2)]
    for n in range(PARTS - 2, PARTS + 1):
        add_part(series, f"Chapter {n}", state="draft", forthcoming_title=f"Soon {n}")
    return reload(series), [reload(p) for p in parts]


def labels(html: str) -> list[str]:
    """The TOC's items: entry labels ("Part 3"), a gap as "…"."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        "…" if "series-toc__gap" in li["class"] else li.find(class_="series-toc__label").text[:-1]
        for li in soup.select(".series-toc__list > li")
    ]


def test_a_part_page_shows_a_window_and_links_to_the_whole_table(client, long_series):
    series, parts = long_series
    response = client.get(parts[14].url)  # Part 15
    assert response.status_code == 200
    html = response.content.decode()
    assert labels(html) == [
        "Part 1", "Part 2", "Part 3", "…", "Part 13", "Part 14", "Part 15", "Part 16", "Part 17",
        "…", "Part 28", "Part 29", "Part 30",
    ]  # fmt: skip
    soup = BeautifulSoup(html, "html.parser")
    current = soup.select_one(".series-toc__entry--current")
    assert current["value"] == "15" and current.a["aria-current"] == "page"
    gaps = soup.select(".series-toc__gap")
    assert [gap["value"] for gap in gaps] == ["4", "18"]
    assert all(gap.a["href"] == series.url for gap in gaps)
    assert gaps[0].a["title"] == "9 more parts"
    full = soup.select_one(".series-toc__full a")
    assert full["href"] == series.url and full.text == "All 30 parts"
    # Forthcoming parts in the window are announced as on the series page, unlinked.
    forthcoming = soup.select(".series-toc__entry--forthcoming")
    assert [e.select_one(".series-toc__title").text for e in forthcoming] == [
        "Soon 28", "Soon 29", "Soon 30",
    ]  # fmt: skip
    assert not soup.select(".series-toc__entry--forthcoming a")


def test_the_window_is_configurable(client, long_series, settings):
    _, parts = long_series
    settings.WAGTAIL_SERIES = {"TOC_WINDOW": {"first": 1, "around": 0, "forthcoming": 0}}
    assert labels(client.get(parts[14].url).content.decode()) == [
        "Part 1", "…", "Part 15", "…", "Part 30",
    ]  # fmt: skip
    settings.WAGTAIL_SERIES = {"TOC_WINDOW": None}
    assert len(labels(client.get(parts[14].url).content.decode())) == PARTS


def test_the_tag_takes_a_window(long_series):
    _, parts = long_series
    html = render("{% series_toc window=w %}", page=parts[14], w={"first": 0, "last": 0})
    # (Part 30, alone between the forthcoming ones and the end, is shown rather than a gap.)
    assert labels(html) == [
        "…", "Part 13", "Part 14", "Part 15", "Part 16", "Part 17", "…", "Part 28", "Part 29",
        "Part 30",
    ]  # fmt: skip
    html = render("{% series_toc window=False %}", page=parts[14])
    assert len(labels(html)) == PARTS and "series-toc__full" not in html
    html = render(
        "{% get_series_toc window=w as items %}{{ items|length }} {{ items.1.is_gap }}",
        page=parts[14],
        w={"first": 1, "around": 0, "last": 0, "forthcoming": 0},
    )
    assert html == "4 True"  # Part 1, gap, Part 15, gap
    with pytest.raises(TemplateSyntaxError, match="window must be a dict or False"):
        render("{% series_toc window='wide' %}", page=parts[14])


def test_the_series_page_paginates_its_table_of_contents(client, long_series, settings):
    series, _ = long_series
    settings.WAGTAIL_SERIES = {"SERIES_PAGE_SIZE": 12}

    def get(query: str = ""):
        response = client.get(series.url + query)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        head = {
            rel: link["href"]
            for rel in ("canonical", "prev", "next")
            if (link := soup.head.find("link", rel=rel))
        }
        return labels(response.content.decode()), head, soup

    first, head, soup = get()
    assert first == [f"Part {n}" for n in range(1, 13)]
    assert head == {"canonical": series.url, "next": series.url + "?page=2"}
    assert soup.select_one(".series-toc__list")["start"] == "1"
    assert "Page 1 of 3" in soup.select_one(".series-toc__pages").text
    middle, head, soup = get("?page=2")
    assert middle == [f"Part {n}" for n in range(13, 25)]
    assert head == {
        "canonical": series.url + "?page=2",
        "prev": series.url,
        "next": series.url + "?page=3",
    }
    assert soup.select_one(".series-toc__list")["start"] == "13"
    last, head, _ = get("?page=3")
    assert last == [f"Part {n}" for n in range(25, 31)]
    assert head == {"canonical": series.url + "?page=3", "prev": series.url + "?page=2"}
    # As Django's Paginator.get_page: not a number gives the first page, out of range the last.
    assert get("?page=x")[:2] == (first, {"canonical": series.url, "next": series.url + "?page=2"})
    assert get("?page=99")[0] == last
    assert get("?page=0")[0] == last
    assert get("?page=-1")[0] == last


def test_a_series_page_that_fits_is_not_paginated(client, long_series, settings):
    series, _ = long_series
    settings.WAGTAIL_SERIES = {"SERIES_PAGE_SIZE": PARTS}
    html = client.get(series.url + "?page=2").content.decode()
    assert len(labels(html)) == PARTS
    assert 'rel="canonical"' not in html and "series-toc__pages" not in html
    settings.WAGTAIL_SERIES = {"SERIES_PAGE_SIZE": None}
    assert len(labels(client.get(series.url).content.decode())) == PARTS
