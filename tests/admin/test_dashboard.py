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
    assert "3 forthcoming parts in all" not in html  # everything is listed...
    assert "4 forthcoming parts in all." in html  # ...but the undated part: said in the total
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
