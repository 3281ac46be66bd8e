"""Faster announcing: "Save and add another" and "Announce several parts" (views.parts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import add_part, make_series, reload
from tests.series_admin_helpers import (
    add_part_url,
    assert_permission_denied,
    make_editor,
    messages_of,
    series_index_url,
)
from tests.support import purged  # noqa: F401 (fixture)
from tests.testapp.models import BlogPage
from wagtail_series import reader
from wagtail_series.models import SeriesPart

pytestmark = pytest.mark.django_db

PREFIX = "form"


@pytest.fixture
def series(home):
    series = make_series(home, "Memories")
    add_part(series, "Magnetic Rose")
    return reload(series)


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="x")


def announce_url(series) -> str:
    return reverse("wagtail_series_admin:announce_parts", args=[series.pk])


def rows_data(rows: list[dict], total: int | None = None, **extra) -> dict:
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(total if total is not None else len(rows)),
        f"{PREFIX}-INITIAL_FORMS": "0",
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "50",
        "page_type": "wagtail_series.seriespart",
        **extra,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{PREFIX}-{i}-{key}"] = value
    return data


def titles_in_order(series) -> list[str]:
    return [e.title for e in reader.get_editor_outline(reload(series)).entries]


# --- Save and add another --------------------------------------------------------------------


def test_save_and_add_another_returns_to_an_empty_form(client, admin, series):
    client.force_login(admin)
    url = f"{add_part_url(series)}?next={series_index_url()}"
    html = client.get(url).content.decode()
    assert "Save and add another" in html
    assert reverse("wagtail_series_admin:announce_parts", args=[series.pk]) in html
    response = client.post(
        url,
        {"title": "Stink Bomb", "page_type": "wagtail_series.seriespart", "add-another": "1"},
    )
    assert response.status_code == 302 and response["Location"] == url
    ((level, text),) = messages_of(response)
    assert level == "success" and "Stink Bomb" in text
    form = client.get(response["Location"]).context["form"]
    assert not form.is_bound and not form["title"].value()
    # The plain button still returns to the index (the ?next=).
    response = client.post(
        url, {"title": "Cannon Fodder", "page_type": "wagtail_series.seriespart"}
    )
    assert response["Location"] == series_index_url()
    assert titles_in_order(series) == ["Magnetic Rose", "Stink Bomb", "Cannon Fodder"]


# --- Announce several parts ------------------------------------------------------------------


def test_the_form_offers_empty_rows_and_is_linked_from_the_index(client, admin, series):
    client.force_login(admin)
    response = client.get(announce_url(series))
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 3
    assert "Part 2 for readers" in response.content.decode()
    index = client.get(series_index_url()).content.decode()
    assert announce_url(series) in index


# Committed for real, so that the propagation runs as in production: on commit, in the batch.
@pytest.mark.django_db(transaction=True)
def test_several_parts_are_created_in_order_and_blank_rows_ignored(
    client,
    admin,
    series,
    purged,  # noqa: F811
):
    client.force_login(admin)
    soon = timezone.localdate() + dt.timedelta(days=10)
    rows = [
        {"title": "Stink Bomb", "teaser": "A cold remedy.", "expected_date": soon.isoformat()},
        {"title": "", "teaser": "", "expected_date": ""},
        {"title": "Cannon Fodder"},
        {"title": "   ", "teaser": ""},
        {"title": "Her Memories", "teaser": "Space."},
    ]
    with_next = f"{announce_url(series)}?next={series_index_url()}"
    response = client.post(with_next, rows_data(rows, total=6))
    assert response.status_code == 302 and response["Location"] == series_index_url()
    entries = reader.get_editor_outline(reload(series)).entries
    assert [(e.title, e.state.value, e.position) for e in entries] == [
        ("Magnetic Rose", "published", 1),
        ("Stink Bomb", "forthcoming", 2),
        ("Cannon Fodder", "forthcoming", 3),
        ("Her Memories", "forthcoming", 4),
    ]
    assert (entries[1].teaser, entries[1].expected_date) == ("A cold remedy.", soon)
    for part in SeriesPart.objects.exclude(title="Magnetic Rose"):
        assert not part.live and part.announce_forthcoming and part.owner == admin
    ((level, text),) = messages_of(response)
    assert level == "success" and "3 forthcoming parts" in text and "Her Memories" in text
    # One batch: one purge for the three parts, which names the series page.
    assert len(purged) == 1
    assert any(url.endswith("/memories/") for url in purged[0])


def test_errors_are_shown_per_row_and_nothing_is_created(client, admin, series):
    client.force_login(admin)
    rows = [
        {"title": "Good"},
        {"title": "", "teaser": "No title here"},
        {"title": "Bad date", "expected_date": "someday"},
    ]
    response = client.post(announce_url(series), rows_data(rows))
    assert response.status_code == 200
    errors = response.context["formset"].errors
    assert errors[0] == {}
    assert errors[1] == {"title": ["Give the forthcoming part a title."]}
    assert list(errors[2]) == ["expected_date"]
    assert "Give the forthcoming part a title." in response.content.decode()
    assert titles_in_order(series) == ["Magnetic Rose"]


def test_all_rows_blank_is_an_error(client, admin, series):
    client.force_login(admin)
    response = client.post(announce_url(series), rows_data([{}, {}], total=3))
    assert response.status_code == 200
    assert "at least one" in response.content.decode()
    assert titles_in_order(series) == ["Magnetic Rose"]


def test_add_rows_keeps_what_was_typed_and_creates_nothing(client, admin, series):
    client.force_login(admin)
    rows = [{"title": "Kept"}, {"title": ""}, {"title": ""}]
    response = client.post(announce_url(series), rows_data(rows, **{"add-rows": "1"}))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 6
    assert formset.forms[0]["title"].value() == "Kept"
    assert "at least one" not in response.content.decode()
    assert titles_in_order(series) == ["Magnetic Rose"]


def test_the_page_type_applies_to_every_row(client, admin, series):
    client.force_login(admin)
    data = rows_data([{"title": "A"}, {"title": "B"}], page_type="testapp.blogpage")
    assert client.post(announce_url(series), data).status_code == 302
    assert set(BlogPage.objects.values_list("title", flat=True)) == {"A", "B"}
    data = rows_data([{"title": "C"}], page_type="wagtailcore.page")
    assert client.post(announce_url(series), data).status_code == 200
    assert titles_in_order(series) == ["Magnetic Rose", "A", "B"]


def test_editors_need_add_permission_on_that_very_series(client, home, series):
    other = make_series(home, "Other")
    adder = make_editor("adder", {series: ("add",)})
    changer = make_editor("changer", {series: ("change", "publish")})
    client.force_login(adder)
    assert client.get(announce_url(series)).status_code == 200
    assert client.post(announce_url(series), rows_data([{"title": "Mine"}])).status_code == 302
    assert_permission_denied(client.get(announce_url(other)))
    assert_permission_denied(client.post(announce_url(other), rows_data([{"title": "Not mine"}])))
    client.force_login(changer)
    assert_permission_denied(client.get(announce_url(series)))
    assert_permission_denied(client.post(announce_url(series), rows_data([{"title": "No"}])))
    assert set(SeriesPart.objects.values_list("title", flat=True)) == {"Magnetic Rose", "Mine"}


def test_anonymous_users_and_non_series_get_nothing(client, admin, series):
    response = client.post(announce_url(series), rows_data([{"title": "x"}]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(admin)
    part = SeriesPart.objects.get(title="Magnetic Rose")
    url = reverse("wagtail_series_admin:announce_parts", args=[part.pk])
    assert client.post(url, rows_data([{"title": "x"}])).status_code == 404
    assert not SeriesPart.objects.filter(title="x").exists()
