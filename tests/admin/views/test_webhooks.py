"""The admin's read-only list of webhook deliveries: superusers only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from wagtail_series.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery():
    return WebhookDelivery.objects.create(
        endpoint_url="https://frontend.example/api/revalidate",
        event="published",
        series_id=3,
        payload={"event": "published", "series": {"id": 3}, "paths": ["/memories/"]},
        status=WebhookDelivery.Status.FAILED,
        attempts=4,
        last_error="TimeoutError: timed out",
    )


def test_superusers_see_the_deliveries_and_each_one(client, django_user_model, delivery):
    client.force_login(django_user_model.objects.create_superuser("boss", password="x"))
    listing = client.get("/admin/wagtail_series_webhook_deliveries/")
    assert listing.status_code == 200
    assert b"https://frontend.example/api/revalidate" in listing.content
    assert b"/new/" not in listing.content  # read-only: no add button
    detail = client.get(f"/admin/wagtail_series_webhook_deliveries/inspect/{delivery.pk}/")
    assert detail.status_code == 200
    assert b"TimeoutError: timed out" in detail.content
    failed = client.get("/admin/wagtail_series_webhook_deliveries/?status=failed")
    assert b"frontend.example" in failed.content
    assert client.get("/admin/wagtail_series_webhook_deliveries/new/").status_code == 404
    edit = f"/admin/wagtail_series_webhook_deliveries/edit/{delivery.pk}/"
    assert client.get(edit).status_code == 404


def test_other_admin_users_do_not(client, django_user_model, delivery):
    editors = Group.objects.create(name="Admin users")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = django_user_model.objects.create_user("editor", password="x")
    editor.groups.add(editors)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/wagtail_series_webhook_deliveries/")
    assert response.status_code == 302  # Wagtail's "permission denied" redirect
    assert b"frontend.example" not in client.get("/admin/", follow=True).content
