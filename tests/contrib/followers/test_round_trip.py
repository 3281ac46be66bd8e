"""Against a real SMTP server on the loopback: follow, confirm by the emailed link, get one email
when the next part goes live (HTML and text, RFC 8058 headers), unsubscribe in one click."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import publish, reload
from tests.contrib.followers.helpers import follow_by_email, link_in
from tests.contrib.followers.smtp import html_of, text_of
from wagtail_series.contrib.followers.models import Delivery, Follower, Notification

pytestmark = pytest.mark.django_db


def test_follow_confirm_notify_unsubscribe(
    client, smtp, memories, django_capture_on_commit_callbacks
):
    pages = memories()
    series = pages["series"]
    confirmation = follow_by_email(
        client, smtp, series.pk, "reader@example.com", django_capture_on_commit_callbacks
    )
    assert "Memories" in confirmation["Subject"]
    assert confirmation.get_body(preferencelist=("html",)) is not None
    assert Follower.objects.filter(email="reader@example.com", series=series, active=True).exists()
    smtp.mailbox.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["stink"])

    [message] = smtp.mailbox.to("reader@example.com")
    assert message["Subject"] == "Memories: Part 2: Stink Bomb"
    text = text_of(message)
    assert "A cold remedy goes very wrong." in text
    assert "http://localhost/memories/stink-bomb/" in text
    # What is announced next.
    assert "Part 3: Cannon Fodder" in text
    assert "Stink Bomb" in html_of(message)
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link_in(text, "unsubscribe") == urlsplit(unsubscribe[1:-1]).path
    assert Delivery.objects.get().status == Delivery.Status.SENT

    # A re-publish, and an unpublish and publish again: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["stink"])
        reload(pages["stink"]).unpublish()
        publish(pages["stink"])
    assert len(smtp.mailbox.to("reader@example.com")) == 1
    assert Notification.objects.count() == 1

    # One click (RFC 8058): a POST with List-Unsubscribe=One-Click, no login, no CSRF token.
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post(
        urlsplit(unsubscribe[1:-1]).path, data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Follower.objects.get(email="reader@example.com").active

    # Unsubscribed: nothing for the next part.
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["cannon"])
    assert len(smtp.mailbox.to("reader@example.com")) == 1


def test_scheduled_publish_notifies_once(smtp, memories, django_capture_on_commit_callbacks):
    pages = memories()
    Follower.objects.create(email="a@example.com", series=pages["series"])
    stink = reload(pages["stink"])
    stink.go_live_at = timezone.now() - timezone.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        stink.save_revision(approved_go_live_at=stink.go_live_at)
    assert smtp.mailbox.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert reload(stink).live
    [message] = smtp.mailbox.to("a@example.com")
    assert "Stink Bomb" in message["Subject"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert len(smtp.mailbox.messages) == 1
