"""The dashboard panel of forthcoming parts (wagtail_series.admin.dashboard)."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import add_part, make_series
from tests.series_admin_helpers import SCRIPT_ESCAPED, SCRIPT_TITLE, make_editor

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def site(home):
    memories = make_series(home, "Memories")
    add_part(memories, "Magnetic Rose")
    add_part(memories, "Stink Bomb", state="draft", expected_date=TODAY + dt.timedelta(days=3))
    add_part(memories, "Undated", state="draft")
    add_part(
        memories,
        "Hidden late",
        state="draft",
        announce_forthcoming=False,
        expected_date=TODAY - dt.timedelta(days=9),
    )
    akira = make_series(home, "Akira")
    add_part(akira, "Late chapter", state="draft", expected_date=TODAY - dt.timedelta(days=2))
    add_part(akira, "Next chapter", state="draft", expected_date=TODAY + dt.timedelta(days=1))
    return {"memories": memories, "akira": akira}


def panel_rows(response) -> list[str]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        " ".join(tr.select_one("td.title").get_text(" ").split())
        for tr in soup.select("table.series-dashboard tbody tr")
    ]


def test_overdue_first_then_the_next_due(client, django_user_model, site):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    response = client.get(reverse("wagtailadmin_home"))
    assert panel_rows(response) == ["Late chapter", "Next chapter", "Stink Bomb"]
    html = response.content.decode()
    assert "Forthcoming series parts" in html
    assert "series-dashboard__row--overdue" in html
    # The count and the list agree: 3 listed of the 4, the fourth has no date (issue 14).
    count = BeautifulSoup(html, "html.parser").select_one("[data-series-dashboard-count]")
    assert " ".join(count.get_text(" ").split()) == (
        "3 of 4 forthcoming parts listed. 1 has no date yet."
    )
    assert reverse("wagtail_series_admin:forthcoming_parts") in html


def test_only_parts_the_user_may_work_on(client, site):
    client.force_login(make_editor("memories", {site["memories"]: ("change",)}))
    assert panel_rows(client.get(reverse("wagtailadmin_home"))) == ["Stink Bomb"]


def test_no_panel_without_series(client, site):
    client.force_login(make_editor("nobody"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Forthcoming series parts" not in html


def test_no_panel_when_nothing_is_due(client, django_user_model, home):
    series = make_series(home, "Quiet")
    add_part(series, "Undated", state="draft")
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    assert (
        "Forthcoming series parts" not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_titles_are_escaped(client, django_user_model, home):
    series = make_series(home, SCRIPT_TITLE, slug="evil")
    add_part(series, SCRIPT_TITLE, state="draft", slug="evil-part", expected_date=TODAY)
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert SCRIPT_TITLE not in html
    assert html.count(SCRIPT_ESCAPED) >= 2


def test_dashboard_queries_do_not_grow_with_series(client, home):
    client.force_login(make_editor("editor", {home: ("add", "change", "publish")}))
    counts = {}
    made = 0
    for total in (3, 30):
        for i in range(made, total):
            series = make_series(home, f"Series {i}")
            add_part(series, "Live", state="live")
            add_part(series, "Coming", state="draft", expected_date=TODAY + dt.timedelta(days=i))
        made = total
        client.get(reverse("wagtailadmin_home"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("wagtailadmin_home"))
        assert len(panel_rows(response)) == min(total, 6)
        counts[total] = len(queries)
    assert counts[3] == counts[30]


# --- Locales (issue 16) -------------------------------------------------------------------------


def panel_series(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        " ".join(tr.find_all("td")[1].get_text(" ").split())
        for tr in soup.select("table.series-dashboard tbody tr")
    ]


@pytest.fixture
def bilingual_admin(client, django_user_model, bilingual):
    bilingual()
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def test_locales_are_labelled_and_filtered(bilingual_admin):
    home_url = reverse("wagtailadmin_home")
    everything = bilingual_admin.get(home_url + "?locale=")
    assert panel_series(everything) == [
        "Memories · Part 2 English",
        "Souvenirs · Part 2 French",
    ]
    assert '<span class="w-status w-status--label">' in everything.content.decode()
    french = bilingual_admin.get(home_url + "?locale=fr")
    assert panel_rows(french) == ["Boule puante"]
    # The report opens on the same choice; every locale is one link away.
    html = french.content.decode()
    assert reverse("wagtail_series_admin:forthcoming_parts") + "?locale=fr" in html
    assert 'href="?locale="' in html
    for query in ("?locale=xx", "?locale=de"):
        response = bilingual_admin.get(home_url + query)
        assert response.status_code == 200 and panel_rows(response) == []


def test_the_panel_defaults_to_the_editors_own_locale(bilingual_admin, django_user_model):
    from wagtail.users.models import UserProfile

    assert panel_rows(bilingual_admin.get(reverse("wagtailadmin_home"))) == ["Stink Bomb"]
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="admin"))
    profile.preferred_language = "fr"
    profile.save()
    assert panel_rows(bilingual_admin.get(reverse("wagtailadmin_home"))) == ["Boule puante"]


def test_no_locale_labels_with_one_locale(client, django_user_model, site, settings):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    for i18n_enabled in (False, True):
        settings.WAGTAIL_I18N_ENABLED = i18n_enabled
        response = client.get(reverse("wagtailadmin_home"))
        assert "English" not in " ".join(panel_series(response))
        assert panel_rows(response) == ["Late chapter", "Next chapter", "Stink Bomb"]
        html = response.content.decode()
        assert 'href="?locale="' not in html
        assert reverse("wagtail_series_admin:forthcoming_parts") + '"' in html


def test_dashboard_queries_do_not_grow_with_two_locales(bilingual_admin, home):
    from wagtail.models import Locale

    from tests.sites_and_locales import translate_page as translate

    french = Locale.objects.get(language_code="fr")
    counts = {}
    made = 0
    for total in (3, 10):
        for i in range(made, total):
            series = make_series(home, f"Series {i}")
            add_part(series, "Coming", state="draft", expected_date=TODAY + dt.timedelta(days=i))
            part = series.get_children().first()
            translate(series, french, slug=f"serie-{i}")
            translate(part, french, publish=False, slug=f"a-venir-{i}")
        made = total
        url = reverse("wagtailadmin_home") + "?locale="
        bilingual_admin.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = bilingual_admin.get(url)
        assert len(panel_rows(response)) == 6
        counts[total] = len(queries)
    assert counts[3] == counts[10]
