"""Read-only editor panels (wagtail_series.admin.panels): a series' parts, a part's place in it."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from wagtail.models import PageViewRestriction

from tests.conftest import add_part, make_series, reload, restrict
from tests.models.admin_helpers import add_url, edit_url, post_edit
from tests.reader.conftest import schedule
from tests.series_admin_helpers import SCRIPT_ESCAPED, SCRIPT_TITLE, add_part_url, make_editor
from tests.testapp.models import BlogPage
from wagtail_series.models import SeriesPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def panel(response, selector: str):
    assert response.status_code == 200
    node = BeautifulSoup(response.content, "html.parser").select_one(selector)
    assert node is not None, f"no {selector}"
    return node


@pytest.fixture
def series(home):
    series = make_series(home, "Memories", planned_parts=5)
    add_part(series, "Magnetic Rose")
    scheduled = add_part(series, "Stink Bomb", state="draft")
    schedule(scheduled, timezone.now() + dt.timedelta(days=2))
    add_part(
        series,
        "Cannon Fodder",
        state="draft",
        forthcoming_title="The last short",
        forthcoming_teaser="A city of guns.",
        expected_date=dt.date(2099, 3, 1),
    )
    add_part(series, "Notes", state="draft", announce_forthcoming=False)
    restrict(add_part(series, "Members"), PageViewRestriction.LOGIN)
    return reload(series)


def test_series_editor_shows_every_part_with_its_state(admin_client, series):
    contents = panel(admin_client.get(edit_url(series)), "[data-series-contents]")
    assert "2 published, 2 forthcoming, 1 hidden; 5 planned" in text(contents)
    rows = [[text(td) for td in tr.find_all("td")] for tr in contents.select("tbody tr")]

    def title(row):
        return row[1].split(" announced")[0].removesuffix(" no content yet")

    assert [(r[0], title(r), r[2].split(" ")[0]) for r in rows] == [
        ("Part 1", "Magnetic Rose", "published"),
        ("Part 2", "Stink Bomb", "scheduled"),
        ("Part 3", "Cannon Fodder", "forthcoming"),
        ("–", "Notes", "hidden"),
        ("–", "Members", "private"),
    ]
    assert rows[1][2].startswith("scheduled for ")
    assert "announced as “The last short”" in rows[2][1]
    assert rows[2][3] == "expected " + formats.date_format(dt.date(2099, 3, 1), "DATE_FORMAT")
    assert rows[4][2] == "private published"
    links = [a["href"] for a in contents.select("tbody a[href]")]
    assert links[0] == reverse("wagtailadmin_pages:edit", args=[series.get_children().first().pk])
    assert contents.select_one(f'a[href^="{add_part_url(series)}?next="]') is not None
    add_subpage = reverse("wagtailadmin_pages:add_subpage", args=[series.pk])
    assert contents.select_one(f'a[href="{add_subpage}"]').get_text() == "Write a new part"


def test_series_editor_without_add_permission_has_no_add_button(client, series):
    client.force_login(make_editor("changer", {series: ("change",)}))
    contents = panel(client.get(edit_url(series)), "[data-series-contents]")
    assert "Add forthcoming part" not in text(contents)
    assert "Write a new part" not in text(contents)


def test_a_new_series_has_no_parts_yet(admin_client, home):
    from wagtail_series.models import SeriesPage

    contents = panel(admin_client.get(add_url(SeriesPage, home)), "[data-series-contents]")
    assert "Once the series is saved" in text(contents)


def test_a_draft_series_says_readers_see_nothing_yet(admin_client, home):
    draft = make_series(home, "Unreleased", live=False)
    add_part(draft, "One", state="draft")
    contents = panel(admin_client.get(edit_url(draft)), "[data-series-contents]")
    assert "The series is not published" in text(contents)


def test_forthcoming_part_shows_its_place_and_its_announcement(admin_client, series):
    part = SeriesPart.objects.get(title="Cannon Fodder")
    context = panel(admin_client.get(edit_url(part)), "[data-series-part-context]")
    content = text(context)
    assert "Part of the series Memories" in content
    assert context.select_one("a")["href"] == edit_url(series)
    assert "State: forthcoming" in content
    assert "Readers see it as Part 3 of 5 in Memories." in content
    preview = text(context.select_one(".series-part-context__preview"))
    assert preview.startswith("Part 3: The last short coming soon expected")
    assert "A city of guns." in preview


def test_other_part_states(admin_client, series):
    def content(title):
        page = SeriesPart.objects.get(title=title)
        return text(panel(admin_client.get(edit_url(page)), "[data-series-part-context]"))

    assert "Readers see it as Part 1 of 5" in content("Magnetic Rose")
    assert "coming soon" not in content("Magnetic Rose")
    assert "scheduled for" in content("Stink Bomb")
    notes = content("Notes")
    assert "hidden draft" in notes and "takes no number" in notes
    assert "It is private" in content("Members")


def test_a_new_part_goes_at_the_end(admin_client, series):
    context = panel(admin_client.get(add_url(SeriesPart, series)), "[data-series-part-context]")
    assert "A new part goes at the end of the series" in text(context)


def test_a_part_type_outside_a_series(admin_client, home):
    lone = BlogPage(title="Standalone")
    home.add_child(instance=lone)
    context = panel(admin_client.get(edit_url(lone)), "[data-series-part-context]")
    assert "This page is not in a series" in text(context)


def test_the_panels_do_not_get_in_the_way_of_saving(admin_client, series):
    part = SeriesPart.objects.get(title="Cannon Fodder")
    response = post_edit(admin_client, part, {"forthcoming_teaser": "Edited."})
    assert response.status_code == 302
    assert reload(part).forthcoming_teaser == "Edited."


def test_titles_and_teasers_are_escaped(admin_client, home):
    series = make_series(home, SCRIPT_TITLE, slug="evil")
    part = add_part(
        series,
        SCRIPT_TITLE,
        state="draft",
        slug="evil-part",
        forthcoming_title=SCRIPT_TITLE + "!",
        forthcoming_teaser=SCRIPT_TITLE + "?",
    )
    for page in (series, part):
        html = admin_client.get(edit_url(page)).content.decode()
        # Wagtail's own form fields carry the value in attributes; our panels render it as text.
        marker = "data-series-contents" if page == series else "data-series-part-context"
        start = html.index(marker)
        fragment = html[start : html.index("</div>\n</div>", start)]
        assert SCRIPT_TITLE not in fragment
        assert SCRIPT_ESCAPED in fragment


# --- Linked parts (issue 13) --------------------------------------------------------------------


def make_page(parent, title: str, *, live: bool = True):
    """A plain page of the site (not a part): what linked parts point at."""
    from tests.conftest import Page

    now = timezone.now()
    page = Page(
        title=title,
        slug=slugify(title) or "page",
        live=live,
        first_published_at=now if live else None,
        last_published_at=now if live else None,
    )
    parent.add_child(instance=page)
    return page


def add_link(series, title: str, target=None, *, live: bool = True, **fields):
    """A linked part under ``series`` pointing at ``target`` (None: a placeholder)."""
    from wagtail_series.models import LinkedPart

    now = timezone.now()
    link = LinkedPart(
        title=title,
        slug=slugify(title),
        target=target,
        live=live,
        first_published_at=now if live else None,
        last_published_at=now if live else None,
        **fields,
    )
    series.add_child(instance=link)
    return link


@pytest.fixture
def linked_series(home):
    series = make_series(home, "Anthology")
    add_part(series, "Own part")
    add_link(series, "Elsewhere", make_page(home, "Elsewhere"))
    add_link(series, "Announced", make_page(home, "Draft article", live=False))
    add_link(series, "To be written", None, expected_date=dt.date(2099, 1, 1))
    return reload(series)


def test_the_parts_panel_shows_linked_parts_and_placeholders(admin_client, linked_series):
    from wagtail_series.models import LinkedPart

    contents = panel(admin_client.get(edit_url(linked_series)), "[data-series-contents]")
    rows = contents.select("tbody tr")
    cells = [[text(td) for td in tr.find_all("td")] for tr in rows]
    assert [(c[0], c[2].split(" ")[0]) for c in cells] == [
        ("Part 1", "published"),
        ("Part 2", "published"),
        ("Part 3", "forthcoming"),
        ("Part 4", "forthcoming"),
    ]
    assert "Linked: Elsewhere (live)" in cells[1][1]
    assert "Linked: Draft article (draft)" in cells[2][1]
    assert "Placeholder: no page linked yet" in cells[3][1]
    assert "Linked:" not in cells[0][1]
    links = {link.title: link for link in LinkedPart.objects.all()}
    # The part's own link edits the linked part; the second edits the page it points at.
    hrefs = [a["href"] for a in rows[1].select("a[href]")]
    assert hrefs == [
        reverse("wagtailadmin_pages:edit", args=[links["Elsewhere"].pk]),
        reverse("wagtailadmin_pages:edit", args=[links["Elsewhere"].target_id]),
    ]
    assert [a["href"] for a in rows[3].select("a[href]")] == [
        reverse("wagtailadmin_pages:edit", args=[links["To be written"].pk])
    ]
    link_page = reverse("wagtail_series_admin:link_page", args=[linked_series.pk])
    assert contents.select_one(f'a[href^="{link_page}?next="]') is not None


def test_a_live_linked_part_whose_page_is_not_live_is_not_published(admin_client, home):
    series = make_series(home, "Anthology")
    add_link(series, "Not yet", make_page(home, "Draft", live=False), announce_forthcoming=False)
    contents = panel(admin_client.get(edit_url(series)), "[data-series-contents]")
    (row,) = [[text(td) for td in tr.find_all("td")] for tr in contents.select("tbody tr")]
    assert row[0] == "–" and row[2] == "hidden" and "Linked: Draft (draft)" in row[1]


def test_no_link_button_without_add_permission(client, linked_series):
    client.force_login(make_editor("changer", {linked_series: ("change",)}))
    contents = panel(client.get(edit_url(linked_series)), "[data-series-contents]")
    assert "Link an existing page" not in text(contents)
    assert "Linked: Elsewhere (live)" in text(contents)


def test_linked_titles_are_escaped(admin_client, home):
    series = make_series(home, "Anthology")
    add_link(series, "Evil link", make_page(home, SCRIPT_TITLE))
    html = admin_client.get(edit_url(series)).content.decode()
    assert SCRIPT_TITLE not in html and SCRIPT_ESCAPED in html


def build_mixed(home, parts: int):
    """A series of ``parts`` parts: child parts, linked parts (to live pages) and placeholders in
    turn."""
    series = make_series(home, f"Mixed {parts}", slug=f"mixed-{parts}")
    for i in range(parts):
        kind = i % 3
        if kind == 0:
            add_part(series, f"Own {i}", state="live")
        elif kind == 1:
            add_link(series, f"Link {i}", make_page(home, f"Article {parts} {i}"))
        else:
            add_link(series, f"Placeholder {i}", None)
        series = reload(series)
    return series


def test_parts_panel_queries_do_not_grow_with_linked_parts(admin_client, home):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for parts in (3, 300):
        series = build_mixed(home, parts)
        admin_client.get(edit_url(series))
        with CaptureQueriesContext(connection) as queries:
            contents = panel(admin_client.get(edit_url(series)), "[data-series-contents]")
        assert len(contents.select("tbody tr")) == parts
        assert len(contents.select("[data-series-linked-target]")) == parts // 3 * 2
        counts[parts] = len(queries)
    assert counts[3] == counts[300], counts


# --- Issue 14, round 2 ----------------------------------------------------------------------------


def test_the_preview_is_exactly_the_public_table_of_contents_entry(admin_client, client, series):
    """The scheduled part: readers see "coming soon, expected <its scheduled date>", never the
    scheduled time the state line gives editors."""
    stink = SeriesPart.objects.get(title="Stink Bomb")
    preview = panel(admin_client.get(edit_url(stink)), "[data-series-reader-preview]")
    public = BeautifulSoup(client.get(reload(series).url).content, "html.parser")
    entry = next(
        li
        for li in public.select(".series-toc__entry")
        if li.select_one(".series-toc__title").get_text(strip=True) == "Stink Bomb"
    )
    assert text(preview) == text(entry)
    assert "scheduled for" not in text(preview)


def test_an_overdue_part_previews_as_delayed(admin_client, home):
    series = make_series(home, "Late")
    late = add_part(
        series, "Late one", state="draft", expected_date=timezone.localdate() - dt.timedelta(days=2)
    )
    preview = panel(admin_client.get(edit_url(late)), "[data-series-reader-preview]")
    assert "delayed" in text(preview) and "coming soon" not in text(preview)


def test_part_editors_get_the_series_for_their_rich_text(admin_client, series):
    import json

    stink = SeriesPart.objects.get(title="Stink Bomb")
    editing, adding = edit_url(stink), add_url(SeriesPart, series)
    for response in (admin_client.get(editing), admin_client.get(adding)):
        script = panel(response, "#wagtail-series-rich-text")
        config = json.loads(script.string)
        assert config["seriesChooserUrl"] == reverse(
            "wagtailadmin_choose_page_child", args=[series.pk]
        )
        assert config["pageChooserUrl"] == reverse("wagtailadmin_choose_page")
        # Every part that is not live: its links read "coming soon" in the editor.
        assert config["forthcomingUrls"] == [reload(stink).url] + [
            p.url for p in SeriesPart.objects.filter(live=False).exclude(pk=stink.pk)
        ]
        assert config["forthcomingLabel"] == "coming soon"
        assert b"wagtail_series/editor.js" in response.content
