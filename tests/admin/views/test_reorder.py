"""Reorder parts from the series (views.reorder), and the explorer's default order for a series."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.conftest import add_part, make_series, reload, restrict
from tests.series_admin_helpers import (
    assert_permission_denied,
    make_editor,
    messages_of,
    series_index_url,
)
from tests.support import purged  # noqa: F401 (fixture)
from wagtail_series import reader
from wagtail_series.models import SeriesPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="x")


@pytest.fixture
def series(home):
    """Part 1 published, a hidden draft (no number), Part 2 forthcoming, a private Part."""
    series = make_series(home, "Memories")
    add_part(series, "Magnetic Rose")
    add_part(series, "Hidden", state="draft", announce_forthcoming=False)
    add_part(series, "Stink Bomb", state="draft")
    private = add_part(series, "Secret")
    restrict(private, "password", password="x")
    return reload(series)


def reorder_url(series) -> str:
    return reverse("wagtail_series_admin:reorder_parts", args=[series.pk])


def position_url(series, page, position) -> str:
    url = reverse("wagtail_series_admin:set_part_position", args=[series.pk, page.pk])
    return f"{url}?position={position}"


def part(title: str):
    return SeriesPart.objects.get(title=title)


def rows(response) -> list[tuple[str, str]]:
    """(number, title) of each row of the reorder table."""
    assert response.status_code == 200, response
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (
            tr.select_one("[data-series-number]").get_text(strip=True),
            tr.select_one(".title-wrapper").get_text(strip=True),
        )
        for tr in soup.select("[data-series-reorder] tbody tr")
    ]


def order(series) -> list[str]:
    return [e.title for e in reader.get_editor_outline(reload(series)).entries]


def test_the_view_lists_every_part_with_the_numbers_readers_see(client, admin, series):
    client.force_login(admin)
    response = client.get(reorder_url(series))
    # Readers see Part 1 and Part 2; the hidden draft and the private part take no number.
    assert rows(response) == [
        ("Part 1", "Magnetic Rose"),
        ("–", "Hidden"),
        ("Part 2", "Stink Bomb"),
        ("–", "Secret"),
    ]
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.select_one("[data-series-reorder]")
    # Wagtail's own drag-and-drop controller, posting to our position view.
    assert table["data-controller"] == "w-orderable"
    assert table["data-w-orderable-url-value"] == reverse(
        "wagtail_series_admin:set_part_position", args=[series.pk, 999999]
    )
    handles = soup.select("[data-w-orderable-target=handle]")
    assert len(handles) == 4 and all("keydown.up" in h["data-action"] for h in handles)
    # Keyboard without JavaScript: the first can't go up, the last can't go down.
    ups = soup.select("[data-series-move=up]")
    downs = soup.select("[data-series-move=down]")
    assert ups[0].has_attr("disabled") and not ups[1].has_attr("disabled")
    assert downs[-1].has_attr("disabled") and not downs[0].has_attr("disabled")


def test_move_down_and_up_with_the_buttons(client, admin, series):
    client.force_login(admin)
    stink = part("Stink Bomb")
    response = client.post(reorder_url(series), {"move": f"{stink.pk}:up"})
    assert response.status_code == 302 and response["Location"] == reorder_url(series)
    assert order(series) == ["Magnetic Rose", "Stink Bomb", "Hidden", "Secret"]
    ((level, text),) = messages_of(response)
    assert level == "success" and "Stink Bomb" in text and "Part 2" in text
    response = client.post(reorder_url(series), {"move": f"{stink.pk}:up"})
    assert order(series) == ["Stink Bomb", "Magnetic Rose", "Hidden", "Secret"]
    assert rows(client.get(reorder_url(series)))[:2] == [
        ("Part 1", "Stink Bomb"),
        ("Part 2", "Magnetic Rose"),
    ]
    # Already first: nothing moves, no message.
    response = client.post(reorder_url(series), {"move": f"{stink.pk}:up"})
    assert order(series)[0] == "Stink Bomb" and messages_of(response) == []
    client.post(reorder_url(series), {"move": f"{part('Hidden').pk}:down"})
    assert order(series) == ["Stink Bomb", "Magnetic Rose", "Secret", "Hidden"]


def test_a_drag_posts_the_new_index(client, admin, series):
    client.force_login(admin)
    response = client.post(position_url(series, part("Secret"), 0))
    assert response.status_code == 200
    assert order(series) == ["Secret", "Magnetic Rose", "Hidden", "Stink Bomb"]
    client.post(position_url(series, part("Secret"), 2))
    assert order(series) == ["Magnetic Rose", "Hidden", "Secret", "Stink Bomb"]
    # Past the end means last, as in Wagtail's own view.
    client.post(position_url(series, part("Magnetic Rose"), 99))
    assert order(series) == ["Hidden", "Secret", "Stink Bomb", "Magnetic Rose"]


def test_the_move_is_wagtails_own_and_logged(client, admin, series):
    from wagtail.models import PageLogEntry

    client.force_login(admin)
    client.post(position_url(series, part("Stink Bomb"), 0))
    entry = PageLogEntry.objects.filter(page=part("Stink Bomb")).latest("timestamp")
    assert entry.action == "wagtail.reorder" and entry.user == admin


def test_bad_requests(client, admin, series, home):
    client.force_login(admin)
    hidden = part("Hidden")
    no_position = reverse("wagtail_series_admin:set_part_position", args=[series.pk, hidden.pk])
    assert client.post(no_position).status_code == 400
    # A page that is not a part of this series.
    other = make_series(home, "Other")
    stranger = add_part(other, "Stranger")
    assert client.post(position_url(series, stranger, 0)).status_code == 404
    assert client.post(reorder_url(series), {"move": f"{stranger.pk}:up"}).status_code == 404
    assert client.get(reorder_url(stranger)).status_code == 404  # not a series
    response = client.post(reorder_url(series), {"move": "nonsense"})
    assert response.status_code == 302 and messages_of(response)[0][0] == "error"
    assert order(series) == ["Magnetic Rose", "Hidden", "Stink Bomb", "Secret"]


def test_reordering_needs_wagtails_reorder_permission(client, home, series):
    # Add and change, not publish: Wagtail doesn't let them reorder children either.
    editor = make_editor("editor", {home: ("add", "change")})
    client.force_login(editor)
    assert_permission_denied(client.get(reorder_url(series)))
    assert_permission_denied(client.post(position_url(series, part("Secret"), 0)))
    assert_permission_denied(client.post(reorder_url(series), {"move": f"{part('Secret').pk}:up"}))
    assert order(series) == ["Magnetic Rose", "Hidden", "Stink Bomb", "Secret"]
    index = client.get(series_index_url()).content.decode()
    assert reorder_url(series) not in index
    publisher = make_editor("publisher", {home: ("add", "change", "publish")})
    client.force_login(publisher)
    assert client.get(reorder_url(series)).status_code == 200
    client.post(position_url(series, part("Secret"), 0))
    assert order(series)[0] == "Secret"
    assert reorder_url(series) in client.get(series_index_url()).content.decode()


def test_anonymous_users_are_sent_to_log_in(client, series):
    response = client.get(reorder_url(series))
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(position_url(series, part("Secret"), 0))
    assert response.status_code == 302 and "login" in response["Location"]
    assert order(series)[0] == "Magnetic Rose"


def test_linked_from_the_index_and_the_parts_panel(client, admin, series):
    client.force_login(admin)
    assert reorder_url(series) in client.get(series_index_url()).content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[series.pk])).content.decode()
    soup = BeautifulSoup(edit, "html.parser")
    link = soup.select_one("[data-series-reorder-link]")
    assert link is not None and link["href"].startswith(reorder_url(series))


def test_titles_are_escaped(client, admin, home):
    series = make_series(home, "Escapes")
    add_part(series, "<b>bold</b>")
    add_part(series, "plain")
    client.force_login(admin)
    html = client.get(reorder_url(series)).content.decode()
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_move_purges_once(
    client,
    admin,
    series,
    purged,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    client.force_login(admin)
    purged.clear()
    # The propagation runs on commit, as in production.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(position_url(series, part("Stink Bomb"), 0))
    assert len(purged) == 1
    assert any(url.endswith("/memories/") for url in purged[0])


# The admin's own queries (session, user, permissions, menu) and ours: the series, the editor
# outline (one query per part page type: 3 with LinkedPart, one for view restrictions). The same
# for 3 and 300 parts.
REORDER_QUERIES = 11


@pytest.mark.parametrize("parts", [3, 300])
def test_queries_do_not_grow(client, admin, home, parts, django_assert_num_queries):
    series = make_series(home, f"Long {parts}")
    for i in range(parts):
        add_part(series, f"Part {i}", state="live")
    client.force_login(admin)
    client.get(reorder_url(series))
    with django_assert_num_queries(REORDER_QUERIES):
        response = client.get(reorder_url(series))
    assert len(rows(response)) == parts


def test_the_explorer_lists_a_series_in_series_order(client, admin, series):
    client.force_login(admin)
    client.post(position_url(series, part("Secret"), 0))
    response = client.get(reverse("wagtailadmin_explore", args=[series.pk]))
    assert response.status_code == 200
    assert response.context["ordering"] == "ord"
    titles = [page.title for page in response.context["pages"]]
    assert titles == ["Secret", "Magnetic Rose", "Hidden", "Stink Bomb"]
