"""End to end: the example site, run in subprocesses the way a person would run it.

``manage.py migrate``, ``load_demo`` twice, ``runserver``; then Part 1 of "Memories" is read over
HTTP before and after Part 2 is published from another process. Nothing here imports the example
site: the suite's own settings stay those of ``tests.settings``.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from tests.example_site_runner import last_json_line, manage, runserver, sqlite_site

PART_1 = "/memories/magnetic-rose/"
PART_2 = "/memories/stink-bomb/"
BEST_OF = "/best-of-otomo/"
REVIEW = "/akira-review/"

STINK_BOMB_TEASER = "A junior researcher takes the wrong pill for his cold"
CANNON_FODDER_TEASER = "One ordinary day in a city whose whole life is loading"
DRAFT_ONLY_TEXT = ("Draft: notes", "The middle short plays a catastrophe")

COUNTS_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site
from example_site.home.models import HomePage
from wagtail_series.models import SeriesPage, SeriesPart

site = Site.objects.get(is_default_site=True)
print(json.dumps({
    "sites": Site.objects.count(),
    "site_root_is_home": site.root_page.specific_class is HomePage,
    "pages_under_tree_root": Page.objects.filter(depth=2).count(),
    "home_pages": HomePage.objects.count(),
    "series": SeriesPage.objects.count(),
    "parts": SeriesPart.objects.count(),
    "part_slugs": list(SeriesPart.objects.order_by("path").values_list("slug", flat=True)),
    "live_parts": list(SeriesPart.objects.live().values_list("slug", flat=True)),
    "admin_users": get_user_model().objects.filter(username="admin", is_superuser=True).count(),
}))
"""

# As an editor's Publish button: re-fetch the page, publish its latest revision.
PUBLISH_STINK_BOMB = """
from wagtail_series.models import SeriesPart
page = SeriesPart.objects.get(slug="stink-bomb")
page.get_latest_revision().publish()
print("published", SeriesPart.objects.get(pk=page.pk).live)
"""


@dataclass
class DemoSite:
    base_url: str
    env: dict[str, str]
    load_demo_outputs: list[str]
    counts: dict


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    tmp = tmp_path_factory.mktemp("example_site")
    port, base_url, env = sqlite_site(tmp)
    manage(env, "migrate", "--noinput")
    outputs = [manage(env, "load_demo"), manage(env, "load_demo")]
    counts = last_json_line(manage(env, "shell", "-c", COUNTS_SCRIPT))
    with runserver(env, port, tmp / "runserver.log"):
        yield DemoSite(base_url=base_url, env=env, load_demo_outputs=outputs, counts=counts)


