"""The "Forthcoming parts" report (wagtail_series.admin.views.planner)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction
from wagtail.users.models import UserProfile

from tests.conftest import add_part, make_series, reload, restrict
from tests.reader.conftest import schedule
from tests.series_admin_helpers import (
    SCRIPT_ESCAPED,
    SCRIPT_TITLE,
    assert_permission_denied,
    make_editor,
    messages_of,
    report_url,
)
from wagtail_series.admin.planner import PlannerRow

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
REPORT_QUERIES = 15
REPORT_QUERIES_TWO_LOCALES = 14


@pytest.fixture
def site(home):
    """Two series with parts in every state; returns the series."""
    memories = make_series(home, "Memories")
    add_part(memories, "Magnetic Rose")
    add_part(memories, "Stink Bomb", state="draft", expected_date=TODAY + dt.timedelta(days=10))
    add_part(memories, "Cannon Fodder", state="draft")
    add_part(memories, "Hidden notes", state="draft", announce_forthcoming=False)
    akira = make_series(home, "Akira")
    add_part(akira, "Late chapter", state="draft", expected_date=TODAY - dt.timedelta(days=5))
    scheduled = add_part(akira, "Scheduled chapter", state="draft")
    schedule(scheduled, timezone.now() + dt.timedelta(days=2))
    members = add_part(akira, "Members chapter", state="draft")
    restrict(members, PageViewRestriction.LOGIN)
    return {"memories": reload(memories), "akira": reload(akira)}


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def rows(response) -> list[PlannerRow]:
    assert response.status_code == 200, response
    return list(response.context["object_list"])


def test_every_announced_forthcoming_part_overdue_first(admin_client, site):
    listed = rows(admin_client.get(report_url()))
    assert [(r.title, r.series_title, r.label, r.state.value, r.overdue) for r in listed] == [
        ("Late chapter", "Akira", "Part 1", "forthcoming", True),
        ("Scheduled chapter", "Akira", "Part 2", "scheduled", False),
        ("Stink Bomb", "Memories", "Part 2", "forthcoming", False),
        # Private: no position for readers without access, but editors plan it all the same.
        ("Members chapter", "Akira", None, "private", False),
        ("Cannon Fodder", "Memories", "Part 3", "forthcoming", False),
    ]
    html = admin_client.get(report_url()).content.decode()
    assert "Hidden notes" not in html and "Magnetic Rose" not in html
    assert "scheduled for" in html and "overdue" in html.lower()
    assert f'href="/admin/pages/{listed[0].page_id}/edit/"' in html
    assert f'href="/admin/pages/{site["akira"].pk}/edit/"' in html


def test_filter_by_series(admin_client, site):
    listed = rows(admin_client.get(report_url(series=site["memories"].pk)))
    assert [r.title for r in listed] == ["Stink Bomb", "Cannon Fodder"]
    overdue = rows(admin_client.get(report_url(overdue="true")))
    assert [r.title for r in overdue] == ["Late chapter"]
    results = admin_client.get(
        report_url(series=site["memories"].pk).replace(
            "forthcoming-parts/", "forthcoming-parts/results/"
        )
    )
    assert [r.title for r in rows(results)] == ["Stink Bomb", "Cannon Fodder"]


def test_editors_see_only_their_series(client, site):
    editor = make_editor("memories", {site["memories"]: ("change", "add")})
    client.force_login(editor)
    response = client.get(report_url())
    assert [r.title for r in rows(response)] == ["Stink Bomb", "Cannon Fodder"]
    html = response.content.decode()
    for title in ("Late chapter", "Scheduled chapter", "Members chapter", "Akira"):
        assert title not in html
    # Choosing a series they can't work on is an invalid choice: it reveals nothing.
    response = client.get(report_url(series=site["akira"].pk))
    assert "Late chapter" not in response.content.decode()
    assert [r.title for r in rows(response)] == ["Stink Bomb", "Cannon Fodder"]


def test_users_without_page_permissions_are_refused(client, site):
    client.force_login(make_editor("nobody"))
    assert_permission_denied(client.get(report_url()))
    assert_permission_denied(client.get(report_url(export="csv")))


def test_csv_export(admin_client, site):
    response = admin_client.get(report_url(export="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    table = list(csv.reader(io.StringIO(content)))
    assert table[0] == [
        "Part",
        "Series",
        "Position",
        "State",
        "Expected date",
        "Scheduled go-live",
        "Overdue",
    ]
    assert [row[0] for row in table[1:]] == [
        "Late chapter",
        "Scheduled chapter",
        "Stink Bomb",
        "Members chapter",
        "Cannon Fodder",
    ]
    late = table[1]
    assert late[1:5] == ["Akira", "1", "forthcoming", (TODAY - dt.timedelta(days=5)).isoformat()]
    assert late[6] == "True"
    assert table[2][5] != ""  # the scheduled go-live time


def test_xlsx_export(admin_client, site):
    from openpyxl import load_workbook

    response = admin_client.get(report_url(export="xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Part"
    assert [row[0] for row in values[1:]][:2] == ["Late chapter", "Scheduled chapter"]


def test_titles_are_escaped(admin_client, home):
    series = make_series(home, SCRIPT_TITLE, slug="evil")
    add_part(series, SCRIPT_TITLE, state="draft", slug="evil-part")
    html = admin_client.get(report_url()).content.decode()
    assert SCRIPT_TITLE not in html
    assert html.count(SCRIPT_ESCAPED) >= 2


def build(home, series_count: int, parts_per_series: int):
    for i in range(series_count):
        series = make_series(home, f"Series {i}")
        for j in range(parts_per_series - 1):
            add_part(series, f"Live {j}", state="live")
        add_part(series, "Coming", state="draft", expected_date=TODAY + dt.timedelta(days=i))


@pytest.mark.parametrize(("series_count", "parts"), [(3, 3), (30, 3), (3, 300)])
def test_report_queries_do_not_grow(
    client, home, django_user_model, series_count, parts, django_assert_num_queries
):
    build(home, series_count, parts)
    editor = make_editor("editor", {home: ("add", "change", "publish")})
    client.force_login(editor)
    client.get(report_url())
    # The same for 3 series of 3 parts, 30 series and 300 parts: the admin's own queries (session,
    # user, permissions, profile, locale, menu) and ours: the series, one query per part page
    # type (2 here), the view restrictions, and the series filter's choices.
    with django_assert_num_queries(REPORT_QUERIES):
        response = client.get(report_url())
    assert len(rows(response)) == series_count


# --- Locales (issue 16) -------------------------------------------------------------------------


@pytest.fixture
def bilingual_admin(client, django_user_model, bilingual):
    bilingual()
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def series_titles(response) -> list[str]:
    return sorted({row.series_title for row in rows(response)})


def test_the_locale_filter_filters_and_labels(bilingual_admin):
    french = bilingual_admin.get(report_url(locale="fr"))
    assert [r.title for r in rows(french)] == ["Boule puante", "Chair à canon"]
    assert series_titles(bilingual_admin.get(report_url(locale="en"))) == ["Memories"]
    everything = bilingual_admin.get(report_url(locale=""))
    assert series_titles(everything) == ["Memories", "Souvenirs"]
    # Wagtail's locale column and label markup.
    soup = BeautifulSoup(everything.content, "html.parser")
    headers = [" ".join(th.get_text(" ").split()) for th in soup.select("table.listing thead th")]
    assert "Locale" in headers
    labels = [" ".join(s.get_text().split()) for s in soup.select("td .w-status--label")]
    assert sorted(labels) == ["English", "English", "French", "French"]
    # The series filter and the locale filter together.
    souvenirs = rows(french)[0].series_id
    assert rows(bilingual_admin.get(report_url(locale="en", series=souvenirs))) == []


def test_unknown_or_empty_locale_is_no_error(bilingual_admin):
    response = bilingual_admin.get(report_url(locale="xx"))
    assert rows(response) == []
    assert ("warning", "No locale has the code “xx”: nothing to show.") in messages_of(response)
    assert len(rows(bilingual_admin.get(report_url(locale="")))) == 4


def test_the_report_defaults_to_the_editors_own_locale(bilingual_admin, django_user_model):
    response = bilingual_admin.get(report_url())
    assert series_titles(response) == ["Memories"]
    # Shown as chosen in Wagtail's filter, but not as an active filter to remove.
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("input[name=locale][checked]")["value"] == "en"
    assert not soup.select(".w-active-filters")
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="admin"))
    profile.preferred_language = "fr"
    profile.save()
    assert series_titles(bilingual_admin.get(report_url())) == ["Souvenirs"]
    # A chosen series needs no locale: the Series index links here with ``?series=``.
    memories = rows(bilingual_admin.get(report_url(locale="en")))[0].series_id
    assert series_titles(bilingual_admin.get(report_url(series=memories))) == ["Memories"]


def test_no_locale_column_or_filter_with_one_locale(admin_client, site, settings):
    for i18n_enabled in (False, True):
        settings.WAGTAIL_I18N_ENABLED = i18n_enabled
        response = admin_client.get(report_url())
        assert len(rows(response)) == 5
        soup = BeautifulSoup(response.content, "html.parser")
        assert not soup.select("input[name=locale]")
        assert "Locale" not in soup.select_one("table.listing thead").get_text()
        for locale in ("fr", "", "xx"):
            assert len(rows(admin_client.get(report_url(locale=locale)))) == 5, locale


@pytest.mark.parametrize("series_count", [3, 10])
def test_report_queries_do_not_grow_with_two_locales(
    bilingual_admin, home, series_count, django_assert_num_queries
):
    from tests.sites_and_locales import translate_page as translate

    french = Locale.objects.get(language_code="fr")
    for i in range(series_count):
        series = make_series(reload(home), f"Series {i}")
        add_part(series, "Coming", state="draft", expected_date=TODAY)
        part = reload(series).get_children().first()
        translate(reload(series), french, slug=f"serie-{i}")
        translate(part, french, publish=False, slug=f"a-venir-{i}")
    bilingual_admin.get(report_url(locale=""))
    # A superuser (no permission queries) and two locales: Wagtail's locale filter reads the
    # locales, and so do we (labels, the default), one query each.
    with django_assert_num_queries(REPORT_QUERIES_TWO_LOCALES):
        response = bilingual_admin.get(report_url(locale=""))
    assert len(rows(response)) == 2 * series_count + 4


def test_each_fact_has_one_column(admin_client, site):
    """Issue 14: "scheduled for" only in the due column, "overdue" only in its own column."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(admin_client.get(report_url()).content, "html.parser")
    table = soup.select_one("table.listing")
    headers = [" ".join(th.get_text(" ").split()) for th in table.select("thead th")]
    state, due, overdue = (
        headers.index("State"),
        headers.index("Expected or scheduled"),
        headers.index("Overdue"),
    )
    cells = {}
    for tr in table.select("tbody tr"):
        tds = [" ".join(td.get_text(" ").split()) for td in tr.find_all("td", recursive=False)]
        cells[tds[headers.index("Part")]] = tds
    scheduled, late = cells["Scheduled chapter"], cells["Late chapter"]
    assert scheduled[state] == "scheduled" and scheduled[due].startswith("scheduled for ")
    assert "overdue" not in late[state].lower() and "overdue" in late[overdue].lower()
    for row in cells.values():
        text = " ".join(row).lower()
        assert text.count("scheduled for") <= 1 and text.count("overdue") <= 1
