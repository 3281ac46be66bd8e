"""The Series area (wagtail_series.admin.modeladmin): the index of series and its links."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from tests.conftest import add_part, make_series, reload
from tests.series_admin_helpers import (
    SCRIPT_ESCAPED,
    SCRIPT_TITLE,
    add_part_url,
    make_editor,
    messages_of,
    series_index_url,
)
from wagtail_series.models import SeriesStatus

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def site(home):
    memories = make_series(home, "Memories", planned_parts=4)
    memories.tags.add("anime")
    memories.save_revision().publish()
    add_part(memories, "Magnetic Rose")
    add_part(memories, "Stink Bomb", state="draft", expected_date=TODAY + dt.timedelta(days=10))
    add_part(memories, "Cannon Fodder", state="draft", expected_date=TODAY - dt.timedelta(days=1))
    add_part(memories, "Hidden", state="draft", announce_forthcoming=False)
    finished = make_series(home, "Finished", status=SeriesStatus.COMPLETE)
    add_part(finished, "Only part")
    planned = make_series(home, "Planned", live=False)
    return {"memories": reload(memories), "finished": reload(finished), "planned": planned}


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def table(response) -> dict[str, dict[str, str]]:
    """The index as {series title: {column: text}}."""
    assert response.status_code == 200, response
    soup = BeautifulSoup(response.content, "html.parser")
    headers = [" ".join(th.get_text(" ").split()) for th in soup.select("table.listing thead th")]
    rows = {}
    for tr in soup.select("table.listing tbody tr"):
        cells = tr.find_all("td", recursive=False)
        title = " ".join(cells[0].select_one(".title-wrapper").get_text(" ").split())
        rows[title] = {
            header: " ".join(cell.get_text(" ").split())
            for header, cell in zip(headers[1:], cells[1:], strict=True)
        }
    return rows


def test_index_lists_series_with_their_figures(admin_client, site):
    rows = table(admin_client.get(series_index_url()))
    assert list(rows) == ["Finished", "Memories", "Planned"]
    memories = rows["Memories"]
    assert memories["Status"] == "Ongoing"
    assert memories["Parts"] == "1 published 2 forthcoming 4 planned"
    due = formats.date_format(TODAY - dt.timedelta(days=1), "DATE_FORMAT")
    assert memories["Next expected"] == f"Part 3: Cannon Fodder ({due})"
    assert memories["Overdue"] == "1 overdue"
    first_published = reload(site["memories"]).get_children().live().first().first_published_at
    assert memories["Last published"] == formats.date_format(
        timezone.localtime(first_published), "DATE_FORMAT"
    )
    assert rows["Finished"]["Status"] == "Complete"
    assert rows["Finished"]["Next expected"] == "–"
    assert rows["Finished"]["Overdue"] == "–"
    assert rows["Planned"]["Status"] == "Ongoing (series not published)"
    assert rows["Planned"]["Last published"] == "–"


def test_index_links_to_the_page_editor_the_live_page_and_the_actions(admin_client, site):
    memories = site["memories"]
    soup = BeautifulSoup(admin_client.get(series_index_url()).content, "html.parser")
    row = soup.find("tr", attrs={"data-object-pk": str(memories.pk)})
    links = {" ".join(a.get_text(" ").split()): a["href"] for a in row.select("a[href]")}
    edit = reverse("wagtailadmin_pages:edit", args=[memories.pk])
    assert links["Memories"].startswith(edit)
    assert links["Edit"].startswith(edit)
    assert links["View live"] == "/memories/"
    assert links["Add forthcoming part"].startswith(add_part_url(memories) + "?next=")
    assert links["Forthcoming parts"].endswith(f"?series={memories.pk}")
    planned_row = soup.find("tr", attrs={"data-object-pk": str(site["planned"].pk)})
    assert "View live" not in planned_row.get_text()


def test_filters_and_search(admin_client, site):
    status = series_index_url() + "?status__exact=complete"
    assert list(table(admin_client.get(status))) == ["Finished"]
    assert list(table(admin_client.get(series_index_url() + "?tag=anime"))) == ["Memories"]
    assert list(table(admin_client.get(series_index_url() + "?q=memo"))) == ["Memories"]
    html = admin_client.get(series_index_url()).content.decode()
    assert "?tag=anime" in html and "?status__exact=hiatus" in html


def test_other_query_parameters_are_refused_not_applied(admin_client, site):
    # wagtail-modeladmin would apply them as lookups: a way to probe e.g. owners' password hashes.
    for probe in ("owner__password__startswith=md5", "status=complete", "live=0"):
        response = admin_client.get(f"{series_index_url()}?{probe}")
        assert response.status_code == 400, probe


def test_editors_see_and_act_on_their_series_only(client, site):
    editor = make_editor("memories", {site["memories"]: ("add", "change", "publish")})
    reviewer = make_editor("reviewer", {site["finished"]: ("change",)})
    client.force_login(editor)
    response = client.get(series_index_url())
    assert list(table(response)) == ["Memories"]
    assert "Add forthcoming part" in response.content.decode()
    client.force_login(reviewer)
    response = client.get(series_index_url())
    assert list(table(response)) == ["Finished"]
    # Change permission but no add permission: no "Add forthcoming part".
    assert "Add forthcoming part" not in response.content.decode()
    # Tags of series they can't see are not offered as filters.
    assert "?tag=anime" not in response.content.decode()
    client.force_login(make_editor("nobody"))
    assert table(client.get(series_index_url())) == {}


def test_the_series_menu(admin_client, site):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert series_index_url() in html
    assert reverse("wagtail_series_admin:forthcoming_parts") in html


def test_titles_are_escaped(admin_client, home):
    series = make_series(home, SCRIPT_TITLE, slug="evil")
    add_part(series, SCRIPT_TITLE, state="draft", slug="evil-part", expected_date=TODAY)
    html = admin_client.get(series_index_url()).content.decode()
    assert SCRIPT_TITLE not in html
    assert html.count(SCRIPT_ESCAPED) >= 2  # the series and its next expected part


def build(home, series_count: int, parts_per_series: int):
    for i in range(series_count):
        series = make_series(home, f"Series {i:02d}")
        for j in range(parts_per_series - 1):
            add_part(series, f"Live {j}", state="live")
        add_part(series, "Coming", state="draft", expected_date=TODAY - dt.timedelta(days=i))


# The same for 3 series of 3 parts, 30 series and 300 parts: the admin's own queries (session,
# user, permissions, counts and pagination, filters, menu) and ours: one query per part page type
# (3 here: SeriesPart, BlogPage and LinkedPart) and one for view restrictions, for all the listed
# series at once; and the followers app's counts (one query).
INDEX_QUERIES = {"superuser": 20, "editor": 23}


@pytest.mark.parametrize(("series_count", "parts"), [(3, 3), (30, 3), (3, 300)])
def test_index_queries_do_not_grow(
    client, home, django_user_model, series_count, parts, django_assert_num_queries
):
    build(home, series_count, parts)
    users = {
        "superuser": django_user_model.objects.create_superuser("admin", password="x"),
        "editor": make_editor("editor", {home: ("add", "change", "publish")}),
    }
    for who, user in users.items():
        client.force_login(user)
        client.get(series_index_url())
        with django_assert_num_queries(INDEX_QUERIES[who]):
            response = client.get(series_index_url())
        rows = table(response)
        assert len(rows) == series_count
        assert {row["Parts"] for row in rows.values()} == {f"{parts - 1} published 1 forthcoming"}


def test_add_series_offers_only_pages_that_take_a_series(admin_client, site):
    response = admin_client.get(reverse("wagtail_series_seriespage_modeladmin_choose_parent"))
    assert response.status_code == 200
    choices = [label for _, label in response.context["form"].fields["parent_page"].choices]
    # Not the series themselves (they only take parts), not the tree's root node.
    assert [str(label) for label in choices] == ["Welcome to your new Wagtail site!"]


# --- Locales (issue 16) -------------------------------------------------------------------------


def set_preferred_language(user, language: str) -> None:
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def bilingual_admin(client, django_user_model, bilingual):
    bilingual()
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def test_locales_are_labelled_and_filtered_with_two_locales(bilingual_admin):
    rows = table(bilingual_admin.get(series_index_url() + "?locale="))
    assert {title: row["Locale"] for title, row in rows.items()} == {
        "Memories": "English",
        "Souvenirs": "French",
    }
    html = bilingual_admin.get(series_index_url() + "?locale=").content.decode()
    # Wagtail's own locale label markup, as in its page listings.
    assert '<span class="w-status w-status--label">French</span>' in html
    assert list(table(bilingual_admin.get(series_index_url() + "?locale=fr"))) == ["Souvenirs"]
    assert list(table(bilingual_admin.get(series_index_url() + "?locale=en"))) == ["Memories"]
    # The filter is in modeladmin's filter list, "All" being an explicit ``?locale=``.
    assert 'href="?locale=fr"' in html and 'href="?locale="' in html
    # Other filters keep working with it.
    fr_complete = series_index_url() + "?locale=fr&status__exact=complete"
    assert table(bilingual_admin.get(fr_complete)) == {}


def test_unknown_or_empty_locale_is_no_error(bilingual_admin):
    response = bilingual_admin.get(series_index_url() + "?locale=xx")
    assert table(response) == {}
    assert ("warning", "No locale has the code “xx”: nothing to show.") in messages_of(response)
    assert list(table(bilingual_admin.get(series_index_url() + "?locale="))) == [
        "Memories",
        "Souvenirs",
    ]


def test_the_index_defaults_to_the_editors_own_locale(bilingual_admin, django_user_model):
    assert list(table(bilingual_admin.get(series_index_url()))) == ["Memories"]
    user = django_user_model.objects.get(username="admin")
    set_preferred_language(user, "fr")
    response = bilingual_admin.get(series_index_url())
    assert list(table(response)) == ["Souvenirs"]
    # "All" is offered and selected only when asked for.
    soup = BeautifulSoup(response.content, "html.parser")
    selected = [li.get_text(" ").strip() for li in soup.select(".changelist-filter li.selected")]
    assert "Français" in selected or "French" in selected
    assert list(table(bilingual_admin.get(series_index_url() + "?locale="))) == [
        "Memories",
        "Souvenirs",
    ]


def test_the_forthcoming_parts_button_keeps_the_series_locale(bilingual_admin, bilingual):
    soup = BeautifulSoup(
        bilingual_admin.get(series_index_url() + "?locale=fr").content, "html.parser"
    )
    link = next(a["href"] for a in soup.select("a[href]") if "forthcoming-parts" in a["href"])
    response = bilingual_admin.get(link)
    # The report opens on the French series, not on the editor's (English) locale.
    assert {row.series_title for row in response.context["object_list"]} == {"Souvenirs"}


def test_no_locale_column_or_filter_with_one_locale(admin_client, site, settings):
    for i18n_enabled in (False, True):
        settings.WAGTAIL_I18N_ENABLED = i18n_enabled
        response = admin_client.get(series_index_url())
        assert "Locale" not in next(iter(table(response).values()))
        assert "?locale=" not in response.content.decode()
        # The parameter is accepted and changes nothing.
        for query in ("?locale=fr", "?locale=", "?locale=xx"):
            assert len(table(admin_client.get(series_index_url() + query))) == 3, query


def test_index_queries_do_not_grow_with_two_locales(bilingual_admin, home):
    from wagtail.models import Locale

    from tests.sites_and_locales import translate_page as translate

    french = Locale.objects.get(language_code="fr")
    counts = {}
    made = 0
    for total in (3, 10):
        for i in range(made, total):
            series = make_series(reload(home), f"Series {i:02d}")
            add_part(series, "Coming", state="draft", expected_date=TODAY)
            translate(reload(series), french, title=f"Série {i:02d}", slug=f"serie-{i:02d}")
        made = total
        url = series_index_url() + "?locale="
        bilingual_admin.get(url)
        with CaptureQueriesContext(connection) as queries:
            rows = table(bilingual_admin.get(url))
        assert len(rows) == 2 * total + 2
        counts[total] = len(queries)
    # One query more than a single-language site (INDEX_QUERIES): the site's locales.
    assert counts[3] == counts[10] == INDEX_QUERIES["superuser"] + 1


# --- Linked parts (issue 13) --------------------------------------------------------------------


def test_index_counts_linked_parts_and_placeholders_and_offers_linking(admin_client, home):
    from tests.admin.test_panels import add_link, make_page

    series = make_series(home, "Anthology")
    add_part(series, "Own part")
    add_link(series, "Elsewhere", make_page(home, "Elsewhere"))
    add_link(series, "Later", make_page(home, "Draft article", live=False))
    add_link(reload(series), "To be written", None)
    response = admin_client.get(series_index_url())
    row = table(response)["Anthology"]
    assert row["Parts"] == "2 published 2 forthcoming 2 linked 1 placeholder"
    link_page = reverse("wagtail_series_admin:link_page", args=[series.pk])
    assert f'href="{link_page}?next=' in response.content.decode()


def test_index_queries_do_not_grow_with_linked_parts(admin_client, home):
    """Child, linked and placeholder parts in turn: as many queries for a series of 3 parts as
    with another of 300 listed too."""
    from tests.admin.test_panels import build_mixed

    counts = {}
    for parts in (3, 300):
        build_mixed(home, parts)
        admin_client.get(series_index_url())
        with CaptureQueriesContext(connection) as queries:
            rows = table(admin_client.get(series_index_url()))
        counts[parts] = len(queries)
    assert rows["Mixed 300"]["Parts"] == "200 published 100 forthcoming 100 linked 100 placeholders"
    assert rows["Mixed 3"]["Parts"] == "2 published 1 forthcoming 1 linked 1 placeholder"
    assert counts[3] == counts[300], counts


def test_the_index_counts_followers_and_shows_no_address(admin_client, home):
    from wagtail_series.contrib.followers.models import Follower

    series = make_series(home, "Followed")
    for i in range(3):
        Follower.objects.create(email=f"secret{i}@example.com", series=series)
    Follower.objects.create(email="gone@example.com", series=series, active=False)
    response = admin_client.get(series_index_url())
    html = response.content.decode()
    assert "secret0@example.com" not in html and "gone@example.com" not in html
    soup = BeautifulSoup(html, "html.parser")
    headers = [th.get_text(strip=True) for th in soup.select("table.listing thead th")]
    column = headers.index("Followers")
    row = next(tr for tr in soup.select("table.listing tbody tr") if "Followed" in tr.get_text())
    assert row.select("td")[column].get_text(strip=True) == "3"
