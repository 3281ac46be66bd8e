"""Admin: follower counts per series (counts only), the email preview of a part, and finding,
exporting and deleting an address; who may see what."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from tests.conftest import publish
from tests.series_admin_helpers import make_editor
from wagtail_series.contrib.followers.models import Delivery, Follower

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(memories):
    pages = memories()
    for i in range(3):
        Follower.objects.create(email=f"r{i}@example.com", series=pages["series"])
    Follower.objects.create(email="gone@example.com", series=pages["series"], active=False)
    return pages


def test_counts_per_series_never_addresses(client, admin_user, followed):
    client.force_login(admin_user)
    response = client.get("/admin/series-followers/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-series="{followed["series"].pk}">3<' in html
    assert "@example.com" not in html


def test_preview_of_a_parts_email(client, admin_user, followed):
    client.force_login(admin_user)
    stink = publish(followed["stink"])
    response = client.get(f"/admin/series-followers/preview/{stink.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Memories: Part 2: Stink Bomb" in html
    assert "A cold remedy goes very wrong." in html
    # A preview sends nothing and records nothing.
    assert Delivery.objects.count() == 0
    assert mail.outbox == []
    # The part's editor links to it (its header's "..." menu).
    editor = client.get(f"/admin/pages/{stink.pk}/edit/").content.decode()
    assert f'href="/admin/series-followers/preview/{stink.pk}/"' in editor


def test_find_export_and_delete_an_address(client, admin_user, followed):
    client.force_login(admin_user)
    page = client.get("/admin/series-followers/address/", {"email": "r1@example.com"})
    assert "Memories" in page.content.decode()
    export = client.get(
        "/admin/series-followers/address/", {"email": "R1@Example.com", "export": "1"}
    )
    data = json.loads(export.content)
    assert data["follows"][0]["series"] == "Memories"
    assert export["Content-Disposition"].startswith("attachment")
    response = client.post("/admin/series-followers/address/delete/", {"email": "r1@example.com"})
    assert response.status_code == 302
    assert not Follower.objects.filter(email="r1@example.com").exists()
    assert Follower.objects.count() == 3


def test_editors_see_counts_not_addresses(client, followed):
    editor = make_editor("editor", {followed["series"]: ("change",)})
    client.force_login(editor)
    assert client.get("/admin/series-followers/").status_code == 200
    # Refused (Wagtail's admin redirects with a message).
    found = client.get("/admin/series-followers/address/", {"email": "r1@example.com"})
    assert found.status_code in (302, 403)
    assert "r1@example.com" not in found.content.decode()
    deleted = client.post("/admin/series-followers/address/delete/", {"email": "r1@example.com"})
    assert deleted.status_code in (302, 403)
    assert Follower.objects.filter(email="r1@example.com").exists()
