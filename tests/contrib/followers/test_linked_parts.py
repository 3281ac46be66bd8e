"""Followers and linked parts (issues 13 and 15): a page linked in series notifies their
followers when it first goes live, and a reader following two series it is in gets one email
naming both."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.conftest import make_series, publish, reload
from tests.reader.test_linked import add_link, add_review
from wagtail_series.contrib.followers.models import Delivery, Follower, Notification

pytestmark = pytest.mark.django_db


def test_a_linked_target_going_live_notifies_each_follower_once_naming_every_series(
    home, memories, django_capture_on_commit_callbacks
):
    pages = memories()
    best = make_series(home, "Best of")
    # Stink Bomb is a child of Memories and linked in "Best of"; a review is linked in "Best of".
    add_link(best, "Stink Bomb", pages["stink"])
    review = add_review(home, "Akira review", live=False)
    add_link(best, "Akira", review)
    Follower.objects.create(email="both@example.com", series=pages["series"])
    Follower.objects.create(email="both@example.com", series=best)
    Follower.objects.create(email="best@example.com", series=best)
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["stink"])
    assert sorted(m.to[0] for m in mail.outbox) == ["best@example.com", "both@example.com"]
    both = next(m for m in mail.outbox if m.to == ["both@example.com"])
    assert "Memories" in both.body and "Best of" in both.body
    assert Delivery.objects.get(email="both@example.com").series_ids == sorted(
        [pages["series"].pk, best.pk]
    )
    mail.outbox.clear()
    # A page of a type that knows nothing of series: its series' followers are told too.
    with django_capture_on_commit_callbacks(execute=True):
        publish(review)
    assert sorted(m.to[0] for m in mail.outbox) == ["best@example.com", "both@example.com"]
    assert all("Akira review" in m.body for m in mail.outbox)
    # Publishing it again tells nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reload(review).save_revision().publish()
    assert mail.outbox == []


def test_a_page_in_no_series_notifies_nobody(home, django_capture_on_commit_callbacks):
    Follower.objects.create(email="r@example.com", series=make_series(home, "Quiet"))
    with django_capture_on_commit_callbacks(execute=True):
        add_review(home, "Unrelated")
    assert mail.outbox == []
    assert not Notification.objects.exists()
