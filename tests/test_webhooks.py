"""Webhooks, sent to a real HTTP server on 127.0.0.1: payload, signature, retries, failures."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.conftest import Page, add_part, make_series, publish, reload, restrict
from tests.support import Receiver, dead_url, serve
from tests.test_frontend_cache import go_live_now
from wagtail_series import propagation, webhooks
from wagtail_series.models import WebhookDelivery

SECRET = "s3cret-shared-with-the-frontend"


def configure(settings, *urls: str, **options) -> None:
    settings.WAGTAIL_SERIES = {
        "WEBHOOKS": [{"url": url, "secret": SECRET} for url in urls],
        # Tiny, so failures are quick; no timing is asserted.
        "WEBHOOK_TIMEOUT": 0.3,
        "WEBHOOK_BACKOFF": 0.01,
        "WEBHOOK_MAX_ATTEMPTS": 3,
        **options,
    }


@pytest.fixture
def site_root(transactional_db):
    """The default site's root page, for tests with real commits: a transactional test before
    may have emptied the database (its flush removes what migrations created)."""
    from wagtail.models import Locale, Site

    from tests.conftest import Page

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=Page(title="Home", slug="home", live=True))
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return site.root_page.specific


@pytest.fixture
def demo(memories, receiver, settings):
    pages = memories()
    configure(settings, receiver.url)
    return pages


def payloads(receiver: Receiver) -> list[dict]:
    return [r.json for r in receiver.received]


@pytest.mark.django_db
def test_publishing_sends_one_signed_webhook(demo, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stink = publish(demo["stink"])
    (request,) = receiver.received
    # The signature, checked the way a receiver does it, independently of our code.
    expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Wagtail-Series-Signature"] == expected
    assert webhooks.verify(request.body, SECRET, request.headers["X-Wagtail-Series-Signature"])
    assert not webhooks.verify(request.body + b" ", SECRET, expected)
    assert request.headers["X-Wagtail-Series-Event"] == "published"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    series = demo["series"]
    payload = request.json
    timestamp = payload.pop("timestamp")
    assert dt.datetime.fromisoformat(timestamp).tzinfo is not None
    assert payload == {
        "event": "published",
        "series": {"id": series.pk, "slug": "memories", "url": "http://localhost/memories/"},
        "part": {
            "id": stink.pk,
            "url": "http://localhost/memories/stink-bomb/",
            "status": "published",
        },
        "paths": [
            "/memories/",
            "/memories/feed/",
            "/memories/feed/atom/",
            "/memories/feed/json/",
            "/memories/magnetic-rose/",
            "/memories/stink-bomb/",
            "/series/feed/",
            "/series/feed/atom/",
            "/series/feed/json/",
        ],
    }
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert (delivery.attempts, delivery.response_code) == (1, 200)
    assert request.headers["X-Wagtail-Series-Delivery"] == str(delivery.uuid)


@pytest.mark.django_db
def test_every_endpoint_gets_its_own_delivery(
    demo,
    receiver,
    settings,
    django_capture_on_commit_callbacks,
):
    other = Receiver()
    server = serve(other)
    try:
        configure(settings, receiver.url, other.url)
        with django_capture_on_commit_callbacks(execute=True):
            publish(demo["stink"])
    finally:
        server.shutdown()
        server.server_close()
    assert len(receiver.received) == len(other.received) == 1
    assert WebhookDelivery.objects.filter(status="succeeded").count() == 2


@pytest.fixture
def no_sleep(monkeypatch):
    """Any sleep in this process fails the test: the publish and its inline propagation (the
    immediate backend, as in a web process) must never wait between attempts."""

    publishing_thread, real_sleep = threading.current_thread(), time.sleep

    def refuse(seconds):
        if threading.current_thread() is publishing_thread:
            raise AssertionError(f"slept {seconds} s in the thread that published")
        real_sleep(seconds)  # the receiver's own threads (a hanging endpoint)

    monkeypatch.setattr("time.sleep", refuse)


def send_pending(**options) -> str:
    """What cron runs: ``send_pending_webhooks``, once every retry is due (as time would pass)."""
    WebhookDelivery.objects.filter(status="pending").update(next_attempt_at=timezone.now())
    out = StringIO()
    call_command("send_pending_webhooks", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_a_500_is_retried_by_send_pending_webhooks_never_inline(
    demo, receiver, settings, no_sleep, django_capture_on_commit_callbacks
):
    configure(settings, receiver.url, WEBHOOK_BACKOFF=3600)  # due in an hour, then two
    receiver.script = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        publish(demo["stink"])
    # One attempt in the publishing process; the retry is scheduled, not waited for.
    assert len(receiver.received) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at > delivery.created_at and delivery.claimed_at is None
    # Not due yet: cron finds nothing to send.
    out = StringIO()
    call_command("send_pending_webhooks", stdout=out)
    assert "0 pending deliveries sent" in out.getvalue()
    assert "1 pending delivery sent: 0 succeeded, 0 failed, 1 queued or to retry" in send_pending()
    assert "1 pending delivery sent: 1 succeeded, 0 failed" in send_pending()
    assert len(receiver.received) == 3
    assert len({r.body for r in receiver.received}) == 1  # the same body, the same signature
    assert len({r.headers["X-Wagtail-Series-Delivery"] for r in receiver.received}) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 3, 200)
    assert "0 pending deliveries sent" in send_pending()


@pytest.mark.django_db
def test_a_4xx_is_not_retried(demo, receiver, django_capture_on_commit_callbacks):
    receiver.script = [401]
    with django_capture_on_commit_callbacks(execute=True):
        publish(demo["stink"])
    assert len(receiver.received) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 1, 401)


@pytest.mark.django_db
def test_a_hanging_receiver_gets_one_attempt_per_batch_and_no_sleep(
    demo, receiver, no_sleep, django_capture_on_commit_callbacks
):
    # It answers only after 2 s; each attempt gives up after 0.3 s.
    receiver.script = [("sleep", 2.0)] * 3
    with propagation.batch(), django_capture_on_commit_callbacks(execute=True):
        stink = publish(demo["stink"])
        reload(demo["rose"]).unpublish()
    assert reload(stink).live
    # Two deliveries to the endpoint; after the first timed out, the second is not attempted.
    first, second = WebhookDelivery.objects.order_by("id")
    assert (first.status, first.attempts, first.response_code) == ("pending", 1, None)
    assert "timed out" in first.last_error.lower()
    assert (second.status, second.attempts) == ("pending", 0)
    assert len(receiver.received) == 1
    # cron sends both (the endpoint hangs once more, then answers).
    send_pending()
    send_pending()
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


@pytest.mark.django_db
def test_a_dead_endpoint_neither_breaks_nor_holds_the_publish(
    memories, settings, no_sleep, django_capture_on_commit_callbacks
):
    pages = memories()
    configure(settings, dead_url())
    with django_capture_on_commit_callbacks(execute=True):
        stink = publish(pages["stink"])
    assert reload(stink).live
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "refused" in delivery.last_error.lower()
    send_pending()
    assert "1 pending delivery sent: 0 succeeded, 1 failed" in send_pending()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(site_root, receiver, settings):
    configure(settings, receiver.url)
    series = make_series(site_root, "Memories")
    draft = add_part(series, "Stink Bomb", state="draft")
    receiver.received.clear()
    WebhookDelivery.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(draft)
        raise RuntimeError("the publish failed")
    assert not reload(draft).live
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()
    # And the same publish, committed: sent once.
    publish(draft)
    assert [p["event"] for p in payloads(receiver)] == ["published"]


@pytest.mark.django_db(transaction=True)
def test_an_editors_publish_through_the_admin_sends_one_webhook_and_one_purge(
    site_root,
    receiver,
    settings,
    client,
    django_user_model,
    purged,
):
    configure(settings, receiver.url)
    series = make_series(site_root, "Memories")
    draft = add_part(series, "Stink Bomb", state="draft", forthcoming_teaser="Soon.")
    receiver.received.clear()
    purged.clear()
    client.force_login(django_user_model.objects.create_superuser("editor", password="x"))
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    response = client.post(
        f"/admin/pages/{draft.pk}/edit/",
        nested_form_data(
            {
                "title": "Stink Bomb",
                "slug": "stink-bomb",
                "intro": "A cold remedy goes very wrong.",
                "body": streamfield([]),
                "announce_forthcoming": "on",
                "forthcoming_title": "",
                "forthcoming_teaser": "Soon.",
                "expected_date": "",
                "comments-TOTAL_FORMS": 0,
                "comments-INITIAL_FORMS": 0,
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    assert reload(draft).live
    # The editor's publish saved the page three times and sent page_published: one batch.
    assert [p["event"] for p in payloads(receiver)] == ["published"]
    assert len(purged) == 1


@pytest.mark.django_db
def test_scheduling_then_publish_scheduled(
    demo,
    receiver,
    client,
    django_capture_on_commit_callbacks,
):
    stink = reload(demo["stink"])
    stink.go_live_at = timezone.now() + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        stink.save_revision().publish()
    # Scheduled: still forthcoming (its expected date changed), never "published" yet.
    (scheduled,) = payloads(receiver)
    assert scheduled["event"] == "scheduled"
    assert scheduled["part"] == {"id": stink.pk, "url": None, "status": "forthcoming"}
    assert "/memories/stink-bomb/" not in scheduled["paths"]
    receiver.received.clear()

    go_live_now(stink)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=StringIO())
    (published,) = payloads(receiver)
    assert published["event"] == "published"
    assert published["part"] == {
        "id": stink.pk,
        "url": "http://localhost/memories/stink-bomb/",
        "status": "published",
    }
    # And readers see the link: in the HTML of the other parts and in the feeds.
    html = client.get("/memories/magnetic-rose/").content.decode()
    assert 'href="/memories/stink-bomb/"' in html
    assert b"http://localhost/memories/stink-bomb/" in client.get("/memories/feed/").content


@pytest.mark.django_db
def test_expiry_through_publish_scheduled_sends_one_unpublished(
    demo,
    receiver,
    django_capture_on_commit_callbacks,
):
    from wagtail_series.compat import get_page_model

    get_page_model().objects.filter(pk=demo["rose"].pk).update(
        expire_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=StringIO())
    (payload,) = payloads(receiver)
    assert payload["event"] == "unpublished"
    # Forthcoming again (announced), and its old path is to be revalidated.
    assert payload["part"]["status"] == "forthcoming"
    assert "/memories/magnetic-rose/" in payload["paths"]


@pytest.mark.django_db
def test_payloads_never_carry_what_readers_cant_see(
    home,
    receiver,
    settings,
    django_capture_on_commit_callbacks,
):
    """Private, draft and unannounced parts, and private series, appear as ids only."""
    configure(settings, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        series = make_series(home, "Memories")
        add_part(series, "Public part")
        unannounced = add_part(
            series,
            "CANARYUNANNOUNCED",
            state="draft",
            announce_forthcoming=False,
            forthcoming_teaser="CANARYTEASER",
        )
        draft = add_part(series, "CANARYDRAFT", state="draft", forthcoming_title="Coming")
        private = add_part(series, "CANARYPRIVATEPART", state="draft")
        restrict(private, PageViewRestriction.LOGIN)
        publish(private)
        draft = reload(draft)
        draft.intro = "CANARYDRAFTINTRO"
        draft.save()
        unannounced = reload(unannounced)
        unannounced.forthcoming_teaser = "CANARYTEASER2"
        unannounced.save()
        private_series = make_series(home, "CANARYPRIVATESERIES", live=False)
        restrict(private_series, PageViewRestriction.LOGIN)
        publish(private_series)
        add_part(private_series, "CANARYPRIVATESERIESPART")
    sent = [r.body.decode().lower() for r in receiver.received]
    assert len(sent) >= 5
    for body in sent:
        assert "canary" not in body, body
    statuses = {p["part"]["id"]: p["part"]["status"] for p in payloads(receiver) if p["part"]}
    assert statuses[reload(private).pk] == "hidden"
    assert statuses[draft.pk] == "forthcoming"
    hidden_series = [p for p in payloads(receiver) if p["series"]["id"] == private_series.pk]
    assert hidden_series and all(p["series"]["slug"] is None for p in hidden_series)


@pytest.mark.django_db
def test_webhooks_without_a_frontend_cache_and_vice_versa(
    demo,
    receiver,
    purged,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.WAGTAIL_SERIES = {}
    with django_capture_on_commit_callbacks(execute=True):
        publish(demo["stink"])
    assert receiver.received == [] and len(purged) == 1


@pytest.mark.django_db
def test_resend_failed_webhooks(memories, settings, receiver, django_capture_on_commit_callbacks):
    pages = memories()
    configure(settings, receiver.url, WEBHOOK_MAX_ATTEMPTS=1)
    receiver.script = [500, 500]
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["stink"])
        reload(pages["rose"]).unpublish()
    assert WebhookDelivery.objects.filter(status="failed").count() == 2
    old = WebhookDelivery.objects.get(event="published")
    WebhookDelivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )

    out = StringIO()
    call_command("resend_failed_webhooks", "--dry-run", stdout=out)
    assert "2 failed deliveries would be sent again" in out.getvalue()
    assert len(receiver.received) == 2

    since = (timezone.now() - dt.timedelta(days=1)).date().isoformat()
    out = StringIO()
    call_command("resend_failed_webhooks", "--since", since, stdout=out)
    assert "1 failed delivery sent again: 1 succeeded, 0 failed" in out.getvalue()
    assert [p["event"] for p in payloads(receiver)][-1] == "unpublished"
    assert WebhookDelivery.objects.get(event="unpublished").status == "succeeded"
    assert WebhookDelivery.objects.get(event="published").status == "failed"

    call_command("resend_failed_webhooks", stdout=StringIO())
    assert not WebhookDelivery.objects.filter(status="failed").exists()


@pytest.mark.django_db
def test_resend_skips_endpoints_no_longer_configured(
    memories, settings, django_capture_on_commit_callbacks
):
    pages = memories()
    configure(settings, dead_url(), WEBHOOK_MAX_ATTEMPTS=1)
    with django_capture_on_commit_callbacks(execute=True):
        publish(pages["stink"])
    configure(settings)  # the endpoint was removed
    out = StringIO()
    call_command("resend_failed_webhooks", stdout=out)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("failed", "endpoint no longer configured")


def test_the_body_is_compact_sorted_utf8():
    body = webhooks.encode({"b": 1, "a": "é"})
    assert body == '{"a":"é","b":1}'.encode()
    assert json.loads(body) == {"a": "é", "b": 1}


@pytest.mark.django_db
def test_unpublishing_a_series_names_the_pages_that_lose_its_chrome(
    demo, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reload(demo["series"]).unpublish()
    (payload,) = payloads(receiver)
    assert payload["event"] == "unpublished"
    assert payload["series"] == {"id": demo["series"].pk, "slug": None, "url": None}
    assert payload["part"] is None
    assert {"/memories/", "/memories/feed/", "/memories/magnetic-rose/"} <= set(payload["paths"])


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["series", "section above it"])
def test_restricting_a_series_names_the_pages_readers_lose(
    home, where, receiver, settings, django_capture_on_commit_callbacks
):
    """A frontend serving the series statically must drop every page that just became private:
    the series, its feeds and its public parts, whether the series or a page above it is
    restricted."""
    configure(settings, receiver.url)
    section = home
    if where != "series":
        section = Page(title="Films", slug="films")
        home.add_child(instance=section)
        section = reload(section)
    series = make_series(section, "Memories")
    add_part(series, "Magnetic Rose")
    restrict(add_part(series, "Members part"), PageViewRestriction.LOGIN)
    prefix = "/films/memories/" if where != "series" else "/memories/"
    with django_capture_on_commit_callbacks(execute=True):
        restrict(reload(series) if where == "series" else section, PageViewRestriction.LOGIN)
    (payload,) = [p for p in payloads(receiver) if p["event"] == "restriction"]
    assert payload["series"] == {"id": series.pk, "slug": None, "url": None}
    assert {prefix, prefix + "feed/", prefix + "magnetic-rose/"} <= set(payload["paths"])
    # Never a page that was private already.
    assert prefix + "members-part/" not in payload["paths"]
