"""The worker's side: who is notified of what, exactly once; claims; hard and soft SMTP
failures; a killed sender's batch picked up again; publishing without notifying."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.conftest import add_part, make_series, publish, reload, restrict
from wagtail_series.contrib.followers import tasks, tokens
from wagtail_series.contrib.followers.models import (
    Delivery,
    Follower,
    Notification,
    PublishChoice,
)

pytestmark = pytest.mark.django_db


def go_live(page, capture):
    with capture(execute=True):
        return publish(page)


def test_every_active_follower_gets_one_email(memories, django_capture_on_commit_callbacks):
    pages = memories()
    for i in range(5):
        Follower.objects.create(email=f"r{i}@example.com", series=pages["series"])
    Follower.objects.create(email="gone@example.com", series=pages["series"], active=False)
    other = make_series(reload(pages["series"]).get_parent(), "Other")
    Follower.objects.create(email="other@example.com", series=other)
    go_live(pages["stink"], django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == [f"r{i}@example.com" for i in range(5)]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 5
    # Rendered once, addressed each: every email carries its own address's unsubscribe URL.
    urls = set()
    for message in mail.outbox:
        url = message.extra_headers["List-Unsubscribe"][1:-1]
        assert url in message.body and url in message.alternatives[0][0]
        assert "unsubscribe.invalid" not in message.body + message.alternatives[0][0]
        assert tokens.read_unsubscribe(url.rstrip("/").rsplit("/", 1)[1])[0] == message.to[0]
        urls.add(url)
    assert len(urls) == 5
    # Running the tasks again sends nothing more.
    notification = Notification.objects.get()
    assert tasks.plan(pages["stink"].pk) is None
    assert tasks.deliver(notification.pk) == 0
    assert len(mail.outbox) == 5


def test_no_email_for_a_part_only_restricted_readers_see(
    memories, django_capture_on_commit_callbacks
):
    pages = memories()
    Follower.objects.create(email="a@example.com", series=pages["series"])
    restrict(pages["stink"], "login")
    go_live(pages["stink"], django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_no_email_for_a_republished_part(memories, django_capture_on_commit_callbacks):
    pages = memories()
    Follower.objects.create(email="a@example.com", series=pages["series"])
    go_live(pages["rose"], django_capture_on_commit_callbacks)  # published already
    assert mail.outbox == []


def test_publishing_without_notifying_is_remembered_on_the_revision(
    memories, django_capture_on_commit_callbacks
):
    pages = memories()
    Follower.objects.create(email="a@example.com", series=pages["series"])
    stink = reload(pages["stink"])
    revision = stink.save_revision()
    PublishChoice.objects.create(revision_id=revision.pk, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    assert mail.outbox == []
    assert Notification.objects.get().silent
    # Unpublished and published again: still no email (it was live before).
    with django_capture_on_commit_callbacks(execute=True):
        reload(stink).unpublish()
        publish(stink)
    assert mail.outbox == []


def test_unticking_the_checkbox_in_the_editor(
    client, admin_user, memories, django_capture_on_commit_callbacks
):
    from wagtail.test.utils.form_data import nested_form_data

    pages = memories()
    Follower.objects.create(email="a@example.com", series=pages["series"])
    client.force_login(admin_user)
    stink = reload(pages["stink"])
    edit_url = f"/admin/pages/{stink.pk}/edit/"
    page = client.get(edit_url)
    assert 'name="wagtail_series_followers_notify"' in page.content.decode()
    data = nested_form_data(
        {
            "title": stink.title,
            "slug": stink.slug,
            "forthcoming_title": "",
            "forthcoming_teaser": stink.forthcoming_teaser,
            "announce_forthcoming": "on",
            "intro": "A cold remedy.",
            "body-count": 0,
            "action-publish": "action-publish",
            "publish_empty": "on",
            "wagtail_series_followers_notify_shown": "1",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert reload(stink).live
    assert mail.outbox == []
    assert Notification.objects.get(page_id=stink.pk).silent


def test_the_checkbox_ticked_notifies(
    client, admin_user, memories, django_capture_on_commit_callbacks
):
    from wagtail.test.utils.form_data import nested_form_data

    pages = memories()
    Follower.objects.create(email="a@example.com", series=pages["series"])
    client.force_login(admin_user)
    stink = reload(pages["stink"])
    data = nested_form_data(
        {
            "title": stink.title,
            "slug": stink.slug,
            "forthcoming_teaser": stink.forthcoming_teaser,
            "announce_forthcoming": "on",
            "intro": "A cold remedy.",
            "body-count": 0,
            "action-publish": "action-publish",
            "publish_empty": "on",
            "wagtail_series_followers_notify_shown": "1",
            "wagtail_series_followers_notify": "1",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/{stink.pk}/edit/", data)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["a@example.com"]]


def test_claims_do_not_overlap_and_a_dead_senders_claim_expires(home, settings):
    series = make_series(home)
    part = add_part(series, "P1", state="live")
    notification = Notification.objects.create(page_id=part.pk, series_ids=[series.pk])
    Delivery.objects.bulk_create(
        Delivery(notification=notification, email=f"r{i}@example.com", series_ids=[series.pk])
        for i in range(10)
    )
    token_a, first = tasks.claim_batch(notification.pk, size=4)
    token_b, second = tasks.claim_batch(notification.pk, size=4)
    assert len(first) == len(second) == 4
    assert not {d.pk for d in first} & {d.pk for d in second}
    # A's worker dies: its claim holds until FOLLOWERS_CLAIM_TIMEOUT.
    Delivery.objects.filter(claim=token_a).update(
        claimed_at=timezone.now() - dt.timedelta(seconds=301)
    )
    _token_c, third = tasks.claim_batch(notification.pk, size=10)
    unclaimed = 10 - 4 - 4
    assert len(third) == 4 + unclaimed
    assert {d.pk for d in first} <= {d.pk for d in third}
    # B's rows are still B's.
    assert not {d.pk for d in second} & {d.pk for d in third}


def test_a_dead_senders_batch_is_sent_once_by_the_next(
    memories, django_capture_on_commit_callbacks
):
    pages = memories()
    for i in range(6):
        Follower.objects.create(email=f"r{i}@example.com", series=pages["series"])
    stink = publish(pages["stink"])  # no on_commit: plan by hand, as the worker would
    notification = tasks.plan(stink.pk)
    # A sender claimed three and died before sending them.
    token, batch = tasks.claim_batch(notification.pk, size=3)
    Delivery.objects.filter(claim=token).update(
        claimed_at=timezone.now() - dt.timedelta(seconds=301)
    )
    # The next sender sends its batch too, once the dead sender's claim has expired.
    tasks.deliver(notification.pk)
    assert sorted(m.to[0] for m in mail.outbox) == [f"r{i}@example.com" for i in range(6)]
    mail.outbox.clear()
    call_command("send_pending_notifications")
    assert mail.outbox == []
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 6


def test_a_live_claim_is_left_alone_then_recovered(memories):
    pages = memories()
    for i in range(4):
        Follower.objects.create(email=f"r{i}@example.com", series=pages["series"])
    stink = publish(pages["stink"])
    notification = tasks.plan(stink.pk)
    token, batch = tasks.claim_batch(notification.pk, size=2)
    tasks.deliver(notification.pk)
    assert len(mail.outbox) == 2  # not the two claimed by a live sender
    call_command("send_pending_notifications")
    assert len(mail.outbox) == 2
    Delivery.objects.filter(claim=token).update(
        claimed_at=timezone.now() - dt.timedelta(seconds=301)
    )
    call_command("send_pending_notifications")  # the immediate backend runs it at once
    assert sorted(m.to[0] for m in mail.outbox) == [f"r{i}@example.com" for i in range(4)]


def test_hard_rejection_marks_the_follower_inactive(
    smtp, memories, django_capture_on_commit_callbacks
):
    pages = memories()
    other = make_series(reload(pages["series"]).get_parent(), "Other")
    Follower.objects.create(email="ok@example.com", series=pages["series"])
    Follower.objects.create(email="gone@example.com", series=pages["series"])
    Follower.objects.create(email="gone@example.com", series=other)
    Follower.objects.create(email="busy@example.com", series=pages["series"])
    smtp.mailbox.reject["gone@example.com"] = "550 5.1.1 No such user"
    smtp.mailbox.reject["busy@example.com"] = "451 4.2.0 Try later"
    go_live(pages["stink"], django_capture_on_commit_callbacks)
    assert [m["To"] for m in smtp.mailbox.messages] == ["ok@example.com"]
    gone = Delivery.objects.get(email="gone@example.com")
    assert gone.status == Delivery.Status.FAILED
    assert "550" in gone.last_error
    assert not Follower.objects.filter(email="gone@example.com", active=True).exists()
    busy = Delivery.objects.get(email="busy@example.com")
    assert busy.status == Delivery.Status.PENDING
    assert busy.next_attempt_at > timezone.now()
    assert Follower.objects.get(email="busy@example.com").active
    # The retry, once due, once the server accepts.
    del smtp.mailbox.reject["busy@example.com"]
    Delivery.objects.filter(pk=busy.pk).update(next_attempt_at=timezone.now())
    call_command("send_pending_notifications")
    assert [m["To"] for m in smtp.mailbox.messages] == ["ok@example.com", "busy@example.com"]


def test_an_smtp_server_down_loses_nothing(memories, settings, django_capture_on_commit_callbacks):
    from tests.contrib.followers.smtp import SMTPServer, free_port

    pages = memories()
    Follower.objects.create(email="a@example.com", series=pages["series"])
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    go_live(pages["stink"], django_capture_on_commit_callbacks)  # nobody listening
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    with SMTPServer(port) as server:
        call_command("send_pending_notifications")
    assert [m["To"] for m in server.mailbox.messages] == ["a@example.com"]


def test_one_delivery_per_address_and_part_in_the_database(memories):
    pages = memories()
    stink = publish(pages["stink"])
    notification = Notification.objects.create(page_id=stink.pk, series_ids=[pages["series"].pk])
    Delivery.objects.create(
        notification=notification, email="a@example.com", series_ids=[pages["series"].pk]
    )
    # The database refuses a second email to the address about the part.
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            notification=notification, email="a@example.com", series_ids=[pages["series"].pk]
        )


def test_a_lost_go_live_task_is_planned_again_by_cron(
    memories, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A worker killed while planning leaves its task unfinished for good (django-tasks-db keeps
    it RUNNING): ``send_pending_notifications`` plans the part again, once."""
    pages = memories()
    Follower.objects.create(email="r@example.com", series=pages["series"])
    lost = []
    real_enqueue = tasks.enqueue

    def lose_go_live(task_obj, *args, **kwargs):
        if task_obj is tasks.part_went_live:
            lost.append(args)
            return None
        return real_enqueue(task_obj, *args, **kwargs)

    monkeypatch.setattr(tasks, "enqueue", lose_go_live)
    go_live(pages["stink"], django_capture_on_commit_callbacks)
    assert lost and mail.outbox == [] and not Notification.objects.exists()
    monkeypatch.setattr(tasks, "enqueue", real_enqueue)
    # Too recent: a live worker may still be planning it.
    assert tasks.recover_unplanned() == []
    later = timezone.now() + dt.timedelta(seconds=301)  # FOLLOWERS_CLAIM_TIMEOUT: 300
    with django_capture_on_commit_callbacks(execute=True):
        # (Part 1's task never ran either: the fixture built it outside a commit.)
        assert tasks.recover_unplanned(later) == sorted([pages["rose"].pk, pages["stink"].pk])
    # Only Stink Bomb went live after the reader followed.
    assert [m.to for m in mail.outbox] == [["r@example.com"]]
    assert "Stink Bomb" in mail.outbox[0].subject
    # Planned: never again.
    assert tasks.recover_unplanned(later) == []
    assert len(mail.outbox) == 1


def test_a_part_made_public_is_announced_once(memories, django_capture_on_commit_callbacks):
    """Published while restricted, nobody is told; once the restriction goes, the part is
    visible to anonymous readers for the first time: its followers are told, once."""
    pages = memories()
    Follower.objects.create(email="r@example.com", series=pages["series"])
    restriction = restrict(reload(pages["stink"]), "login")
    go_live(pages["stink"], django_capture_on_commit_callbacks)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert [m.to for m in mail.outbox] == [["r@example.com"]]
    # Restricted and opened again: announced already.
    with django_capture_on_commit_callbacks(execute=True):
        restrict(reload(pages["stink"]), "login").delete()
    assert len(mail.outbox) == 1