def fetch(site: DemoSite, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(site.base_url + path, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def text_of(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def toc_entries(soup: BeautifulSoup) -> dict[str, Tag]:
    return {
        text_of(li.select_one(".series-toc__title")): li
        for li in soup.select("nav.series-toc li.series-toc__entry")
    }


def body_links(soup: BeautifulSoup) -> dict[str, Tag]:
    """The body's links by their visible text (without the screen-reader-only "(coming soon)")."""
    links = {}
    for a in soup.select(".series-part__body a"):
        hidden = " ".join(text_of(span) for span in a.select(".series-visually-hidden"))
        links[text_of(a).removeprefix(hidden).strip()] = a
    return links


def test_load_demo_is_idempotent(demo_site: DemoSite) -> None:
    first, second = demo_site.load_demo_outputs
    assert "home page: created" in first
    assert "created, published and moved first" in first
    # The second run creates nothing and changes nothing.
    second_actions = [line for line in second.splitlines() if line.startswith("  - ")]
    assert len(second_actions) == 9
    assert all("already" in line and "left as it is" in line for line in second_actions)
    assert demo_site.counts == {
        "sites": 1,
        "site_root_is_home": True,
        "pages_under_tree_root": 1,  # Wagtail's welcome page is gone
        "home_pages": 1,
        "series": 2,  # Memories and Best of Otomo (linked parts)
        "parts": 3,
        "part_slugs": ["magnetic-rose", "stink-bomb", "cannon-fodder"],
        "live_parts": ["magnetic-rose"],
        "admin_users": 1,
    }


def test_home_page_lists_the_series_and_static_files_are_served(demo_site: DemoSite) -> None:
    status, html = fetch(demo_site, "/")
    assert status == 200
    soup = BeautifulSoup(html, "html.parser")
    assert [a["href"] for a in soup.select(".series-list a")] == ["/best-of-otomo/", "/memories/"]
    assert soup.select_one(".site-header") is not None
    for css in ("/static/wagtail_series/series.css", "/static/example_site/demo.css"):
        assert fetch(demo_site, css)[0] == 200, css


NOINDEX = '<meta name="robots" content="noindex">'


def is_announcement(site: DemoSite, path: str) -> bool:
    """A forthcoming part's URL: its announcement (noindex), not the page itself."""
    status, html = fetch(site, path)
    return status == 200 and NOINDEX in html


def labels(html: str) -> list[str]:
    return [text_of(p) for p in BeautifulSoup(html, "html.parser").select(".series-part-label")]


def best_of_entries(demo_site: DemoSite) -> dict[str, Any]:
    status, html = fetch(demo_site, BEST_OF)
    assert status == 200
    return toc_entries(BeautifulSoup(html, "html.parser"))


def test_forthcoming_parts_link_themselves_once_published(demo_site: DemoSite) -> None:
    status, html = fetch(demo_site, PART_1)
    assert status == 200
    soup = BeautifulSoup(html, "html.parser")
    assert text_of(soup.select_one(".series-part-label")) == "Part 1 of 3 in Memories"
    # Part 1 is linked in "Best of Otomo" too (issue 13): its page shows both series.
    assert labels(html) == ["Part 1 of 3 in Memories", "Pick 1 of 4 in Best of Otomo"]
    # A standalone review, outside any series, shows its place without having moved.
    status, html = fetch(demo_site, REVIEW)
    assert status == 200 and labels(html) == ["Pick 2 of 4 in Best of Otomo"]
    best_of = best_of_entries(demo_site)
    assert list(best_of) == ["Magnetic Rose", "Akira (1988): a review", "Stink Bomb", "Steamboy"]
    assert best_of["Stink Bomb"].select("a[href]") == []
    assert best_of["Steamboy"].select("a[href]") == []  # a placeholder: no page yet

    toc = toc_entries(soup)
    assert list(toc) == ["Magnetic Rose", "Stink Bomb", "Cannon Fodder"]
    for title, teaser in (
        ("Stink Bomb", STINK_BOMB_TEASER),
        ("Cannon Fodder", CANNON_FODDER_TEASER),
    ):
        entry = toc[title]
        assert "series-toc__entry--forthcoming" in entry["class"]
        assert entry.select("a[href]") == [], f"{title} is not published: no link"
        assert teaser in text_of(entry)
        assert "coming soon" in text_of(entry)

    links = body_links(soup)
    for title in ("Stink Bomb", "Cannon Fodder"):
        assert links[title]["class"] == ["series-forthcoming-link"]
        assert not links[title].has_attr("href")
    for draft_text in DRAFT_ONLY_TEXT:
        assert draft_text not in html
    assert is_announcement(demo_site, PART_2)

    output = manage(demo_site.env, "shell", "-c", PUBLISH_STINK_BOMB)
    assert "published True" in output

    status, html = fetch(demo_site, PART_1)
    assert status == 200
    soup = BeautifulSoup(html, "html.parser")
    assert text_of(soup.select_one(".series-part-label")) == "Part 1 of 3 in Memories"
    toc = toc_entries(soup)
    assert [a["href"] for a in toc["Stink Bomb"].select("a[href]")] == [PART_2]
    assert toc["Cannon Fodder"].select("a[href]") == []
    assert CANNON_FODDER_TEASER in text_of(toc["Cannon Fodder"])

    links = body_links(soup)
    assert links["Stink Bomb"].get("href") == PART_2
    assert "series-forthcoming-link" not in links["Stink Bomb"].get("class", [])
    assert links["Cannon Fodder"]["class"] == ["series-forthcoming-link"]
    assert not links["Cannon Fodder"].has_attr("href")

    status, html = fetch(demo_site, PART_2)
    assert status == 200
    label = text_of(BeautifulSoup(html, "html.parser").select_one(".series-part-label"))
    assert label == "Part 2 of 3 in Memories"
    # ... and in "Best of Otomo", which links it, with no edit to that series.
    assert labels(html) == ["Part 2 of 3 in Memories", "Pick 3 of 4 in Best of Otomo"]
    best_of = best_of_entries(demo_site)
    assert [a["href"] for a in best_of["Stink Bomb"].select("a[href]")] == [PART_2]
    assert best_of["Steamboy"].select("a[href]") == []
    status, feed = fetch(demo_site, BEST_OF + "feed/")
    assert status == 200 and PART_2 in feed


def test_demo_admin_can_log_in(demo_site: DemoSite) -> None:
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    login_url = f"{demo_site.base_url}/admin/login/"
    with opener.open(login_url, timeout=10) as response:
        assert response.status == 200
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": "admin",
            "password": "changeme",
            "next": "/admin/",
        }
    ).encode()
    # A successful login redirects to the dashboard; a failed one shows the form again.
    with opener.open(login_url, data=form, timeout=10) as response:
        assert response.status == 200
        assert urllib.parse.urlsplit(response.url).path == "/admin/"
    assert "sessionid" in {cookie.name for cookie in cookies}


# --- The multilingual demo (WAGTAIL_SERIES_DEMO_LANGUAGES=en,fr) ------------------------------

FR_PART_1 = "/fr/souvenirs/la-rose-magnetique/"
FR_PART_2 = "/fr/souvenirs/boule-puante/"

PUBLISH_FRENCH_STINK_BOMB = """
from wagtail_series.models import SeriesPart
page = SeriesPart.objects.get(slug="boule-puante", locale__language_code="fr")
page.get_latest_revision().publish()
print("published", SeriesPart.objects.get(pk=page.pk).live)
"""


@pytest.fixture(scope="module")
def french_demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    tmp = tmp_path_factory.mktemp("example_site_fr")
    port, base_url, env = sqlite_site(tmp, WAGTAIL_SERIES_DEMO_LANGUAGES="en,fr")
    manage(env, "migrate", "--noinput")
    outputs = [manage(env, "load_demo"), manage(env, "load_demo")]
    counts = last_json_line(manage(env, "shell", "-c", COUNTS_SCRIPT))
    with runserver(env, port, tmp / "runserver.log"):
        yield DemoSite(base_url=base_url, env=env, load_demo_outputs=outputs, counts=counts)


def test_french_load_demo_is_idempotent(french_demo_site: DemoSite) -> None:
    first, second = french_demo_site.load_demo_outputs
    assert "part 'La Rose magnétique': translated, published and moved first" in first
    assert f"http://127.0.0.1:{urllib.parse.urlsplit(french_demo_site.base_url).port}" in first
    assert FR_PART_1 in first
    second_actions = [line for line in second.splitlines() if line.startswith("  - ")]
    # The English run's 9, then the French locale, home page, series and three parts.
    assert len(second_actions) == 15
    assert all("already" in line and "left as it is" in line for line in second_actions)
    counts = french_demo_site.counts
    assert (counts["home_pages"], counts["series"], counts["parts"]) == (2, 3, 6)
    assert counts["part_slugs"] == [
        "magnetic-rose",
        "stink-bomb",
        "cannon-fodder",
        "la-rose-magnetique",
        "boule-puante",
        "chair-a-canon",
    ]
    assert sorted(counts["live_parts"]) == ["la-rose-magnetique", "magnetic-rose"]


def test_french_pages_api_and_links(french_demo_site: DemoSite) -> None:
    site = french_demo_site
    status, html = fetch(site, "/fr/")
    assert status == 200
    soup = BeautifulSoup(html, "html.parser")
    assert [a["href"] for a in soup.select(".series-list a")] == ["/fr/souvenirs/"]

    status, html = fetch(site, FR_PART_1)
    assert status == 200
    soup = BeautifulSoup(html, "html.parser")
    # The package's French catalog, with the French series' own part label.
    assert text_of(soup.select_one(".series-part-label")) == "Partie 1 sur 3 de Souvenirs"
    assert list(toc_entries(soup)) == ["La Rose magnétique", "Boule puante", "Chair à canon"]
    links = body_links(soup)
    for title in ("Boule puante", "Chair à canon"):
        assert links[title]["class"] == ["series-forthcoming-link"]
        assert not links[title].has_attr("href")
    assert "Magnetic Rose" not in html and "Stink Bomb" not in html

    status, body = fetch(site, "/api/v2/series/?locale=fr")
    assert status == 200
    assert [item["title"] for item in json.loads(body)["items"]] == ["Souvenirs"]

    # The site-wide feed under /fr/ (i18n_patterns) and the French series' own feed.
    for path in ("/fr/series/feed/", "/fr/souvenirs/feed/"):
        status, feed = fetch(site, path)
        assert status == 200, path
        assert "<language>fr</language>" in feed and "La Rose magnétique" in feed, path
        assert "Magnetic Rose" not in feed, path

    assert is_announcement(site, FR_PART_2)
    output = manage(site.env, "shell", "-c", PUBLISH_FRENCH_STINK_BOMB)
    assert "published True" in output

    soup = BeautifulSoup(fetch(site, FR_PART_1)[1], "html.parser")
    assert body_links(soup)["Boule puante"].get("href") == FR_PART_2
    assert body_links(soup)["Chair à canon"]["class"] == ["series-forthcoming-link"]
    status, html = fetch(site, FR_PART_2)
    assert status == 200 and NOINDEX not in html

    # The English Part 2 is still a draft: only the French links turned into links.
    soup = BeautifulSoup(fetch(site, PART_1)[1], "html.parser")
    assert text_of(soup.select_one(".series-part-label")) == "Part 1 of 3 in Memories"
    links = body_links(soup)
    assert links["Stink Bomb"]["class"] == ["series-forthcoming-link"]
    assert not links["Stink Bomb"].has_attr("href")
    assert toc_entries(soup)["Stink Bomb"].select("a[href]") == []
    assert is_announcement(site, PART_2)
