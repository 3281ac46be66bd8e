"""Following: the JSON endpoint and the form. Bad input answers 400 with a message, sends
nothing and stores nothing; the same answer whether or not the address already follows; rate
limits; the honeypot; forged, expired and replayed confirmation links."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from tests.conftest import make_series, restrict
from tests.contrib.followers.helpers import FOLLOW_URL, link_in, post_json
from wagtail_series.contrib.followers import tokens
from wagtail_series.contrib.followers.models import Follower

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(home):
    return make_series(home, "Memories")


def follow(client, capture, data, **extra):
    with capture(execute=True):
        return post_json(client, data, **extra)


def test_follow_sends_a_confirmation_and_stores_nothing(
    client, series, django_capture_on_commit_callbacks
):
    response = follow(
        client, django_capture_on_commit_callbacks, {"series": series.pk, "email": "a@example.com"}
    )
    assert response.status_code == 202
    assert "confirmation" in response.json()["message"]
    [message] = mail.outbox
    assert message.to == ["a@example.com"]
    assert Follower.objects.count() == 0
    path = link_in(message.body, "confirm")
    # A GET (a link scanner) confirms nothing; the button's POST does.
    assert client.get(path).status_code == 200
    assert Follower.objects.count() == 0
    assert client.post(path).status_code == 200
    assert Follower.objects.filter(email="a@example.com", series=series, active=True).count() == 1
    # Confirming twice is harmless.
    assert client.post(path).status_code == 200
    assert Follower.objects.count() == 1


def test_same_answer_whether_or_not_the_address_follows(
    client, series, django_capture_on_commit_callbacks
):
    data = {"series": series.pk, "email": "a@example.com"}
    first = follow(client, django_capture_on_commit_callbacks, data)
    Follower.objects.create(email="a@example.com", series=series)
    second = follow(client, django_capture_on_commit_callbacks, data)
    assert (first.status_code, first.json()) == (second.status_code, second.json())


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-address"},
        {"email": "a@example.com\nBcc: victim@example.com"},
        {"email": "a@example.com\r\nSubject: spam"},
        {"email": "a@exa\u0000mple.com"},
        {"email": ""},
        {"email": None},
        {"email": ["a@example.com"]},
        {"email": "x" * 300 + "@example.com"},
        {"series": 999999},
        {"series": "abc"},
        {"series": -1},
        {"series": 10**30},
        {"series": None},
    ],
)
def test_bad_input_is_a_400_with_a_message(
    client, series, data, django_capture_on_commit_callbacks
):
    data = {"series": series.pk, "email": "a@example.com", **data}
    response = follow(client, django_capture_on_commit_callbacks, data)
    assert response.status_code == 400
    assert response.json()["message"]
    assert mail.outbox == []
    assert Follower.objects.count() == 0


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'"x"', b"\xff\xfe", b"{" * 5000])
def test_malformed_bodies(client, body):
    response = client.post(FOLLOW_URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"]


def test_get_is_refused(client):
    response = client.get(FOLLOW_URL)
    assert response.status_code == 405
    assert response.json()["message"]


def test_a_private_or_unpublished_series_cannot_be_followed(
    client, home, django_capture_on_commit_callbacks
):
    private = make_series(home, "Private")
    restrict(private, "password", password="secret")
    draft = make_series(home, "Draft", live=False)
    for target in (private, draft):
        response = follow(
            client,
            django_capture_on_commit_callbacks,
            {"series": target.pk, "email": "a@example.com"},
        )
        assert response.status_code == 400
    assert mail.outbox == []


def test_honeypot(client, series, django_capture_on_commit_callbacks):
    response = follow(
        client,
        django_capture_on_commit_callbacks,
        {"series": series.pk, "email": "a@example.com", "website": "http://spam"},
    )
    assert response.status_code == 202
    assert mail.outbox == []


def test_rate_limit_per_address(client, series, settings, django_capture_on_commit_callbacks):
    settings.WAGTAIL_SERIES = {"FOLLOWERS_EMAIL_RATE": (2, 3600)}
    data = {"series": series.pk, "email": "a@example.com"}
    codes = [follow(client, django_capture_on_commit_callbacks, data).status_code for _ in range(4)]
    assert codes == [202, 202, 429, 429]
    assert len(mail.outbox) == 2
    # Another address from the same client is still fine.
    other = follow(
        client, django_capture_on_commit_callbacks, {"series": series.pk, "email": "b@example.com"}
    )
    assert other.status_code == 202


def test_rate_limit_per_client_ip(client, series, settings, django_capture_on_commit_callbacks):
    settings.WAGTAIL_SERIES = {"FOLLOWERS_IP_RATE": (3, 3600)}
    codes = [
        follow(
            client,
            django_capture_on_commit_callbacks,
            {"series": series.pk, "email": f"r{i}@example.com"},
            REMOTE_ADDR="10.0.0.1",
        ).status_code
        for i in range(5)
    ]
    assert codes == [202, 202, 202, 429, 429]
    assert len(mail.outbox) == 3
    elsewhere = follow(
        client,
        django_capture_on_commit_callbacks,
        {"series": series.pk, "email": "z@example.com"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert elsewhere.status_code == 202


def test_forged_and_expired_confirmation_links(client, series, settings):
    token = tokens.confirmation_token("a@example.com", series.pk)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post(f"/series/followers/confirm/{forged}/")
    assert response.status_code == 400
    assert client.get(f"/series/followers/confirm/{forged}/").status_code == 400
    # A token for another purpose (unsubscribe) is no confirmation.
    other = tokens.unsubscribe_token("a@example.com", [series.pk])
    assert client.post(f"/series/followers/confirm/{other}/").status_code == 400
    settings.WAGTAIL_SERIES = {"FOLLOWERS_CONFIRM_MAX_AGE": -1}
    response = client.post(f"/series/followers/confirm/{token}/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert Follower.objects.count() == 0


def test_a_replayed_confirmation_after_unsubscribing_is_refused(client, series):
    token = tokens.confirmation_token("a@example.com", series.pk)
    assert client.post(f"/series/followers/confirm/{token}/").status_code == 200
    unsubscribe = tokens.unsubscribe_token("a@example.com", [series.pk])
    assert client.post(f"/series/followers/unsubscribe/{unsubscribe}/").status_code == 200
    assert not Follower.objects.get().active
    assert client.post(f"/series/followers/confirm/{token}/").status_code == 400
    assert not Follower.objects.get().active


def test_forged_unsubscribe_link(client, series):
    Follower.objects.create(email="a@example.com", series=series)
    token = tokens.unsubscribe_token("a@example.com", [series.pk])
    assert client.post(f"/series/followers/unsubscribe/{token}x/").status_code == 400
    assert client.get(f"/series/followers/unsubscribe/{token}x/").status_code == 400
    assert Follower.objects.get().active
    response = client.get(f"/series/followers/unsubscribe/{token}/")
    assert response.status_code == 200
    assert Follower.objects.get().active  # a GET changes nothing


def test_the_form_on_the_series_page(client, series, django_capture_on_commit_callbacks):
    page = client.get("/memories/")
    html = page.content.decode()
    assert 'action="/series/followers/follow/"' in html
    assert 'name="website"' in html
    csrf_client = type(client)(enforce_csrf_checks=True)
    # Without the CSRF token the form is refused, as Django does it.
    assert (
        csrf_client.post(
            "/series/followers/follow/", {"series": series.pk, "email": "a@example.com"}
        ).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/series/followers/follow/", {"series": series.pk, "email": "a@example.com"}
        )
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    response = client.post("/series/followers/follow/", {"series": series.pk, "email": "bad"})
    assert response.status_code == 400
    assert "valid email" in response.content.decode()


def test_no_form_on_a_private_series(client, home):
    private = make_series(home, "Private")
    restrict(private, "login")
    assert json.dumps(client.get("/private/").status_code)  # a redirect to log in
    from django.template import Context, Template

    rendered = Template("{% load wagtail_series %}{% series_follow_form page %}").render(
        Context({"page": private, "request": None})
    )
    assert rendered.strip() == ""
